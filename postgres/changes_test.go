package postgres

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
)

// A store's own writes reach its subscribers once (synchronously), not a
// second time through its own LISTEN connection.
func TestOwnWritesNotifiedOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()

	var calls atomic.Int64
	unsub := a.Subscribe(func() { calls.Add(1) })
	defer unsub()
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Own"}}); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("own write: %d calls before it returned, want 1", got)
	}
	if err := b.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Other"}}); err != nil {
		t.Fatal(err)
	}
	// Wait until a's listener has handled both notifications.
	deadline := time.Now().Add(30 * time.Second)
	for a.heard.Load() < 2 {
		if time.Now().After(deadline) {
			t.Fatalf("listener handled %d notifications in 30 s, want 2", a.heard.Load())
		}
		time.Sleep(10 * time.Millisecond)
	}
	if got := calls.Load(); got != 2 {
		t.Fatalf("subscriber called %d times for one own and one foreign write, want 2", got)
	}
}
