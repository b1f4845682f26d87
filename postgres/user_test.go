package postgres

import (
	"context"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// The sessions table holds the SHA-256 of a token, never the token.
func TestSessionTokenStoredHashed(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	u := &jarchy.User{Email: "a@example.kg", Name: "A", Role: jarchy.RoleAuthor}
	if err := db.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, &jarchy.Session{ID: "fixed-token", UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	var stored string
	var n int
	if err := db.pool.QueryRow(ctx, "SELECT min(token_hash), count(*) FROM sessions").Scan(&stored, &n); err != nil {
		t.Fatal(err)
	}
	if n != 1 || stored != "648f312cf893d191028cba09f60f8ffe95624c9ef2d40a0c2f0db0e356e37e0f" {
		t.Fatalf("stored %d sessions, token column %q; want the SHA-256 of the token", n, stored)
	}
}
