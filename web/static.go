package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/base64"
	"encoding/hex"
	"io/fs"
	"mime"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
)

//go:embed static
var staticFS embed.FS

// assets are the embedded static files, each served under a name with a
// content hash (site.3f2a9c1b7d0e.css) so it can be cached forever.
type assets struct {
	byName map[string]string // "site.css" -> "/static/site.3f2a….css"
	files  map[string][]byte // "site.3f2a….css" -> content
	types  map[string]string // "site.3f2a….css" -> content type
}

func loadAssets() *assets {
	a := &assets{byName: map[string]string{}, files: map[string][]byte{}, types: map[string]string{}}
	entries, err := fs.ReadDir(staticFS, "static")
	if err != nil {
		panic(err)
	}
	for _, e := range entries {
		if e.IsDir() {
			continue
		}
		b, err := staticFS.ReadFile("static/" + e.Name())
		if err != nil {
			panic(err)
		}
		sum := sha256.Sum256(b)
		ext := path.Ext(e.Name())
		name := strings.TrimSuffix(e.Name(), ext) + "." + hex.EncodeToString(sum[:6]) + ext
		a.byName[e.Name()] = "/static/" + name
		a.files[name] = b
		a.types[name] = contentType(ext)
	}
	return a
}

// path returns the fingerprinted URL path of an embedded asset.
func (a *assets) path(name string) string {
	if p, ok := a.byName[name]; ok {
		return p
	}
	return "/static/" + name
}

// contentType knows the types the site serves, independent of the host's
// mime tables.
func contentType(ext string) string {
	switch strings.ToLower(ext) {
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".svg":
		return "image/svg+xml"
	case ".png":
		return "image/png"
	case ".jpg", ".jpeg":
		return "image/jpeg"
	case ".webp":
		return "image/webp"
	case ".gif":
		return "image/gif"
	case ".avif":
		return "image/avif"
	case ".ico":
		return "image/x-icon"
	}
	if t := mime.TypeByExtension(ext); t != "" {
		return t
	}
	return "application/octet-stream"
}

// commentsScriptIntegrity is the SRI value of static/comments.js
// ("sha256-…"), also its CSP hash source.
var commentsScriptIntegrity = func() string {
	b, err := staticFS.ReadFile("static/comments.js")
	if err != nil {
		panic(err)
	}
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}()

// immutable is the caching of fingerprinted assets.
const immutable = "public, max-age=31536000, immutable"

// staticFile serves /static/{name}: only the fingerprinted names exist.
func staticFile(s *Server, w http.ResponseWriter, r *http.Request, _ jarchy.Lang) error {
	name := r.PathValue("name")
	b, ok := s.assets.files[name]
	if !ok {
		return errNotFound
	}
	h := w.Header()
	h.Set("Content-Type", s.assets.types[name])
	h.Set("Cache-Control", immutable)
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(b))
	return nil
}
