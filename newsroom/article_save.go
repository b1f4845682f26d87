package newsroom

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// articleSave saves the editor's form (POST /articles/new and
// /articles/{id}). The clicked button names the state to move to ("to");
// the move must be one the workflow allows the user's role
// (CheckTransition), else 403 and nothing changes. A form the domain
// refuses comes back with its messages and everything typed; a save based
// on a stale version shows the conflict page. The "preview" and "edit"
// buttons only render the editor again.
func articleSave(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	base, err := s.saveBase(r, q)
	if err != nil {
		return err
	}
	f := newForm(q, r.PostForm)
	f.Values.Del(formTokenField)
	if r.PostForm.Has("preview") || r.PostForm.Has("edit") {
		preview := ""
		if r.PostForm.Has("preview") {
			preview = string(markup.Article(jarchy.CleanText(f.Get("body"))))
		}
		return s.renderEditor(w, r, q, http.StatusOK, base, f, preview)
	}
	to := jarchy.Status(f.Get("to"))
	if to == "" {
		to = base.Status
		if to == "" {
			to = jarchy.StatusDraft
		}
	}
	a, err := s.prepareSave(r.Context(), q, f, base, to)
	if err != nil {
		return err
	}
	note := actionNote(base.Status, a.Status)
	if f.Get("correction") == "1" && base.Status == jarchy.StatusPublished && a.Status == jarchy.StatusPublished {
		// A correction: a dated public note under the article.
		if err := jarchy.AddCorrection(a, f.Get("correction_note")); err != nil {
			f.Fail(err, articleFieldOf)
		}
		note = "correction: " + strings.TrimSpace(f.Get("correction_note"))
	}
	if f.HasErrors() {
		return s.renderEditor(w, r, q, http.StatusUnprocessableEntity, base, f, "")
	}
	err = s.store.SaveArticle(jarchy.WithRevisionInfo(r.Context(), jarchy.RevisionInfo{AuthorID: q.User.ID, Note: note}), a)
	switch {
	case jarchy.IsStaleVersion(err):
		return s.conflict(w, r, q, base, a, f)
	case jarchy.ErrorCode(err) == jarchy.EINVALID || jarchy.ErrorCode(err) == jarchy.ECONFLICT:
		f.Fail(err, articleFieldOf)
		return s.renderEditor(w, r, q, http.StatusUnprocessableEntity, base, f, "")
	case err != nil:
		return err
	}
	s.log.Info("newsroom: article saved", "article", a.ID, "user", q.User.ID, "action", note, "version", a.Version)
	return redirect(w, r, articlePath(a.ID)+"?saved=1")
}

// saveBase is the stored article a POST to /articles/{id} edits (which
// the user must be allowed to edit), or a new one for /articles/new.
func (s *Server) saveBase(r *http.Request, q *Request) (*jarchy.Article, error) {
	if r.PathValue("id") == "" {
		return &jarchy.Article{Lang: q.Lang, OwnerID: q.User.ID}, nil
	}
	return s.editableArticle(r, q)
}

// prepareSave reads the form into the article to save in state to, and
// checks the move and what the store cannot tell the user well (a slug
// another article has, the article translated). Field problems go on f; a
// move the role may not make is an EFORBIDDEN error.
func (s *Server) prepareSave(ctx context.Context, q *Request, f *Form, base *jarchy.Article, to jarchy.Status) (*jarchy.Article, error) {
	a := readArticle(f, base)
	if a.Cover != nil { // only a photo of the library: a save would create an unknown key
		switch _, err := s.store.Media(ctx, a.Cover.Key); {
		case jarchy.IsNotFound(err):
			f.Add("cover", "err.media_unknown")
		case err != nil:
			return nil, err
		}
	}
	if base.ID != 0 {
		v, err := strconv.ParseInt(f.Get("version"), 10, 64)
		if err != nil {
			return nil, badRequest("version %q", f.Get("version"))
		}
		a.Version = v
	}
	a.Status = to
	a.Normalize(s.now()) // a publication time to come turns "publish" into "schedule"
	if err := jarchy.CheckTransition(q.Role(), base.Status, a.Status); err != nil {
		return nil, err
	}
	if src := strings.TrimSpace(f.Get("translation_of")); src != "" {
		s.translationOf(ctx, q, f, a, src)
	}
	if slug := strings.TrimSpace(f.Get("slug")); slug != "" && slug != base.Slug && f.Error("lang") == "" {
		other, err := s.store.ArticleBySlug(ctx, a.Lang, a.Slug)
		switch {
		case err == nil && other.ID != base.ID:
			f.Add("slug", "err.slug_taken")
		case err != nil && !jarchy.IsNotFound(err):
			return nil, err
		}
	}
	return a, nil
}

// translationOf puts a in the translation group of article src (an ID),
// refusing an unknown article (or one the user may not translate: the
// same answer, so no draft's existence shows) or a language the group
// already has.
func (s *Server) translationOf(ctx context.Context, q *Request, f *Form, a *jarchy.Article, src string) {
	id, err := strconv.ParseInt(src, 10, 64)
	if err != nil || id <= 0 || id == a.ID {
		f.Add("translation_of", "nr.err.translation_of")
		return
	}
	orig, err := s.store.Article(ctx, id)
	if err != nil || s.mayTranslate(q, orig) != nil {
		f.Add("translation_of", "nr.err.translation_of")
		return
	}
	for _, t := range orig.Translations {
		if t.Lang == a.Lang && t.ID != a.ID {
			f.Add("translation_of", "nr.err.translation_lang")
			return
		}
	}
	if orig.Lang == a.Lang {
		f.Add("translation_of", "nr.err.translation_lang")
		return
	}
	a.TranslationGroup = orig.TranslationGroup
}

// actionNote is the revision note of a save: the workflow action's name.
func actionNote(from, to jarchy.Status) string {
	if t, ok := jarchy.FindTransition(from, to); ok {
		return t.Action
	}
	return "save"
}

func articlePath(id int64) string { return Prefix + "/articles/" + strconv.FormatInt(id, 10) }
