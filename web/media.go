package web

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"path"
	"strconv"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
)

// mediaCSP is the policy of a media response: nothing may run or load,
// and a browser that shows the file as a document sandboxes it.
const mediaCSP = "default-src 'none'; sandbox"

// mediaFile serves /media/{path...} from the blob store. Only clean
// relative paths are opened (no "..", no absolute paths, no backslashes),
// only regular files (the store hides symlinks that leave its folder),
// and only the image types the store holds (JPEG, PNG, GIF, WebP, AVIF):
// the extension must name the type and the file's first bytes must be
// that type (media.ImageType). Anything else is a 404.
//
// Files are served with http.ServeContent (ranges, conditional requests);
// serve routes /media/ around the page cache, so media bytes never fill
// it. A key Intake made (media.IsContentKey) is cached for good.
//
// A file served depends on no store topic; a "not found" depends on the
// blob store, which no topic follows, so it goes without Surrogate-Key.
func mediaFile(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) (err error) {
	defer func() {
		if err != nil {
			dependOnUnknown(r.Context())
		}
	}()
	p := r.PathValue("path")
	if s.blobs == nil || !jarchy.ValidMediaPath(p) || !fs.ValidPath(p) {
		return errNotFound
	}
	if _, ok := media.TypeByName(p); !ok {
		return errNotFound
	}
	f, err := s.blobs.Open(p)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) || errors.Is(err, fs.ErrInvalid) || errors.Is(err, fs.ErrPermission) {
			return errNotFound
		}
		return fmt.Errorf("media %q: %w", p, err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return fmt.Errorf("media %q: %w", p, err)
	}
	if !st.Mode().IsRegular() {
		return errNotFound
	}
	head := make([]byte, media.SniffLen)
	n, err := io.ReadFull(f, head)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) {
		return fmt.Errorf("media %q: %w", p, err)
	}
	head = head[:n]
	ctype, ok := media.ImageType(p, head)
	if !ok {
		return errNotFound
	}
	h := w.Header()
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", mediaCSP)
	if name := path.Base(p); media.IsContentKey(name) {
		// A content key names its bytes (their SHA-256): they never
		// change, so caches keep them for good, and the hash is the ETag.
		h.Set("Cache-Control", media.ImmutableCacheControl)
		h.Set("ETag", `"`+name[:64]+`"`)
	} else {
		// Any other key may be written again (an import): cached long,
		// but revalidated by its modification time once stale.
		h.Set("Cache-Control", "public, max-age=31536000")
	}
	if rs, ok := f.(io.ReadSeeker); ok {
		if _, err := rs.Seek(0, io.SeekStart); err != nil {
			return fmt.Errorf("media %q: %w", p, err)
		}
		http.ServeContent(w, r, "", st.ModTime(), rs)
		return nil
	}
	h.Set("Content-Length", strconv.FormatInt(st.Size(), 10))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = io.Copy(w, io.MultiReader(bytes.NewReader(head), f))
	}
	return nil
}
