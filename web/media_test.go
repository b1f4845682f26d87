package web_test

import (
	"bytes"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/web"
)

// syncBuffer is a log sink the server's goroutines may share.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestMediaServesOnlyImages runs the site on a real media folder
// (media.Dir, as jarchy serve does) behind a loopback server: images of
// the five stored types are served with their type, nosniff and a CSP
// that forbids script; every other file, a file whose content is not the
// type its name says, and every symlink out of the folder, dangling or
// looping, is a quiet 404 (nothing logged as an error).
func TestMediaServesOnlyImages(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symlinks and FIFOs need a Unix file system")
	}
	root := t.TempDir()
	dir := filepath.Join(root, "media")
	blobs, err := media.OpenDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	outside := filepath.Join(root, "outside")
	if err := os.MkdirAll(outside, 0o755); err != nil {
		t.Fatal(err)
	}

	jpg, err := media.PhotoJPEG(media.SceneFor(1), 7, 64, 36)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewPaletted(image.Rect(0, 0, 3, 2), color.Palette{color.White, color.Black})
	var pngBuf, gifBuf bytes.Buffer
	if err := png.Encode(&pngBuf, img); err != nil {
		t.Fatal(err)
	}
	if err := gif.Encode(&gifBuf, img, nil); err != nil {
		t.Fatal(err)
	}
	webp := []byte("RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x10\x07\x10\x11\x11\x88\x88\xfe\x07\x00")
	avif := []byte("\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf\x00\x00\x00\x00meta")
	html := []byte("<!DOCTYPE html><title>x</title><script>alert(document.domain)</script>")
	js := []byte("alert(document.cookie)")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(1)</script></svg>`)
	secret := append([]byte("\xFF\xD8\xFF\xE0"), "TOP-SECRET-OUTSIDE"...)

	files := map[string][]byte{
		"covers/photo.jpg": jpg, "covers/UPPER.JPEG": jpg, "p.png": pngBuf.Bytes(), "g.gif": gifBuf.Bytes(),
		"w.webp": webp, "v.avif": avif,
		"evil.html": html, "evil.htm": html, "evil.js": js, "evil.svg": svg, "evil.xml": svg, "notes.txt": []byte("text"),
		"png-renamed.html": pngBuf.Bytes(), "jpeg-renamed.js": jpg, "html-renamed.jpg": html, "js-renamed.png": js,
		"svg-renamed.gif": svg, "png-renamed.jpg": pngBuf.Bytes(), "empty.jpg": nil, "noext": jpg,
	}
	for name, b := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(outside, "secret.jpg"), secret, 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"inside.jpg":      "covers/photo.jpg",
		"covers/up.jpg":   "../covers/photo.jpg",
		"escape.jpg":      "../outside/secret.jpg",
		"absolute.jpg":    filepath.Join(outside, "secret.jpg"),
		"escdir":          "../outside",
		"passwd.jpg":      "/etc/passwd",
		"dangling.jpg":    "nowhere.jpg",
		"loop1.jpg":       "loop2.jpg",
		"loop2.jpg":       "loop1.jpg",
		"html-link.jpg":   "evil.html",
		"covers/self.jpg": ".",
	} {
		if err := os.Symlink(target, filepath.Join(dir, filepath.FromSlash(name))); err != nil {
			t.Fatal(err)
		}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo.jpg"), 0o644); err != nil {
		t.Fatal(err)
	}

	var logs syncBuffer
	site := web.New(web.Config{BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(&logs, nil))}, openStore(t), blobs.FS())
	t.Cleanup(func() { site.Close() })
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	// Should a request ever block opening the FIFO, a writer frees it so
	// that the server can close (cleanups run last registered first).
	t.Cleanup(func() {
		if w, err := os.OpenFile(filepath.Join(dir, "fifo.jpg"), os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
			w.Close()
		}
	})
	f := &fixture{srv: srv}

	served := map[string]struct {
		ctype string
		body  []byte
	}{
		"/media/covers/photo.jpg":  {"image/jpeg", jpg},
		"/media/covers/UPPER.JPEG": {"image/jpeg", jpg},
		"/media/p.png":             {"image/png", pngBuf.Bytes()},
		"/media/g.gif":             {"image/gif", gifBuf.Bytes()},
		"/media/w.webp":            {"image/webp", webp},
		"/media/v.avif":            {"image/avif", avif},
		"/media/inside.jpg":        {"image/jpeg", jpg},
		"/media/covers/up.jpg":     {"image/jpeg", jpg},
	}
	for path, want := range served {
		r := f.get(t, path)
		if r.status != http.StatusOK || r.body != string(want.body) {
			t.Errorf("GET %s = %d with %d bytes, want 200 with %d", path, r.status, len(r.body), len(want.body))
		}
		if got := r.header.Get("Content-Type"); got != want.ctype {
			t.Errorf("GET %s: Content-Type %q, want %q", path, got, want.ctype)
		}
		if got := r.header.Get("X-Content-Type-Options"); got != "nosniff" {
			t.Errorf("GET %s: X-Content-Type-Options %q", path, got)
		}
		if got := r.header.Get("Content-Security-Policy"); got != "default-src 'none'; sandbox" {
			t.Errorf("GET %s: Content-Security-Policy %q", path, got)
		}
		if h := f.do(t, http.MethodHead, path); h.status != http.StatusOK || h.body != "" || h.header.Get("Content-Type") != want.ctype {
			t.Errorf("HEAD %s = %d, %d bytes, %q", path, h.status, len(h.body), h.header.Get("Content-Type"))
		}
	}

	refused := []string{
		"/media/evil.html", "/media/evil.htm", "/media/evil.js", "/media/evil.svg", "/media/evil.xml", "/media/notes.txt",
		"/media/png-renamed.html", "/media/jpeg-renamed.js", "/media/html-renamed.jpg", "/media/js-renamed.png",
		"/media/svg-renamed.gif", "/media/png-renamed.jpg", "/media/empty.jpg", "/media/noext",
		"/media/escape.jpg", "/media/absolute.jpg", "/media/escdir/secret.jpg", "/media/passwd.jpg", "/media/dangling.jpg",
		"/media/loop1.jpg", "/media/html-link.jpg", "/media/covers/self.jpg", "/media/fifo.jpg", "/media/covers",
		"/media/covers/", "/media/covers/photo.jpg/x", "/media/missing.jpg", "/media/%2e%2e/outside/secret.jpg",
	}
	for _, path := range refused {
		r := f.get(t, path)
		if r.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, r.status)
		}
		if strings.Contains(r.body, "TOP-SECRET") || strings.Contains(r.body, "alert(") || strings.Contains(r.body, "root:") {
			t.Errorf("GET %s leaked a file", path)
		}
		if ct := r.header.Get("Content-Type"); strings.HasPrefix(ct, "image/") || strings.Contains(ct, "javascript") {
			t.Errorf("GET %s: Content-Type %q on a refusal", path, ct)
		}
	}
	if l := logs.String(); strings.Contains(l, "level=ERROR") {
		t.Errorf("refusals were logged as errors:\n%s", l)
	}
}
