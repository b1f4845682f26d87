package scheduler_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/testwait"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/scheduler"
	"github.com/jarchy/jarchy/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

var ctx = context.Background()

// nodes runs f with two stores opened separately on one fresh database (two
// nodes), on SQLite and on PostgreSQL, in parallel with other tests.
func nodes(t *testing.T, f func(t *testing.T, a, b jarchy.Store)) {
	closeLater := func(t *testing.T, db jarchy.Store, err error) jarchy.Store {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Close() })
		return db
	}
	t.Parallel()
	t.Run("sqlite", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "jarchy.db")
		a, err := sqlite.Open(ctx, path)
		closeLater(t, a, err)
		b, err := sqlite.Open(ctx, path)
		closeLater(t, b, err)
		f(t, a, b)
	})
	t.Run("postgres", func(t *testing.T) {
		t.Parallel()
		url := pgtest.URL(t)
		a, err := postgres.Open(ctx, url)
		closeLater(t, a, err)
		b, err := postgres.Open(ctx, url)
		closeLater(t, b, err)
		f(t, a, b)
	})
}

// logBuffer collects a scheduler's log.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// start runs a scheduler of st until the test ends, looking at the
// schedule at least every maxWait besides its own next publication time
// and change notifications.
func start(t *testing.T, st jarchy.Store, log *logBuffer, maxWait time.Duration) {
	s := scheduler.New(st, slog.New(slog.NewTextHandler(log, nil)))
	s.MaxWait = maxWait
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		s.Run(runCtx)
		close(done)
	}()
	t.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Errorf("the scheduler did not stop")
		}
	})
}

func scheduled(title string, at time.Time) *jarchy.Article {
	return &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Body: "Текст.", Section: jarchy.Section{Slug: "news"},
		Status: jarchy.StatusPublished, PublishedAt: at}
}

func save(t *testing.T, st jarchy.Store, a *jarchy.Article) {
	t.Helper()
	if err := st.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.Status != jarchy.StatusScheduled {
		t.Fatalf("%q saved for %v: status %q, want scheduled", a.Title, a.PublishedAt, a.Status)
	}
}

// awaitPublished waits (boundedly: only a failure takes long) until the
// articles are published, and checks each was published once, at or after
// its time.
func awaitPublished(t *testing.T, st jarchy.Store, as ...*jarchy.Article) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, a := range as {
		for {
			got, err := st.Article(ctx, a.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.Status == jarchy.StatusPublished {
				if got.Version != 2 || got.UpdatedAt.Before(got.PublishedAt) {
					t.Errorf("%q: version %d, published at %v by a write at %v; want one claim at or after its time",
						a.Title, got.Version, got.PublishedAt, got.UpdatedAt)
				}
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%q, scheduled for %v, is still %q at %v", a.Title, a.PublishedAt, got.Status, time.Now())
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// awaitLogged waits (boundedly) until the log names each article as
// published, and checks it names each once.
func awaitLogged(t *testing.T, log func() string, as ...*jarchy.Article) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for _, a := range as {
		line := fmt.Sprintf("msg=\"published a scheduled article\" id=%d\n", a.ID)
		for !strings.Contains(log(), line) {
			if time.Now().After(deadline) {
				t.Fatalf("the log lacks %q:\n%s", line, log())
			}
			time.Sleep(20 * time.Millisecond)
		}
		if n := strings.Count(log(), line); n != 1 {
			t.Errorf("%q was logged as published %d times, want once:\n%s", a.Title, n, log())
		}
	}
}

// TestRunPublishesAtTheTime: a running scheduler finds a schedule set
// after it started (a schedule is no public change: its periodic look
// finds it) and publishes the article at its time.
func TestRunPublishesAtTheTime(t *testing.T) {
	nodes(t, func(t *testing.T, st, _ jarchy.Store) {
		var log logBuffer
		start(t, st, &log, 200*time.Millisecond)
		time.Sleep(50 * time.Millisecond) // the scheduler has found nothing scheduled and sleeps
		a := scheduled("Бир жарым секунддан кийин", time.Now().Add(1500*time.Millisecond))
		save(t, st, a)
		awaitPublished(t, st, a)
		awaitLogged(t, log.String, a)
	})
}

// TestRunOnTwoNodes: schedulers on two nodes publish articles scheduled
// through either node, each exactly once (version 2: one claim), and a
// node finds a schedule set on the other (a schedule is no public change,
// so no notification tells it: its periodic look does).
func TestRunOnTwoNodes(t *testing.T) {
	nodes(t, func(t *testing.T, a, b jarchy.Store) {
		var logA, logB logBuffer
		start(t, a, &logA, 200*time.Millisecond)
		time.Sleep(50 * time.Millisecond)
		// Only a's scheduler runs: it finds b's schedule by looking again.
		first := scheduled("Башка түйүндөн", time.Now().Add(time.Second))
		save(t, b, first)
		awaitPublished(t, a, first)

		start(t, b, &logB, 200*time.Millisecond)
		at := time.Now().Add(time.Second)
		var many []*jarchy.Article
		for i := range 6 {
			x := scheduled(fmt.Sprintf("Бир убакта %d", i), at)
			save(t, []jarchy.Store{a, b}[i%2], x)
			many = append(many, x)
		}
		awaitPublished(t, b, many...)
		awaitLogged(t, func() string { return logA.String() + logB.String() }, append(many, first)...)
	})
}

// TestPublishDueCatchesUp: articles that came due while no node ran are
// published by the first look, and each is logged.
func TestPublishDueCatchesUp(t *testing.T) {
	nodes(t, func(t *testing.T, st, _ jarchy.Store) {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Кечээ чыкмак", Section: jarchy.Section{Slug: "news"},
			Status: jarchy.StatusScheduled, PublishedAt: time.Now().Add(-24 * time.Hour)}
		if err := st.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		later := scheduled("Эртең чыгат", time.Now().Add(24*time.Hour))
		save(t, st, later)
		var log logBuffer
		s := scheduler.New(st, slog.New(slog.NewTextHandler(&log, nil)))
		ids, err := s.PublishDue(ctx)
		if err != nil || len(ids) != 1 || ids[0] != a.ID {
			t.Fatalf("PublishDue = %v, %v; want [%d]", ids, err, a.ID)
		}
		if got, err := st.Article(ctx, a.ID); err != nil || !got.IsPublic(time.Now()) {
			t.Fatalf("after the catch-up: %v, %v", got, err)
		}
		if want := fmt.Sprintf("id=%d\n", a.ID); !strings.Contains(log.String(), want) {
			t.Errorf("the log lacks %q:\n%s", want, log.String())
		}
		if got, _ := st.Article(ctx, later.ID); got.Status != jarchy.StatusScheduled {
			t.Errorf("an article not due is %q", got.Status)
		}
	})
}

// TestRunEndsBreakingNews: a running scheduler ends a breaking flag at
// its time with a write that touches the site, which the other node
// hears of; its publications are audited as "scheduler".
func TestRunEndsBreakingNews(t *testing.T) {
	nodes(t, func(t *testing.T, a, b jarchy.Store) {
		site := make(chan time.Time, 10)
		t.Cleanup(b.Subscribe(func(ch jarchy.Change) {
			if ch.Touches(jarchy.TopicSite) {
				site <- time.Now()
			}
		}))
		art := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Шашылыш", Body: "Текст.", Section: jarchy.Section{Slug: "news"},
			Status: jarchy.StatusPublished, PublishedAt: time.Now().Add(-time.Minute)}
		if err := a.SaveArticle(ctx, art); err != nil {
			t.Fatal(err)
		}
		testwait.Recv(t, site, "the new section to reach the other node")
		until := time.Now().Add(1200 * time.Millisecond)
		if err := a.SetBreaking(ctx, art.ID, until); err != nil {
			t.Fatal(err)
		}
		testwait.Recv(t, site, "the flag to reach the other node")
		var log logBuffer
		start(t, a, &log, time.Hour) // only the breaking news' own time wakes it
		at := testwait.RecvWithin(t, site, 30*time.Second, "the end of the breaking news to reach the other node")
		if at.Before(until) {
			t.Fatalf("a site change reached the other node at %v, before the flag's end %v", at, until)
		}
		if list, err := b.BreakingNews(ctx); err != nil || len(list) != 0 {
			t.Fatalf("BreakingNews after the end: %d articles, %v", len(list), err)
		}
		if next, err := b.NextBreakingExpiry(ctx); err != nil || !next.IsZero() {
			t.Fatalf("NextBreakingExpiry after the end: %v, %v", next, err)
		}
		// The other node hears the change at commit, a moment before the
		// scheduler, back from its write, logs it.
		for deadline := time.Now().Add(10 * time.Second); !strings.Contains(log.String(), "ended breaking news"); {
			if time.Now().After(deadline) {
				t.Fatalf("the log does not tell the end:\n%s", log.String())
			}
			time.Sleep(10 * time.Millisecond)
		}

		start(t, b, &log, 200*time.Millisecond)
		sch := scheduled("Кийин", time.Now().Add(300*time.Millisecond))
		save(t, b, sch)
		awaitPublished(t, a, sch)
		l, err := a.AuditLog(ctx, jarchy.AuditFilter{Kind: "article", TargetID: sch.ID})
		if err != nil {
			t.Fatal(err)
		}
		if len(l.Entries) != 2 || l.Entries[0].Action != jarchy.AuditPublish || l.Entries[0].ActorName != "scheduler" {
			t.Fatalf("audit of a scheduled publication: %+v, want the publish by the scheduler first", l.Entries)
		}
	})
}
