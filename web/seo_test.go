package web_test

import (
	"testing"
)

// TestSEOTitleAndDescription: an article's SEO title and description are
// what its page gives search engines (<title>, meta description); the
// headline stays the title.
func TestSEOTitleAndDescription(t *testing.T) {
	f := newFixture(t, 20)
	a := f.a["eco2"]
	a.SEOTitle = "Бишкектеги баалар: толук маалымат"
	a.SEODescription = "Издөө системалары үчүн кыска сүрөттөмө."
	if err := f.store.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	r := f.get(t, articleURL(a))
	if got := text(find(r.doc, tagIs("title"))); got != "Бишкектеги баалар: толук маалымат — Жарчы" {
		t.Errorf("<title> %q, want the SEO title and the site name", got)
	}
	if n := find(r.doc, tagAttr("meta", "name", "description")); n == nil || attr(n, "content") != a.SEODescription {
		t.Errorf("meta description %v, want the SEO description", n)
	}
	if got := text(find(r.doc, tagIs("h1"))); got != a.Title {
		t.Errorf("h1 %q, want the title %q", got, a.Title)
	}
}
