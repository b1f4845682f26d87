package sqlite

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// More matches than jarchy.SearchTotalCap: the total is capped, relevance
// ranks the newest matches, date order is exact.
func TestSearchCap(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "cap.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	n := jarchy.SearchTotalCap + 50
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	var as []*jarchy.Article
	for i := 0; i < n; i++ {
		// ids rise while publication times fall: date order is not id order
		as = append(as, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Шайлоо %d", i), Body: "Шайлоо тууралуу.",
			Section: jarchy.Section{Slug: "news"}, Status: jarchy.StatusPublished, PublishedAt: base.Add(-time.Duration(i) * time.Minute)})
	}
	if err := db.SaveArticles(ctx, as); err != nil {
		t.Fatal(err)
	}
	res, err := db.Search(ctx, jarchy.SearchQuery{Text: "шайлоо ", Lang: jarchy.Kyrgyz})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != jarchy.SearchTotalCap || !res.TotalCapped || len(res.Hits) != 20 {
		t.Fatalf("total %d capped %v hits %d", res.Total, res.TotalCapped, len(res.Hits))
	}
	res, err = db.Search(ctx, jarchy.SearchQuery{Text: "шайлоо ", Lang: jarchy.Kyrgyz, Sort: jarchy.SortDate, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 3 || res.Hits[0].Article.ID != as[0].ID || res.Hits[2].Article.ID != as[2].ID {
		t.Errorf("by date: %v", []int64{res.Hits[0].Article.ID, res.Hits[1].Article.ID})
	}
	res, err = db.Search(ctx, jarchy.SearchQuery{Text: "шайлоо ", Lang: jarchy.Kyrgyz, Offset: jarchy.SearchTotalCap})
	if err != nil || len(res.Hits) != 0 {
		t.Errorf("past the cap: %d hits, %v", len(res.Hits), err)
	}
	res, err = db.Search(ctx, jarchy.SearchQuery{Text: "шайлоо ", Lang: jarchy.Russian})
	if err != nil || res.Total != 0 || res.TotalCapped {
		t.Errorf("other language: %+v %v", res.Total, err)
	}
}
