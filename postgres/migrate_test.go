package postgres

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/migrate"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/testwait"
)

func exec(t *testing.T, url, sql string, args ...any) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), sql, args...); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func query[T any](t *testing.T, url, sql string, args ...any) []T {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := pgx.CollectRows(rows, pgx.RowTo[T])
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// migrationNames lists the embedded migration files, oldest first.
func migrationNames(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil || len(names) < 3 {
		t.Fatalf("embedded migrations: %v, %v", names, err)
	}
	return names
}

// numMigrations counts the migrations: the files and the Go ones.
func numMigrations(t *testing.T) int {
	return len(migrationNames(t)) + len(migrations().Go)
}

// upToDate fails unless the version table holds 0 and every embedded
// migration, each once, and the newest migration's columns are there.
func upToDate(t *testing.T, url string) {
	t.Helper()
	want := []int64{0}
	for i := range numMigrations(t) {
		want = append(want, int64(i+1))
	}
	if got := query[int64](t, url, "SELECT version_id FROM "+migrate.Table+" ORDER BY id"); !slices.Equal(got, want) {
		t.Fatalf("%s holds %v, want %v", migrate.Table, got, want)
	}
	exec(t, url, "SELECT body_html, body_html_version, version, cover_key FROM articles")
}

func openDB(t *testing.T, url string) *DB {
	t.Helper()
	db, err := Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Several nodes starting at once all come up, and each migration is
// applied once.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Go(func() {
			db, err := Open(context.Background(), url)
			if err == nil {
				err = db.Close()
			}
			errs <- err
		})
	}
	testwait.Group(t, &wg, 2*time.Minute, "concurrent migration runs")
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("concurrent Open: %v", err)
		}
	}
	upToDate(t, url)
}

func TestNewerSchemaRefused(t *testing.T) {
	url := pgtest.URL(t)
	openDB(t, url).Close()
	future := numMigrations(t) + 1
	exec(t, url, fmt.Sprintf("INSERT INTO %s (version_id, is_applied) VALUES (%d, true)", migrate.Table, future))
	_, err := Open(context.Background(), url)
	if !errors.Is(err, migrate.ErrNewerSchema) || !strings.Contains(err.Error(), fmt.Sprintf("at version %d", future)) {
		t.Fatalf("Open of a newer schema: %v", err)
	}
}

// oldData writes a section, a tag, an article and one published for the
// year 2100 (indexed for search, as that schema had it) as the schema
// before 00003_body_html holds them.
func oldData(t *testing.T, url string) {
	t.Helper()
	for _, q := range []string{
		`INSERT INTO sections (id, slug, position, names) VALUES (7, 'ekonomika', 1, '{"ky": "Экономика"}')`,
		"INSERT INTO tags (id, slug, name) VALUES (3, 'baalar', 'Баалар')",
		`INSERT INTO articles (id, lang, translation_group, slug, section_id, status, published_at, created_at, updated_at, title, lead, body,
			cover_path, cover_caption, cover_credit, cover_alt, cover_width, cover_height)
			VALUES (11, 'ky', 'g-11', 'eski-makala', 7, 'published', '2023-11-14 22:13:20Z', '2023-11-14 22:13:20Z', '2023-11-14 22:13:20Z',
			'Эски макала', 'Эски лид', 'Эски **текст**', 'old/ala-too.jpg', 'Ала-Тоо', 'Сүрөт: Жарчы', 'Аянт', 1600, 900)`,
		"INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) VALUES (11, 3, 0, 'ky', 'published', '2023-11-14 22:13:20Z')",
		`INSERT INTO articles (id, lang, translation_group, slug, section_id, status, published_at, created_at, updated_at, title, lead, body,
			cover_url, cover_credit)
			VALUES (12, 'ky', 'g-12', 'kelechek', 7, 'published', '2100-01-01 00:00:00Z', '2023-11-14 22:13:20Z', '2023-11-14 22:13:20Z',
			'Келечек', 'Лид', 'Текст', 'https://img.example.org/k.jpg', 'AKIpress')`,
		"INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) VALUES (12, 3, 0, 'ky', 'published', '2100-01-01 00:00:00Z')",
		"INSERT INTO search_docs (article_id, doc) VALUES (12, to_tsvector('simple', 'келечек'))",
	} {
		exec(t, url, q)
	}
}

// oldDataIntact reads oldData back through the store.
func oldDataIntact(t *testing.T, db *DB) {
	t.Helper()
	a, err := db.ArticleBySlug(context.Background(), jarchy.Kyrgyz, "eski-makala")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID != 11 || a.Title != "Эски макала" || a.Lead != "Эски лид" || a.Body != "Эски **текст**" ||
		a.Section.Slug != "ekonomika" || a.Section.Names[jarchy.Kyrgyz] != "Экономика" ||
		len(a.Tags) != 1 || a.Tags[0].Name != "Баалар" || !a.PublishedAt.Equal(time.UnixMicro(1700000000000000)) ||
		a.Status != jarchy.StatusPublished || a.Version != 1 {
		t.Fatalf("article after migrating: %+v", a)
	}
	// Published for a time to come is scheduled now: its tag link follows,
	// and it left the search index.
	f, err := db.Article(context.Background(), 12)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != jarchy.StatusScheduled || f.Version != 1 || !f.PublishedAt.Equal(time.Date(2100, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("future article after migrating: status %q version %d published %v", f.Status, f.Version, f.PublishedAt)
	}
	// Covers became media rows that the articles name by key.
	if c := a.Cover; c == nil || c.Key != "old/ala-too.jpg" || c.URL != "" || c.Caption != "Ала-Тоо" || c.Credit != "Сүрөт: Жарчы" ||
		c.Alt != "Аянт" || c.Width != 1600 || c.Height != 900 {
		t.Fatalf("stored cover after migrating: %+v", a.Cover)
	}
	const urlKey = "url/301871be58dfd08e4c4f1d89ded5dfb2378af7058f133410ced921336352d4c7" // sha256sum of the address
	if c := f.Cover; c == nil || c.URL != "https://img.example.org/k.jpg" || c.Key != urlKey || c.Credit != "AKIpress" {
		t.Fatalf("external cover after migrating: %+v", f.Cover)
	}
	if uses, err := db.MediaUses(context.Background(), "old/ala-too.jpg"); err != nil || len(uses) != 1 || uses[0].ArticleID != 11 {
		t.Fatalf("uses of the migrated cover: %+v, %v", uses, err)
	}
	var linkStatus string
	var indexed int
	if err := db.pool.QueryRow(context.Background(), "SELECT status, (SELECT COUNT(*) FROM search_docs WHERE article_id = 12) FROM article_tags WHERE article_id = 12").
		Scan(&linkStatus, &indexed); err != nil || linkStatus != "scheduled" || indexed != 0 {
		t.Fatalf("future article's tag link %q and %d index rows (%v), want scheduled and none", linkStatus, indexed, err)
	}
}

// A database the runner left at an old version reaches the newest schema
// at Open, with its data.
func TestMigrateOldDatabase(t *testing.T) {
	url := pgtest.URL(t)
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	if err := migrateTo(context.Background(), cfg, 2); err != nil {
		t.Fatal(err)
	}
	if got := query[int64](t, url, "SELECT version_id FROM "+migrate.Table+" ORDER BY id"); !slices.Equal(got, []int64{0, 1, 2}) {
		t.Fatalf("migrating to 2 left versions %v", got)
	}
	oldData(t, url)

	db := openDB(t, url)
	upToDate(t, url)
	oldDataIntact(t, db)
}

// A database migrated by jarchy's first runner (version table
// schema_migrations, files run whole) is taken over at Open: nothing runs
// again, the rest is applied, and the old table keeps only the mark that
// makes an older jarchy refuse the database.
func TestTakeOverFirstRunner(t *testing.T) {
	url := pgtest.URL(t)
	exec(t, url, `CREATE TABLE schema_migrations (
		version    integer PRIMARY KEY,
		name       text NOT NULL,
		applied_at timestamptz NOT NULL DEFAULT now())`)
	for i, name := range migrationNames(t)[:2] {
		body, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		exec(t, url, string(body))
		exec(t, url, "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", i+1, name)
	}
	oldData(t, url)

	db := openDB(t, url)
	upToDate(t, url)
	oldDataIntact(t, db)
	if got := query[int32](t, url, "SELECT version FROM schema_migrations"); !slices.Equal(got, []int32{99999}) {
		t.Fatalf("schema_migrations holds %v, want only the mark 99999", got)
	}
	db.Close()
	openDB(t, url)
	upToDate(t, url) // and once more, with nothing to do
}

// BenchmarkOpenUpToDate measures Open of a database with nothing to
// migrate: what every node start pays.
func BenchmarkOpenUpToDate(b *testing.B) {
	url := pgtest.URL(b)
	ctx := context.Background()
	db, err := Open(ctx, url)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	for b.Loop() {
		db, err := Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
