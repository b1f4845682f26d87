package web

import (
	"errors"
	"io"
	"io/fs"
	"net/http"
	"path"

	"github.com/jarchy/jarchy"
)

// mediaFile serves /media/{path...} from the blob store. Only clean
// relative paths are opened (no "..", no absolute paths, no backslashes),
// and only known image types are served.
func mediaFile(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	p := r.PathValue("path")
	if s.blobs == nil || !jarchy.ValidMediaPath(p) || !fs.ValidPath(p) {
		return errNotFound
	}
	ctype := contentType(path.Ext(p))
	if ctype == "application/octet-stream" || ctype == "image/svg+xml" {
		// SVG can carry script; uploads are served only as raster images.
		return errNotFound
	}
	f, err := s.blobs.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, fs.ErrPermission) {
			return errNotFound
		}
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.IsDir() || !st.Mode().IsRegular() {
		return errNotFound
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("Cache-Control", "public, max-age=31536000")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox")
	if rs, ok := f.(io.ReadSeeker); ok {
		http.ServeContent(w, r, "", st.ModTime(), rs)
		return nil
	}
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, f)
	}
	return nil
}
