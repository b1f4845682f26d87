package web

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/feed"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/sqlite"
)

// syndSite is a real SQLite store with a small edition, served by the
// real site on a loopback HTTP server.
type syndSite struct {
	t        *testing.T
	store    *sqlite.DB
	ts       *httptest.Server
	base     string
	articles map[string]*jarchy.Article // fixture name -> saved article
	now      time.Time
	status   map[string]int // URL -> status, cached
}

const syndCover = "\xff\xd8\xff\xe0 not really a jpeg"

const syndHostile = `Хакер <script>alert("x")</script> ]]> & ` + "\x01\x02"

func newSyndSite(t *testing.T) *syndSite {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	media := filepath.Join(dir, "media")
	if err := os.MkdirAll(filepath.Join(media, "covers"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(media, "covers", "k1.jpg"), []byte(syndCover), 0o644); err != nil {
		t.Fatal(err)
	}

	for i, sec := range []jarchy.Section{
		{Slug: "politics", Names: map[jarchy.Lang]string{"ky": "Саясат", "ru": "Политика", "en": "Politics"}},
		{Slug: "economy", Names: map[jarchy.Lang]string{"ky": "Экономика", "ru": "Экономика", "en": "Economy"}},
		{Slug: "culture", Names: map[jarchy.Lang]string{"ky": "Маданият", "ru": "Культура", "en": "Culture"}},
	} {
		sec.Position = i
		if err := store.SaveSection(ctx, &sec); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []jarchy.Page{
		{Lang: "ky", Slug: "about", Title: "Биз жөнүндө", Body: "Жарчы — гезит."},
		{Lang: "ru", Slug: "about", Title: "О нас", Body: "Жарчы — газета."},
		{Lang: "en", Slug: "contacts", Title: "Contacts", Body: "Write to us."},
	} {
		if err := store.SavePage(ctx, &p); err != nil {
			t.Fatal(err)
		}
	}

	now := time.Now().UTC().Truncate(time.Second)
	names := func(ns ...string) (out []jarchy.Author) {
		for _, n := range ns {
			out = append(out, jarchy.Author{Name: n})
		}
		return out
	}
	tags := func(ns ...string) (out []jarchy.Tag) {
		for _, n := range ns {
			out = append(out, jarchy.Tag{Name: n})
		}
		return out
	}
	pub := func(lang jarchy.Lang, sec, title string, at time.Time) *jarchy.Article {
		return &jarchy.Article{Lang: lang, Title: title, Lead: "Лид: " + title, Body: "Текст **" + title + "**.",
			Section: jarchy.Section{Slug: sec}, Status: jarchy.StatusPublished, PublishedAt: at}
	}
	fx := map[string]*jarchy.Article{}
	add := func(name string, a *jarchy.Article) {
		fx[name] = a
	}
	k1 := pub("ky", "politics", "Жогорку Кеңеш шайлоону белгиледи", now.Add(-time.Hour))
	k1.ExternalID, k1.TranslationGroup = "ext-k1", "g1"
	k1.Tags, k1.Authors = tags("шайлоо", "парламент"), names("Айгүл Асанова")
	k1.Cover = &jarchy.Media{Key: "covers/k1.jpg", Caption: "Кеңеш", Credit: "Жарчы", Alt: "Имарат"}
	add("k1", k1)
	r1 := pub("ru", "politics", "Жогорку Кенеш назначил выборы", now.Add(-50*time.Minute))
	r1.TranslationGroup, r1.Tags, r1.Authors = "g1", tags("выборы"), names("Айгүл Асанова")
	add("r1", r1)
	e1 := pub("en", "politics", "Parliament sets the election date", now.Add(-40*time.Minute))
	e1.TranslationGroup, e1.Tags, e1.Authors = "g1", tags("elections"), names("Айгүл Асанова")
	add("e1", e1)
	k2 := pub("ky", "economy", "Сом бекемделди", now.Add(-72*time.Hour))
	k2.Tags, k2.Authors = tags("шайлоо"), names("Бакыт Токтогулов")
	k2.Cover = &jarchy.Media{URL: "https://images.example.org/k2.png", Caption: "Сом", Credit: "AP", Alt: "Акча"}
	add("k2", k2)
	k3 := pub("ky", "economy", "Даяр эмес макала", time.Time{})
	k3.Status, k3.Tags, k3.Authors = jarchy.StatusDraft, tags("шайлоо"), names("Айгүл Асанова")
	add("k3", k3)
	k4 := pub("ky", "politics", "Келечектеги макала", now.Add(24*time.Hour))
	k4.Tags, k4.Authors = tags("шайлоо"), names("Айгүл Асанова")
	add("k4", k4)
	k5 := pub("ky", "politics", syndHostile, now.Add(-2*time.Hour))
	k5.Body = "Башы <script>alert(1)</script> [x](javascript:alert(2)) <img src=x onerror=alert(3)> ]]>"
	k5.Lead = syndHostile
	add("k5", k5)
	// Five English stories published at the same instant: paging must
	// neither lose nor repeat any of them.
	tie := now.Add(-30 * time.Hour)
	for i := range 5 {
		e := pub("en", "economy", fmt.Sprintf("Markets story %d", i), tie)
		e.Tags, e.Authors = tags("markets"), names("Bakyt Toktogulov")
		add(fmt.Sprintf("tie%d", i), e)
	}
	order := []string{"k1", "r1", "e1", "k2", "k3", "k4", "k5", "tie0", "tie1", "tie2", "tie3", "tie4"}
	for _, n := range order {
		if err := store.SaveArticle(ctx, fx[n]); err != nil {
			t.Fatalf("save %s: %v", n, err)
		}
	}

	st := &syndSite{t: t, store: store, articles: fx, now: now, status: map[string]int{}}
	var srv *Server
	st.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	t.Cleanup(st.ts.Close)
	st.base = st.ts.URL
	srv = New(Config{BaseURL: st.base}, store, os.DirFS(media))
	return st
}

var syndClient = &http.Client{
	CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	Timeout:       30 * time.Second,
}

// get fetches a path or absolute URL and returns status, headers and body.
func (st *syndSite) get(u string) (int, http.Header, []byte) {
	st.t.Helper()
	if strings.HasPrefix(u, "/") {
		u = st.base + u
	}
	resp, err := syndClient.Get(u)
	if err != nil {
		st.t.Fatalf("GET %s: %v", u, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		st.t.Fatalf("read %s: %v", u, err)
	}
	return resp.StatusCode, resp.Header, body
}

// wantOK checks that an absolute URL of this site answers 200 directly
// (no redirect). Results are cached.
func (st *syndSite) wantOK(what, u string) {
	st.t.Helper()
	if !strings.HasPrefix(u, st.base+"/") {
		st.t.Errorf("%s: %q is not an absolute URL on %s", what, u, st.base)
		return
	}
	code, ok := st.status[u]
	if !ok {
		code, _, _ = st.get(u)
		st.status[u] = code
	}
	if code != http.StatusOK {
		st.t.Errorf("%s: GET %s = %d, want 200", what, u, code)
	}
}

// syndPublic names the fixtures readers may see: all but k3 (a draft) and
// k4 (published tomorrow). A fixed list, not IsPublic, which is under test.
var syndPublic = []string{"k1", "r1", "e1", "k2", "k5", "tie0", "tie1", "tie2", "tie3", "tie4"}

// public returns the public fixtures matching keep, newest first (by
// PublishedAt, then ID).
func (st *syndSite) public(keep func(a *jarchy.Article) bool) []*jarchy.Article {
	var out []*jarchy.Article
	for _, name := range syndPublic {
		if a := st.articles[name]; keep(a) {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].PublishedAt.Equal(out[j].PublishedAt) {
			return out[i].PublishedAt.After(out[j].PublishedAt)
		}
		return out[i].ID > out[j].ID
	})
	return out
}

func (st *syndSite) url(a *jarchy.Article) string { return st.base + articlePath(a) }

func hasTag(a *jarchy.Article, slug string) bool {
	return slices.ContainsFunc(a.Tags, func(t jarchy.Tag) bool { return t.Slug == slug })
}

func hasAuthor(a *jarchy.Article, slug string) bool {
	return slices.ContainsFunc(a.Authors, func(x jarchy.Author) bool { return x.Slug == slug })
}

func TestFeedsForEveryListing(t *testing.T) {
	st := newSyndSite(t)
	k1 := st.articles["k1"]
	type listing struct {
		path string // after /{lang}/feed
		keep func(*jarchy.Article) bool
	}
	all := func(*jarchy.Article) bool { return true }
	checked := 0
	for _, lang := range jarchy.Langs {
		ls := []listing{{"", all}}
		for _, sec := range []string{"politics", "economy", "culture"} {
			ls = append(ls, listing{"/section/" + sec, func(a *jarchy.Article) bool { return a.Section.Slug == sec }})
		}
		tagSet, authorSet := map[string]bool{}, map[string]bool{}
		for _, a := range st.articles {
			if a.Lang != lang {
				continue
			}
			for _, tg := range a.Tags {
				tagSet[tg.Slug] = true
			}
			for _, au := range a.Authors {
				authorSet[au.Slug] = true
			}
		}
		for slug := range tagSet {
			ls = append(ls, listing{"/tag/" + slug, func(a *jarchy.Article) bool { return hasTag(a, slug) }})
		}
		for slug := range authorSet {
			ls = append(ls, listing{"/author/" + slug, func(a *jarchy.Article) bool { return hasAuthor(a, slug) }})
		}
		for _, l := range ls {
			want := st.public(func(a *jarchy.Article) bool { return a.Lang == lang && l.keep(a) })
			for _, f := range feed.Formats {
				path := "/" + string(lang) + "/feed" + l.path + "/" + f.FileName()
				st.checkFeed(path, f, lang, want)
				checked++
			}
		}
	}
	if checked != 3*(8+6+8) { // per language: site, 3 sections, tags, authors

		t.Errorf("only %d feeds checked", checked)
	}

	// The cover is the enclosure, absolute, and it answers 200.
	_, _, body := st.get("/ky/feed/rss.xml")
	p, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, it := range p.Items {
		if it.Link != st.url(k1) {
			continue
		}
		found = true
		if len(it.Enclosures) != 1 || it.Enclosures[0].URL != st.base+"/media/covers/k1.jpg" ||
			it.Enclosures[0].Type != "image/jpeg" || it.Enclosures[0].Length != fmt.Sprint(len(syndCover)) {
			t.Errorf("k1 enclosure %+v", *it.Enclosures[0])
		} else {
			st.wantOK("enclosure", it.Enclosures[0].URL)
		}
		if len(it.Authors) != 1 || it.Authors[0].Name != "Айгүл Асанова" {
			t.Errorf("k1 authors %+v", it.Authors)
		}
		if !slices.Contains(it.Categories, "шайлоо") || !slices.Contains(it.Categories, "Саясат") {
			t.Errorf("k1 categories %q", it.Categories)
		}
		if !strings.Contains(it.Content, "<strong>") {
			t.Errorf("k1 content is not the rendered body: %q", it.Content)
		}
	}
	if !found {
		t.Error("k1 not in the ky feed")
	}
	// An external cover is the enclosure as is.
	_, _, body = st.get("/ky/feed/section/economy/feed.json")
	if !strings.Contains(string(body), `"image": "https://images.example.org/k2.png"`) {
		t.Errorf("k2's external cover missing from JSON feed:\n%s", body)
	}
}

// checkFeed fetches one feed and checks it against the expected articles.
func (st *syndSite) checkFeed(path string, f feed.Format, lang jarchy.Lang, want []*jarchy.Article) {
	t := st.t
	t.Helper()
	code, h, body := st.get(path)
	if code != http.StatusOK {
		t.Errorf("GET %s = %d", path, code)
		return
	}
	if ct := h.Get("Content-Type"); ct != f.ContentType() {
		t.Errorf("%s: Content-Type %q, want %q", path, ct, f.ContentType())
	}
	if strings.Contains(strings.ToLower(string(body)), "<script") {
		t.Errorf("%s: live <script in feed", path)
	}
	p, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Errorf("%s: gofeed: %v", path, err)
		return
	}
	if p.Language != string(lang) {
		t.Errorf("%s: language %q", path, p.Language)
	}
	if p.FeedLink != st.base+path {
		t.Errorf("%s: self link %q", path, p.FeedLink)
	}
	st.wantOK(path+" link", p.Link)
	var got, wantURLs []string
	for _, it := range p.Items {
		got = append(got, it.Link)
		st.wantOK(path+" item", it.Link)
		if it.PublishedParsed == nil || it.GUID == "" || it.Title == "" {
			t.Errorf("%s: item %q misses date, id or title", path, it.Link)
		}
	}
	for _, a := range want {
		wantURLs = append(wantURLs, st.url(a))
	}
	// Ties (same publication time) may come in either order in XML.
	if fmt.Sprint(sorted(got)) != fmt.Sprint(sorted(wantURLs)) {
		t.Errorf("%s: items\n got %q\nwant %q", path, got, wantURLs)
	}
	for i, it := range p.Items {
		if i < len(want) && it.PublishedParsed != nil && !it.PublishedParsed.Equal(want[i].PublishedAt) {
			t.Errorf("%s: item %d published %v, want %v", path, i, it.PublishedParsed, want[i].PublishedAt)
		}
	}
}

func sorted(s []string) []string {
	c := slices.Clone(s)
	slices.Sort(c)
	return c
}

// TestFeedAutodiscovery follows the <link rel="alternate"> feed tags of
// every page type to feeds that answer 200, parse, and match the page.
func TestFeedAutodiscovery(t *testing.T) {
	st := newSyndSite(t)
	k1, r1 := st.articles["k1"], st.articles["r1"]
	pages := map[string]jarchy.Lang{
		"/ky/": "ky", "/ru/": "ru", "/en/": "en", "/ky/politics/": "ky", "/ru/economy/": "ru",
		"/ky/tag/" + k1.Tags[0].Slug: "ky", "/ky/author/" + k1.Authors[0].Slug: "ky", "/ru/author/" + r1.Authors[0].Slug: "ru",
		articlePath(k1): "ky", articlePath(r1): "ru", "/ky/page/about": "ky",
	}
	for page, lang := range pages {
		code, _, body := st.get(page)
		if code != 200 {
			t.Errorf("GET %s = %d", page, code)
			continue
		}
		doc, err := html.Parse(strings.NewReader(string(body)))
		if err != nil {
			t.Fatal(err)
		}
		found := map[string]int{}
		var walk func(n *html.Node)
		walk = func(n *html.Node) {
			if n.Type == html.ElementNode && n.Data == "link" {
				a := map[string]string{}
				for _, at := range n.Attr {
					a[at.Key] = at.Val
				}
				if a["rel"] == "alternate" && a["type"] != "" {
					found[a["type"]]++
					u := a["href"]
					if strings.HasPrefix(u, "/") {
						u = st.base + u
					}
					code, h, fb := st.get(u)
					if code != 200 || h.Get("Content-Type") != a["type"]+"; charset=utf-8" {
						t.Errorf("%s: feed %s: %d %q", page, u, code, h.Get("Content-Type"))
						return
					}
					p, err := gofeed.NewParser().ParseString(string(fb))
					if err != nil || p.Language != string(lang) {
						t.Errorf("%s: feed %s: %v, language %q", page, u, err, p.Language)
					}
				}
			}
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
		}
		walk(doc)
		for _, f := range feed.Formats {
			if found[f.MediaType()] == 0 {
				t.Errorf("%s: no %s autodiscovery link", page, f.MediaType())
			}
		}
	}
}

func TestFeedHostileArticle(t *testing.T) {
	st := newSyndSite(t)
	k5 := st.articles["k5"]
	for _, f := range feed.Formats {
		_, _, body := st.get("/ky/feed/" + f.FileName())
		p, err := gofeed.NewParser().ParseString(string(body))
		if err != nil {
			t.Fatalf("%v: %v", f, err)
		}
		var it *gofeed.Item
		for _, x := range p.Items {
			if x.Link == st.url(k5) {
				it = x
			}
		}
		if it == nil {
			t.Fatalf("%v: hostile article missing", f)
		}
		// The title and lead come back as text; RSS readers take both as
		// HTML, so there they are the same text HTML-escaped.
		// The title is stored without its control characters and the space
		// before them (jarchy.CleanLine); in the lead the writer drops
		// them, and the XML parsers the space before them.
		want := map[feed.Format]string{
			feed.RSS:  `Хакер &lt;script&gt;alert("x")&lt;/script&gt; ]]&gt; &amp;`,
			feed.Atom: `Хакер <script>alert("x")</script> ]]> &`,
			feed.JSON: `Хакер <script>alert("x")</script> ]]> &`,
		}[f]
		wantLead := want
		if f == feed.JSON {
			wantLead += " "
		}
		if it.Title != want || it.Description != wantLead {
			t.Errorf("%v: title %q, description %q, want %q and %q", f, it.Title, it.Description, want, wantLead)
		}
		low := strings.ToLower(it.Content)
		for _, bad := range []string{"<script", "javascript:", "onerror"} {
			if strings.Contains(low, bad) {
				t.Errorf("%v: body HTML keeps %q: %s", f, bad, it.Content)
			}
		}
	}
}

func TestFeedNotFound(t *testing.T) {
	st := newSyndSite(t)
	for _, p := range []string{
		"/ky/feed/rss.json", "/ky/feed/index.xml", "/xx/feed/rss.xml",
		"/ky/feed/section/nope/rss.xml", "/ky/feed/tag/nope/atom.xml", "/ky/feed/author/nope/feed.json",
		"/ky/feed/bogus/politics/rss.xml", "/ky/feed/section/politics/rss.json",
	} {
		if code, _, _ := st.get(p); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}

type syndURLSet struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
		News []struct {
			Name    string `xml:"publication>name"`
			Lang    string `xml:"publication>language"`
			PubDate string `xml:"publication_date"`
			Title   string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

func (st *syndSite) xml(path string, v any) {
	st.t.Helper()
	code, h, body := st.get(path)
	if code != http.StatusOK {
		st.t.Fatalf("GET %s = %d", path, code)
	}
	if ct := h.Get("Content-Type"); ct != "application/xml; charset=utf-8" {
		st.t.Errorf("%s: Content-Type %q", path, ct)
	}
	if err := xml.Unmarshal(body, v); err != nil {
		st.t.Fatalf("%s: %v\n%s", path, err, body)
	}
}

func TestSitemapEveryURLAnswers200(t *testing.T) {
	old := sitemapChunk
	sitemapChunk = 2 // several chunks per language, pages cut inside the tie
	t.Cleanup(func() { sitemapChunk = old })
	st := newSyndSite(t)

	var idx struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
	}
	st.xml("/sitemap.xml", &idx)
	if idx.XMLName.Local != "sitemapindex" || idx.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
		t.Fatalf("index root %v", idx.XMLName)
	}
	var children []string
	for _, sm := range idx.Sitemaps {
		children = append(children, strings.TrimPrefix(sm.Loc, st.base))
	}
	// ky: k1 k2 k5 (3 -> 2 chunks); ru: r1 (1); en: e1 + 5 ties (6 -> 3).
	wantChildren := []string{"/sitemaps/pages.xml", "/sitemaps/ky-1.xml", "/sitemaps/ky-2.xml",
		"/sitemaps/ru-1.xml", "/sitemaps/en-1.xml", "/sitemaps/en-2.xml", "/sitemaps/en-3.xml"}
	if fmt.Sprint(children) != fmt.Sprint(wantChildren) {
		t.Fatalf("children %q, want %q", children, wantChildren)
	}

	seen := map[string]int{}
	alternates := map[string][]string{}
	for _, c := range children {
		var us syndURLSet
		st.xml(c, &us)
		if us.XMLName.Local != "urlset" || us.XMLName.Space != "http://www.sitemaps.org/schemas/sitemap/0.9" {
			t.Errorf("%s: root %v", c, us.XMLName)
		}
		for _, u := range us.URLs {
			seen[u.Loc]++
			st.wantOK(c, u.Loc)
			for _, l := range u.Links {
				if l.Rel != "alternate" {
					t.Errorf("%s: link rel %q", u.Loc, l.Rel)
				}
				alternates[u.Loc] = append(alternates[u.Loc], l.Hreflang+" "+strings.TrimPrefix(l.Href, st.base))
				st.wantOK(u.Loc+" alternate", l.Href)
			}
			if strings.Contains(c, "-") && u.LastMod == "" {
				t.Errorf("%s: article %s has no lastmod", c, u.Loc)
			}
		}
	}
	for loc, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", loc, n)
		}
	}
	// Exactly the public articles, plus homes, sections and static pages.
	var wantLocs []string
	for _, a := range st.public(func(*jarchy.Article) bool { return true }) {
		wantLocs = append(wantLocs, st.url(a))
	}
	for _, l := range jarchy.Langs {
		wantLocs = append(wantLocs, st.base+"/"+string(l)+"/")
		for _, sec := range []string{"politics", "economy", "culture"} {
			wantLocs = append(wantLocs, st.base+"/"+string(l)+"/"+sec+"/")
		}
	}
	wantLocs = append(wantLocs, st.base+"/ky/page/about", st.base+"/ru/page/about", st.base+"/en/page/contacts")
	var gotLocs []string
	for loc := range seen {
		gotLocs = append(gotLocs, loc)
	}
	if fmt.Sprint(sorted(gotLocs)) != fmt.Sprint(sorted(wantLocs)) {
		t.Errorf("sitemap URLs\n got %q\nwant %q", sorted(gotLocs), sorted(wantLocs))
	}
	// Translations are alternates of each other, with x-default.
	k1, r1, e1 := st.articles["k1"], st.articles["r1"], st.articles["e1"]
	want := []string{"ky " + articlePath(k1), "ru " + articlePath(r1), "en " + articlePath(e1), "x-default " + articlePath(k1)}
	for _, a := range []*jarchy.Article{k1, r1, e1} {
		if fmt.Sprint(alternates[st.url(a)]) != fmt.Sprint(want) {
			t.Errorf("alternates of %s: %q, want %q", a.Slug, alternates[st.url(a)], want)
		}
	}
	if alts := alternates[st.url(st.articles["k2"])]; len(alts) != 0 {
		t.Errorf("untranslated article has alternates %q", alts)
	}
	if alts := alternates[st.base+"/ru/politics/"]; len(alts) != 4 {
		t.Errorf("section alternates %q", alts)
	}
	if alts := alternates[st.base+"/ky/page/about"]; fmt.Sprint(alts) != "[ky /ky/page/about ru /ru/page/about x-default /ky/page/about]" {
		t.Errorf("static page alternates %q", alts)
	}

	for _, p := range []string{"/sitemaps/ky-3.xml", "/sitemaps/ky-0.xml", "/sitemaps/ky-01.xml", "/sitemaps/xx-1.xml",
		"/sitemaps/ky.xml", "/sitemaps/ky-1.txt", "/sitemaps/ky-1-2.xml", "/sitemaps/ky--1.xml"} {
		if code, _, _ := st.get(p); code != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", p, code)
		}
	}
}

func TestNewsSitemapLast48Hours(t *testing.T) {
	st := newSyndSite(t)
	var us syndURLSet
	st.xml("/news-sitemap.xml", &us)
	got := map[string]bool{}
	for _, u := range us.URLs {
		got[u.Loc] = true
		st.wantOK("news", u.Loc)
		if len(u.News) != 1 {
			t.Errorf("%s: %d news elements", u.Loc, len(u.News))
			continue
		}
		n := u.News[0]
		pt, err := time.Parse(time.RFC3339, n.PubDate)
		if err != nil || st.now.Sub(pt) > 48*time.Hour || pt.After(time.Now()) {
			t.Errorf("%s: publication_date %q (%v) outside the last 48 hours", u.Loc, n.PubDate, err)
		}
		if n.Name == "" || n.Title == "" || !jarchy.Lang(n.Lang).Valid() {
			t.Errorf("%s: news %+v", u.Loc, n)
		}
	}
	// k1, r1, e1 (hours old), k5 (2 h) and the 30-hour-old ties are in;
	// k2 (72 h), the draft and the future article are not.
	want := st.public(func(a *jarchy.Article) bool { return st.now.Sub(a.PublishedAt) <= 48*time.Hour })
	if len(want) != 9 {
		t.Fatalf("fixture: %d recent articles", len(want))
	}
	for _, a := range want {
		if !got[st.url(a)] {
			t.Errorf("recent article %s missing", a.Slug)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d news URLs, want %d", len(got), len(want))
	}
	for _, name := range []string{"k2", "k3", "k4"} {
		if got[st.url(st.articles[name])] {
			t.Errorf("%s must not be in the news sitemap", name)
		}
	}
	for _, u := range us.URLs {
		if u.Loc == st.url(st.articles["r1"]) && (u.News[0].Lang != "ru" || u.News[0].Title != "Жогорку Кенеш назначил выборы") {
			t.Errorf("r1 news %+v", u.News[0])
		}
	}
}

func TestRobotsTxt(t *testing.T) {
	st := newSyndSite(t)
	code, h, body := st.get("/robots.txt")
	if code != 200 || h.Get("Content-Type") != "text/plain; charset=utf-8" {
		t.Fatalf("robots.txt: %d %q", code, h.Get("Content-Type"))
	}
	var sitemaps []string
	for _, line := range strings.Split(string(body), "\n") {
		if v, ok := strings.CutPrefix(line, "Sitemap: "); ok {
			sitemaps = append(sitemaps, v)
			st.wantOK("robots.txt", v)
		}
	}
	if fmt.Sprint(sitemaps) != fmt.Sprint([]string{st.base + "/sitemap.xml", st.base + "/news-sitemap.xml"}) {
		t.Errorf("sitemaps %q", sitemaps)
	}
	if !strings.HasPrefix(string(body), "User-agent: *\n") || !strings.Contains(string(body), "Disallow: /ru/search\n") {
		t.Errorf("robots.txt:\n%s", body)
	}
}

// API

type syndAPIList struct {
	Articles []apiArticle `json:"articles"`
	Next     *string      `json:"next"`
}

func (st *syndSite) apiGet(path string, want int, v any) {
	st.t.Helper()
	code, h, body := st.get(path)
	if code != want {
		st.t.Errorf("GET %s = %d, want %d: %s", path, code, want, body)
		return
	}
	if ct := h.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		st.t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	if code != 200 {
		var e map[string]string
		if err := json.Unmarshal(body, &e); err != nil || e["error"] == "" || len(e) != 1 {
			st.t.Errorf("GET %s: error body %s", path, body)
		}
		return
	}
	if err := json.Unmarshal(body, v); err != nil {
		st.t.Errorf("GET %s: %v", path, err)
	}
}

func apiURLs(l syndAPIList) []string {
	var out []string
	for _, a := range l.Articles {
		out = append(out, a.URL)
	}
	return out
}

func (st *syndSite) urls(as []*jarchy.Article) []string {
	var out []string
	for _, a := range as {
		out = append(out, st.url(a))
	}
	return out
}

func TestAPIListFilters(t *testing.T) {
	st := newSyndSite(t)
	tagShailoo := st.articles["k1"].Tags[0].Slug
	authorAigul := st.articles["k1"].Authors[0].Slug
	for _, c := range []struct {
		query string
		keep  func(*jarchy.Article) bool
	}{
		{"", func(*jarchy.Article) bool { return true }},
		{"?lang=&section=&tag=&limit=&before=", func(*jarchy.Article) bool { return true }},
		{"?lang=ky", func(a *jarchy.Article) bool { return a.Lang == "ky" }},
		{"?lang=en&section=economy", func(a *jarchy.Article) bool { return a.Lang == "en" && a.Section.Slug == "economy" }},
		{"?section=politics", func(a *jarchy.Article) bool { return a.Section.Slug == "politics" }},
		{"?tag=" + tagShailoo, func(a *jarchy.Article) bool { return hasTag(a, tagShailoo) }},
		{"?author=" + authorAigul + "&lang=ru", func(a *jarchy.Article) bool { return a.Lang == "ru" && hasAuthor(a, authorAigul) }},
		{"?before=" + url.QueryEscape(st.now.Add(-90*time.Minute).Format(time.RFC3339)), func(a *jarchy.Article) bool {
			return a.PublishedAt.Before(st.now.Add(-90 * time.Minute))
		}},
		{"?section=culture", func(*jarchy.Article) bool { return false }},
	} {
		var l syndAPIList
		st.apiGet("/api/v1/articles"+c.query, 200, &l)
		want := st.urls(st.public(c.keep))
		if fmt.Sprint(sorted(apiURLs(l))) != fmt.Sprint(sorted(want)) {
			t.Errorf("%q:\n got %q\nwant %q", c.query, apiURLs(l), want)
		}
		if l.Next != nil {
			t.Errorf("%q: next %q on the only page", c.query, *l.Next)
		}
		if l.Articles == nil {
			t.Errorf("%q: articles is null, want []", c.query)
		}
	}
}

func TestAPIPagingWithCursor(t *testing.T) {
	st := newSyndSite(t)
	want := st.urls(st.public(func(*jarchy.Article) bool { return true }))
	for _, limit := range []int{1, 2, 3, 4, 100} {
		var got []string
		path := fmt.Sprintf("/api/v1/articles?limit=%d", limit)
		for pages := 0; ; pages++ {
			if pages > 20 {
				t.Fatalf("limit %d: paging does not end", limit)
			}
			var l syndAPIList
			st.apiGet(path, 200, &l)
			// A page grows past limit only to finish a run of articles
			// published in the same microsecond (the fixture has 5).
			if len(l.Articles) > max(limit, 5) || (len(l.Articles) == 0 && l.Next != nil) {
				t.Fatalf("%s: %d articles, next %v", path, len(l.Articles), l.Next)
			}
			got = append(got, apiURLs(l)...)
			if l.Next == nil {
				break
			}
			if _, err := time.Parse(time.RFC3339, *l.Next); err != nil {
				t.Fatalf("next %q is not RFC 3339: %v", *l.Next, err)
			}
			path = fmt.Sprintf("/api/v1/articles?limit=%d&before=%s", limit, url.QueryEscape(*l.Next))
		}
		// Every public article exactly once, newest first (ties by ID).
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("limit %d walk:\n got %q\nwant %q", limit, got, want)
		}
	}
	var l syndAPIList
	st.apiGet("/api/v1/articles?limit=2", 200, &l)
	if len(l.Articles) != 2 || l.Next == nil {
		t.Fatalf("first page of 2: %d, next %v", len(l.Articles), l.Next)
	}
}

func TestAPIBadParameters(t *testing.T) {
	st := newSyndSite(t)
	for _, q := range []string{
		"lang=xx", "lang=KY", "lang=ky&lang=ru", "limit=0", "limit=101", "limit=-1", "limit=abc", "limit=1.5",
		"limit=99999999999999999999", "before=yesterday", "before=2026-13-01T00:00:00Z", "before=2026-11-27",
		"before=0001-01-01T00:00:00Z", "section=nope", "section=%27%20OR%201%3D1", "tag=nope", "author=nope",
		"lang=%zz", "limit=2;x", "section=" + strings.Repeat("x", 5000), "tag=%00",
	} {
		st.apiGet("/api/v1/articles?"+q, 400, nil)
	}
	// Parameters the endpoint does not read are ignored, however they look.
	_, _, want := st.get("/api/v1/articles?limit=2")
	for _, q := range []string{"a=%zz", "%zz=1", "foo=1&foo=2", "utm_source=tg&fbclid=x", "limit;x=1", "x=1;y=2"} {
		if code, _, body := st.get("/api/v1/articles?limit=2&" + q); code != 200 || string(body) != string(want) {
			t.Errorf("GET /api/v1/articles?limit=2&%s = %d, want 200 and the answer without %s: %.200s", q, code, q, body)
		}
	}
	for _, id := range []string{"abc", "0", "-1", "01", "1.0", "99999999999999999999", "%00"} {
		st.apiGet("/api/v1/articles/"+id, 400, nil)
	}
	for _, name := range []string{"k3", "k4"} { // draft, scheduled for tomorrow
		st.apiGet(fmt.Sprintf("/api/v1/articles/%d", st.articles[name].ID), 404, nil)
	}
	st.apiGet("/api/v1/articles/999999", 404, nil)
	st.apiGet("/api/v1/nothing", 404, nil)
}

func TestAPIArticle(t *testing.T) {
	st := newSyndSite(t)
	k1 := st.articles["k1"]
	code, _, body := st.get(fmt.Sprintf("/api/v1/articles/%d", k1.ID))
	if code != 200 {
		t.Fatalf("GET article: %d %s", code, body)
	}
	var raw map[string]any
	if err := json.Unmarshal(body, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"id", "external_id", "lang", "url", "title", "slug", "lead", "body_html", "section",
		"tags", "authors", "cover", "published_at", "updated_at", "translations"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("field %q missing", k)
		}
	}
	var a apiArticle
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatal(err)
	}
	if a.ID != k1.ID || a.ExternalID != "ext-k1" || a.Lang != "ky" || a.URL != st.url(k1) || a.Title != k1.Title || a.Slug != k1.Slug || a.Lead != k1.Lead {
		t.Errorf("article %+v", a)
	}
	st.wantOK("api url", a.URL)
	if !strings.Contains(a.BodyHTML, "<strong>") {
		t.Errorf("body_html %q", a.BodyHTML)
	}
	if a.Section != (apiRef{"politics", "Саясат"}) {
		t.Errorf("section %+v", a.Section)
	}
	if len(a.Tags) != 2 || a.Tags[0].Name != "шайлоо" || a.Tags[0].Slug == "" || len(a.Authors) != 1 || a.Authors[0].Name != "Айгүл Асанова" {
		t.Errorf("tags %+v authors %+v", a.Tags, a.Authors)
	}
	if a.Cover == nil || a.Cover.URL != st.base+"/media/covers/k1.jpg" || a.Cover.Caption != "Кеңеш" || a.Cover.Credit != "Жарчы" || a.Cover.Alt != "Имарат" {
		t.Errorf("cover %+v", a.Cover)
	} else {
		st.wantOK("cover", a.Cover.URL)
	}
	pt, err := time.Parse(time.RFC3339, a.PublishedAt)
	if err != nil || !pt.Equal(k1.PublishedAt) {
		t.Errorf("published_at %q", a.PublishedAt)
	}
	if _, err := time.Parse(time.RFC3339, a.UpdatedAt); err != nil {
		t.Errorf("updated_at %q", a.UpdatedAt)
	}
	wantTr := []apiTranslation{{"ru", st.url(st.articles["r1"])}, {"en", st.url(st.articles["e1"])}}
	if fmt.Sprint(a.Translations) != fmt.Sprint(wantTr) {
		t.Errorf("translations %+v, want %+v", a.Translations, wantTr)
	}
	for _, tr := range a.Translations {
		st.wantOK("translation", tr.URL)
	}

	// An article without cover or translations: null and [].
	code, _, body = st.get(fmt.Sprintf("/api/v1/articles/%d", st.articles["tie0"].ID))
	if code != 200 || !strings.Contains(string(body), `"cover":null`) || !strings.Contains(string(body), `"translations":[]`) {
		t.Errorf("tie0: %d %s", code, body)
	}
	// Hostile text stays data.
	code, _, body = st.get(fmt.Sprintf("/api/v1/articles/%d", st.articles["k5"].ID))
	if code != 200 || strings.Contains(strings.ToLower(string(body)), "<script") {
		t.Errorf("k5: %d %s", code, body)
	}
	var k5 apiArticle
	if err := json.Unmarshal(body, &k5); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(k5.BodyHTML, "<script") || strings.Contains(k5.BodyHTML, "javascript:") || strings.Contains(k5.BodyHTML, "onerror") {
		t.Errorf("k5 body_html not sanitised: %q", k5.BodyHTML)
	}
}

func TestCursorPage(t *testing.T) {
	at := func(ts ...time.Time) []*jarchy.Article {
		var as []*jarchy.Article
		for i, x := range ts {
			as = append(as, &jarchy.Article{ID: int64(100 - i), PublishedAt: x})
		}
		return as
	}
	t0 := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	s := time.Second
	// No more articles: no cursor.
	if p, next, tied := cursorPage(at(t0, t0.Add(-s)), 2); len(p) != 2 || !next.IsZero() || tied {
		t.Errorf("last page: %d %v %v", len(p), next, tied)
	}
	// Clean boundary: the cursor is the last article's time.
	if p, next, tied := cursorPage(at(t0, t0.Add(-s), t0.Add(-2*s)), 2); len(p) != 2 || !next.Equal(t0.Add(-s)) || tied {
		t.Errorf("clean boundary: %d %v %v", len(p), next, tied)
	}
	// A tie across the boundary moves the tied article to the next page.
	if p, next, tied := cursorPage(at(t0, t0.Add(-s), t0.Add(-s)), 2); len(p) != 1 || !next.Equal(t0.Add(-s+time.Microsecond)) || tied {
		t.Errorf("tie: %d %v %v", len(p), next, tied)
	}
	// A page of one instant cannot be cut: the caller must add the rest.
	if p, next, tied := cursorPage(at(t0, t0, t0), 2); len(p) != 2 || !next.Equal(t0) || !tied {
		t.Errorf("all tied: %d %v %v", len(p), next, tied)
	}
}

// TestDemoEditionSyndication runs the syndication endpoints over the real
// demo edition: every sitemap URL and every feed link and enclosure
// answers 200, and the API walks every public article once.
func TestDemoEditionSyndication(t *testing.T) {
	if testing.Short() {
		t.Skip("demo photos take a few seconds")
	}
	ctx := context.Background()
	dir := t.TempDir()
	store, err := sqlite.Open(ctx, filepath.Join(dir, "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	blobs, err := media.OpenDir(filepath.Join(dir, "media"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	if err := demo.Seed(ctx, store, blobs); err != nil {
		t.Fatal(err)
	}
	st := &syndSite{t: t, store: store, status: map[string]int{}}
	var srv *Server
	st.ts = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { srv.ServeHTTP(w, r) }))
	t.Cleanup(st.ts.Close)
	st.base = st.ts.URL
	srv = New(Config{BaseURL: st.base}, store, blobs.FS())

	var idx struct {
		Sitemaps []struct {
			Loc string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
	}
	st.xml("/sitemap.xml", &idx)
	articles := 0
	for _, sm := range idx.Sitemaps {
		var us syndURLSet
		st.xml(strings.TrimPrefix(sm.Loc, st.base), &us)
		for _, u := range us.URLs {
			st.wantOK(sm.Loc, u.Loc)
			for _, l := range u.Links {
				st.wantOK(u.Loc+" alternate", l.Href)
			}
			if !strings.HasSuffix(sm.Loc, "/pages.xml") {
				articles++
			}
		}
	}
	var public int
	for _, l := range jarchy.Langs {
		list, err := store.Articles(ctx, jarchy.ArticleFilter{Lang: l, PublicOnly: true, Limit: 1})
		if err != nil {
			t.Fatal(err)
		}
		public += list.Total
	}
	if articles != public || public < 12 {
		t.Errorf("sitemaps list %d articles; the demo has %d public ones", articles, public)
	}

	var us syndURLSet
	st.xml("/news-sitemap.xml", &us)
	for _, u := range us.URLs {
		st.wantOK("news", u.Loc)
	}

	enclosures := 0
	for _, l := range jarchy.Langs {
		for _, f := range feed.Formats {
			_, _, body := st.get("/" + string(l) + "/feed/" + f.FileName())
			p, err := gofeed.NewParser().ParseString(string(body))
			if err != nil {
				t.Fatalf("%s %v: %v", l, f, err)
			}
			if p.Language != string(l) || len(p.Items) == 0 {
				t.Errorf("%s %v: language %q, %d items", l, f, p.Language, len(p.Items))
			}
			for _, it := range p.Items {
				st.wantOK("feed item", it.Link)
				for _, e := range it.Enclosures {
					if strings.HasPrefix(e.URL, st.base) {
						st.wantOK("enclosure", e.URL)
						enclosures++
					}
				}
			}
		}
	}
	if enclosures == 0 {
		t.Error("no demo cover became an enclosure")
	}

	seen := map[int64]bool{}
	path := "/api/v1/articles?limit=7"
	for range 100 {
		var l syndAPIList
		st.apiGet(path, 200, &l)
		for _, a := range l.Articles {
			if seen[a.ID] {
				t.Errorf("API returned article %d twice", a.ID)
			}
			seen[a.ID] = true
		}
		if l.Next == nil {
			break
		}
		path = "/api/v1/articles?limit=7&before=" + url.QueryEscape(*l.Next)
	}
	if len(seen) != public {
		t.Errorf("API walk saw %d articles, want %d", len(seen), public)
	}
}

// TestEachArticleAcrossTies walks more than one store page where 150
// articles share one instant: none is lost or repeated, from any start.
func TestEachArticleAcrossTies(t *testing.T) {
	ctx := context.Background()
	store, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	tie := time.Now().UTC().Add(-10 * time.Hour).Truncate(time.Second)
	var batch []*jarchy.Article
	for i := range 250 {
		at := tie
		switch {
		case i < 30:
			at = tie.Add(time.Duration(30-i) * time.Minute)
		case i >= 180:
			at = tie.Add(-time.Duration(i) * time.Minute)
		}
		batch = append(batch, &jarchy.Article{Lang: "ru", Title: fmt.Sprintf("Статья %d", i), Body: "т",
			Section: jarchy.Section{Slug: "politics"}, Status: jarchy.StatusPublished, PublishedAt: at})
	}
	if err := store.SaveArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	sort.Slice(batch, func(i, j int) bool {
		if !batch[i].PublishedAt.Equal(batch[j].PublishedAt) {
			return batch[i].PublishedAt.After(batch[j].PublishedAt)
		}
		return batch[i].ID > batch[j].ID
	})
	var want []int64
	for _, a := range batch {
		want = append(want, a.ID)
	}
	srv := New(Config{BaseURL: "http://x.example"}, store, nil)
	for _, c := range []struct{ offset, max int }{{0, 1000}, {0, 250}, {40, 120}, {29, 151}, {100, 100}, {200, 100}} {
		var got []int64
		f := jarchy.ArticleFilter{Lang: "ru", PublicOnly: true, Offset: c.offset}
		err := srv.eachArticle(ctx, f, c.max, func(a *jarchy.Article) error {
			got = append(got, a.ID)
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		end := min(c.offset+c.max, len(want))
		if fmt.Sprint(got) != fmt.Sprint(want[c.offset:end]) {
			t.Errorf("offset %d max %d: got %d articles %v\nwant %d %v", c.offset, c.max, len(got), got, end-c.offset, want[c.offset:end])
		}
	}
}

// TestAPIPagingAtMaxLimit walks a listing longer than the store's cap of
// 100 with limit=100: the first page must say there is a next one.
func TestAPIPagingAtMaxLimit(t *testing.T) {
	st := newSyndSite(t)
	ctx := context.Background()
	for i := range 130 {
		a := &jarchy.Article{
			Lang: jarchy.Russian, Title: fmt.Sprintf("Новость номер %d", i), Lead: "Лид.",
			Section: jarchy.Section{Slug: "politics"}, Status: jarchy.StatusPublished,
			PublishedAt: st.now.Add(-time.Duration(i+10) * time.Hour),
		}
		if err := st.store.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	all, err := st.store.Articles(ctx, jarchy.ArticleFilter{PublicOnly: true, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	path := "/api/v1/articles?limit=100"
	for pages := 0; path != ""; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		var l syndAPIList
		st.apiGet(path, 200, &l)
		for _, u := range apiURLs(l) {
			if seen[u] {
				t.Errorf("%s seen twice", u)
			}
			seen[u] = true
		}
		path = ""
		if l.Next != nil {
			path = "/api/v1/articles?limit=100&before=" + url.QueryEscape(*l.Next)
		}
	}
	if len(seen) != all.Total {
		t.Errorf("walk with limit=100 saw %d articles, want all %d", len(seen), all.Total)
	}
}
