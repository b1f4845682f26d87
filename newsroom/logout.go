package newsroom

import "net/http"

// logout ends the session in the store, so the cookie is worthless
// everywhere, and clears it.
func logout(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	if c, err := r.Cookie(sessionCookie); err == nil {
		if err := s.store.DeleteSession(r.Context(), c.Value); err != nil {
			return err
		}
	}
	s.clearCookie(w, r, sessionCookie)
	return redirect(w, r, Prefix+"/login")
}
