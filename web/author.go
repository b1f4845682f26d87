package web

import (
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// author renders /{lang}/author/{slug}?page=N with the author's bio.
func author(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	ctx := r.Context()
	au, err := s.store.AuthorBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	st, err := s.loadSite(ctx, lang)
	if err != nil {
		return err
	}
	desc := i18n.Tf(lang, "author.desc", au.Name)
	if au.Bio != "" {
		desc = describe(au.Bio)
	}
	alt := samePathEverywhere(func(l jarchy.Lang) string { return authorPath(l, au.Slug) })
	p, d, err := s.renderList(w, r, st, lang, jarchy.ArticleFilter{Lang: lang, AuthorID: au.ID},
		i18n.Tf(lang, "author.title", au.Name), desc, authorPath(lang, au.Slug), alt, "author", au.Slug)
	if err != nil {
		return err
	}
	d.Intro = au.Bio
	return s.render(w, r, http.StatusOK, p, listContent(p, d))
}
