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
// processes): changes made through one reach the other's subscribers,
// writers through both do not collide, and scheduled articles are claimed
// once.
func RunShared(t *testing.T, open SharedOpener) {
	for _, tt := range []struct {
		name string
		fn   func(t *testing.T, a, b jarchy.Store)
	}{
		{"Notify", testSharedNotify},
		{"ConcurrentWrites", testSharedConcurrentWrites},
		{"PublishDueOnce", testSharedPublishDueOnce},
		{"Sessions", testSharedSessions},
		{"SetupOnce", testSharedSetupOnce},
		{"Breaking", testSharedBreaking},
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
	next("a public article created", fmt.Sprintf("a/%d g/shared-1 search l/lang/ky l/section/%d s/ky/bashka-protsessten", art.ID, sec.ID))
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

// testSharedPublishDueOnce: claimers on two stores of one database (as on
// two nodes) call PublishDue at once over several due articles: each
// article is claimed by exactly one call, published once (its version moves
// on by one), and becomes public for both stores; an article not yet due
// stays scheduled; a call that finds its articles claimed writes nothing.
func testSharedPublishDueOnce(t *testing.T, a, b jarchy.Store) {
	const due, claimers, rounds = 12, 8, 3
	var want []int64
	for i := range due {
		art := newArticle(jarchy.Kyrgyz, fmt.Sprintf("Убагы келген %d", i))
		art.Status = jarchy.StatusScheduled
		art.PublishedAt = time.Now().Add(-time.Duration(i+1) * time.Minute)
		save(t, a, art)
		want = append(want, art.ID)
	}
	notYet := newArticle(jarchy.Kyrgyz, "Убагы келе элек")
	notYet.Status = jarchy.StatusScheduled
	notYet.PublishedAt = time.Now().Add(time.Hour)
	save(t, b, notYet)

	g := generation(t, a)
	var (
		mu      sync.Mutex
		claimed = map[int64]int{}
		writes  int64 // calls that claimed something
		errs    []error
		wg      sync.WaitGroup
	)
	start := make(chan struct{})
	for i := range claimers {
		s := []jarchy.Store{a, b}[i%2]
		wg.Go(func() {
			<-start
			for range rounds {
				ids, err := s.PublishDue(ctx)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("claimer %d: %w", i, err))
				}
				for _, id := range ids {
					claimed[id]++
				}
				if len(ids) > 0 {
					writes++
				}
				mu.Unlock()
			}
		})
	}
	close(start)
	testwait.Group(t, &wg, 3*time.Minute, "claimers on two stores")
	for _, err := range errs {
		t.Error(err)
	}
	for _, id := range want {
		if claimed[id] != 1 {
			t.Errorf("article %d was claimed %d times, want once", id, claimed[id])
		}
	}
	if len(claimed) != due {
		t.Errorf("claimed %v, want exactly the %d due articles %v", claimed, due, want)
	}
	// A call that lost the race wrote nothing: one generation step per
	// call that claimed articles.
	if g2 := generation(t, a); g2-g != writes {
		t.Errorf("the claims moved the generation %d -> %d, want %d steps (one per call that claimed)", g, g2, writes)
	}
	for name, s := range map[string]jarchy.Store{"first store": a, "second store": b} {
		for _, id := range want {
			got := load(t, s, id)
			if got.Status != jarchy.StatusPublished || !got.IsPublic(time.Now()) || got.Version != 2 {
				t.Errorf("%s: article %d after the claims: status %q, version %d; want published once (version 2)", name, id, got.Status, got.Version)
			}
		}
		if got := load(t, s, notYet.ID); got.Status != jarchy.StatusScheduled || got.Version != 1 {
			t.Errorf("%s: the article not yet due is %q, version %d", name, got.Status, got.Version)
		}
		if l := list(t, s, jarchy.ArticleFilter{PublicOnly: true}); l.Total != due {
			t.Errorf("%s: %d public articles, want %d", name, l.Total, due)
		}
	}
}
