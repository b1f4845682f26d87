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

// testSharedNotify: the Change of a write through a reaches b's
// subscribers with the same topics; a write that touched nothing public
// reaches no one.
func testSharedNotify(t *testing.T, a, b jarchy.Store) {
	ra, rb := record(t, a), record(t, b)
	// next waits for b's next delivery and checks it against want, and
	// that a's own subscriber had the same at once.
	next := func(what, want string) {
		t.Helper()
		ra.wantChanges(t, what+" (own subscriber)", want)
		got := testwait.Recv(t, rb.in, what+" to reach the other store")
		if !sameTopics(got, want) {
			t.Errorf("%s reached the other store as {%s}, want {%s}", what, topics(got), want)
		}
	}
	sec := &jarchy.Section{Slug: "news"}
	if err := a.SaveSection(ctx, sec); err != nil {
		t.Fatal(err)
	}
	next("SaveSection", "site")
	art := published(jarchy.Kyrgyz, "Башка процесстен", base)
	art.TranslationGroup = "shared-1"
	save(t, a, art)
	next("a public article created", fmt.Sprintf("a/%d g/shared-1 search l/lang/ky l/section/%d", art.ID, sec.ID))
	if got, err := b.Article(ctx, art.ID); err != nil || got.Title != art.Title {
		t.Fatalf("other store reads %v, %v", got, err)
	}
	art.Body = "Оңдолгон."
	save(t, a, art)
	next("a body edit", fmt.Sprintf("a/%d g/shared-1 search", art.ID))
	// A draft save reaches no one: the next thing b hears of is the
	// settings write that follows it, alone.
	save(t, a, newArticle(jarchy.Kyrgyz, "Долбоор"))
	ra.wantChanges(t, "a draft save (own subscriber)")
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Shared"}}); err != nil {
		t.Fatal(err)
	}
	next("a draft save, then SaveSettings", "site")
	if st, err := b.Settings(ctx); err != nil || st.SiteName[jarchy.English] != "Shared" {
		t.Fatalf("other store settings %v, %v", st, err)
	}
	// Writes through b reach a the same way, and b's own only once.
	p := &jarchy.Page{Lang: jarchy.Russian, Title: "О нас"}
	if err := b.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	rb.wantChanges(t, "SavePage through b (own subscriber)", "site p/ru/o-nas")
	got := testwait.Recv(t, ra.in, "SavePage through b to reach a")
	if !sameTopics(got, "site p/ru/o-nas") {
		t.Errorf("SavePage through b reached a as {%s}", topics(got))
	}
	ga, gb := generation(t, a), generation(t, b)
	if ga != gb {
		t.Fatalf("generation differs between stores: %d vs %d", ga, gb)
	}
	if err := a.DeleteArticle(ctx, art.ID); err != nil {
		t.Fatal(err)
	}
	next("DeleteArticle", fmt.Sprintf("a/%d g/shared-1 search l/lang/ky l/section/%d", art.ID, sec.ID))
	// Nothing came twice: the next delivery is the next write's.
	if err := a.SaveSettings(ctx, jarchy.Settings{}); err != nil {
		t.Fatal(err)
	}
	next("a last SaveSettings", "site")
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
