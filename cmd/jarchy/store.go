package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// storeFlags are the flags every command that opens the store takes.
type storeFlags struct {
	data *string
	db   *string
}

func addStoreFlags(fs *flag.FlagSet, e *env) storeFlags {
	return storeFlags{
		data: stringFlag(fs, e, "data", "./jarchy-data", "data folder (SQLite database, media)"),
		db:   stringFlag(fs, e, "db", "", "database: a postgres:// URL, or an SQLite file (default <data>/jarchy.db)"),
	}
}

func isPostgres(db string) bool {
	return strings.HasPrefix(db, "postgres://") || strings.HasPrefix(db, "postgresql://")
}

// redact hides the password of a database URL for messages.
func redact(db string) string {
	if !isPostgres(db) {
		return db
	}
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://…"
	}
	return u.Redacted()
}

// open opens the store and the media folder. Errors are messages for a
// human: what could not be opened and why.
func (f storeFlags) open(ctx context.Context) (jarchy.Store, *media.Dir, error) {
	data := *f.data
	if data == "" {
		return nil, nil, errors.New("--data must not be empty")
	}
	if err := os.MkdirAll(data, 0o755); err != nil {
		return nil, nil, fmt.Errorf("cannot create data folder: %w", err)
	}
	db := *f.db
	var st jarchy.Store
	var err error
	switch {
	case isPostgres(db):
		st, err = postgres.Open(ctx, db)
	default:
		if db == "" {
			db = filepath.Join(data, "jarchy.db")
		}
		st, err = sqlite.Open(ctx, db)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("cannot open database %s: %w", redact(db), err)
	}
	blobs, err := media.OpenDir(filepath.Join(data, "media"))
	if err != nil {
		st.Close()
		return nil, nil, fmt.Errorf("cannot open media folder: %w", err)
	}
	return st, blobs, nil
}
