package newsroom

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// autosaveAnswer is what the editor's script gets back.
type autosaveAnswer struct {
	ID      int64  `json:"id,omitempty"`
	Version int64  `json:"version,omitempty"`
	URL     string `json:"url,omitempty"` // the editor of a draft autosave created
	Error   string `json:"error,omitempty"`
}

// autosave saves a draft as it is typed (POST /articles/new/autosave and
// /articles/{id}/autosave, from the editor's script). It only ever saves a
// draft as a draft: it never publishes, and its Change is empty, so no
// public page is touched. Anything else (a non-draft, a stale version, a
// form the domain refuses) is answered with an error and writes nothing.
func autosave(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	base, err := s.saveBase(r, q)
	if err != nil {
		return err
	}
	if base.ID != 0 && base.Status != jarchy.StatusDraft {
		return writeJSON(w, http.StatusConflict, autosaveAnswer{Error: q.T("nr.autosave.not_draft")})
	}
	f := newForm(q, r.PostForm)
	if f.Get("title") == "" { // nothing worth keeping yet
		return writeJSON(w, http.StatusOK, autosaveAnswer{ID: base.ID, Version: base.Version})
	}
	a, err := s.prepareSave(r.Context(), q, f, base, jarchy.StatusDraft)
	if err != nil {
		return err
	}
	if f.HasErrors() {
		return writeJSON(w, http.StatusUnprocessableEntity, autosaveAnswer{Error: firstError(f)})
	}
	a.Status = jarchy.StatusDraft
	if err := s.onlyExisting(r.Context(), a); err != nil {
		return err
	}
	err = s.store.SaveArticle(jarchy.WithRevisionInfo(r.Context(), jarchy.RevisionInfo{AuthorID: q.User.ID, Note: "autosave"}), a)
	switch {
	case jarchy.IsStaleVersion(err):
		return writeJSON(w, http.StatusConflict, autosaveAnswer{Error: q.T("nr.autosave.conflict")})
	case jarchy.ErrorCode(err) == jarchy.EINVALID || jarchy.ErrorCode(err) == jarchy.ECONFLICT:
		f.Fail(err, articleFieldOf)
		return writeJSON(w, http.StatusUnprocessableEntity, autosaveAnswer{Error: firstError(f)})
	case err != nil:
		return err
	}
	ans := autosaveAnswer{ID: a.ID, Version: a.Version}
	if base.ID == 0 {
		ans.URL = articlePath(a.ID)
	}
	return writeJSON(w, http.StatusOK, ans)
}

// firstError is one message of a refused form, with its field's name.
func firstError(f *Form) string {
	if f.Message != "" {
		return f.Message
	}
	for name, msg := range f.Errors {
		if i18n.Has("field." + name) {
			return i18n.T(f.lang, "field."+name) + ": " + msg
		}
		return msg
	}
	return ""
}

func writeJSON(w http.ResponseWriter, status int, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.WriteHeader(status)
	_, _ = w.Write(b)
	return nil
}

// onlyExisting keeps the tags and authors of a that exist already: a tag
// or an author created is a public change (it has a page), which an
// autosave never makes. The buttons save the new ones.
func (s *Server) onlyExisting(ctx context.Context, a *jarchy.Article) error {
	var tags []jarchy.Tag
	for _, t := range a.Tags {
		t.Normalize()
		switch found, err := s.store.TagBySlug(ctx, t.Slug); {
		case err == nil:
			tags = append(tags, *found)
		case !jarchy.IsNotFound(err):
			return err
		}
	}
	var authors []jarchy.Author
	for _, au := range a.Authors {
		au.Normalize()
		switch found, err := s.store.AuthorBySlug(ctx, au.Slug); {
		case err == nil:
			authors = append(authors, *found)
		case !jarchy.IsNotFound(err):
			return err
		}
	}
	a.Tags, a.Authors = tags, authors
	return nil
}
