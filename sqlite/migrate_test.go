package sqlite

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/migrate"
	"github.com/jarchy/jarchy/internal/testwait"
)

// migrationNames lists the embedded migration files, oldest first.
func migrationNames(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(migrationFiles, "migrations/*.sql")
	if err != nil || len(names) < 5 {
		t.Fatalf("embedded migrations: %v, %v", names, err)
	}
	return names
}

// numMigrations counts the migrations: the files and the Go ones.
func numMigrations(t *testing.T) int {
	return len(migrationNames(t)) + len(migrations("").Go)
}

// appliedVersions lists the versions in the runner's version table.
func appliedVersions(t *testing.T, db *sql.DB) []int64 {
	t.Helper()
	rows, err := db.Query("SELECT version_id FROM " + migrate.Table + " ORDER BY id")
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
	return vs
}

// upToDate fails unless the version table holds 0 and every embedded
// migration, each once.
func upToDate(t *testing.T, db *DB) {
	t.Helper()
	want := []int64{0}
	for i := range numMigrations(t) {
		want = append(want, int64(i+1))
	}
	if got := appliedVersions(t, db.r); !slices.Equal(got, want) {
		t.Fatalf("%s holds %v, want %v", migrate.Table, got, want)
	}
	// the newest migrations' columns are there
	if _, err := db.r.Exec("SELECT body_html, body_html_version, version, cover_key FROM articles"); err != nil {
		t.Fatalf("schema is not the newest: %v", err)
	}
}

// Processes starting together on one fresh file all open it, and each
// migration is applied once.
func TestMigrationsApplyOnce(t *testing.T) {
	path := filepath.Join(t.TempDir(), "m.db")
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() {
			db, err := Open(ctx, path)
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
			t.Fatalf("concurrent open: %v", err)
		}
	}
	upToDate(t, open(t, path))
}

func TestNewerSchemaRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "newer.db")
	db := open(t, path)
	future := numMigrations(t) + 1
	if _, err := db.w.Exec(fmt.Sprintf("INSERT INTO %s (version_id, is_applied) VALUES (%d, 1)", migrate.Table, future)); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, err := Open(ctx, path)
	if !errors.Is(err, migrate.ErrNewerSchema) || !strings.Contains(err.Error(), "migrate sqlite database") ||
		!strings.Contains(err.Error(), fmt.Sprintf("at version %d", future)) {
		t.Fatalf("newer schema: %v", err)
	}
}

// rawWriter opens path as the store's writer does, without migrating.
func rawWriter(t *testing.T, path string) *sql.DB {
	t.Helper()
	w, err := sql.Open("sqlite", dsn(path, []string{"busy_timeout(10000)", "foreign_keys(1)", "journal_mode(WAL)"}, true))
	if err != nil {
		t.Fatal(err)
	}
	w.SetMaxOpenConns(1)
	t.Cleanup(func() { w.Close() })
	return w
}

// oldData writes a section, a tag, an article and one published for the
// year 2100 (indexed for search, as that schema had it) as the schema
// before 00005_body_html holds them.
func oldData(t *testing.T, w *sql.DB) {
	t.Helper()
	for _, q := range []string{
		"INSERT INTO sections (id, slug, position) VALUES (7, 'ekonomika', 1)",
		"INSERT INTO section_names (section_id, lang, name) VALUES (7, 'ky', 'Экономика')",
		"INSERT INTO tags (id, slug, name) VALUES (3, 'baalar', 'Баалар')",
		`INSERT INTO articles (id, lang, translation_group, slug, section_id, status, published_at, created_at, updated_at, title, lead, body,
			cover_path, cover_caption, cover_credit, cover_alt, cover_width, cover_height)
			VALUES (11, 'ky', 'g-11', 'eski-makala', 7, 'published', 1700000000000000, 1700000000000000, 1700000000000000,
			'Эски макала', 'Эски лид', 'Эски **текст**', 'old/ala-too.jpg', 'Ала-Тоо', 'Сүрөт: Жарчы', 'Аянт', 1600, 900)`,
		"INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) VALUES (11, 3, 0, 'ky', 'published', 1700000000000000)",
		`INSERT INTO articles (id, lang, translation_group, slug, section_id, status, published_at, created_at, updated_at, title, lead, body,
			cover_url, cover_credit)
			VALUES (12, 'ky', 'g-12', 'kelechek', 7, 'published', 4102444800000000, 1700000000000000, 1700000000000000,
			'Келечек', 'Лид', 'Текст', 'https://img.example.org/k.jpg', 'AKIpress')`,
		"INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at) VALUES (12, 3, 0, 'ky', 'published', 4102444800000000)",
		"INSERT INTO search_docs (id, lang, section_id, published_at) VALUES (12, 'ky', 7, 4102444800000000)",
		"INSERT INTO search_fts (rowid, title, lead, body, tags, authors) VALUES (12, 'келечек', 'лид', 'текст', 'баалар', '')",
	} {
		if _, err := w.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// oldDataIntact reads oldData back through the store.
func oldDataIntact(t *testing.T, db *DB) {
	t.Helper()
	a, err := db.ArticleBySlug(ctx, jarchy.Kyrgyz, "eski-makala")
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
	f, err := db.Article(ctx, 12)
	if err != nil {
		t.Fatal(err)
	}
	if f.Status != jarchy.StatusScheduled || f.Version != 1 || !f.PublishedAt.Equal(time.UnixMicro(4102444800000000)) {
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
	if uses, err := db.MediaUses(ctx, "old/ala-too.jpg"); err != nil || len(uses) != 1 || uses[0].ArticleID != 11 {
		t.Fatalf("uses of the migrated cover: %+v, %v", uses, err)
	}
	var linkStatus string
	var indexed int
	if err := db.r.QueryRow("SELECT status, (SELECT COUNT(*) FROM search_docs WHERE id = 12) + (SELECT COUNT(*) FROM search_fts WHERE rowid = 12) FROM article_tags WHERE article_id = 12").
		Scan(&linkStatus, &indexed); err != nil || linkStatus != "scheduled" || indexed != 0 {
		t.Fatalf("future article's tag link %q and %d index rows (%v), want scheduled and none", linkStatus, indexed, err)
	}
}

// A database the runner left at an old version reaches the newest schema
// at Open, with its data.
func TestMigrateOldDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "old.db")
	w := rawWriter(t, path)
	if err := migrate.UpTo(ctx, w, migrations(path), 4); err != nil {
		t.Fatal(err)
	}
	if got := appliedVersions(t, w); !slices.Equal(got, []int64{0, 1, 2, 3, 4}) {
		t.Fatalf("UpTo(4) left versions %v", got)
	}
	oldData(t, w)
	w.Close()

	db := open(t, path)
	upToDate(t, db)
	oldDataIntact(t, db)
}

// A database migrated by jarchy's first runner (version table
// schema_migrations, each file run whole) is taken over at Open: nothing
// runs again, the rest is applied, and the old table keeps only the mark
// that makes an older jarchy refuse the database.
func TestTakeOverFirstRunner(t *testing.T) {
	path := filepath.Join(t.TempDir(), "first.db")
	w := rawWriter(t, path)
	if _, err := w.Exec("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)"); err != nil {
		t.Fatal(err)
	}
	for i, name := range migrationNames(t)[:4] {
		body, err := fs.ReadFile(migrationFiles, name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Exec(string(body)); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if _, err := w.Exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)", i+1, name, 1700000000000000); err != nil {
			t.Fatal(err)
		}
	}
	oldData(t, w)
	w.Close()

	db := open(t, path)
	upToDate(t, db)
	oldDataIntact(t, db)
	var versions string
	if err := db.r.QueryRow("SELECT group_concat(version) FROM schema_migrations").Scan(&versions); err != nil || versions != "99999" {
		t.Fatalf("schema_migrations holds %q (%v), want only the mark 99999", versions, err)
	}
	db.Close()
	upToDate(t, open(t, path)) // and once more, with nothing to do
}

// BenchmarkOpenUpToDate measures Open of a database with nothing to
// migrate: what every process start pays.
func BenchmarkOpenUpToDate(b *testing.B) {
	path := filepath.Join(b.TempDir(), "b.db")
	db, err := Open(ctx, path)
	if err != nil {
		b.Fatal(err)
	}
	db.Close()
	for b.Loop() {
		db, err := Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		db.Close()
	}
}
