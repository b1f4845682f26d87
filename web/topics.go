package web

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
)

// A page names what it was built from in the Surrogate-Key response
// header: the topics (jarchy.Topic) of everything it read, so that the
// page cache drops it exactly when a write touches one of them.
//
// Nothing here depends on a handler remembering it: every handler reads
// through s.store, a readTracker that adds the topics of each read (and
// of each article read: cards, feed items, related links, translations,
// sitemap URLs) to the request's topic set; wrap gives every request its
// set and writes the header when the answer starts. A read that no topic
// describes makes the set unknown, and the answer goes without
// Surrogate-Key (the cache drops it at every change). An answer that read
// nothing from the store has an empty Surrogate-Key: no write changes it.

// surrogateKey is the response header the page cache reads (and removes).
const surrogateKey = "Surrogate-Key"

// surrogateControl bounds how long the page cache keeps an answer that
// goes stale by the clock (see dependFor); the cache removes it.
const surrogateControl = "Surrogate-Control"

// topicSet collects the topics of one request.
type topicSet struct {
	mu      sync.Mutex
	topics  []jarchy.Topic
	unknown bool
	until   time.Time // the answer goes stale by the clock then (zero: never)
}

type topicSetKey struct{}

// dependOn adds topics to the request's set (none outside a request).
func dependOn(ctx context.Context, ts ...jarchy.Topic) {
	if set, ok := ctx.Value(topicSetKey{}).(*topicSet); ok {
		set.mu.Lock()
		set.topics = append(set.topics, ts...)
		set.mu.Unlock()
	}
}

// dependFor marks the answer as going stale after d by the clock alone
// (a comment form that closes with the article's age): caches keep it no
// longer (Surrogate-Control max-age), since no change will drop it.
func dependFor(ctx context.Context, d time.Duration) {
	if set, ok := ctx.Value(topicSetKey{}).(*topicSet); ok {
		until := time.Now().Add(max(d, 0))
		set.mu.Lock()
		if set.until.IsZero() || until.Before(set.until) {
			set.until = until
		}
		set.mu.Unlock()
	}
}

// maxAge is the Surrogate-Control value of the set ("" when it does not
// go stale by the clock).
func (set *topicSet) maxAge() string {
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.until.IsZero() {
		return ""
	}
	secs := (time.Until(set.until) + time.Second - 1) / time.Second // round up: stale after, not before
	return "max-age=" + strconv.FormatInt(max(int64(secs), 0), 10)
}

// dependOnUnknown marks the answer as built from something no topic
// names: it gets no Surrogate-Key.
func dependOnUnknown(ctx context.Context) {
	if set, ok := ctx.Value(topicSetKey{}).(*topicSet); ok {
		set.mu.Lock()
		set.unknown = true
		set.mu.Unlock()
	}
}

// header is the Surrogate-Key value: the topics sorted, without
// duplicates; ok is false when the set is unknown.
func (set *topicSet) header() (string, bool) {
	set.mu.Lock()
	defer set.mu.Unlock()
	if set.unknown {
		return "", false
	}
	ts := make([]string, len(set.topics))
	for i, t := range set.topics {
		ts[i] = string(t)
	}
	slices.Sort(ts)
	return strings.Join(slices.Compact(ts), " "), true
}

// topicWriter sets Surrogate-Key from the request's topic set when the
// answer starts: every read happened by then (pages render to a buffer).
// An error other than 404 (a bad request, a fault) names no topics: what
// it depends on is not what it read.
type topicWriter struct {
	http.ResponseWriter
	set     *topicSet
	started bool
}

func (tw *topicWriter) start(status int) {
	if tw.started {
		return
	}
	tw.started = true
	if v, ok := tw.set.header(); ok && (status < 400 || status == http.StatusNotFound) {
		tw.ResponseWriter.Header()[surrogateKey] = []string{v}
	} else {
		delete(tw.ResponseWriter.Header(), surrogateKey)
	}
	if age := tw.set.maxAge(); age != "" {
		tw.ResponseWriter.Header()[surrogateControl] = []string{age}
	}
}

func (tw *topicWriter) WriteHeader(code int) {
	if code >= 200 {
		tw.start(code)
	}
	tw.ResponseWriter.WriteHeader(code)
}

func (tw *topicWriter) Write(b []byte) (int, error) {
	tw.start(http.StatusOK)
	return tw.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (tw *topicWriter) Unwrap() http.ResponseWriter { return tw.ResponseWriter }

// withTopics runs a request with its own topic set and Surrogate-Key.
func withTopics(w http.ResponseWriter, r *http.Request) (http.ResponseWriter, *http.Request) {
	set := &topicSet{}
	return &topicWriter{ResponseWriter: w, set: set}, r.WithContext(context.WithValue(r.Context(), topicSetKey{}, set))
}

// readTracker is the store as handlers see it: each read adds the
// topics of what it returned to the request's set.
type readTracker struct {
	Store
}

// dependOnArticle adds the topics of a shown article: the article, the
// menu (its section's name and slug are in its links) and, for a whole
// article (not a summary), its tags, authors and translation group (the
// links to its translations: every public change of one touches the
// group).
func dependOnArticle(ctx context.Context, a *jarchy.Article, whole bool) {
	ts := []jarchy.Topic{jarchy.TopicSite, jarchy.ArticleTopic(a.ID)}
	for _, t := range a.Tags {
		ts = append(ts, jarchy.TagTopic(t.ID))
	}
	for _, au := range a.Authors {
		ts = append(ts, jarchy.AuthorTopic(au.ID))
	}
	if whole {
		ts = append(ts, jarchy.GroupTopic(a.TranslationGroup))
	}
	if a.Cover != nil {
		// The photo's caption, credit and alt text are the library's.
		ts = append(ts, jarchy.MediaTopic(a.Cover.Key))
	}
	dependOn(ctx, ts...)
}

// dependOnLookup adds the topics of a lookup of one article: the article
// found, else what could make one appear (notFound).
func dependOnLookup(ctx context.Context, a *jarchy.Article, err error, notFound jarchy.Topic) {
	switch {
	case err == nil:
		dependOnArticle(ctx, a, true)
	case jarchy.IsNotFound(err):
		dependOn(ctx, notFound)
	default:
		dependOnUnknown(ctx)
	}
}

func (rt readTracker) Article(ctx context.Context, id int64) (*jarchy.Article, error) {
	a, err := rt.Store.Article(ctx, id)
	dependOnLookup(ctx, a, err, jarchy.ArticleTopic(id))
	return a, err
}

// ArticlesByID depends on each article found as a summary (its topic:
// every public change of it, a publication included, touches it) and, for
// each id not found, on that id's topic, as Article does; summaries carry
// no tags, authors or translations, so their topics are not added.
func (rt readTracker) ArticlesByID(ctx context.Context, ids []int64) (map[int64]*jarchy.Article, error) {
	as, err := rt.Store.ArticlesByID(ctx, ids)
	if err != nil {
		dependOnUnknown(ctx)
		return as, err
	}
	for _, id := range ids {
		if a := as[id]; a != nil {
			dependOnArticle(ctx, a, false)
		} else {
			dependOn(ctx, jarchy.ArticleTopic(id))
		}
	}
	return as, nil
}

func (rt readTracker) ArticleByExternalID(ctx context.Context, externalID string) (*jarchy.Article, error) {
	a, err := rt.Store.ArticleByExternalID(ctx, externalID)
	if err != nil {
		dependOnUnknown(ctx)
	} else {
		dependOnArticle(ctx, a, true)
	}
	return a, err
}

// ArticleBySlug: a slug no article holds or held answers "not found"
// until a public article takes it (jarchy.SlugTopic).
func (rt readTracker) ArticleBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Article, error) {
	a, err := rt.Store.ArticleBySlug(ctx, lang, slug)
	dependOnLookup(ctx, a, err, jarchy.SlugTopic(lang, slug))
	return a, err
}

// Articles depends on the listing its filter selects: the narrowest of
// the filter's tag, author, section and language (an article that enters,
// leaves or moves in a listing touches the listings of all of them), every
// language without one. A listing that is not public-only depends on
// drafts, which no topic follows.
func (rt readTracker) Articles(ctx context.Context, f jarchy.ArticleFilter) (jarchy.ArticleList, error) {
	list, err := rt.Store.Articles(ctx, f)
	switch {
	case !f.PublicOnly:
		dependOnUnknown(ctx)
	case f.TagID != 0:
		dependOn(ctx, jarchy.TagListTopic(f.TagID))
	case f.AuthorID != 0:
		dependOn(ctx, jarchy.AuthorListTopic(f.AuthorID))
	case f.SectionID != 0:
		dependOn(ctx, jarchy.SectionListTopic(f.SectionID))
	case f.Lang != "":
		dependOn(ctx, jarchy.LangListTopic(f.Lang))
	default:
		for _, l := range jarchy.Langs {
			dependOn(ctx, jarchy.LangListTopic(l))
		}
	}
	for _, a := range list.Articles {
		dependOnArticle(ctx, a, !f.Summary)
	}
	return list, err
}

func (rt readTracker) Translations(ctx context.Context, group string) ([]*jarchy.Article, error) {
	as, err := rt.Store.Translations(ctx, group)
	dependOn(ctx, jarchy.GroupTopic(group))
	for _, a := range as {
		dependOnArticle(ctx, a, false)
	}
	return as, err
}

// RelatedArticles depends on the listings it picks from: a's section and
// tags.
func (rt readTracker) RelatedArticles(ctx context.Context, a *jarchy.Article, limit int) ([]*jarchy.Article, error) {
	as, err := rt.Store.RelatedArticles(ctx, a, limit)
	dependOn(ctx, jarchy.SectionListTopic(a.Section.ID))
	for _, t := range a.Tags {
		dependOn(ctx, jarchy.TagListTopic(t.ID))
	}
	for _, r := range as {
		dependOnArticle(ctx, r, false)
	}
	return as, err
}

// Search depends on every public article (and on the menu: results link
// through section slugs).
func (rt readTracker) Search(ctx context.Context, q jarchy.SearchQuery) (jarchy.SearchResult, error) {
	res, err := rt.Store.Search(ctx, q)
	dependOn(ctx, jarchy.TopicSearch, jarchy.TopicSite)
	return res, err
}

func (rt readTracker) Sections(ctx context.Context) ([]jarchy.Section, error) {
	dependOn(ctx, jarchy.TopicSite)
	return rt.Store.Sections(ctx)
}

func (rt readTracker) Settings(ctx context.Context) (jarchy.Settings, error) {
	dependOn(ctx, jarchy.TopicSite)
	return rt.Store.Settings(ctx)
}

// BreakingNews is part of the site: every write that changes the banner
// (a flag, its end, an edit of a breaking article) touches TopicSite.
func (rt readTracker) BreakingNews(ctx context.Context) ([]*jarchy.Article, error) {
	dependOn(ctx, jarchy.TopicSite)
	return rt.Store.BreakingNews(ctx)
}

func (rt readTracker) Pages(ctx context.Context, lang jarchy.Lang) ([]*jarchy.Page, error) {
	dependOn(ctx, jarchy.TopicSite)
	return rt.Store.Pages(ctx, lang)
}

func (rt readTracker) PageBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Page, error) {
	dependOn(ctx, jarchy.PageTopic(lang, slug))
	return rt.Store.PageBySlug(ctx, lang, slug)
}

func (rt readTracker) TagBySlug(ctx context.Context, slug string) (*jarchy.Tag, error) {
	t, err := rt.Store.TagBySlug(ctx, slug)
	switch {
	case err == nil:
		dependOn(ctx, jarchy.TagTopic(t.ID))
	case jarchy.IsNotFound(err):
		dependOn(ctx, jarchy.TopicTags)
	default:
		dependOnUnknown(ctx)
	}
	return t, err
}

func (rt readTracker) AuthorBySlug(ctx context.Context, slug string) (*jarchy.Author, error) {
	au, err := rt.Store.AuthorBySlug(ctx, slug)
	switch {
	case err == nil:
		dependOn(ctx, jarchy.AuthorTopic(au.ID))
	case jarchy.IsNotFound(err):
		dependOn(ctx, jarchy.TopicAuthors)
	default:
		dependOnUnknown(ctx)
	}
	return au, err
}

// ArticleComments: an article's approved comments (jarchy.CommentsTopic),
// which every approval, edit or removal of one of them touches.
func (rt readTracker) ArticleComments(ctx context.Context, articleID int64) ([]*jarchy.Comment, error) {
	dependOn(ctx, jarchy.CommentsTopic(articleID))
	return rt.Store.ArticleComments(ctx, articleID)
}

// Comment: one comment, shown only while approved (its article's topic).
func (rt readTracker) Comment(ctx context.Context, id int64) (*jarchy.Comment, error) {
	c, err := rt.Store.Comment(ctx, id)
	if err != nil {
		dependOnUnknown(ctx)
	} else {
		dependOn(ctx, jarchy.CommentsTopic(c.ArticleID))
	}
	return c, err
}

// RecentComments: the site's comment feed.
func (rt readTracker) RecentComments(ctx context.Context, limit int) ([]*jarchy.Comment, error) {
	dependOn(ctx, jarchy.TopicCommentFeed)
	return rt.Store.RecentComments(ctx, limit)
}

// CommentCounts: teaser counts, dropped at most every CommentCountsEvery.
func (rt readTracker) CommentCounts(ctx context.Context, ids []int64) (map[int64]int, error) {
	dependOn(ctx, jarchy.TopicCommentCounts)
	return rt.Store.CommentCounts(ctx, ids)
}

// CommentSettings are site settings (CommentSettingsChange touches the site).
func (rt readTracker) CommentSettings(ctx context.Context) (jarchy.CommentSettings, error) {
	dependOn(ctx, jarchy.TopicSite)
	return rt.Store.CommentSettings(ctx)
}

// ArticleCommentMode: CommentModeChange touches the article's comments.
func (rt readTracker) ArticleCommentMode(ctx context.Context, articleID int64) (jarchy.CommentMode, error) {
	dependOn(ctx, jarchy.CommentsTopic(articleID))
	return rt.Store.ArticleCommentMode(ctx, articleID)
}
