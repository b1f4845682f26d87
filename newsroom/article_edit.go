package newsroom

import (
	"net/http"

	"github.com/jarchy/jarchy"
)

// editorData is what the editor page shows.
type editorData struct {
	A        *jarchy.Article // the stored article (ID 0: a new one)
	Form     *Form
	Sections []jarchy.Section
	Moves    []jarchy.Transition // the buttons: the workflow's moves for the user's role
	Preview  string              // the body rendered by the site's markup, when asked
	Saved    bool
	// Published: an editor edits a public article, so the editor offers
	// the correction note and the breaking-news flag.
	Published bool
	Breaking  bool // flagged as breaking news now (until A.BreakingUntil)
	// Photos are the cover's choices: the newest of the library, and the
	// stored cover; Thumb is the address a photo is shown with.
	Photos []*jarchy.Media
	Thumb  func(*jarchy.Media) string
	Public bool // readers see it: the editor links to its page
}

// articleNew shows an empty editor (?lang= its language, ?translation_of=
// the article it translates).
func articleNew(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a := &jarchy.Article{Lang: q.Lang}
	if l, ok := jarchy.ParseLang(r.URL.Query().Get("lang")); ok {
		a.Lang = l
	}
	f := newForm(q, articleValues(a))
	f.Values.Del("version")
	if id := r.URL.Query().Get("translation_of"); id != "" {
		f.Values.Set("translation_of", id)
	}
	return s.renderEditor(w, r, q, http.StatusOK, a, f, "")
}

// articleEdit shows the editor of a stored article.
func articleEdit(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.editableArticle(r, q)
	if err != nil {
		return err
	}
	f := newForm(q, articleValues(a))
	if r.URL.Query().Get("saved") == "1" {
		f.Values.Set("saved", "1")
	}
	return s.renderEditor(w, r, q, http.StatusOK, a, f, "")
}

// editableArticle loads the article of the path's {id} that the user may
// edit (CanEdit), or fails with 404/403.
func (s *Server) editableArticle(r *http.Request, q *Request) (*jarchy.Article, error) {
	id, err := pathID(r)
	if err != nil {
		return nil, err
	}
	a, err := s.store.Article(r.Context(), id)
	if err != nil {
		return nil, err
	}
	if err := jarchy.CanEdit(q.Role(), q.User.ID, a); err != nil {
		return nil, err
	}
	return a, nil
}

// renderEditor renders the editor for stored article a with form f.
func (s *Server) renderEditor(w http.ResponseWriter, r *http.Request, q *Request, status int, a *jarchy.Article, f *Form, preview string) error {
	sections, err := s.store.Sections(r.Context())
	if err != nil {
		return err
	}
	photos, err := s.coverChoices(r, a)
	if err != nil {
		return err
	}
	now := s.now()
	d := &editorData{Photos: photos, Thumb: s.thumbURL, A: a, Form: f, Sections: sections, Moves: jarchy.Moves(q.Role(), a.Status), Preview: preview,
		Saved: f.Get("saved") == "1", Published: q.IsEditor() && a.IsPublic(now), Breaking: a.IsBreaking(now),
		Public: a.IsPublic(now)}
	title := q.T("nr.editor.new")
	if a.ID != 0 {
		title = a.Title
	}
	return s.render(w, r, status, title, editorPage(d))
}

// editorAction is where the editor posts.
func editorAction(a *jarchy.Article) string {
	if a.ID == 0 {
		return Prefix + "/articles/new"
	}
	return articlePath(a.ID)
}

// autosaves reports whether the editor autosaves: only drafts (and new
// articles, which autosave creates as drafts), never anything public.
func autosaves(d *editorData) bool {
	return d.A.Status == "" || d.A.Status == jarchy.StatusDraft
}

// publicPath is the address of a's page on the public site.
func publicPath(a *jarchy.Article) string { return jarchy.ArticlePath(a) }
