package storetest

import (
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// testSEOAndOwner: the SEO title and description round-trip and reach the
// revision snapshot; the owner is set on creation and an update keeps it.
func testSEOAndOwner(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.Kyrgyz, "Бишкекте жаңы парк ачылды")
	a.SEOTitle = "  Жаңы парк  "
	a.SEODescription = "Шаардын борборунда"
	a.OwnerID = 7
	save(t, s, a)
	got := load(t, s, a.ID)
	if got.SEOTitle != "Жаңы парк" || got.SEODescription != "Шаардын борборунда" || got.OwnerID != 7 {
		t.Fatalf("stored SEO %q / %q, owner %d; want Жаңы парк / Шаардын борборунда, 7", got.SEOTitle, got.SEODescription, got.OwnerID)
	}
	got.SEOTitle = "Парк"
	got.OwnerID = 99 // an update never changes the owner
	save(t, s, got)
	again := load(t, s, a.ID)
	if again.SEOTitle != "Парк" || again.OwnerID != 7 {
		t.Fatalf("after update: SEO title %q, owner %d; want Парк, 7", again.SEOTitle, again.OwnerID)
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil || len(revs) != 2 {
		t.Fatalf("revisions: %d, %v; want 2 (the SEO title change is a change)", len(revs), err)
	}
	if revs[0].Article.SEOTitle != "Парк" || revs[1].Article.SEOTitle != "Жаңы парк" {
		t.Errorf("revision SEO titles %q, %q; want Парк, Жаңы парк", revs[0].Article.SEOTitle, revs[1].Article.SEOTitle)
	}
	long := newArticle(jarchy.Kyrgyz, "Узун")
	long.SEODescription = strings.Repeat("ы", jarchy.MaxSEODescriptionLen+1)
	wantCode(t, "over-long SEO description", s.SaveArticle(ctx, long), jarchy.EINVALID)
}

// testOwnerFilter: ArticleFilter.OwnerID keeps one user's articles, also
// with other filters (status, a tag listing's link table).
func testOwnerFilter(t *testing.T, s jarchy.Store) {
	mine := newArticle(jarchy.Russian, "Мой черновик")
	mine.OwnerID = 3
	mine.Tags = []jarchy.Tag{{Name: "Парки"}}
	save(t, s, mine)
	review := newArticle(jarchy.Russian, "Мой на проверке")
	review.OwnerID = 3
	review.Status = jarchy.StatusReview
	save(t, s, review)
	theirs := newArticle(jarchy.Russian, "Чужой черновик")
	theirs.OwnerID = 4
	theirs.Tags = []jarchy.Tag{{Name: "Парки"}}
	save(t, s, theirs)
	save(t, s, newArticle(jarchy.Russian, "Импорт"))

	l := list(t, s, jarchy.ArticleFilter{OwnerID: 3})
	wantIDs(t, "owner 3", l.Articles, review.ID, mine.ID)
	if l.Total != 2 {
		t.Errorf("owner 3 total %d, want 2", l.Total)
	}
	wantIDs(t, "owner 3 drafts", list(t, s, jarchy.ArticleFilter{OwnerID: 3, Status: jarchy.StatusDraft}).Articles, mine.ID)
	l = list(t, s, jarchy.ArticleFilter{OwnerID: 4, TagID: mine.Tags[0].ID})
	wantIDs(t, "owner 4 in tag", l.Articles, theirs.ID)
	if l.Total != 1 {
		t.Errorf("owner 4 in tag total %d, want 1", l.Total)
	}
}
