package jarchy_test

import (
	"slices"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

var topicNow = time.Date(2026, 11, 21, 12, 0, 0, 0, time.UTC)

// stored is article 7 as a store keeps it: public, Kyrgyz, section 3,
// tags 5 and 6, author 9, group g-1.
func stored() *jarchy.Article {
	return &jarchy.Article{
		ID: 7, Lang: jarchy.Kyrgyz, TranslationGroup: "g-1", Title: "Шайлоо", Slug: "shailoo",
		Body: "Текст.", Section: jarchy.Section{ID: 3, Slug: "sayasat"},
		Tags:    []jarchy.Tag{{ID: 5, Slug: "byudjet"}, {ID: 6, Slug: "kenesh"}},
		Authors: []jarchy.Author{{ID: 9, Slug: "aygul"}},
		Status:  jarchy.StatusPublished, PublishedAt: topicNow.Add(-time.Hour),
	}
}

func edited(f func(a *jarchy.Article)) *jarchy.Article {
	a := stored()
	f(a)
	return a
}

func TestArticleChange(t *testing.T) {
	draft := edited(func(a *jarchy.Article) { a.Status, a.PublishedAt = jarchy.StatusDraft, time.Time{} })
	allLists := []string{"l/author/9", "l/lang/ky", "l/section/3", "l/tag/5", "l/tag/6"}
	plus := func(base []string, more ...string) []string {
		out := append(slices.Clone(base), more...)
		slices.Sort(out)
		return out
	}
	itself := []string{"a/7", "g/g-1", "search"}
	cases := []struct {
		name     string
		old, new *jarchy.Article
		want     []string
	}{
		{"draft autosave", draft, edited(func(a *jarchy.Article) {
			a.Status, a.PublishedAt, a.Body, a.Section.ID = jarchy.StatusDraft, time.Time{}, "Жаңы текст.", 4
		}), nil},
		{"draft created", nil, draft, nil},
		{"draft deleted", draft, nil, nil},
		{"scheduled for later", draft, edited(func(a *jarchy.Article) { a.PublishedAt = topicNow.Add(time.Hour) }), nil},
		{"body edit", stored(), edited(func(a *jarchy.Article) { a.Body = "Оңдолгон текст." }), itself},
		{"title, lead, cover edit", stored(), edited(func(a *jarchy.Article) {
			a.Title, a.Lead, a.Cover = "Жаңы ат", "Кыскача.", &jarchy.Media{Key: "x.jpg"}
		}), itself},
		{"new slug", stored(), edited(func(a *jarchy.Article) { a.Slug = "jangy-at" }), plus(itself, "s/ky/jangy-at")},
		{"draft's new slug", draft, edited(func(a *jarchy.Article) {
			a.Status, a.PublishedAt, a.Slug = jarchy.StatusDraft, time.Time{}, "jangy-at"
		}), nil},
		{"tags reordered", stored(), edited(func(a *jarchy.Article) { a.Tags[0], a.Tags[1] = a.Tags[1], a.Tags[0] }), itself},
		{"published", draft, stored(), plus(itself, append(allLists, "s/ky/shailoo")...)},
		{"created public", nil, stored(), plus(itself, append(allLists, "s/ky/shailoo")...)},
		{"unpublished", stored(), edited(func(a *jarchy.Article) { a.Status = jarchy.StatusUnpublished }), plus(itself, allLists...)},
		{"republished", edited(func(a *jarchy.Article) { a.Status = jarchy.StatusUnpublished }), stored(), plus(itself, append(allLists, "s/ky/shailoo")...)},
		{"deleted", stored(), nil, plus(itself, allLists...)},
		{"re-sectioned", stored(), edited(func(a *jarchy.Article) { a.Section.ID = 4 }), plus(itself, append(allLists, "l/section/4")...)},
		{"retagged", stored(), edited(func(a *jarchy.Article) { a.Tags = []jarchy.Tag{{ID: 6}, {ID: 8}} }),
			plus(itself, append(allLists, "l/tag/8")...)},
		{"author added", stored(), edited(func(a *jarchy.Article) { a.Authors = append(a.Authors, jarchy.Author{ID: 2}) }),
			plus(itself, append(allLists, "l/author/2")...)},
		{"redated", stored(), edited(func(a *jarchy.Article) { a.PublishedAt = a.PublishedAt.Add(-time.Minute) }), plus(itself, allLists...)},
		{"language moved", stored(), edited(func(a *jarchy.Article) { a.Lang = jarchy.Russian }), plus(itself, append(allLists, "l/lang/ru", "s/ru/shailoo")...)},
		{"translation group moved", stored(), edited(func(a *jarchy.Article) { a.TranslationGroup = "imported story/2" }),
			plus(itself, "g/imported%20story%2F2")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ch := jarchy.ArticleChange(c.old, c.new, topicNow)
			if ch.All {
				t.Fatal("All: an article write always knows its topics")
			}
			if got := ch.Strings(); !slices.Equal(got, c.want) {
				t.Errorf("topics\n got %q\nwant %q", got, c.want)
			}
			if ch.Empty() != (len(c.want) == 0) {
				t.Errorf("Empty() = %v", ch.Empty())
			}
		})
	}
}

func TestTopicConstructors(t *testing.T) {
	for got, want := range map[jarchy.Topic]string{
		jarchy.ArticleTopic(12):                     "a/12",
		jarchy.GroupTopic("g-0a1b"):                 "g/g-0a1b",
		jarchy.GroupTopic("x y"):                    "g/x%20y",
		jarchy.GroupTopic("x%20y"):                  "g/x%2520y", // escaped text stays apart from the text it spells
		jarchy.GroupTopic("кыргыз"):                 "g/%D0%BA%D1%8B%D1%80%D0%B3%D1%8B%D0%B7",
		jarchy.LangListTopic(jarchy.Russian):        "l/lang/ru",
		jarchy.SectionListTopic(3):                  "l/section/3",
		jarchy.TagListTopic(4):                      "l/tag/4",
		jarchy.AuthorListTopic(5):                   "l/author/5",
		jarchy.TagTopic(4):                          "tag/4",
		jarchy.AuthorTopic(5):                       "author/5",
		jarchy.PageTopic(jarchy.English, "about"):   "p/en/about",
		jarchy.PageTopic(jarchy.Kyrgyz, "a b\tc\n"): "p/ky/a%20b%09c%0A",
		jarchy.TopicSite:                            "site",
		jarchy.TopicSearch:                          "search",
		jarchy.TopicTags:                            "tags",
		jarchy.TopicAuthors:                         "authors",
	} {
		if string(got) != want {
			t.Errorf("got %q, want %q", got, want)
		}
	}
}

func TestOtherChanges(t *testing.T) {
	about := &jarchy.Page{ID: 1, Lang: jarchy.Kyrgyz, Slug: "about"}
	moved := &jarchy.Page{ID: 1, Lang: jarchy.Kyrgyz, Slug: "biz-jonundo"}
	for _, c := range []struct {
		name string
		ch   jarchy.Change
		want string
	}{
		{"settings", jarchy.SettingsChange(), "site"},
		{"section", jarchy.SectionChange(), "site"},
		{"page created", jarchy.PageChange(nil, about), "p/ky/about site"},
		{"page renamed", jarchy.PageChange(about, moved), "p/ky/about p/ky/biz-jonundo site"},
		{"page deleted", jarchy.PageChange(about, nil), "p/ky/about site"},
		{"tag created", jarchy.TagChange(nil, &jarchy.Tag{ID: 4}), "tag/4 tags"},
		{"tag renamed", jarchy.TagChange(&jarchy.Tag{ID: 4}, &jarchy.Tag{ID: 4, Name: "x"}), "tag/4"},
		{"author created", jarchy.AuthorChange(nil, &jarchy.Author{ID: 5}), "author/5 authors"},
		{"author bio", jarchy.AuthorChange(&jarchy.Author{ID: 5}, &jarchy.Author{ID: 5, Bio: "x"}), "author/5"},
		{"draft save creating a section", jarchy.ArticleChange(nil, &jarchy.Article{ID: 1, Status: jarchy.StatusDraft}, topicNow).Merge(jarchy.SectionChange()), "site"},
		{"merge", jarchy.ParseChange("b a").Merge(jarchy.ParseChange("c a")), "a b c"},
		{"merge all", jarchy.ParseChange("a").Merge(jarchy.Change{All: true}), "*"},
		{"nothing", jarchy.Change{}, ""},
	} {
		if got := c.ch.String(); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestChangeText(t *testing.T) {
	for _, s := range []string{"*", "", "a/1", "a/1 g/g-1 l/lang/ky search"} {
		if got := jarchy.ParseChange(s).String(); got != s {
			t.Errorf("ParseChange(%q).String() = %q", s, got)
		}
	}
	ch := jarchy.ParseChange("  search a/1\ta/1 ")
	if got := ch.String(); got != "a/1 search" {
		t.Errorf("spaces and duplicates: %q", got)
	}
	if !ch.Touches("a/1") || ch.Touches("a/2") || !jarchy.ParseChange("*").Touches("a/2") {
		t.Error("Touches")
	}
	if !jarchy.ParseChange("*").All || jarchy.ParseChange("").All || !jarchy.ParseChange("").Empty() {
		t.Error("All / Empty")
	}
}
