package web_test

import (
	"net/http"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t, 20)
	for _, path := range []string{"/ky/", articleURL(f.a["lead"]), "/nowhere"} {
		r := f.get(t, path)
		csp := r.header.Get("Content-Security-Policy")
		// One script may run: the comment form's, by its hash; not 'self',
		// not inline.
		for _, want := range []string{"script-src '" + commentScriptSRI(t) + "';", "frame-ancestors 'none'", "object-src 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("%s: CSP %q lacks %q", path, csp, want)
			}
		}
		if r.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: no nosniff", path)
		}
		if r.header.Get("Referrer-Policy") == "" {
			t.Errorf("%s: no Referrer-Policy", path)
		}
		if r.doc != nil && find(r.doc, func(n *html.Node) bool {
			return hasAttr(n, "style") || strings.HasPrefix(attr(n, "href"), "javascript:")
		}) != nil {
			t.Errorf("%s: inline style or javascript: link (CSP would block it)", path)
		}
		if r.doc != nil && find(r.doc, tagIs("style")) != nil {
			t.Errorf("%s: inline <style>", path)
		}
	}
}

func TestFingerprintedCSS(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, "/ky/")
	link := find(r.doc, tagAttr("link", "rel", "stylesheet"))
	if link == nil {
		t.Fatal("no stylesheet")
	}
	href := attr(link, "href")
	if !strings.HasPrefix(href, "/static/site.") || !strings.HasSuffix(href, ".css") || len(href) < len("/static/site.0123456789ab.css") {
		t.Fatalf("stylesheet %q is not fingerprinted", href)
	}
	css := f.get(t, href)
	if css.status != http.StatusOK || !strings.HasPrefix(css.header.Get("Content-Type"), "text/css") {
		t.Fatalf("css: %d %s", css.status, css.header.Get("Content-Type"))
	}
	if cc := css.header.Get("Cache-Control"); cc != "public, max-age=31536000, immutable" {
		t.Errorf("css Cache-Control = %q", cc)
	}
	if !strings.Contains(css.body, "@media") || !strings.Contains(css.body, ":focus-visible") {
		t.Error("css lacks media queries or focus styles")
	}
	for _, p := range []string{"/static/site.css", "/static/site.000000000000.css", "/static/..%2fserver.go", "/static/"} {
		if r := f.get(t, p); r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", p, r.status)
		}
	}
}

func TestMedia(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, "/media/covers/ala-too.jpg")
	if r.status != http.StatusOK || r.header.Get("Content-Type") != "image/jpeg" {
		t.Fatalf("media: %d %q", r.status, r.header.Get("Content-Type"))
	}
	if cc := r.header.Get("Cache-Control"); !strings.Contains(cc, "max-age=31536000") {
		t.Errorf("media Cache-Control = %q", cc)
	}
	for _, p := range []string{
		"/media/../secret.txt", "/media/%2e%2e/secret.txt", "/media/covers/..%2f..%2fsecret.txt",
		"/media/covers/%2e%2e/%2e%2e/etc/passwd", "/media//etc/passwd", "/media/covers", "/media/covers/",
		"/media/evil.svg", "/media/covers/missing.jpg", "/media/covers%5c..%5c..%5csecret.txt",
	} {
		r := f.get(t, p)
		if r.status == http.StatusOK {
			t.Errorf("%s: 200, want refusal", p)
		}
		if strings.Contains(r.body, "TOP-SECRET-CONTENT") || strings.Contains(r.body, "<script>alert") {
			t.Errorf("%s leaked a file", p)
		}
	}
}
