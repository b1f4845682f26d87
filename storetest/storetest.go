// Package storetest is the contract test suite that every jarchy.Store
// implementation must pass. A store package runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) jarchy.Store { return openTemp(t) })
//		storetest.RunShared(t, func(t *testing.T) (a, b jarchy.Store) { return openTwoOnOneDB(t) })
//	}
//
// Run gives every subtest a fresh, empty store; the opener must register its
// own cleanup (t.Cleanup) to close the store.
//
// Contract details that store.go leaves open, fixed here so both stores
// behave alike:
//   - Times are kept in UTC with microsecond precision: SaveArticle truncates
//     PublishedAt to the microsecond and converts it to UTC, and a stored
//     article reads back equal to what SaveArticle left in a.
//   - Tags and authors given with ID 0 are found by slug; an empty slug is
//     Slugify(jarchy.DefaultLang, name). A name that transliterates to
//     nothing ("!!!", "—") gets storeutil.FallbackSlug: "tag-" or "author-"
//     and 8 hex digits of the SHA-256 of the lower-cased name; an article
//     title likewise gets "article-…". An empty name is EINVALID. A found
//     tag or author keeps its stored name (and bio). Duplicates in one
//     article's list are kept once. Tags and authors keep the given order.
//   - A section given with ID 0 is found by slug or created with the given
//     Names and Position. A section ID that does not exist is EINVALID.
//     Section slugs are lower-case [a-z0-9-] and not reserved (tag, author,
//     page, search, feed).
//   - Article slugs are unique per language; a taken slug gets "-2", "-3"…
//     A slug is taken when another article has it now or had it before (a
//     redirect), so that old links keep pointing at the same story. An
//     article that gets back one of its own old slugs takes it back. A
//     given Slug must already be a clean slug ([a-z0-9] words joined by
//     single hyphens, at most jarchy.MaxSlugLen bytes), else EINVALID.
//   - On update, an empty TranslationGroup keeps the stored one.
//   - Articles: Limit 0 means 20, more than 100 means 100; a negative Offset
//     or Limit, an unknown Lang or Status is EINVALID. Articles without a
//     publication time sort after all dated ones.
//   - Translations returns the group ordered by jarchy.Langs, then ID.
//   - Pages: slug derived from the title when empty; (lang, slug) unique:
//     a duplicate is ECONFLICT. Pages(lang) is ordered by slug; lang ""
//     lists every language.
//   - Settings: SiteName keys are site languages; Social keys are among
//     jarchy.SocialNetworks with http(s) URLs; empty values are dropped.
//     Settings never returns nil maps.
//   - A write that breaks a uniqueness rule (an external id that another
//     article has, a page slug taken in that language) is ECONFLICT; a
//     failed write of any kind changes nothing and notifies no one.
//   - Shared rules (slugs, limits, filter defaults, content hash) live in
//     internal/storeutil; both stores use it.
//   - Subscribe: fn runs exactly once per committed write of this store,
//     synchronously, and never for a write that failed. fn must not write to
//     the store.
package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// Opener returns a fresh, empty store and arranges for it to be closed.
type Opener func(t *testing.T) jarchy.Store

// SharedOpener returns two stores opened separately on the same fresh,
// empty database (as two processes would), and arranges for both to be closed.
type SharedOpener func(t *testing.T) (a, b jarchy.Store)

// Run runs the contract suite; every subtest opens a fresh store.
func Run(t *testing.T, open Opener) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s jarchy.Store)
	}{
		{"Empty", testEmpty},
		{"ArticleRoundTrip", testArticleRoundTrip},
		{"ArticleUpdate", testArticleUpdate},
		{"ExternalIDUpsert", testExternalIDUpsert},
		{"FindOrCreateRelations", testFindOrCreateRelations},
		{"RelationByID", testRelationByID},
		{"SlugDerivation", testSlugDerivation},
		{"SlugRedirect", testSlugRedirect},
		{"ExplicitSlug", testExplicitSlug},
		{"TranslationGroups", testTranslationGroups},
		{"ArticlesFilters", testArticlesFilters},
		{"ArticlesOrdering", testArticlesOrdering},
		{"ArticlesPaging", testArticlesPaging},
		{"ArticlesInvalidFilter", testArticlesInvalidFilter},
		{"RelatedArticles", testRelatedArticles},
		{"Summaries", testSummaries},
		{"BodyHTML", testBodyHTML},
		{"DeleteArticle", testDeleteArticle},
		{"Sections", testSections},
		{"Authors", testAuthors},
		{"Pages", testPages},
		{"Settings", testSettings},
		{"GenerationEveryWrite", testGenerationEveryWrite},
		{"Subscribe", testSubscribe},
		{"FailedWriteIsAtomic", testFailedWriteIsAtomic},
		{"NotFound", testNotFound},
		{"InvalidInput", testInvalidInput},
		{"HostileText", testHostileText},
		{"BidiControls", testBidiControls}, // bidi.go
		{"ConcurrentWrites", testConcurrentWrites},
		{"BatchSave", testBatchSave},
		{"LongBody", testLongBody},
	}
	tests = append(tests, searchTests...) // search.go
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.fn(t, open(t))
		})
	}
}

// RunShared runs the tests that need two stores on one database.
func RunShared(t *testing.T, open SharedOpener) {
	t.Run("SharedNotify", func(t *testing.T) {
		a, b := open(t)
		testSharedNotify(t, a, b)
	})
	t.Run("SharedConcurrentWrites", func(t *testing.T) {
		a, b := open(t)
		testSharedConcurrentWrites(t, a, b)
	})
}

var ctx = context.Background()

// base is a fixed past publication time with sub-microsecond noise, in a
// non-UTC zone, to check UTC conversion and microsecond truncation.
var base = time.Date(2026, 3, 1, 18, 30, 15, 123456789, time.FixedZone("KGT", 6*3600))

func newArticle(lang jarchy.Lang, title string) *jarchy.Article {
	return &jarchy.Article{
		Lang:    lang,
		Title:   title,
		Lead:    "Lead of " + title,
		Body:    "Body of *" + title + "*",
		Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар", jarchy.Russian: "Новости", jarchy.English: "News"}},
	}
}

func published(lang jarchy.Lang, title string, at time.Time) *jarchy.Article {
	a := newArticle(lang, title)
	a.Status = jarchy.StatusPublished
	a.PublishedAt = at
	return a
}

func save(t *testing.T, s jarchy.Store, a *jarchy.Article) *jarchy.Article {
	t.Helper()
	if err := s.SaveArticle(ctx, a); err != nil {
		t.Fatalf("SaveArticle(%q): %v", a.Title, err)
	}
	if a.ID == 0 {
		t.Fatalf("SaveArticle(%q) left ID 0", a.Title)
	}
	return a
}

func bySlug(t *testing.T, s jarchy.Store, lang jarchy.Lang, slug string) *jarchy.Article {
	t.Helper()
	a, err := s.ArticleBySlug(ctx, lang, slug)
	if err != nil {
		t.Fatalf("ArticleBySlug(%s, %q): %v", lang, slug, err)
	}
	return a
}

func load(t *testing.T, s jarchy.Store, id int64) *jarchy.Article {
	t.Helper()
	a, err := s.Article(ctx, id)
	if err != nil {
		t.Fatalf("Article(%d): %v", id, err)
	}
	return a
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if got := jarchy.ErrorCode(err); got != code {
		t.Fatalf("%s: error %v (code %q), want code %q", what, err, got, code)
	}
}

func generation(t *testing.T, s jarchy.Store) int64 {
	t.Helper()
	g, err := s.Generation(ctx)
	if err != nil {
		t.Fatalf("Generation: %v", err)
	}
	return g
}

func list(t *testing.T, s jarchy.Store, f jarchy.ArticleFilter) jarchy.ArticleList {
	t.Helper()
	l, err := s.Articles(ctx, f)
	if err != nil {
		t.Fatalf("Articles(%+v): %v", f, err)
	}
	return l
}

func ids(as []*jarchy.Article) []int64 {
	out := make([]int64, len(as))
	for i, a := range as {
		out[i] = a.ID
	}
	return out
}

func wantIDs(t *testing.T, what string, got []*jarchy.Article, want ...int64) {
	t.Helper()
	g := ids(got)
	if fmt.Sprint(g) != fmt.Sprint(want) {
		t.Fatalf("%s: got ids %v, want %v", what, g, want)
	}
}

// diffArticle reports the first differences between two articles.
func diffArticle(got, want *jarchy.Article) []string {
	var d []string
	cmp := func(field string, g, w any) {
		if fmt.Sprint(g) != fmt.Sprint(w) {
			d = append(d, fmt.Sprintf("%s: got %q, want %q", field, fmt.Sprint(g), fmt.Sprint(w)))
		}
	}
	cmpTime := func(field string, g, w time.Time) {
		if !g.Equal(w) {
			d = append(d, fmt.Sprintf("%s: got %v, want %v", field, g, w))
		}
		if !g.IsZero() && g.Location() != time.UTC {
			d = append(d, fmt.Sprintf("%s: %v is not in UTC", field, g))
		}
	}
	cmp("ID", got.ID, want.ID)
	cmp("ExternalID", got.ExternalID, want.ExternalID)
	cmp("Lang", got.Lang, want.Lang)
	cmp("TranslationGroup", got.TranslationGroup, want.TranslationGroup)
	cmp("Title", got.Title, want.Title)
	cmp("Slug", got.Slug, want.Slug)
	cmp("Lead", got.Lead, want.Lead)
	cmp("Body", got.Body, want.Body)
	cmp("Section.ID", got.Section.ID, want.Section.ID)
	cmp("Section.Slug", got.Section.Slug, want.Section.Slug)
	cmp("Section.Names", got.Section.Names, want.Section.Names)
	cmp("Status", got.Status, want.Status)
	cmpTime("PublishedAt", got.PublishedAt, want.PublishedAt)
	cmpTime("CreatedAt", got.CreatedAt, want.CreatedAt)
	cmpTime("UpdatedAt", got.UpdatedAt, want.UpdatedAt)
	var gt, wt []string
	for _, x := range got.Tags {
		gt = append(gt, fmt.Sprintf("%d/%s/%s", x.ID, x.Slug, x.Name))
	}
	for _, x := range want.Tags {
		wt = append(wt, fmt.Sprintf("%d/%s/%s", x.ID, x.Slug, x.Name))
	}
	cmp("Tags", gt, wt)
	var ga, wa []string
	for _, x := range got.Authors {
		ga = append(ga, fmt.Sprintf("%d/%s/%s/%s", x.ID, x.Slug, x.Name, x.Bio))
	}
	for _, x := range want.Authors {
		wa = append(wa, fmt.Sprintf("%d/%s/%s/%s", x.ID, x.Slug, x.Name, x.Bio))
	}
	cmp("Authors", ga, wa)
	switch {
	case (got.Cover == nil) != (want.Cover == nil):
		d = append(d, fmt.Sprintf("Cover: got %+v, want %+v", got.Cover, want.Cover))
	case got.Cover != nil && *got.Cover != *want.Cover:
		d = append(d, fmt.Sprintf("Cover: got %+v, want %+v", *got.Cover, *want.Cover))
	}
	return d
}

func wantSame(t *testing.T, what string, got, want *jarchy.Article) {
	t.Helper()
	if d := diffArticle(got, want); len(d) > 0 {
		t.Fatalf("%s differs:\n  %s", what, strings.Join(d, "\n  "))
	}
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

func fullArticle() *jarchy.Article {
	return &jarchy.Article{
		ExternalID: "ext-42",
		Lang:       jarchy.Kyrgyz,
		Title:      "  Жогорку Кеңештин шайлоосу  ",
		Lead:       "Шайлоо жекшембиде өтөт.",
		Body:       "# Баш\n\nТекст **калың** жана [шилтеме](https://example.org).\n",
		Section: jarchy.Section{Slug: "politics", Position: 3, Names: map[jarchy.Lang]string{
			jarchy.Kyrgyz: "Саясат", jarchy.Russian: "Политика", jarchy.English: "Politics"}},
		Tags:    []jarchy.Tag{{Name: "Шайлоо"}, {Name: "Бишкек"}, {Name: "Жогорку Кеңеш"}},
		Authors: []jarchy.Author{{Name: "Үмүт Токтосунова", Bio: "Саясий баяндамачы"}, {Name: "Азамат Бекович"}, {Name: "Айгүл Осмонова"}},
		Cover: &jarchy.Media{Path: "2026/03/ala-too.jpg", Caption: "Ала-Тоо аянты", Credit: "Фото: Jarchy",
			Alt: "Аянттагы адамдар", Width: 1600, Height: 900},
		Status:      jarchy.StatusPublished,
		PublishedAt: base,
	}
}

func testArticleRoundTrip(t *testing.T, s jarchy.Store) {
	before := jarchy.Now().Add(-time.Second)
	a := save(t, s, fullArticle())
	after := jarchy.Now().Add(time.Second)

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

func testFindOrCreateRelations(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.Kyrgyz, "Биринчи")
	a.Section = jarchy.Section{Slug: "economy", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика"}}
	a.Tags = []jarchy.Tag{{Name: "Баалар"}, {Name: "Бишкек"}, {Name: "баалар"}} // same slug twice
	a.Authors = []jarchy.Author{{Name: "Айбек Осмонов", Bio: "Экономист"}}
	save(t, s, a)
	if len(a.Tags) != 2 {
		t.Fatalf("duplicate tag kept: %+v", a.Tags)
	}
	b := newArticle(jarchy.Kyrgyz, "Экинчи")
	b.Section = jarchy.Section{Slug: "economy"}
	b.Tags = []jarchy.Tag{{Name: "Бишкек"}, {Name: "Баалар"}}
	b.Authors = []jarchy.Author{{Name: "Айбек Осмонов", Bio: "other bio is ignored for an existing author"}}
	save(t, s, b)
	if a.Section.ID != b.Section.ID {
		t.Errorf("same section slug gave two sections: %d %d", a.Section.ID, b.Section.ID)
	}
	if a.Tags[0].ID != b.Tags[1].ID || a.Tags[1].ID != b.Tags[0].ID {
		t.Errorf("same tag names gave new tags: %+v vs %+v", a.Tags, b.Tags)
	}
	if a.Authors[0].ID != b.Authors[0].ID {
		t.Errorf("same author name gave two authors")
	}
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(secs) != 1 || secs[0].Names[jarchy.Kyrgyz] != "Экономика" {
		t.Fatalf("sections: %+v", secs)
	}
	tag, err := s.TagBySlug(ctx, "baalar")
	if err != nil {
		t.Fatalf("TagBySlug: %v", err)
	}
	if tag.Name != "Баалар" || tag.ID != a.Tags[0].ID {
		t.Errorf("tag: %+v", tag)
	}
	au, err := s.AuthorBySlug(ctx, "aybek-osmonov")
	if err != nil {
		t.Fatalf("AuthorBySlug: %v", err)
	}
	if au.Name != "Айбек Осмонов" || au.Bio != "Экономист" {
		t.Errorf("author: %+v", au)
	}
	// Listing by tag, author and section finds both.
	for _, f := range []jarchy.ArticleFilter{{TagID: tag.ID}, {AuthorID: au.ID}, {SectionID: a.Section.ID}} {
		if l := list(t, s, f); l.Total != 2 {
			t.Errorf("%+v: total %d, want 2", f, l.Total)
		}
	}
	// A name spelt the same in a Russian article is the same tag and author:
	// relation slugs do not depend on the article's language (ж is j, х is h).
	ky := newArticle(jarchy.Kyrgyz, "Жапаров Бишкекте")
	ky.Tags = []jarchy.Tag{{Name: "Жапаров"}, {Name: "Хан-Тенгри"}}
	ky.Authors = []jarchy.Author{{Name: "Жанна Жумабаева"}}
	save(t, s, ky)
	ru := newArticle(jarchy.Russian, "Жапаров в Бишкеке")
	ru.Tags = []jarchy.Tag{{Name: "Жапаров"}, {Name: "Хан-Тенгри"}}
	ru.Authors = []jarchy.Author{{Name: "Жанна Жумабаева"}}
	save(t, s, ru)
	if ky.Tags[0].ID != ru.Tags[0].ID || ky.Tags[1].ID != ru.Tags[1].ID || ky.Authors[0].ID != ru.Authors[0].ID {
		t.Errorf("one name in two languages gave two relations: ky %+v %+v, ru %+v %+v", ky.Tags, ky.Authors, ru.Tags, ru.Authors)
	}
	if ky.Tags[0].Slug != "japarov" || ky.Tags[1].Slug != "han-tengri" || ky.Authors[0].Slug != "janna-jumabaeva" {
		t.Errorf("relation slugs: %+v %+v", ky.Tags, ky.Authors)
	}
	// A standalone author gets the same slug as one named in an article.
	solo := &jarchy.Author{Name: "Жанна Жумабаева"}
	if err := s.SaveAuthor(ctx, solo); err != nil {
		t.Fatal(err)
	}
	if solo.ID != ky.Authors[0].ID {
		t.Errorf("SaveAuthor made a second author %q for one name", solo.Slug)
	}
	testSluglessNames(t, s)
}

// testSluglessNames: a tag or author whose name transliterates to nothing
// (punctuation, symbols, Greek) gets a fixed fallback slug instead of
// failing the article; the same name in another article, in another case
// or with spaces around it, is the same tag.
func testSluglessNames(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.Russian, "Знаки")
	a.Tags = []jarchy.Tag{{Name: "!!!"}, {Name: "…"}, {Name: "Ωμέγα"}, {Name: " !!! "}}
	a.Authors = []jarchy.Author{{Name: "—"}}
	save(t, s, a)
	var got []string
	for _, x := range a.Tags {
		got = append(got, x.Slug)
	}
	if fmt.Sprint(got) != "[tag-e84c538e tag-b4935894 tag-f9d47761]" || a.Authors[0].Slug != "author-bda05058" {
		t.Fatalf("slugless names got tags %v, author %q", got, a.Authors[0].Slug)
	}
	b := newArticle(jarchy.English, "Signs")
	b.Tags = []jarchy.Tag{{Name: "ΩΜΈΓΑ"}}
	b.Authors = []jarchy.Author{{Name: " — "}}
	save(t, s, b)
	if b.Tags[0].ID != a.Tags[2].ID || b.Authors[0].ID != a.Authors[0].ID {
		t.Errorf("the same slugless name gave a second tag or author: %+v %+v", b.Tags, b.Authors)
	}
	tag, err := s.TagBySlug(ctx, "tag-e84c538e")
	if err != nil || tag.Name != "!!!" {
		t.Errorf("TagBySlug(tag-e84c538e) = %+v, %v", tag, err)
	}
	au, err := s.AuthorBySlug(ctx, "author-bda05058")
	if err != nil || au.Name != "—" {
		t.Errorf("AuthorBySlug(author-bda05058) = %+v, %v", au, err)
	}
	solo := &jarchy.Author{Name: "…"}
	if err := s.SaveAuthor(ctx, solo); err != nil || solo.Slug != "author-b4935894" {
		t.Errorf("SaveAuthor(…) slug %q, %v", solo.Slug, err)
	}
}

func testRelationByID(t *testing.T, s jarchy.Store) {
	a := newArticle(jarchy.Kyrgyz, "Биринчи")
	a.Tags = []jarchy.Tag{{Name: "Спорт"}}
	a.Authors = []jarchy.Author{{Name: "Нурлан"}}
	save(t, s, a)
	b := newArticle(jarchy.Kyrgyz, "Экинчи")
	b.Section = jarchy.Section{ID: a.Section.ID}
	b.Tags = []jarchy.Tag{{ID: a.Tags[0].ID, Name: "Name is ignored when ID is set"}}
	b.Authors = []jarchy.Author{{ID: a.Authors[0].ID, Name: "Ignored"}}
	save(t, s, b)
	got := load(t, s, b.ID)
	if got.Section.Slug != "news" || len(got.Tags) != 1 || got.Tags[0].Name != "Спорт" || len(got.Authors) != 1 || got.Authors[0].Name != "Нурлан" {
		t.Fatalf("relations by ID: %+v %+v %+v", got.Section, got.Tags, got.Authors)
	}
	c := newArticle(jarchy.Kyrgyz, "Үчүнчү")
	c.Section = jarchy.Section{ID: 99999}
	wantCode(t, "unknown section id", s.SaveArticle(ctx, c), jarchy.EINVALID)
	c = newArticle(jarchy.Kyrgyz, "Үчүнчү")
	c.Tags = []jarchy.Tag{{ID: 99999, Name: "Ghost"}}
	wantCode(t, "unknown tag id", s.SaveArticle(ctx, c), jarchy.EINVALID)
	c = newArticle(jarchy.Kyrgyz, "Үчүнчү")
	c.Authors = []jarchy.Author{{ID: 99999, Name: "Ghost"}}
	wantCode(t, "unknown author id", s.SaveArticle(ctx, c), jarchy.EINVALID)
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
		if !got.Translations[0].IsPublic(jarchy.Now()) || got.Translations[1].IsPublic(jarchy.Now()) {
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
	add("future", published(jarchy.Kyrgyz, "Келечек", jarchy.Now().Add(48*time.Hour)), "politics", []string{"Шайлоо"}, nil)
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
		{"status scheduled", jarchy.ArticleFilter{Status: jarchy.StatusScheduled}, []int64{id("scheduled")}},
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
	fut.PublishedAt = jarchy.Now().Add(time.Hour)
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

func testSections(t *testing.T, s jarchy.Store) {
	mk := func(slug string, pos int, names ...string) *jarchy.Section {
		sec := &jarchy.Section{Slug: slug, Position: pos, Names: map[jarchy.Lang]string{}}
		for i, n := range names {
			sec.Names[jarchy.Langs[i]] = n
		}
		if err := s.SaveSection(ctx, sec); err != nil {
			t.Fatalf("SaveSection(%s): %v", slug, err)
		}
		if sec.ID == 0 {
			t.Fatalf("SaveSection(%s) left ID 0", slug)
		}
		return sec
	}
	pol := mk("politics", 2, "Саясат", "Политика", "Politics")
	eco := mk("economy", 1, "Экономика")
	cul := mk("culture", 2, "Маданият", "Культура")
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, x := range secs {
		order = append(order, x.Slug)
	}
	if fmt.Sprint(order) != "[economy culture politics]" {
		t.Fatalf("section order %v, want position then slug", order)
	}
	if fmt.Sprint(secs[2].Names) != fmt.Sprint(pol.Names) || secs[2].ID != pol.ID {
		t.Fatalf("names: %v, want %v", secs[2].Names, pol.Names)
	}
	// Update by ID: names are replaced, position moves.
	cul.Position = 0
	cul.Names = map[jarchy.Lang]string{jarchy.English: "Culture"}
	if err := s.SaveSection(ctx, cul); err != nil {
		t.Fatal(err)
	}
	// Update by slug.
	if err := s.SaveSection(ctx, &jarchy.Section{Slug: "economy", Position: 9, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика", jarchy.Russian: "Экономика"}}); err != nil {
		t.Fatal(err)
	}
	secs, _ = s.Sections(ctx)
	order = nil
	for _, x := range secs {
		order = append(order, fmt.Sprintf("%s:%d:%v", x.Slug, x.ID, x.Names))
	}
	want := fmt.Sprintf("[culture:%d:map[en:Culture] politics:%d:%v economy:%d:map[ky:Экономика ru:Экономика]]", cul.ID, pol.ID, pol.Names, eco.ID)
	if fmt.Sprint(order) != want {
		t.Fatalf("after updates: %v\nwant %v", order, want)
	}
	// An article shows its section's current names.
	a := newArticle(jarchy.Kyrgyz, "Макала")
	a.Section = jarchy.Section{Slug: "culture"}
	save(t, s, a)
	if got := load(t, s, a.ID); got.Section.ID != cul.ID || got.Section.Names[jarchy.English] != "Culture" {
		t.Fatalf("article section: %+v", got.Section)
	}
	for _, bad := range []jarchy.Section{
		{Slug: "tag"}, {Slug: "author"}, {Slug: "page"}, {Slug: "search"}, {Slug: "feed"},
		{Slug: ""}, {Slug: "Bad Slug"}, {Slug: "../x"},
		{Slug: "ok", Names: map[jarchy.Lang]string{"xx": "Unknown lang"}},
		{Slug: "ok", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: strings.Repeat("ы", jarchy.MaxNameLen+1)}},
		{Slug: "ok", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "nul\x00"}},
	} {
		b := bad
		wantCode(t, fmt.Sprintf("SaveSection(%q)", bad.Slug), s.SaveSection(ctx, &b), jarchy.EINVALID)
	}
	// A reserved slug is refused when an article would create it, too.
	r := newArticle(jarchy.Kyrgyz, "Резерв")
	r.Section = jarchy.Section{Slug: "feed"}
	wantCode(t, "article creating reserved section", s.SaveArticle(ctx, r), jarchy.EINVALID)
	wantCode(t, "SaveSection(missing id)", s.SaveSection(ctx, &jarchy.Section{ID: 12345, Slug: "ghost"}), jarchy.ENOTFOUND)
}

func testAuthors(t *testing.T, s jarchy.Store) {
	a := &jarchy.Author{Name: "Чолпон Асанова", Bio: "Редактор"}
	if err := s.SaveAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.Slug != "cholpon-asanova" {
		t.Fatalf("SaveAuthor filled %+v", a)
	}
	got, err := s.AuthorBySlug(ctx, "cholpon-asanova")
	if err != nil || *got != *a {
		t.Fatalf("AuthorBySlug: %+v, %v; want %+v", got, err, a)
	}
	// Update by ID.
	a.Bio = "Башкы редактор"
	if err := s.SaveAuthor(ctx, a); err != nil {
		t.Fatal(err)
	}
	// Update by slug.
	b := &jarchy.Author{Slug: "cholpon-asanova", Name: "Чолпон Асанова", Bio: "Башкы редактор, 2026"}
	if err := s.SaveAuthor(ctx, b); err != nil {
		t.Fatal(err)
	}
	if b.ID != a.ID {
		t.Fatalf("update by slug made a new author")
	}
	got, _ = s.AuthorBySlug(ctx, "cholpon-asanova")
	if got.Bio != "Башкы редактор, 2026" {
		t.Fatalf("bio %q", got.Bio)
	}
	// An article by that name uses the same author.
	ar := newArticle(jarchy.Kyrgyz, "Редактордон")
	ar.Authors = []jarchy.Author{{Name: "Чолпон Асанова"}}
	save(t, s, ar)
	if ar.Authors[0].ID != a.ID || ar.Authors[0].Bio != "Башкы редактор, 2026" {
		t.Fatalf("article author %+v", ar.Authors[0])
	}
	for _, bad := range []jarchy.Author{{Name: ""}, {Name: "   "}, {Name: strings.Repeat("a", jarchy.MaxNameLen+1)}, {Name: "x\x00y"}, {Name: "ok", Slug: "Not A Slug"}} {
		x := bad
		wantCode(t, fmt.Sprintf("SaveAuthor(%q)", bad.Name), s.SaveAuthor(ctx, &x), jarchy.EINVALID)
	}
	wantCode(t, "SaveAuthor(missing id)", s.SaveAuthor(ctx, &jarchy.Author{ID: 9999, Name: "Ghost"}), jarchy.ENOTFOUND)
}

func testPages(t *testing.T, s jarchy.Store) {
	p := &jarchy.Page{Lang: jarchy.Kyrgyz, Title: "Биз жөнүндө", Body: "# Биз\n\nРедакция."}
	if err := s.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if p.ID == 0 || p.Slug != "biz-jonundo" || p.UpdatedAt.IsZero() {
		t.Fatalf("SavePage filled %+v", p)
	}
	en := &jarchy.Page{Lang: jarchy.English, Slug: "about", Title: "About us", Body: "We."}
	contacts := &jarchy.Page{Lang: jarchy.English, Slug: "contacts", Title: "Contacts", Body: "Mail us."}
	for _, x := range []*jarchy.Page{contacts, en} {
		if err := s.SavePage(ctx, x); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.PageBySlug(ctx, jarchy.Kyrgyz, "biz-jonundo")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != p.ID || got.Title != p.Title || got.Body != p.Body || got.Lang != p.Lang || !got.UpdatedAt.Equal(p.UpdatedAt) || got.UpdatedAt.Location() != time.UTC {
		t.Fatalf("PageBySlug: %+v, want %+v", got, p)
	}
	_, err = s.PageBySlug(ctx, jarchy.Russian, "about")
	wantCode(t, "page in other language", err, jarchy.ENOTFOUND)
	ps, err := s.Pages(ctx, jarchy.English)
	if err != nil || len(ps) != 2 || ps[0].Slug != "about" || ps[1].Slug != "contacts" {
		t.Fatalf("Pages(en): %v, %v", ps, err)
	}
	ps, err = s.Pages(ctx, "")
	if err != nil || len(ps) != 3 {
		t.Fatalf("Pages(all): %d, %v", len(ps), err)
	}
	// Update.
	en.Body = "We are a newspaper."
	if err := s.SavePage(ctx, en); err != nil {
		t.Fatal(err)
	}
	got, _ = s.PageBySlug(ctx, jarchy.English, "about")
	if got.Body != "We are a newspaper." || got.ID != en.ID {
		t.Fatalf("updated page %+v", got)
	}
	// Same slug in another language is fine; a duplicate in one language conflicts.
	if err := s.SavePage(ctx, &jarchy.Page{Lang: jarchy.Russian, Slug: "about", Title: "О нас"}); err != nil {
		t.Fatalf("same slug in ru: %v", err)
	}
	wantCode(t, "duplicate page slug", s.SavePage(ctx, &jarchy.Page{Lang: jarchy.English, Slug: "about", Title: "Dup"}), jarchy.ECONFLICT)
	contacts.Slug = "about"
	wantCode(t, "rename onto a taken slug", s.SavePage(ctx, contacts), jarchy.ECONFLICT)
	for _, bad := range []jarchy.Page{
		{Lang: "xx", Title: "t"}, {Lang: jarchy.English, Title: ""}, {Lang: jarchy.English, Title: "!!!"},
		{Lang: jarchy.English, Title: "t", Slug: "Bad/Slug"}, {Lang: jarchy.English, Title: "t\x00"},
		{Lang: jarchy.English, Title: strings.Repeat("t", jarchy.MaxTitleLen+1)},
		{Lang: jarchy.English, Title: "t", Body: strings.Repeat("b", jarchy.MaxBodyLen+1)},
		{Lang: jarchy.English, Title: "t", Body: "\xff"},
	} {
		x := bad
		wantCode(t, fmt.Sprintf("SavePage(%.20q)", bad.Title), s.SavePage(ctx, &x), jarchy.EINVALID)
	}
	wantCode(t, "SavePage(missing id)", s.SavePage(ctx, &jarchy.Page{ID: 999, Lang: jarchy.English, Title: "x"}), jarchy.ENOTFOUND)
	// Delete.
	if err := s.DeletePage(ctx, p.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.PageBySlug(ctx, jarchy.Kyrgyz, "biz-jonundo")
	wantCode(t, "deleted page", err, jarchy.ENOTFOUND)
	wantCode(t, "delete page again", s.DeletePage(ctx, p.ID), jarchy.ENOTFOUND)
}

func testSettings(t *testing.T, s jarchy.Store) {
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.SiteName == nil || st.Social == nil || len(st.SiteName) != 0 || len(st.Social) != 0 {
		t.Fatalf("fresh settings: %+v", st)
	}
	want := jarchy.Settings{
		SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы", jarchy.Russian: "Жарчы \"Вестник\"", jarchy.English: "The Herald"},
		Social:   map[string]string{"telegram": "https://t.me/jarchy", "x": "https://x.com/jarchy?a=1&b='2'"},
	}
	if err := s.SaveSettings(ctx, want); err != nil {
		t.Fatal(err)
	}
	got, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("settings: got %v, want %v", got, want)
	}
	// Empty values are dropped; saving replaces everything.
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "H", jarchy.Kyrgyz: ""}, Social: map[string]string{"youtube": ""}}); err != nil {
		t.Fatal(err)
	}
	got, _ = s.Settings(ctx)
	if fmt.Sprint(got.SiteName) != "map[en:H]" || len(got.Social) != 0 {
		t.Fatalf("settings after replace: %v", got)
	}
	for _, bad := range []jarchy.Settings{
		{SiteName: map[jarchy.Lang]string{"xx": "n"}},
		{SiteName: map[jarchy.Lang]string{jarchy.English: strings.Repeat("n", jarchy.MaxNameLen+1)}},
		{SiteName: map[jarchy.Lang]string{jarchy.English: "a\x00"}},
		{Social: map[string]string{"myspace": "https://myspace.com/x"}},
		{Social: map[string]string{"x": "javascript:alert(1)"}},
		{Social: map[string]string{"x": "https://x.com/" + strings.Repeat("a", jarchy.MaxURLLen)}},
	} {
		wantCode(t, fmt.Sprintf("SaveSettings(%.40v)", bad), s.SaveSettings(ctx, bad), jarchy.EINVALID)
	}
	got, _ = s.Settings(ctx)
	if fmt.Sprint(got.SiteName) != "map[en:H]" {
		t.Fatalf("failed SaveSettings changed settings: %v", got)
	}
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

func testNotFound(t *testing.T, s jarchy.Store) {
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
		"TagBySlug":    func() error { _, err := s.TagBySlug(ctx, "nope"); return err },
		"AuthorBySlug": func() error { _, err := s.AuthorBySlug(ctx, "nope"); return err },
		"PageBySlug":   func() error { _, err := s.PageBySlug(ctx, jarchy.Kyrgyz, "nope"); return err },
		"DeleteArticle": func() error {
			return s.DeleteArticle(ctx, 999999)
		},
		"DeletePage": func() error { return s.DeletePage(ctx, 999999) },
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
		"no title":         func(a *jarchy.Article) { a.Title = "   " },
		"long title":       func(a *jarchy.Article) { a.Title = strings.Repeat("ы", jarchy.MaxTitleLen+1) },
		"NUL title":        func(a *jarchy.Article) { a.Title = "a\x00b" },
		"bad utf8 title":   func(a *jarchy.Article) { a.Title = "a\xffb" },
		"bad utf8 body":    func(a *jarchy.Article) { a.Body = "\xc3\x28" },
		"huge body":        func(a *jarchy.Article) { a.Body = strings.Repeat("б", jarchy.MaxBodyLen/2+1) },
		"long lead":        func(a *jarchy.Article) { a.Lead = strings.Repeat("l", jarchy.MaxLeadLen+1) },
		"lang":             func(a *jarchy.Article) { a.Lang = "de" },
		"status":           func(a *jarchy.Article) { a.Status = "live" },
		"no section":       func(a *jarchy.Article) { a.Section = jarchy.Section{} },
		"bad section":      func(a *jarchy.Article) { a.Section = jarchy.Section{Slug: "No Good"} },
		"too many tags":    func(a *jarchy.Article) { a.Tags = make([]jarchy.Tag, jarchy.MaxTags+1) },
		"empty tag":        func(a *jarchy.Article) { a.Tags = []jarchy.Tag{{Name: " "}} },
		"unclean tag slug": func(a *jarchy.Article) { a.Tags = []jarchy.Tag{{Name: "x", Slug: "Not Clean"}} },
		"NUL author":       func(a *jarchy.Article) { a.Authors = []jarchy.Author{{Name: "a\x00"}} },
		"cover no source":  func(a *jarchy.Article) { a.Cover = &jarchy.Media{Caption: "c"} },
		"cover js url":     func(a *jarchy.Article) { a.Cover = &jarchy.Media{URL: "javascript:alert(1)"} },
		"cover escape":     func(a *jarchy.Article) { a.Cover = &jarchy.Media{Path: "../../etc/passwd"} },
		"external id NUL":  func(a *jarchy.Article) { a.ExternalID = "x\x00" },
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
	// CleanText); keys (external id, group) keep them.
	stored := map[int]string{4: "Emoji 🇰🇬 and RTL  text \u200b zero-width"}
	for i, h := range hostile {
		want := h
		if w, ok := stored[i]; ok {
			want = w
		}
		a := newArticle(jarchy.Kyrgyz, h)
		a.Slug = fmt.Sprintf("hostile-%d", i)
		a.Lead = h
		a.Body = h + "\n\n" + h
		a.ExternalID = h
		a.TranslationGroup = h
		a.Tags = []jarchy.Tag{{Name: h + " tag"}}
		a.Authors = []jarchy.Author{{Name: h + " author", Bio: h}}
		a.Cover = &jarchy.Media{Path: "x/y.jpg", Caption: h, Credit: h, Alt: h}
		save(t, s, a)
		got := load(t, s, a.ID)
		wantSame(t, fmt.Sprintf("hostile %d", i), got, a)
		if got.Title != want || got.Body != want+"\n\n"+want || got.ExternalID != h {
			t.Fatalf("hostile text changed: %q", got.Title)
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

func testSharedNotify(t *testing.T, a, b jarchy.Store) {
	fired := make(chan struct{}, 100)
	unsub := b.Subscribe(func() {
		select {
		case fired <- struct{}{}:
		default:
		}
	})
	defer unsub()
	art := newArticle(jarchy.Kyrgyz, "Башка процесстен")
	if err := a.SaveArticle(ctx, art); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatalf("a write through one store did not notify the other's subscriber within 10 s")
	}
	got, err := b.Article(ctx, art.ID)
	if err != nil || got.Title != art.Title {
		t.Fatalf("other store reads %v, %v", got, err)
	}
	ga, gb := generation(t, a), generation(t, b)
	if ga != gb {
		t.Fatalf("generation differs between stores: %d vs %d", ga, gb)
	}
	// Another write notifies again.
	drain(fired)
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Shared"}}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-fired:
	case <-time.After(10 * time.Second):
		t.Fatalf("second write did not notify the other store within 10 s")
	}
	if st, err := b.Settings(ctx); err != nil || st.SiteName[jarchy.English] != "Shared" {
		t.Fatalf("other store settings %v, %v", st, err)
	}
	if generation(t, b) <= ga {
		t.Fatalf("generation did not move for the other store")
	}
}

func drain(c chan struct{}) {
	for {
		select {
		case <-c:
		default:
			return
		}
	}
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
