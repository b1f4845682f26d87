package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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

// When the LISTEN connection dies, the listener reconnects and later writes
// by other nodes are heard again.
func TestListenerReconnects(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	writer, reader := open(t, url), open(t, url)
	heard := make(chan struct{}, 100)
	unsub := reader.Subscribe(func() {
		select {
		case heard <- struct{}{}:
		default:
		}
	})
	defer unsub()

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	listenerPID := func() int {
		var pid int
		err := admin.QueryRow(ctx, `SELECT coalesce(max(pid), 0) FROM pg_stat_activity
			WHERE application_name = 'jarchy-listener' AND datname = current_database()`).Scan(&pid)
		if err != nil {
			t.Fatal(err)
		}
		return pid
	}
	old := listenerPID()
	if old == 0 {
		t.Fatal("no listener connection while subscribed")
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", old); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for pid := listenerPID(); pid == 0 || pid == old; pid = listenerPID() {
		if time.Now().After(deadline) {
			t.Fatal("listener did not reconnect within 30 s")
		}
		time.Sleep(20 * time.Millisecond)
	}
	// Wait for the catch-up call after reconnecting, then expect a real one.
	select {
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("no catch-up notification after reconnecting")
	}
	for len(heard) > 0 {
		<-heard
	}
	if err := writer.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "After"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-heard:
	case <-time.After(30 * time.Second):
		t.Fatal("a write after the reconnect was not heard")
	}

	// With no subscribers left, the listener connection goes away.
	unsub()
	deadline = time.Now().Add(30 * time.Second)
	for listenerPID() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("listener connection still open without subscribers")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
