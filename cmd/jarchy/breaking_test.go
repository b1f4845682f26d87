package main

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/scheduler"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

// shiftClock is the real time moved ahead by a shift a test sets.
type shiftClock struct{ shift atomic.Int64 }

func (c *shiftClock) now() time.Time       { return time.Now().Add(time.Duration(c.shift.Load())) }
func (c *shiftClock) move(d time.Duration) { c.shift.Add(int64(d)) }

// TestBreakingBannerThroughTheCache: the breaking-news banner appears on
// every page served through the page cache as soon as an article is
// flagged, and is gone from every page once its time has passed, when the
// scheduler has ended it; on both stores, with the writes going through
// one store handle and the cache served by the same or another handle
// (another process, another node). Clocks (both stores', the site's and
// the scheduler's) are moved, not waited for.
func TestBreakingBannerThroughTheCache(t *testing.T) {
	clk := &shiftClock{}
	openSQLite := func(t *testing.T, path string) jarchy.Store {
		st, err := sqlite.Open(context.Background(), path)
		if err != nil {
			t.Fatal(err)
		}
		st.Now = clk.now
		t.Cleanup(func() { st.Close() })
		return st
	}
	openPostgres := func(t *testing.T, url string) jarchy.Store {
		st, err := postgres.Open(context.Background(), url)
		if err != nil {
			t.Fatal(err)
		}
		st.Now = clk.now
		t.Cleanup(func() { st.Close() })
		return st
	}
	t.Run("sqlite", func(t *testing.T) {
		st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
		runBreakingBanner(t, clk, st, st)
	})
	t.Run("sqlite two processes", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "jarchy.db")
		runBreakingBanner(t, clk, openSQLite(t, path), openSQLite(t, path))
	})
	t.Run("postgres", func(t *testing.T) {
		st := openPostgres(t, pgtest.URL(t))
		runBreakingBanner(t, clk, st, st)
	})
	t.Run("postgres two nodes", func(t *testing.T) {
		url := pgtest.URL(t)
		runBreakingBanner(t, clk, openPostgres(t, url), openPostgres(t, url))
	})
}

func runBreakingBanner(t *testing.T, clk *shiftClock, st, served jarchy.Store) {
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	now := clk.now()
	sec := jarchy.Section{Slug: "politics", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Саясат", jarchy.Russian: "Политика"}}
	ky := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Бишкекте жер титиреди", Body: "Текст.", Section: sec,
		Status: jarchy.StatusPublished, PublishedAt: now.Add(-time.Hour)}
	other := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Башка жаңылык", Body: "Текст.", Section: sec,
		Status: jarchy.StatusPublished, PublishedAt: now.Add(-2 * time.Hour)}
	ru := &jarchy.Article{Lang: jarchy.Russian, Title: "Другая новость", Body: "Текст.", Section: sec,
		Status: jarchy.StatusPublished, PublishedAt: now.Add(-time.Hour)}
	for _, a := range []*jarchy.Article{ky, other, ru} {
		if err := st.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}

	site := web.New(web.Config{BaseURL: "https://news.example", Logger: quiet, Now: clk.now}, served, nil)
	defer site.Close()
	cache := pagecache.New(pagecache.Options{MaxBytes: 64 << 20, QueryParams: site.QueryParams, ShortTTL: time.Hour})
	defer pagecache.Watch(served, cache)()
	srv := httptest.NewServer(cache.Handler(site))
	defer srv.Close()
	c := newModelClient(t, srv.URL)

	pages := []string{"/ky/", "/ru/", "/en/", "/ky/politics/", "/ky/politics/" + other.Slug, "/ru/politics/" + ru.Slug, "/ky/search?q=жаңылык", "/ky/no-such-section/"}
	const banner = `<aside class="breaking"`
	// await polls every page (boundedly: a change from another handle
	// arrives shortly after the write) until each shows, or not, the banner.
	await := func(what string, shown bool) {
		t.Helper()
		for _, p := range pages {
			deadline := time.Now().Add(10 * time.Second)
			for {
				body := c.get(p).body
				if strings.Contains(body, banner) == shown {
					if shown && !strings.Contains(body, ky.Title) {
						t.Fatalf("%s: %s shows a banner without %q", what, p, ky.Title)
					}
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("%s: %s never came to show the banner: %v", what, p, shown)
				}
				time.Sleep(10 * time.Millisecond)
			}
		}
	}
	// warm fetches every page until the cache answers it (a hit), so that
	// a stale copy is there to be served if invalidation failed.
	warm := func() {
		t.Helper()
		for _, p := range pages {
			c.get(p)
			if a := c.get(p); a.xcache != "hit" {
				t.Fatalf("GET %s: X-Cache %q, want a hit", p, a.xcache)
			}
		}
	}
	await("before any flag", false)
	warm()

	if err := st.SetBreaking(ctx, ky.ID, clk.now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	await("after the flag", true)
	if body := c.get("/ru/").body; !strings.Contains(body, `lang="ky" hreflang="ky">`+ky.Title) {
		t.Errorf("the Russian home's banner does not mark the Kyrgyz title's language")
	}
	warm()

	// Two hours later the scheduler (here on the writing handle, as on
	// any node) ends the flag, and every page loses the banner.
	clk.move(2*time.Hour + time.Minute)
	sch := scheduler.New(st, quiet)
	sch.Now, sch.MaxWait = clk.now, 50*time.Millisecond
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { sch.Run(runCtx); close(done) }()
	defer func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Errorf("the scheduler did not stop")
		}
	}()
	await("after the flag's end", false)
	warm()
	if list, err := served.BreakingNews(ctx); err != nil || len(list) != 0 {
		t.Fatalf("BreakingNews after the end: %d, %v", len(list), err)
	}
}
