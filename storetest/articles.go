package storetest

import (
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// RunArticles runs the contract of jarchy.ArticleStore.
func RunArticles(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Empty", store(testEmpty)},
		{"RoundTrip", store(testArticleRoundTrip)},
		{"Update", store(testArticleUpdate)},
		{"ExternalIDUpsert", store(testExternalIDUpsert)},
		{"SlugDerivation", store(testSlugDerivation)},
		{"SlugRedirect", store(testSlugRedirect)},
		{"ExplicitSlug", store(testExplicitSlug)},
		{"TranslationGroups", store(testTranslationGroups)},
		{"Filters", store(testArticlesFilters)},
		{"Ordering", store(testArticlesOrdering)},
		{"Paging", store(testArticlesPaging)},
		{"InvalidFilter", store(testArticlesInvalidFilter)},
		{"Related", store(testRelatedArticles)},
		{"Summaries", store(testSummaries)},
		{"BodyHTML", store(testBodyHTML)},
		{"Delete", store(testDeleteArticle)},
		{"FailedWriteIsAtomic", store(testFailedWriteIsAtomic)},
		{"NotFound", store(testArticleNotFound)},
		{"ByID", store(testArticlesByID)},
		{"ByIDManyChunks", store(testArticlesByIDManyChunks)},
		{"InvalidInput", store(testInvalidInput)},
		{"HostileText", store(testHostileText)},
		{"BidiControls", store(testBidiControls)},
		{"ConcurrentWrites", store(testConcurrentWrites)},
		{"BatchSave", store(testBatchSave)},
		{"BatchAsOneByOne", store(testBatchAsOneByOne)},
		{"LongBody", store(testLongBody)},
		{"Clock", testArticleClock},
		{"Versions", store(testVersions)},
		{"StaleSaveWritesNothing", store(testStaleSaveWritesNothing)},
		{"StaleBatch", store(testStaleBatch)},
		{"PublishDue", testPublishDue},
		{"SEOAndOwner", store(testSEOAndOwner)},
		{"OwnerFilter", store(testOwnerFilter)},
	})
}

func testEmpty(t *testing.T, s jarchy.Store) {
	empty, err := s.Empty(ctx)
	if err != nil || !empty {
		t.Fatalf("fresh store: Empty() = %v, %v; want true", empty, err)
	}
	l := list(t, s, jarchy.ArticleFilter{})
	if len(l.Articles) != 0 || l.Total != 0 {
		t.Fatalf("fresh store lists %d articles (total %d)", len(l.Articles), l.Total)
	}
	save(t, s, newArticle(jarchy.Kyrgyz, "Биринчи макала"))
	if empty, err = s.Empty(ctx); err != nil || empty {
		t.Fatalf("after a save: Empty() = %v, %v; want false", empty, err)
	}
}

func testArticleRoundTrip(t *testing.T, s jarchy.Store) {
	before := time.Now().Add(-time.Second)
	a := save(t, s, fullArticle())
	after := time.Now().Add(time.Second)

	if a.Title != "Жогорку Кеңештин шайлоосу" {
		t.Errorf("title not trimmed: %q", a.Title)
	}
	if want := "jogorku-kengeshtin-shayloosu"; a.Slug != want {
		t.Errorf("slug = %q, want %q", a.Slug, want)
	}
	if want := base.UTC().Truncate(time.Microsecond); !a.PublishedAt.Equal(want) || a.PublishedAt.Location() != time.UTC {
		t.Errorf("PublishedAt = %v, want %v in UTC (microseconds)", a.PublishedAt, want)
	}
	if a.CreatedAt.Before(before) || a.CreatedAt.After(after) || a.UpdatedAt.Before(before) || a.UpdatedAt.After(after) {
		t.Errorf("timestamps created %v updated %v not within [%v, %v]", a.CreatedAt, a.UpdatedAt, before, after)
	}
	if a.TranslationGroup == "" {
		t.Errorf("no translation group assigned")
	}
	if a.Section.ID == 0 {
		t.Errorf("section ID not filled in")
	}
	for i, tg := range a.Tags {
		if tg.ID == 0 || tg.Slug == "" {
			t.Errorf("tag %d: ID/slug not filled in: %+v", i, tg)
		}
	}
	for i, au := range a.Authors {
		if au.ID == 0 || au.Slug == "" {
			t.Errorf("author %d: ID/slug not filled in: %+v", i, au)
		}
	}
	if a.Tags[2].Slug != "jogorku-kengesh" || a.Authors[0].Slug != "umut-toktosunova" {
		t.Errorf("relation slugs: tag %q author %q", a.Tags[2].Slug, a.Authors[0].Slug)
	}

	got := load(t, s, a.ID)
	wantSame(t, "Article(id)", got, a)
	if got.Section.Position != 3 {
		t.Errorf("section position %d, want 3", got.Section.Position)
	}
	if got, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, a.Slug); err != nil {
		t.Fatalf("ArticleBySlug: %v", err)
	} else {
		wantSame(t, "ArticleBySlug", got, a)
	}
	if got, err := s.ArticleByExternalID(ctx, "ext-42"); err != nil {
		t.Fatalf("ArticleByExternalID: %v", err)
	} else {
		wantSame(t, "ArticleByExternalID", got, a)
	}
	l := list(t, s, jarchy.ArticleFilter{})
	if len(l.Articles) != 1 {
		t.Fatalf("Articles lists %d, want 1", len(l.Articles))
	}
	wantSame(t, "Articles()[0]", l.Articles[0], a)

	// A URL cover and a draft without a date round-trip too.
	b := newArticle(jarchy.English, "External cover")
	b.Cover = &jarchy.Media{URL: "https://img.example.org/a.jpg?x=1&y=2", Caption: "c", Credit: "cr", Alt: "alt"}
	save(t, s, b)
	gb := load(t, s, b.ID)
	wantSame(t, "draft with URL cover", gb, b)
	if !gb.PublishedAt.IsZero() || gb.Status != jarchy.StatusDraft {
		t.Errorf("draft: status %q published %v", gb.Status, gb.PublishedAt)
	}
}

func testArticleUpdate(t *testing.T, s jarchy.Store) {
	a := save(t, s, fullArticle())
	created := a.CreatedAt
	group := a.TranslationGroup

	u := load(t, s, a.ID)
	u.Lead = "Жаңы лид"
	u.Body = "Жаңы текст"
	u.Tags = []jarchy.Tag{{Name: "Экономика"}, u.Tags[0]}
	u.Authors = []jarchy.Author{u.Authors[2], u.Authors[0]}
	u.Cover = nil
	u.Section = jarchy.Section{Slug: "economy", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика"}}
	u.Status = jarchy.StatusUnpublished
	u.TranslationGroup = ""
	if err := s.SaveArticle(ctx, u); err != nil {
		t.Fatalf("update: %v", err)
	}
	if u.ID != a.ID {
		t.Fatalf("update changed ID %d -> %d", a.ID, u.ID)
	}
	if !u.CreatedAt.Equal(created) {
		t.Errorf("update changed CreatedAt %v -> %v", created, u.CreatedAt)
	}
	if u.UpdatedAt.Before(a.UpdatedAt) {
		t.Errorf("UpdatedAt went back: %v -> %v", a.UpdatedAt, u.UpdatedAt)
	}
	if u.TranslationGroup != group {
		t.Errorf("empty group on update: got %q, want stored %q", u.TranslationGroup, group)
	}
	got := load(t, s, a.ID)
	wantSame(t, "after update", got, u)
	if got.Tags[0].Name != "Экономика" || got.Authors[0].Name != "Айгүл Осмонова" {
		t.Errorf("relations after update: %+v %+v", got.Tags, got.Authors)
	}
	// The tag dropped from the article no longer lists it.
	tag, err := s.TagBySlug(ctx, "bishkek")
	if err != nil {
		t.Fatalf("TagBySlug(bishkek): %v", err)
	}
	if l := list(t, s, jarchy.ArticleFilter{TagID: tag.ID}); l.Total != 0 {
		t.Errorf("dropped tag still lists %d articles", l.Total)
	}

	// Updating an ID that does not exist is ENOTFOUND.
	ghost := newArticle(jarchy.Kyrgyz, "Жок")
	ghost.ID = a.ID + 1000
	wantCode(t, "update missing id", s.SaveArticle(ctx, ghost), jarchy.ENOTFOUND)
}

func testExternalIDUpsert(t *testing.T, s jarchy.Store) {
	a := published(jarchy.Russian, "Итоги выборов", base)
	a.ExternalID = "imp-1"
	save(t, s, a)

	b := published(jarchy.Russian, "Итоги выборов (исправлено)", base)
	b.ExternalID = "imp-1"
	b.Slug = a.Slug
	b.Version = a.Version // an update names the version it is based on
	save(t, s, b)
	if b.ID != a.ID {
		t.Fatalf("upsert on ExternalID made a new article: %d vs %d", b.ID, a.ID)
	}
	if l := list(t, s, jarchy.ArticleFilter{}); l.Total != 1 {
		t.Fatalf("after upsert: %d articles, want 1", l.Total)
	}
	got, err := s.ArticleByExternalID(ctx, "imp-1")
	if err != nil {
		t.Fatalf("ArticleByExternalID: %v", err)
	}
	if got.Title != b.Title || got.ID != a.ID {
		t.Fatalf("upserted article: %q id %d", got.Title, got.ID)
	}
	// Importing the same thing again changes nothing visible.
	c := published(jarchy.Russian, "Итоги выборов (исправлено)", base)
	c.ExternalID = "imp-1"
	c.Slug = a.Slug
	c.Version = b.Version
	save(t, s, c)
	if c.ID != a.ID || c.Slug != a.Slug {
		t.Fatalf("re-import: id %d slug %q, want %d %q", c.ID, c.Slug, a.ID, a.Slug)
	}
	// Another external id is another article; no external id never collides.
	d := published(jarchy.Russian, "Другое", base)
	d.ExternalID = "imp-2"
	save(t, s, d)
	save(t, s, newArticle(jarchy.Russian, "Без внешнего id 1"))
	save(t, s, newArticle(jarchy.Russian, "Без внешнего id 2"))
	if l := list(t, s, jarchy.ArticleFilter{}); l.Total != 4 {
		t.Fatalf("got %d articles, want 4", l.Total)
	}
	_, err = s.ArticleByExternalID(ctx, "imp-3")
	wantCode(t, "ArticleByExternalID(missing)", err, jarchy.ENOTFOUND)
}

func testSlugDerivation(t *testing.T, s jarchy.Store) {
	a := save(t, s, newArticle(jarchy.English, "Hello, World!"))
	b := save(t, s, newArticle(jarchy.English, "Hello world"))
	c := save(t, s, newArticle(jarchy.English, "HELLO WORLD"))
	if a.Slug != "hello-world" || b.Slug != "hello-world-2" || c.Slug != "hello-world-3" {
		t.Fatalf("slugs %q %q %q, want hello-world, -2, -3", a.Slug, b.Slug, c.Slug)
	}
	// The same slug is allowed in another language.
	d := save(t, s, newArticle(jarchy.Kyrgyz, "Hello world"))
	if d.Slug != "hello-world" {
		t.Fatalf("ky slug %q, want hello-world (slugs are unique per language)", d.Slug)
	}
	for _, x := range []*jarchy.Article{a, b, c, d} {
		got, err := s.ArticleBySlug(ctx, x.Lang, x.Slug)
		if err != nil || got.ID != x.ID {
			t.Fatalf("ArticleBySlug(%s, %s) = %v, %v; want id %d", x.Lang, x.Slug, got, err, x.ID)
		}
	}
	// Re-saving an article keeps its suffixed slug.
	b2 := load(t, s, b.ID)
	b2.Lead = "changed"
	save(t, s, b2)
	if b2.Slug != "hello-world-2" {
		t.Fatalf("re-save changed slug to %q", b2.Slug)
	}
	// A long title gives a slug within bounds, even with a suffix.
	long := strings.Repeat("word ", 40)
	e := save(t, s, newArticle(jarchy.English, long))
	f := save(t, s, newArticle(jarchy.English, long))
	if len(e.Slug) > jarchy.MaxSlugLen || len(f.Slug) > jarchy.MaxSlugLen || e.Slug == f.Slug || !strings.HasSuffix(f.Slug, "-2") {
		t.Fatalf("long slugs %q (%d) and %q (%d)", e.Slug, len(e.Slug), f.Slug, len(f.Slug))
	}
	// A title that transliterates to nothing gets a fallback slug; the
	// same title again gets a suffix, as any other.
	g := save(t, s, newArticle(jarchy.English, "!!! ???"))
	h := save(t, s, newArticle(jarchy.English, "  !!! ???"))
	if g.Slug != "article-2618f69b" || h.Slug != "article-2618f69b-2" {
		t.Fatalf("slugless titles got %q and %q, want article-2618f69b and article-2618f69b-2", g.Slug, h.Slug)
	}
}

func testSlugRedirect(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.Kyrgyz, "Эски аталыш", base))
	old := a.Slug
	u := load(t, s, a.ID)
	u.Title = "Жаңы аталыш"
	u.Slug = ""
	save(t, s, u)
	if u.Slug != "jangy-atalysh" {
		t.Fatalf("new slug %q, want jangy-atalysh", u.Slug)
	}
	got, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, old)
	if err != nil {
		t.Fatalf("ArticleBySlug(old %q): %v", old, err)
	}
	if got.ID != a.ID || got.Slug != "jangy-atalysh" {
		t.Fatalf("old slug gives id %d slug %q, want id %d with the new slug", got.ID, got.Slug, a.ID)
	}
	// The redirect is per language.
	_, err = s.ArticleBySlug(ctx, jarchy.Russian, old)
	wantCode(t, "old slug in another language", err, jarchy.ENOTFOUND)

	// The old slug stays reserved for its story: a new article gets -2.
	b := save(t, s, newArticle(jarchy.Kyrgyz, "Эски аталыш"))
	if b.Slug != old+"-2" {
		t.Fatalf("new article with an old slug's title got %q, want %q", b.Slug, old+"-2")
	}
	if got, _ := s.ArticleBySlug(ctx, jarchy.Kyrgyz, old); got == nil || got.ID != a.ID {
		t.Fatalf("old slug no longer leads to its story")
	}

	// An explicit slug change keeps the previous slug as a redirect too.
	u.Slug = "custom-slug"
	save(t, s, u)
	for _, sl := range []string{old, "jangy-atalysh", "custom-slug"} {
		got, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, sl)
		if err != nil || got.ID != a.ID || got.Slug != "custom-slug" {
			t.Fatalf("ArticleBySlug(%q) = %v, %v", sl, got, err)
		}
	}
	// Changing back takes the old slug back.
	u.Title = "Эски аталыш"
	u.Slug = ""
	save(t, s, u)
	if u.Slug != old {
		t.Fatalf("title changed back: slug %q, want %q", u.Slug, old)
	}
	got, err = s.ArticleBySlug(ctx, jarchy.Kyrgyz, "custom-slug")
	if err != nil || got.ID != a.ID || got.Slug != old {
		t.Fatalf("custom slug after revert: %v, %v", got, err)
	}
}

func testExplicitSlug(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.English, "Whatever")
	a.Slug = "my-own-slug-2026"
	save(t, s, a)
	if a.Slug != "my-own-slug-2026" {
		t.Fatalf("explicit slug changed to %q", a.Slug)
	}
	b := newArticle(jarchy.English, "Other")
	b.Slug = "my-own-slug-2026"
	save(t, s, b)
	if b.Slug != "my-own-slug-2026-2" {
		t.Fatalf("taken explicit slug gave %q, want -2 suffix", b.Slug)
	}
	for _, bad := range []string{"Upper-Case", "../etc/passwd", "with space", "a--b", "-lead", "trail-", "кир", "a/b", "x%", strings.Repeat("a", jarchy.MaxSlugLen+1)} {
		c := newArticle(jarchy.English, "Bad slug")
		c.Slug = bad
		wantCode(t, "slug "+bad, s.SaveArticle(ctx, c), jarchy.EINVALID)
	}
}

func testTranslationGroups(t *testing.T, s jarchy.Store) {
	ky := save(t, s, newArticle(jarchy.Kyrgyz, "Кыргызча"))
	other := save(t, s, newArticle(jarchy.Kyrgyz, "Башка"))
	if ky.TranslationGroup == "" || ky.TranslationGroup == other.TranslationGroup {
		t.Fatalf("new articles need distinct fresh groups: %q %q", ky.TranslationGroup, other.TranslationGroup)
	}
	en := newArticle(jarchy.English, "In English")
	en.TranslationGroup = ky.TranslationGroup
	save(t, s, en)
	ru := newArticle(jarchy.Russian, "По-русски")
	ru.TranslationGroup = ky.TranslationGroup
	save(t, s, ru)
	tr, err := s.Translations(ctx, ky.TranslationGroup)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "Translations (ky, ru, en order)", tr, ky.ID, ru.ID, en.ID)
	if tr[1].Title != "По-русски" || tr[1].Section.Slug != "news" {
		t.Fatalf("translation not loaded: %+v", tr[1])
	}
	// A whole article carries links to the rest of its group, in language order.
	ru.Status, ru.PublishedAt = jarchy.StatusPublished, base
	save(t, s, ru)
	for _, got := range []*jarchy.Article{load(t, s, ky.ID), bySlug(t, s, jarchy.Kyrgyz, ky.Slug)} {
		want := fmt.Sprintf("[{%d ru %s news published %s} {%d en %s news draft }]",
			ru.ID, ru.Slug, base.UTC().Format(time.RFC3339), en.ID, en.Slug)
		var have []string
		for _, x := range got.Translations {
			pub := ""
			if !x.PublishedAt.IsZero() {
				pub = x.PublishedAt.UTC().Format(time.RFC3339)
			}
			have = append(have, fmt.Sprintf("{%d %s %s %s %s %s}", x.ID, x.Lang, x.Slug, x.SectionSlug, x.Status, pub))
		}
		if g := "[" + strings.Join(have, " ") + "]"; g != want {
			t.Fatalf("Translations of the ky article:\n got %s\nwant %s", g, want)
		}
		if !got.Translations[0].IsPublic(time.Now()) || got.Translations[1].IsPublic(time.Now()) {
			t.Fatalf("IsPublic of translations: %+v", got.Translations)
		}
	}
	if got := load(t, s, other.ID); len(got.Translations) != 0 {
		t.Fatalf("an article alone in its group has no translations: %+v", got.Translations)
	}
	// Imported groups are arbitrary strings.
	x := newArticle(jarchy.Kyrgyz, "Импорт")
	x.TranslationGroup = "ext-7"
	save(t, s, x)
	tr, err = s.Translations(ctx, "ext-7")
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "imported group", tr, x.ID)
	tr, err = s.Translations(ctx, "no-such-group")
	if err != nil || len(tr) != 0 {
		t.Fatalf("unknown group: %v, %v", tr, err)
	}
}

// filterFixture saves a small newsroom and returns its articles by name.
func filterFixture(t *testing.T, s jarchy.Store) map[string]*jarchy.Article {
	t.Helper()
	day := 24 * time.Hour
	t0 := time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)
	m := map[string]*jarchy.Article{}
	add := func(name string, a *jarchy.Article, sec string, tags []string, authors []string) {
		a.Section = jarchy.Section{Slug: sec}
		for _, n := range tags {
			a.Tags = append(a.Tags, jarchy.Tag{Name: n})
		}
		for _, n := range authors {
			a.Authors = append(a.Authors, jarchy.Author{Name: n})
		}
		m[name] = save(t, s, a)
	}
	add("p1", published(jarchy.Kyrgyz, "Саясат бир", t0), "politics", []string{"Шайлоо"}, []string{"Айбек"})
	add("p2", published(jarchy.Kyrgyz, "Саясат эки", t0.Add(day)), "politics", []string{"Шайлоо", "Бишкек"}, []string{"Айбек", "Гүлнара"})
	add("e1", published(jarchy.Kyrgyz, "Экономика бир", t0.Add(2*day)), "economy", []string{"Бишкек"}, []string{"Гүлнара"})
	add("e2", published(jarchy.Kyrgyz, "Экономика эки", t0.Add(3*day)), "economy", nil, nil)
	add("draft", newArticle(jarchy.Kyrgyz, "Долбоор"), "politics", []string{"Шайлоо"}, []string{"Айбек"})
	sched := newArticle(jarchy.Kyrgyz, "Пландалган")
	sched.Status = jarchy.StatusScheduled
	sched.PublishedAt = t0.Add(4 * day)
	add("scheduled", sched, "politics", nil, nil)
	add("future", published(jarchy.Kyrgyz, "Келечек", time.Now().Add(48*time.Hour)), "politics", []string{"Шайлоо"}, nil)
	unpub := published(jarchy.Kyrgyz, "Алынган", t0.Add(day/2))
	unpub.Status = jarchy.StatusUnpublished
	add("unpublished", unpub, "politics", nil, nil)
	add("ru1", published(jarchy.Russian, "Политика раз", t0.Add(day/4)), "politics", []string{"Выборы"}, []string{"Айбек"})
	add("en1", published(jarchy.English, "Politics one", t0.Add(5*day)), "economy", nil, nil)
	return m
}

func testArticlesFilters(t *testing.T, s jarchy.Store) {
	m := filterFixture(t, s)
	id := func(n string) int64 { return m[n].ID }
	day := 24 * time.Hour
	t0 := time.Date(2026, 1, 10, 8, 0, 0, 0, time.UTC)
	tag := func(slug string) int64 {
		x, err := s.TagBySlug(ctx, slug)
		if err != nil {
			t.Fatalf("TagBySlug(%s): %v", slug, err)
		}
		return x.ID
	}
	author := func(slug string) int64 {
		x, err := s.AuthorBySlug(ctx, slug)
		if err != nil {
			t.Fatalf("AuthorBySlug(%s): %v", slug, err)
		}
		return x.ID
	}
	ky := jarchy.Kyrgyz
	pol, eco := m["p1"].Section.ID, m["e1"].Section.ID
	cases := []struct {
		name string
		f    jarchy.ArticleFilter
		want []int64
	}{
		{"public ky", jarchy.ArticleFilter{Lang: ky, PublicOnly: true}, []int64{id("e2"), id("e1"), id("p2"), id("p1")}},
		{"public all langs", jarchy.ArticleFilter{PublicOnly: true}, []int64{id("en1"), id("e2"), id("e1"), id("p2"), id("ru1"), id("p1")}},
		{"all ky incl. drafts, undated last", jarchy.ArticleFilter{Lang: ky},
			[]int64{id("future"), id("scheduled"), id("e2"), id("e1"), id("p2"), id("unpublished"), id("p1"), id("draft")}},
		{"section", jarchy.ArticleFilter{Lang: ky, SectionID: pol, PublicOnly: true}, []int64{id("p2"), id("p1")}},
		{"section other", jarchy.ArticleFilter{Lang: ky, SectionID: eco, PublicOnly: true}, []int64{id("e2"), id("e1")}},
		{"tag", jarchy.ArticleFilter{Lang: ky, TagID: tag("shayloo"), PublicOnly: true}, []int64{id("p2"), id("p1")}},
		{"tag incl. non-public", jarchy.ArticleFilter{TagID: tag("shayloo")}, []int64{id("future"), id("p2"), id("p1"), id("draft")}},
		{"tag 2", jarchy.ArticleFilter{Lang: ky, TagID: tag("bishkek"), PublicOnly: true}, []int64{id("e1"), id("p2")}},
		{"author", jarchy.ArticleFilter{AuthorID: author("aybek"), PublicOnly: true}, []int64{id("p2"), id("ru1"), id("p1")}},
		{"author+lang", jarchy.ArticleFilter{Lang: ky, AuthorID: author("gulnara"), PublicOnly: true}, []int64{id("e1"), id("p2")}},
		{"tag+section", jarchy.ArticleFilter{TagID: tag("bishkek"), SectionID: eco}, []int64{id("e1")}},
		{"tag+author", jarchy.ArticleFilter{TagID: tag("shayloo"), AuthorID: author("gulnara")}, []int64{id("p2")}},
		{"status", jarchy.ArticleFilter{Status: jarchy.StatusDraft}, []int64{id("draft")}},
		// "future" was saved as published with a time to come: scheduled.
		{"status scheduled", jarchy.ArticleFilter{Status: jarchy.StatusScheduled}, []int64{id("future"), id("scheduled")}},
		{"status published", jarchy.ArticleFilter{Lang: ky, Status: jarchy.StatusPublished}, []int64{id("e2"), id("e1"), id("p2"), id("p1")}},
		{"before", jarchy.ArticleFilter{Lang: ky, PublicOnly: true, Before: t0.Add(2 * day)}, []int64{id("p2"), id("p1")}},
		{"since", jarchy.ArticleFilter{Lang: ky, PublicOnly: true, Since: t0.Add(2 * day)}, []int64{id("e2"), id("e1")}},
		{"before+since", jarchy.ArticleFilter{PublicOnly: true, Since: t0.Add(day / 4), Before: t0.Add(2 * day)}, []int64{id("p2"), id("ru1")}},
		{"exclude", jarchy.ArticleFilter{Lang: ky, PublicOnly: true, ExcludeID: id("e1")}, []int64{id("e2"), id("p2"), id("p1")}},
		{"lang en", jarchy.ArticleFilter{Lang: jarchy.English}, []int64{id("en1")}},
		{"no match", jarchy.ArticleFilter{Lang: jarchy.English, SectionID: pol}, nil},
		{"missing tag", jarchy.ArticleFilter{TagID: 987654}, nil},
	}
	for _, c := range cases {
		l := list(t, s, c.f)
		if fmt.Sprint(ids(l.Articles)) != fmt.Sprint(append([]int64{}, c.want...)) {
			t.Errorf("%s: got %v, want %v", c.name, ids(l.Articles), c.want)
		}
		if l.Total != len(c.want) {
			t.Errorf("%s: total %d, want %d", c.name, l.Total, len(c.want))
		}
	}
	// Listed articles carry their relations.
	l := list(t, s, jarchy.ArticleFilter{Lang: ky, PublicOnly: true, Limit: 10})
	for _, a := range l.Articles {
		wantSame(t, "listed "+a.Title, a, load(t, s, a.ID))
	}
	p2 := l.Articles[2]
	if len(p2.Tags) != 2 || len(p2.Authors) != 2 || p2.Authors[1].Name != "Гүлнара" || p2.Section.Slug != "politics" {
		t.Fatalf("listing did not hydrate relations: %+v", p2)
	}
}

func testArticlesOrdering(t *testing.T, s jarchy.Store) {
	// Equal publication times fall back to ID, newest first.
	var want []int64
	for i := range 5 {
		a := save(t, s, published(jarchy.Russian, fmt.Sprintf("Одно время %d", i), base))
		want = append([]int64{a.ID}, want...)
	}
	later := save(t, s, published(jarchy.Russian, "Позже", base.Add(time.Microsecond)))
	want = append([]int64{later.ID}, want...)
	wantIDs(t, "ordering", list(t, s, jarchy.ArticleFilter{PublicOnly: true}).Articles, want...)
}

func testArticlesPaging(t *testing.T, s jarchy.Store) {
	const n = 105
	var all []int64 // newest first
	for i := range n {
		a := save(t, s, published(jarchy.English, fmt.Sprintf("Story %03d", i), base.Add(time.Duration(i)*time.Minute)))
		all = append([]int64{a.ID}, all...)
	}
	l := list(t, s, jarchy.ArticleFilter{})
	if len(l.Articles) != 20 || l.Total != n {
		t.Fatalf("default limit: %d articles, total %d; want 20, %d", len(l.Articles), l.Total, n)
	}
	wantIDs(t, "first page", l.Articles, all[:20]...)
	l = list(t, s, jarchy.ArticleFilter{Limit: 1000})
	if len(l.Articles) != 100 || l.Total != n {
		t.Fatalf("limit 1000: %d articles, total %d; want 100, %d", len(l.Articles), l.Total, n)
	}
	l = list(t, s, jarchy.ArticleFilter{Limit: 10, Offset: 100})
	wantIDs(t, "last page", l.Articles, all[100:]...)
	if l.Total != n {
		t.Fatalf("total on last page %d", l.Total)
	}
	l = list(t, s, jarchy.ArticleFilter{Limit: 10, Offset: 500})
	if len(l.Articles) != 0 || l.Total != n {
		t.Fatalf("past the end: %d articles, total %d", len(l.Articles), l.Total)
	}
	// NoTotal lists the same articles without counting them.
	l = list(t, s, jarchy.ArticleFilter{Limit: 10, Offset: 20, NoTotal: true})
	wantIDs(t, "page without a total", l.Articles, all[20:30]...)
	if l.Total != 0 {
		t.Fatalf("NoTotal: Total %d, want 0", l.Total)
	}
	if l = list(t, s, jarchy.ArticleFilter{Limit: 10, Offset: 500, NoTotal: true}); len(l.Articles) != 0 {
		t.Fatalf("NoTotal past the end: %d articles", len(l.Articles))
	}
	// Cursor paging with Before walks the same order.
	var walked []int64
	f := jarchy.ArticleFilter{Limit: 30}
	for {
		page := list(t, s, f)
		if len(page.Articles) == 0 {
			break
		}
		walked = append(walked, ids(page.Articles)...)
		f.Before = page.Articles[len(page.Articles)-1].PublishedAt
	}
	if fmt.Sprint(walked) != fmt.Sprint(all) {
		t.Fatalf("cursor walk: got %v, want %v", walked, all)
	}
}

func testArticlesInvalidFilter(t *testing.T, s jarchy.Store) {
	for _, f := range []jarchy.ArticleFilter{
		{Lang: "xx"}, {Status: "bogus"}, {Offset: -1}, {Limit: -5}, {Lang: "ky' OR '1'='1"},
	} {
		_, err := s.Articles(ctx, f)
		wantCode(t, fmt.Sprintf("Articles(%+v)", f), err, jarchy.EINVALID)
	}
}

func testRelatedArticles(t *testing.T, s jarchy.Store) {
	mk := func(lang jarchy.Lang, title, sec string, tags ...string) *jarchy.Article {
		a := published(lang, title, base)
		a.Section = jarchy.Section{Slug: sec}
		for _, n := range tags {
			a.Tags = append(a.Tags, jarchy.Tag{Name: n})
		}
		return a
	}
	a := save(t, s, mk(jarchy.Kyrgyz, "Негизги", "politics", "Шайлоо", "Бишкек"))
	both := save(t, s, mk(jarchy.Kyrgyz, "Эки тег", "economy", "Шайлоо", "Бишкек"))
	oneTag := save(t, s, mk(jarchy.Kyrgyz, "Бир тег", "economy", "Бишкек"))
	section := save(t, s, mk(jarchy.Kyrgyz, "Ошол эле бөлүм", "politics"))
	save(t, s, mk(jarchy.Kyrgyz, "Эч нерсе", "sport", "Футбол"))
	save(t, s, mk(jarchy.Russian, "Другой язык", "politics", "Шайлоо", "Бишкек"))
	d := mk(jarchy.Kyrgyz, "Долбоор", "politics", "Шайлоо", "Бишкек")
	d.Status = jarchy.StatusDraft
	save(t, s, d)
	all := save(t, s, mk(jarchy.Kyrgyz, "Баары бирдей", "politics", "Шайлоо", "Бишкек"))
	fut := mk(jarchy.Kyrgyz, "Эртең", "politics", "Шайлоо", "Бишкек")
	fut.PublishedAt = time.Now().Add(time.Hour)
	save(t, s, fut)

	got, err := s.RelatedArticles(ctx, a, 10)
	if err != nil {
		t.Fatalf("RelatedArticles: %v", err)
	}
	ids := map[int64]bool{}
	for _, r := range got {
		ids[r.ID] = true
		if r.ID == a.ID {
			t.Fatalf("related includes the article itself")
		}
		if r.Section.Slug == "" {
			t.Fatalf("related article not hydrated: %+v", r)
		}
	}
	// Other languages, drafts, future articles and unrelated ones are excluded.
	if len(got) != 4 || !ids[all.ID] || !ids[both.ID] || !ids[oneTag.ID] || !ids[section.ID] {
		t.Fatalf("related: got %d %v", len(got), ids)
	}
	if got[0].ID != both.ID && got[1].ID != both.ID {
		t.Fatalf("an article sharing two tags should rank near the top, got order %v", got)
	}
	if got[len(got)-1].ID != section.ID {
		t.Fatalf("an article sharing only the section should rank last, got %s", got[len(got)-1].Title)
	}
	got, err = s.RelatedArticles(ctx, a, 2)
	if err != nil || len(got) != 2 {
		t.Fatalf("limit 2: %d, %v", len(got), err)
	}
	// An article sharing nothing has no related articles.
	lone := save(t, s, mk(jarchy.English, "Alone", "weather", "Rain"))
	got, err = s.RelatedArticles(ctx, lone, 5)
	if err != nil || len(got) != 0 {
		t.Fatalf("lone article: %v, %v", got, err)
	}
}

// testSummaries checks that summaries (listings with Summary, translations,
// related articles) carry everything but the body, tags, authors and
// translations.
func testSummaries(t *testing.T, s jarchy.Store) {
	full := published(jarchy.Kyrgyz, "Толук макала", base)
	full.Body = strings.Repeat("Узун текст. ", 200)
	full.Tags = []jarchy.Tag{{Name: "Шайлоо"}, {Name: "Бишкек"}}
	full.Authors = []jarchy.Author{{Name: "Айгүл Осмонова", Bio: "Кабарчы"}}
	full.Cover = &jarchy.Media{URL: "https://example.org/p.jpg", Caption: "Сүрөт", Credit: "Автор", Alt: "Аянт", Width: 1200, Height: 800}
	save(t, s, full)
	ru := published(jarchy.Russian, "Полная статья", base)
	ru.TranslationGroup = full.TranslationGroup
	ru.Tags = []jarchy.Tag{{Name: "Выборы"}}
	save(t, s, ru)
	other := published(jarchy.Kyrgyz, "Дагы бир макала", base.Add(time.Hour))
	other.Tags = []jarchy.Tag{{Name: "Шайлоо"}}
	save(t, s, other)

	stored := load(t, s, full.ID)
	check := func(what string, got *jarchy.Article, want *jarchy.Article) {
		t.Helper()
		if got.Body != "" || got.BodyHTML != "" || len(got.Tags) != 0 || len(got.Authors) != 0 || len(got.Translations) != 0 {
			t.Fatalf("%s: a summary has no body, tags, authors or translations: body %d bytes, %d tags, %d authors, %d translations",
				what, len(got.Body), len(got.Tags), len(got.Authors), len(got.Translations))
		}
		w := *want
		w.Body, w.Tags, w.Authors = "", nil, nil
		if d := diffArticle(got, &w); len(d) > 0 {
			t.Fatalf("%s differs from the stored article apart from body, tags and authors:\n%s", what, strings.Join(d, "\n"))
		}
	}

	l, err := s.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, Summary: true})
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "summary listing", l.Articles, other.ID, full.ID)
	if l.Total != 2 {
		t.Fatalf("summary listing total %d, want 2", l.Total)
	}
	check("summary listing", l.Articles[1], stored)
	l, err = s.Articles(ctx, jarchy.ArticleFilter{Lang: jarchy.Kyrgyz})
	if err != nil {
		t.Fatal(err)
	}
	if d := diffArticle(l.Articles[1], stored); len(d) > 0 {
		t.Fatalf("a listing without Summary is whole:\n%s", strings.Join(d, "\n"))
	}

	tr, err := s.Translations(ctx, full.TranslationGroup)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "translations", tr, full.ID, ru.ID)
	check("translation", tr[0], stored)

	rel, err := s.RelatedArticles(ctx, load(t, s, other.ID), 4)
	if err != nil {
		t.Fatal(err)
	}
	wantIDs(t, "related", rel, full.ID)
	check("related article", rel[0], stored)
}

// testBodyHTML checks that the store keeps the body rendered by
// markup.Article, and never what the caller put in BodyHTML.
func testBodyHTML(t *testing.T, s jarchy.Store) {
	a := published(jarchy.Kyrgyz, "Түзүлгөн текст", base)
	a.Body = "Бул **маанилүү**.\n\n<script>alert(1)</script>\n\n[шилтеме](javascript:alert(2))"
	a.BodyHTML = "<script>alert(3)</script>"
	save(t, s, a)
	// markup.Article's rendering, fixed here: raw HTML and the javascript:
	// link are gone.
	want := "<p>Бул <strong>маанилүү</strong>.</p>\n\n<p>шилтеме</p>\n"
	if a.BodyHTML != want {
		t.Fatalf("SaveArticle left BodyHTML %q, want the rendering %q", a.BodyHTML, want)
	}
	for _, got := range []*jarchy.Article{load(t, s, a.ID), bySlug(t, s, a.Lang, a.Slug)} {
		if got.BodyHTML != want {
			t.Fatalf("stored BodyHTML %q, want %q", got.BodyHTML, want)
		}
		if !strings.Contains(got.BodyHTML, "<strong>маанилүү</strong>") || strings.Contains(got.BodyHTML, "<script") ||
			strings.Contains(got.BodyHTML, "javascript:") {
			t.Fatalf("BodyHTML is not the sanitised rendering: %q", got.BodyHTML)
		}
	}
	a.Body = "Оңдолгон *текст*."
	save(t, s, a)
	if got := load(t, s, a.ID); got.BodyHTML != "<p>Оңдолгон <em>текст</em>.</p>\n" {
		t.Fatalf("an edit keeps the old rendering: %q", got.BodyHTML)
	}
}

// StaleBodyHTML checks, for a store whose test can reach its database,
// that a body rendered by an older renderer is not served (reads return no
// BodyHTML, so the site renders Body) and that Reindex stores a current
// one. makeStale marks the stored rendering of article id as old.
func StaleBodyHTML(t *testing.T, s jarchy.Store, makeStale func(t *testing.T, id int64)) {
	a := newArticle(jarchy.Kyrgyz, "Эски")
	a.Body = "Эски **рендер**"
	save(t, s, a)
	makeStale(t, a.ID)
	if got := load(t, s, a.ID); got.BodyHTML != "" {
		t.Fatalf("a stale rendering was returned: %q", got.BodyHTML)
	}
	if err := s.Reindex(ctx, nil); err != nil {
		t.Fatal(err)
	}
	if got := load(t, s, a.ID); !strings.Contains(got.BodyHTML, "<strong>рендер</strong>") {
		t.Fatalf("Reindex did not render the body again: %q", got.BodyHTML)
	}
}

func testDeleteArticle(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.Kyrgyz, "Өчүрүлө турган", base))
	a.Tags = []jarchy.Tag{{Name: "Убакыт"}}
	a.Title = "Өчүрүлгөн"
	a.Slug = ""
	save(t, s, a)
	keep := save(t, s, published(jarchy.Kyrgyz, "Калат", base))
	if err := s.DeleteArticle(ctx, a.ID); err != nil {
		t.Fatalf("DeleteArticle: %v", err)
	}
	_, err := s.Article(ctx, a.ID)
	wantCode(t, "Article after delete", err, jarchy.ENOTFOUND)
	for _, sl := range []string{"ochurulo-turgan", "ochurulgon"} {
		_, err = s.ArticleBySlug(ctx, jarchy.Kyrgyz, sl)
		wantCode(t, "ArticleBySlug("+sl+") after delete", err, jarchy.ENOTFOUND)
	}
	wantIDs(t, "listing after delete", list(t, s, jarchy.ArticleFilter{}).Articles, keep.ID)
	tag, err := s.TagBySlug(ctx, "ubakyt")
	if err != nil {
		t.Fatalf("tag survives its article: %v", err)
	}
	if l := list(t, s, jarchy.ArticleFilter{TagID: tag.ID}); l.Total != 0 {
		t.Fatalf("deleted article still listed under its tag")
	}
	wantCode(t, "delete again", s.DeleteArticle(ctx, a.ID), jarchy.ENOTFOUND)
	// Its slugs, current and old, are free again.
	b := save(t, s, newArticle(jarchy.Kyrgyz, "Өчүрүлө турган"))
	if b.Slug != "ochurulo-turgan" {
		t.Fatalf("slug of a deleted article not freed: %q", b.Slug)
	}
}

func testFailedWriteIsAtomic(t *testing.T, s jarchy.Store) {
	good := save(t, s, fullArticle())
	g := generation(t, s)
	// A new article whose last tag has an unclean slug: the tags and the
	// section created before the failure must not remain.
	a := newArticle(jarchy.Kyrgyz, "Жарым-жартылай")
	a.Section = jarchy.Section{Slug: "brand-new-section", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңы"}}
	a.Tags = []jarchy.Tag{{Name: "Жаңы тег"}, {Name: "!!!", Slug: "Not Clean"}}
	a.Authors = []jarchy.Author{{Name: "Жаңы автор"}}
	wantCode(t, "save with an unclean tag slug", s.SaveArticle(ctx, a), jarchy.EINVALID)
	if _, err := s.TagBySlug(ctx, "jangy-teg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("tag from a failed save exists: %v", err)
	}
	if _, err := s.AuthorBySlug(ctx, "jangy-avtor"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("author from a failed save exists: %v", err)
	}
	secs, _ := s.Sections(ctx)
	for _, x := range secs {
		if x.Slug == "brand-new-section" {
			t.Fatalf("section from a failed save exists")
		}
	}
	if l := list(t, s, jarchy.ArticleFilter{}); l.Total != 1 {
		t.Fatalf("failed save left an article: total %d", l.Total)
	}
	// The same when the failure comes late, after the new section, tag and
	// author would have been created: an author ID that does not exist.
	late := newArticle(jarchy.Kyrgyz, "Кеч ката")
	late.Section = jarchy.Section{Slug: "late-section"}
	late.Tags = []jarchy.Tag{{Name: "Кеч тег"}}
	late.Authors = []jarchy.Author{{Name: "Кеч автор"}, {ID: 987654, Name: "Ghost"}}
	wantCode(t, "save with an unknown author id", s.SaveArticle(ctx, late), jarchy.EINVALID)
	if _, err := s.TagBySlug(ctx, "kech-teg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("tag from a failed save exists: %v", err)
	}
	if _, err := s.AuthorBySlug(ctx, "kech-avtor"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("author from a failed save exists: %v", err)
	}
	secs, _ = s.Sections(ctx)
	for _, x := range secs {
		if x.Slug == "late-section" {
			t.Fatalf("section from a failed save exists")
		}
	}
	// A failed update leaves the stored article as it was.
	u := load(t, s, good.ID)
	u.Title = "Жаңы аталыш"
	u.Slug = ""
	u.Tags = append(u.Tags, jarchy.Tag{Name: "Дагы бир"}, jarchy.Tag{ID: 987654, Name: "Ghost"})
	wantCode(t, "update with an unknown tag id", s.SaveArticle(ctx, u), jarchy.EINVALID)
	wantSame(t, "after failed update", load(t, s, good.ID), good)
	if _, err := s.TagBySlug(ctx, "dagy-bir"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("tag from a failed update exists: %v", err)
	}
	if _, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, "jangy-atalysh"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("failed update left its slug: %v", err)
	}
	// A validation failure on update too.
	u = load(t, s, good.ID)
	u.Body = strings.Repeat("x", jarchy.MaxBodyLen+1)
	wantCode(t, "update with a huge body", s.SaveArticle(ctx, u), jarchy.EINVALID)
	wantSame(t, "after invalid update", load(t, s, good.ID), good)
	if after := generation(t, s); after != g {
		t.Fatalf("failed writes moved generation %d -> %d", g, after)
	}
	// A constraint violation: another article takes good's external id.
	other := save(t, s, newArticle(jarchy.Kyrgyz, "Башка макала"))
	g = generation(t, s)
	o := load(t, s, other.ID)
	o.ExternalID = good.ExternalID
	o.Title = "Уурдалган id"
	o.Slug = ""
	o.Tags = []jarchy.Tag{{Name: "Уурдалган тег"}}
	wantCode(t, "update onto a taken external id", s.SaveArticle(ctx, o), jarchy.ECONFLICT)
	wantSame(t, "after conflicting update", load(t, s, other.ID), other)
	if _, err := s.TagBySlug(ctx, "uurdalgan-teg"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("tag from a conflicting update exists: %v", err)
	}
	if got, err := s.ArticleByExternalID(ctx, good.ExternalID); err != nil || got.ID != good.ID {
		t.Fatalf("external id now leads to %v, %v", got, err)
	}
	if after := generation(t, s); after != g {
		t.Fatalf("failed writes moved generation %d -> %d", g, after)
	}
}

func testArticleNotFound(t *testing.T, s jarchy.Store) {
	save(t, s, newArticle(jarchy.Kyrgyz, "Бар"))
	checks := map[string]func() error{
		"Article":             func() error { _, err := s.Article(ctx, 999999); return err },
		"Article(0)":          func() error { _, err := s.Article(ctx, 0); return err },
		"ArticleBySlug":       func() error { _, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, "jok"); return err },
		"ArticleBySlug lang":  func() error { _, err := s.ArticleBySlug(ctx, jarchy.Russian, "bar"); return err },
		"ArticleByExternalID": func() error { _, err := s.ArticleByExternalID(ctx, "nope"); return err },
		"ArticleByExternalID empty": func() error {
			_, err := s.ArticleByExternalID(ctx, "")
			return err
		},
		"DeleteArticle": func() error {
			return s.DeleteArticle(ctx, 999999)
		},
	}
	for name, fn := range checks {
		wantCode(t, name, fn(), jarchy.ENOTFOUND)
	}
	if _, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, "bar"); err != nil {
		t.Fatalf("existing slug: %v", err)
	}
}

func testInvalidInput(t *testing.T, s jarchy.Store) {
	bad := map[string]func(a *jarchy.Article){
		"no title":          func(a *jarchy.Article) { a.Title = "   " },
		"long title":        func(a *jarchy.Article) { a.Title = strings.Repeat("ы", jarchy.MaxTitleLen+1) },
		"NUL title":         func(a *jarchy.Article) { a.Title = "a\x00b" },
		"bad utf8 title":    func(a *jarchy.Article) { a.Title = "a\xffb" },
		"bad utf8 body":     func(a *jarchy.Article) { a.Body = "\xc3\x28" },
		"huge body":         func(a *jarchy.Article) { a.Body = strings.Repeat("б", jarchy.MaxBodyLen/2+1) },
		"long lead":         func(a *jarchy.Article) { a.Lead = strings.Repeat("l", jarchy.MaxLeadLen+1) },
		"lang":              func(a *jarchy.Article) { a.Lang = "de" },
		"status":            func(a *jarchy.Article) { a.Status = "live" },
		"scheduled no time": func(a *jarchy.Article) { a.Status = jarchy.StatusScheduled },
		"no section":        func(a *jarchy.Article) { a.Section = jarchy.Section{} },
		"bad section":       func(a *jarchy.Article) { a.Section = jarchy.Section{Slug: "No Good"} },
		"too many tags":     func(a *jarchy.Article) { a.Tags = make([]jarchy.Tag, jarchy.MaxTags+1) },
		"empty tag":         func(a *jarchy.Article) { a.Tags = []jarchy.Tag{{Name: " "}} },
		"unclean tag slug":  func(a *jarchy.Article) { a.Tags = []jarchy.Tag{{Name: "x", Slug: "Not Clean"}} },
		"NUL author":        func(a *jarchy.Article) { a.Authors = []jarchy.Author{{Name: "a\x00"}} },
		"cover no source":   func(a *jarchy.Article) { a.Cover = &jarchy.Media{Caption: "c"} },
		"cover js url":      func(a *jarchy.Article) { a.Cover = &jarchy.Media{URL: "javascript:alert(1)"} },
		"cover escape":      func(a *jarchy.Article) { a.Cover = &jarchy.Media{Key: "../../etc/passwd"} },
		"external id NUL":   func(a *jarchy.Article) { a.ExternalID = "x\x00" },
		"external id long": func(a *jarchy.Article) {
			a.ExternalID = strings.Repeat("e", 1001)
		},
		"group long": func(a *jarchy.Article) { a.TranslationGroup = strings.Repeat("g", 1001) },
	}
	for name, mutate := range bad {
		a := newArticle(jarchy.Kyrgyz, "Жакшы аталыш")
		mutate(a)
		wantCode(t, name, s.SaveArticle(ctx, a), jarchy.EINVALID)
	}
	if empty, _ := s.Empty(ctx); !empty {
		t.Fatalf("invalid articles were stored")
	}
}

func testHostileText(t *testing.T, s jarchy.Store) {
	hostile := []string{
		`Robert'); DROP TABLE articles;--`,
		`" OR 1=1 --`,
		`100% _wild_ \ backslash \\ and 'quotes' "double"`,
		"<script>alert('x')</script> &amp; ${jndi:ldap://x}",
		"Emoji 🇰🇬 and RTL \u202e text \u200b zero-width",
		"Ctrl \x01\x07\x1b[31m escape",
	}
	// Texts are stored as given, but for bidi controls (jarchy.CleanLine,
	// CleanText) and, in one-line texts, control characters (CleanLine);
	// keys (external id, group) keep them.
	storedBody := map[int]string{4: "Emoji 🇰🇬 and RTL  text \u200b zero-width"}
	storedTitle := map[int]string{4: storedBody[4], 5: "Ctrl [31m escape"}
	for i, h := range hostile {
		want, wantTitle := h, h
		if w, ok := storedBody[i]; ok {
			want = w
		}
		if w, ok := storedTitle[i]; ok {
			wantTitle = w
		}
		a := newArticle(jarchy.Kyrgyz, h)
		a.Slug = fmt.Sprintf("hostile-%d", i)
		a.Lead = h
		a.Body = h + "\n\n" + h
		a.ExternalID = h
		a.TranslationGroup = h
		a.Tags = []jarchy.Tag{{Name: h + " tag"}}
		a.Authors = []jarchy.Author{{Name: h + " author", Bio: h}}
		a.Cover = &jarchy.Media{Key: "x/y.jpg", Caption: h, Credit: h, Alt: h}
		save(t, s, a)
		got := load(t, s, a.ID)
		wantSame(t, fmt.Sprintf("hostile %d", i), got, a)
		if got.Title != wantTitle || got.Body != want+"\n\n"+want || got.ExternalID != h {
			t.Fatalf("hostile text changed: %q, body %q", got.Title, got.Body)
		}
		byExt, err := s.ArticleByExternalID(ctx, h)
		if err != nil || byExt.ID != a.ID {
			t.Fatalf("ArticleByExternalID(%q): %v", h, err)
		}
		tr, err := s.Translations(ctx, h)
		if err != nil || len(tr) != 1 {
			t.Fatalf("Translations(%q): %v %v", h, tr, err)
		}
	}
	// A long but valid body survives byte for byte.
	big := newArticle(jarchy.Russian, "Большой текст")
	big.Body = strings.Repeat("Жарчы — вестник. ", jarchy.MaxBodyLen/40)
	save(t, s, big)
	if got := load(t, s, big.ID); got.Body != big.Body {
		t.Fatalf("big body changed (len %d vs %d)", len(got.Body), len(big.Body))
	}
	// Lookups with hostile keys find nothing and break nothing.
	for _, k := range []string{"%", "_", "' OR '1'='1", "hostile-%", "*", `\`} {
		if _, err := s.ArticleBySlug(ctx, jarchy.Kyrgyz, k); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Fatalf("ArticleBySlug(%q): %v", k, err)
		}
		if _, err := s.TagBySlug(ctx, k); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Fatalf("TagBySlug(%q): %v", k, err)
		}
		if tr, err := s.Translations(ctx, k); err != nil || len(tr) != 0 {
			t.Fatalf("Translations(%q): %v, %v", k, tr, err)
		}
	}
	if l := list(t, s, jarchy.ArticleFilter{}); l.Total != len(hostile)+1 {
		t.Fatalf("total %d, want %d", l.Total, len(hostile)+1)
	}
}

// testBidiControls: every writer stores one-line texts without bidi
// controls and running text without embeddings, overrides and isolates
// (jarchy.CleanLine, jarchy.CleanText), so "evil\u202Egpj.exe" can never
// display as "evilexe.jpg"; saving the same raw article again changes
// nothing. Sections, authors, pages and settings saved on their own are
// checked in their files.
func testBidiControls(t *testing.T, s jarchy.Store) {
	const rlo, lri, pdi, rlm = "\u202E", "\u2066", "\u2069", "\u200F"
	raw := func() *jarchy.Article {
		return &jarchy.Article{
			Lang: jarchy.Kyrgyz, Title: " evil" + rlo + "gpj.exe ", Lead: "Лид" + rlo + " тексти" + rlm,
			Body:    "Текст " + lri + "ичинде" + pdi + ".\n\nЭкинчи " + rlm + "абзац.",
			Section: jarchy.Section{Slug: "bidi", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Бөлүм" + rlo, jarchy.Russian: rlo}},
			Tags:    []jarchy.Tag{{Name: "шай" + rlo + "лоо"}},
			Authors: []jarchy.Author{{Name: rlo + "Айгүл Асанова", Bio: "Журналист" + rlo + "."}},
			Cover:   &jarchy.Media{Key: "covers/a.jpg", Caption: "Ала" + rlo + "-Тоо", Credit: lri + "Жарчы" + pdi, Alt: "имарат" + rlm},
			Status:  jarchy.StatusPublished, PublishedAt: base,
		}
	}
	a := save(t, s, raw())
	got := load(t, s, a.ID)
	type texts struct {
		Title, Slug, Lead, Body, Section, Tag, TagSlug, Author, AuthorSlug, Bio, Caption, Credit, Alt string
	}
	want := texts{
		Title: "evilgpj.exe", Slug: "evilgpj-exe", Lead: "Лид тексти" + rlm,
		Body: "Текст ичинде.\n\nЭкинчи " + rlm + "абзац.", Section: "Бөлүм",
		Tag: "шайлоо", TagSlug: "shayloo", Author: "Айгүл Асанова", AuthorSlug: "aygul-asanova",
		Bio: "Журналист.", Caption: "Ала-Тоо", Credit: "Жарчы", Alt: "имарат",
	}
	have := func(a *jarchy.Article) texts {
		x := texts{Title: a.Title, Slug: a.Slug, Lead: a.Lead, Body: a.Body, Section: a.Section.Names[jarchy.Kyrgyz]}
		if len(a.Tags) == 1 {
			x.Tag, x.TagSlug = a.Tags[0].Name, a.Tags[0].Slug
		}
		if len(a.Authors) == 1 {
			x.Author, x.AuthorSlug, x.Bio = a.Authors[0].Name, a.Authors[0].Slug, a.Authors[0].Bio
		}
		if a.Cover != nil {
			x.Caption, x.Credit, x.Alt = a.Cover.Caption, a.Cover.Credit, a.Cover.Alt
		}
		return x
	}
	if h := have(got); h != want {
		t.Errorf("stored article:\n got %+v\nwant %+v", h, want)
	}
	if h := have(a); h != want {
		t.Errorf("saved article given back:\n got %+v\nwant %+v", h, want)
	}
	if _, ok := got.Section.Names[jarchy.Russian]; ok {
		t.Errorf("a section name made only of a control is kept: %q", got.Section.Names)
	}

	// The same raw article saved again is unchanged: no new update time.
	again := raw()
	again.ID, again.Version = a.ID, a.Version
	time.Sleep(2 * time.Millisecond)
	save(t, s, again)
	if after := load(t, s, a.ID); !after.UpdatedAt.Equal(got.UpdatedAt) || have(after) != want {
		t.Errorf("re-saving the same article changed it: updated %v -> %v, %+v", got.UpdatedAt, after.UpdatedAt, have(after))
	}
}

func testConcurrentWrites(t *testing.T, s jarchy.Store) {
	const workers, each = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, workers*each)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				a := published(jarchy.Kyrgyz, "Бир убакта", base.Add(time.Duration(w*each+i)*time.Second))
				// Every worker creates the same tags, author and section.
				a.Section = jarchy.Section{Slug: "together"}
				a.Tags = []jarchy.Tag{{Name: "Жалпы"}, {Name: fmt.Sprintf("Жумушчу %d", w)}}
				a.Authors = []jarchy.Author{{Name: "Биргелешкен"}}
				if err := s.SaveArticle(ctx, a); err != nil {
					errs <- fmt.Errorf("worker %d save %d: %w", w, i, err)
					continue
				}
				if _, err := s.Articles(ctx, jarchy.ArticleFilter{Limit: 5}); err != nil {
					errs <- fmt.Errorf("worker %d list: %w", w, err)
				}
			}
		}()
	}
	testwait.Group(t, &wg, 3*time.Minute, "concurrent writers")
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	l := list(t, s, jarchy.ArticleFilter{Limit: 100})
	if l.Total != workers*each {
		t.Fatalf("total %d, want %d", l.Total, workers*each)
	}
	slugs := map[string]bool{}
	for _, a := range l.Articles {
		if slugs[a.Slug] {
			t.Fatalf("duplicate slug %q", a.Slug)
		}
		slugs[a.Slug] = true
	}
	tag, err := s.TagBySlug(ctx, "jalpy")
	if err != nil {
		t.Fatal(err)
	}
	if l := list(t, s, jarchy.ArticleFilter{TagID: tag.ID}); l.Total != workers*each {
		t.Fatalf("shared tag lists %d, want %d (one tag row)", l.Total, workers*each)
	}
	if secs, _ := s.Sections(ctx); len(secs) != 1 {
		t.Fatalf("%d sections, want 1", len(secs))
	}
}

// testBatchSave: SaveArticles saves many articles in
// one transaction, with one generation step and one notification; a batch
// with one bad article saves none of them and notifies no one.
func testBatchSave(t *testing.T, s jarchy.Store) {
	old := save(t, s, newArticle(jarchy.Kyrgyz, "Эски макала"))
	var calls atomic.Int64
	defer s.Subscribe(func(jarchy.Change) { calls.Add(1) })()
	g := generation(t, s)

	a := newArticle(jarchy.Kyrgyz, "Топтом сакталды")
	a.ExternalID = "batch-a"
	a.Tags = []jarchy.Tag{{Name: "Топтом"}, {Name: "!!!"}}
	a.Authors = []jarchy.Author{{Name: "Айбек Осмонов"}}
	b := newArticle(jarchy.Kyrgyz, "Топтом сакталды") // same title: the next slug
	b.Tags = []jarchy.Tag{{Name: "топтом"}}           // the tag a creates in this batch
	c := published(jarchy.Russian, "Пакет", base)
	c.TranslationGroup = "batch-a"
	upd := *old
	upd.Lead = "Жаңыланды"
	if err := s.SaveArticles(ctx, []*jarchy.Article{a, b, c, &upd}); err != nil {
		t.Fatalf("SaveArticles: %v", err)
	}
	if n := calls.Load(); n != 1 {
		t.Errorf("a batch of 4 notified %d times, want 1", n)
	}
	if g2 := generation(t, s); g2 != g+1 {
		t.Errorf("a batch moved the generation %d -> %d, want one step", g, g2)
	}
	if a.ID == 0 || b.ID == 0 || c.ID == 0 || upd.ID != old.ID {
		t.Fatalf("IDs after the batch: %d %d %d %d (old %d)", a.ID, b.ID, c.ID, upd.ID, old.ID)
	}
	if a.Slug != "toptom-saktaldy" || b.Slug != "toptom-saktaldy-2" || c.Slug != "paket" {
		t.Errorf("slugs %q %q %q", a.Slug, b.Slug, c.Slug)
	}
	if len(a.Tags) != 2 || a.Tags[0].Slug != "toptom" || a.Tags[1].Slug != "tag-e84c538e" || b.Tags[0].ID != a.Tags[0].ID {
		t.Errorf("tags a %+v, b %+v", a.Tags, b.Tags)
	}
	if c.PublishedAt.Location() != time.UTC || c.PublishedAt.Nanosecond() != 123456000 {
		t.Errorf("published_at %v, want UTC with microseconds", c.PublishedAt)
	}
	for _, x := range []*jarchy.Article{a, b, c, &upd} {
		wantSame(t, "batch-saved "+x.Title, load(t, s, x.ID), x)
	}
	if got := load(t, s, old.ID); got.Lead != "Жаңыланды" {
		t.Errorf("update in a batch: lead %q", got.Lead)
	}
	if tr, err := s.Translations(ctx, "batch-a"); err != nil || len(tr) != 1 || tr[0].ID != c.ID {
		t.Errorf("Translations(batch-a) = %v, %v", tr, err)
	}

	// An empty batch writes nothing.
	if err := s.SaveArticles(ctx, nil); err != nil {
		t.Fatalf("empty batch: %v", err)
	}
	if n, g3 := calls.Load(), generation(t, s); n != 1 || g3 != g+1 {
		t.Errorf("an empty batch wrote: %d notifications, generation %d -> %d", n, g+1, g3)
	}

	// One bad article, found before the transaction or inside it, fails the
	// whole batch: nothing is stored, the articles given are unchanged, and
	// the error names the article.
	total := list(t, s, jarchy.ArticleFilter{}).Total
	for _, tc := range []struct {
		name, tagSlug string
		bad           func() *jarchy.Article
	}{
		{"invalid", "kalbashy-kerek-invalid", func() *jarchy.Article { return newArticle("xx", "Тил жок") }},
		{"unknown section id", "kalbashy-kerek-unknown-section-id", func() *jarchy.Article {
			x := newArticle(jarchy.Kyrgyz, "Бөлүмү жок")
			x.Section = jarchy.Section{ID: 987654}
			return x
		}},
	} {
		first := newArticle(jarchy.Kyrgyz, "Жаңы макала "+tc.name)
		first.Tags = []jarchy.Tag{{Name: "Калбашы керек " + tc.name}}
		edit := upd // the stored version
		edit.Title = "Өзгөрбөшү керек"
		bad := tc.bad()
		err := s.SaveArticles(ctx, []*jarchy.Article{first, &edit, bad})
		if err == nil {
			t.Fatalf("%s: a batch with a bad article saved", tc.name)
		}
		if !strings.Contains(err.Error(), "article 3 of 3") {
			t.Errorf("%s: error %q does not name article 3 of 3", tc.name, err)
		}
		if first.ID != 0 || edit.Title != "Өзгөрбөшү керек" || edit.Slug != old.Slug {
			t.Errorf("%s: a failed batch changed its articles: %+v", tc.name, first)
		}
		if got := list(t, s, jarchy.ArticleFilter{}).Total; got != total {
			t.Errorf("%s: %d articles after a failed batch, want %d", tc.name, got, total)
		}
		if got := load(t, s, old.ID); got.Title != "Эски макала" {
			t.Errorf("%s: a failed batch changed the stored article: %q", tc.name, got.Title)
		}
		if _, err := s.TagBySlug(ctx, tc.tagSlug); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Errorf("%s: tag %s of a failed batch exists: %v", tc.name, tc.tagSlug, err)
		}
		if n, g3 := calls.Load(), generation(t, s); n != 1 || g3 != g+1 {
			t.Errorf("%s: a failed batch wrote: %d notifications, generation %d", tc.name, n, g3)
		}
	}
}

// testBatchAsOneByOne: a batch saves as its articles would one after the
// other: each sees the slugs the ones before it took and left (an old slug
// stays as a redirect); an article named twice is saved twice (the second
// save, based on no version, is stale); a tag given by an unknown ID fails
// the batch naming its article.
func testBatchAsOneByOne(t *testing.T, s jarchy.Store) {
	ky := jarchy.Kyrgyz
	x := save(t, s, newArticle(ky, "Alpha"))
	y := save(t, s, newArticle(ky, "Gamma"))
	xe, ye := *x, *y
	xe.Title, xe.Slug = "Beta", ""  // alpha → beta; alpha redirects to x
	n1 := newArticle(ky, "Alpha")   // alpha is x's old slug
	n2 := newArticle(ky, "Beta")    // beta was just taken by x
	ye.Title, ye.Slug = "Alpha", "" // alpha and alpha-2 are taken
	n3 := newArticle(ky, "Gamma")   // gamma is y's old slug
	n4 := newArticle(jarchy.Russian, "Alpha")
	if err := s.SaveArticles(ctx, []*jarchy.Article{&xe, n1, n2, &ye, n3, n4}); err != nil {
		t.Fatalf("SaveArticles: %v", err)
	}
	got := []string{xe.Slug, n1.Slug, n2.Slug, ye.Slug, n3.Slug, n4.Slug}
	want := []string{"beta", "alpha-2", "beta-2", "alpha-3", "gamma-2", "alpha"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("slugs %v, want %v", got, want)
	}
	if !(n1.ID < n2.ID && n2.ID < n3.ID && n3.ID < n4.ID) {
		t.Errorf("new articles' IDs %d %d %d %d are not in batch order", n1.ID, n2.ID, n3.ID, n4.ID)
	}
	for slug, id := range map[string]int64{"alpha": x.ID, "gamma": y.ID, "alpha-2": n1.ID, "alpha-3": y.ID} {
		if a := bySlug(t, s, ky, slug); a.ID != id {
			t.Errorf("ky/%s leads to article %d, want %d", slug, a.ID, id)
		}
	}
	for _, a := range []*jarchy.Article{&xe, n1, n2, &ye, n3, n4} {
		wantSame(t, "batch-saved "+a.Title, load(t, s, a.ID), a)
	}

	total := list(t, s, jarchy.ArticleFilter{}).Total
	d1, d2 := newArticle(ky, "Dup one"), newArticle(ky, "Dup two")
	d1.ExternalID, d2.ExternalID = "dup", "dup"
	wantCode(t, "a batch naming a new external id twice", s.SaveArticles(ctx, []*jarchy.Article{d1, d2}), jarchy.ECONFLICT)
	if _, err := s.ArticleByExternalID(ctx, "dup"); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Errorf("a failed batch saved its first article: %v", err)
	}
	d2.Version = 1 // based on the save before it in the batch
	if err := s.SaveArticles(ctx, []*jarchy.Article{d1, d2}); err != nil {
		t.Fatalf("a batch saving an article twice: %v", err)
	}
	if d1.ID != d2.ID || d2.Version != 2 || load(t, s, d1.ID).Title != "Dup two" {
		t.Errorf("twice in a batch: IDs %d %d, version %d", d1.ID, d2.ID, d2.Version)
	}

	u1, u2 := newArticle(ky, "Tagged"), newArticle(ky, "Unknown tag")
	u2.Tags = []jarchy.Tag{{ID: 987654}}
	err := s.SaveArticles(ctx, []*jarchy.Article{u1, u2})
	wantCode(t, "a batch with an unknown tag id", err, jarchy.EINVALID)
	if err != nil && !strings.Contains(err.Error(), "article 2 of 2") {
		t.Errorf("error %q does not name article 2 of 2", err)
	}
	if n := list(t, s, jarchy.ArticleFilter{}).Total; n != total+1 {
		t.Errorf("%d articles, want %d", n, total+1)
	}
}

// testLongBody: a body of exactly jarchy.MaxBodyLen bytes (1 MiB: the
// text of a law, many distinct words) is stored byte for byte, rendered
// whole and found by search by a word from its end; one byte more is
// EINVALID.
func testLongBody(t *testing.T, s jarchy.Store) {
	if jarchy.MaxBodyLen != 1<<20 {
		t.Fatalf("MaxBodyLen is %d, want 1 MiB", jarchy.MaxBodyLen)
	}
	var b strings.Builder
	for i := 0; b.Len() < jarchy.MaxBodyLen-200; i++ {
		if i%12 == 0 {
			fmt.Fprintf(&b, "\n\n**Берене %d.** ", i/12+1)
		}
		fmt.Fprintf(&b, "мыйзамдын%s жобосу%d ", strings.Repeat("а", i%7), i)
	}
	b.WriteString("\n\nакыркыберене")
	body := b.String() + strings.Repeat(".", jarchy.MaxBodyLen-b.Len())
	if len(body) != 1<<20 {
		t.Fatalf("test body is %d bytes", len(body))
	}
	a := published(jarchy.Kyrgyz, "Мыйзамдын толук тексти", base)
	a.Body = body
	save(t, s, a)
	got := load(t, s, a.ID)
	if got.Body != body {
		t.Fatalf("a 1 MiB body changed (len %d)", len(got.Body))
	}
	if !strings.Contains(got.BodyHTML, "акыркыберене") || !strings.Contains(got.BodyHTML, "<strong>Берене 1.</strong>") {
		t.Errorf("a 1 MiB body was not rendered whole (%d bytes of HTML)", len(got.BodyHTML))
	}
	res, err := s.Search(ctx, jarchy.SearchQuery{Text: "акыркыберене ", Lang: jarchy.Kyrgyz})
	if err != nil || res.Total != 1 {
		t.Errorf("search for the last word of a 1 MiB body: %+v, %v", res, err)
	}
	over := newArticle(jarchy.Kyrgyz, "Өтө узун")
	over.Body = body + "."
	wantCode(t, "a body of 1 MiB + 1 byte", s.SaveArticle(ctx, over), jarchy.EINVALID)
}

// testArticleClock: the store's clock decides what is public (listings and
// their counts, related articles) with no write in between, and stamps
// saves: CreatedAt, UpdatedAt, and PublishedAt of an article published
// without a time. (An article published at a time still to come stands
// here for one saved while the clock was ahead; a save dated ahead of the
// clock is scheduled instead, see testPublishDue.)
func testArticleClock(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2031, 2, 3, 4, 5, 6, 7000, time.UTC)
	c.set(t0.Add(time.Hour))
	later := published(jarchy.Kyrgyz, "Кийин чыгат", t0.Add(time.Hour))
	later.Tags = []jarchy.Tag{{Name: "Саат"}}
	save(t, s, later)
	c.set(t0)
	now := save(t, s, published(jarchy.Kyrgyz, "Азыр чыкты", time.Time{}))
	if !now.PublishedAt.Equal(t0) || !now.CreatedAt.Equal(t0) || !now.UpdatedAt.Equal(t0) {
		t.Fatalf("published, created, updated = %v, %v, %v; want the clock's %v", now.PublishedAt, now.CreatedAt, now.UpdatedAt, t0)
	}
	c.set(t0.Add(time.Minute))
	now.Lead = "Жаңыланды"
	save(t, s, now)
	if !now.UpdatedAt.Equal(t0.Add(time.Minute)) || !now.CreatedAt.Equal(t0) {
		t.Fatalf("after an edit: created %v, updated %v", now.CreatedAt, now.UpdatedAt)
	}
	public := jarchy.ArticleFilter{Lang: jarchy.Kyrgyz, PublicOnly: true}
	probe := &jarchy.Article{Lang: jarchy.Kyrgyz, Section: later.Section, Tags: later.Tags}
	check := func(what string, want ...int64) {
		t.Helper()
		l := list(t, s, public)
		wantIDs(t, what+": public listing", l.Articles, want...)
		if l.Total != len(want) {
			t.Errorf("%s: total %d, want %d", what, l.Total, len(want))
		}
		rel, err := s.RelatedArticles(ctx, probe, 10)
		if err != nil {
			t.Fatal(err)
		}
		wantIDs(t, what+": related", rel, want...)
	}
	check("before the time", now.ID)
	check("before the time, again", now.ID) // a cached count, if any, is still right
	c.set(t0.Add(time.Hour))
	check("at the time", later.ID, now.ID)
}
