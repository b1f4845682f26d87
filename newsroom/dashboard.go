package newsroom

import (
	"net/http"
	"time"

	"github.com/jarchy/jarchy"
)

// missedAfter is how long past its time a scheduled article must be to
// count as missed (the scheduler publishes within a second or two).
const missedAfter = 10 * time.Second

// dashboardData is the start page: the lists an editor (or an author, for
// their own articles) works from.
type dashboardData struct {
	Missed    []*jarchy.Article // scheduled, time passed: never dropped, shown first
	Drafts    []*jarchy.Article // the user's own drafts
	Review    []*jarchy.Article
	Scheduled []*jarchy.Article
	Published []*jarchy.Article
	Comments  map[string]int // comments by status and "reported" (editors); nil for authors
}

// dashboard is the newsroom's start page.
func dashboard(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	var owner int64 // editors see everyone's; authors their own
	if !q.IsEditor() {
		owner = q.User.ID
	}
	now := s.now()
	var d dashboardData
	for _, l := range []struct {
		dst *[]*jarchy.Article
		f   jarchy.ArticleFilter
	}{
		{&d.Missed, jarchy.ArticleFilter{Status: jarchy.StatusScheduled, Before: now.Add(-missedAfter), OwnerID: owner, Limit: 100}},
		{&d.Drafts, jarchy.ArticleFilter{Status: jarchy.StatusDraft, OwnerID: q.User.ID, Limit: 20}},
		{&d.Review, jarchy.ArticleFilter{Status: jarchy.StatusReview, OwnerID: owner, Limit: 50}},
		{&d.Scheduled, jarchy.ArticleFilter{Status: jarchy.StatusScheduled, Since: now.Add(-missedAfter), OwnerID: owner, Limit: 50}}, // not the missed ones again
		{&d.Published, jarchy.ArticleFilter{Status: jarchy.StatusPublished, Limit: 10}},
	} {
		l.f.Summary, l.f.NoTotal = true, true
		list, err := s.store.Articles(r.Context(), l.f)
		if err != nil {
			return err
		}
		*l.dst = list.Articles
	}
	if q.IsEditor() { // the moderation queue's counts
		counts, err := s.store.CommentStatusCounts(r.Context())
		if err != nil {
			return err
		}
		d.Comments = counts
	}
	return s.render(w, r, http.StatusOK, q.T("nr.nav.dashboard"), dashboardPage(&d))
}
