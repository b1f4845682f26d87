package web

import (
	"html/template"
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// pageData is the body of a static page.
type pageData struct {
	P    *jarchy.Page
	Body template.HTML
}

// staticPage renders /{lang}/page/{slug} (about, contacts). The same slug
// in another language is its translation.
func staticPage(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	if _, err := queryValues(r); err != nil {
		return err
	}
	ctx := r.Context()
	slug := r.PathValue("slug")
	pg, err := s.store.PageBySlug(ctx, lang, slug)
	if err != nil {
		return err
	}
	st, err := s.loadSite(ctx, lang)
	if err != nil {
		return err
	}
	// The same slug in another language is the translation; the site data
	// of each language (kept in memory) lists its pages.
	alt := map[jarchy.Lang]string{lang: staticPath(lang, pg.Slug)}
	for _, l := range jarchy.Langs {
		if l == lang {
			continue
		}
		other, err := s.loadSite(ctx, l)
		if err != nil {
			return err
		}
		for _, op := range other.pages {
			if op.Slug == pg.Slug {
				alt[l] = staticPath(l, pg.Slug)
			}
		}
	}
	p := s.newPage(st, lang, pg.Title, staticPath(lang, pg.Slug), alt)
	p.Description = describe(pg.Body)
	p.Modified = pg.UpdatedAt
	p.JSONLD = s.webPageLD(p, "WebPage")
	return s.render(w, r, http.StatusOK, p, staticContent(p, &pageData{P: pg, Body: markup.Article(pg.Body)}))
}
