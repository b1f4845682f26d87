package web

import (
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// maxQueryLen bounds the search text, in bytes.
const maxQueryLen = 1000

// searchData is the body of the search page.
type searchData struct {
	Query string
}

// search renders /{lang}/search?q=… : the target of the header's search
// box. The search helper (issue 3) replaces this with real results.
func search(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	q, err := queryValues(r)
	if err != nil {
		return err
	}
	text := strings.TrimSpace(q.Get("q"))
	if !utf8.ValidString(text) || len(text) > maxQueryLen {
		return badRequest("bad search text")
	}
	st, err := s.loadSite(r.Context(), lang)
	if err != nil {
		return err
	}
	title := i18n.T(lang, "search.title")
	if text != "" {
		title = i18n.Tf(lang, "search.results_for", text)
	}
	alt := samePathEverywhere(func(l jarchy.Lang) string { return "/" + string(l) + "/search" })
	p := s.newPage(st, lang, title, "/"+string(lang)+"/search", alt)
	p.Robots = "noindex"
	p.Description = i18n.T(lang, "search.label")
	p.JSONLD = s.webPageLD(p, "SearchResultsPage")
	p.Data = searchData{Query: text}
	return s.render(w, r, http.StatusOK, "search", p)
}
