package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// RunShared runs the tests that need two stores on one database (two
// processes): changes made through one reach the other's subscribers, and
// writers through both do not collide.
func RunShared(t *testing.T, open SharedOpener) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, a, b jarchy.Store)
	}{
		{"Notify", testSharedNotify},
		{"ConcurrentWrites", testSharedConcurrentWrites},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, b := open(t)
			tt.fn(t, a, b)
		})
	}
}

func testSharedNotify(t *testing.T, a, b jarchy.Store) {
	fired := make(chan struct{}, 100)
	unsub := b.Subscribe(func() {
		select {
		case fired <- struct{}{}:
		default:
		}
	})
	defer unsub()
	art := newArticle(jarchy.Kyrgyz, "Башка процесстен")
	if err := a.SaveArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatalf("a write through one store did not notify the other's subscriber within 10 s")
	}
	got, err := b.Article(ctx, art.ID)
	if err != nil || got.Title != art.Title {
		t.Fatalf("other store reads %v, %v", got, err)
	}
	ga, gb := generation(t, a), generation(t, b)
	if ga != gb {
		t.Fatalf("generation differs between stores: %d vs %d", ga, gb)
	}
	// Another write notifies again.
	drain(fired)
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Shared"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatalf("second write did not notify the other store within 10 s")
	}
	if st, err := b.Settings(ctx); err != nil || st.SiteName[jarchy.English] != "Shared" {
		t.Fatalf("other store settings %v, %v", st, err)
	}
	if generation(t, b) <= ga {
		t.Fatalf("generation did not move for the other store")
	}
}

func testSharedConcurrentWrites(t *testing.T, a, b jarchy.Store) {
	const each = 10
	var wg sync.WaitGroup
	var failed atomic.Int64
	var firstErr error
	var mu sync.Mutex
	for i, s := range []jarchy.Store{a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range each {
				art := newArticle(jarchy.English, fmt.Sprintf("Shared write %d", j))
				art.Tags = []jarchy.Tag{{Name: "Shared"}}
				if err := s.SaveArticle(ctx, art); err != nil {
					failed.Add(1)
					mu.Lock()
					if firstErr == nil {
						firstErr = fmt.Errorf("writer %d: %w", i, err)
					}
					mu.Unlock()
				}
			}
		}()
	}
	testwait.Group(t, &wg, 3*time.Minute, "writers on two stores")
	if failed.Load() > 0 {
		t.Fatalf("%d writes failed; first: %v", failed.Load(), firstErr)
	}
	for _, s := range []jarchy.Store{a, b} {
		if l := list(t, s, jarchy.ArticleFilter{}); l.Total != 4*each {
			t.Fatalf("total %d, want %d", l.Total, 4*each)
		}
	}
}
