package sqlite

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/storetest"
)

// TestRevisionBaseline: an article saved before revisions existed keeps
// its old state in the history at its next save.
func TestRevisionBaseline(t *testing.T) {
	storetest.RevisionBaseline(t, func(t *testing.T, now func() time.Time) jarchy.Store {
		db := open(t, filepath.Join(t.TempDir(), "jarchy.db"))
		db.Now = now
		return db
	}, func(t *testing.T, s jarchy.Store, id int64) {
		if _, err := s.(*DB).w.Exec("DELETE FROM revisions WHERE article_id = ?", id); err != nil {
			t.Fatal(err)
		}
	})
}
