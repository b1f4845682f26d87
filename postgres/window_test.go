package postgres

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/storetest"
)

// TestSearchWindows runs the search contract with windows of a few
// article ids, so that newestMatches looks through many of them (at the
// real size the contract's stores fit in the first).
func TestSearchWindows(t *testing.T) {
	saved := firstWindow
	firstWindow = 3
	t.Cleanup(func() { firstWindow = saved })
	storetest.RunSearch(t, func(t *testing.T, now func() time.Time) jarchy.Store {
		db, err := Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = now
		return db
	})
}

// TestSearchParsesQueryOnce: the statements a search runs must not call
// to_tsquery per row. The matching statements take the query as a
// tsquery constant and the ranking one parses it in FROM; a filter
// "lexemes @@ to_tsquery(...)" parsed the query again for every row it
// tested (a third of the ranking time at 100,000 articles).
func TestSearchParsesQueryOnce(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	m, err := prepareMatch(ctx, tx, "'шайлоо' & ( 'депутат' | 'деп':* )", "'шайлоо'")
	if err != nil {
		t.Fatal(err)
	}
	where, args := searchWhere(searchindex.Plan{Lang: jarchy.Kyrgyz, Now: time.Now()}, m, false)
	// the window statement as newestMatches plans it: with its values
	plan := explain(t, tx, "SELECT d.article_id"+where+" AND d.article_id > 0 AND d.article_id <= 100 ORDER BY d.article_id DESC LIMIT 10",
		append([]any{pgx.QueryExecModeExec}, args...)...)
	if strings.Contains(plan, "to_tsquery") || !strings.Contains(plan, "::tsquery") {
		t.Errorf("window plan does not match a tsquery constant:\n%s", plan)
	}
	// the ranking statement, planned generically as a cached statement may be
	for _, sql := range []string{"SET LOCAL plan_cache_mode = force_generic_plan",
		"PREPARE rank_check (text, bigint[]) AS " + rankPoolSQL} {
		if _, err := tx.Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	plan = explain(t, tx, "EXECUTE rank_check ('"+strings.ReplaceAll(m.tsq, "'", "''")+"', '{1,2,3}')")
	if strings.Contains(plan, "d.doc, to_tsquery") || !strings.Contains(plan, "Function Scan on pg_catalog.to_tsquery q") {
		t.Errorf("ranking plan parses the query per row:\n%s", plan)
	}
}

func explain(t *testing.T, tx pgx.Tx, sql string, args ...any) string {
	t.Helper()
	rows, err := tx.Query(context.Background(), "EXPLAIN (VERBOSE) "+sql, args...)
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatalf("explain: %v", err)
	}
	return strings.Join(lines, "\n")
}

// TestSearchRestFromIndexWithoutShortPrefixes: when newestMatches reads
// the rest of the matches from the word index, it asks it for the query
// without its short prefixes and checks the whole query on the rows it
// gets; a query of short prefixes only walks the ids. Either way the hits
// and totals are those of one window over every id.
func TestSearchRestFromIndexWithoutShortPrefixes(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	words := []string{"карагай", "кантип", "калаа", "тоо", "суу", "жол", "таш", "кар", "мектеп", "бала"}
	base := time.Now().Add(-time.Hour)
	var as []*jarchy.Article
	for i := 0; i < 120; i++ {
		title := words[i%len(words)] + " " + words[(i*7+3)%len(words)]
		if i%9 == 0 {
			title += " мектептер"
		}
		as = append(as, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Status: jarchy.StatusPublished,
			PublishedAt: base.Add(time.Duration(i) * time.Second), Section: jarchy.Section{Slug: "news"}})
	}
	if err := db.SaveArticles(ctx, as); err != nil {
		t.Fatal(err)
	}
	search := func(text string) string {
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: text, Lang: jarchy.Kyrgyz, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		ids := make([]int64, len(res.Hits))
		for i, h := range res.Hits {
			ids[i] = h.Article.ID
		}
		return fmt.Sprint(res.Total, ids)
	}
	saved := firstWindow
	t.Cleanup(func() { firstWindow = saved })
	for _, text := range []string{"мектеп ка", "мектеп кар", "тоо ка", "ка", "кар", "мектеп -тоо ка", "бала мект"} {
		firstWindow = 1 << 40
		want := search(text)
		firstWindow = 2
		if got := search(text); got != want {
			t.Errorf("%q: windows of 2 ids give %s, one window %s", text, got, want)
		}
		if want == "0 []" {
			t.Errorf("%q matches nothing: the test tests little", text)
		}
	}
}
