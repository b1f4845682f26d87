package postgres_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// A body of the maximum size made of tens of thousands of distinct tokens
// (codes, hyphenated numbers) would make a tsvector over PostgreSQL's
// 1 MB limit: the index keeps its first terms, the article saves, and its
// first token is found. Without the cut the save fails ("string is too
// long for tsvector").
func TestHugeVocabularyBody(t *testing.T) {
	ctx := context.Background()
	db := open(t, pgtest.URL(t))
	for i, format := range []string{"w%dx%d ", "%d-%d ", "ж%dы%d "} {
		var b strings.Builder
		for n := 0; b.Len() < jarchy.MaxBodyLen-40; n++ {
			fmt.Fprintf(&b, format, n, n*7919%100003)
		}
		a := &jarchy.Article{Lang: jarchy.English, Title: fmt.Sprintf("Codes %d", i), Body: b.String(),
			Status: jarchy.StatusPublished, PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Section: jarchy.Section{Slug: "codes"}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatalf("%q: %v", format, err)
		}
		first := strings.Fields(fmt.Sprintf(format, 0, 0))[0]
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: first + " ", Lang: jarchy.English})
		if err != nil || res.Total != 1 || res.Hits[0].Article.ID != a.ID {
			t.Errorf("%q: search for %q: %+v, %v", format, first, res, err)
		}
	}
}
