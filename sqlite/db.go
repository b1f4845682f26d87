// Package sqlite implements jarchy.Store on SQLite (modernc.org/sqlite, pure
// Go) in WAL mode.
//
// Writes go through one connection (database/sql pool of size 1, BEGIN
// IMMEDIATE), so writers in this process queue instead of failing with
// SQLITE_BUSY; writers in other processes wait on busy_timeout. Reads use
// a separate pool of read-only connections. synchronous=FULL makes every
// acknowledged commit survive a power cut (NORMAL in WAL mode may lose the
// last commits). The schema is migrated at Open by the runner both stores
// share (internal/migrate) from the embedded migrations/NNNNN_name.sql.
// Every write that touched something public appends its jarchy.Change to
// the changes table, which other processes' pollers read (changes.go).
package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/migrate"
	"github.com/jarchy/jarchy/internal/storeutil"
	msqlite "modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// DB is a jarchy.Store on one SQLite database file.
type DB struct {
	// Now is the store's clock, for every "now" it needs: which articles are
	// public, timestamps, the publication time of a published article saved
	// without one. Open sets time.Now; a test may set another before using
	// the store.
	Now func() time.Time

	path string
	w    *sql.DB // the one writer connection
	r    *sql.DB // read-only pool

	// origin names this store handle in the change log, whose rows it
	// skips: its subscribers had its own changes at commit.
	origin string
	seenMu sync.Mutex
	seen   int64 // the newest change log row the poller has read

	counts countCache

	commentPosts commentBatcher // group commit of PostComment

	wstmts, rstmts *stmtPool // prepared statements of each pool

	subMu    sync.Mutex
	subs     map[int]func(jarchy.Change)
	nextSub  int
	stopPoll chan struct{}
	pollDone chan struct{}
	closed   bool
}

var _ jarchy.Store = (*DB)(nil)

func dsn(path string, pragmas []string, txlock bool) string {
	q := url.Values{}
	for _, p := range pragmas {
		q.Add("_pragma", p)
	}
	if txlock {
		q.Set("_txlock", "immediate")
	}
	return "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
}

// Open opens (creating if needed) the database at path and migrates it.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" {
		return nil, fmt.Errorf("open sqlite database: empty path")
	}
	w, err := sql.Open("sqlite", dsn(path, []string{
		"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)", "synchronous(FULL)", "cache_size(-32000)",
		"journal_size_limit(67108864)", // shrink the WAL file back after a big import
	}, true))
	if err != nil {
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	w.SetMaxOpenConns(1)
	w.SetMaxIdleConns(1)
	w.SetConnMaxLifetime(0)
	w.SetConnMaxIdleTime(0)

	readers := max(4, runtime.NumCPU()) + 1 // +1 for the change poller
	r, err := sql.Open("sqlite", dsn(path, []string{
		"busy_timeout(10000)", "foreign_keys(1)", "query_only(1)", "cache_size(-8000)",
	}, false))
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	r.SetMaxOpenConns(readers)
	r.SetMaxIdleConns(readers)
	r.SetConnMaxIdleTime(0)
	r.SetConnMaxLifetime(0)

	db := &DB{Now: time.Now, path: path, w: w, r: r, origin: storeutil.NewOrigin(), subs: map[int]func(jarchy.Change){}, wstmts: newStmtPool(w), rstmts: newStmtPool(r)}
	if err := retryBusy(ctx, func() error { return w.PingContext(ctx) }); err != nil {
		db.closeDBs()
		return nil, fmt.Errorf("open sqlite database %q: %w", path, err)
	}
	if err := retryBusy(ctx, func() error { return migrate.Up(ctx, w, migrations(path)) }); err != nil {
		db.closeDBs()
		return nil, fmt.Errorf("migrate sqlite database %q: %w", path, err)
	}
	if err := r.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM changes").Scan(&db.seen); err != nil {
		db.closeDBs()
		return nil, fmt.Errorf("open sqlite database %q: read the change log: %w", path, err)
	}
	return db, nil
}

func (db *DB) closeDBs() {
	db.r.Close()
	db.w.Close()
}

// Close stops the change poller and closes the database.
func (db *DB) Close() error {
	db.subMu.Lock()
	if db.closed {
		db.subMu.Unlock()
		return nil
	}
	db.closed = true
	done := db.stopPollerLocked()
	db.subMu.Unlock()
	if done != nil {
		<-done // the poller has given back its connection
	}
	db.wstmts.close()
	db.rstmts.close()
	errR := db.r.Close()
	errW := db.w.Close()
	return errors.Join(errW, errR)
}

// write runs fn in one IMMEDIATE transaction on the writer connection;
// fn returns the Change it makes. In the same transaction write bumps the
// generation and logs a non-empty Change for other processes; after commit
// it gives the Change to the subscribers. When fn returns
// errNothingWritten, the transaction is rolled back and write returns nil
// without a generation step or a notification.
func (db *DB) write(ctx context.Context, what string, fn func(tx *qtx) (jarchy.Change, error)) error {
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(what, err)
	}
	tx := &qtx{Tx: sqlTx, pool: db.wstmts}
	defer func() {
		sqlTx.Rollback()
		db.wstmts.prepare(tx.missed)
	}()
	ch, err := fn(tx)
	if errors.Is(err, errNothingWritten) {
		return nil
	}
	if err != nil {
		return wrapErr(what, err)
	}
	if _, err := tx.ExecContext(ctx, "UPDATE site_state SET generation = generation + 1 WHERE id = 1"); err != nil {
		return wrapErr(what, err)
	}
	if !ch.Empty() {
		if err := db.logChange(ctx, tx, ch); err != nil {
			return wrapErr(what, fmt.Errorf("log the change: %w", err))
		}
	}
	if err := sqlTx.Commit(); err != nil {
		return wrapErr(what, err)
	}
	db.notifySubscribers(ch)
	return nil
}

// writePrivate runs fn in one IMMEDIATE transaction on the writer
// connection for data that no page shows (accounts, sessions, setup
// tokens): no generation step, no change log, no subscriber. A session
// renewal thus invalidates nothing, not even the listing-count cache.
func (db *DB) writePrivate(ctx context.Context, what string, fn func(tx *qtx) error) error {
	sqlTx, err := db.w.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(what, err)
	}
	tx := &qtx{Tx: sqlTx, pool: db.wstmts}
	defer func() {
		sqlTx.Rollback()
		db.wstmts.prepare(tx.missed)
	}()
	if err := fn(tx); err != nil {
		return wrapErr(what, err)
	}
	return wrapErr(what, sqlTx.Commit())
}

// errNothingWritten, from a write's fn, ends the write without a change.
var errNothingWritten = errors.New("nothing written")

// read runs fn in one read transaction (a consistent snapshot).
func (db *DB) read(ctx context.Context, what string, fn func(tx *qtx) error) error {
	sqlTx, err := db.r.BeginTx(ctx, nil)
	if err != nil {
		return wrapErr(what, err)
	}
	tx := &qtx{Tx: sqlTx, pool: db.rstmts}
	defer func() {
		sqlTx.Rollback()
		db.rstmts.prepare(tx.missed)
	}()
	if err := fn(tx); err != nil {
		return wrapErr(what, err)
	}
	return nil
}

// retryBusy runs f again while it fails with SQLITE_BUSY, for up to 10 s.
// Switching a new database to WAL, or opening one while another process
// closes it, can answer SQLITE_BUSY without waiting on busy_timeout, so
// processes that open the same fresh database at once would otherwise fail.
func retryBusy(ctx context.Context, f func() error) error {
	deadline := time.Now().Add(10 * time.Second)
	for pause := time.Millisecond; ; pause = min(2*pause, 100*time.Millisecond) {
		err := f()
		var se *msqlite.Error
		if err == nil || !errors.As(err, &se) || se.Code()&0xff != sqlite3.SQLITE_BUSY || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(pause):
		}
	}
}

// querier runs a read statement: a transaction (qtx) or, for a read that is
// one statement, the read pool itself (db.pool()).
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// wrapErr keeps domain errors (and nil) as they are, maps constraint
// failures to ECONFLICT and wraps everything else with what was being done.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	var je *jarchy.Error
	if errors.As(err, &je) {
		return err
	}
	var se *msqlite.Error
	if errors.As(err, &se) && se.Code()&0xff == sqlite3.SQLITE_CONSTRAINT {
		return &jarchy.Error{Code: jarchy.ECONFLICT, Message: what + ": " + se.Error(), MessageKey: "err.conflict"}
	}
	return fmt.Errorf("sqlite: %s: %w", what, err)
}

// notFound is an ENOTFOUND error.
func notFound(format string, args ...any) error {
	return &jarchy.Error{Code: jarchy.ENOTFOUND, Message: fmt.Sprintf(format, args...), MessageKey: "err.not_found"}
}

// now is the store's clock at the stored precision.
func (db *DB) now() time.Time { return storeutil.Micro(db.Now()) }

// Time columns are unix microseconds; NULL or 0 is the zero time.
func toDB(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UnixMicro()
}

func fromDB(v sql.NullInt64) time.Time {
	if !v.Valid {
		return time.Time{}
	}
	return time.UnixMicro(v.Int64).UTC()
}
