package newsroom

import "net/http"

// dashboard is the newsroom's start page.
func dashboard(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	var counts map[string]int
	if q.IsEditor() { // the moderation queue's counts
		var err error
		if counts, err = s.store.CommentStatusCounts(r.Context()); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, q.T("nr.nav.dashboard"), dashboardPage(counts))
}
