package postgres

import (
	"context"
	"fmt"
	"maps"
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

// TestReindexKeepsUnchangedRows: a Reindex that finds an index row as it
// would write it leaves the row where it is (same ctid: no dead row, the
// table keeps its id order); a changed article's rows are rewritten.
func TestReindexKeepsUnchangedRows(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var arts []*jarchy.Article
	for _, title := range []string{"Тоолор жөнүндө", "Деңиздер жөнүндө"} {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Body: "Суу жана таш.", Status: jarchy.StatusPublished,
			PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news"}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		arts = append(arts, a)
	}
	ctids := func() map[string]string {
		out := map[string]string{}
		for _, table := range []string{"search_docs", "search_match", "search_text"} {
			for _, a := range arts {
				var ctid string
				if err := db.pool.QueryRow(ctx, "SELECT ctid::text FROM "+table+" WHERE article_id = $1", a.ID).Scan(&ctid); err != nil {
					t.Fatalf("%s row of %d: %v", table, a.ID, err)
				}
				out[fmt.Sprint(table, " ", a.ID)] = ctid
			}
		}
		return out
	}
	before := ctids()
	if err := db.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if after := ctids(); !maps.Equal(after, before) {
		t.Errorf("Reindex of unchanged articles moved rows: %v -> %v", before, after)
	}
	// the same content saved by a path that writes the row anyway
	// (reindexAuthor, the batch save) must not move it either
	if err := db.write(ctx, "rewrite", func(tx pgx.Tx) (jarchy.Change, error) {
		return jarchy.Change{}, indexArticle(ctx, tx, arts[0], false)
	}); err != nil {
		t.Fatal(err)
	}
	if after := ctids(); !maps.Equal(after, before) {
		t.Errorf("writing an unchanged index row moved it: %v -> %v", before, after)
	}
	arts[1].Body = "Кум жана шамал."
	if err := db.SaveArticle(ctx, arts[1]); err != nil {
		t.Fatal(err)
	}
	after := ctids()
	for _, table := range []string{"search_docs", "search_match", "search_text"} {
		k0, k1 := fmt.Sprint(table, " ", arts[0].ID), fmt.Sprint(table, " ", arts[1].ID)
		if after[k0] != before[k0] {
			t.Errorf("%s: the unchanged article's row moved", table)
		}
		if after[k1] == before[k1] {
			t.Errorf("%s: the changed article's row was not rewritten", table)
		}
	}
	res, err := db.Search(ctx, jarchy.SearchQuery{Text: "шамал ", Lang: jarchy.Kyrgyz})
	if err != nil || res.Total != 1 {
		t.Errorf("search for the new body: total %d (%v), want 1", res.Total, err)
	}
}
