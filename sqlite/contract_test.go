package sqlite_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/storetest"
)

func openAt(t *testing.T, path string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return db
}

func openTemp(t *testing.T) *sqlite.DB {
	return openAt(t, filepath.Join(t.TempDir(), "jarchy.db"))
}

// TestContract runs the contract suite shared with the PostgreSQL store;
// -run 'TestContract/Articles' runs one part.
func TestContract(t *testing.T) {
	storetest.Run(t, func(t *testing.T, now func() time.Time) jarchy.Store {
		db := openTemp(t)
		db.Now = now
		return db
	})
	t.Run("Shared", func(t *testing.T) {
		storetest.RunShared(t, func(t *testing.T) (a, b jarchy.Store) {
			path := filepath.Join(t.TempDir(), "shared.db")
			return openAt(t, path), openAt(t, path)
		})
	})
}
