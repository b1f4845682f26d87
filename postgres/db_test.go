package postgres_test

import (
	"context"
	"strings"
	"testing"
	"time"

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
