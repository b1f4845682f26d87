package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // driver "pgx"
	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/database"
	_ "modernc.org/sqlite" // driver "sqlite"

	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/testwait"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// engine is one fresh database of one dialect.
type engine struct {
	dialect database.Dialect
	connect func() *sql.DB // a new handle on the database, as another process opens it
	newLock func() Config  // a Config with a new locker and nothing else
	param   string         // how a statement names its first parameter
}

func (e *engine) config(files fstest.MapFS, gos ...*goose.Migration) Config {
	c := e.newLock()
	c.Dialect, c.FS, c.Go = e.dialect, files, gos
	return c
}

// forEachEngine runs test on a fresh SQLite database and a fresh
// PostgreSQL database.
func forEachEngine(t *testing.T, test func(t *testing.T, e *engine)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "m.db")
		e := &engine{dialect: database.DialectSQLite3, param: "?",
			newLock: func() Config { return Config{Locker: FileLock(path + "-migrate.lock")} }}
		e.connect = func() *sql.DB {
			// as the store's writer: one connection, BEGIN IMMEDIATE
			db, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(10000)&_pragma=journal_mode(WAL)&_txlock=immediate")
			if err != nil {
				t.Fatal(err)
			}
			db.SetMaxOpenConns(1)
			t.Cleanup(func() { db.Close() })
			return db
		}
		if err := e.connect().Ping(); err != nil { // creates the file in WAL mode
			t.Fatal(err)
		}
		test(t, e)
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		e := &engine{dialect: database.DialectPostgres, param: "$1",
			newLock: func() Config { return Config{Locker: PostgresLock()} }}
		e.connect = func() *sql.DB {
			db, err := sql.Open("pgx", url)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		}
		test(t, e)
	})
}

func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// versions lists the versions recorded in Table, in the order applied.
func versions(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query("SELECT version_id FROM " + Table + " ORDER BY id")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var vs []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return vs
}

func wantVersions(t *testing.T, db *sql.DB, want ...int64) {
	t.Helper()
	if got := versions(t, db); !slices.Equal(got, want) {
		t.Fatalf("%s holds versions %v, want %v", Table, got, want)
	}
}

func (e *engine) tableExists(t *testing.T, db *sql.DB, name string) bool {
	t.Helper()
	var yes bool
	if err := db.QueryRow(fmt.Sprintf(dialects[e.dialect].tableExists, name)).Scan(&yes); err != nil {
		t.Fatal(err)
	}
	return yes
}

func exec(t *testing.T, db *sql.DB, query string) {
	t.Helper()
	if _, err := db.Exec(query); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

func ints(t *testing.T, db *sql.DB, query string) []int64 {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func sqlFile(body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("-- +goose Up\n" + body)}
}

func TestAppliesInOrderOnce(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		files := fstest.MapFS{
			"00001_first.sql":  sqlFile("CREATE TABLE first (x INTEGER NOT NULL);\nINSERT INTO first (x) VALUES (1);"),
			"00002_second.sql": sqlFile("INSERT INTO first (x) VALUES (2);"),
		}
		if err := UpTo(ctx, db, e.config(files), 1); err != nil {
			t.Fatal(err)
		}
		wantVersions(t, db, 0, 1)
		for range 2 {
			if err := Up(ctx, db, e.config(files)); err != nil {
				t.Fatal(err)
			}
		}
		wantVersions(t, db, 0, 1, 2)
		if got := ints(t, db, "SELECT x FROM first ORDER BY x"); !slices.Equal(got, []int64{1, 2}) {
			t.Fatalf("rows %v, want [1 2]", got)
		}
	})
}

// A set that breaks the rules is refused before the database is touched.
func TestBadSetsRefused(t *testing.T) {
	ok := sqlFile("CREATE TABLE t (x INTEGER);")
	goMig := func(v int64) *goose.Migration {
		return goose.NewGoMigration(v, &goose.GoFunc{RunTx: func(context.Context, *sql.Tx) error { return nil }}, nil)
	}
	for _, c := range []struct {
		name  string
		files fstest.MapFS
		gos   []*goose.Migration
		want  string
	}{
		{"gap", fstest.MapFS{"00001_a.sql": ok, "00003_c.sql": ok}, nil, "not numbered 1..n: 00003_c.sql comes where 2 belongs"},
		{"not from 1", fstest.MapFS{"00002_b.sql": ok}, nil, "not numbered 1..n"},
		{"duplicate", fstest.MapFS{"00001_a.sql": ok, "00001_b.sql": ok}, nil, "duplicate migration version 1"},
		{"duplicate Go", fstest.MapFS{"00001_a.sql": ok}, []*goose.Migration{goMig(1)}, "duplicate migration version 1"},
		{"gap before Go", fstest.MapFS{"00001_a.sql": ok}, []*goose.Migration{goMig(3)}, "3 (Go) comes where 2 belongs"},
		{"no number", fstest.MapFS{"init.sql": ok}, nil, `"init.sql" is not named NNNNN_name.sql`},
		{"four digits", fstest.MapFS{"0001_init.sql": ok}, nil, "is not named NNNNN_name.sql"},
		{"capitals", fstest.MapFS{"00001_Init.sql": ok}, nil, "is not named NNNNN_name.sql"},
		{"not SQL", fstest.MapFS{"00001_init.sql": ok, "README": {Data: []byte("x")}}, nil, `"README" is not named`},
		{"no transaction", fstest.MapFS{"00001_a.sql": {Data: []byte("-- +goose Up\n-- +goose NO TRANSACTION\nCREATE TABLE t (x INTEGER);")}}, nil, "asks for no transaction"},
		{"Go without transaction", fstest.MapFS{"00001_a.sql": ok}, []*goose.Migration{
			goose.NewGoMigration(2, &goose.GoFunc{RunDB: func(context.Context, *sql.DB) error { return nil }}, nil)}, "outside a transaction"},
		{"empty", fstest.MapFS{}, nil, "no migrations"},
	} {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "bad.db")
			db, err := sql.Open("sqlite", "file:"+path)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			err = Up(context.Background(), db, Config{Dialect: database.DialectSQLite3, FS: c.files, Go: c.gos, Locker: FileLock(path + "-migrate.lock")})
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one saying %q", err, c.want)
			}
			var tables int
			if err := db.QueryRow("SELECT COUNT(*) FROM sqlite_schema").Scan(&tables); err != nil || tables != 0 {
				t.Fatalf("a refused set left %d tables (%v)", tables, err)
			}
		})
	}
}

// A failing migration leaves the ones before it applied and itself not at
// all; the run can go on once it is fixed.
func TestEachMigrationInItsOwnTransaction(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		files := fstest.MapFS{
			"00001_first.sql": sqlFile("CREATE TABLE first (x INTEGER NOT NULL);\nINSERT INTO first (x) VALUES (1);"),
			"00002_broken.sql": sqlFile("CREATE TABLE half (x INTEGER);\nINSERT INTO first (x) VALUES (2);\n" +
				"ALTER TABLE first ADD COLUMN y INTEGER;\nSELEC oops;"),
		}
		err := Up(ctx, db, e.config(files))
		if err == nil || !strings.Contains(err.Error(), "migration 00002_broken.sql") {
			t.Fatalf("error %v, want one naming 00002_broken.sql", err)
		}
		wantVersions(t, db, 0, 1)
		if !e.tableExists(t, db, "first") {
			t.Fatal("the first migration was rolled back with the second")
		}
		if e.tableExists(t, db, "half") {
			t.Fatal("the failed migration left its table")
		}
		if got := ints(t, db, "SELECT x FROM first"); !slices.Equal(got, []int64{1}) {
			t.Fatalf("rows %v after the failed migration, want [1]", got)
		}
		if _, err := db.Exec("SELECT y FROM first"); err == nil {
			t.Fatal("the failed migration left its column")
		}

		files["00002_broken.sql"] = sqlFile("INSERT INTO first (x) VALUES (2);")
		if err := Up(ctx, db, e.config(files)); err != nil {
			t.Fatal(err)
		}
		wantVersions(t, db, 0, 1, 2)
		if got := ints(t, db, "SELECT x FROM first ORDER BY x"); !slices.Equal(got, []int64{1, 2}) {
			t.Fatalf("rows %v, want [1 2]", got)
		}
	})
}

func TestNewerSchemaRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		both := fstest.MapFS{"00001_a.sql": sqlFile("CREATE TABLE a (x INTEGER);"), "00002_b.sql": sqlFile("CREATE TABLE b (x INTEGER);")}
		if err := Up(ctx, db, e.config(both)); err != nil {
			t.Fatal(err)
		}
		older := fstest.MapFS{"00001_a.sql": both["00001_a.sql"]}
		err := Up(ctx, db, e.config(older))
		if !errors.Is(err, ErrNewerSchema) || !strings.Contains(err.Error(), "at version 2, this binary knows up to 1; upgrade jarchy") {
			t.Fatalf("error %v, want ErrNewerSchema naming both versions", err)
		}
		wantVersions(t, db, 0, 1, 2)
	})
}

// Go migrations change data in the same transaction as their version row.
func TestGoMigration(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		files := fstest.MapFS{
			"00001_notes.sql": sqlFile("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL);\n" +
				"INSERT INTO notes (id, body) VALUES (1, 'жаңылык'), (2, 'новость');"),
			"00003_after.sql": sqlFile("CREATE TABLE after_go (x INTEGER);"),
		}
		// SQLite's upper() knows only ASCII: a data change for Go.
		upper := func(fail bool) *goose.Migration {
			return goose.NewGoMigration(2, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
				rows, err := tx.QueryContext(ctx, "SELECT id, body FROM notes ORDER BY id")
				if err != nil {
					return err
				}
				bodies := map[int64]string{}
				for rows.Next() {
					var id int64
					var body string
					if err := rows.Scan(&id, &body); err != nil {
						return err
					}
					bodies[id] = body
				}
				if err := rows.Close(); err != nil {
					return err
				}
				for id, body := range bodies {
					if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE notes SET body = %s WHERE id = %d", e.param, id), strings.ToUpper(body)); err != nil {
						return err
					}
				}
				if fail {
					return errors.New("half way")
				}
				return nil
			}}, nil)
		}
		bodies := func() string {
			rows, err := db.Query("SELECT body FROM notes ORDER BY id")
			if err != nil {
				t.Fatal(err)
			}
			defer rows.Close()
			var all []string
			for rows.Next() {
				var b string
				if err := rows.Scan(&b); err != nil {
					t.Fatal(err)
				}
				all = append(all, b)
			}
			return strings.Join(all, ",")
		}

		err := Up(ctx, db, e.config(files, upper(true)))
		if err == nil || !strings.Contains(err.Error(), "migration 2 (Go): half way") {
			t.Fatalf("failing Go migration: %v", err)
		}
		wantVersions(t, db, 0, 1)
		if got := bodies(); got != "жаңылык,новость" {
			t.Fatalf("a failed Go migration left %q", got)
		}

		if err := Up(ctx, db, e.config(files, upper(false))); err != nil {
			t.Fatal(err)
		}
		wantVersions(t, db, 0, 1, 2, 3)
		if got := bodies(); got != "ЖАҢЫЛЫК,НОВОСТЬ" {
			t.Fatalf("bodies %q after the Go migration", got)
		}
	})
}

// Runners starting together on one fresh database apply each migration
// once: the second one here would fail if run twice, and the Go one counts.
func TestConcurrentRunners(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx := testContext(t)
		files := fstest.MapFS{
			"00001_first.sql": sqlFile("CREATE TABLE first (x INTEGER NOT NULL);"),
			"00002_fill.sql":  sqlFile("INSERT INTO first (x) VALUES (1);\nCREATE TABLE second (x INTEGER);"),
			"00004_more.sql":  sqlFile("INSERT INTO first (x) VALUES (4);"),
		}
		var runs atomic.Int64
		count := goose.NewGoMigration(3, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
			runs.Add(1)
			_, err := tx.ExecContext(ctx, "INSERT INTO first (x) VALUES (3)")
			return err
		}}, nil)
		const runners = 4
		dbs := make([]*sql.DB, runners)
		for i := range dbs {
			dbs[i] = e.connect()
		}
		var wg sync.WaitGroup
		errs := make(chan error, runners)
		for _, db := range dbs {
			wg.Go(func() { errs <- Up(ctx, db, e.config(files, count)) })
		}
		testwait.Group(t, &wg, 2*time.Minute, "concurrent migration runs")
		close(errs)
		for err := range errs {
			if err != nil {
				t.Fatalf("concurrent runner: %v", err)
			}
		}
		wantVersions(t, dbs[0], 0, 1, 2, 3, 4)
		if got := ints(t, dbs[0], "SELECT x FROM first ORDER BY x"); !slices.Equal(got, []int64{1, 3, 4}) || runs.Load() != 1 {
			t.Fatalf("rows %v and %d runs of the Go migration, want [1 3 4] and 1", got, runs.Load())
		}
	})
}

// legacy builds a database as jarchy's first runner left it: applied holds
// the versions in its schema_migrations (the first runner's DDL).
func (e *engine) legacy(t *testing.T, db *sql.DB, applied ...int) {
	t.Helper()
	switch e.dialect {
	case database.DialectSQLite3:
		exec(t, db, "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)")
	default:
		exec(t, db, `CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL,
			applied_at timestamptz NOT NULL DEFAULT now())`)
	}
	for _, v := range applied {
		exec(t, db, fmt.Sprintf("INSERT INTO schema_migrations (version, name, applied_at) VALUES (%d, 'm%d', %s)", v, v, dialects[e.dialect].now))
	}
}

// A database migrated by the first runner is taken over: nothing it
// applied runs again, and an older jarchy finds a newer schema.
func TestTakeOverFirstRunner(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		files := fstest.MapFS{
			"00001_a.sql": sqlFile("CREATE TABLE a (x INTEGER);"),
			"00002_b.sql": sqlFile("CREATE TABLE b (x INTEGER);"),
			"00003_c.sql": sqlFile("CREATE TABLE c (x INTEGER);"),
		}
		exec(t, db, "CREATE TABLE a (x INTEGER)")
		exec(t, db, "CREATE TABLE b (x INTEGER)")
		e.legacy(t, db, 1, 2)
		if err := Up(ctx, db, e.config(files)); err != nil {
			t.Fatal(err)
		}
		wantVersions(t, db, 0, 1, 2, 3)
		if !e.tableExists(t, db, "c") {
			t.Fatal("migration 3 did not run")
		}
		if got := ints(t, db, "SELECT version FROM schema_migrations"); !slices.Equal(got, []int64{legacyMark}) {
			t.Fatalf("schema_migrations holds %v, want only the mark %d", got, legacyMark)
		}
		if err := Up(ctx, db, e.config(files)); err != nil {
			t.Fatal(err)
		}
		wantVersions(t, db, 0, 1, 2, 3)
	})
}

// A first-runner database newer than the binary is refused and left as it was.
func TestTakeOverNewerRefused(t *testing.T) {
	forEachEngine(t, func(t *testing.T, e *engine) {
		ctx, db := testContext(t), e.connect()
		exec(t, db, "CREATE TABLE a (x INTEGER)")
		exec(t, db, "CREATE TABLE b (x INTEGER)")
		e.legacy(t, db, 1, 2)
		err := Up(ctx, db, e.config(fstest.MapFS{"00001_a.sql": sqlFile("CREATE TABLE a (x INTEGER);")}))
		if !errors.Is(err, ErrNewerSchema) {
			t.Fatalf("error %v, want ErrNewerSchema", err)
		}
		if e.tableExists(t, db, Table) {
			t.Fatal("a refused database got a version table")
		}
		if got := ints(t, db, "SELECT version FROM schema_migrations ORDER BY version"); !slices.Equal(got, []int64{1, 2}) {
			t.Fatalf("schema_migrations holds %v, want [1 2]", got)
		}
	})
}

// Locks on one SQLite database exclude each other, also within a process,
// and give way to the context.
func TestFileLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "x.db-migrate.lock")
	first, second := FileLock(path), FileLock(path)
	if err := first.SessionLock(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if err := second.SessionLock(ctx, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second lock while the first is held: %v", err)
	}
	got := make(chan error, 1)
	go func() { got <- second.SessionLock(context.Background(), nil) }()
	if err := first.SessionUnlock(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-got:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second lock was not granted after the first was released")
	}
	if err := second.SessionUnlock(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := second.SessionUnlock(context.Background(), nil); err == nil {
		t.Fatal("unlocking a lock not held succeeded")
	}
}
