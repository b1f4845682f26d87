package jarchy

import "testing"

func TestPublicPaths(t *testing.T) {
	a := &Article{Lang: Kyrgyz, Slug: "a b?c", Section: Section{Slug: "sa/yasat"}}
	if got := ArticlePath(a); got != "/ky/sa%2Fyasat/a%20b%3Fc" {
		t.Errorf("ArticlePath = %q", got)
	}
	if got := PagePath(Russian, "o nas#x"); got != "/ru/page/o%20nas%23x" {
		t.Errorf("PagePath = %q", got)
	}
	for title, want := range map[string]string{"Шайлоо башталды": "shayloo-bashtaldy", "": "", "!!!": FallbackSlug("article", "!!!")} {
		if got := ArticleSlug(Kyrgyz, title); got != want {
			t.Errorf("ArticleSlug(%q) = %q, want %q", title, got, want)
		}
	}
}
