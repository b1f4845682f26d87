package web_test

import (
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed/atom"
	ext "github.com/mmcdole/gofeed/extensions"
	gojson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
	xatom "golang.org/x/net/html/atom"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/web"
)

// A hostile value for every field a newsroom (or an import) fills and a
// reader sees. Each carries its field's name, so a failure says which
// field leaked, and a right-to-left override, which the stores remove.
const rlo = "\u202E"

// hostileTail is markup that names its field, so that a failure tells
// which field became markup.
func hostileTail(f string) string {
	return `<img src=x onerror=alert('` + f + `')>"><script>alert('` + f + `')</script>'><svg onload=alert('` + f +
		`')> &lt;i&gt;x&lt;/i&gt; &amp; </title>`
}

// hostileIn is what is saved in field f; hostileShown is what a reader must
// see: the same text, as text, without the override.
func hostileIn(f string) string    { return f + rlo + "x " + hostileTail(f) }
func hostileShown(f string) string { return f + "x " + hostileTail(f) }

// The URL fields accept only http(s) URLs; such a URL may still carry
// markup characters, which must stay inside the attribute.
const (
	hostileSocial  = `https://x.com/"><script>alert(4)</script>`
	hostileCover   = `https://images.example/c.jpg?a="><img src=x onerror=alert(5)>`
	hostileVariant = `v/"><script>alert(11)</script> 2x, x.jpg`
	hostileBody    = "Башы.\n\n<script>alert(6)</script>\n\n<img src=x onerror=alert(7)>\n\n" +
		"[a](javascript:alert(8)) [b](\"><script>alert(9)</script>) <svg onload=alert(10)>\n\n" + "title" + rlo + "x"
)

// hostileSite is a site whose every reader-visible field is hostile.
type hostileSite struct {
	*fixture
	article, second *jarchy.Article
	tagSlug         string
	authorSlug      string
}

func newHostileSite(t *testing.T) *hostileSite {
	t.Helper()
	st := openStore(t)
	mediaDir := t.TempDir()
	blobs, err := media.OpenDir(mediaDir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { blobs.Close() })
	photo, err := media.PhotoJPEG(media.SceneFor(2), 3, 120, 68)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(mediaDir, "cover.jpg"), photo, 0o644); err != nil {
		t.Fatal(err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	// A javascript: URL is refused wherever a URL is accepted.
	err = st.SaveSettings(ctx, jarchy.Settings{Social: map[string]string{"facebook": "javascript:alert(1)"}})
	if jarchy.ErrorCode(err) != jarchy.EINVALID {
		t.Errorf("social link javascript: saved: %v", err)
	}
	must(st.SaveSettings(ctx, jarchy.Settings{
		SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: hostileIn("site")},
		Social:   map[string]string{"x": hostileSocial, "telegram": hostileSocial},
	}))
	sec := jarchy.Section{Slug: "hostile", Position: 1, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: hostileIn("section")}}
	must(st.SaveSection(ctx, &sec))
	au := jarchy.Author{Name: hostileIn("author"), Bio: hostileIn("bio")}
	must(st.SaveAuthor(ctx, &au))
	must(st.SavePage(ctx, &jarchy.Page{Lang: jarchy.Kyrgyz, Slug: "hostile", Title: hostileIn("page"), Body: hostileBody}))

	published := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	a := &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: hostileIn("title"), Lead: hostileIn("lead"), Body: hostileBody,
		Section: jarchy.Section{Slug: "hostile"}, Tags: []jarchy.Tag{{Name: hostileIn("tag")}},
		Authors: []jarchy.Author{{Name: hostileIn("author")}},
		Cover: &jarchy.Media{Key: "cover.jpg", Caption: hostileIn("caption"), Credit: hostileIn("credit"),
			Alt: hostileIn("alt"), Width: 120, Height: 68,
			// Keys are clean paths, but may hold markup characters: srcset
			// and og:image must keep them inside their attributes.
			Variants: []jarchy.MediaVariant{{Key: hostileVariant, Width: 60, Height: 34}},
			OG:       &jarchy.MediaVariant{Key: hostileVariant, Width: 60, Height: 34}},
		Status: jarchy.StatusPublished, PublishedAt: published,
	}
	must(st.SaveArticle(ctx, a))
	bad := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Жаман сүрөт", Section: jarchy.Section{Slug: "hostile"},
		Cover: &jarchy.Media{URL: "javascript:alert(1)"}}
	if err := st.SaveArticle(ctx, bad); jarchy.ErrorCode(err) != jarchy.EINVALID {
		t.Errorf("cover url javascript: saved: %v", err)
	}
	second := &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: "Экинчи макала", Lead: "Кыска.", Body: "Текст.",
		Section: jarchy.Section{Slug: "hostile"}, Cover: &jarchy.Media{URL: hostileCover, Alt: "сүрөт"},
		Status: jarchy.StatusPublished, PublishedAt: published.Add(-time.Hour),
	}
	must(st.SaveArticle(ctx, second))

	site := web.New(web.Config{BaseURL: testBase, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}, st, blobs.FS())
	t.Cleanup(func() { site.Close() })
	srv := httptest.NewServer(site)
	t.Cleanup(srv.Close)
	if len(a.Tags) != 1 || len(a.Authors) != 1 {
		t.Fatalf("saved article has tags %v authors %v", a.Tags, a.Authors)
	}
	return &hostileSite{fixture: &fixture{srv: srv, store: st, site: site}, article: a, second: second,
		tagSlug: a.Tags[0].Slug, authorSlug: a.Authors[0].Slug}
}

// liveMarkup lists what in a parsed HTML tree could run or load: a script
// other than JSON-LD, an element the payloads carry (img with src=x, svg,
// iframe, object, embed), an on* attribute, a javascript: URL.
func liveMarkup(n *html.Node) []string {
	var out []string
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.ElementNode {
			switch {
			case n.Data == "script" && attr(n, "type") != "application/ld+json" && !isCommentScript(n):
				out = append(out, "<script>")
			case n.Data == "img" && attr(n, "src") == "x", n.Data == "svg", n.Data == "iframe", n.Data == "object", n.Data == "embed":
				out = append(out, "<"+n.Data+">")
			}
			for _, a := range n.Attr {
				v := strings.ToLower(strings.TrimSpace(a.Val))
				if strings.HasPrefix(a.Key, "on") || strings.HasPrefix(v, "javascript:") {
					out = append(out, "<"+n.Data+" "+a.Key+"="+a.Val+">")
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return out
}

// parseFragment parses HTML as it would sit inside a <div>.
func parseFragment(t *testing.T, s string) *html.Node {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(s), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: xatom.Div})
	if err != nil {
		t.Fatal(err)
	}
	root := &html.Node{Type: html.ElementNode, Data: "div", DataAtom: xatom.Div}
	for _, n := range nodes {
		root.AppendChild(n)
	}
	return root
}

// fragmentText is the text a reader sees of an HTML fragment that must be
// plain text made HTML: any element in it is an error.
func fragmentText(t *testing.T, what, s string) string {
	t.Helper()
	root := parseFragment(t, s)
	for c := root.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.TextNode {
			t.Errorf("%s: markup in a text field: %q", what, s)
		}
	}
	return text(root)
}

// shows reports whether want is in the page's text (text nodes joined in
// document order, so <mark> around a word does not matter) or whole in an
// attribute value.
func shows(doc *html.Node, want string) bool {
	var b strings.Builder
	found := false
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.TextNode:
			if n.Parent == nil || n.Parent.Data != "script" {
				b.WriteString(n.Data)
			}
		case html.ElementNode:
			for _, a := range n.Attr {
				found = found || strings.Contains(a.Val, want)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	return found || strings.Contains(b.String(), want)
}

// TestHostileFieldsOnEveryPage saves a hostile value in every field a
// reader sees (title, lead, body, caption, credit, alt, tag, author and
// section names, author bio, site name, static page title, social and
// cover URLs), renders every page type, feed, sitemap and API answer that
// shows them, and checks that each value appears, as text, and that
// nothing in it became markup. Expectations are the literal values saved.
func TestHostileFieldsOnEveryPage(t *testing.T) {
	h := newHostileSite(t)
	a := h.article
	everywhere := []string{"site", "section", "page"} // header, menu and footer of every page
	pages := []struct {
		path   string
		fields []string
		attrs  []string // URLs that must be in an attribute as given
	}{
		{articleURL(a), []string{"title", "lead", "caption", "credit", "alt", "tag", "author"}, []string{hostileSocial}},
		{articleURL(h.second), []string{"title"}, []string{hostileCover}}, // related: the hostile article's title
		{"/ky/", []string{"title", "lead", "alt"}, nil},                   // the lead story's big card
		{"/ky/hostile/", []string{"title", "alt"}, nil},
		{"/ky/tag/" + h.tagSlug, []string{"tag", "title", "alt"}, nil},
		{"/ky/author/" + h.authorSlug, []string{"author", "bio", "title", "alt"}, nil},
		{"/ky/search?q=titlex", []string{"title"}, nil},
		{"/ky/page/hostile", nil, nil},
		{"/ky/no-such-section/", nil, nil},
	}
	for _, p := range pages {
		r := h.get(t, p.path)
		wantStatus := http.StatusOK
		if p.path == "/ky/no-such-section/" {
			wantStatus = http.StatusNotFound
		}
		if r.status != wantStatus || r.doc == nil {
			t.Errorf("GET %s = %d (%s), want %d", p.path, r.status, r.header.Get("Content-Type"), wantStatus)
			continue
		}
		if live := liveMarkup(r.doc); len(live) > 0 {
			t.Errorf("GET %s: hostile text became markup: %q", p.path, live)
		}
		if strings.Contains(r.body, rlo) {
			t.Errorf("GET %s: a right-to-left override reached the page", p.path)
		}
		if strings.Contains(r.body, "TemplFailedSanitization") {
			t.Errorf("GET %s: a value reached a URL attribute that templ had to reject", p.path)
		}
		for _, f := range append(slices.Clone(everywhere), p.fields...) {
			if !shows(r.doc, hostileShown(f)) {
				t.Errorf("GET %s: the %s is not shown as text %q", p.path, f, hostileShown(f))
			}
		}
		for _, u := range p.attrs {
			if !shows(r.doc, u) {
				t.Errorf("GET %s: URL %q is not in an attribute as given", p.path, u)
			}
		}
		// JSON-LD stays one data block that parses (readHead checks it).
		ld := readHead(t, r.doc).jsonLD
		if p.path == articleURL(a) {
			imgs, _ := ld["image"].([]any)
			if len(imgs) != 1 {
				t.Errorf("GET %s: JSON-LD image %v", p.path, ld["image"])
			} else if img, _ := imgs[0].(map[string]any); img["creditText"] != hostileShown("credit") || img["caption"] != hostileShown("caption") {
				t.Errorf("GET %s: JSON-LD ImageObject %v", p.path, img)
			}
			// The variant's key stays inside srcset and og:image.
			if fig := find(r.doc, tagAttr("figure", "class", "cover")); fig == nil ||
				!strings.Contains(attr(find(fig, tagIs("img")), "srcset"), "/media/v/%22%3E%3Cscript%3Ealert%2811%29%3C/script%3E%202x%2C%20x.jpg 60w") {
				t.Errorf("GET %s: srcset of the hostile variant key: %v", p.path, fig)
			}
			if og := meta(r.doc, "property", "og:image"); og != testBase+"/media/v/%22%3E%3Cscript%3Ealert%2811%29%3C/script%3E%202x%2C%20x.jpg" {
				t.Errorf("GET %s: og:image %q", p.path, og)
			}
		}
	}

	t.Run("API", func(t *testing.T) { h.checkAPI(t) })
	t.Run("Feeds", func(t *testing.T) { h.checkFeeds(t) })
	t.Run("Sitemaps", func(t *testing.T) { h.checkXML(t) })
}

func (h *hostileSite) checkAPI(t *testing.T) {
	a := h.article
	var one struct {
		Title, Lead, BodyHTML string
		Section               struct{ Name string }
		Tags, Authors         []struct{ Name string }
		Cover                 struct{ URL, Caption, Credit, Alt string }
	}
	h.getJSON(t, "/api/v1/articles/"+strconv.FormatInt(a.ID, 10), &one)
	got := map[string]string{"title": one.Title, "lead": one.Lead, "section": one.Section.Name,
		"caption": one.Cover.Caption, "credit": one.Cover.Credit, "alt": one.Cover.Alt}
	if len(one.Tags) == 1 && len(one.Authors) == 1 {
		got["tag"], got["author"] = one.Tags[0].Name, one.Authors[0].Name
	}
	for _, f := range []string{"title", "lead", "section", "caption", "credit", "alt", "tag", "author"} {
		if got[f] != hostileShown(f) {
			t.Errorf("API article %s = %q, want %q", f, got[f], hostileShown(f))
		}
	}
	if live := liveMarkup(parseFragment(t, one.BodyHTML)); len(live) > 0 {
		t.Errorf("API body_html: %q", live)
	}
	var list struct{ Articles []struct{ Title string } }
	h.getJSON(t, "/api/v1/articles?lang=ky&section=hostile", &list)
	if len(list.Articles) != 2 || list.Articles[0].Title != hostileShown("title") {
		t.Errorf("API list: %+v", list.Articles)
	}
	var found struct {
		Results []struct{ Title, Lead, Snippet string }
	}
	h.getJSON(t, "/api/v1/search?q=titlex&lang=ky", &found)
	if len(found.Results) != 1 || found.Results[0].Title != hostileShown("title") || found.Results[0].Lead != hostileShown("lead") {
		t.Fatalf("API search: %+v", found.Results)
	}
	snippet := parseFragment(t, found.Results[0].Snippet)
	if live := liveMarkup(snippet); len(live) > 0 {
		t.Errorf("API search snippet: %q", live)
	}
	for _, el := range findAll(snippet, func(n *html.Node) bool { return n.Type == html.ElementNode && n.Data != "div" }) {
		if el.Data != "mark" {
			t.Errorf("API search snippet holds <%s>: %q", el.Data, found.Results[0].Snippet)
		}
	}
}

// getJSON fetches an API answer: JSON whose text never holds a raw "<",
// so that no browser can take it for HTML.
func (h *hostileSite) getJSON(t *testing.T, path string, v any) {
	t.Helper()
	r := h.get(t, path)
	if r.status != http.StatusOK || !strings.HasPrefix(r.header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET %s = %d %q", path, r.status, r.header.Get("Content-Type"))
	}
	if strings.ContainsAny(r.body, "<>") || strings.Contains(r.body, rlo) {
		t.Errorf("GET %s: raw <, > or override in JSON", path)
	}
	if err := json.Unmarshal([]byte(r.body), v); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

func (h *hostileSite) checkFeeds(t *testing.T) {
	site := hostileShown("site")
	titles := map[string]string{ // feed path (without the file) -> the feed's title
		"/ky/feed/":                             site,
		"/ky/feed/section/hostile/":             hostileShown("section") + " — " + site,
		"/ky/feed/tag/" + h.tagSlug + "/":       hostileShown("tag") + " — " + site,
		"/ky/feed/author/" + h.authorSlug + "/": hostileShown("author") + " — " + site,
	}
	categories := []string{hostileShown("section"), hostileShown("tag")}
	for base, feedTitle := range titles {
		for _, file := range []string{"rss.xml", "atom.xml", "feed.json"} {
			path := base + file
			r := h.get(t, path)
			if r.status != http.StatusOK {
				t.Errorf("GET %s = %d", path, r.status)
				continue
			}
			if strings.Contains(r.body, rlo) {
				t.Errorf("GET %s: a right-to-left override reached the feed", path)
			}
			var got struct {
				feedTitle, title, summary, author, content string
				caption, credit                            string // of the photo
				categories                                 []string
			}
			// Media RSS in RSS and Atom: plain text.
			photo := func(ext map[string]map[string][]ext.Extension) {
				if cs := ext["media"]["content"]; len(cs) == 1 {
					if d := cs[0].Children["description"]; len(d) == 1 {
						got.caption = d[0].Value
					}
					if c := cs[0].Children["credit"]; len(c) == 1 {
						got.credit = c[0].Value
					}
				}
			}
			switch file {
			case "rss.xml": // title and description are HTML to readers
				f, err := (&rss.Parser{}).Parse(strings.NewReader(r.body))
				if err != nil || len(f.Items) == 0 {
					t.Fatalf("GET %s: %v", path, err)
				}
				it := f.Items[0]
				got.feedTitle = fragmentText(t, path+" channel title", f.Title)
				got.title = fragmentText(t, path+" title", it.Title)
				got.summary = fragmentText(t, path+" description", it.Description)
				got.content = it.Content
				if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) > 0 {
					got.author = it.DublinCoreExt.Creator[0]
				}
				for _, c := range it.Categories {
					got.categories = append(got.categories, c.Value)
				}
				photo(it.Extensions)
			case "atom.xml": // text constructs are type="text"
				f, err := (&atom.Parser{}).Parse(strings.NewReader(r.body))
				if err != nil || len(f.Entries) == 0 {
					t.Fatalf("GET %s: %v", path, err)
				}
				e := f.Entries[0]
				got.feedTitle, got.title, got.summary = f.Title, e.Title, e.Summary
				if e.Content != nil {
					got.content = e.Content.Value
				}
				if len(e.Authors) > 0 {
					got.author = e.Authors[0].Name
				}
				for _, c := range e.Categories {
					got.categories = append(got.categories, c.Term)
				}
				photo(e.Extensions)
			case "feed.json": // every field but content_html is plain text
				f, err := (&gojson.Parser{}).Parse(strings.NewReader(r.body))
				if err != nil || len(f.Items) == 0 {
					t.Fatalf("GET %s: %v", path, err)
				}
				it := f.Items[0]
				got.feedTitle, got.title, got.summary, got.content, got.categories = f.Title, it.Title, it.Summary, it.ContentHTML, it.Tags
				if len(it.Authors) > 0 {
					got.author = it.Authors[0].Name
				}
				var media struct {
					Items []struct {
						Media struct{ Caption, Credit string } `json:"_media"`
					} `json:"items"`
				}
				if err := json.Unmarshal([]byte(r.body), &media); err != nil || len(media.Items) == 0 {
					t.Fatalf("GET %s: %v", path, err)
				}
				got.caption, got.credit = media.Items[0].Media.Caption, media.Items[0].Media.Credit
			}
			if got.caption != hostileShown("caption") || got.credit != hostileShown("credit") {
				t.Errorf("GET %s: photo caption %q credit %q", path, got.caption, got.credit)
			}
			if got.feedTitle != feedTitle {
				t.Errorf("GET %s: feed title %q, want %q", path, got.feedTitle, feedTitle)
			}
			if got.title != hostileShown("title") || got.summary != hostileShown("lead") || got.author != hostileShown("author") {
				t.Errorf("GET %s: title %q summary %q author %q", path, got.title, got.summary, got.author)
			}
			if !slices.Equal(got.categories, categories) {
				t.Errorf("GET %s: categories %q, want %q", path, got.categories, categories)
			}
			if got.content == "" {
				t.Errorf("GET %s: no content", path)
			} else if live := liveMarkup(parseFragment(t, got.content)); len(live) > 0 {
				t.Errorf("GET %s: content HTML holds %q", path, live)
			}
		}
	}
}

// checkXML reads the sitemaps and the OpenSearch description with a strict
// XML decoder: every element is one the format has, and the news
// sitemap's title and publication name are the texts saved.
func (h *hostileSite) checkXML(t *testing.T) {
	allowed := map[string]bool{
		"sitemapindex": true, "sitemap": true, "loc": true, "lastmod": true, "urlset": true, "url": true, "link": true,
		"news": true, "publication": true, "name": true, "language": true, "publication_date": true, "title": true,
		"OpenSearchDescription": true, "ShortName": true, "Description": true, "InputEncoding": true, "Language": true,
		"Image": true, "Url": true,
	}
	for _, path := range []string{"/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/ky-1.xml", "/news-sitemap.xml", "/ky/opensearch.xml"} {
		r := h.get(t, path)
		if r.status != http.StatusOK {
			t.Errorf("GET %s = %d", path, r.status)
			continue
		}
		if strings.Contains(r.body, rlo) {
			t.Errorf("GET %s: a right-to-left override reached it", path)
		}
		d := xml.NewDecoder(strings.NewReader(r.body))
		for {
			tok, err := d.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Errorf("GET %s: not well-formed: %v", path, err)
				break
			}
			if se, ok := tok.(xml.StartElement); ok && !allowed[se.Name.Local] {
				t.Errorf("GET %s: element <%s> that the format does not have", path, se.Name.Local)
			}
		}
	}
	var news struct {
		URLs []struct {
			Loc  string `xml:"loc"`
			Name string `xml:"news>publication>name"`
			Titl string `xml:"news>title"`
		} `xml:"url"`
	}
	r := h.get(t, "/news-sitemap.xml")
	if err := xml.Unmarshal([]byte(r.body), &news); err != nil {
		t.Fatal(err)
	}
	var seen bool
	for _, u := range news.URLs {
		if u.Loc == testBase+articleURL(h.article) {
			seen = true
			if u.Titl != hostileShown("title") || u.Name != hostileShown("site") {
				t.Errorf("news sitemap: title %q, publication %q", u.Titl, u.Name)
			}
		}
	}
	if !seen {
		t.Errorf("news sitemap lacks the article: %+v", news.URLs)
	}
	var os struct {
		Description string
	}
	r = h.get(t, "/ky/opensearch.xml")
	if err := xml.Unmarshal([]byte(r.body), &os); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(os.Description, hostileShown("site")+": ") {
		t.Errorf("opensearch description %q", os.Description)
	}
}

// TestFeedAuthorURLsAreAbsolute: author links in Atom and JSON Feed are
// absolute URLs on the configured base URL, in the feed's language.
func TestFeedAuthorURLsAreAbsolute(t *testing.T) {
	f := newFixture(t, 20)
	cases := []struct {
		path, author, home string
	}{
		{"/ky/feed/atom.xml", "https://news.example/ky/author/aygul-osmonova", "https://news.example/ky/"},
		{"/ru/feed/atom.xml", "https://news.example/ru/author/aygul-osmonova", "https://news.example/ru/"},
		{"/ky/feed/tag/byudjet/atom.xml", "https://news.example/ky/author/aygul-osmonova", "https://news.example/ky/tag/byudjet"},
		{"/ky/feed/feed.json", "https://news.example/ky/author/aygul-osmonova", "https://news.example/ky/"},
		{"/ru/feed/feed.json", "https://news.example/ru/author/aygul-osmonova", "https://news.example/ru/"},
		{"/ky/feed/author/nurlan-sadykov/feed.json", "https://news.example/ky/author/nurlan-sadykov", "https://news.example/ky/author/nurlan-sadykov"},
	}
	for _, c := range cases {
		r := f.get(t, c.path)
		if r.status != http.StatusOK {
			t.Fatalf("GET %s = %d", c.path, r.status)
		}
		var authorURLs []string
		var feedAuthor string
		if strings.HasSuffix(c.path, ".json") {
			jf, err := (&gojson.Parser{}).Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range jf.Items {
				for _, a := range it.Authors {
					authorURLs = append(authorURLs, a.URL)
				}
			}
			if len(jf.Authors) == 1 {
				feedAuthor = jf.Authors[0].URL
			}
		} else {
			af, err := (&atom.Parser{}).Parse(strings.NewReader(r.body))
			if err != nil {
				t.Fatal(err)
			}
			for _, e := range af.Entries {
				for _, a := range e.Authors {
					authorURLs = append(authorURLs, a.URI)
				}
			}
			if len(af.Authors) == 1 {
				feedAuthor = af.Authors[0].URI
			}
		}
		if !slices.Contains(authorURLs, c.author) {
			t.Errorf("GET %s: author URLs %q, want one %q", c.path, authorURLs, c.author)
		}
		for _, u := range authorURLs {
			if pu, err := url.Parse(u); err != nil || !pu.IsAbs() || !strings.HasPrefix(u, "https://news.example/") {
				t.Errorf("GET %s: author URL %q is not absolute on the base URL", c.path, u)
			}
		}
		if feedAuthor != c.home {
			t.Errorf("GET %s: feed author URL %q, want %q", c.path, feedAuthor, c.home)
		}
	}
}
