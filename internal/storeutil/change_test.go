package storeutil

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

var changeNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// A save's change adds the topics of the relations it created (IDs above
// high) to the article's own.
func TestArticleSaveChange(t *testing.T) {
	draft := &jarchy.Article{ID: 7, Lang: jarchy.Kyrgyz, Slug: "story", TranslationGroup: "g-1", Status: jarchy.StatusDraft,
		Section: jarchy.Section{ID: 3}, Tags: []jarchy.Tag{{ID: 5}, {ID: 6}}, Authors: []jarchy.Author{{ID: 9}}}
	public := *draft
	public.Status, public.PublishedAt = jarchy.StatusPublished, changeNow.Add(-time.Hour)
	for _, c := range []struct {
		name     string
		old, new *jarchy.Article
		high     Highest
		want     string
	}{
		{"draft, nothing created", draft, draft, Highest{3, 6, 9}, ""},
		{"draft, tag 6 created", nil, draft, Highest{3, 5, 9}, "tag/6 tags"},
		{"draft, section and author created", nil, draft, Highest{2, 6, 8}, "author/9 authors site"},
		{"public, nothing created", &public, &public, Highest{3, 6, 9}, "a/7 g/g-1 search"},
		{"published, tag 6 created", draft, &public, Highest{3, 5, 9},
			"a/7 g/g-1 l/author/9 l/lang/ky l/section/3 l/tag/5 l/tag/6 s/ky/story search tag/6 tags"},
	} {
		if got := ArticleSaveChange(c.old, c.new, c.high, changeNow).String(); got != c.want {
			t.Errorf("%s: {%s}, want {%s}", c.name, got, c.want)
		}
	}
}

func TestAuthorSaveChange(t *testing.T) {
	old := &jarchy.Author{ID: 4, Slug: "aygul", Name: "Айгүл"}
	for _, c := range []struct {
		name     string
		old, new *jarchy.Author
		want     string
	}{
		{"created", nil, old, "author/4 authors"},
		{"bio", old, &jarchy.Author{ID: 4, Slug: "aygul", Name: "Айгүл", Bio: "Кабарчы."}, "author/4"},
		{"renamed", old, &jarchy.Author{ID: 4, Slug: "aygul", Name: "Айгүл Осмонова"}, "author/4 search"},
	} {
		if got := AuthorSaveChange(c.old, c.new).String(); got != c.want {
			t.Errorf("%s: {%s}, want {%s}", c.name, got, c.want)
		}
	}
}

func TestMergeChanges(t *testing.T) {
	a := jarchy.ParseChange("a/2 search")
	b := jarchy.ParseChange("a/1 g/x search")
	if got := MergeChanges([]jarchy.Change{a, {}, b}).String(); got != "a/1 a/2 g/x search" {
		t.Errorf("merged {%s}", got)
	}
	if got := MergeChanges([]jarchy.Change{a, {All: true}, b}); !got.All {
		t.Errorf("merged with All: {%s}", got)
	}
	if got := MergeChanges(nil); !got.Empty() {
		t.Errorf("no changes merged: {%s}", got)
	}
}

func TestChangeText(t *testing.T) {
	ch := jarchy.ParseChange("a/1 search")
	if got := ChangeText(ch, 10); got != "a/1 search" {
		t.Errorf("at the limit: %q", got)
	}
	if got := ChangeText(ch, 9); got != "*" {
		t.Errorf("over the limit: %q, want *", got)
	}
	var ts []string
	for i := range 1000 {
		ts = append(ts, fmt.Sprintf("a/%d", i))
	}
	long := jarchy.ParseChange(strings.Join(ts, " "))
	if got := ChangeText(long, 100); got != "*" {
		t.Errorf("a long change: %.20q…, want *", got)
	}
}

func TestNewOrigin(t *testing.T) {
	a, b := NewOrigin(), NewOrigin()
	if len(a) != 16 || a == b || strings.ContainsAny(a, " *") {
		t.Fatalf("origins %q and %q: want two different 16-digit hex strings", a, b)
	}
}

// Publishing scheduled articles changes each one as scheduled→published
// and gives each a content hash of its published state.
func TestPublishedChange(t *testing.T) {
	first := &jarchy.Article{ID: 7, Lang: jarchy.Kyrgyz, Slug: "story", TranslationGroup: "g-1", Status: jarchy.StatusPublished,
		PublishedAt: changeNow.Add(-time.Minute), Section: jarchy.Section{ID: 3}, Tags: []jarchy.Tag{{ID: 5}}, Authors: []jarchy.Author{{ID: 9}}}
	second := &jarchy.Article{ID: 8, Lang: jarchy.Russian, Slug: "news", TranslationGroup: "g-1", Status: jarchy.StatusPublished,
		PublishedAt: changeNow, Section: jarchy.Section{ID: 3}}
	ch, hashes := PublishedChange([]*jarchy.Article{first, second}, changeNow)
	want := "a/7 a/8 g/g-1 l/author/9 l/lang/ky l/lang/ru l/section/3 l/tag/5 s/ky/story s/ru/news search"
	if got := ch.String(); got != want {
		t.Errorf("change {%s}, want {%s}", got, want)
	}
	if len(hashes) != 2 || hashes[0] == "" || hashes[0] == hashes[1] {
		t.Fatalf("hashes %q, want two different ones", hashes)
	}
	scheduled := *first
	scheduled.Status = jarchy.StatusScheduled
	if hashes[0] == ContentHash(&scheduled) {
		t.Errorf("hash of article 7 is its scheduled state's")
	}
	if ch, hashes := PublishedChange(nil, changeNow); !ch.Empty() || len(hashes) != 0 {
		t.Errorf("no articles: change {%s}, hashes %q, want none", ch, hashes)
	}
}
