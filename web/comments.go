package web

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/internal/throttle"
)

// Reader comments on the public site. Article pages are cached and the
// same for every reader, so the form carries nothing per reader. Its
// defences: a honeypot field; a minimum time to submit, measured from a
// signed timestamp (the page's render time, or, with the script, a fresh
// one from GET /comments/start when the reader starts typing); the
// Origin / Sec-Fetch-Site check of http.CrossOriginProtection; rate
// limits per client IP (internal/clientip, --trusted-proxies) and per
// article (internal/throttle); and the domain's rules (link limit,
// duplicate text, word list, bans, newcomer pre-moderation). Posting never
// goes through the page cache (it is a POST).

// CommentLimits tune the spam defences; zero fields take the defaults.
type CommentLimits struct {
	// IPBurst comments at once from one client IP (an IPv6 /64), then one
	// per IPPer. Default 5, then one per 20 s.
	IPBurst int
	IPPer   time.Duration
	// ArticleBurst comments at once on one article, then one per
	// ArticlePer. Default 30, then one per 2 s.
	ArticleBurst int
	ArticlePer   time.Duration
	// MinSubmit is the least time between the form's timestamp and its
	// post (default 3 s); MaxAge the most (default 24 h: an older form is
	// shown again with a fresh timestamp, the text kept).
	MinSubmit time.Duration
	MaxAge    time.Duration
}

func (l CommentLimits) withDefaults() CommentLimits {
	if l.IPBurst <= 0 {
		l.IPBurst = 5
	}
	if l.IPPer <= 0 {
		l.IPPer = 20 * time.Second
	}
	if l.ArticleBurst <= 0 {
		l.ArticleBurst = 30
	}
	if l.ArticlePer <= 0 {
		l.ArticlePer = 2 * time.Second
	}
	if l.MinSubmit == 0 {
		l.MinSubmit = 3 * time.Second
	}
	if l.MaxAge <= 0 {
		l.MaxAge = 24 * time.Hour
	}
	return l
}

// commentGuard holds the per-process state of the defences.
type commentGuard struct {
	limits    CommentLimits
	byIP      *throttle.Limiter
	byArticle *throttle.Limiter
	origin    *http.CrossOriginProtection

	keyMu sync.Mutex
	key   []byte // signs form timestamps (CommentStore.CommentKey)

	// targets caches what a post needs of its article (language, path,
	// status), dropped by every change of the article: loading a whole
	// article per post cost more than the post itself. The store checks
	// again, in the post's transaction, that the article is public.
	// Each holds summary fields only: ID, Lang, Slug, Section, Status,
	// PublishedAt, Title.
	targetMu sync.Mutex
	targets  map[int64]*jarchy.Article
}

// maxPostTargets bounds the cached articles (all are dropped when full).
const maxPostTargets = 10000

// postTarget returns the article a post names, from the cache or the store.
func (s *Server) postTarget(ctx context.Context, id int64) (*jarchy.Article, error) {
	g := s.comments
	g.targetMu.Lock()
	t, ok := g.targets[id]
	g.targetMu.Unlock()
	if ok {
		return t, nil
	}
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return nil, err
	}
	small := &jarchy.Article{ID: a.ID, Lang: a.Lang, Slug: a.Slug, Section: jarchy.Section{ID: a.Section.ID, Slug: a.Section.Slug},
		Status: a.Status, PublishedAt: a.PublishedAt, Title: a.Title}
	g.targetMu.Lock()
	if len(g.targets) >= maxPostTargets {
		clear(g.targets)
	}
	g.targets[id] = small
	g.targetMu.Unlock()
	return small, nil
}

// forgetTargets drops the cached articles a change touched.
func (g *commentGuard) forgetTargets(ch jarchy.Change) {
	g.targetMu.Lock()
	defer g.targetMu.Unlock()
	if ch.Touches(jarchy.TopicSite) { // a section renamed: the paths the posts go back to
		clear(g.targets)
		return
	}
	for _, t := range ch.Topics {
		if rest, ok := strings.CutPrefix(string(t), "a/"); ok {
			if id, err := strconv.ParseInt(rest, 10, 64); err == nil {
				delete(g.targets, id)
			}
		}
	}
}

func newCommentGuard(l CommentLimits, now func() time.Time) *commentGuard {
	l = l.withDefaults()
	return &commentGuard{
		limits:    l,
		byIP:      throttle.New(throttle.Options{Burst: l.IPBurst, Per: l.IPPer, Now: now}),
		byArticle: throttle.New(throttle.Options{Burst: l.ArticleBurst, Per: l.ArticlePer, Now: now}),
		origin:    http.NewCrossOriginProtection(),
		targets:   map[int64]*jarchy.Article{},
	}
}

// formKey returns the key that signs form timestamps, the same on every
// node (derived from the store's secret).
func (s *Server) formKey(ctx context.Context) ([]byte, error) {
	g := s.comments
	g.keyMu.Lock()
	defer g.keyMu.Unlock()
	if g.key == nil {
		k, err := s.store.CommentKey(ctx, "comment form")
		if err != nil {
			return nil, err
		}
		g.key = k
	}
	return g.key, nil
}

// formToken is the signed timestamp t of a form: "unix seconds.mac".
func formToken(key []byte, t time.Time) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	m := hmac.New(sha256.New, key)
	m.Write([]byte("form " + ts))
	return ts + "." + base64.RawURLEncoding.EncodeToString(m.Sum(nil)[:16])
}

// checkFormToken returns nil, or the error key for a token that is
// missing, forged or too old (err.comment_stale) or too fresh
// (err.comment_too_fast).
func checkFormToken(key []byte, token string, now time.Time, l CommentLimits) string {
	ts, _, ok := strings.Cut(token, ".")
	sec, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || !hmac.Equal([]byte(formToken(key, time.Unix(sec, 0))), []byte(token)) {
		return "err.comment_stale"
	}
	age := now.Sub(time.Unix(sec, 0))
	switch {
	case age > l.MaxAge:
		return "err.comment_stale"
	case age < l.MinSubmit:
		return "err.comment_too_fast"
	}
	return ""
}

// commentsView is the comments section of an article page.
type commentsView struct {
	ArticleID int64
	Nodes     []*jarchy.CommentNode
	Count     string // "3 пикир"
	Open      bool   // the form is shown
	Form      commentForm
	FeedURL   string
}

// commentForm is the form, empty on an article page, filled again after
// a refused post.
type commentForm struct {
	Lang      jarchy.Lang
	ArticleID int64
	ParentID  int64
	Name      string
	Email     string
	Text      string
	Token     string
	Errors    []string
}

// commentsSection builds the comments of article a for its page; set
// are the site's comment settings (kept with the site data).
func (s *Server) commentsSection(ctx context.Context, a *jarchy.Article, set jarchy.CommentSettings) (*commentsView, error) {
	cs, err := s.store.ArticleComments(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	mode, err := s.store.ArticleCommentMode(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	key, err := s.formKey(ctx)
	if err != nil {
		return nil, err
	}
	now := s.now()
	open := jarchy.EffectiveCommentMode(set, mode, a.PublishedAt, now) != jarchy.CommentModeClosed
	if closes := set.ClosedAt(a.PublishedAt); open && !closes.IsZero() {
		dependFor(ctx, closes.Sub(now)) // the form goes with the article's age, not with a change
	}
	return &commentsView{
		ArticleID: a.ID,
		Nodes:     jarchy.Thread(cs),
		Count:     i18n.Plural(a.Lang, "count.comments", len(cs)),
		Open:      open,
		Form:      commentForm{Lang: a.Lang, ArticleID: a.ID, Token: formToken(key, s.now())},
		FeedURL:   articleCommentFeedPath(a.ID, "atom.xml"),
	}, nil
}

func commentAnchor(id int64) string { return "c-" + strconv.FormatInt(id, 10) }

func articleCommentFeedPath(articleID int64, file string) string {
	return "/comments/feed/" + strconv.FormatInt(articleID, 10) + "/" + file
}

func replyPath(id int64) string { return "/comments/reply/" + strconv.FormatInt(id, 10) }

func reportPath(id int64) string { return "/comments/" + strconv.FormatInt(id, 10) + "/report" }

// maxCommentForm bounds the body of a comment post.
const maxCommentForm = 64 << 10

// commentReply is the JSON answer to a post made by the script.
type commentReply struct {
	Status  string   `json:"status,omitempty"` // approved or pending
	ID      int64    `json:"id,omitempty"`
	Message string   `json:"message,omitempty"`
	HTML    string   `json:"html,omitempty"` // the approved comment, rendered
	Errors  []string `json:"errors,omitempty"`
	Token   string   `json:"t,omitempty"` // a fresh form timestamp after a refusal
}

func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// postComment serves POST /comments: a plain form post (303 to the
// comment's anchor, or to the "held for moderation" notice; a refusal
// shows the form again with the reader's text and the reason in the
// reader's language), or the script's post (Accept: application/json).
func postComment(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	w.Header().Set("Cache-Control", "no-store")
	ctx := r.Context()
	r.Body = http.MaxBytesReader(w, r.Body, maxCommentForm)
	var err error
	if strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/form-data") {
		err = r.ParseMultipartForm(maxCommentForm)
	} else {
		err = r.ParseForm()
	}
	if err != nil {
		return &httpError{status: http.StatusBadRequest, err: fmt.Errorf("comment form: %w", err)}
	}
	lang := jarchy.Lang(r.PostForm.Get("lang"))
	if !lang.Valid() {
		lang = jarchy.DefaultLang
	}
	f := commentForm{
		Lang:  lang,
		Name:  r.PostForm.Get("name"),
		Email: r.PostForm.Get("email"),
		Text:  r.PostForm.Get("text"),
	}
	f.ArticleID, _ = strconv.ParseInt(r.PostForm.Get("article"), 10, 64)
	f.ParentID, _ = strconv.ParseInt(r.PostForm.Get("parent"), 10, 64)
	a, err := s.postTarget(ctx, f.ArticleID)
	if jarchy.IsNotFound(err) || err == nil && !a.IsPublic(s.now()) {
		return &httpError{status: http.StatusNotFound, err: fmt.Errorf("comment on article %d: no such public article", f.ArticleID)}
	} else if err != nil {
		return err
	}
	lang = a.Lang
	f.Lang = lang
	key, err := s.formKey(ctx)
	if err != nil {
		return err
	}
	refuse := func(status int, msgKey string, err error) error {
		f.Token = formToken(key, s.now())
		if err != nil {
			f.Errors = []string{i18n.ErrorMessage(lang, err)}
		} else {
			f.Errors = []string{i18n.T(lang, msgKey)}
		}
		if wantsJSON(r) {
			return s.commentJSON(w, status, commentReply{Errors: f.Errors, Token: f.Token})
		}
		return s.commentFormPage(w, r, status, a, nil, f)
	}
	if err := s.comments.origin.Check(r); err != nil {
		return refuse(http.StatusForbidden, "err.comment_origin", nil)
	}
	if r.PostForm.Get("website") != "" { // the honeypot: answer as if held
		s.log.Debug("comment honeypot", "article", a.ID)
		return s.commentDone(w, r, a, &jarchy.Comment{ID: 0, Status: jarchy.CommentPending}, lang)
	}
	if k := checkFormToken(key, r.PostForm.Get("t"), s.now(), s.comments.limits); k != "" {
		return refuse(http.StatusBadRequest, k, nil)
	}
	ip := s.cfg.ClientIP.IP(r)
	if ok, wait := s.comments.byIP.Allow(clientip.Key(ip)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return refuse(http.StatusTooManyRequests, "err.comment_rate", nil)
	}
	if ok, wait := s.comments.byArticle.Allow(strconv.FormatInt(a.ID, 10)); !ok {
		w.Header().Set("Retry-After", strconv.Itoa(int(wait.Seconds())+1))
		return refuse(http.StatusTooManyRequests, "err.comment_rate", nil)
	}
	c := &jarchy.Comment{ArticleID: a.ID, ParentID: f.ParentID, Name: f.Name, Email: f.Email, Text: f.Text}
	if ip.IsValid() {
		c.IP = ip.String()
	}
	if err := s.store.PostComment(ctx, c); err != nil {
		switch jarchy.ErrorCode(err) {
		case jarchy.EINVALID:
			return refuse(http.StatusUnprocessableEntity, "", err)
		case jarchy.ECONFLICT:
			return refuse(http.StatusConflict, "", err)
		case jarchy.EFORBIDDEN:
			return refuse(http.StatusForbidden, "", err)
		case jarchy.ENOTFOUND:
			return refuse(http.StatusNotFound, "", err)
		}
		return err
	}
	return s.commentDone(w, r, a, c, lang)
}

// commentDone answers an accepted post.
func (s *Server) commentDone(w http.ResponseWriter, r *http.Request, a *jarchy.Article, c *jarchy.Comment, lang jarchy.Lang) error {
	if wantsJSON(r) {
		rep := commentReply{Status: string(c.Status), ID: c.ID, Message: i18n.T(lang, "comments.held")}
		if c.Status == jarchy.CommentApproved {
			rep.Message = i18n.T(lang, "comments.published")
			var b strings.Builder
			node := &jarchy.CommentNode{Comment: c, Depth: 1}
			if err := commentItem(lang, node).Render(r.Context(), &b); err != nil {
				return err
			}
			rep.HTML = b.String()
		}
		return s.commentJSON(w, http.StatusOK, rep)
	}
	target := heldPath(a.ID)
	if c.Status == jarchy.CommentApproved {
		target = articlePath(a) + "#" + commentAnchor(c.ID)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

func heldPath(articleID int64) string {
	return "/comments/held/" + strconv.FormatInt(articleID, 10)
}

func (s *Server) commentJSON(w http.ResponseWriter, status int, v commentReply) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, err = w.Write(b)
	return err
}

// commentFormPageData is a page with the comment form alone: after a
// refused post (the reader's text and the reason), or to reply to one
// comment without the script.
type commentFormPageData struct {
	Article    *jarchy.Article
	ArticleURL string
	Parent     *jarchy.CommentNode
	Form       commentForm
}

func (s *Server) commentFormPage(w http.ResponseWriter, r *http.Request, status int, a *jarchy.Article, parent *jarchy.Comment, f commentForm) error {
	st, err := s.loadSite(r.Context(), a.Lang)
	if err != nil {
		return err
	}
	title := i18n.T(a.Lang, "comments.add")
	if len(f.Errors) > 0 {
		title = i18n.T(a.Lang, "comments.error_title")
	}
	p := s.newPage(st, a.Lang, title, "", nil)
	p.Robots = "noindex"
	p.Script, p.ScriptIntegrity = s.assets.path("comments.js"), commentsScriptIntegrity
	d := &commentFormPageData{Article: a, ArticleURL: articlePath(a), Form: f}
	if parent != nil {
		d.Parent = &jarchy.CommentNode{Comment: parent, Depth: 1}
	}
	return s.render(w, r, status, p, commentFormContent(p, d))
}

// commentReplyPage serves GET /comments/reply/{id}: the form to answer
// one comment, for readers without the script. Not cached: it carries a
// fresh timestamp.
func commentReplyPage(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	w.Header().Set("Cache-Control", "no-store")
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.store.Comment(r.Context(), id)
	if err != nil {
		return err
	}
	if c.Status != jarchy.CommentApproved {
		return errNotFound
	}
	a, err := s.store.Article(r.Context(), c.ArticleID)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	key, err := s.formKey(r.Context())
	if err != nil {
		return err
	}
	f := commentForm{Lang: a.Lang, ArticleID: a.ID, ParentID: c.ID, Token: formToken(key, s.now())}
	return s.commentFormPage(w, r, http.StatusOK, a, c, f)
}

// commentNoticeData is the "held for moderation" or "report received"
// page.
type commentNoticeData struct {
	Text       string
	ArticleURL string
}

// commentHeld serves GET /comments/held/{article}: the notice after a
// post that waits for a moderator (the same for everyone: cacheable).
func commentHeld(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	id, err := pathID(r, "article")
	if err != nil {
		return err
	}
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if !a.IsPublic(s.now()) {
		return errNotFound
	}
	return s.commentNotice(w, r, a, "comments.held")
}

func (s *Server) commentNotice(w http.ResponseWriter, r *http.Request, a *jarchy.Article, key string) error {
	st, err := s.loadSite(r.Context(), a.Lang)
	if err != nil {
		return err
	}
	p := s.newPage(st, a.Lang, i18n.T(a.Lang, "comments.title"), "", nil)
	p.Robots = "noindex"
	return s.render(w, r, http.StatusOK, p, commentNoticeContent(p, &commentNoticeData{Text: i18n.T(a.Lang, key), ArticleURL: articlePath(a)}))
}

// reportComment serves POST /comments/{id}/report: a reader's report
// lands in the moderation queue.
func reportComment(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	w.Header().Set("Cache-Control", "no-store")
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.comments.origin.Check(r); err != nil {
		return &httpError{status: http.StatusForbidden, err: err}
	}
	if ok, _ := s.comments.byIP.Allow(clientip.Key(s.cfg.ClientIP.IP(r))); !ok {
		return &httpError{status: http.StatusTooManyRequests, err: errors.New("report: rate limit")}
	}
	c, err := s.store.Comment(r.Context(), id)
	if err != nil {
		return err
	}
	a, err := s.store.Article(r.Context(), c.ArticleID)
	if err != nil {
		return err
	}
	if err := s.store.ReportComment(r.Context(), id); err != nil {
		return err
	}
	if wantsJSON(r) {
		return s.commentJSON(w, http.StatusOK, commentReply{Message: i18n.T(a.Lang, "comments.reported")})
	}
	return s.commentNotice(w, r, a, "comments.reported")
}

// commentStart serves GET /comments/start: a fresh form timestamp for
// the script, never cached.
func commentStart(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	key, err := s.formKey(r.Context())
	if err != nil {
		return err
	}
	dependOnUnknown(r.Context())
	return s.commentJSON(w, http.StatusOK, commentReply{Token: formToken(key, s.now())})
}

// pathID reads a positive decimal id from the path.
func pathID(r *http.Request, name string) (int64, error) {
	raw := r.PathValue(name)
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id < 1 || strconv.FormatInt(id, 10) != raw {
		return 0, errNotFound
	}
	return id, nil
}

// commentTextHTML is a comment's text as HTML (commentHTML).
func commentTextHTML(c *jarchy.Comment) template.HTML { return commentHTML(c.Text) }

// fillCommentCounts puts the approved comment counts on cards (teasers).
// The read depends on jarchy.TopicCommentCounts, which the site drops at
// most every CommentCountsEvery (CoalesceCommentCounts): counts lag.
func (s *Server) fillCommentCounts(ctx context.Context, cs ...[]*card) error {
	var ids []int64
	for _, list := range cs {
		for _, c := range list {
			ids = append(ids, c.A.ID)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	counts, err := s.store.CommentCounts(ctx, ids)
	if err != nil {
		return err
	}
	for _, list := range cs {
		for _, c := range list {
			if n := counts[c.A.ID]; n > 0 {
				c.Comments = i18n.Plural(c.A.Lang, "count.comments", n)
			}
		}
	}
	return nil
}

// CommentCountsEvery is how often at most teaser counts are refreshed.
const CommentCountsEvery = 30 * time.Second

// CoalesceCommentCounts calls drop at most once per every after the
// feed reported a change of approved comments (one that touches
// jarchy.TopicCommentFeed), so a stream of approvals drops the teasers'
// counts (jarchy.TopicCommentCounts: home, section, tag and author
// pages) once per period instead of once per comment. The article page
// itself is dropped at once by its own topic. stop ends it.
func CoalesceCommentCounts(feed jarchy.ChangeFeed, every time.Duration, drop func()) (stop func()) {
	dirty := make(chan struct{}, 1)
	unsubscribe := feed.Subscribe(func(ch jarchy.Change) {
		if ch.Touches(jarchy.TopicCommentFeed) {
			select {
			case dirty <- struct{}{}:
			default:
			}
		}
	})
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		for {
			select {
			case <-done:
				return
			case <-dirty:
			}
			select { // wait out the period, then drop once for all
			case <-done:
				return
			case <-time.After(every):
			}
			select {
			case <-dirty:
			default:
			}
			drop()
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			unsubscribe()
			close(done)
			<-stopped
		})
	}
}
