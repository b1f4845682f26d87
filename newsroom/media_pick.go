package newsroom

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
)

// mediaPick is the cover picker of an article: the library (searchable,
// paged) with a button on each photo that makes it the article's cover.
func mediaPick(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.articleParam(r, q, r.URL.Query().Get("article"))
	if err != nil {
		return err
	}
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	v := &libraryView{Query: r.URL.Query().Get("q"), Page: page, Form: newForm(q, nil), Pick: a,
		Saved: r.URL.Query().Get("saved") == "1"}
	if err := s.loadLibrary(r, v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, q.T("nr.media.pick"), libraryPage(v))
}

// mediaPickPost sets (or, with no key, removes) an article's cover: a
// save of the article based on the version the page showed, in its
// state, through the workflow and the domain's rules (a published
// article's cover needs alt text).
func mediaPickPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	a, err := s.articleParam(r, q, r.PostFormValue("article"))
	if err != nil {
		return err
	}
	if v, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64); err != nil || v != a.Version {
		return jarchy.StaleVersion(a.ID, v, a.Version)
	}
	if key := r.PostFormValue("key"); key != "" {
		if _, err := s.store.Media(r.Context(), key); err != nil {
			return err
		}
		a.Cover = &jarchy.Media{Key: key}
	} else {
		a.Cover = nil
	}
	if err := jarchy.CheckTransition(q.Role(), a.Status, a.Status); err != nil {
		return err
	}
	if err := s.store.SaveArticle(r.Context(), a); err != nil {
		return err
	}
	return redirect(w, r, Prefix+"/media/pick?"+url.Values{"article": {strconv.FormatInt(a.ID, 10)}, "saved": {"1"}}.Encode())
}

// articleParam loads the article a picker names, which the user must be
// allowed to edit (CanEdit: authors their own).
func (s *Server) articleParam(r *http.Request, q *Request, id string) (*jarchy.Article, error) {
	n, err := strconv.ParseInt(id, 10, 64)
	if err != nil || n <= 0 {
		return nil, badRequest("article %q", id)
	}
	a, err := s.store.Article(r.Context(), n)
	if err != nil {
		return nil, err
	}
	if err := jarchy.CanEdit(q.Role(), q.User.ID, a); err != nil {
		return nil, err
	}
	return a, nil
}

// editorPhotos is how many of the newest photos the editor's cover
// select offers (the picker searches them all).
const editorPhotos = 50

// coverChoices are the photos the editor's cover select offers: the
// newest of the library, and a's cover when it is older.
func (s *Server) coverChoices(r *http.Request, a *jarchy.Article) ([]*jarchy.Media, error) {
	list, _, err := s.store.ListMedia(r.Context(), jarchy.MediaFilter{Limit: editorPhotos})
	if err != nil {
		return nil, err
	}
	if c := a.Cover; c != nil {
		for _, m := range list {
			if m.Key == c.Key {
				return list, nil
			}
		}
		list = append([]*jarchy.Media{c}, list...)
	}
	return list, nil
}

// photoLabel is a photo as the cover select names it.
func photoLabel(m *jarchy.Media) string {
	label := m.Caption
	if label == "" {
		label = m.Key
	}
	if m.Credit != "" {
		label += " — " + m.Credit
	}
	return label
}
