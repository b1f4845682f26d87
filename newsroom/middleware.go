package newsroom

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/jarchy/jarchy"
)

// contentSecurityPolicy lets the newsroom run its own scripts and nothing
// else (the public site keeps script-src 'none').
const contentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; " +
	"img-src 'self' https: data:; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// formTokenField is the name of the form token in every form.
const formTokenField = "_token"

// headers sets the newsroom's headers on every answer: never cached
// anywhere, its own CSP.
func (s *Server) headers(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Cache-Control", "private, no-store")
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.Set("X-Robots-Tag", "noindex, nofollow")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic into a logged error and a 500 page.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("newsroom panic", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			s.fail(w, r, requestFrom(r.Context()), errors.New("panic"))
		}()
		next.ServeHTTP(w, r)
	})
}

// crossOriginDenied answers a cross-origin POST (http.CrossOriginProtection).
func (s *Server) crossOriginDenied(w http.ResponseWriter, r *http.Request) {
	s.log.Info("newsroom: cross-origin request refused", "path", r.URL.Path, "origin", r.Header.Get("Origin"))
	s.fail(w, r, &Request{Lang: langOfRequest(r)}, forbidden("nr.err.cross_origin"))
}

// handlerFunc is a newsroom handler: it answers, or returns an error that
// becomes an error page in the user's language.
type handlerFunc func(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error

// wrap gives a route its session, access check and form token check.
func (s *Server) wrap(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		q, err := s.session(w, r)
		if err != nil {
			s.fail(w, r, q, err)
			return
		}
		q.Path = r.URL.Path
		if q.User != nil { // the stores audit and sign revisions with it
			r = r.WithContext(jarchy.WithActor(r.Context(), jarchy.Actor{UserID: q.User.ID, Name: q.User.Name}))
		}
		r = withRequest(r, q)
		if !rt.access.public {
			if q.User == nil {
				s.needLogin(w, r, q)
				return
			}
			if rt.access.roles != nil && !slices.Contains(rt.access.roles, q.User.Role) {
				s.fail(w, r, q, forbidden("err.forbidden"))
				return
			}
		}
		if r.Method == http.MethodPost {
			if q.User == nil { // the login form: a token tied to a cookie
				q.FormToken = s.loginToken(w, r)
			}
			ok, tooBig := validToken(w, r, q.FormToken, bodyLimit(rt.pattern))
			if tooBig {
				s.fail(w, r, q, &httpError{status: http.StatusRequestEntityTooLarge, key: "nr.err.too_big"})
				return
			}
			if !ok {
				s.log.Info("newsroom: POST without a valid form token", "path", r.URL.Path)
				s.fail(w, r, q, forbidden("nr.err.form_token"))
				return
			}
		}
		if err := rt.handler(s, w, r, q); err != nil {
			s.fail(w, r, q, err)
		}
	})
}

// validToken reports whether the POST carries the page's form token. The
// body is limited to limit bytes before it is parsed; a multipart body
// (an upload) keeps at most maxUploadMemory in memory, the rest in
// temporary files.
// tooBig reports a body over the limit.
func validToken(w http.ResponseWriter, r *http.Request, want string, limit int64) (ok, tooBig bool) {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if ct := r.Header.Get("Content-Type"); strings.HasPrefix(ct, "multipart/form-data") {
		if limit <= maxFormBytes {
			return false, false // only upload routes take multipart bodies
		}
		if err := r.ParseMultipartForm(maxUploadMemory); err != nil {
			var big *http.MaxBytesError
			return false, errors.As(err, &big)
		}
	}
	got := r.PostFormValue(formTokenField)
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1, false
}

// maxFormBytes bounds a form: the body's limit and room for the rest.
const maxFormBytes = jarchy.MaxBodyLen + 256<<10

// bodyLimit is the largest POST body of the route with this pattern.
func bodyLimit(pattern string) int64 {
	if n, ok := bodyLimits[pattern]; ok {
		return n
	}
	return maxFormBytes
}

// needLogin sends a visitor without a session to the login form, back to
// this page after login (GET), or refuses a POST.
func (s *Server) needLogin(w http.ResponseWriter, r *http.Request, q *Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		s.fail(w, r, q, &httpError{status: http.StatusUnauthorized, key: "nr.err.session"})
		return
	}
	target := Prefix + "/login"
	if next := r.URL.RequestURI(); next != Prefix+"/" {
		target += "?next=" + url.QueryEscape(next)
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
}
