package newsroom

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/jarchy/jarchy"
)

// Helpers of the admin pages (sections, static pages, settings, users,
// audit log).

// pathID reads the {id} of the route: a positive decimal integer, else
// the page is not found.
func pathID(r *http.Request) (int64, error) {
	s := r.PathValue("id")
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		return 0, errNotFound
	}
	return id, nil
}

// formInt reads an optional whole number from a form field; ok is false
// when the field holds something else.
func formInt(s string) (n int, ok bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, true
	}
	n, err := strconv.Atoi(s)
	return n, err == nil && n > -1_000_000 && n < 1_000_000
}

// notice is the message a page shows after a redirect (?saved=1, ?deleted=1).
func notice(q *Request, r *http.Request) string {
	switch {
	case r.URL.Query().Get("saved") == "1":
		return q.T("nr.admin.saved")
	case r.URL.Query().Get("deleted") == "1":
		return q.T("nr.admin.deleted")
	}
	return ""
}

// langFieldName is the form field of a per-language value (name_ky).
func langFieldName(prefix string, l jarchy.Lang) string { return prefix + "_" + string(l) }
