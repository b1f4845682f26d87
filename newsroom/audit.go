package newsroom

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
)

// auditPageSize is how many entries one page of the audit log shows.
const auditPageSize = 50

// auditLog shows the audit log, newest first: ?page=N (from 1) and
// ?kind=article|user.
func auditLog(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	query := r.URL.Query()
	page := 1
	if v := query.Get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100_000 {
			return badRequest("audit page %q", v)
		}
		page = n
	}
	kind := query.Get("kind")
	f := jarchy.AuditFilter{Kind: kind, Limit: auditPageSize, Offset: (page - 1) * auditPageSize}
	list, err := s.store.AuditLog(r.Context(), f)
	if err != nil {
		return err
	}
	if page > 1 && len(list.Entries) == 0 {
		return errNotFound
	}
	v := auditView{List: list, Page: page, Kind: kind}
	if page > 1 {
		v.Newer = auditURL(kind, page-1)
	}
	if page*auditPageSize < list.Total {
		v.Older = auditURL(kind, page+1)
	}
	return s.render(w, r, http.StatusOK, q.T("nr.audit.title"), auditPage(v))
}

type auditView struct {
	List         jarchy.AuditList
	Page         int
	Kind         string
	Newer, Older string
}

func auditURL(kind string, page int) string {
	v := url.Values{}
	if kind != "" {
		v.Set("kind", kind)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return Prefix + "/audit"
	}
	return Prefix + "/audit?" + v.Encode()
}

// auditActor names who made an entry's write.
func auditActor(e jarchy.AuditEntry) string {
	switch {
	case e.ActorName != "":
		return e.ActorName
	case e.ActorID != 0:
		return "#" + strconv.FormatInt(e.ActorID, 10)
	}
	return jarchy.ActorSystem
}
