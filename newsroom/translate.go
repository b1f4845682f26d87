package newsroom

import (
	"net/http"
	"strconv"

	"github.com/jarchy/jarchy"
)

// translate creates a draft in another language, linked to the article
// (the same translation group) and prefilled with it, owned by the user,
// and opens its editor. When the group already has that language, it
// opens that article instead. An article readers do not see yet is
// translated only by those who may edit it.
func translate(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	id, err := pathID(r)
	if err != nil {
		return err
	}
	orig, err := s.store.Article(r.Context(), id)
	if err != nil {
		return err
	}
	if err := s.mayTranslate(q, orig); err != nil {
		return err
	}
	lang, ok := jarchy.ParseLang(r.PostFormValue("lang"))
	if !ok || lang == orig.Lang {
		return badRequest("translate into %q", r.PostFormValue("lang"))
	}
	for _, t := range orig.Translations {
		if t.Lang == lang {
			return redirect(w, r, articlePath(t.ID))
		}
	}
	tr := &jarchy.Article{
		Lang: lang, TranslationGroup: orig.TranslationGroup, Title: orig.Title, Lead: orig.Lead, Body: orig.Body,
		Section: jarchy.Section{ID: orig.Section.ID}, Tags: orig.Tags, Authors: orig.Authors, Cover: orig.Cover,
		SEOTitle: orig.SEOTitle, SEODescription: orig.SEODescription, Status: jarchy.StatusDraft, OwnerID: q.User.ID,
	}
	if err := jarchy.CheckTransition(q.Role(), "", tr.Status); err != nil {
		return err
	}
	ctx := jarchy.WithRevisionInfo(r.Context(), jarchy.RevisionInfo{AuthorID: q.User.ID, Note: "translation of " + strconv.FormatInt(orig.ID, 10)})
	if err := s.store.SaveArticle(ctx, tr); err != nil {
		return err
	}
	return redirect(w, r, articlePath(tr.ID))
}

// mayTranslate says whether q's user may make or link a translation of
// orig: readers' articles anyone may; anything else only its editors (an
// author never copies, or joins the group of, another author's unpublished
// draft).
func (s *Server) mayTranslate(q *Request, orig *jarchy.Article) error {
	if orig.IsPublic(s.now()) {
		return nil
	}
	return jarchy.CanEdit(q.Role(), q.User.ID, orig)
}
