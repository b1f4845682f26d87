package web

import (
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// reservedSlugs cannot be section slugs: their URLs belong to other routes.
var reservedSlugs = map[string]bool{"tag": true, "author": true, "page": true, "search": true, "feed": true, "static": true, "media": true, "api": true}

// section renders /{lang}/{section}/?page=N.
func section(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	slug := r.PathValue("section")
	if reservedSlugs[slug] {
		return errNotFound
	}
	st, err := s.loadSite(r.Context(), lang)
	if err != nil {
		return err
	}
	var sec *jarchy.Section
	for i := range st.sections {
		if st.sections[i].Slug == slug {
			sec = &st.sections[i]
			break
		}
	}
	if sec == nil {
		return errNotFound
	}
	name := sec.Name(lang)
	alt := samePathEverywhere(func(l jarchy.Lang) string { return sectionPath(l, sec.Slug) })
	p, d, err := s.renderList(w, r, st, lang, jarchy.ArticleFilter{Lang: lang, SectionID: sec.ID},
		name, i18n.Tf(lang, "section.desc", name), sectionPath(lang, sec.Slug), alt, "section", sec.Slug)
	if err != nil {
		return err
	}
	p.markCurrent(sec.Slug)
	return s.render(w, r, http.StatusOK, p, listContent(p, d))
}
