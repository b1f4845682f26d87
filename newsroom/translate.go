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
	// Readers' articles anyone may translate; anything else only its editors
	// (an author never copies another author's unpublished draft).
	if !orig.IsPublic(s.now()) {
		if err := jarchy.CanEdit(q.Role(), q.User.ID, orig); err != nil {
			return err
		}
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
