package postgres

import (
	"context"
	"testing"

	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/storetest"
)

// A body rendered by an older renderer is not served, and Reindex renders
// it again.
func TestStaleBodyHTML(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.StaleBodyHTML(t, db, func(t *testing.T, id int64) {
		if _, err := db.pool.Exec(ctx, "UPDATE articles SET body_html = '<p>old</p>', body_html_version = 0 WHERE id = $1", id); err != nil {
			t.Fatal(err)
		}
	})
}
