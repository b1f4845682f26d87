package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/storetest"
)

var ctx = context.Background()

func open(t *testing.T, path string) *DB {
	t.Helper()
	db, err := Open(ctx, path)
	if err != nil {
		t.Fatalf("Open(%s): %v", path, err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func article(title string) *jarchy.Article {
	return &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Body: "Текст", Section: jarchy.Section{Slug: "news"}}
}

func TestOpenErrors(t *testing.T) {
	dir := t.TempDir()
	if _, err := Open(ctx, filepath.Join(dir, "no", "such", "dir", "x.db")); err == nil || !strings.Contains(err.Error(), "open sqlite database") {
		t.Fatalf("missing folder: %v", err)
	}
	garbage := filepath.Join(dir, "garbage.db")
	if err := os.WriteFile(garbage, []byte(strings.Repeat("this is not a database\n", 500)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Open(ctx, garbage); err == nil || !strings.Contains(err.Error(), garbage) {
		t.Fatalf("garbage file: %v", err)
	} else {
		t.Logf("garbage file: %v", err)
	}
	if _, err := Open(ctx, ""); err == nil {
		t.Fatalf("empty path opened")
	}
}

func TestPragmas(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "p.db"))
	check := func(d *sql.DB, pragma, want string) {
		t.Helper()
		conn, err := d.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var got string
		if err := conn.QueryRowContext(ctx, "PRAGMA "+pragma).Scan(&got); err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("PRAGMA %s = %s, want %s", pragma, got, want)
		}
	}
	check(db.w, "journal_mode", "wal")
	check(db.w, "synchronous", "2") // FULL: acknowledged commits survive power loss
	check(db.w, "foreign_keys", "1")
	check(db.w, "busy_timeout", "10000")
	check(db.r, "query_only", "1")
	check(db.r, "foreign_keys", "1")
	// The reader pool refuses writes.
	if _, err := db.r.Exec("DELETE FROM articles"); err == nil {
		t.Errorf("reader pool accepted a write")
	}
}

func TestUnchangedSaveKeepsUpdatedAt(t *testing.T) {
	now := time.Date(2026, 5, 1, 10, 0, 0, 0, time.UTC)
	db := open(t, filepath.Join(t.TempDir(), "u.db"))
	db.Now = func() time.Time { return now }
	a := article("Бир")
	a.ExternalID = "x-1"
	a.Tags = []jarchy.Tag{{Name: "Тег"}}
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	first := a.UpdatedAt
	now = now.Add(time.Hour)
	again := article("Бир")
	again.ExternalID, again.Version = "x-1", a.Version
	again.Tags = []jarchy.Tag{{Name: "Тег"}}
	if err := db.SaveArticle(ctx, again); err != nil {
		t.Fatal(err)
	}
	if !again.UpdatedAt.Equal(first) {
		t.Fatalf("re-import of the same article moved UpdatedAt %v -> %v", first, again.UpdatedAt)
	}
	now = now.Add(time.Hour)
	again.Body = "Жаңы текст"
	if err := db.SaveArticle(ctx, again); err != nil {
		t.Fatal(err)
	}
	if !again.UpdatedAt.Equal(now) {
		t.Fatalf("changed article: UpdatedAt %v, want %v", again.UpdatedAt, now)
	}
}

// A published article dated after this store's clock (saved by a process
// whose clock is ahead: here, while the clock stood later) is counted once
// its time comes, with no write in between.
func TestCountCacheFollowsClock(t *testing.T) {
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	db := open(t, filepath.Join(t.TempDir(), "c.db"))
	db.Now = func() time.Time { return now }
	a := article("Азыр")
	a.Status, a.PublishedAt = jarchy.StatusPublished, now.Add(-3*time.Hour)
	b := article("Кийин")
	b.Status, b.PublishedAt = jarchy.StatusPublished, now.Add(-time.Hour)
	for _, x := range []*jarchy.Article{a, b} {
		if err := db.SaveArticle(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	now = now.Add(-2 * time.Hour)
	f := jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true}
	for i := range 2 { // the second answer comes from the cache
		l, err := db.Articles(ctx, f)
		if err != nil || l.Total != 1 || len(l.Articles) != 1 {
			t.Fatalf("round %d before: total %d, %d listed, %v", i, l.Total, len(l.Articles), err)
		}
	}
	now = now.Add(2 * time.Hour) // b is public now, with no write
	l, err := db.Articles(ctx, f)
	if err != nil || l.Total != 2 || len(l.Articles) != 2 {
		t.Fatalf("after its time: total %d, %d listed, %v", l.Total, len(l.Articles), err)
	}
}

func TestCountCacheSeesOtherProcess(t *testing.T) {
	path := filepath.Join(t.TempDir(), "shared.db")
	a, b := open(t, path), open(t, path)
	f := jarchy.ArticleFilter{}
	for i := range 3 {
		if l, err := a.Articles(ctx, f); err != nil || l.Total != i {
			t.Fatalf("round %d: total %d, %v", i, l.Total, err)
		}
		if err := b.SaveArticle(ctx, article(fmt.Sprintf("Макала %d", i))); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSaveArticlesAllOrNothing(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "b.db"))
	g0, _ := db.Generation(ctx)
	calls := 0
	defer db.Subscribe(func(jarchy.Change) { calls++ })()
	good1, good2 := article("Бир"), article("Эки")
	good1.Tags = []jarchy.Tag{{Name: "Жаңы"}}
	bad := article("Үч")
	bad.Section = jarchy.Section{ID: 4242}
	if err := db.SaveArticles(ctx, []*jarchy.Article{good1, bad, good2}); jarchy.ErrorCode(err) != jarchy.EINVALID {
		t.Fatalf("batch with a bad article: %v", err)
	}
	if empty, _ := db.Empty(ctx); !empty {
		t.Fatalf("failed batch left articles")
	}
	if _, err := db.TagBySlug(ctx, "jangy"); !jarchy.IsNotFound(err) {
		t.Fatalf("failed batch left a tag: %v", err)
	}
	if err := db.SaveArticles(ctx, []*jarchy.Article{good1, good2}); err != nil {
		t.Fatal(err)
	}
	if good1.ID == 0 || good2.ID == 0 {
		t.Fatalf("IDs not filled in")
	}
	if g, _ := db.Generation(ctx); g != g0+1 || calls != 1 {
		t.Fatalf("batch: generation %d -> %d, %d notifications; want one of each", g0, g, calls)
	}
}

func TestManySameTitles(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "same.db"))
	var batch []*jarchy.Article
	for range 300 {
		batch = append(batch, article("Күндүн жыйынтыгы"))
	}
	start := time.Now()
	if err := db.SaveArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for i, a := range batch {
		want := "kundun-jyyyntygy"
		if i > 0 {
			want = fmt.Sprintf("%s-%d", want, i+1)
		}
		if a.Slug != want || seen[a.Slug] {
			t.Fatalf("article %d: slug %q, want %q", i, a.Slug, want)
		}
		seen[a.Slug] = true
	}
	t.Logf("300 same titles in %v", time.Since(start))
}

// A body rendered by an older renderer is not served, and Reindex renders
// it again.
func TestStaleBodyHTML(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "b.db"))
	storetest.StaleBodyHTML(t, db, func(t *testing.T, id int64) {
		if _, err := db.w.ExecContext(ctx, "UPDATE articles SET body_html = '<p>old</p>', body_html_version = 0 WHERE id = ?", id); err != nil {
			t.Fatal(err)
		}
	})
}
