package web_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
	"github.com/jarchy/jarchy/web"
)

func articleURL(a *jarchy.Article) string {
	return "/" + string(a.Lang) + "/" + a.Section.Slug + "/" + a.Slug
}

func allLangs(path func(l string) string, def string) map[string]string {
	m := map[string]string{"x-default": testBase + path(def)}
	for _, l := range []string{"ky", "ru", "en"} {
		m[l] = testBase + path(l)
	}
	return m
}

func TestRootRedirectsToKyrgyz(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, "/")
	if r.status != http.StatusFound || r.header.Get("Location") != "/ky/" {
		t.Fatalf("GET / = %d %q, want 302 /ky/", r.status, r.header.Get("Location"))
	}
	r = f.get(t, "/ru")
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != "/ru/" {
		t.Fatalf("GET /ru = %d %q, want 301 /ru/", r.status, r.header.Get("Location"))
	}
	u := articleURL(f.a["lead"])
	r = f.get(t, u+"/")
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != u {
		t.Fatalf("article with a trailing slash = %d %q, want 301 %s", r.status, r.header.Get("Location"), u)
	}
}

func TestHome(t *testing.T) {
	f := newFixture(t, 20)
	for _, lang := range []string{"ky", "ru", "en"} {
		t.Run(lang, func(t *testing.T) {
			r := f.get(t, "/"+lang+"/")
			if r.status != http.StatusOK {
				t.Fatalf("status %d", r.status)
			}
			checkHead(t, r.doc, lang, testBase+"/"+lang+"/", allLangs(func(l string) string { return "/" + l + "/" }, "ky"), "WebSite")
			sw := switcher(t, r.doc)
			for _, l := range []string{"ky", "ru", "en"} {
				if sw[l] != "/"+l+"/" {
					t.Errorf("switcher %s -> %q, want /%s/", l, sw[l], l)
				}
			}
			menu := find(r.doc, func(n *html.Node) bool { return n.Data == "nav" && strings.Contains(attr(n, "class"), "menu") })
			if menu == nil || find(menu, tagAttr("a", "href", "/"+lang+"/sayasat/")) == nil {
				t.Error("section menu lacks politics")
			}
		})
	}
	r := f.get(t, "/ky/")
	leadBlock := find(r.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "lead-story") })
	if leadBlock == nil || find(leadBlock, tagAttr("a", "href", articleURL(f.a["lead"]))) == nil {
		t.Error("home has no lead story linking to the newest article with a photo")
	}
	if !strings.Contains(text(find(r.doc, byID("h-latest"))), "Акыркы жаңылыктар") {
		t.Error("no latest block in Kyrgyz")
	}
	blocks := findAll(r.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "section-block") })
	if len(blocks) != 2 {
		t.Errorf("home has %d section blocks, want 2", len(blocks))
	}
	if strings.Contains(r.body, f.a["draft"].Title) || strings.Contains(r.body, f.a["future"].Title) {
		t.Error("home shows a draft or a future article")
	}
	// Social links: set ones shown, unset ones hidden.
	if find(r.doc, tagAttr("a", "href", "https://t.me/jarchy_kg")) == nil || find(r.doc, tagAttr("a", "href", "https://x.com/jarchy_kg")) == nil {
		t.Error("footer lacks configured social links")
	}
	if strings.Contains(r.body, "social-youtube") || strings.Contains(r.body, "social-instagram") {
		t.Error("footer shows unset networks")
	}
	if meta(r.doc, "name", "twitter:site") != "@jarchy_kg" {
		t.Error("no twitter:site from the X profile")
	}
}

func TestArticlePage(t *testing.T) {
	f := newFixture(t, 20)
	a, ru := f.a["lead"], f.a["lead_ru"]
	r := f.get(t, articleURL(a))
	if r.status != http.StatusOK {
		t.Fatalf("status %d\n%s", r.status, r.body)
	}
	h := checkHead(t, r.doc, "ky", testBase+articleURL(a), map[string]string{
		"ky": testBase + articleURL(a), "ru": testBase + articleURL(ru), "x-default": testBase + articleURL(a),
	}, "NewsArticle")

	// Switcher: the Russian translation, and the English home (no translation).
	sw := switcher(t, r.doc)
	if sw["ru"] != articleURL(ru) || sw["en"] != "/en/" || sw["ky"] != articleURL(a) {
		t.Errorf("switcher = %v", sw)
	}

	ld := h.jsonLD
	if ld["headline"] != a.Title {
		t.Errorf("JSON-LD headline = %v", ld["headline"])
	}
	// The cover as an ImageObject with its credit.
	if imgs, _ := ld["image"].([]any); len(imgs) != 1 {
		t.Errorf("JSON-LD image = %v", ld["image"])
	} else if img, _ := imgs[0].(map[string]any); img["@type"] != "ImageObject" || img["url"] != testBase+"/media/covers/ala-too.jpg" ||
		img["creditText"] != "Жарчы / Бакыт Асанов" || img["caption"] != "Ала-Тоо аянты" ||
		fmt.Sprint(img["copyrightHolder"]) != "map[@type:Organization name:Жарчы / Бакыт Асанов]" {
		t.Errorf("JSON-LD image = %v", img)
	}
	if ld["datePublished"] != "2026-11-21T02:00:00+06:00" {
		t.Errorf("JSON-LD datePublished = %v", ld["datePublished"])
	}
	if ld["dateModified"] == nil || ld["dateModified"].(string) < ld["datePublished"].(string) {
		t.Errorf("JSON-LD dateModified = %v", ld["dateModified"])
	}
	if authors, _ := ld["author"].([]any); len(authors) != 1 || authors[0].(map[string]any)["name"] != "Айгүл Осмонова" {
		t.Errorf("JSON-LD author = %v", ld["author"])
	}
	if pub, _ := ld["publisher"].(map[string]any); pub == nil || pub["name"] != "Жарчы" || pub["logo"] == nil {
		t.Errorf("JSON-LD publisher = %v", ld["publisher"])
	}
	if meta(r.doc, "property", "og:type") != "article" || meta(r.doc, "property", "og:image") != testBase+"/media/covers/ala-too.jpg" {
		t.Error("OG type/image wrong")
	}
	if meta(r.doc, "name", "twitter:card") != "summary_large_image" {
		t.Error("twitter card should be large image")
	}
	if meta(r.doc, "property", "article:published_time") == "" {
		t.Error("no article:published_time")
	}

	if got := text(find(r.doc, tagIs("h1"))); got != a.Title {
		t.Errorf("h1 = %q", got)
	}
	if !strings.Contains(text(find(r.doc, tagAttr("p", "class", "lead"))), "бюджетти") {
		t.Error("no lead")
	}
	// 20:00 UTC on 20 November is 02:00 on 21 November in Bishkek.
	tm := find(r.doc, func(n *html.Node) bool {
		return n.Data == "time" && attr(n, "datetime") == "2026-11-21T02:00:00+06:00"
	})
	if got := text(tm); got != "21-ноябрь, 2026, 02:00" {
		t.Errorf("date = %q, want Kyrgyz month in Bishkek time", got)
	}
	byline := find(r.doc, tagAttr("p", "class", "byline"))
	if find(byline, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/ky/author/") }) == nil {
		t.Error("byline has no author link")
	}
	fig := find(r.doc, tagIs("figure"))
	img := find(fig, tagIs("img"))
	if img == nil || attr(img, "src") != "/media/covers/ala-too.jpg" || attr(img, "alt") != "Ала-Тоо аянтындагы имарат" {
		t.Error("cover image wrong")
	}
	if cap := text(find(fig, tagIs("figcaption"))); !strings.Contains(cap, "Ала-Тоо аянты") || !strings.Contains(cap, "Сүрөт: Жарчы / Бакыт Асанов") {
		t.Errorf("caption/credit = %q", cap)
	}
	body := find(r.doc, tagAttr("div", "class", "body"))
	if find(body, tagIs("strong")) == nil || find(body, tagIs("blockquote")) == nil {
		t.Error("body Markdown not rendered")
	}
	tags := find(r.doc, func(n *html.Node) bool { return n.Data == "nav" && attr(n, "class") == "tags" })
	if find(tags, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), "/ky/tag/") }) == nil {
		t.Error("no tag links")
	}
	share := find(r.doc, func(n *html.Node) bool { return strings.Contains(attr(n, "class"), "share") && n.Data == "section" })
	for _, host := range []string{"https://x.com/", "https://www.facebook.com/", "https://t.me/share", "https://wa.me/"} {
		if find(share, func(n *html.Node) bool { return n.Data == "a" && strings.HasPrefix(attr(n, "href"), host) }) == nil {
			t.Errorf("no share link to %s", host)
		}
	}
	if tg := find(r.doc, func(n *html.Node) bool { return n.Data == "aside" && attr(n, "class") == "telegram" }); tg == nil || find(tg, tagAttr("a", "href", "https://t.me/jarchy_kg")) == nil {
		t.Error("no Telegram invitation")
	}
	if c := find(r.doc, byID("comments")); c == nil || c.Data != "section" {
		t.Error(`no <section id="comments">`)
	}
	rel := find(r.doc, func(n *html.Node) bool { return attr(n, "class") == "related" })
	if rel == nil || len(findAll(rel, tagIs("article"))) == 0 {
		t.Error("no related articles")
	}

	// The Russian translation: Russian month names, switcher back to Kyrgyz.
	r = f.get(t, articleURL(ru))
	if r.status != http.StatusOK {
		t.Fatalf("ru status %d", r.status)
	}
	if got := text(find(r.doc, tagIs("time"))); !strings.Contains(got, "21 ноября 2026") {
		t.Errorf("ru date = %q", got)
	}
	if sw := switcher(t, r.doc); sw["ky"] != articleURL(a) {
		t.Errorf("ru switcher ky -> %q", sw["ky"])
	}
	if !strings.Contains(r.body, "Подпишитесь на наш Telegram-канал") || !strings.Contains(r.body, "Наверх") {
		t.Error("ru page lacks Russian UI strings")
	}
}

func TestArticleWithoutTranslations(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["en"]
	r := f.get(t, articleURL(a))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	// Alone in its group: no alternates are claimed that do not exist.
	h := readHead(t, r.doc)
	for hl := range h.alternates {
		if hl != "en" && hl != "x-default" {
			t.Errorf("alternate %s for an article without translations", hl)
		}
	}
	if sw := switcher(t, r.doc); sw["ky"] != "/ky/" || sw["ru"] != "/ru/" {
		t.Errorf("switcher = %v, want the homes", sw)
	}
	if meta(r.doc, "name", "twitter:card") != "summary" {
		t.Error("no image: twitter card should be summary")
	}
}

func TestSlugChangeRedirects(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["eco0"]
	old := articleURL(a)
	a.Title = "Жаңы аталыш: экономика өстү"
	a.Slug = ""
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if articleURL(a) == old {
		t.Fatal("slug did not change")
	}
	r := f.get(t, old)
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != articleURL(a) {
		t.Fatalf("old slug: %d %q, want 301 %s", r.status, r.header.Get("Location"), articleURL(a))
	}
	r = f.get(t, "/ky/sayasat/"+a.Slug) // wrong section segment
	if r.status != http.StatusMovedPermanently || r.header.Get("Location") != articleURL(a) {
		t.Fatalf("wrong section: %d %q, want 301 %s", r.status, r.header.Get("Location"), articleURL(a))
	}
	if r := f.get(t, articleURL(a)); r.status != http.StatusOK {
		t.Fatalf("new URL: %d", r.status)
	}
	// The slug exists only in Kyrgyz.
	if r := f.get(t, "/ru/ekonomika/"+a.Slug); r.status != http.StatusNotFound {
		t.Errorf("Kyrgyz slug under /ru/: %d, want 404", r.status)
	}
}

func TestDraftsAndFutureAre404(t *testing.T) {
	f := newFixture(t, 20)
	for _, name := range []string{"draft", "future"} {
		r := f.get(t, articleURL(f.a[name]))
		if r.status != http.StatusNotFound {
			t.Errorf("%s: status %d, want 404", name, r.status)
		}
		if r.doc != nil && !strings.Contains(r.body, "Барак табылган жок") {
			t.Errorf("%s: 404 page is not in Kyrgyz", name)
		}
	}
	// Unpublishing takes a story down.
	a := f.a["eco1"]
	a.Status = jarchy.StatusUnpublished
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if r := f.get(t, articleURL(a)); r.status != http.StatusNotFound {
		t.Errorf("unpublished: %d, want 404", r.status)
	}
}

func TestListingsAndPaging(t *testing.T) {
	f := newFixture(t, 2)
	eco := "/ky/ekonomika/"
	// 6 public economy stories (5 + hostile) at 2 per page: 3 pages.
	r := f.get(t, eco)
	if r.status != http.StatusOK {
		t.Fatalf("section: %d", r.status)
	}
	checkHead(t, r.doc, "ky", testBase+eco, allLangs(func(l string) string { return "/" + l + "/ekonomika/" }, "ky"), "CollectionPage")
	if n := len(findAll(r.doc, func(n *html.Node) bool { return n.Data == "article" && strings.Contains(attr(n, "class"), "card") })); n != 2 {
		t.Errorf("page 1 has %d cards, want 2", n)
	}
	if find(r.doc, tagAttr("a", "rel", "next")) == nil || attr(find(r.doc, tagAttr("a", "rel", "next")), "href") != eco+"?page=2" {
		t.Error("no rel=next to page 2")
	}
	if find(r.doc, tagAttr("a", "aria-current", "page")) == nil {
		t.Error("menu does not mark the current section")
	}
	h := readHead(t, r.doc)
	if h.feeds["application/rss+xml"] != "/ky/feed/section/ekonomika/rss.xml" {
		t.Errorf("section feed link = %q", h.feeds["application/rss+xml"])
	}

	r = f.get(t, eco+"?page=2")
	if r.status != http.StatusOK {
		t.Fatalf("page 2: %d", r.status)
	}
	checkHead(t, r.doc, "ky", testBase+eco+"?page=2", allLangs(func(l string) string { return "/" + l + "/ekonomika/?page=2" }, "ky"), "CollectionPage")
	if find(r.doc, tagAttr("a", "rel", "prev")) == nil {
		t.Error("page 2 has no rel=prev")
	}

	bad := []string{"?page=abc", "?page=0", "?page=-1", "?page=1&page=2", "?page=99999999999999999999", "?page=%zz", "?page=2.5"}
	for _, q := range bad {
		r := f.get(t, eco+q)
		if r.status != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", q, r.status)
		}
		if r.doc != nil && !strings.Contains(r.body, "Туура эмес суроо") {
			t.Errorf("%s: 400 page not in Kyrgyz", q)
		}
	}
	if r := f.get(t, "/ru/ekonomika/?page=x"); r.status != http.StatusBadRequest || !strings.Contains(r.body, "Неверный запрос") {
		t.Errorf("ru 400: %d", r.status)
	}
	if r := f.get(t, eco+"?page=50"); r.status != http.StatusNotFound {
		t.Errorf("page past the end: %d, want 404", r.status)
	}
	if r := f.get(t, "/ky/ekonomika"); r.status != http.StatusMovedPermanently || r.header.Get("Location") != eco {
		t.Errorf("no trailing slash: %d %q", r.status, r.header.Get("Location"))
	}

	// Tag page.
	tag := f.a["lead"].Tags[1] // бюджет
	r = f.get(t, "/ky/tag/"+tag.Slug)
	if r.status != http.StatusOK {
		t.Fatalf("tag: %d", r.status)
	}
	checkHead(t, r.doc, "ky", testBase+"/ky/tag/"+tag.Slug, allLangs(func(l string) string { return "/" + l + "/tag/" + tag.Slug }, "ky"), "CollectionPage")
	if !strings.Contains(text(find(r.doc, tagIs("h1"))), "бюджет") {
		t.Error("tag h1")
	}
	if r := f.get(t, "/ky/tag/"+tag.Slug+"?page=nope"); r.status != http.StatusBadRequest {
		t.Errorf("tag bad page: %d", r.status)
	}
	// In Russian the same tag lists only Russian stories: 1 of them.
	r = f.get(t, "/ru/tag/"+tag.Slug)
	if r.status != http.StatusOK || !strings.Contains(text(find(r.doc, tagAttr("p", "class", "count"))), "1 материал") {
		t.Errorf("ru tag: %d %q", r.status, text(find(r.doc, tagAttr("p", "class", "count"))))
	}

	// Author page.
	au := f.a["eco0"].Authors[0]
	r = f.get(t, "/ru/author/"+au.Slug)
	if r.status != http.StatusOK {
		t.Fatalf("author: %d", r.status)
	}
	checkHead(t, r.doc, "ru", testBase+"/ru/author/"+au.Slug, allLangs(func(l string) string { return "/" + l + "/author/" + au.Slug }, "ky"), "CollectionPage")
	r = f.get(t, "/ky/author/"+au.Slug+"?page=3")
	if r.status != http.StatusOK {
		t.Errorf("author page 3: %d", r.status)
	}
	if meta(r.doc, "name", "robots") != "" {
		t.Error("a listing with stories is noindex")
	}
	if r := f.get(t, "/en/author/"+au.Slug); meta(r.doc, "name", "robots") != "noindex" {
		t.Error("an empty listing should be noindex")
	}
	if r := f.get(t, "/ky/author/nobody"); r.status != http.StatusNotFound {
		t.Errorf("unknown author: %d", r.status)
	}
}

func TestStaticPage(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, "/ky/page/about")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	checkHead(t, r.doc, "ky", testBase+"/ky/page/about", map[string]string{
		"ky": testBase + "/ky/page/about", "ru": testBase + "/ru/page/about", "x-default": testBase + "/ky/page/about",
	}, "WebPage")
	if find(find(r.doc, tagAttr("div", "class", "body")), tagIs("strong")) == nil {
		t.Error("page body Markdown not rendered")
	}
	if sw := switcher(t, r.doc); sw["ru"] != "/ru/page/about" || sw["en"] != "/en/" {
		t.Errorf("switcher = %v", sw)
	}
	if find(find(r.doc, tagIs("footer")), tagAttr("a", "href", "/ky/page/about")) == nil {
		t.Error("footer does not link the static page")
	}
	if r := f.get(t, "/en/page/about"); r.status != http.StatusNotFound || !strings.Contains(r.body, "Page not found") {
		t.Errorf("missing en page: %d", r.status)
	}
}

func TestSearchPage(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, "/en/search?q=budget")
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	checkHead(t, r.doc, "en", testBase+"/en/search", allLangs(func(l string) string { return "/" + l + "/search" }, "ky"), "SearchResultsPage")
	if in := find(r.doc, byID("page-q")); in == nil || attr(in, "value") != "budget" {
		t.Error("search box does not keep the query")
	}
	if r := f.get(t, "/en/search?q=budget%ff%fe"); r.status != http.StatusOK || len(resultLinks(r.doc)) == 0 {
		t.Errorf("query with invalid UTF-8: %d, want 200 with the results for the valid part", r.status)
	}
	if r := f.get(t, "/en/search?q=%zz"); r.status != http.StatusBadRequest {
		t.Errorf("malformed query: %d, want 400", r.status)
	}
}

func TestNotFoundInTheRightLanguage(t *testing.T) {
	f := newFixture(t, 20)
	cases := []struct{ path, lang, text string }{
		{"/xx/whatever", "ky", "Барак табылган жок"},
		{"/de/", "ky", "Барак табылган жок"},
		{"/nothing-here", "ky", "Барак табылган жок"},
		{"/ru/no-such-section/", "ru", "Страница не найдена"},
		{"/ru/sayasat/no-such-story", "ru", "Страница не найдена"},
		{"/en/tag/no-such-tag", "en", "Page not found"},
		{"/en/a/b/c/d", "en", "Page not found"},
		{"/ky/tag/", "ky", "Барак табылган жок"},
		{"/ky/feed/", "ky", "Барак табылган жок"},
		{"/ky/page/nope", "ky", "Барак табылган жок"},
	}
	for _, c := range cases {
		r := f.get(t, c.path)
		if r.status != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", c.path, r.status)
			continue
		}
		if r.doc == nil {
			t.Errorf("%s: 404 is not HTML", c.path)
			continue
		}
		if got := attr(find(r.doc, tagIs("html")), "lang"); got != c.lang {
			t.Errorf("%s: lang %q, want %q", c.path, got, c.lang)
		}
		if !strings.Contains(text(find(r.doc, tagIs("h1"))), c.text) {
			t.Errorf("%s: h1 %q, want %q", c.path, text(find(r.doc, tagIs("h1"))), c.text)
		}
		if meta(r.doc, "name", "robots") != "noindex" {
			t.Errorf("%s: 404 page is indexable", c.path)
		}
		checkLayout(t, r.doc, c.lang)
	}
}

func TestHostileTextIsEscaped(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["hostile"]
	r := f.get(t, articleURL(a))
	if r.status != http.StatusOK {
		t.Fatalf("status %d", r.status)
	}
	// Only the one JSON-LD script survives, and it parses with the title.
	h := readHead(t, r.doc)
	if h.jsonLD["headline"] != a.Title {
		t.Errorf("headline = %v", h.jsonLD["headline"])
	}
	if strings.Contains(r.body, "<script>alert") || strings.Contains(r.body, "<img src=x") {
		t.Error("hostile markup reached the page unescaped")
	}
	if n := find(r.doc, func(n *html.Node) bool {
		return hasAttr(n, "onerror") || strings.HasPrefix(strings.TrimSpace(attr(n, "href")), "javascript:") ||
			(n.Data == "script" && attr(n, "type") != "application/ld+json" && !isCommentScript(n))
	}); n != nil {
		t.Errorf("hostile markup became an element: <%s %v>", n.Data, n.Attr)
	}
	// templ writes this marker where it refused a URL: the site should
	// have dropped such a link itself.
	if strings.Contains(r.body, "TemplFailedSanitization") {
		t.Error("a value reached a URL attribute that templ had to reject")
	}
	if got := text(find(r.doc, tagIs("h1"))); got != a.Title {
		t.Errorf("h1 = %q", got)
	}
}

func TestHeadRequest(t *testing.T) {
	f := newFixture(t, 20)
	r := f.do(t, http.MethodHead, articleURL(f.a["lead"]))
	if r.status != http.StatusOK || r.body != "" {
		t.Errorf("HEAD: %d, body %d bytes", r.status, len(r.body))
	}
	if r.header.Get("Content-Language") != "ky" {
		t.Errorf("Content-Language = %q", r.header.Get("Content-Language"))
	}
	// A page also shows related and latest stories, which change without
	// the article: a content date would make caches answer 304 wrongly.
	if lm := r.header.Get("Last-Modified"); lm != "" {
		t.Errorf("HTML page has Last-Modified %q", lm)
	}
}

// Settings, menu and static pages are kept in memory; every change must
// show on the next request.
func TestSiteChangesShowAtOnce(t *testing.T) {
	f := newFixture(t, 20)
	path := articleURL(f.a["lead"])
	if r := f.get(t, path); !strings.Contains(r.body, "https://t.me/jarchy_kg") || !strings.Contains(r.body, "Саясат") {
		t.Fatal("fixture lacks the Telegram link or the section name")
	}
	st, err := f.store.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	delete(st.Social, "telegram")
	st.SiteName[jarchy.Kyrgyz] = "Жаңы Жарчы"
	if err := f.store.SaveSettings(ctx, st); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, path)
	if strings.Contains(r.body, "t.me/jarchy_kg") {
		t.Error("Telegram link still shown after it was removed")
	}
	if find(r.doc, func(n *html.Node) bool { return n.Data == "aside" && attr(n, "class") == "telegram" }) != nil {
		t.Error("Telegram block shown without a channel")
	}
	if text(find(r.doc, tagAttr("a", "class", "brand"))) != "Жаңы Жарчы" {
		t.Error("site name change not shown")
	}
	sec := f.a["lead"].Section
	sec.Names[jarchy.Kyrgyz] = "Бийлик"
	if err := f.store.SaveSection(ctx, &sec); err != nil {
		t.Fatal(err)
	}
	if err := f.store.SavePage(ctx, &jarchy.Page{Lang: jarchy.Kyrgyz, Slug: "contacts", Title: "Байланыш", Body: "Бишкек"}); err != nil {
		t.Fatal(err)
	}
	r = f.get(t, "/ky/")
	menu := find(r.doc, func(n *html.Node) bool { return n.Data == "nav" && strings.Contains(attr(n, "class"), "menu") })
	if !strings.Contains(text(menu), "Бийлик") {
		t.Errorf("menu = %q, want the new section name", text(menu))
	}
	if find(r.doc, tagAttr("a", "href", "/ky/page/contacts")) == nil {
		t.Error("new static page not in the footer")
	}
}

// An imported old story is not "updated" at its import time.
func TestUpdatedOnlyAfterAnEdit(t *testing.T) {
	f := newFixture(t, 20)
	r := f.get(t, articleURL(f.a["eco2"]))
	if find(r.doc, tagAttr("span", "class", "updated")) != nil {
		t.Error("a story saved once shows an update")
	}
	h := readHead(t, r.doc)
	if h.jsonLD["dateModified"] != h.jsonLD["datePublished"] {
		t.Errorf("dateModified %v, want datePublished %v", h.jsonLD["dateModified"], h.jsonLD["datePublished"])
	}
}

func TestUpdatedShownAfterAnEdit(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["eco3"]
	f.clock.set(2 * time.Hour)
	a.Body += "\n\nТолуктоо: сумма тактыкталды."
	err := f.store.SaveArticle(ctx, a)
	f.clock.set(0)
	if err != nil {
		t.Fatal(err)
	}
	r := f.get(t, articleURL(a))
	upd := find(r.doc, tagAttr("span", "class", "updated"))
	if upd == nil || !strings.Contains(text(upd), "Жаңыртылды") {
		t.Fatal("an edited story shows no update")
	}
	h := readHead(t, r.doc)
	if h.jsonLD["dateModified"] == h.jsonLD["datePublished"] {
		t.Error("dateModified does not show the edit")
	}
}

// A fresh, empty store still gives a working home page.
func TestEmptySite(t *testing.T) {
	st := openStore(t)
	srv := httptest.NewServer(web.New(web.Config{BaseURL: testBase}, st, nil))
	defer srv.Close()
	f := &fixture{srv: srv, store: st}
	for _, lang := range []string{"ky", "ru", "en"} {
		r := f.get(t, "/"+lang+"/")
		if r.status != http.StatusOK {
			t.Fatalf("%s: %d", lang, r.status)
		}
		checkHead(t, r.doc, lang, testBase+"/"+lang+"/", allLangs(func(l string) string { return "/" + l + "/" }, "ky"), "WebSite")
		if text(find(r.doc, tagAttr("a", "class", "brand"))) == "" {
			t.Error("no site name")
		}
	}
	if r := f.get(t, "/ky/sayasat/"); r.status != http.StatusNotFound {
		t.Errorf("section of an empty site: %d", r.status)
	}
}

// Hostile paths get a 4xx page, never a 500.
func TestHostilePaths(t *testing.T) {
	f := newFixture(t, 20)
	long := strings.Repeat("a", 10000)
	for _, p := range []string{
		"/ky/%ff/", "/ky/sayasat/%ff%fe", "/ky/tag/%00", "/ru/author/%e2%80%ae", "/ky/page/" + long,
		"/ky/sayasat/" + long, "/ky/" + long + "/", "/en/tag/a%2fb", "/ky/sayasat/%2e%2e", "/ky/author/..%5c..",
		"/ky/sayasat/?page=" + long, "/ky/tag/x?page=%ff",
	} {
		r := f.get(t, p)
		if r.status < 400 || r.status >= 500 {
			t.Errorf("%.60s: %d, want 4xx", p, r.status)
		}
	}
}

// An external cover keeps its URL, and a credit that already names itself
// ("Фото: …") gets no second prefix.
func TestExternalCoverAndCredit(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["eco4"]
	a.Cover = &jarchy.Media{URL: "https://images.example/som.jpg?w=1200&h=675", Caption: "Валюта алмашуу", Credit: "Фото: Reuters", Alt: "Сом"}
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, articleURL(a))
	fig := find(r.doc, tagIs("figure"))
	if img := find(fig, tagIs("img")); img == nil || attr(img, "src") != "https://images.example/som.jpg?w=1200&h=675" {
		t.Errorf("external cover src wrong")
	}
	if cap := text(find(fig, tagIs("figcaption"))); cap != "Валюта алмашуу Фото: Reuters" {
		t.Errorf("caption = %q", cap)
	}
	if meta(r.doc, "property", "og:image") != "https://images.example/som.jpg?w=1200&h=675" {
		t.Errorf("og:image = %q", meta(r.doc, "property", "og:image"))
	}
}

// Readers and writers at once: every page answers 200 while the site data
// is dropped and reloaded (run with -race to check the caches).
func TestConcurrentReadsAndWrites(t *testing.T) {
	f := newFixture(t, 20)
	paths := []string{"/ky/", "/ru/", articleURL(f.a["lead"]), "/ky/ekonomika/", "/ky/page/about", "/nowhere"}
	done := make(chan struct{})
	errs := make(chan string, 100)
	for i := 0; i < 6; i++ {
		go func(i int) {
			defer func() { done <- struct{}{} }()
			for j := 0; j < 15; j++ {
				p := paths[(i+j)%len(paths)]
				res, err := client.Get(f.srv.URL + p)
				if err != nil {
					errs <- err.Error()
					return
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if want := http.StatusOK; p == "/nowhere" {
					want = http.StatusNotFound
					if res.StatusCode != want {
						errs <- fmt.Sprintf("%s: %d", p, res.StatusCode)
					}
				} else if res.StatusCode != want {
					errs <- fmt.Sprintf("%s: %d", p, res.StatusCode)
				}
			}
		}(i)
	}
	for k := 0; k < 10; k++ {
		st, err := f.store.Settings(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.SiteName[jarchy.English] = fmt.Sprintf("Jarchy %d", k)
		if err := f.store.SaveSettings(ctx, st); err != nil {
			t.Fatal(err)
		}
	}
	for i := 0; i < 6; i++ {
		testwait.RecvWithin(t, done, time.Minute, fmt.Sprintf("reader %d of 6 to finish", i+1))
	}
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}
