package newsroom

import (
	"net/http"
	"strconv"
	"time"

	"github.com/jarchy/jarchy"
)

// breaking flags a published article as breaking news for the chosen
// number of hours (1 to jarchy.MaxBreakingHours), or ends the flag ("end").
// Every public page shows the banner until then; the store's write drops
// the cached pages, and the scheduler ends the flag at its time.
func breaking(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.editableArticle(r, q)
	if err != nil {
		return err
	}
	var until time.Time
	if r.PostFormValue("end") == "" {
		hours, err := strconv.Atoi(r.PostFormValue("hours"))
		if err != nil {
			hours = 0 // BreakingFor refuses it with its message
		}
		if until, err = jarchy.BreakingFor(s.now(), hours); err != nil {
			return err
		}
	}
	if err := s.store.SetBreaking(r.Context(), a.ID, until); err != nil {
		return err
	}
	return redirect(w, r, articlePath(a.ID)+"?saved=1")
}
