package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
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
