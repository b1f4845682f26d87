package postgres_test

import (
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/storetest"
)

// TestContract runs the contract suite shared with the SQLite store;
// -run 'TestContract/Articles' runs one part.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) jarchy.Store {
		db := open(t, pgtest.URL(t))
		db.Now = now
		return db
	})
	t.Run("Shared", func(t *testing.T) {
		storetest.RunShared(t, func(t *testing.T) (a, b jarchy.Store) {
			url := pgtest.URL(t)
			return open(t, url), open(t, url)
		})
	})
}
