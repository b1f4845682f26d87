package postgres

import (
	"context"

	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/storetest"
)

// TestRevisionBaseline: an article saved before revisions existed keeps
// its old state in the history at its next save.
func TestRevisionBaseline(t *testing.T) {
	storetest.RevisionBaseline(t, func(t *testing.T, now func() time.Time) jarchy.Store {
		db, err := Open(context.Background(), pgtest.URL(t))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		db.Now = now
		return db
	}, func(t *testing.T, s jarchy.Store, id int64) {
		if _, err := s.(*DB).pool.Exec(context.Background(), "DELETE FROM revisions WHERE article_id = $1", id); err != nil {
			t.Fatal(err)
		}
	})
}
