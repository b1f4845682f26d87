// Package migrate is the one migration runner of both stores: goose's
// Provider (github.com/pressly/goose/v3) with one set of rules, so that the
// SQLite and PostgreSQL stores cannot drift apart.
//
//   - Migrations are numbered 1..n without gaps or duplicates: SQL files
//     named NNNNN_name.sql with goose annotations, and Go migrations for
//     data changes. A set that breaks the numbering is refused before the
//     database is touched.
//   - Each migration runs in its own transaction, together with its row in
//     the version table goose_db_version: it is applied whole or not at all.
//     Migrations go forward only; nothing runs a Down section.
//   - Runs are serialised across processes and nodes by a session lock
//     (PostgresLock, FileLock).
//   - A database at a version this binary does not know is refused with
//     ErrNewerSchema.
//   - A database migrated by jarchy's first runner (version table
//     schema_migrations) is taken over without running anything again.
package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math"
	"path"
	"regexp"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	"github.com/pressly/goose/v3/lock"
)

// Table is the version table: goose's, one row per applied migration.
const Table = goose.DefaultTablename

// ErrNewerSchema means the database was migrated by a newer jarchy.
var ErrNewerSchema = errors.New("database schema is newer than this jarchy binary")

// Config is one store's migration set.
type Config struct {
	Dialect database.Dialect // database.DialectSQLite3 or database.DialectPostgres
	// FS holds the SQL migrations, NNNNN_name.sql, at its root.
	FS fs.FS
	// Go are the migrations written in Go (data changes), numbered among
	// the files: goose.NewGoMigration(n, &goose.GoFunc{RunTx: …}, nil).
	Go []*goose.Migration
	// Locker serialises runs on one database across processes and nodes.
	Locker lock.SessionLocker
}

// Up applies every pending migration.
func Up(ctx context.Context, db *sql.DB, c Config) error {
	return UpTo(ctx, db, c, math.MaxInt64)
}

// UpTo applies the pending migrations up to and including version (tests
// use it to build a database at an old schema).
func UpTo(ctx context.Context, db *sql.DB, c Config, version int64) error {
	p, latest, err := newProvider(db, c)
	if err != nil {
		return err
	}
	if err := prepare(ctx, db, c, latest); err != nil {
		return err
	}
	results, err := p.UpTo(ctx, version)
	if pe, ok := errors.AsType[*goose.PartialError](err); ok {
		results = pe.Applied
		err = fmt.Errorf("migration %s: %w", describe(pe.Failed.Source), pe.Err)
	}
	for _, r := range results {
		slog.Info("migrate: applied", "dialect", c.Dialect, "migration", describe(r.Source), "duration", r.Duration)
	}
	return err
}

// fileName is how a migration file is named: five digits, then a name.
var fileName = regexp.MustCompile(`^[0-9]{5}_[a-z0-9_]+\.sql$`)

// noTransaction finds goose's annotation that runs a file outside a transaction.
var noTransaction = regexp.MustCompile(`(?im)^--\s*\+goose\s+no\s+transaction\s*$`)

// newProvider checks the migration set and returns goose's provider for it
// and the newest version it knows.
func newProvider(db *sql.DB, c Config) (*goose.Provider, int64, error) {
	if c.FS == nil || c.Locker == nil {
		return nil, 0, errors.New("migrations: a migration set needs files and a locker")
	}
	entries, err := fs.ReadDir(c.FS, ".")
	if err != nil {
		return nil, 0, fmt.Errorf("migrations: %w", err)
	}
	for _, e := range entries {
		if e.IsDir() || !fileName.MatchString(e.Name()) {
			return nil, 0, fmt.Errorf("migrations: %q is not named NNNNN_name.sql (five digits, lower-case name)", e.Name())
		}
		body, err := fs.ReadFile(c.FS, e.Name())
		if err != nil {
			return nil, 0, fmt.Errorf("migrations: %w", err)
		}
		if noTransaction.Match(body) {
			return nil, 0, fmt.Errorf("migrations: %s asks for no transaction; every migration runs in its own", e.Name())
		}
	}
	for _, m := range c.Go {
		if m.UpFnNoTxContext != nil {
			return nil, 0, fmt.Errorf("migrations: Go migration %d runs outside a transaction (GoFunc.RunDB); use RunTx", m.Version)
		}
	}
	// goose refuses duplicate versions; the numbering check is ours.
	p, err := goose.NewProvider(c.Dialect, db, c.FS,
		goose.WithGoMigrations(c.Go...),
		goose.WithDisableGlobalRegistry(true),
		goose.WithSessionLocker(c.Locker))
	if err != nil {
		return nil, 0, fmt.Errorf("migrations: %w", err)
	}
	sources := p.ListSources()
	for i, s := range sources {
		if s.Version != int64(i+1) {
			return nil, 0, fmt.Errorf("migrations are not numbered 1..n: %s comes where %d belongs", describe(s), i+1)
		}
	}
	return p, int64(len(sources)), nil
}

func describe(s *goose.Source) string {
	if s.Path == "" {
		return fmt.Sprintf("%d (Go)", s.Version)
	}
	return path.Base(s.Path)
}

// legacyTable is the version table of jarchy's first runner.
const legacyTable = "schema_migrations"

// legacyMark is the only row left in legacyTable once its versions have
// moved to Table. An older jarchy reads it as a schema newer than itself
// and refuses to start, instead of applying its first migration again.
const legacyMark = 99999

// dialectSQL is what prepare says differently per engine.
type dialectSQL struct {
	tableExists string // %s: the table's name
	now         string // the current time in legacyTable.applied_at
}

var dialects = map[database.Dialect]dialectSQL{
	database.DialectSQLite3: {
		tableExists: "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = '%s')",
		now:         "CAST(unixepoch('subsec') * 1000000 AS INTEGER)",
	},
	database.DialectPostgres: {
		tableExists: "SELECT EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = '%s')",
		now:         "now()",
	},
}

// prepare runs before goose, under the lock and in one transaction: it
// creates the version table, takes over the first runner's table, and
// refuses a database newer than latest.
func prepare(ctx context.Context, db *sql.DB, c Config, latest int64) (err error) {
	d, ok := dialects[c.Dialect]
	if !ok {
		return fmt.Errorf("migrations: unsupported dialect %q", c.Dialect)
	}
	store, err := database.NewStore(c.Dialect, Table)
	if err != nil {
		return err
	}
	// The connection goes back before goose runs: the SQLite writer pool
	// has only one.
	conn, err := db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := c.Locker.SessionLock(ctx, conn); err != nil {
		return fmt.Errorf("migrations: lock: %w", err)
	}
	defer func() {
		if uerr := c.Locker.SessionUnlock(context.WithoutCancel(ctx), conn); uerr != nil {
			err = errors.Join(err, fmt.Errorf("migrations: unlock: %w", uerr))
		}
	}()
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	exists := func(table string) (bool, error) {
		var yes bool
		err := tx.QueryRowContext(ctx, fmt.Sprintf(d.tableExists, table)).Scan(&yes)
		return yes, err
	}
	has, err := exists(Table)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if !has {
		if err := store.CreateVersionTable(ctx, tx); err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
		if err := store.Insert(ctx, tx, database.InsertRequest{Version: 0}); err != nil {
			return fmt.Errorf("migrations: %w", err)
		}
	}
	if has, err = exists(legacyTable); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if has {
		if err := takeOver(ctx, tx, d); err != nil {
			return fmt.Errorf("migrations: take over %s: %w", legacyTable, err)
		}
	}
	current, err := store.GetLatestVersion(ctx, tx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if current > latest {
		return fmt.Errorf("%w: the database is at version %d, this binary knows up to %d; upgrade jarchy", ErrNewerSchema, current, latest)
	}
	return tx.Commit()
}

// takeOver copies the first runner's versions into Table and leaves
// legacyMark in its place.
func takeOver(ctx context.Context, tx *sql.Tx, d dialectSQL) error {
	var done bool
	if err := tx.QueryRowContext(ctx, fmt.Sprintf("SELECT EXISTS (SELECT 1 FROM %s WHERE version = %d)", legacyTable, legacyMark)).Scan(&done); err != nil || done {
		return err
	}
	for _, q := range []string{
		fmt.Sprintf(`INSERT INTO %s (version_id, is_applied)
			SELECT version, TRUE FROM %s WHERE version NOT IN (SELECT version_id FROM %[1]s) ORDER BY version`, Table, legacyTable),
		"DELETE FROM " + legacyTable,
		fmt.Sprintf("INSERT INTO %s (version, name, applied_at) VALUES (%d, 'moved_to_%s', %s)", legacyTable, legacyMark, Table, d.now),
	} {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return err
		}
	}
	return nil
}
