package web_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarchy/jarchy/internal/browsertest"

	"golang.org/x/net/html"

	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/web"
)

// TestDemoSiteCrawl seeds the demo edition and follows every link on the
// site from the three home pages: every internal link answers (after at
// most one redirect) 200, and every HTML page carries its language,
// canonical URL and JSON-LD. With JARCHY_VNU set, every page crawled also
// goes through the Nu HTML checker.
func TestDemoSiteCrawl(t *testing.T) {
	st := openStore(t)
	blobs, err := media.OpenDir(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	if err := demo.Seed(ctx, st, blobs); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st, blobs.FS()))
	defer srv.Close()
	f := &fixture{srv: srv, store: st}

	const maxPages = 400
	seen := map[string]bool{}
	queue := []string{"/ky/", "/ru/", "/en/"}
	pagesDir := t.TempDir()
	var htmlFiles []string
	others, pagesSeen := 0, 0
	types := map[string]int{}
	for len(queue) > 0 && len(seen) < maxPages {
		path := queue[0]
		queue = queue[1:]
		if seen[path] {
			continue
		}
		seen[path] = true
		r := f.get(t, path)
		if r.status == http.StatusMovedPermanently || r.status == http.StatusFound {
			loc := r.header.Get("Location")
			r = f.get(t, loc)
		}
		if r.status != http.StatusOK {
			t.Errorf("%s: %d", path, r.status)
			continue
		}
		if strings.HasPrefix(path, "/media/") {
			if !strings.HasPrefix(r.header.Get("Content-Type"), "image/") {
				t.Errorf("%s: content type %q", path, r.header.Get("Content-Type"))
			}
			continue
		}
		if r.doc == nil {
			continue // feeds and other non-HTML links
		}
		lang := strings.SplitN(strings.TrimPrefix(path, "/"), "/", 2)[0]
		h := readHead(t, r.doc)
		if h.lang != lang {
			t.Errorf("%s: lang %q", path, h.lang)
		}
		if !strings.HasPrefix(h.canonical, testBase+"/"+lang+"/") {
			t.Errorf("%s: canonical %q", path, h.canonical)
		}
		if len(h.alternates) == 0 {
			t.Errorf("%s: no hreflang alternates", path)
		}
		types[fmt.Sprint(h.jsonLD["@type"])]++
		if strings.Contains(r.body, "TemplFailedSanitization") {
			t.Errorf("%s: templ rejected a URL", path)
		}
		// The Nu checker reads every article and home, and a few of the
		// other pages (their templates are checked by TestNuHTMLChecker).
		if typ := h.jsonLD["@type"]; typ == "NewsArticle" || typ == "WebSite" || others < 12 {
			if typ != "NewsArticle" && typ != "WebSite" {
				others++
			}
			name := filepath.Join(pagesDir, fmt.Sprintf("p%03d.html", len(htmlFiles)))
			if err := os.WriteFile(name, []byte(r.body), 0o644); err != nil {
				t.Fatal(err)
			}
			htmlFiles = append(htmlFiles, name)
		}
		pagesSeen++
		for _, a := range findAll(r.doc, func(n *html.Node) bool {
			return (n.Data == "a" || n.Data == "img" || n.Data == "link") && (hasAttr(n, "href") || hasAttr(n, "src"))
		}) {
			ref := attr(a, "href")
			if ref == "" {
				ref = attr(a, "src")
			}
			u, err := url.Parse(ref)
			if err != nil {
				t.Errorf("%s: bad link %q", path, ref)
				continue
			}
			if u.IsAbs() {
				if !strings.HasPrefix(ref, testBase+"/") {
					continue // other sites
				}
				u, _ = url.Parse(strings.TrimPrefix(ref, testBase))
			}
			if u.Path == "" || !strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "/static/") {
				continue
			}
			next := u.EscapedPath()
			if u.RawQuery != "" {
				next += "?" + u.RawQuery
			}
			if !seen[next] {
				queue = append(queue, next)
			}
		}
	}
	t.Logf("crawled %d URLs, %d HTML pages; JSON-LD types %v", len(seen), pagesSeen, types)
	for _, typ := range []string{"WebSite", "NewsArticle", "CollectionPage", "WebPage"} {
		if types[typ] == 0 {
			t.Errorf("the crawl met no %s page", typ)
		}
	}

	jar := os.Getenv("JARCHY_VNU")
	if jar == "" {
		return
	}
	if _, err := exec.LookPath("java"); err != nil {
		t.Log("java not found: Nu HTML checker skipped")
		return
	}
	out, _ := exec.Command("java", append([]string{"-jar", jar, "--format", "json", "--exit-zero-always", "--errors-only"}, htmlFiles...)...).CombinedOutput()
	var res struct {
		Messages []struct {
			Type, URL, Message, Extract string
			LastLine                    int
		}
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("vnu output: %v\n%s", err, out)
	}
	for _, m := range res.Messages {
		t.Errorf("Nu %s: %s:%d: %s (%q)", m.Type, filepath.Base(m.URL), m.LastLine, m.Message, m.Extract)
	}
}

// TestDemoSiteAxe runs axe-core on the demo edition's home pages and on
// articles in each language (JARCHY_AXE names axe.min.js).
func TestDemoSiteAxe(t *testing.T) {
	axe := axeSource(t)
	bctx := browsertest.Start(t)
	st := openStore(t)
	blobs, err := media.OpenDir(filepath.Join(t.TempDir(), "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	if err := demo.Seed(ctx, st, blobs); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(web.New(web.Config{BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st, blobs.FS()))
	defer srv.Close()
	f := &fixture{srv: srv, store: st}
	for _, lang := range []string{"ky", "ru", "en"} {
		axeCheck(t, bctx, axe, "home-"+lang, srv.URL+"/"+lang+"/", 375, 1280)
		r := f.get(t, "/"+lang+"/")
		lead := find(r.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "lead-story") })
		a := find(lead, tagIs("a"))
		if a == nil {
			t.Fatalf("%s home has no lead story", lang)
		}
		axeCheck(t, bctx, axe, "article-"+lang, srv.URL+attr(a, "href"), 375, 1280)
	}
}
