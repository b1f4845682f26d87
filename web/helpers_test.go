package web_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

const testBase = "https://news.example"

// fixture is a small edition in a real SQLite store behind a real HTTP
// server.
type fixture struct {
	srv   *httptest.Server
	store jarchy.Store
	clock *testClock // the store's and the site's
	site  *web.Server
	// articles by a short name
	a map[string]*jarchy.Article
}

var ctx = context.Background()

func openStore(t testing.TB) jarchy.Store {
	t.Helper()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "jarchy.db"))
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

// testClock is the real time moved by a shift that a test sets.
type testClock struct{ shift atomic.Int64 }

func (c *testClock) now() time.Time { return time.Now().Add(time.Duration(c.shift.Load())) }

// set moves the clock d ahead of the real time.
func (c *testClock) set(d time.Duration) { c.shift.Store(int64(d)) }

// newFixture seeds a store and starts the site with pageSize articles per
// listing page.
func newFixture(t testing.TB, pageSize int) *fixture {
	t.Helper()
	st := openStore(t)
	f := &fixture{store: st, clock: &testClock{}, a: map[string]*jarchy.Article{}}
	st.(*sqlite.DB).Now = f.clock.now

	mediaDir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(mediaDir, "covers"), 0o755); err != nil {
		t.Fatal(err)
	}
	photo, err := media.PhotoJPEG(media.SceneFor(0), 1, 1200, 675)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mediaDir, "covers", "ala-too.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mediaDir, "evil.svg"), []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(t.TempDir(), "secret.txt"), []byte("TOP-SECRET-CONTENT"), 0o644); err != nil {
		t.Fatal(err)
	}

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(st.SaveSettings(ctx, jarchy.Settings{
		SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы", jarchy.Russian: "Жарчы", jarchy.English: "Jarchy"},
		Social: map[string]string{
			"x":        "https://x.com/jarchy_kg",
			"facebook": "https://www.facebook.com/jarchy",
			"telegram": "https://t.me/jarchy_kg",
		},
	}))
	politics := jarchy.Section{Slug: "sayasat", Position: 1, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Саясат", jarchy.Russian: "Политика", jarchy.English: "Politics"}}
	economy := jarchy.Section{Slug: "ekonomika", Position: 2, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика", jarchy.Russian: "Экономика", jarchy.English: "Economy"}}
	must(st.SaveSection(ctx, &politics))
	must(st.SaveSection(ctx, &economy))

	base := time.Date(2026, 11, 20, 6, 0, 0, 0, time.UTC)
	save := func(name string, a *jarchy.Article) *jarchy.Article {
		t.Helper()
		if err := st.SaveArticle(ctx, a); err != nil {
			t.Fatalf("save %s: %v", name, err)
		}
		f.a[name] = a
		return a
	}
	lead := save("lead", &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: "Жогорку Кеңештин жаңы сессиясы ачылды",
		Lead:    "Депутаттар күзгү сессиянын биринчи күнүндө бюджетти талкуулашты.",
		Body:    "Сессия **эртең менен** башталды.\n\n> Бюджет — биринчи маселе, — деди төрага.\n\nТалкуу кечке чейин созулду.",
		Section: politics, Tags: []jarchy.Tag{{Name: "Жогорку Кеңеш"}, {Name: "бюджет"}},
		Authors: []jarchy.Author{{Name: "Айгүл Осмонова"}},
		Cover: &jarchy.Media{Key: "covers/ala-too.jpg", Caption: "Ала-Тоо аянты", Credit: "Жарчы / Бакыт Асанов",
			Alt: "Ала-Тоо аянтындагы имарат", Width: 1200, Height: 675},
		Status: jarchy.StatusPublished, PublishedAt: base.Add(14 * time.Hour), // 02:00 on 21 November in Bishkek
	})
	save("lead_ru", &jarchy.Article{
		Lang: jarchy.Russian, TranslationGroup: lead.TranslationGroup,
		Title: "Открылась новая сессия Жогорку Кенеша", Lead: "Депутаты обсудили бюджет в первый день осенней сессии.",
		Body: "Сессия началась утром.", Section: politics, Tags: []jarchy.Tag{lead.Tags[1]}, // the same tag
		Authors: []jarchy.Author{{Name: "Айгүл Осмонова"}},
		Status:  jarchy.StatusPublished, PublishedAt: base.Add(21 * time.Hour),
	})
	for i := 0; i < 5; i++ {
		save("eco"+string(rune('0'+i)), &jarchy.Article{
			Lang: jarchy.Kyrgyz, Title: "Экономика жаңылыгы " + string(rune('А'+i)),
			Lead: "Кыска маалымат.", Body: "Текст.", Section: economy,
			Tags: []jarchy.Tag{{Name: "бюджет"}}, Authors: []jarchy.Author{{Name: "Нурлан Садыков"}},
			Status: jarchy.StatusPublished, PublishedAt: base.Add(time.Duration(i) * time.Hour),
		})
	}
	save("en", &jarchy.Article{
		Lang: jarchy.English, Title: "Parliament opens its autumn session", Lead: "MPs debated the budget.",
		Body: "The session began in the morning.", Section: politics, Status: jarchy.StatusPublished,
		PublishedAt: base.Add(22 * time.Hour),
	})
	save("draft", &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: "Даяр эмес макала", Body: "Черновик.", Section: politics, Status: jarchy.StatusDraft,
	})
	save("future", &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: "Келечектеги макала", Body: "Эртең чыгат.", Section: politics,
		Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(48 * time.Hour),
	})
	save("hostile", &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: `</script><script>alert("x")</script> & "кавычка"`,
		Lead: `<img src=x onerror=alert(1)>`, Body: "<script>alert(2)</script>\n\n[link](javascript:alert(3))",
		Section: economy, Status: jarchy.StatusPublished, PublishedAt: base.Add(-time.Hour),
	})
	must(st.SavePage(ctx, &jarchy.Page{Lang: jarchy.Kyrgyz, Slug: "about", Title: "Биз жөнүндө", Body: "Жарчы — **көз карандысыз** басылма."}))
	must(st.SavePage(ctx, &jarchy.Page{Lang: jarchy.Russian, Slug: "about", Title: "О нас", Body: "Жарчы — независимое издание."}))

	f.site = web.New(web.Config{
		BaseURL:  testBase,
		PageSize: pageSize,
		Logger:   slog.New(slog.NewTextHandler(io.Discard, nil)),
		Now:      f.clock.now,
		// Tests post many comments from one address; the limits have tests
		// of their own.
		CommentLimits: web.CommentLimits{IPBurst: 1000, ArticleBurst: 1000},
	}, st, os.DirFS(mediaDir))
	f.srv = httptest.NewServer(f.site)
	t.Cleanup(f.srv.Close)
	return f
}

// client does not follow redirects, so tests see 301 and 302.
var client = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

type response struct {
	status int
	header http.Header
	body   string
	doc    *html.Node
}

func (f *fixture) get(t testing.TB, path string) *response {
	t.Helper()
	return f.do(t, http.MethodGet, path)
}

func (f *fixture) do(t testing.TB, method, path string) *response {
	t.Helper()
	req, err := http.NewRequest(method, f.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	r := &response{status: res.StatusCode, header: res.Header, body: string(b)}
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		r.doc, err = html.Parse(strings.NewReader(r.body))
		if err != nil {
			t.Fatalf("parse %s: %v", path, err)
		}
	}
	return r
}

// HTML helpers.

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func findAll(n *html.Node, match func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode && match(n) {
			out = append(out, n)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if all := findAll(n, match); len(all) > 0 {
		return all[0]
	}
	return nil
}

func tagIs(tag string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag }
}

func tagAttr(tag, key, val string) func(*html.Node) bool {
	return func(n *html.Node) bool { return n.Data == tag && attr(n, key) == val }
}

func byID(id string) func(*html.Node) bool {
	return func(n *html.Node) bool { return attr(n, "id") == id }
}

func text(n *html.Node) string {
	if n == nil {
		return ""
	}
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func meta(doc *html.Node, key, name string) string {
	if n := find(doc, tagAttr("meta", key, name)); n != nil {
		return attr(n, "content")
	}
	return ""
}

// head is what every page carries in <head>.
type head struct {
	lang       string
	canonical  string
	alternates map[string]string // hreflang -> href
	feeds      map[string]string // type -> href
	jsonLD     map[string]any
}

func readHead(t testing.TB, doc *html.Node) head {
	t.Helper()
	h := head{alternates: map[string]string{}, feeds: map[string]string{}}
	if n := find(doc, tagIs("html")); n != nil {
		h.lang = attr(n, "lang")
	}
	if n := find(doc, tagAttr("link", "rel", "canonical")); n != nil {
		h.canonical = attr(n, "href")
	}
	for _, n := range findAll(doc, tagAttr("link", "rel", "alternate")) {
		if hl := attr(n, "hreflang"); hl != "" {
			if _, dup := h.alternates[hl]; dup {
				t.Errorf("hreflang %q given twice", hl)
			}
			h.alternates[hl] = attr(n, "href")
		}
		if typ := attr(n, "type"); typ != "" {
			if _, seen := h.feeds[typ]; !seen {
				h.feeds[typ] = attr(n, "href")
			}
		}
	}
	scripts := findAll(doc, tagAttr("script", "type", "application/ld+json"))
	if len(scripts) != 1 {
		t.Fatalf("want 1 JSON-LD script, got %d", len(scripts))
	}
	if err := json.Unmarshal([]byte(text(scripts[0])), &h.jsonLD); err != nil {
		t.Fatalf("JSON-LD does not parse: %v\n%s", err, text(scripts[0]))
	}
	return h
}

// checkHead checks the metadata every indexable page must carry.
func checkHead(t testing.TB, doc *html.Node, lang, canonical string, alternates map[string]string, ldType string) head {
	t.Helper()
	h := readHead(t, doc)
	if h.lang != lang {
		t.Errorf("html lang = %q, want %q", h.lang, lang)
	}
	if h.canonical != canonical {
		t.Errorf("canonical = %q, want %q", h.canonical, canonical)
	}
	if len(h.alternates) != len(alternates) {
		t.Errorf("hreflang alternates = %v, want %v", h.alternates, alternates)
	}
	for hl, want := range alternates {
		if got := h.alternates[hl]; got != want {
			t.Errorf("hreflang %s = %q, want %q", hl, got, want)
		}
	}
	for _, typ := range []string{"application/rss+xml", "application/atom+xml", "application/feed+json"} {
		if h.feeds[typ] == "" {
			t.Errorf("no feed autodiscovery link of type %s", typ)
		}
	}
	if got := meta(doc, "property", "og:url"); got != canonical {
		t.Errorf("og:url = %q, want %q", got, canonical)
	}
	for _, p := range []string{"og:title", "og:type", "og:site_name", "og:locale"} {
		if meta(doc, "property", p) == "" {
			t.Errorf("no %s", p)
		}
	}
	for _, p := range []string{"twitter:card", "twitter:title"} {
		if meta(doc, "name", p) == "" {
			t.Errorf("no %s", p)
		}
	}
	if meta(doc, "name", "description") == "" {
		t.Error("no meta description")
	}
	if got := h.jsonLD["@type"]; got != ldType {
		t.Errorf("JSON-LD @type = %v, want %s", got, ldType)
	}
	if h.jsonLD["@context"] != "https://schema.org" {
		t.Errorf("JSON-LD @context = %v", h.jsonLD["@context"])
	}
	checkLayout(t, doc, lang)
	return h
}

// checkLayout checks the landmarks and links every page has.
func checkLayout(t testing.TB, doc *html.Node, lang string) {
	t.Helper()
	for _, tag := range []string{"header", "nav", "main", "footer", "h1"} {
		if find(doc, tagIs(tag)) == nil {
			t.Errorf("no <%s>", tag)
		}
	}
	if skip := find(doc, tagAttr("a", "href", "#main")); skip == nil || find(doc, byID("main")) == nil {
		t.Error("no skip link to #main")
	}
	if find(doc, tagAttr("a", "href", "#top")) == nil || find(doc, byID("top")) == nil {
		t.Error(`no "back to top" link`)
	}
	if f := find(doc, tagAttr("form", "action", "/"+lang+"/search")); f == nil {
		t.Errorf("no search form pointing to /%s/search", lang)
	}
	if find(doc, func(n *html.Node) bool { return n.Data == "a" && attr(n, "href") == "/"+lang+"/feed/rss.xml" }) == nil {
		t.Error("no RSS link in the footer")
	}
	for _, n := range findAll(doc, tagIs("script")) {
		if attr(n, "type") != "application/ld+json" && !isCommentScript(n) {
			t.Errorf("page has executable script: <script %v>", n.Attr)
		}
	}
}

// commentScriptSRI is the Subresource Integrity of static/comments.js,
// computed here from the file.
func commentScriptSRI(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("static/comments.js")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// isCommentScript reports whether n is the comment form's script: empty,
// from /static/comments.<hash>.js, with its integrity.
func isCommentScript(n *html.Node) bool {
	b, err := os.ReadFile("static/comments.js")
	if err != nil {
		return false
	}
	sum := sha256.Sum256(b)
	return n.Data == "script" && n.FirstChild == nil && strings.HasPrefix(attr(n, "src"), "/static/comments.") &&
		strings.HasSuffix(attr(n, "src"), ".js") && attr(n, "integrity") == "sha256-"+base64.StdEncoding.EncodeToString(sum[:])
}

// switcher returns the language switcher's targets: lang -> href.
func switcher(t testing.TB, doc *html.Node) map[string]string {
	t.Helper()
	nav := find(doc, func(n *html.Node) bool { return n.Data == "nav" && strings.Contains(attr(n, "class"), "langs") })
	if nav == nil {
		t.Fatal("no language switcher")
	}
	out := map[string]string{}
	for _, a := range findAll(nav, tagIs("a")) {
		out[attr(a, "hreflang")] = attr(a, "href")
	}
	return out
}
