package jsonl

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// TestImportSchedules: a line published for a time to come is stored as
// scheduled (export writes "scheduled"), a scheduled line for a time gone
// by stays scheduled for the scheduler, a scheduled line without a time
// fails; importing the file again writes nothing, before and after the
// scheduler published the due article.
func TestImportSchedules(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		now := time.Now().UTC().Truncate(time.Second)
		past, future := now.Add(-time.Hour).Format(time.RFC3339), now.Add(24*time.Hour).Format(time.RFC3339)
		in := lines(
			good("due", "status", "scheduled", "published_at", past),
			good("ahead", "status", "published", "published_at", future),
			good("timeless", "status", "scheduled", "published_at", nil),
		)
		rep := importString(t, st, in, Options{})
		if rep.Created != 2 || rep.Failed != 1 || len(rep.Errors) != 1 ||
			rep.Errors[0].String() != "line 3: timeless: published_at: a scheduled article needs a publication time" {
			t.Fatalf("first import: %+v", rep)
		}
		status := func(id string) jarchy.Status {
			t.Helper()
			a, err := st.ArticleByExternalID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			return a.Status
		}
		if s1, s2 := status("due"), status("ahead"); s1 != jarchy.StatusScheduled || s2 != jarchy.StatusScheduled {
			t.Fatalf("stored statuses %q and %q, want both scheduled", s1, s2)
		}
		if l, _ := st.Articles(ctx, jarchy.ArticleFilter{PublicOnly: true}); l.Total != 0 {
			t.Fatalf("%d public articles before the scheduler ran, want 0", l.Total)
		}
		var out bytes.Buffer
		if _, err := Export(ctx, st, &out, nil); err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(out.String(), `"status":"scheduled"`); n != 2 {
			t.Fatalf("export holds %d scheduled lines, want 2:\n%s", n, out.String())
		}

		again := func(when string) {
			t.Helper()
			n, unsub := writes(st)
			defer unsub()
			rep := importString(t, st, in, Options{})
			if rep.Unchanged != 2 || rep.Created+rep.Updated != 0 || n.Load() != 0 {
				t.Errorf("%s: the same file again wrote %d times: %+v", when, n.Load(), rep)
			}
		}
		again("before the scheduler")
		ids, err := st.PublishDue(ctx)
		if err != nil || len(ids) != 1 {
			t.Fatalf("PublishDue = %v, %v; want the due article", ids, err)
		}
		if status("due") != jarchy.StatusPublished {
			t.Fatal("the due article was not published")
		}
		again("after the scheduler published the due line")
		if s := status("due"); s != jarchy.StatusPublished {
			t.Errorf("re-import moved the published article back to %q", s)
		}
	})
}

// racingStore is a store on which another writer saves article id just
// before the import's first save: the import compared the line with the
// version before that.
type racingStore struct {
	jarchy.Store
	once  sync.Once
	race  func()
	saves int
}

func (r *racingStore) SaveArticles(ctx context.Context, as []*jarchy.Article) error {
	r.once.Do(r.race)
	r.saves++
	return r.Store.SaveArticles(ctx, as)
}

func (r *racingStore) SaveArticle(ctx context.Context, a *jarchy.Article) error {
	r.once.Do(r.race)
	r.saves++
	return r.Store.SaveArticle(ctx, a)
}

// TestImportNamesTheVersionItCompared: when another writer saves an
// article after the import compared its line with it, the import does not
// overwrite that save: the line fails with a clear reason, the other's
// text stays, and every other line is imported.
func TestImportNamesTheVersionItCompared(t *testing.T) {
	t.Parallel()
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		importString(t, st, lines(good("edited"), good("other")), Options{})
		r := &racingStore{Store: st}
		r.race = func() {
			a, err := st.ArticleByExternalID(ctx, "edited")
			if err != nil {
				t.Error(err)
				return
			}
			a.Lead = "Редактор түзөттү."
			if err := st.SaveArticle(ctx, a); err != nil {
				t.Error(err)
			}
		}
		rep := importString(t, r, lines(good("edited", "lead", "Импорттон."), good("other", "lead", "Бул да өзгөрдү."), good("new")), Options{})
		want := "line 1: edited: another writer saved this article during the import, so this line was not written: import again"
		if rep.Failed != 1 || len(rep.Errors) != 1 || rep.Errors[0].String() != want || rep.Updated != 1 || rep.Created != 1 {
			t.Fatalf("import: %+v, want line 1 failed (%q), one updated, one created", rep, want)
		}
		if r.saves < 2 {
			t.Errorf("the import saved %d times", r.saves)
		}
		for id, lead := range map[string]string{"edited": "Редактор түзөттү.", "other": "Бул да өзгөрдү.", "new": "Кыскача."} {
			a, err := st.ArticleByExternalID(ctx, id)
			if err != nil || a.Lead != lead {
				t.Errorf("%s: lead %q (%v), want %q", id, a.Lead, err, lead)
			}
		}
	})
}
