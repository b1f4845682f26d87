package newsroom

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strconv"
)

//go:embed static
var staticFS embed.FS

// assetVersion fingerprints the embedded assets: their URLs change with
// their bytes, so a browser never runs an old script with a new page.
var assetVersion = func() string {
	h := sha256.New()
	_ = fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			b, _ := staticFS.ReadFile(p)
			h.Write([]byte(p))
			h.Write(b)
		}
		return nil
	})
	return hex.EncodeToString(h.Sum(nil))[:12]
}()

// assetURL is the address of an embedded asset.
func assetURL(name string) string { return Prefix + "/static/" + name + "?v=" + assetVersion }

// staticFile serves the newsroom's CSS and JavaScript.
func staticFile(s *Server, w http.ResponseWriter, r *http.Request, q *Request) error {
	name := r.PathValue("name")
	b, err := staticFS.ReadFile(path.Join("static", path.Base(name)))
	if err != nil {
		return errNotFound
	}
	w.Header().Set("Content-Type", mime.TypeByExtension(path.Ext(name)))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	if r.Method != http.MethodHead {
		_, _ = w.Write(b)
	}
	return nil
}
