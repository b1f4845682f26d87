package postgres

import (
	"context"
	"testing"

	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/storetest"
)

// TestSearchStoredSnippetText runs storetest.RunStoredSnippetText on
// PostgreSQL's search_text.
func TestSearchStoredSnippetText(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		if _, err := db.pool.Exec(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	storetest.RunStoredSnippetText(t, db, storetest.SnippetTextHooks{
		Stored: func(id int64) (string, bool) {
			var s string
			err := db.pool.QueryRow(ctx, "SELECT snippet FROM search_text WHERE article_id = $1", id).Scan(&s)
			return s, err == nil
		},
		Set: func(id int64, text string) {
			exec("UPDATE search_text SET snippet = $1 WHERE article_id = $2", text, id)
		},
		Drop: func(id int64) {
			if id == 0 {
				exec("DELETE FROM search_text")
			} else {
				exec("DELETE FROM search_text WHERE article_id = $1", id)
			}
		},
	})
}
