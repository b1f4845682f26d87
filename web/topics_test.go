package web_test

import (
	"strings"
	"testing"
)

// TestSurrogateKeys: each page names, in Surrogate-Key, exactly what it
// was built from. The fixture's rows have fixed IDs: sections sayasat 1
// and ekonomika 2; tags "Жогорку Кеңеш" 1 and "бюджет" 2; authors Айгүл
// 1 and Нурлан 2; articles lead 1, lead_ru 2 (its translation), eco0–eco4
// 3–7, en 8, draft 9, future 10, hostile 11.
func TestSurrogateKeys(t *testing.T) {
	f := newFixture(t, 20)
	lead, draft := f.a["lead"], f.a["draft"]
	for name, want := range map[string]int64{"lead": 1, "lead_ru": 2, "eco0": 3, "eco4": 7, "en": 8, "draft": 9, "hostile": 11} {
		if f.a[name].ID != want {
			t.Fatalf("fixture: %s has ID %d, want %d", name, f.a[name].ID, want)
		}
	}
	if lead.Section.ID != 1 || f.a["eco0"].Section.ID != 2 || lead.Tags[0].ID != 1 || lead.Tags[1].ID != 2 || lead.Authors[0].ID != 1 || f.a["eco0"].Authors[0].ID != 2 {
		t.Fatalf("fixture: relations have other IDs: %+v %+v %+v", lead.Section, lead.Tags, lead.Authors)
	}
	leadGroup := "g/" + lead.TranslationGroup // g-<hex>: nothing to escape
	draftGroup := "g/" + draft.TranslationGroup

	for _, c := range []struct {
		path   string
		status int
		want   string // "-": no Surrogate-Key at all
	}{
		// Home: the lead with a photo (and the photo: its caption and credit
		// are the library's), the latest and each section's block.
		{"/ky/", 200, "a/1 a/11 a/3 a/4 a/5 a/6 a/7 c/counts l/lang/ky l/section/1 l/section/2 m/covers%2Fala-too.jpg site"}, // c/counts: comment counts on the teasers
		{"/en/", 200, "a/8 c/counts l/lang/en l/section/1 l/section/2 site"},
		// Article: itself, its tags, author and translation group (the
		// link to lead_ru), the listings the related stories come from and
		// the related stories (eco1–eco4 share "бюджет"), its comments (c/1).
		{"/ky/sayasat/" + lead.Slug, 200, "a/1 a/4 a/5 a/6 a/7 author/1 c/1 " + leadGroup + " l/section/1 l/tag/1 l/tag/2 m/covers%2Fala-too.jpg site tag/1 tag/2"},
		// An old or wrong URL of it: the article decides.
		{"/ky/ekonomika/" + lead.Slug, 301, "a/1 author/1 " + leadGroup + " m/covers%2Fala-too.jpg site tag/1 tag/2"},
		// Not public: the draft decides (its publication touches a/9).
		{"/ky/sayasat/" + draft.Slug, 404, "a/9 " + draftGroup + " site"},
		// No such slug: a public article that takes it touches s/ky/….
		{"/ky/sayasat/no-such-story", 404, "s/ky/no-such-story site"},
		{"/ky/ekonomika/", 200, "a/11 a/3 a/4 a/5 a/6 a/7 c/counts l/section/2 site"},
		{"/ky/ekonomika/?page=2", 404, "l/section/2 site"},
		{"/ky/no-such-section/", 404, "site"},
		{"/ky/tag/" + lead.Tags[1].Slug, 200, "a/1 a/3 a/4 a/5 a/6 a/7 c/counts l/tag/2 m/covers%2Fala-too.jpg site tag/2"},
		{"/ky/tag/no-such-tag", 404, "site tags"},
		{"/ru/author/" + lead.Authors[0].Slug, 200, "a/2 author/1 c/counts l/author/1 site"},
		{"/api/v1/articles/1/comments", 200, "a/1 author/1 c/1 " + leadGroup + " m/covers%2Fala-too.jpg site tag/1 tag/2"},
		{"/comments/feed/1/atom.xml", 200, "a/1 author/1 c/1 " + leadGroup + " m/covers%2Fala-too.jpg site tag/1 tag/2"},
		{"/comments/feed/rss.xml", 200, "c/all site"},
		{"/comments/held/1", 200, "a/1 author/1 " + leadGroup + " m/covers%2Fala-too.jpg site tag/1 tag/2"},
		{"/ru/author/nobody", 404, "authors site"},
		{"/ky/page/about", 200, "p/ky/about site"},
		{"/en/page/about", 404, "p/en/about site"},
		{"/ky/search?q=" + "бюджет", 200, "search site"},
		{"/ky/search", 200, "site"},
		{"/api/v1/search?q=budget", 200, "search site"},
		{"/api/v1/search", 200, ""},
		{"/api/v1/search/suggest?q=bu", 200, "search site"},
		{"/api/v1/search/suggest", 200, ""},
		{"/api/v1/articles/1", 200, "a/1 author/1 " + leadGroup + " m/covers%2Fala-too.jpg site tag/1 tag/2"},
		{"/api/v1/articles/9999", 404, "a/9999"},
		{"/news-sitemap.xml", 200, "l/lang/en l/lang/ky l/lang/ru site"},
		{"/nowhere", 404, "site"},
		// Built from nothing in the store.
		{"/robots.txt", 200, ""},
		{"/ky", 301, ""},
		{"/ky/sayasat/" + lead.Slug + "/", 301, ""},
		{"/media/covers/ala-too.jpg", 200, ""},
		{"/api/nothing", 404, ""},
		// A missing file: the blob store has no topics.
		{"/media/covers/none.jpg", 404, "-"},
		// Errors but 404 name no topics.
		{"/ky/sayasat/?page=x", 400, "-"},
		{"/api/v1/articles?limit=0", 400, "-"},
		{"/ky/search?q=x&sort=nope", 400, "-"},
	} {
		r := f.get(t, c.path)
		if r.status != c.status {
			t.Errorf("%s: status %d, want %d", c.path, r.status, c.status)
		}
		got, ok := r.header["Surrogate-Key"]
		switch {
		case c.want == "-" && ok:
			t.Errorf("%s: Surrogate-Key %q, want none", c.path, got)
		case c.want == "-":
		case !ok:
			t.Errorf("%s: no Surrogate-Key, want %q", c.path, c.want)
		case len(got) != 1 || got[0] != c.want:
			t.Errorf("%s: Surrogate-Key\n got %q\nwant %q", c.path, strings.Join(got, " | "), c.want)
		}
	}
}

// TestSurrogateKeyOnEveryRoute: every route answers with a Surrogate-Key
// (the route table has no handler outside wrap) unless it failed.
func TestSurrogateKeyOnEveryRoute(t *testing.T) {
	f := newFixture(t, 20)
	lead := f.a["lead"]
	for _, p := range []string{
		"/", "/ky/feed/rss.xml", "/ky/feed/tag/" + lead.Tags[1].Slug + "/atom.xml",
		"/ky/opensearch.xml", "/sitemap.xml", "/sitemaps/pages.xml", "/sitemaps/ky-1.xml",
		"/api/v1/articles?lang=ky", "/static/nope.css",
	} {
		r := f.get(t, p)
		if r.status >= 500 || r.header["Surrogate-Key"] == nil {
			t.Errorf("%s: status %d, Surrogate-Key %q", p, r.status, r.header["Surrogate-Key"])
		}
	}
}
