// Package postgres implements jarchy.Store on PostgreSQL with pgx.
//
// The schema is migrated at Open by the runner both stores share
// (internal/migrate) from the embedded migrations/NNNNN_name.sql, under an
// advisory lock so that several nodes may start at once. Every write runs
// in one transaction that bumps site_state.generation and, when it touched
// something public, sends its jarchy.Change with NOTIFY jarchy_changes;
// Subscribe listens on that channel to hear about writes by other
// processes (changes.go).
package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// notifyChannel is the LISTEN/NOTIFY channel of the writes' Changes.
const notifyChannel = "jarchy_changes"

// DB is a jarchy.Store on PostgreSQL.
type DB struct {
	// Now is the store's clock, for every "now" it needs: which articles are
	// public, timestamps, the publication time of a published article saved
	// without one. Open sets time.Now; a test may set another before using
	// the store.
	Now func() time.Time

	pool *pgxpool.Pool
	id   string // starts this store's NOTIFY payloads, to skip our own notifications

	mu       sync.Mutex
	subs     map[int]func(jarchy.Change)
	nextSub  int
	listener *listener    // running while there are subscribers
	heard    atomic.Int64 // notifications the listener has handled (for tests)
	closed   bool

	oneByOne bool // SaveArticles saves one article at a time (tests compare it with the pipelined batch)
}

var _ jarchy.Store = (*DB)(nil)

// Open connects to the database at url (postgres://…), checks that it
// answers, and applies pending migrations.
func Open(ctx context.Context, url string) (*DB, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("postgres: parse database URL: %w", err)
	}
	return openConfig(ctx, cfg)
}

func openConfig(ctx context.Context, cfg *pgxpool.Config) (*DB, error) {
	if cfg.ConnConfig.ConnectTimeout == 0 {
		// An unreachable host fails in seconds, not after TCP's minutes.
		cfg.ConnConfig.ConnectTimeout = 10 * time.Second
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("postgres: open %s: %w", redact(cfg), err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: cannot reach database %s: %w", redact(cfg), err)
	}
	if err := migrateTo(ctx, cfg.ConnConfig, math.MaxInt64); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate %s: %w", redact(cfg), err)
	}
	return &DB{Now: time.Now, pool: pool, id: storeutil.NewOrigin(), subs: map[int]func(jarchy.Change){}}, nil
}

// redact names the server and database without the password.
func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

// Close stops the listener and closes the connection pool.
func (db *DB) Close() error {
	db.mu.Lock()
	l := db.listener
	db.listener = nil
	db.subs = map[int]func(jarchy.Change){}
	db.closed = true
	db.mu.Unlock()
	if l != nil {
		l.stop()
	}
	db.pool.Close()
	return nil
}

// write runs fn in one transaction that first bumps the generation (which
// also serialises writers); fn returns the Change it makes. A non-empty
// Change goes to other processes by NOTIFY in the same transaction, and
// to local subscribers after commit. When fn returns errNothingWritten,
// the transaction is rolled back (generation step included) and write
// returns nil without notifying.
func (db *DB) write(ctx context.Context, what string, fn func(tx pgx.Tx) (jarchy.Change, error)) error {
	var ch jarchy.Change
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE site_state SET generation = generation + 1 WHERE id = 1"); err != nil {
			return fmt.Errorf("bump generation: %w", err)
		}
		var err error
		if ch, err = fn(tx); err != nil {
			return err
		}
		if ch.Empty() {
			return nil
		}
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", notifyChannel, db.payload(ch)); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		return nil
	})
	if errors.Is(err, errNothingWritten) {
		return nil
	}
	if err != nil {
		return wrapErr(what, err)
	}
	db.notifySubscribers(ch)
	return nil
}

// writePrivate runs fn in one transaction for data that no page shows
// (accounts, sessions, setup tokens): no generation step (so it waits on
// no content writer), no NOTIFY, no subscriber.
func (db *DB) writePrivate(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	return wrapErr(what, pgx.BeginFunc(ctx, db.pool, fn))
}

// errNothingWritten, from a write's fn, ends the write without a change.
var errNothingWritten = errors.New("nothing written")

// read runs fn in a read-only REPEATABLE READ transaction, so that a
// listing's count, rows and relations come from one snapshot.
func (db *DB) read(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, fn)
	return wrapErr(what, err)
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// wrapErr keeps domain errors (and nil) as they are, maps database errors
// onto domain error codes and wraps everything with what was being done.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	var je *jarchy.Error
	if errors.As(err, &je) {
		return err
	}
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, jarchy.Errorf(jarchy.ENOTFOUND, "%s: not found", what))
	}
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return fmt.Errorf("%s: %w", what, &jarchy.Error{Code: jarchy.ECONFLICT, MessageKey: "err.conflict",
				Message: fmt.Sprintf("%s: already exists (%s)", what, pe.ConstraintName)})
		case "23503": // foreign_key_violation
			return fmt.Errorf("%s: %w", what, &jarchy.Error{Code: jarchy.EINVALID, MessageKey: "err.reference",
				Message: fmt.Sprintf("%s: refers to a missing record (%s)", what, pe.ConstraintName)})
		case "22021", "22P05", "54000": // bad UTF-8, untranslatable character, too long
			return fmt.Errorf("%s: %w", what, jarchy.Errorf(jarchy.EINVALID, "%s: %s", what, pe.Message))
		}
	}
	return fmt.Errorf("%s: %w", what, err)
}

// notFound is an ENOTFOUND error.
func notFound(format string, args ...any) error {
	return &jarchy.Error{Code: jarchy.ENOTFOUND, Message: fmt.Sprintf(format, args...), MessageKey: "err.not_found"}
}

// now is the store's clock at the stored precision.
func (db *DB) now() time.Time { return storeutil.Micro(db.Now()) }

// toDB maps the zero time to NULL.
func toDB(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

// fromDB maps NULL to the zero time and a time to UTC.
func fromDB(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}
