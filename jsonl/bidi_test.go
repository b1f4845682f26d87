package jsonl

import (
	"context"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// An imported line with bidi controls in its texts is stored cleaned
// (jarchy.Article.Normalize, the stores' own normalisation), and importing
// the same file again writes nothing: the importer compares normalised
// values.
func TestImportBidiControls(t *testing.T) {
	const rlo, lri, pdi, rlm = "\u202E", "\u2066", "\u2069", "\u200F"
	file := line(map[string]any{
		"id": "bidi-1", "lang": "ky", "title": "evil" + rlo + "gpj.exe", "lead": "Лид" + rlo + rlm,
		"body": "Текст " + lri + "ичинде" + pdi + ".", "section": "Жаңы" + rlo + " бөлүм",
		"tags": []string{"шай" + rlo + "лоо"}, "authors": []string{rlo + "Айгүл Асанова"},
		"published_at": "2026-11-20T08:30:00+06:00", "status": "published",
		"cover": map[string]any{"path": "photos/a.jpg", "caption": "Ала" + rlo + "-Тоо", "credit": lri + "Жарчы" + pdi, "alt": "тоо" + rlm},
	}) + "\n"
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		rep, err := Import(ctx, st, strings.NewReader(file), Options{})
		if err != nil || rep.Created != 1 || !rep.OK() {
			t.Fatalf("first import: %+v %v", rep, err)
		}
		a, err := st.ArticleByExternalID(ctx, "bidi-1")
		if err != nil {
			t.Fatal(err)
		}
		got := []string{a.Title, a.Slug, a.Lead, a.Body, a.Section.Name(jarchy.Kyrgyz), a.Section.Slug,
			a.Tags[0].Name, a.Tags[0].Slug, a.Authors[0].Name, a.Cover.Caption, a.Cover.Credit, a.Cover.Alt}
		want := []string{"evilgpj.exe", "evilgpj-exe", "Лид" + rlm, "Текст ичинде.", "Жаңы бөлүм", "jangy-bolum",
			"шайлоо", "shayloo", "Айгүл Асанова", "Ала-Тоо", "Жарчы", "тоо"}
		for i := range want {
			if got[i] != want[i] {
				t.Errorf("field %d: stored %q, want %q", i, got[i], want[i])
			}
		}
		gen, err := st.Generation(ctx)
		if err != nil {
			t.Fatal(err)
		}
		rep, err = Import(ctx, st, strings.NewReader(file), Options{})
		if err != nil || rep.Unchanged != 1 || rep.Updated != 0 || rep.Created != 0 || !rep.OK() {
			t.Errorf("second import: %+v %v, want 1 unchanged", rep, err)
		}
		if g, err := st.Generation(ctx); err != nil || g != gen {
			t.Errorf("second import wrote: generation %d -> %d (%v)", gen, g, err)
		}
	})
}

// A section named with a bidi control is the section of that name, not a
// second one: the importer looks names up cleaned as the store cleans them.
func TestImportBidiSectionNameFindsSection(t *testing.T) {
	const rlo = "\u202E"
	file := line(map[string]any{"id": "s-1", "lang": "ky", "title": "Биринчи", "section": "Экономика"}) + "\n" +
		line(map[string]any{"id": "s-2", "lang": "ky", "title": "Экинчи", "section": rlo + "Экономика"}) + "\n"
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		rep, err := Import(ctx, st, strings.NewReader(file), Options{})
		if err != nil || rep.Created != 2 || !rep.OK() {
			t.Fatalf("import: %+v %v", rep, err)
		}
		secs, err := st.Sections(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var slugs []string
		for _, s := range secs {
			slugs = append(slugs, s.Slug)
		}
		if len(secs) != 1 || secs[0].Slug != "ekonomika" {
			t.Errorf("sections after import: %v, want only ekonomika", slugs)
		}
	})
}
