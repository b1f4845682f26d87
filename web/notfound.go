package web

import (
	"net/http"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// notFound answers any path no route matches: a 404 page in the language
// of the path's first segment, or in the default language.
func notFound(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		// The public site is read-only.
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, http.StatusText(http.StatusMethodNotAllowed), http.StatusMethodNotAllowed)
		return nil
	}
	s.errorPage(w, r, langOfPath(r.URL.Path), http.StatusNotFound)
	return nil
}

// langOfPath returns the site language that starts path, or the default.
func langOfPath(path string) jarchy.Lang {
	first, _, _ := strings.Cut(strings.TrimPrefix(path, "/"), "/")
	if l, ok := jarchy.ParseLang(first); ok {
		return l
	}
	return jarchy.DefaultLang
}

// errorData is the body of an error page.
type errorData struct {
	Status int
	Text   string
}

// errorPage renders the 400, 404 or 500 page in lang. It never fails: when
// the store is down it renders with an empty menu, and when even that
// fails it writes a plain text line.
func (s *Server) errorPage(w http.ResponseWriter, r *http.Request, lang jarchy.Lang, status int) {
	key := "page.500"
	switch status {
	case http.StatusNotFound:
		key = "page.404"
	case http.StatusBadRequest:
		key = "page.400"
	default:
		if status < 500 {
			status, key = http.StatusBadRequest, "page.400"
		}
	}
	st, err := s.loadSite(r.Context(), lang)
	if err != nil {
		st = &site{}
	}
	p := s.newPage(st, lang, i18n.T(lang, key+".title"), "", nil)
	p.Robots = "noindex"
	p.Description = i18n.T(lang, key+".text")
	p.JSONLD = s.webPageLD(p, "WebPage")
	if status >= 500 {
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Retry-After", "30")
	}
	if err := s.render(w, r, status, p, errorContent(p, &errorData{Status: status, Text: i18n.T(lang, key+".text")})); err != nil {
		s.log.Error("render error page", "status", status, "err", err)
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		_, _ = w.Write([]byte(i18n.T(lang, key+".title") + "\n"))
	}
}
