package web_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// A story dated a moment ahead becomes public without any write; the
// watcher must report it so a page cache can drop its pages.
func TestWatchScheduleFiresWhenAStoryGoesPublic(t *testing.T) {
	f := newFixture(t, 20)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	fired := make(chan struct{}, 10)
	go f.site.WatchSchedule(ctx, func() { fired <- struct{}{} })

	a := &jarchy.Article{
		Lang: jarchy.Kyrgyz, Title: "Белгиленген убакта чыгуучу кабар", Body: "Текст.",
		Section: f.a["lead"].Section, Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(1500 * time.Millisecond),
	}
	if err := f.store.SaveArticle(ctx, a); err != nil { // the watcher re-reads the schedule
		t.Fatal(err)
	}
	if r := f.get(t, articleURL(a)); r.status != http.StatusNotFound {
		t.Fatalf("before its time: %d, want 404", r.status)
	}
	select {
	case <-fired:
	case <-time.After(30 * time.Second):
		t.Fatal("the watcher did not report the publication")
	}
	if r := f.get(t, articleURL(a)); r.status != http.StatusOK {
		t.Fatalf("after its time: %d, want 200", r.status)
	}
}
