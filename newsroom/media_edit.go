package newsroom

import (
	"errors"
	"net/http"
	"net/url"

	"github.com/jarchy/jarchy"
)

// mediaEditView is a photo's edit page.
type mediaEditView struct {
	M        *jarchy.Media
	Form     *Form
	Uses     []jarchy.MediaUse
	Uploaded bool
	Saved    bool
	InUse    bool // a delete was refused: Uses are why
	Thumb    func(*jarchy.Media) string
}

// mediaEdit shows a photo with its caption, credit and alt text to edit,
// and the articles that show it.
func mediaEdit(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	key := r.URL.Query().Get("key")
	m, err := s.store.Media(r.Context(), key)
	if err != nil {
		return err
	}
	uses, err := s.store.MediaUses(r.Context(), key)
	if err != nil {
		return err
	}
	v := &mediaEditView{Thumb: s.thumbURL, M: m, Uses: uses, Uploaded: r.URL.Query().Get("uploaded") == "1", Saved: r.URL.Query().Get("saved") == "1",
		Form: newForm(q, url.Values{"caption": {m.Caption}, "credit": {m.Credit}, "alt": {m.Alt}})}
	return s.render(w, r, http.StatusOK, q.T("nr.media.edit"), mediaEditPage(v))
}

// mediaEditPost saves a photo's texts: every page that shows it follows
// (the store publishes the photo's topic).
func mediaEditPost(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	key := r.PostFormValue("key")
	t := jarchy.MediaText{Caption: r.PostFormValue("caption"), Credit: r.PostFormValue("credit"), Alt: r.PostFormValue("alt")}
	_, err := s.store.UpdateMediaText(r.Context(), key, t)
	if err == nil {
		return redirect(w, r, Prefix+"/media/edit?"+url.Values{"key": {key}, "saved": {"1"}}.Encode())
	}
	if jarchy.ErrorCode(err) != jarchy.EINVALID {
		return err
	}
	m, lerr := s.store.Media(r.Context(), key)
	if lerr != nil {
		return lerr
	}
	uses, lerr := s.store.MediaUses(r.Context(), key)
	if lerr != nil {
		return lerr
	}
	v := &mediaEditView{Thumb: s.thumbURL, M: m, Uses: uses, Form: newForm(q, url.Values{"caption": {t.Caption}, "credit": {t.Credit}, "alt": {t.Alt}})}
	v.Form.Fail(err, nil)
	return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.media.edit"), mediaEditPage(v))
}

// mediaDelete removes a photo from the library. A photo articles show is
// refused, and its page lists them. The blobs stay for the sweeper.
func mediaDelete(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	key := r.PostFormValue("key")
	err := s.store.DeleteMedia(r.Context(), key)
	var inUse *jarchy.MediaInUseError
	switch {
	case err == nil:
		s.log.Info("newsroom: photo deleted", "key", key, "user", q.User.ID)
		return redirect(w, r, Prefix+"/media?deleted=1")
	case !errors.As(err, &inUse):
		return err
	}
	m, err := s.store.Media(r.Context(), key)
	if err != nil {
		return err
	}
	v := &mediaEditView{Thumb: s.thumbURL, M: m, Uses: inUse.Uses, InUse: true,
		Form: newForm(q, url.Values{"caption": {m.Caption}, "credit": {m.Credit}, "alt": {m.Alt}})}
	v.Form.Message = q.T("err.media_in_use")
	return s.render(w, r, http.StatusConflict, q.T("nr.media.edit"), mediaEditPage(v))
}
