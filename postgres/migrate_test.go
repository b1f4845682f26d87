package postgres

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy/internal/pgtest"
)

func versions(t *testing.T, url string) []string {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), "SELECT version || '_' || name FROM schema_migrations ORDER BY version")
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func exec(t *testing.T, url, sql string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql); err != nil {
		t.Fatal(err)
	}
}

func TestMigrationsAppliedOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	for range 2 {
		db, err := Open(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		db.Close()
	}
	ms, err := migrations(migrationFiles)
	if err != nil || len(ms) == 0 {
		t.Fatalf("embedded migrations: %v, %v", ms, err)
	}
	got := versions(t, url)
	if len(got) != len(ms) || got[0] != "1_init" {
		t.Fatalf("schema_migrations = %v, want one row per migration (%d)", got, len(ms))
	}
	// A database migrated by a newer binary is refused with a clear message.
	exec(t, url, "INSERT INTO schema_migrations (version, name) VALUES (9999, 'future')")
	if _, err := Open(ctx, url); err == nil || !strings.Contains(err.Error(), "newer than this binary") {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

func TestBrokenMigrationRollsBack(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	// Later migrations, after everything the binary has: the first works,
	// the second fails, so neither may remain.
	before := versions(t, url)
	broken := fstest.MapFS{
		"migrations/9001_half.sql":   {Data: []byte("CREATE TABLE half_done (x int);")},
		"migrations/9002_broken.sql": {Data: []byte("CREATE TABLE never (x int); SELEC oops;")},
	}
	err = migrate(ctx, db.pool, broken)
	if err == nil || !strings.Contains(err.Error(), "9002_broken") {
		t.Fatalf("broken migration: error %v, want one naming 9002_broken", err)
	}
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename IN ('half_done', 'never')").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatalf("a failed migration run left %d of its tables behind", n)
	}
	if after := versions(t, url); strings.Join(after, ",") != strings.Join(before, ",") {
		t.Fatalf("schema_migrations after a failed run: %v, want %v", after, before)
	}

	for name, bad := range map[string]fstest.MapFS{
		"no number": {"migrations/init.sql": {Data: []byte("SELECT 1")}},
		"duplicate": {"migrations/0001_a.sql": {Data: []byte("SELECT 1")}, "migrations/0001_b.sql": {Data: []byte("SELECT 1")}},
	} {
		if _, err := migrations(bad); err == nil {
			t.Errorf("%s: migration files accepted", name)
		}
	}
}
