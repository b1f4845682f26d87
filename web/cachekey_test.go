package web_test

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy/pagecache"
)

// cachedSite is the fixture's site behind the page cache as serve wires
// it (keyed on the routes' declared parameters), on two fronts: plain
// net/http and the fast front. renders counts what reached the site.
type cachedSite struct {
	f           *fixture
	cache       *pagecache.Cache
	plain, fast string
	fs          *pagecache.FastServer
	mu          sync.Mutex
	renders     int
}

func newCachedSite(t *testing.T) *cachedSite {
	t.Helper()
	cs := &cachedSite{f: newFixture(t, 2)}
	cs.cache = pagecache.New(pagecache.Options{QueryParams: cs.f.site.QueryParams})
	h := cs.cache.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cs.mu.Lock()
		cs.renders++
		cs.mu.Unlock()
		cs.f.site.ServeHTTP(w, r)
	}))
	ts := httptest.NewServer(h)
	t.Cleanup(ts.Close)
	cs.plain = ts.Listener.Addr().String()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	cs.fs = pagecache.NewFastServer(cs.cache, &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second})
	served := make(chan error, 1)
	go func() { served <- cs.fs.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		cs.fs.Shutdown(ctx)
		<-served
	})
	cs.fast = ln.Addr().String()
	return cs
}

func (cs *cachedSite) count() int {
	cs.mu.Lock()
	defer cs.mu.Unlock()
	return cs.renders
}

type rawResponse struct {
	status int
	header http.Header
	body   string
}

// rawGet sends "GET target" byte for byte on a new connection.
func rawGet(t *testing.T, addr, target string) rawResponse {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	if _, err := io.WriteString(conn, "GET "+target+" HTTP/1.1\r\nHost: news.example\r\nConnection: close\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("GET %s: %v", target, err)
	}
	return rawResponse{res.StatusCode, res.Header, string(b)}
}

// TestCacheEncodedReservedCharacters: a path with an escaped '?', '/',
// '#' or '%' is its own cache entry, as it is its own route. Asked for
// first, it does not poison the URL it decodes to: /api/v1/articles%3Flang=ky
// (a JSON 404) must not answer /api/v1/articles?lang=ky, nor the 301 of
// /ky/search%3Fq=… the search page.
func TestCacheEncodedReservedCharacters(t *testing.T) {
	cs := newCachedSite(t)
	tag := cs.f.a["lead"].Tags[1].Slug
	cases := []struct {
		poison    string
		poisonRes int
		target    string
		status    int
		contains  string
	}{
		{"/api/v1/articles%3Flang=ky", 404, "/api/v1/articles?lang=ky", 200, `"articles":[{`},
		{"/api/v1/articles%3flang=en", 404, "/api/v1/articles?lang=en", 200, `"lang":"en"`},
		{"/api/v1/search%3Fq=budget", 404, "/api/v1/search?q=budget&lang=en", 200, `"total":1`},
		{"/ky/search%3Fq=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82", 301, "/ky/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82", 200, "«бюджет» боюнча издөө"},
		{"/ky/ekonomika%3Fpage=2/", 404, "/ky/ekonomika/?page=2", 200, `rel="prev"`},
		{"/ky/tag%2F" + tag, 301, "/ky/tag/" + tag, 200, "бюджет"},
		{"/ky/ekonomika%23x/", 404, "/ky/ekonomika/", 200, `rel="next"`},
		{"/ky/%25/", 404, "/ky/", 200, "Жогорку Кеңештин"},
	}
	for _, front := range []string{"net/http", "fast"} {
		addr := cs.plain
		if front == "fast" {
			addr = cs.fast
		}
		cs.cache.Invalidate()
		for _, tc := range cases {
			for i := 0; i < 2; i++ { // the second is answered by the cache
				if r := rawGet(t, addr, tc.poison); r.status != tc.poisonRes {
					t.Errorf("%s: GET %s: %d, want %d", front, tc.poison, r.status, tc.poisonRes)
				}
			}
			for i := 0; i < 2; i++ {
				r := rawGet(t, addr, tc.target)
				if r.status != tc.status || !strings.Contains(r.body, tc.contains) {
					t.Errorf("%s: GET %s after %s: %d, want %d with %q: %.300s", front, tc.target, tc.poison, r.status, tc.status, tc.contains, r.body)
				}
			}
		}
	}
}

// TestCacheUndeclaredParams: a parameter the route does not read changes
// nothing: the answer is the same bytes as without it (as the site gives
// them with no cache), and a hit, not a render, on both fronts. The
// parameters a route reads still change the page, and a repeated or
// malformed one is still a 400.
func TestCacheUndeclaredParams(t *testing.T) {
	cs := newCachedSite(t)
	lead := cs.f.a["lead"]
	pages := []string{
		"/ky/", "/ky/ekonomika/", "/ky/ekonomika/?page=2", articleURL(lead),
		"/ky/tag/" + lead.Tags[1].Slug, "/ky/author/" + lead.Authors[0].Slug, "/ky/page/about",
		"/ky/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82", "/ky/feed/rss.xml", "/ky/feed/section/sayasat/atom.xml",
		"/ky/opensearch.xml", "/sitemap.xml", "/robots.txt", "/api/v1/articles?lang=ky&limit=2",
		"/api/v1/articles/" + strconv.FormatInt(lead.ID, 10), "/api/v1/search?q=budget", "/ky/nothing/here/at/all",
	}
	extras := []string{"anything=1", "utm_source=tg&utm_medium=social&fbclid=IwAR0&gclid=x&yclid=1",
		"x=1&x=2", "%zz=1", "a=%zz", "a;b=c", "ref=x&page_x=1"}
	for _, front := range []string{"net/http", "fast"} {
		addr := cs.plain
		if front == "fast" {
			addr = cs.fast
		}
		for _, page := range pages {
			base := rawGet(t, addr, page)
			if base.status != 200 && base.status != 404 {
				t.Errorf("%s: GET %s: %d", front, page, base.status)
				continue
			}
			uncached := cs.f.get(t, page)
			sep := "?"
			if strings.Contains(page, "?") {
				sep = "&"
			}
			for _, x := range extras {
				target := page + sep + x
				before := cs.count()
				r := rawGet(t, addr, target)
				if r.status != base.status || r.body != base.body {
					t.Errorf("%s: GET %s: %d, %d bytes; without %q: %d, %d bytes", front, target, r.status, len(r.body), x, base.status, len(base.body))
				}
				if n := cs.count() - before; n != 0 {
					t.Errorf("%s: GET %s rendered the page (%d), want a hit on %s", front, target, n, page)
				}
				// Two renders differ only in the comment form's timestamp.
				if direct := cs.f.get(t, target); direct.status != uncached.status || withoutFormTime(direct.body) != withoutFormTime(uncached.body) {
					t.Errorf("site without cache: GET %s: %d, %d bytes; without %q: %d, %d bytes", target, direct.status, len(direct.body), x, uncached.status, len(uncached.body))
				}
			}
		}
	}
	if hits, _ := cs.fs.Stats(); hits == 0 {
		t.Error("the fast front answered no request")
	}

	// Every parameter a route declares reaches its handler: a bad value of
	// each is a 400, on both fronts, and so is a repeated one where the
	// route refuses repeats (the search page takes the first); the search
	// text changes the answer.
	tag, author := "/ky/tag/"+lead.Tags[1].Slug, "/ky/author/"+lead.Authors[0].Slug
	var bad []string
	for _, b := range []struct {
		page    string
		params  []string
		repeats bool
	}{
		{"/ky/ekonomika/", []string{"page=x"}, true},
		{tag, []string{"page=x"}, true},
		{author, []string{"page=x"}, true},
		{"/ky/search?q=x", []string{"section=nope", "from=x", "to=x", "sort=up", "page=x"}, false},
		{"/api/v1/articles?x=1", []string{"lang=xx", "section=nope", "tag=nope", "author=nope", "limit=0", "before=x"}, true},
		{"/api/v1/search?q=x", []string{"lang=xx", "limit=0", "offset=-1", "section=nope", "author=nope", "from=x", "to=x", "sort=up"}, true},
		{"/api/v1/search/suggest?q=x", []string{"lang=xx"}, true},
	} {
		for _, p := range b.params {
			sep := "?"
			if strings.Contains(b.page, "?") {
				sep = "&"
			}
			bad = append(bad, b.page+sep+p+"&utm_source=x")
			if name, _, _ := strings.Cut(p, "="); b.repeats {
				bad = append(bad, b.page+sep+name+"=&"+name+"=")
			}
		}
	}
	bad = append(bad, "/ky/ekonomika/?x=1&page=%zz", "/ky/search?q=x&page=2&page=3", "/api/v1/articles?limit=1;x")
	for _, target := range bad {
		for _, addr := range []string{cs.plain, cs.fast} {
			if r := rawGet(t, addr, target); r.status != 400 {
				t.Errorf("GET %s: %d, want 400", target, r.status)
			}
		}
	}
	for _, d := range [][2]string{
		{"/ky/search?q=%D0%B1%D1%8E%D0%B4%D0%B6%D0%B5%D1%82", "/ky/search?q=%D1%81%D0%B5%D1%81%D1%81%D0%B8%D1%8F"},
		{"/api/v1/search?q=budget", "/api/v1/search?q=session"},
		{"/api/v1/search/suggest?q=%D0%B1%D1%8E", "/api/v1/search/suggest?q=%D1%81%D0%B5"},
	} {
		if a, b := rawGet(t, cs.plain, d[0]), rawGet(t, cs.plain, d[1]); b.status != 200 || a.body == b.body {
			t.Errorf("GET %s: %d, same answer as %s: q was dropped", d[1], b.status, d[0])
		}
	}
}

// TestCacheRedirectsCarryNoUndeclaredParams: redirects keep only what the
// target reads (a section's page number), never tracking parameters, for
// the first visitor and for the next ones the cached redirect answers.
func TestCacheRedirectsCarryNoUndeclaredParams(t *testing.T) {
	cs := newCachedSite(t)
	lead := cs.f.a["lead"]
	cases := []struct{ target, location string }{
		{"/ky?utm_source=VISITOR&fbclid=VISITOR&page=2", "/ky/"},
		{"/ky/ekonomika?page=2&utm_source=VISITOR&gclid=VISITOR", "/ky/ekonomika/?page=2"},
		{"/ky/ekonomika?utm_campaign=VISITOR", "/ky/ekonomika/"},
		{articleURL(lead) + "/?utm_source=VISITOR&page=3", articleURL(lead)},
		{"/ky/ekonomika/" + lead.Slug + "?utm_source=VISITOR&yclid=VISITOR", articleURL(lead)}, // wrong section
		{"/api?utm_source=VISITOR", "/api/"},
	}
	for _, tc := range cases {
		for i, addr := range []string{cs.plain, cs.plain, cs.fast, cs.fast} {
			target := strings.ReplaceAll(tc.target, "VISITOR", "v"+strconv.Itoa(i))
			r := rawGet(t, addr, target)
			if r.status/100 != 3 || r.header.Get("Location") != tc.location {
				t.Errorf("visitor %d: GET %s: %d Location %q, want %q", i, target, r.status, r.header.Get("Location"), tc.location)
			}
		}
	}
	// The site with no cache in front drops them too.
	if r := cs.f.get(t, "/ky/ekonomika?page=2&utm_source=x"); r.header.Get("Location") != "/ky/ekonomika/?page=2" {
		t.Errorf("no cache: Location %q", r.header.Get("Location"))
	}
}

var formTimeRe = regexp.MustCompile(`name="t" value="[0-9]+\.[A-Za-z0-9_-]+"`)

// withoutFormTime blanks the comment form's signed render time, the one
// part of a page that two renders a second apart do not share.
func withoutFormTime(body string) string {
	return formTimeRe.ReplaceAllString(body, `name="t" value=""`)
}
