package postgres_test

import (
	"context"
	"testing"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/storetest"
)

// TestStore runs the contract suite shared with the SQLite store.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) jarchy.Store {
		return open(t, pgtest.URL(t))
	})
	storetest.RunShared(t, func(t *testing.T) (a, b jarchy.Store) {
		url := pgtest.URL(t)
		return open(t, url), open(t, url)
	})
}

var _ = context.Background
