package storetest

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// RunTaxonomy runs the contract of jarchy.TaxonomyStore: sections, tags
// and authors, on their own and as an article's relations.
func RunTaxonomy(t *testing.T, open Opener) {
	run(t, open, []test{
		{"FindOrCreateRelations", store(testFindOrCreateRelations)},
		{"RelationByID", store(testRelationByID)},
		{"Sections", store(testSections)},
		{"Authors", store(testAuthors)},
		{"NotFound", store(testTaxonomyNotFound)},
		{"BidiControls", store(testTaxonomyBidiControls)},
	})
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

func testTaxonomyNotFound(t *testing.T, s jarchy.Store) {
	save(t, s, newArticle(jarchy.Kyrgyz, "Бар"))
	wantCode(t, "TagBySlug", func() error { _, err := s.TagBySlug(ctx, "nope"); return err }(), jarchy.ENOTFOUND)
	wantCode(t, "AuthorBySlug", func() error { _, err := s.AuthorBySlug(ctx, "nope"); return err }(), jarchy.ENOTFOUND)
	wantCode(t, "SaveSection of a missing ID", s.SaveSection(ctx, &jarchy.Section{ID: 999999, Slug: "nope"}), jarchy.ENOTFOUND)
	wantCode(t, "SaveAuthor of a missing ID", s.SaveAuthor(ctx, &jarchy.Author{ID: 999999, Name: "Nope"}), jarchy.ENOTFOUND)
}

// testTaxonomyBidiControls: sections and authors saved on their own are
// cleaned as in an article (see testBidiControls).
func testTaxonomyBidiControls(t *testing.T, s jarchy.Store) {
	const rlo, lri, pdi, rlm = "\u202E", "\u2066", "\u2069", "\u200F"
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
}
