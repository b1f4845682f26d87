package web_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/web"
)

// A photo that went through media.Intake is served under its content key
// with immutable caching and its hash as ETag (a revalidation is a 304),
// byte ranges work (http.ServeContent), and the answer has the type,
// nosniff and the script-forbidding CSP. A key that is not a content key
// may change: not immutable, and without an ETag.
func TestMediaContentKeysAreImmutable(t *testing.T) {
	blobs, err := media.OpenDir(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	jpg, err := media.PhotoJPEG(media.SceneFor(2), 3, 800, 450)
	if err != nil {
		t.Fatal(err)
	}
	p, err := media.Intake(context.Background(), bytes.NewReader(jpg), media.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if err := media.Save(context.Background(), blobs, p); err != nil {
		t.Fatal(err)
	}
	if err := blobs.Put(context.Background(), "covers/old.jpg", bytes.NewReader(jpg)); err != nil {
		t.Fatal(err)
	}
	site := web.New(web.Config{BaseURL: testBase}, openStore(t), blobs.FS())
	t.Cleanup(func() { site.Close() })
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	f := &fixture{srv: srv}

	for _, key := range []string{p.Key, p.Variants[0].Key, p.OpenGraph.Key} {
		r := f.get(t, "/media/"+key)
		if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" {
			t.Fatalf("GET %s = %d %q", key, r.status, r.header.Get("Content-Type"))
		}
		if cc := r.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
			t.Errorf("GET %s: Cache-Control %q", key, cc)
		}
		if et := r.header.Get("ETag"); et != `"`+key[:64]+`"` {
			t.Errorf("GET %s: ETag %q", key, et)
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" || r.header.Get("Content-Security-Policy") != "default-src 'none'; sandbox" {
			t.Errorf("GET %s: nosniff %q, CSP %q", key, r.header.Get("X-Content-Type-Options"), r.header.Get("Content-Security-Policy"))
		}
	}
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/media/"+p.Key, nil)
	req.Header.Set("If-None-Match", `"`+p.Key[:64]+`"`)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation = %d, want 304", res.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/media/"+p.Key, nil)
	req.Header.Set("Range", "bytes=2-9")
	res, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	part, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusPartialContent || !bytes.Equal(part, p.Data[2:10]) {
		t.Errorf("range = %d with %q, want 206 with bytes 2-9", res.StatusCode, part)
	}
	if r := f.get(t, "/media/covers/old.jpg"); r.header.Get("Cache-Control") != "public, max-age=31536000" || r.header.Get("ETag") != "" {
		t.Errorf("a key that may change: Cache-Control %q, ETag %q", r.header.Get("Cache-Control"), r.header.Get("ETag"))
	}
}
