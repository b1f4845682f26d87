package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/jarchy/jarchy/storetest"
)

// TestSearchStoredSnippetText runs storetest.RunStoredSnippetText on
// SQLite's search_text.
func TestSearchStoredSnippetText(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "text.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string, args ...any) {
		if _, err := db.w.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	storetest.RunStoredSnippetText(t, db, storetest.SnippetTextHooks{
		Stored: func(id int64) (string, bool) {
			var s string
			err := db.r.QueryRowContext(ctx, "SELECT snippet FROM search_text WHERE id = ?", id).Scan(&s)
			return s, err == nil
		},
		Set: func(id int64, text string) { exec("UPDATE search_text SET snippet = ? WHERE id = ?", text, id) },
		Drop: func(id int64) {
			if id == 0 {
				exec("DELETE FROM search_text")
			} else {
				exec("DELETE FROM search_text WHERE id = ?", id)
			}
		},
	})
}
