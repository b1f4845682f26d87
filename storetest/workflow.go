package storetest

import (
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// The workflow half of the article contract: optimistic saves (Version)
// and scheduled publication (PublishDue, NextScheduled). The claim by
// several stores at once is in shared.go.

// testVersions: a new article has version 1, every save moves it on by
// one, and every read returns it; an update names the version it is based
// on, and one based on an older version (or on none) is a StaleVersion
// conflict, by ID as by external id.
func testVersions(t *testing.T, s jarchy.Store) {
	a := save(t, s, fullArticle())
	if a.Version != 1 {
		t.Fatalf("a new article: Version %d, want 1", a.Version)
	}
	reads := func(what string, want int64) {
		t.Helper()
		got := map[string]int64{
			"Article":             load(t, s, a.ID).Version,
			"ArticleBySlug":       bySlug(t, s, a.Lang, a.Slug).Version,
			"Articles":            list(t, s, jarchy.ArticleFilter{}).Articles[0].Version,
			"Articles (summary)":  list(t, s, jarchy.ArticleFilter{Summary: true}).Articles[0].Version,
			"ArticleByExternalID": 0,
			"Translations":        0,
		}
		if x, err := s.ArticleByExternalID(ctx, a.ExternalID); err == nil {
			got["ArticleByExternalID"] = x.Version
		}
		if tr, err := s.Translations(ctx, a.TranslationGroup); err == nil && len(tr) == 1 {
			got["Translations"] = tr[0].Version
		}
		for read, v := range got {
			if v != want {
				t.Errorf("%s: %s returns version %d, want %d", what, read, v, want)
			}
		}
	}
	reads("after the first save", 1)

	first, second := load(t, s, a.ID), load(t, s, a.ID)
	first.Lead = "Биринчи түзөтүү"
	save(t, s, first)
	if first.Version != 2 {
		t.Fatalf("after an update: Version %d, want 2", first.Version)
	}
	reads("after an update", 2)

	second.Lead = "Экинчи түзөтүү"
	err := s.SaveArticle(ctx, second)
	wantCode(t, "a save based on version 1 after version 2", err, jarchy.ECONFLICT)
	if !jarchy.IsStaleVersion(err) {
		t.Fatalf("conflict %v is not a StaleVersion error", err)
	}
	if second.Version != 1 || second.Lead != "Экинчи түзөтүү" {
		t.Errorf("a refused save changed the article given: version %d, lead %q", second.Version, second.Lead)
	}
	wantSame(t, "after a refused save", load(t, s, a.ID), first)

	// No version on an update is no better than an old one.
	none := load(t, s, a.ID)
	none.Version = 0
	wantCode(t, "an update without a version", s.SaveArticle(ctx, none), jarchy.ECONFLICT)
	ahead := load(t, s, a.ID)
	ahead.Version = 7
	wantCode(t, "an update based on a version never stored", s.SaveArticle(ctx, ahead), jarchy.ECONFLICT)

	// An upsert by external id (ID 0) names the version too.
	upsert := fullArticle()
	upsert.Lead = "Импорт"
	err = s.SaveArticle(ctx, upsert)
	wantCode(t, "an external-id upsert without a version", err, jarchy.ECONFLICT)
	if upsert.ID != 0 {
		t.Errorf("a refused upsert filled in ID %d", upsert.ID)
	}
	upsert.Version = 1
	wantCode(t, "an external-id upsert based on version 1", s.SaveArticle(ctx, upsert), jarchy.ECONFLICT)
	upsert.Version = 2
	save(t, s, upsert)
	if upsert.ID != a.ID || upsert.Version != 3 {
		t.Fatalf("an upsert based on the stored version: id %d version %d, want %d and 3", upsert.ID, upsert.Version, a.ID)
	}

	// A save after a reload goes through; an unchanged save moves the
	// version on too.
	again := load(t, s, a.ID)
	save(t, s, again)
	if again.Version != 4 {
		t.Fatalf("an unchanged save: Version %d, want 4", again.Version)
	}
	reads("after a save after a reload", 4)

	// A new article's version is the store's, whatever was given.
	b := newArticle(jarchy.Kyrgyz, "Жаңы")
	b.Version = 9
	if save(t, s, b); b.Version != 1 {
		t.Fatalf("a new article given version 9: Version %d, want 1", b.Version)
	}
}

// testStaleSaveWritesNothing: a save refused for its version leaves every
// trace of the article as it was (its row, relations, redirects, search
// index), creates no tag, author or section, and moves no generation.
func testStaleSaveWritesNothing(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.Kyrgyz, "Баштапкы аталыш", base))
	first, stale := load(t, s, a.ID), load(t, s, a.ID)
	first.Lead = "Биринчи сакталды"
	save(t, s, first)

	var calls atomic.Int64
	defer s.Subscribe(func(jarchy.Change) { calls.Add(1) })()
	g := generation(t, s)
	stale.Title = "Кагылышкан аталыш"
	stale.Slug = ""
	stale.Body = "Кагылышкан текст."
	stale.Tags = []jarchy.Tag{{Name: "Кагылыш тег"}}
	stale.Authors = []jarchy.Author{{Name: "Кагылыш автор"}}
	stale.Section = jarchy.Section{Slug: "conflict-section", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Кагылыш"}}
	stale.Status = jarchy.StatusUnpublished
	wantCode(t, "a stale save", s.SaveArticle(ctx, stale), jarchy.ECONFLICT)

	wantSame(t, "the stored article", load(t, s, a.ID), first)
	if got := load(t, s, a.ID); got.Version != 2 {
		t.Errorf("stored version %d, want 2", got.Version)
	}
	if _, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, "kagylyshkan-atalysh"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Errorf("the refused slug leads somewhere: %v", err)
	}
	if got := bySlug(t, s, jarchy.Kyrgyz, first.Slug); got.ID != a.ID {
		t.Errorf("the stored slug leads to %d", got.ID)
	}
	for _, slug := range []string{"kagylysh-teg"} {
		if _, err := s.TagBySlug(ctx, slug); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Errorf("tag %s of a refused save exists: %v", slug, err)
		}
	}
	if _, err := s.AuthorBySlug(ctx, "kagylysh-avtor"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Errorf("author of a refused save exists: %v", err)
	}
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range secs {
		if x.Slug == "conflict-section" {
			t.Errorf("section of a refused save exists")
		}
	}
	wantFound(t, s, jarchy.SearchQuery{Text: "кагылышкан ", Lang: jarchy.Kyrgyz})
	wantFound(t, s, jarchy.SearchQuery{Text: "баштапкы ", Lang: jarchy.Kyrgyz}, a.ID)
	wantIDs(t, "public listing", list(t, s, jarchy.ArticleFilter{PublicOnly: true}).Articles, a.ID)
	if n, g2 := calls.Load(), generation(t, s); n != 0 || g2 != g {
		t.Errorf("a refused save notified %d times and moved the generation %d -> %d", n, g, g2)
	}
}

// testStaleBatch: one stale article fails the whole batch, named by its
// position; nothing of the batch is stored.
func testStaleBatch(t *testing.T, s jarchy.Store) {
	x := save(t, s, newArticle(jarchy.Kyrgyz, "Биринчи макала"))
	y := save(t, s, newArticle(jarchy.Kyrgyz, "Экинчи макала"))
	staleY := load(t, s, y.ID)
	newerY := load(t, s, y.ID)
	newerY.Lead = "Башка бирөө сактады"
	save(t, s, newerY)

	var calls atomic.Int64
	defer s.Subscribe(func(jarchy.Change) { calls.Add(1) })()
	g := generation(t, s)
	fresh := newArticle(jarchy.Kyrgyz, "Топтогу жаңы макала")
	fresh.Tags = []jarchy.Tag{{Name: "Топтогу тег"}}
	editX := load(t, s, x.ID)
	editX.Title = "Өзгөргөн биринчи"
	editX.Slug = ""
	staleY.Title = "Эскирген экинчи"
	err := s.SaveArticles(ctx, []*jarchy.Article{fresh, editX, staleY})
	wantCode(t, "a batch with a stale article", err, jarchy.ECONFLICT)
	if !jarchy.IsStaleVersion(err) || !strings.Contains(err.Error(), "article 3 of 3") {
		t.Errorf("error %q is not a StaleVersion error naming article 3 of 3", err)
	}
	if fresh.ID != 0 || editX.Version != 1 || staleY.Version != 1 {
		t.Errorf("a failed batch changed its articles: new id %d, versions %d %d", fresh.ID, editX.Version, staleY.Version)
	}
	wantSame(t, "first article", load(t, s, x.ID), x)
	wantSame(t, "second article", load(t, s, y.ID), newerY)
	if l := list(t, s, jarchy.ArticleFilter{}); l.Total != 2 {
		t.Errorf("%d articles after a failed batch, want 2", l.Total)
	}
	if _, err := s.TagBySlug(ctx, "toptogu-teg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Errorf("tag of a failed batch exists: %v", err)
	}
	if n, g2 := calls.Load(), generation(t, s); n != 0 || g2 != g {
		t.Errorf("a failed batch notified %d times and moved the generation %d -> %d", n, g, g2)
	}
	// The same batch based on the stored versions goes through.
	staleY.Version = newerY.Version
	if err := s.SaveArticles(ctx, []*jarchy.Article{fresh, editX, staleY}); err != nil {
		t.Fatalf("the batch on current versions: %v", err)
	}
	if fresh.Version != 1 || editX.Version != 2 || staleY.Version != 3 {
		t.Errorf("versions after the batch: %d %d %d, want 1 2 3", fresh.Version, editX.Version, staleY.Version)
	}
}

// testPublishDue: an article saved as published with a time to come is
// scheduled; PublishDue publishes it once its time has come by the store's
// clock (one write: listings, tag and author pages, search and IsPublic
// follow), and writes nothing when nothing is due.
func testPublishDue(t *testing.T, s jarchy.Store, c *clock) {
	ky := jarchy.Kyrgyz
	t0 := time.Date(2031, 5, 6, 7, 0, 0, 0, time.UTC)
	c.set(t0)
	done := save(t, s, published(ky, "Мурун чыккан", t0.Add(-time.Hour)))
	soon := published(ky, "Жакында чыгат", t0.Add(time.Minute))
	soon.Body = "Ыкчамкабар текст."
	soon.Tags = []jarchy.Tag{{Name: "Пландоо"}}
	soon.Authors = []jarchy.Author{{Name: "Пландоочу"}}
	save(t, s, soon)
	later := published(ky, "Кийинчерээк чыгат", t0.Add(time.Hour))
	save(t, s, later)
	draft := newArticle(ky, "Долбоор")
	draft.PublishedAt = t0.Add(-time.Hour)
	save(t, s, draft)
	for _, a := range []*jarchy.Article{soon, later} {
		if a.Status != jarchy.StatusScheduled || a.Version != 1 {
			t.Fatalf("%q saved as published for later: status %q version %d, want scheduled, 1", a.Title, a.Status, a.Version)
		}
	}
	if got := load(t, s, soon.ID); got.Status != jarchy.StatusScheduled {
		t.Fatalf("stored status %q, want scheduled", got.Status)
	}
	next := func(want time.Time) {
		t.Helper()
		got, err := s.NextScheduled(ctx)
		if err != nil || !got.Equal(want) {
			t.Fatalf("NextScheduled = %v, %v; want %v", got, err, want)
		}
	}
	next(t0.Add(time.Minute))

	var calls atomic.Int64
	defer s.Subscribe(func(jarchy.Change) { calls.Add(1) })()
	g := generation(t, s)
	claim := func(what string, want ...int64) {
		t.Helper()
		ids, err := s.PublishDue(ctx)
		if err != nil {
			t.Fatalf("%s: PublishDue: %v", what, err)
		}
		wantIDList(t, what, ids, want...)
	}
	claim("nothing due")
	if n, g2 := calls.Load(), generation(t, s); n != 0 || g2 != g {
		t.Fatalf("PublishDue with nothing due notified %d times, generation %d -> %d", n, g, g2)
	}

	tag, err := s.TagBySlug(ctx, "plandoo")
	if err != nil {
		t.Fatal(err)
	}
	author, err := s.AuthorBySlug(ctx, "plandoochu")
	if err != nil {
		t.Fatal(err)
	}
	// public checks where soon shows (home, its tag's and author's pages,
	// search) next to done, which is public throughout.
	public := func(what string, soonShows bool) {
		t.Helper()
		home, own := []int64{done.ID}, []int64{}
		if soonShows {
			home, own = []int64{soon.ID, done.ID}, []int64{soon.ID}
		}
		wantIDs(t, what+": public listing", list(t, s, jarchy.ArticleFilter{Lang: ky, PublicOnly: true}).Articles, home...)
		wantIDs(t, what+": tag page", list(t, s, jarchy.ArticleFilter{TagID: tag.ID, PublicOnly: true}).Articles, own...)
		wantIDs(t, what+": author page", list(t, s, jarchy.ArticleFilter{AuthorID: author.ID, PublicOnly: true}).Articles, own...)
		wantFound(t, s, jarchy.SearchQuery{Text: "ыкчамкабар", Lang: ky}, own...)
	}

	c.set(t0.Add(time.Minute)) // soon's time, to the microsecond
	public("at its time, before the claim", false)
	claim("at soon's time", soon.ID)
	if n, g2 := calls.Load(), generation(t, s); n != 1 || g2 != g+1 {
		t.Errorf("a claim notified %d times, generation %d -> %d; want one write", n, g, g2)
	}
	got := load(t, s, soon.ID)
	if got.Status != jarchy.StatusPublished || !got.IsPublic(c.now()) || got.Version != 2 ||
		!got.PublishedAt.Equal(t0.Add(time.Minute)) || !got.UpdatedAt.Equal(t0.Add(time.Minute)) {
		t.Fatalf("after the claim: status %q, public %v, version %d, published %v, updated %v",
			got.Status, got.IsPublic(c.now()), got.Version, got.PublishedAt, got.UpdatedAt)
	}
	public("after the claim", true)
	claim("again")
	if n := calls.Load(); n != 1 {
		t.Errorf("a second PublishDue with nothing due notified (%d notifications)", n)
	}
	next(t0.Add(time.Hour))
	if got := load(t, s, draft.ID); got.Status != jarchy.StatusDraft {
		t.Errorf("a draft with a past time became %q", got.Status)
	}

	// The claim was a save: an edit based on the version before it is stale.
	soon.Lead = "Эски нускадан"
	wantCode(t, "a save based on the version before the claim", s.SaveArticle(ctx, soon), jarchy.ECONFLICT)
	// The claimed article is stored as a save would store it: saving it
	// unchanged changes nothing readers see (no new update time).
	c.set(t0.Add(2 * time.Minute))
	save(t, s, got)
	if !got.UpdatedAt.Equal(t0.Add(time.Minute)) || got.Status != jarchy.StatusPublished {
		t.Errorf("an unchanged save after the claim: updated %v, status %q", got.UpdatedAt, got.Status)
	}

	c.set(t0.Add(3 * time.Hour)) // later has long been due: caught up
	claim("after a long pause", later.ID)
	next(time.Time{})
	if got := load(t, s, later.ID); !got.IsPublic(c.now()) {
		t.Errorf("the late claim is not public: %q", got.Status)
	}
}

func wantIDList(t *testing.T, what string, got []int64, want ...int64) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: got ids %v, want %v", what, got, want)
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("%s: got ids %v, want %v", what, got, want)
		}
	}
}
