package web

import (
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// tag renders /{lang}/tag/{slug}?page=N.
func tag(s *Server, w http.ResponseWriter, r *http.Request, lang jarchy.Lang) error {
	ctx := r.Context()
	t, err := s.store.TagBySlug(ctx, r.PathValue("slug"))
	if err != nil {
		return err
	}
	st, err := s.loadSite(ctx, lang)
	if err != nil {
		return err
	}
	alt := samePathEverywhere(func(l jarchy.Lang) string { return tagPath(l, t.Slug) })
	p, d, err := s.renderList(w, r, st, lang, jarchy.ArticleFilter{Lang: lang, TagID: t.ID},
		i18n.Tf(lang, "tag.title", t.Name), i18n.Tf(lang, "tag.desc", t.Name), tagPath(lang, t.Slug), alt, "tag", t.Slug)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, p, listContent(p, d))
}
