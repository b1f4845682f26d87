package postgres_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/postgres"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

func open(t *testing.T, url string) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Several nodes starting at once must all come up on one migrated schema.
func TestConcurrentOpenMigratesOnce(t *testing.T) {
	url := pgtest.URL(t)
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := postgres.Open(context.Background(), url)
			if err != nil {
				errs <- err
				return
			}
			db.Close()
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatalf("concurrent Open: %v", err)
	}
	db := open(t, url)
	if _, err := db.Generation(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func TestOpenUnreachableIsClear(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := postgres.Open(ctx, "postgres://nobody@127.0.0.1:1/nothing?sslmode=disable&connect_timeout=5")
	if err == nil {
		t.Fatal("Open of an unreachable server succeeded")
	}
	if !strings.Contains(err.Error(), "cannot reach database") || !strings.Contains(err.Error(), "127.0.0.1:1/nothing") {
		t.Fatalf("unclear error: %v", err)
	}
	if _, err := postgres.Open(ctx, "postgres://%zz"); err == nil || !strings.Contains(err.Error(), "database URL") {
		t.Fatalf("bad URL error: %v", err)
	}
}

// A write through one DB reaches subscribers of another DB on the same
// database (another node) via LISTEN/NOTIFY, and local ones synchronously.
func TestSubscribeAcrossNodes(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	writer, reader := open(t, url), open(t, url)

	local := 0
	unsubLocal := writer.Subscribe(func() { local++ })
	defer unsubLocal()
	heard := make(chan struct{}, 10)
	unsub := reader.Subscribe(func() { heard <- struct{}{} })
	defer unsub()

	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Бишкекте жаңы парк ачылды", Body: "Текст",
		Section: jarchy.Section{Slug: "society"}}
	if err := writer.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if local != 1 {
		t.Fatalf("local subscriber called %d times before SaveArticle returned, want 1", local)
	}
	select {
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("the other node never heard of the write")
	}
}
