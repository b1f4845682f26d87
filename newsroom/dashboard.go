package newsroom

import "net/http"

// dashboard is the newsroom's start page.
func dashboard(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return s.render(w, r, http.StatusOK, q.T("nr.nav.dashboard"), dashboardPage())
}
