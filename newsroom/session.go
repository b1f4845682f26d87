package newsroom

import (
	"net/http"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
)

// Cookies of the newsroom, scoped to Prefix.
const (
	sessionCookie = "jarchy_session"
	loginCookie   = "jarchy_login" // ties the login form's token to this browser
)

// touchEvery is how stale a session's LastSeenAt may get before a request
// renews it (one write per session per period, not per request).
const touchEvery = 5 * time.Minute

// session finds the request's session: the user and their language and
// form token, or an empty Request (default or asked language) without one.
// An unknown, expired or disabled user's session is no session (its
// cookie is cleared).
func (s *Server) session(w http.ResponseWriter, r *http.Request) (*Request, error) {
	q := &Request{Lang: langOfRequest(r)}
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || len(c.Value) > 200 {
		return q, nil
	}
	sess, err := s.store.SessionByToken(r.Context(), c.Value)
	if jarchy.IsNotFound(err) {
		s.clearCookie(w, r, sessionCookie)
		return q, nil
	}
	if err != nil {
		return q, err
	}
	now := s.now()
	if now.Sub(sess.LastSeenAt) >= touchEvery {
		err := s.store.TouchSession(r.Context(), c.Value, now.Add(s.cfg.SessionIdle))
		if jarchy.IsNotFound(err) { // ended in between (logout, disabled)
			s.clearCookie(w, r, sessionCookie)
			return q, nil
		}
		if err != nil {
			return q, err
		}
	}
	q.User, q.Session = sess.User, sess
	q.Lang = sess.User.Lang
	if !q.Lang.Valid() {
		q.Lang = jarchy.DefaultLang
	}
	q.FormToken = formTokenOf(c.Value)
	return q, nil
}

// startSession creates a session for u and sets its cookie.
func (s *Server) startSession(w http.ResponseWriter, r *http.Request, u *jarchy.User) (*Request, error) {
	token := jarchy.NewSessionToken()
	sess := &jarchy.Session{ID: token, UserID: u.ID, ExpiresAt: s.now().Add(s.cfg.SessionIdle)}
	if err := s.store.CreateSession(r.Context(), sess); err != nil {
		return nil, err
	}
	s.setCookie(w, r, sessionCookie, token, http.SameSiteLaxMode)
	s.clearCookie(w, r, loginCookie)
	sess.User = u
	return &Request{User: u, Session: sess, Lang: u.Lang, FormToken: formTokenOf(token)}, nil
}

// loginToken returns the login form's token, from the browser's login
// cookie (set now when missing: a POST without it then fails the check).
func (s *Server) loginToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(loginCookie); err == nil && len(c.Value) >= 32 && len(c.Value) <= 100 {
		return formTokenOf(c.Value)
	}
	if r.Method == http.MethodPost {
		return ""
	}
	v := jarchy.NewSessionToken()
	s.setCookie(w, r, loginCookie, v, http.SameSiteStrictMode)
	return formTokenOf(v)
}

// secureRequest reports whether cookies must be Secure: the request came
// over TLS, or the site's public origin is https (TLS ends at a proxy).
func (s *Server) secureRequest(r *http.Request) bool {
	return s.secure || r.TLS != nil
}

func (s *Server) setCookie(w http.ResponseWriter, r *http.Request, name, value string, same http.SameSite) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: Prefix, HttpOnly: true,
		SameSite: same, Secure: s.secureRequest(r)})
}

func (s *Server) clearCookie(w http.ResponseWriter, r *http.Request, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: Prefix, MaxAge: -1, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secureRequest(r)})
}

// langOfRequest is the UI language before login: ?lang=, else the first
// site language the browser accepts, else the default.
func langOfRequest(r *http.Request) jarchy.Lang {
	if l, ok := jarchy.ParseLang(r.URL.Query().Get("lang")); ok {
		return l
	}
	for part := range strings.SplitSeq(r.Header.Get("Accept-Language"), ",") {
		tag, _, _ := strings.Cut(strings.TrimSpace(part), ";")
		tag, _, _ = strings.Cut(tag, "-")
		if l, ok := jarchy.ParseLang(strings.ToLower(tag)); ok {
			return l
		}
	}
	return jarchy.DefaultLang
}
