// Package postgres implements jarchy.Store on PostgreSQL with pgx.
//
// The schema is migrated at Open from the embedded migrations/NNNN_name.sql
// files, in one transaction under an advisory lock so that several nodes may
// start at once. Every write runs in one transaction that bumps
// site_state.generation and sends NOTIFY jarchy_changes; Subscribe listens
// on that channel to hear about writes by other processes.
package postgres

import (
	"context"
	"crypto/rand"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/jarchy/jarchy"
)

//go:embed migrations/*.sql
var migrationFS embed.FS

// migrationFiles is the folder of migration files (a variable for tests).
var migrationFiles fs.FS = migrationFS

// notifyChannel is the LISTEN/NOTIFY channel every write signals on.
const notifyChannel = "jarchy_changes"

// migrationLock is the advisory lock key held while migrating ("jarchy").
const migrationLock int64 = 0x6a6172636879

// DB is a jarchy.Store on PostgreSQL.
type DB struct {
	pool *pgxpool.Pool
	id   string // this store's NOTIFY payload, to skip our own notifications

	mu       sync.Mutex
	subs     map[int]func()
	nextSub  int
	listener *listener    // running while there are subscribers
	heard    atomic.Int64 // notifications the listener has handled (for tests)
	closed   bool
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
	if err := migrate(ctx, pool, migrationFiles); err != nil {
		pool.Close()
		return nil, fmt.Errorf("postgres: migrate %s: %w", redact(cfg), err)
	}
	return &DB{pool: pool, id: randomHex(8), subs: map[int]func(){}}, nil
}

// redact names the server and database without the password.
func redact(cfg *pgxpool.Config) string {
	c := cfg.ConnConfig
	return fmt.Sprintf("%s@%s:%d/%s", c.User, c.Host, c.Port, c.Database)
}

type migration struct {
	version int
	name    string
	sql     string
}

// migrations returns the migrations in fsys ordered by version.
func migrations(fsys fs.FS) ([]migration, error) {
	names, err := fs.Glob(fsys, "migrations/*.sql")
	if err != nil {
		return nil, err
	}
	var out []migration
	seen := map[int]string{}
	for _, path := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(path, "migrations/"), ".sql")
		num, name, ok := strings.Cut(base, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v <= 0 {
			return nil, fmt.Errorf("migration file %s: name must be NNNN_name.sql", path)
		}
		if prev, dup := seen[v]; dup {
			return nil, fmt.Errorf("migrations %s and %s share version %d", prev, path, v)
		}
		seen[v] = path
		b, err := fs.ReadFile(fsys, path)
		if err != nil {
			return nil, err
		}
		out = append(out, migration{version: v, name: name, sql: string(b)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].version < out[j].version })
	return out, nil
}

// migrate applies pending migrations in one transaction under an advisory
// lock, recording each in schema_migrations.
func migrate(ctx context.Context, pool *pgxpool.Pool, fsys fs.FS) error {
	ms, err := migrations(fsys)
	if err != nil {
		return err
	}
	return pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "SELECT pg_advisory_xact_lock($1)", migrationLock); err != nil {
			return fmt.Errorf("advisory lock: %w", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    integer PRIMARY KEY,
			name       text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`); err != nil {
			return fmt.Errorf("create schema_migrations: %w", err)
		}
		applied := map[int]bool{}
		rows, err := tx.Query(ctx, "SELECT version FROM schema_migrations")
		if err != nil {
			return err
		}
		for rows.Next() {
			var v int
			if err := rows.Scan(&v); err != nil {
				return err
			}
			applied[v] = true
		}
		if err := rows.Err(); err != nil {
			return err
		}
		latest := 0
		for v := range applied {
			latest = max(latest, v)
		}
		if len(ms) > 0 && latest > ms[len(ms)-1].version {
			return fmt.Errorf("database schema version %d is newer than this binary knows (%d)", latest, ms[len(ms)-1].version)
		}
		for _, m := range ms {
			if applied[m.version] {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("migration %04d_%s: %w", m.version, m.name, err)
			}
			if _, err := tx.Exec(ctx, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", m.version, m.name); err != nil {
				return err
			}
		}
		return nil
	})
}

// Close stops the listener and closes the connection pool.
func (db *DB) Close() error {
	db.mu.Lock()
	l := db.listener
	db.listener = nil
	db.subs = map[int]func(){}
	db.closed = true
	db.mu.Unlock()
	if l != nil {
		l.stop()
	}
	db.pool.Close()
	return nil
}

// write runs fn in one transaction that first bumps the generation (which
// also serialises writers) and, on success, notifies other processes via
// NOTIFY and local subscribers after commit.
func (db *DB) write(ctx context.Context, what string, fn func(tx pgx.Tx) error) error {
	err := pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "UPDATE site_state SET generation = generation + 1 WHERE id = 1"); err != nil {
			return fmt.Errorf("bump generation: %w", err)
		}
		if err := fn(tx); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, "SELECT pg_notify($1, $2)", notifyChannel, db.id); err != nil {
			return fmt.Errorf("notify: %w", err)
		}
		return nil
	})
	if err != nil {
		return wrap(err, what)
	}
	db.notifyLocal()
	return nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// wrap maps database errors onto domain error codes, keeping *jarchy.Error
// as is, and adds context.
func wrap(err error, what string) error {
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

func notFound(format string, args ...any) error {
	return jarchy.Errorf(jarchy.ENOTFOUND, format, args...)
}

func randomHex(n int) string {
	b := make([]byte, n)
	rand.Read(b)
	return hex.EncodeToString(b)
}

// nullTime maps the zero time to NULL.
func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func timeOf(p *time.Time) time.Time {
	if p == nil {
		return time.Time{}
	}
	return p.UTC()
}

// Generation returns the site-wide content generation.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := db.pool.QueryRow(ctx, "SELECT generation FROM site_state WHERE id = 1").Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("generation: %w", err)
	}
	return g, nil
}

// Empty reports whether there are no articles.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles)").Scan(&exists); err != nil {
		return false, fmt.Errorf("empty: %w", err)
	}
	return !exists, nil
}
