package newsroom

import (
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
	"github.com/jarchy/jarchy/media"
)

// mediaUpload takes the files of the upload form (one or several; the
// drag-and-drop script submits the same form) through media.Intake,
// stores each one's blobs, then its row with the texts typed and the
// uploader. One photo goes on to its edit page; several to the library.
// Refused files are listed with their reasons, the rest are stored.
func mediaUpload(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	if r.MultipartForm != nil {
		defer r.MultipartForm.RemoveAll()
	}
	v := &libraryView{Page: 1, Form: newForm(q, url.Values{
		"caption": {r.PostFormValue("caption")}, "credit": {r.PostFormValue("credit")}, "alt": {r.PostFormValue("alt")}})}
	texts := jarchy.Media{Key: "upload.jpg", Caption: v.Form.Get("caption"), Credit: v.Form.Get("credit"), Alt: v.Form.Get("alt")}
	texts.Normalize()
	var files []*multipart.FileHeader
	if r.MultipartForm != nil {
		files = r.MultipartForm.File["file"]
	}
	switch {
	case s.cfg.Blobs == nil:
		v.Form.Message = q.T("nr.media.no_store")
	case len(files) == 0:
		v.Form.Add("file", "nr.media.no_file")
	default:
		if err := texts.Validate(); err != nil {
			v.Form.Fail(err, nil)
		}
	}
	var stored []string
	if !v.Form.HasErrors() {
		for _, f := range files {
			key, err := s.storeUpload(r, q, f, texts)
			if err != nil {
				if jarchy.ErrorCode(err) == jarchy.EINTERNAL {
					return err
				}
				v.Refused = append(v.Refused, refusedUpload{Name: f.Filename, Reason: i18n.ErrorMessage(q.Lang, err)})
				continue
			}
			stored = append(stored, key)
		}
	}
	if len(v.Refused) == 0 && !v.Form.HasErrors() {
		if len(stored) == 1 {
			return redirect(w, r, Prefix+"/media/edit?"+url.Values{"key": {stored[0]}, "uploaded": {"1"}}.Encode())
		}
		return redirect(w, r, Prefix+"/media?uploaded="+strconv.Itoa(len(stored)))
	}
	v.Uploaded = len(stored)
	if err := s.loadLibrary(r, v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, q.T("nr.media.title"), libraryPage(v))
}

// storeUpload takes one uploaded file through the intake, stores its
// blobs (each durable before the row that names it), then its row.
func (s *Server) storeUpload(r *http.Request, q *Request, fh *multipart.FileHeader, texts jarchy.Media) (string, error) {
	f, err := fh.Open()
	if err != nil {
		return "", fmt.Errorf("open upload %q: %w", fh.Filename, err)
	}
	defer f.Close()
	p, err := media.Intake(r.Context(), f, media.DefaultLimits)
	if err != nil {
		return "", err
	}
	if err := media.Save(r.Context(), s.cfg.Blobs, p); err != nil {
		return "", err
	}
	m := media.Row(p)
	m.Caption, m.Credit, m.Alt, m.Uploader = texts.Caption, texts.Credit, texts.Alt, q.User.ID
	if err := s.store.SaveMedia(r.Context(), m); err != nil {
		return "", err
	}
	s.log.Info("newsroom: photo uploaded", "key", m.Key, "user", q.User.ID, "bytes", fh.Size)
	return m.Key, nil
}
