package newsroom

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/jarchy/jarchy"
)

// The comment moderation pages (editors and admins): the queue by status
// (and the reported comments) with bulk actions, a moderator's edit, the
// bans, an article's mode, and the site's comment settings (admins).

// queuePageSize is the comments per queue page.
const queuePageSize = 50

// queueTabs are the queue's views: a status, or "reported".
var queueTabs = []string{"pending", "reported", "approved", "rejected", "spam", "deleted"}

// commentQueue is what the queue page shows.
type commentQueue struct {
	Tab       string
	ArticleID int64
	Mode      jarchy.CommentMode // the article's own mode, when filtered by article
	List      jarchy.CommentList
	Articles  map[int64]*jarchy.Article // summaries; a deleted article is absent
	Counts    map[string]int
	Offset    int
	Next      string // URL of the next page, "" on the last
	Prev      string
	Done      string    // the notice after an action
	Now       time.Time // the store's clock: which articles are public
}

// commentsQueue serves GET /newsroom/comments?status=&article=&offset=.
func commentsQueue(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	ctx := r.Context()
	v := r.URL.Query()
	d := commentQueue{Tab: v.Get("status"), Done: v.Get("done"), Now: s.now()}
	if d.Tab == "" {
		d.Tab = "pending"
	}
	f := jarchy.CommentFilter{Limit: queuePageSize}
	switch {
	case d.Tab == "reported":
		f.Reported = true
	case jarchy.CommentStatus(d.Tab).Valid():
		f.Status = jarchy.CommentStatus(d.Tab)
	default:
		return errNotFound
	}
	if a := v.Get("article"); a != "" {
		id, err := strconv.ParseInt(a, 10, 64)
		if err != nil || id < 1 {
			return badRequest("article: %q", a)
		}
		d.ArticleID, f.ArticleID = id, id
		m, err := s.store.ArticleCommentMode(ctx, id)
		if err != nil {
			return err
		}
		d.Mode = m
	}
	if o := v.Get("offset"); o != "" {
		n, err := strconv.Atoi(o)
		if err != nil || n < 0 || n > 1_000_000 {
			return badRequest("offset: %q", o)
		}
		d.Offset, f.Offset = n, n
	}
	var err error
	if d.List, err = s.store.Comments(ctx, f); err != nil {
		return err
	}
	if d.Counts, err = s.store.CommentStatusCounts(ctx); err != nil {
		return err
	}
	ids := make([]int64, len(d.List.Comments))
	for i, c := range d.List.Comments {
		ids[i] = c.ArticleID
	}
	if d.Articles, err = s.store.ArticlesByID(ctx, ids); err != nil { // summaries: titles and links
		return err
	}
	page := func(offset int) string {
		u := url.Values{"status": {d.Tab}}
		if d.ArticleID != 0 {
			u.Set("article", strconv.FormatInt(d.ArticleID, 10))
		}
		if offset > 0 {
			u.Set("offset", strconv.Itoa(offset))
		}
		return Prefix + "/comments?" + u.Encode()
	}
	if d.Offset+len(d.List.Comments) < d.List.Total {
		d.Next = page(d.Offset + queuePageSize)
	}
	if d.Offset > 0 {
		d.Prev = page(max(0, d.Offset-queuePageSize))
	}
	return s.render(w, r, http.StatusOK, q.T("nr.comments.title"), commentQueuePage(&d))
}

// moderateComments serves POST /newsroom/comments/moderate: ids and an
// action (approve, reject, spam, delete) for all of them at once.
func moderateComments(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	to := jarchy.CommentStatus(map[string]string{"approve": "approved", "reject": "rejected", "spam": "spam", "delete": "deleted"}[r.PostFormValue("action")])
	if !to.Valid() {
		return badRequest("action: %q", r.PostFormValue("action"))
	}
	var ids []int64
	for _, raw := range r.PostForm["id"] {
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || id < 1 {
			return badRequest("id: %q", raw)
		}
		ids = append(ids, id)
	}
	back := safeBack(r.PostFormValue("back"))
	if len(ids) == 0 {
		return redirect(w, r, back)
	}
	if err := s.store.ModerateComments(r.Context(), q.Role(), ids, to); err != nil {
		return err
	}
	s.log.Info("newsroom: comments moderated", "user", q.User.ID, "to", to, "count", len(ids))
	return redirect(w, r, withDone(back, "moderated"))
}

// safeBack keeps a queue URL to return to (a newsroom page by safeNext's
// rules, under /comments); anything else is the queue.
func safeBack(back string) string {
	if next := safeNext(back); next == Prefix+"/comments" || strings.HasPrefix(next, Prefix+"/comments?") {
		return next
	}
	return Prefix + "/comments"
}

func withDone(back, done string) string {
	u, err := url.Parse(back)
	if err != nil {
		return Prefix + "/comments"
	}
	v := u.Query()
	v.Set("done", done)
	v.Del("offset")
	u.RawQuery = v.Encode()
	return u.String()
}

// commentEditForm serves GET /newsroom/comments/{id}/edit.
func commentEditForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	c, err := s.commentByPath(r)
	if err != nil {
		return err
	}
	f := newForm(q, url.Values{"name": {c.Name}, "text": {c.Text}})
	return s.render(w, r, http.StatusOK, q.T("nr.comments.edit"), commentEditPage(c, f))
}

// commentEditPost serves POST /newsroom/comments/{id}/edit: the comment
// is shown as edited from then on.
func commentEditPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	c, err := s.commentByPath(r)
	if err != nil {
		return err
	}
	f := newForm(q, url.Values{"name": {r.PostFormValue("name")}, "text": {r.PostFormValue("text")}})
	if err := s.store.EditComment(r.Context(), c.ID, f.Get("name"), f.Get("text")); err != nil {
		if jarchy.ErrorCode(err) != jarchy.EINVALID {
			return err
		}
		f.Fail(err, map[string]string{"name": "name", "text": "text"})
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.comments.edit"), commentEditPage(c, f))
	}
	return redirect(w, r, Prefix+"/comments?status="+string(c.Status)+"&done=edited")
}

func (s *Server) commentByPath(r *http.Request) (*jarchy.Comment, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	return s.store.Comment(r.Context(), id)
}

// commentBans serves GET /newsroom/comments/bans.
func commentBans(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.renderBans(w, r, q, http.StatusOK, newForm(q, nil))
}

func (s *Server) renderBans(w http.ResponseWriter, r *http.Request, q *Request, status int, f *Form) error {
	bans, err := s.store.CommentBans(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, status, q.T("nr.comments.bans"), commentBansPage(bans, f))
}

// commentBanAdd serves POST /newsroom/comments/bans: a ban by email, by
// email hash (from the queue) or by IP range.
func commentBanAdd(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, url.Values{"email": {r.PostFormValue("email")}, "hash": {r.PostFormValue("hash")},
		"range": {r.PostFormValue("range")}, "reason": {r.PostFormValue("reason")}})
	b := &jarchy.CommentBan{Email: f.Get("email"), EmailHash: f.Get("hash"), IPRange: f.Get("range"), Reason: f.Get("reason")}
	if err := s.store.AddCommentBan(r.Context(), b); err != nil {
		if jarchy.ErrorCode(err) != jarchy.EINVALID {
			return err
		}
		f.Fail(err, map[string]string{"email": "email", "reason": "reason"})
		return s.renderBans(w, r, q, http.StatusUnprocessableEntity, f)
	}
	s.log.Info("newsroom: comment ban added", "user", q.User.ID, "ban", b.ID)
	return redirect(w, r, Prefix+"/comments/bans")
}

// commentBanDelete serves POST /newsroom/comments/bans/{id}/delete.
func commentBanDelete(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	if err := s.store.DeleteCommentBan(r.Context(), id); err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/comments/bans")
}

// commentArticleMode serves POST /newsroom/comments/mode: one article's
// mode ("" for the site's).
func commentArticleMode(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := strconv.ParseInt(r.PostFormValue("article"), 10, 64)
	if err != nil || id < 1 {
		return badRequest("article: %q", r.PostFormValue("article"))
	}
	if err := s.store.SetArticleCommentMode(r.Context(), id, jarchy.CommentMode(r.PostFormValue("mode"))); err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/comments?article="+strconv.FormatInt(id, 10)+"&status=approved&done=mode")
}

// commentSettingsForm serves GET /newsroom/comments/settings (admins).
func commentSettingsForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	st, err := s.store.CommentSettings(r.Context())
	if err != nil {
		return err
	}
	f := newForm(q, url.Values{
		"mode": {string(st.Mode)}, "close": {strconv.Itoa(st.CloseAfterDays)},
		"words": {strings.Join(st.Words, "\n")},
	})
	if st.TrustNewcomers {
		f.Values.Set("trust", "1")
	}
	return s.render(w, r, http.StatusOK, q.T("nr.comments.settings"), commentSettingsPage(f, r.URL.Query().Get("saved") == "1"))
}

// commentSettingsPost saves the site's comment settings.
func commentSettingsPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	f := newForm(q, url.Values{"mode": {r.PostFormValue("mode")}, "close": {r.PostFormValue("close")},
		"words": {r.PostFormValue("words")}, "trust": {r.PostFormValue("trust")}})
	st := jarchy.CommentSettings{Mode: jarchy.CommentMode(f.Get("mode")), TrustNewcomers: f.Get("trust") == "1",
		Words: strings.Split(strings.ReplaceAll(f.Get("words"), "\r", ""), "\n")}
	days, err := strconv.Atoi(strings.TrimSpace(f.Get("close")))
	if err != nil {
		f.Add("close", "err.comment_close_days")
	}
	st.CloseAfterDays = days
	if !f.HasErrors() {
		if err := s.store.SaveCommentSettings(r.Context(), st); err != nil {
			if jarchy.ErrorCode(err) != jarchy.EINVALID {
				return err
			}
			f.Fail(err, map[string]string{"mode": "mode", "close_after_days": "close", "words": "words"})
		}
	}
	if f.HasErrors() {
		return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.comments.settings"), commentSettingsPage(f, false))
	}
	return redirect(w, r, Prefix+"/comments/settings?saved=1")
}

// articleTitle is the title of a queue row's article ("" when deleted).
func articleTitle(d *commentQueue, id int64) string {
	if a := d.Articles[id]; a != nil {
		return a.Title
	}
	return ""
}

// publicURL is the public address of a comment, "" when its article is
// not public.
func publicURL(d *commentQueue, c *jarchy.Comment) string {
	a := d.Articles[c.ArticleID]
	if a == nil || !a.IsPublic(d.Now) {
		return ""
	}
	return publicPath(a) + "#c-" + strconv.FormatInt(c.ID, 10)
}

func shortHash(h string) string {
	if len(h) > 12 {
		return h[:12]
	}
	return h
}

func commentTab(tab string, articleID int64) templ.SafeURL {
	u := Prefix + "/comments?status=" + tab
	if articleID != 0 {
		u += "&article=" + strconv.FormatInt(articleID, 10)
	}
	return templ.SafeURL(u)
}

func modeKey(m string) string {
	if m == "" {
		return "site"
	}
	return m
}

func articleParam(id int64) string {
	if id == 0 {
		return ""
	}
	return "&article=" + strconv.FormatInt(id, 10)
}
