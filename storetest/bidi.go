package storetest

import (
	"reflect"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// testBidiControls: every writer stores one-line texts without bidi
// controls and running text without embeddings, overrides and isolates
// (jarchy.CleanLine, jarchy.CleanText), so "evil\u202Egpj.exe" can never
// display as "evilexe.jpg"; saving the same raw article again changes
// nothing.
func testBidiControls(t *testing.T, s jarchy.Store) {
	const rlo, lri, pdi, rlm = "\u202E", "\u2066", "\u2069", "\u200F"
	raw := func() *jarchy.Article {
		return &jarchy.Article{
			Lang: jarchy.Kyrgyz, Title: " evil" + rlo + "gpj.exe ", Lead: "Лид" + rlo + " тексти" + rlm,
			Body:    "Текст " + lri + "ичинде" + pdi + ".\n\nЭкинчи " + rlm + "абзац.",
			Section: jarchy.Section{Slug: "bidi", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Бөлүм" + rlo, jarchy.Russian: rlo}},
			Tags:    []jarchy.Tag{{Name: "шай" + rlo + "лоо"}},
			Authors: []jarchy.Author{{Name: rlo + "Айгүл Асанова", Bio: "Журналист" + rlo + "."}},
			Cover:   &jarchy.Media{Path: "covers/a.jpg", Caption: "Ала" + rlo + "-Тоо", Credit: lri + "Жарчы" + pdi, Alt: "имарат" + rlm},
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
	again.ID = a.ID
	time.Sleep(2 * time.Millisecond)
	save(t, s, again)
	if after := load(t, s, a.ID); !after.UpdatedAt.Equal(got.UpdatedAt) || have(after) != want {
		t.Errorf("re-saving the same article changed it: updated %v -> %v, %+v", got.UpdatedAt, after.UpdatedAt, have(after))
	}

	// Sections, authors, pages and settings saved on their own.
	sec := jarchy.Section{Slug: " other" + rlo, Names: map[jarchy.Lang]string{jarchy.English: lri + "Other" + pdi}}
	if err := s.SaveSection(ctx, &sec); err != nil {
		t.Fatalf("SaveSection: %v", err)
	}
	secs, err := s.Sections(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, x := range secs {
		if x.Slug == "other" {
			found = true
			if !reflect.DeepEqual(x.Names, map[jarchy.Lang]string{jarchy.English: "Other"}) {
				t.Errorf("section names %q", x.Names)
			}
		}
	}
	if !found {
		t.Errorf("section %q not stored as %q: %+v", sec.Slug, "other", secs)
	}
	au := jarchy.Author{Name: "Бакыт" + rlo + " Токтогулов", Bio: rlo + "Редактор" + rlm}
	if err := s.SaveAuthor(ctx, &au); err != nil {
		t.Fatalf("SaveAuthor: %v", err)
	}
	if got, err := s.AuthorBySlug(ctx, "bakyt-toktogulov"); err != nil || got.Name != "Бакыт Токтогулов" || got.Bio != "Редактор"+rlm {
		t.Errorf("author: %+v %v", got, err)
	}
	p := jarchy.Page{Lang: jarchy.Russian, Title: rlo + "О нас", Body: "Текст" + rlo + "." + rlm}
	if err := s.SavePage(ctx, &p); err != nil {
		t.Fatalf("SavePage: %v", err)
	}
	if got, err := s.PageBySlug(ctx, jarchy.Russian, "o-nas"); err != nil || got.Title != "О нас" || got.Body != "Текст."+rlm {
		t.Errorf("page: %+v %v", got, err)
	}
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жар" + rlo + "чы", jarchy.English: rlo}}); err != nil {
		t.Fatalf("SaveSettings: %v", err)
	}
	st, err := s.Settings(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(st.SiteName, map[jarchy.Lang]string{jarchy.Kyrgyz: "Жарчы"}) {
		t.Errorf("site names %q", st.SiteName)
	}
}
