package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// TestReindexSeesSavesAfterRead: Reindex reads and analyses a batch
// before its write transaction; an article saved in between is indexed as
// saved, not as read.
func TestReindexSeesSavesAfterRead(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Тоолор жөнүндө", Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news"}}
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	w := db.prepareReindex(ctx, []int64{a.ID})
	if w.err != nil || len(w.arts) != 1 {
		t.Fatalf("prepare: %v, %d articles", w.err, len(w.arts))
	}
	a.Title = "Деңиздер жөнүндө"
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if err := db.write(ctx, "reindex", func(tx pgx.Tx) (jarchy.Change, error) {
		return reindexWrite(ctx, tx, w, false, time.Now())
	}); err != nil {
		t.Fatal(err)
	}
	for q, want := range map[string]int{"деңиз ": 1, "тоолор ": 0} {
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: q, Lang: jarchy.Kyrgyz})
		if err != nil || res.Total != want {
			t.Errorf("%s: total %d (%v), want %d", q, res.Total, err, want)
		}
	}
}
