package jsonl

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/demo"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/media"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

type opener func(t *testing.T) jarchy.Store

// stores runs f against a fresh SQLite store and a fresh PostgreSQL store
// (skipped loudly by pgtest when PostgreSQL is not installed).
func stores(t *testing.T, f func(t *testing.T, open opener)) {
	t.Run("sqlite", func(t *testing.T) {
		f(t, func(t *testing.T) jarchy.Store {
			db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jarchy.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
	t.Run("postgres", func(t *testing.T) {
		f(t, func(t *testing.T) jarchy.Store {
			db, err := postgres.Open(context.Background(), pgtest.URL(t))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { db.Close() })
			return db
		})
	})
}

func line(fields map[string]any) string {
	b, _ := json.Marshal(fields)
	return string(b)
}

func good(id string, extra ...any) map[string]any {
	m := map[string]any{
		"id": id, "lang": "ky", "title": "Шайлоо тууралуу жаңылык " + id, "lead": "Кыскача.",
		"body": "Биринчи абзац.\n\n> Цитата", "section": "Politics", "tags": []string{"шайлоо", "парламент"},
		"authors": []string{"Айгүл Токтогулова"}, "published_at": "2026-11-20T08:30:00+06:00", "status": "published",
		"cover": map[string]any{"path": "photos/" + id + ".jpg", "caption": "Сүрөттүн жазуусу", "credit": "Сүрөт: редакция", "alt": "тоолор"},
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == nil {
			delete(m, extra[i].(string))
		} else {
			m[extra[i].(string)] = extra[i+1]
		}
	}
	return m
}

func TestImportGoodAndBadLines(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		lines := []string{
			line(good("a1")),                       // 1
			"",                                     // 2 blank: skipped
			`{"id": "b1", "lang": "ky", "title": `, // 3 invalid JSON
			line(good("a2", "lang", "ru", "title", "Выборы")),                                 // 4
			line(good("b2", "lang", "kk")),                                                    // 5 unknown lang
			line(good("b3", "status", "archived")),                                            // 6 unknown status
			line(good("b4", "published_at", "20.11.2026")),                                    // 7 bad time
			"{\"id\": \"b5\", \"lang\": \"ky\", \"title\": \"\xff\xfe\", \"section\": \"x\"}", // 8 invalid UTF-8
			line(good("b6", "title", "")),                                                     // 9 title required
			line(good("b7", "tags", "шайлоо")),                                                // 10 wrong type
			line(good("b8", "cover", map[string]any{"path": "../etc/passwd"})),                // 11 bad cover path
			line(good("b9", "cover", map[string]any{"url": "javascript:alert(1)"})),           // 12 bad cover url
			line(good("b10", "section", nil)),                                                 // 13 no section
			line(good("b11", "body", strings.Repeat("ж", jarchy.MaxBodyLen))),                 // 14 body too long
			`["not", "an", "object"]`,                                                         // 15
			line(good("a3", "lang", "en", "title", "Elections", "translation_of", "a1",
				"cover", map[string]any{"url": "https://example.org/a.jpg", "credit": "Photo: AP", "alt": "city"})), // 16
			`{"lang": "ky", "title": "no id", "section": "x"}`,                              // 17 no id
			line(good("a4", "section", "Маданият", "status", "draft", "published_at", nil)), // 18 new section, draft
			line(good("b12", "section", "feed")),                                            // 19 reserved section slug
			`{"id": "b13"} {"id": "b14"}`,                                                   // 20 two values
		}
		in := strings.Join(lines, "\n") + "\n"
		rep, err := Import(ctx, st, strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		wantBad := []int{3, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 20}
		var gotBad []int
		for _, e := range rep.Errors {
			gotBad = append(gotBad, e.Line)
			t.Logf("%s", e)
		}
		if fmt.Sprint(gotBad) != fmt.Sprint(wantBad) {
			t.Errorf("bad lines %v, want %v", gotBad, wantBad)
		}
		if rep.Created != 4 || rep.Failed != len(wantBad) || rep.Lines != len(lines)-1 {
			t.Errorf("report %+v", rep)
		}
		for _, want := range []string{"unknown lang", "unknown status", "RFC 3339", "UTF-8", "title", "array of strings", "cover", "section"} {
			found := false
			for _, e := range rep.Errors {
				found = found || strings.Contains(e.Reason, want)
			}
			if !found {
				t.Errorf("no error mentions %q", want)
			}
		}

		a1, err := st.ArticleByExternalID(ctx, "a1")
		if err != nil {
			t.Fatal(err)
		}
		if a1.Section.Names[jarchy.English] != "Politics" && a1.Section.Slug != "politics" {
			t.Errorf("section %+v", a1.Section)
		}
		if len(a1.Tags) != 2 || len(a1.Authors) != 1 || a1.Authors[0].Name != "Айгүл Токтогулова" {
			t.Errorf("relations: tags %+v authors %+v", a1.Tags, a1.Authors)
		}
		if want := time.Date(2026, 11, 20, 2, 30, 0, 0, time.UTC); !a1.PublishedAt.Equal(want) || a1.Status != jarchy.StatusPublished {
			t.Errorf("published %v %s, want %v", a1.PublishedAt, a1.Status, want)
		}
		if a1.Cover == nil || a1.Cover.Key != "photos/a1.jpg" || a1.Cover.Credit != "Сүрөт: редакция" {
			t.Errorf("cover %+v", a1.Cover)
		}
		a3, err := st.ArticleByExternalID(ctx, "a3")
		if err != nil {
			t.Fatal(err)
		}
		if a3.TranslationGroup != a1.TranslationGroup || a3.Cover.URL != "https://example.org/a.jpg" {
			t.Errorf("a3 group %q (a1 %q), cover %+v", a3.TranslationGroup, a1.TranslationGroup, a3.Cover)
		}
		a4, err := st.ArticleByExternalID(ctx, "a4")
		if err != nil {
			t.Fatal(err)
		}
		if a4.Status != jarchy.StatusDraft || a4.Section.Name(jarchy.Kyrgyz) != "Маданият" {
			t.Errorf("a4 %s in %+v", a4.Status, a4.Section)
		}
		for _, bad := range []string{"b1", "b2", "b3", "b8", "b12"} {
			if _, err := st.ArticleByExternalID(ctx, bad); !jarchy.IsNotFound(err) {
				t.Errorf("bad line %s was imported (%v)", bad, err)
			}
		}

		// The same file again changes nothing: same articles, no write.
		gen, _ := st.Generation(ctx)
		rep2, err := Import(ctx, st, strings.NewReader(in), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Unchanged != 4 || rep2.Created != 0 || rep2.Updated != 0 || rep2.Failed != len(wantBad) {
			t.Errorf("second import %+v", rep2)
		}
		if gen2, _ := st.Generation(ctx); gen2 != gen {
			t.Errorf("second import wrote (generation %d -> %d)", gen, gen2)
		}
		list, _ := st.Articles(ctx, jarchy.ArticleFilter{Limit: 100})
		if list.Total != 4 {
			t.Errorf("%d articles after two imports, want 4", list.Total)
		}

		// A changed line updates in place.
		rep3, err := Import(ctx, st, strings.NewReader(line(good("a1", "title", "Жаңы аталыш"))), Options{})
		if err != nil || rep3.Updated != 1 {
			t.Fatalf("update: %+v %v", rep3, err)
		}
		if a, _ := st.ArticleByExternalID(ctx, "a1"); a.Title != "Жаңы аталыш" || a.ID != a1.ID || a.TranslationGroup != a1.TranslationGroup {
			t.Errorf("after update: %+v", a)
		}
	})
}

func TestLongLinesAndCRLF(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	long := line(good("long", "body", strings.Repeat("a", MaxLineBytes)))
	in := "\uFEFF" + line(good("x1")) + "\r\n" + long + "\r\n" + line(good("x2")) // no final newline
	rep, err := Import(ctx, st, strings.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 2 || rep.Failed != 1 || rep.Errors[0].Line != 2 || !strings.Contains(rep.Errors[0].Reason, "longer") {
		t.Errorf("report %+v", rep)
	}
}

func TestCoverWarningAndProgress(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	blobs, err := media.OpenDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer blobs.Close()
	if err := blobs.Put(ctx, "photos/p1.jpg", strings.NewReader("jpeg")); err != nil {
		t.Fatal(err)
	}
	in := line(good("p1")) + "\n" + line(good("p2")) + "\n"
	var lastBytes int64
	var lastLine int
	rep, err := Import(ctx, st, strings.NewReader(in), Options{Blobs: blobs, Progress: func(b int64, l int) { lastBytes, lastLine = b, l }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Created != 2 || len(rep.Warnings) != 1 || rep.Warnings[0].Line != 2 {
		t.Errorf("report %+v", rep)
	}
	if lastBytes != int64(len(in)) || lastLine < 2 {
		t.Errorf("progress ended at %d bytes, line %d; input %d bytes", lastBytes, lastLine, len(in))
	}
}

func openSQLite(t *testing.T) jarchy.Store {
	db, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// TestRoundTrip exports the demo edition, imports it into an empty store,
// exports again and expects the same file; importing the export into the
// original store changes nothing.
func TestRoundTrip(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		src := open(t)
		blobs, err := media.OpenDir(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer blobs.Close()
		if err := demo.Seed(ctx, src, blobs); err != nil {
			t.Fatal(err)
		}
		// One article without an external id, one draft, one translation
		// group made by hand.
		extra := &jarchy.Article{Lang: jarchy.Russian, Title: "Черновик", Body: "Текст", Status: jarchy.StatusDraft,
			Section: jarchy.Section{Slug: "koom"}, Tags: []jarchy.Tag{{Name: "черновик"}}}
		if err := src.SaveArticle(ctx, extra); err != nil {
			t.Fatal(err)
		}
		var first bytes.Buffer
		n, err := Export(ctx, src, &first, nil)
		if err != nil {
			t.Fatal(err)
		}
		total, _ := src.Articles(ctx, jarchy.ArticleFilter{Limit: 1})
		if n != total.Total || n < 30 {
			t.Fatalf("exported %d of %d articles", n, total.Total)
		}

		dst := open(t)
		rep, err := Import(ctx, dst, bytes.NewReader(first.Bytes()), Options{})
		if err != nil || !rep.OK() || rep.Created != n {
			t.Fatalf("import: %+v %v", rep, err)
		}
		var second bytes.Buffer
		if _, err := Export(ctx, dst, &second, nil); err != nil {
			t.Fatal(err)
		}
		a, b := strings.Split(first.String(), "\n"), strings.Split(second.String(), "\n")
		if len(a) != len(b) {
			t.Fatalf("exports differ in length: %d vs %d lines", len(a), len(b))
		}
		for i := range a {
			if a[i] != b[i] {
				t.Errorf("line %d differs:\n%s\n%s", i+1, a[i], b[i])
			}
		}
		// Groups survive: the demo story with three languages is linked.
		ky, err := dst.ArticleByExternalID(ctx, demo.ExternalID(jarchy.Kyrgyz, "budget-law"))
		if err != nil {
			t.Fatal(err)
		}
		if tr, _ := dst.Translations(ctx, ky.TranslationGroup); len(tr) != 3 {
			t.Errorf("budget-law group has %d articles after the round trip, want 3", len(tr))
		}
		// Back into the source: nothing changes.
		gen, _ := src.Generation(ctx)
		rep, err = Import(ctx, src, bytes.NewReader(first.Bytes()), Options{})
		if err != nil || !rep.OK() || rep.Unchanged != n {
			t.Errorf("re-import into the source: %+v %v", rep, err)
		}
		if gen2, _ := src.Generation(ctx); gen2 != gen {
			t.Errorf("re-import into the source wrote (generation %d -> %d)", gen, gen2)
		}
	})
}

// TestCrossLanguageNames: a Cyrillic tag or author name transliterates
// differently per language (ж is j in Kyrgyz, zh in Russian and English);
// whatever order the lines come in, a second import finds every name as
// the first did and changes nothing.
func TestCrossLanguageNames(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	in := line(good("en1", "lang", "en", "title", "Jalal-Abad news", "tags", []string{"Жалал-Абад"}, "authors", []string{"Жылдыз Жумабаева"})) + "\n" +
		line(good("ky1", "title", "Жалал-Абад жаңылыгы", "tags", []string{"Жалал-Абад"}, "authors", []string{"Жылдыз Жумабаева"})) + "\n" +
		line(good("ru1", "lang", "ru", "title", "Новости", "tags", []string{"Жалал-Абад"}, "authors", []string{"Жылдыз Жумабаева"})) + "\n"
	for i := range 3 {
		rep, err := Import(ctx, st, strings.NewReader(in), Options{BatchSize: 1 + i})
		if err != nil || !rep.OK() {
			t.Fatalf("import %d: %+v %v", i, rep, err)
		}
		if i > 0 && rep.Unchanged != 3 {
			t.Errorf("import %d: %+v, want all unchanged", i, rep)
		}
	}
	// One name is one tag and one author in every language, spelt as
	// Kyrgyz spells it.
	for _, id := range []string{"en1", "ky1", "ru1"} {
		a, err := st.ArticleByExternalID(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(a.Tags) != 1 || a.Tags[0].Slug != "jalal-abad" || len(a.Authors) != 1 || a.Authors[0].Slug != "jyldyz-jumabaeva" {
			t.Errorf("%s: tags %+v, authors %+v; want jalal-abad, jyldyz-jumabaeva", id, a.Tags, a.Authors)
		}
	}
}

// TestLegacyRelationSlugs: a tag stored under another language's spelling
// of its name (as imports made before slugs stopped following the
// article's language) keeps being used for that name.
func TestLegacyRelationSlugs(t *testing.T) {
	ctx := context.Background()
	st := openSQLite(t)
	old := &jarchy.Article{Lang: jarchy.Russian, Title: "Старое", Section: jarchy.Section{Slug: "news"},
		Tags: []jarchy.Tag{{Name: "Жапаров", Slug: "zhaparov"}}}
	if err := st.SaveArticle(ctx, old); err != nil {
		t.Fatal(err)
	}
	rep := importString(t, st, lines(good("leg", "lang", "ru", "tags", []string{"Жапаров", "жапаров"})), Options{})
	a, err := st.ArticleByExternalID(ctx, "leg")
	if err != nil || rep.Created != 1 {
		t.Fatalf("%+v %v", rep, err)
	}
	if len(a.Tags) != 1 || a.Tags[0].ID != old.Tags[0].ID {
		t.Errorf("tags %+v, want the stored zhaparov", a.Tags)
	}
	if rep := importString(t, st, lines(good("leg", "lang", "ru", "tags", []string{"Жапаров", "жапаров"})), Options{}); rep.Unchanged != 1 {
		t.Errorf("second import %+v", rep)
	}
}
