package storetest

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

var ctx = context.Background()

// base is a fixed past publication time with sub-microsecond noise, in a
// non-UTC zone, to check UTC conversion and microsecond truncation.
var base = time.Date(2026, 3, 1, 18, 30, 15, 123456789, time.FixedZone("KGT", 6*3600))

// clock is a store's clock in the contract tests: the real time until a
// test sets it. Safe for concurrent use.
type clock struct{ fixed atomic.Pointer[time.Time] }

func (c *clock) now() time.Time {
	if t := c.fixed.Load(); t != nil {
		return *t
	}
	return time.Now()
}

// set fixes the clock at t.
func (c *clock) set(t time.Time) { c.fixed.Store(&t) }

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
	cmp("SEOTitle", got.SEOTitle, want.SEOTitle)
	cmp("SEODescription", got.SEODescription, want.SEODescription)
	cmp("OwnerID", got.OwnerID, want.OwnerID)
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
	case got.Cover != nil && !sameMedia(got.Cover, want.Cover):
		d = append(d, fmt.Sprintf("Cover: got %+v, want %+v", *got.Cover, *want.Cover))
	}
	return d
}

// sameMedia compares what a writer gives of a photo: everything but the
// times and the uploader the store fills in. want's key may be empty for
// an external photo (the store derives it from the URL).
func sameMedia(got, want *jarchy.Media) bool {
	w := *want
	w.Normalize()
	g := *got
	g.CreatedAt, g.UpdatedAt, g.Uploader = w.CreatedAt, w.UpdatedAt, w.Uploader
	return g.Equal(&w)
}

func wantSame(t *testing.T, what string, got, want *jarchy.Article) {
	t.Helper()
	if d := diffArticle(got, want); len(d) > 0 {
		t.Fatalf("%s differs:\n  %s", what, strings.Join(d, "\n  "))
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
		Cover: &jarchy.Media{Key: "2026/03/ala-too.jpg", Caption: "Ала-Тоо аянты", Credit: "Фото: Jarchy",
			Alt: "Аянттагы адамдар", Width: 1600, Height: 900},
		Status:      jarchy.StatusPublished,
		PublishedAt: base,
	}
}
