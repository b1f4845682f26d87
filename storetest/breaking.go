package storetest

import (
	"fmt"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// RunBreaking runs the contract of jarchy.BreakingStore: a flag on a
// public article, read by the store's clock, whose writes and end touch
// the site (the banner is on every page).
func RunBreaking(t *testing.T, open Opener) {
	run(t, open, []test{
		{"FlagAndExpire", testBreakingFlagAndExpire},
		{"ArticleWrites", testBreakingArticleWrites},
		{"Refused", store(testBreakingRefused)},
	})
}

func breakingIDs(t *testing.T, s jarchy.Store) string {
	t.Helper()
	list, err := s.BreakingNews(ctx)
	if err != nil {
		t.Fatalf("BreakingNews: %v", err)
	}
	return fmt.Sprint(ids(list))
}

func testBreakingFlagAndExpire(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	c.set(t0)
	a := save(t, s, published(jarchy.Kyrgyz, "Жер титирөө", t0.Add(-time.Minute)))
	b := save(t, s, published(jarchy.Russian, "Землетрясение", t0.Add(-time.Minute)))
	rec := record(t, s)
	if next, err := s.NextBreakingExpiry(ctx); err != nil || !next.IsZero() {
		t.Fatalf("NextBreakingExpiry with no flag: %v, %v", next, err)
	}
	if err := s.SetBreaking(ctx, a.ID, t0.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rec.wantChanges(t, "SetBreaking", fmt.Sprintf("a/%d site", a.ID))
	if err := s.SetBreaking(ctx, b.ID, t0.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	rec.wantChanges(t, "SetBreaking", fmt.Sprintf("a/%d site", b.ID))
	if got, want := breakingIDs(t, s), fmt.Sprint([]int64{b.ID, a.ID}); got != want {
		t.Fatalf("BreakingNews %s, want %s (the latest flagged first)", got, want)
	}
	if got := load(t, s, a.ID); !got.BreakingUntil.Equal(t0.Add(2*time.Hour)) || !got.IsBreaking(t0) {
		t.Errorf("Article's BreakingUntil %v", got.BreakingUntil)
	}
	if got := load(t, s, a.ID); got.Version != a.Version {
		t.Errorf("SetBreaking moved the version: %d, want %d", got.Version, a.Version)
	}
	if next, err := s.NextBreakingExpiry(ctx); err != nil || !next.Equal(t0.Add(2*time.Hour)) {
		t.Fatalf("NextBreakingExpiry %v, %v, want %v", next, err, t0.Add(2*time.Hour))
	}
	// Nothing due: no write.
	gen := generation(t, s)
	if n, err := s.ExpireBreaking(ctx); err != nil || n != 0 {
		t.Fatalf("ExpireBreaking before the time: %d, %v", n, err)
	}
	if generation(t, s) != gen {
		t.Errorf("ExpireBreaking with nothing due wrote")
	}
	rec.wantChanges(t, "ExpireBreaking with nothing due")

	// At the time, the flag is gone from the reads at once, and the
	// write that ends it touches the site.
	c.set(t0.Add(2 * time.Hour))
	if got, want := breakingIDs(t, s), fmt.Sprint([]int64{b.ID}); got != want {
		t.Fatalf("BreakingNews at a's end: %s, want %s", got, want)
	}
	if n, err := s.ExpireBreaking(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireBreaking at a's end: %d, %v", n, err)
	}
	rec.wantChanges(t, "ExpireBreaking", fmt.Sprintf("a/%d site", a.ID))
	if got := load(t, s, a.ID); !got.BreakingUntil.IsZero() {
		t.Errorf("expired flag still stored: %v", got.BreakingUntil)
	}
	if next, _ := s.NextBreakingExpiry(ctx); !next.Equal(t0.Add(3 * time.Hour)) {
		t.Errorf("NextBreakingExpiry %v, want b's end", next)
	}
	// A zero time ends a flag at once.
	if err := s.SetBreaking(ctx, b.ID, time.Time{}); err != nil {
		t.Fatal(err)
	}
	rec.wantChanges(t, "SetBreaking(zero)", fmt.Sprintf("a/%d site", b.ID))
	if got := breakingIDs(t, s); got != "[]" {
		t.Fatalf("BreakingNews after the end: %s", got)
	}
	if next, _ := s.NextBreakingExpiry(ctx); !next.IsZero() {
		t.Errorf("NextBreakingExpiry %v after every flag ended", next)
	}
}

// testBreakingArticleWrites: while an article is breaking, its writes
// touch the site (the banner shows its title); unpublished, it leaves
// the banner; once its flag ended, its writes no longer touch the site.
func testBreakingArticleWrites(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	c.set(t0)
	a := save(t, s, published(jarchy.English, "Quake", t0.Add(-time.Minute)))
	if err := s.SetBreaking(ctx, a.ID, t0.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	rec := record(t, s)
	a = load(t, s, a.ID)
	a.Title = "Quake: 5.9"
	a.BreakingUntil = time.Time{} // saves ignore it
	save(t, s, a)
	if !a.BreakingUntil.Equal(t0.Add(time.Hour)) {
		t.Errorf("SaveArticle left BreakingUntil %v, want the stored flag", a.BreakingUntil)
	}
	if ch := rec.take(); len(ch) != 1 || !ch[0].Touches(jarchy.TopicSite) {
		t.Fatalf("an edit of a breaking article made %v, want a change touching the site", ch)
	}
	a.Status = jarchy.StatusUnpublished
	save(t, s, a)
	if ch := rec.take(); len(ch) != 1 || !ch[0].Touches(jarchy.TopicSite) {
		t.Fatalf("unpublishing a breaking article made %v, want a change touching the site", ch)
	}
	if got := breakingIDs(t, s); got != "[]" {
		t.Fatalf("an unpublished article is breaking: %s", got)
	}
	// A flag cannot be set on a saved article by SaveArticle.
	b := published(jarchy.English, "Not flagged", t0.Add(-time.Minute))
	b.BreakingUntil = t0.Add(time.Hour)
	save(t, s, b)
	if got := load(t, s, b.ID); !got.BreakingUntil.IsZero() {
		t.Errorf("SaveArticle stored BreakingUntil %v", got.BreakingUntil)
	}
	rec.take()
	c.set(t0.Add(2 * time.Hour))
	b = load(t, s, b.ID)
	b.Title = "Not flagged, edited"
	save(t, s, b)
	if ch := rec.take(); len(ch) != 1 || ch[0].Touches(jarchy.TopicSite) {
		t.Fatalf("an edit of an article never flagged made %v, want one change without the site", ch)
	}
}

func testBreakingRefused(t *testing.T, s jarchy.Store) {
	draft := save(t, s, newArticle(jarchy.Kyrgyz, "Долбоор"))
	future := save(t, s, published(jarchy.Kyrgyz, "Келечек", time.Now().Add(time.Hour)))
	rec := record(t, s)
	gen := generation(t, s)
	for _, id := range []int64{draft.ID, future.ID} {
		err := s.SetBreaking(ctx, id, time.Now().Add(time.Hour))
		wantCode(t, fmt.Sprintf("SetBreaking(%d, not public)", id), err, jarchy.EINVALID)
	}
	wantCode(t, "SetBreaking(unknown)", s.SetBreaking(ctx, 999999, time.Now().Add(time.Hour)), jarchy.ENOTFOUND)
	if generation(t, s) != gen {
		t.Errorf("refused SetBreaking wrote")
	}
	rec.wantChanges(t, "refused SetBreaking")
	if got := breakingIDs(t, s); got != "[]" {
		t.Fatalf("BreakingNews %s after refused flags", got)
	}
}

// testSharedBreaking: a flag set through one store and its end written
// through the other reach both stores' subscribers as site changes.
func testSharedBreaking(t *testing.T, a, b jarchy.Store) {
	rb := record(t, b)
	art := published(jarchy.Kyrgyz, "Шашылыш кабар", base)
	save(t, a, art)
	testwait.Recv(t, rb.in, "the save to reach the other store")
	until := time.Now().Add(1500 * time.Millisecond)
	if err := a.SetBreaking(ctx, art.ID, until); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("a/%d site", art.ID)
	if got := testwait.Recv(t, rb.in, "SetBreaking to reach the other store"); !sameTopics(got, want) {
		t.Fatalf("SetBreaking reached the other store as {%s}, want {%s}", topics(got), want)
	}
	if got := breakingIDs(t, b); got != fmt.Sprint([]int64{art.ID}) {
		t.Fatalf("the other store's BreakingNews: %s", got)
	}
	ra := record(t, a)
	// Wait for the time, then b ends it.
	time.Sleep(time.Until(until) + 10*time.Millisecond)
	if n, err := b.ExpireBreaking(ctx); err != nil || n != 1 {
		t.Fatalf("ExpireBreaking through the other store: %d, %v", n, err)
	}
	if got := testwait.Recv(t, ra.in, "ExpireBreaking to reach the first store"); !sameTopics(got, want) {
		t.Fatalf("ExpireBreaking reached the first store as {%s}, want {%s}", topics(got), want)
	}
	if n, err := a.ExpireBreaking(ctx); err != nil || n != 0 {
		t.Errorf("ExpireBreaking again through the first store: %d, %v", n, err)
	}
}
