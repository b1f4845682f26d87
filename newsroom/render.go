package newsroom

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/a-h/templ"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// httpError is an error with the status the user gets and the i18n key of
// the message the error page shows.
type httpError struct {
	status     int
	key        string
	err        error
	retryAfter time.Duration // sent as Retry-After when set
}

func (e *httpError) Error() string {
	if e.err != nil {
		return e.err.Error()
	}
	return e.key
}
func (e *httpError) Unwrap() error { return e.err }

func forbidden(key string) error { return &httpError{status: http.StatusForbidden, key: key} }

var errNotFound = &httpError{status: http.StatusNotFound, key: "err.not_found"}

func badRequest(format string, args ...any) error {
	return &httpError{status: http.StatusBadRequest, key: "err.invalid", err: fmt.Errorf(format, args...)}
}

// statusOf maps an error to its HTTP status and the message key shown.
func statusOf(err error) (int, string) {
	var he *httpError
	if errors.As(err, &he) {
		return he.status, he.key
	}
	switch jarchy.ErrorCode(err) {
	case jarchy.ENOTFOUND:
		return http.StatusNotFound, "err.not_found"
	case jarchy.EINVALID:
		return http.StatusBadRequest, "err.invalid"
	case jarchy.EFORBIDDEN:
		return http.StatusForbidden, "err.forbidden"
	case jarchy.ECONFLICT:
		return http.StatusConflict, "err.conflict"
	}
	if errors.Is(err, context.Canceled) {
		return 499, ""
	}
	return http.StatusInternalServerError, "err.internal"
}

// fail answers with the error page for err in the user's language.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, q *Request, err error) {
	status, key := statusOf(err)
	switch {
	case status == 499:
		return
	case status >= 500:
		s.log.Error("newsroom request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var he *httpError
	if errors.As(err, &he) && he.retryAfter > 0 {
		w.Header().Set("Retry-After", retryAfterSeconds(he.retryAfter))
	}
	msg := i18n.T(q.Lang, key)
	var de *jarchy.Error
	if errors.As(err, &de) && de.MessageKey != "" && status != http.StatusInternalServerError {
		msg = i18n.ErrorMessage(q.Lang, err)
	}
	r = withRequest(r, q)
	if err := s.render(w, r, status, i18n.T(q.Lang, "nr.error.title"), errorPage(status, msg)); err != nil {
		s.log.Error("newsroom error page failed", "err", err)
	}
}

// render writes a whole page: the layout with title and content. It
// renders to a buffer first, so a failure becomes a clean error page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, title string, content templ.Component) error {
	var buf bytes.Buffer
	if err := layout(title, content).Render(r.Context(), &buf); err != nil {
		return fmt.Errorf("render %s: %w", r.URL.Path, err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Language", string(requestFrom(r.Context()).Lang))
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(buf.Bytes())
	}
	return nil
}

// redirect sends the browser to a newsroom page after a POST.
func redirect(w http.ResponseWriter, r *http.Request, path string) error {
	http.Redirect(w, r, path, http.StatusSeeOther)
	return nil
}

func notFound(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	return errNotFound
}
