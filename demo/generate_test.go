package demo

import (
	"context"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

func TestGenerate(t *testing.T) {
	ctx := context.Background()
	db, blobs := openStores(t)
	const n = 600
	var last int
	if err := putGenCovers(ctx, blobs); err != nil { // timed apart
		t.Fatal(err)
	}
	start := time.Now()
	if err := Generate(ctx, db, blobs, n, func(done int) { last = done }); err != nil {
		t.Fatal(err)
	}
	t.Logf("generated %d articles in %v", n, time.Since(start))
	if last != n {
		t.Errorf("progress ended at %d, want %d", last, n)
	}
	all, err := db.Articles(ctx, jarchy.ArticleFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if all.Total != n {
		t.Errorf("%d articles, want %d", all.Total, n)
	}
	ky, _ := db.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, Limit: 1})
	ru, _ := db.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Russian, Limit: 1})
	if ky.Total < n/3 || ru.Total < n/5 {
		t.Errorf("language mix ky=%d ru=%d", ky.Total, ru.Total)
	}
	a, err := db.ArticleByExternalID(ctx, GenExternalID(7))
	if err != nil {
		t.Fatal(err)
	}
	if a.Cover != nil {
		if ok, _ := blobs.Exists(ctx, a.Cover.Key); !ok {
			t.Errorf("cover %s missing", a.Cover.Key)
		}
	}
	// Running again updates the same articles instead of adding more.
	if err := Generate(ctx, db, blobs, 50, nil); err != nil {
		t.Fatal(err)
	}
	if all, _ := db.Articles(ctx, jarchy.ArticleFilter{Limit: 1}); all.Total != n {
		t.Errorf("after a second run %d articles, want %d", all.Total, n)
	}
}
