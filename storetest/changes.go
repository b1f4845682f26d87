package storetest

import (
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/jarchy/jarchy"
)

// RunChanges runs the contract of jarchy.ChangeFeed in one store: every
// committed write, and no other, moves the generation and notifies the
// subscribers. RunShared checks the same across two stores.
func RunChanges(t *testing.T, open Opener) {
	run(t, open, []test{
		{"GenerationEveryWrite", store(testGenerationEveryWrite)},
		{"Subscribe", store(testSubscribe)},
		{"SubscribeOrder", store(testSubscribeOrder)},
	})
}

func testGenerationEveryWrite(t *testing.T, s jarchy.Store) {
	var art *jarchy.Article
	var page *jarchy.Page
	writes := []struct {
		name string
		fn   func() error
	}{
		{"SaveArticle insert", func() error { art = newArticle(jarchy.Kyrgyz, "Муун"); return s.SaveArticle(ctx, art) }},
		{"SaveArticle update", func() error { art.Lead = "new"; return s.SaveArticle(ctx, art) }},
		{"SaveArticle unchanged", func() error { return s.SaveArticle(ctx, art) }},
		{"SaveSection", func() error { return s.SaveSection(ctx, &jarchy.Section{Slug: "sport", Position: 1}) }},
		{"SaveSection update", func() error { return s.SaveSection(ctx, &jarchy.Section{Slug: "sport", Position: 2}) }},
		{"SaveAuthor", func() error { return s.SaveAuthor(ctx, &jarchy.Author{Name: "Бакыт"}) }},
		{"SavePage", func() error {
			page = &jarchy.Page{Lang: jarchy.English, Title: "About"}
			return s.SavePage(ctx, page)
		}},
		{"SavePage update", func() error { page.Body = "x"; return s.SavePage(ctx, page) }},
		{"SaveSettings", func() error {
			return s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "H"}})
		}},
		{"DeletePage", func() error { return s.DeletePage(ctx, page.ID) }},
		{"DeleteArticle", func() error { return s.DeleteArticle(ctx, art.ID) }},
	}
	prev := generation(t, s)
	for _, w := range writes {
		if err := w.fn(); err != nil {
			t.Fatalf("%s: %v", w.name, err)
		}
		g := generation(t, s)
		if g <= prev {
			t.Fatalf("%s: generation %d -> %d, want an increase", w.name, prev, g)
		}
		prev = g
	}
	// A failed write leaves it alone.
	_ = s.SaveArticle(ctx, newArticle("xx", "bad"))
	_ = s.DeleteArticle(ctx, 424242)
	if g := generation(t, s); g != prev {
		t.Fatalf("failed writes moved generation %d -> %d", prev, g)
	}
}

func testSubscribe(t *testing.T, s jarchy.Store) {
	var calls atomic.Int64
	unsub := s.Subscribe(func() { calls.Add(1) })
	var second atomic.Int64
	unsub2 := s.Subscribe(func() { second.Add(1) })
	check := func(what string, want int64) {
		t.Helper()
		if got := calls.Load(); got != want {
			t.Fatalf("%s: subscriber called %d times, want %d", what, got, want)
		}
	}
	a := newArticle(jarchy.Kyrgyz, "Жазылуу")
	if err := s.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	check("after SaveArticle (synchronous)", 1)
	if err := s.SaveSettings(ctx, jarchy.Settings{}); err != nil {
		t.Fatal(err)
	}
	check("after SaveSettings", 2)
	if err := s.SaveSection(ctx, &jarchy.Section{Slug: "x-files"}); err != nil {
		t.Fatal(err)
	}
	check("after SaveSection", 3)
	// Failed writes do not notify.
	_ = s.SaveArticle(ctx, newArticle(jarchy.Kyrgyz, ""))
	_ = s.DeleteArticle(ctx, a.ID+100)
	_ = s.SaveSection(ctx, &jarchy.Section{Slug: "feed"})
	_ = s.DeletePage(ctx, 77)
	check("after failed writes", 3)
	// Reads do not notify.
	_, _ = s.Article(ctx, a.ID)
	_, _ = s.Articles(ctx, jarchy.ArticleFilter{})
	check("after reads", 3)
	if second.Load() != 3 {
		t.Fatalf("second subscriber called %d times, want 3", second.Load())
	}
	unsub()
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	check("after unsubscribe", 3)
	if second.Load() != 4 {
		t.Fatalf("remaining subscriber called %d times, want 4", second.Load())
	}
	unsub2()
	unsub2() // unsubscribing twice is harmless
}

// testSubscribeOrder: subscribers run in the order they subscribed, so
// that a cache of site data is forgotten before a page cache that reads
// it refills.
func testSubscribeOrder(t *testing.T, s jarchy.Store) {
	var mu sync.Mutex
	var calls []int
	for i := range 8 {
		defer s.Subscribe(func() {
			mu.Lock()
			calls = append(calls, i)
			mu.Unlock()
		})()
	}
	for range 3 {
		if err := s.SaveSettings(ctx, jarchy.Settings{}); err != nil {
			t.Fatal(err)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	want := "[0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7]"
	if got := fmt.Sprint(calls); got != want {
		t.Fatalf("subscribers ran in the order %s, want %s", got, want)
	}
}
