package newsroom

import (
	"net/http"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
)

// loginForm shows the login form (or sends a logged-in user on).
func loginForm(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	next := safeNext(r.URL.Query().Get("next"))
	if q.User != nil {
		return redirect(w, r, next)
	}
	q.FormToken = s.loginToken(w, r)
	return s.render(w, r, http.StatusOK, q.T("nr.login.title"), loginPage(newForm(q, nil), next))
}

// loginPost checks an email and password. An unknown user, a disabled one
// and a wrong password get the same answer after the same work
// (auth.DummyVerify). It is small on purpose: a throttle wraps it.
func loginPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	email := strings.TrimSpace(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	next := safeNext(r.PostFormValue("next"))
	if ok, wait := s.logins.attempt(s.clientKey(r), email); !ok {
		s.log.Warn("newsroom: login throttled", "client", s.clientKey(r), "retry_after", wait)
		return tooManyAttempts(wait)
	}
	u, ok := s.checkPassword(r, email, password)
	if !ok {
		f := newForm(q, r.PostForm)
		f.Values.Del("password")
		f.Message = q.T("nr.login.failed")
		return s.render(w, r, http.StatusUnauthorized, q.T("nr.login.title"), loginPage(f, next))
	}
	s.logins.succeeded(email)
	if _, err := s.startSession(w, r, u); err != nil {
		return err
	}
	s.log.Info("newsroom login", "user", u.ID)
	return redirect(w, r, next)
}

// checkPassword returns the enabled user with this email and password.
func (s *Server) checkPassword(r *http.Request, email, password string) (*jarchy.User, bool) {
	if len(password) > jarchy.MaxPasswordLen || len(email) > jarchy.MaxEmailLen {
		auth.DummyVerify("")
		return nil, false
	}
	u, err := s.store.UserByEmail(r.Context(), strings.ToLower(email))
	if err != nil || u.Disabled || u.PasswordHash == "" {
		if err != nil && !jarchy.IsNotFound(err) {
			s.log.Error("newsroom login: read user", "err", err)
		}
		auth.DummyVerify(password)
		return nil, false
	}
	ok, err := auth.Verify(password, u.PasswordHash)
	if err != nil {
		s.log.Error("newsroom login: stored hash", "user", u.ID, "err", err)
	}
	return u, ok && err == nil
}

// safeNext keeps a return address only when it is a newsroom page.
func safeNext(next string) string {
	if !strings.HasPrefix(next, Prefix+"/") || strings.HasPrefix(next, "//") ||
		strings.ContainsAny(next, "\\\r\n") || strings.Contains(next, "/..") {
		return Prefix + "/"
	}
	return next
}
