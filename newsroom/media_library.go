package newsroom

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/jarchy/jarchy"
)

// The photo library: upload (a plain file input; drag and drop where
// JavaScript runs, through the same form), browse and search by caption
// and credit, edit the texts, delete what no article uses, and pick an
// article's cover.

// mediaPageSize is how many photos a library page shows.
const mediaPageSize = 24

// maxUploadBytes bounds an upload request: the intake's file limit and
// room for the texts and the multipart framing. It is set before the body
// is parsed; files beyond maxUploadMemory go to temporary files.
const (
	maxUploadBytes  = 40<<20 + 1<<20
	maxUploadMemory = 1 << 20
)

// bodyLimits are the routes whose POST body may be larger than a form's
// (maxFormBytes), by pattern.
var bodyLimits = map[string]int64{"/media/upload": maxUploadBytes}

// libraryView is one page of the library.
type libraryView struct {
	Query    string
	Page     int
	Total    int
	Items    []*jarchy.Media
	Uploaded int
	Deleted  bool
	Form     *Form           // the upload form, with what was typed
	Refused  []refusedUpload // files the intake refused
	Pick     *jarchy.Article // picking a cover for this article (nil: the library)
	Saved    bool
	Thumb    func(*jarchy.Media) string // the address a photo is shown with
}

// pickParams are the parameters a picker's links keep.
func pickParams(v *libraryView) url.Values {
	if v.Pick == nil {
		return nil
	}
	return url.Values{"article": {strconv.FormatInt(v.Pick.ID, 10)}}
}

// refusedUpload is a file the intake refused, with the reason in the
// user's language.
type refusedUpload struct {
	Name, Reason string
}

// pageOf reads the page parameter (1 when missing); a bad one is a 400.
func pageOf(r *http.Request) (int, error) {
	p := r.URL.Query().Get("page")
	if p == "" {
		return 1, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 100000 {
		return 0, badRequest("page %q", p)
	}
	return n, nil
}

// loadLibrary fills v with the page of photos its query and page select.
func (s *Server) loadLibrary(r *http.Request, v *libraryView) error {
	v.Thumb = s.thumbURL
	list, total, err := s.store.ListMedia(r.Context(), jarchy.MediaFilter{Query: v.Query, Limit: mediaPageSize, Offset: (v.Page - 1) * mediaPageSize})
	if err != nil {
		return err
	}
	v.Items, v.Total = list, total
	return nil
}

// mediaLibrary lists the library, newest first, searched by caption and
// credit (q), one page at a time.
func mediaLibrary(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	page, err := pageOf(r)
	if err != nil {
		return err
	}
	v := &libraryView{Query: r.URL.Query().Get("q"), Page: page, Form: newForm(q, nil),
		Deleted: r.URL.Query().Get("deleted") == "1"}
	v.Uploaded, _ = strconv.Atoi(r.URL.Query().Get("uploaded"))
	if err := s.loadLibrary(r, v); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, q.T("nr.media.title"), libraryPage(v))
}

// libraryURL is the address of a library page with query q and page n.
func libraryURL(base, q string, page int, extra url.Values) string {
	v := url.Values{}
	for k, vs := range extra {
		v[k] = vs
	}
	if q != "" {
		v.Set("q", q)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return base
	}
	return base + "?" + v.Encode()
}

// thumbURL is the address a library page shows a photo with: its
// narrowest variant, else the photo (blob keys are served by the public
// site at /media/, external photos from their address).
func (s *Server) thumbURL(m *jarchy.Media) string {
	if m.URL != "" {
		return m.URL
	}
	key := m.Key
	if len(m.Variants) > 0 {
		key = m.Variants[0].Key
	}
	// A blob store with a media base URL (S3, a CDN) names the address.
	if b, ok := s.cfg.Blobs.(interface{ URL(key string) string }); ok {
		if u := b.URL(key); u != "" {
			return u
		}
	}
	return "/media/" + (&url.URL{Path: key}).EscapedPath()
}
