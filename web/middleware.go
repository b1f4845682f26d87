package web

import (
	"fmt"
	"net/http"
	"runtime/debug"
)

// contentSecurityPolicy allows one script: the comment form's
// (static/comments.js), by the SHA-256 of its bytes, which the page's
// <script integrity> names (CSP 3 hash sources for external scripts).
// Nothing else runs: no inline script, no other file of this origin (not
// 'self'), no eval; a browser that does not match external scripts by
// hash runs none and gets the plain form, which works without it.
// Reading needs no script (a JSON-LD data block is not script). Styles
// and images from the site, cover images from http(s) hosts;
// frame-ancestors forbids framing.
var contentSecurityPolicy = "default-src 'self'; script-src '" + commentsScriptIntegrity + "'; style-src 'self'; " +
	"img-src 'self' https: http: data:; font-src 'self'; connect-src 'self'; object-src 'none'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// secure sets the security headers on every response.
func (s *Server) secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", contentSecurityPolicy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
		h.Set("Cross-Origin-Opener-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

// recoverPanics turns a panic in a handler into a logged error and a 500
// page in the reader's language: a reader never sees a stack trace.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rw := &trackingWriter{ResponseWriter: w}
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("panic serving request", "method", r.Method, "path", r.URL.Path,
				"panic", fmt.Sprint(v), "stack", string(debug.Stack()))
			if rw.wroteHeader {
				// Too late for an error page; cut the connection so the
				// client sees a broken response, not a truncated page.
				panic(http.ErrAbortHandler)
			}
			s.errorPage(w, r, langOfPath(r.URL.Path), http.StatusInternalServerError)
		}()
		next.ServeHTTP(rw, r)
	})
}

// trackingWriter records whether the response has started.
type trackingWriter struct {
	http.ResponseWriter
	wroteHeader bool
}

func (t *trackingWriter) WriteHeader(code int) {
	t.wroteHeader = true
	t.ResponseWriter.WriteHeader(code)
}

func (t *trackingWriter) Write(b []byte) (int, error) {
	t.wroteHeader = true
	return t.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (t *trackingWriter) Unwrap() http.ResponseWriter { return t.ResponseWriter }
