package postgres

import (
	"context"
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
	m, err := prepareMatch(ctx, tx, "'шайлоо' & ( 'депутат' | 'деп':* )")
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
