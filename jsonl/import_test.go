package jsonl

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"golang.org/x/text/unicode/norm"
	_ "modernc.org/sqlite"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// importString imports in and fails the test when the import stops.
func importString(t *testing.T, st jarchy.Store, in string, opt Options) *Report {
	t.Helper()
	rep, err := Import(context.Background(), st, strings.NewReader(in), opt)
	if err != nil {
		t.Fatalf("import stopped: %v (report %+v)", err, rep)
	}
	return rep
}

func lines(ls ...map[string]any) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(line(l))
		b.WriteByte('\n')
	}
	return b.String()
}

// TestLaterLineWins: when a file has an id on several lines, the last line
// is what the store holds after every import of the file, the first and
// each one after it, whether the lines are in one batch or many; a second
// import writes nothing.
func TestLaterLineWins(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		for _, batch := range []int{1, 2, 200} {
			st := open(t)
			var ls []map[string]any
			ls = append(ls, good("dup", "title", "Биринчи нуска", "tags", []string{"эски"}))
			for i := range 5 { // more lines than a batch of 2 between the two
				ls = append(ls, good(fmt.Sprintf("filler-%d", i)))
			}
			ls = append(ls, good("dup", "title", "Экинчи нуска", "tags", []string{"жаңы"}, "section", "Экономика"))
			ls = append(ls, good("near", "title", "Near one"), good("near", "title", "Near two"))
			in := lines(ls...)
			for round := 1; round <= 3; round++ {
				n, unsub := writes(st)
				rep := importString(t, st, in, Options{BatchSize: batch})
				unsub()
				if rep.Superseded != 2 || rep.Failed != 0 {
					t.Fatalf("batch %d, import %d: %+v", batch, round, rep)
				}
				if round == 1 && (rep.Created != 7 || rep.Updated != 0) {
					t.Errorf("batch %d: first import %+v, want 7 created", batch, rep)
				}
				if round > 1 && (n.Load() != 0 || rep.Unchanged != 7) {
					t.Errorf("batch %d, import %d: %d writes, %+v; want none", batch, round, n.Load(), rep)
				}
				for id, title := range map[string]string{"dup": "Экинчи нуска", "near": "Near two"} {
					a, err := st.ArticleByExternalID(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if a.Title != title {
						t.Errorf("batch %d, import %d: %s has title %q, want %q", batch, round, id, a.Title, title)
					}
				}
				if a, _ := st.ArticleByExternalID(ctx, "dup"); len(a.Tags) != 1 || a.Tags[0].Slug != "jangy" || a.Section.Slug != "ekonomika" {
					t.Errorf("batch %d, import %d: dup has tags %+v in %q", batch, round, a.Tags, a.Section.Slug)
				}
			}
			if _, err := st.TagBySlug(ctx, "eski"); !jarchy.IsNotFound(err) {
				t.Errorf("batch %d: the superseded line's tag was created (%v)", batch, err)
			}
		}
	})
}

// TestUnchangedVariants: a line written differently from the stored
// article but meaning the same after the store's normalisation is not
// written.
func TestUnchangedVariants(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		st := open(t)
		base := good("u1", "section", "Саясат", "tags", []string{"шайлоо", "Жапаров", "!!!"}, "authors", []string{"Айгүл Асанова", "—"},
			"published_at", "2026-11-20T08:30:00.123456+06:00", "cover", map[string]any{"path": "photos/u1.jpg", "caption": "Сүрөт", "alt": "тоолор", "width": 800})
		if rep := importString(t, st, lines(base), Options{}); rep.Created != 1 {
			t.Fatalf("first import %+v", rep)
		}
		a, _ := st.ArticleByExternalID(context.Background(), "u1")
		variants := map[string][]any{
			"id with spaces":            {"id", "  u1 "},
			"title with spaces":         {"title", "  Шайлоо тууралуу жаңылык u1 \t"},
			"lead with spaces":          {"lead", " Кыскача. \n"},
			"lang with spaces":          {"lang", " ky "},
			"section in capitals":       {"section", "САЯСАТ"},
			"section by its slug":       {"section", a.Section.Slug},
			"section with spaces":       {"section", "  саясат "},
			"tags twice and in case":    {"tags", []string{"шайлоо", "Шайлоо", " шайлоо ", "ЖАПАРОВ", "Жапаров", "!!!", " !!! "}},
			"authors twice":             {"authors", []string{"Айгүл Асанова", "айгүл асанова", "—", " — "}},
			"time in UTC":               {"published_at", "2026-11-20T02:30:00.123456Z"},
			"time with nanoseconds":     {"published_at", "2026-11-20T08:30:00.123456999+06:00"},
			"time in another zone":      {"published_at", "2026-11-19T23:00:00.123456-03:30"},
			"status from the time":      {"status", nil},
			"status with spaces":        {"status", " published "},
			"slug given as derived":     {"slug", a.Slug},
			"slug with spaces":          {"slug", " " + a.Slug + " "},
			"translation_of itself":     {"translation_of", "u1"},
			"cover path with spaces":    {"cover", map[string]any{"path": " photos/u1.jpg ", "caption": "Сүрөт", "alt": "тоолор", "width": 800}},
			"cover with null fields":    {"cover", map[string]any{"path": "photos/u1.jpg", "caption": "Сүрөт", "width": 800, "url": nil, "alt": " тоолор "}},
			"unknown fields":            {"kicker", "ignored"},
			"decomposed tag (NFD)":      {"tags", []string{norm.NFD.String("шайлоо"), "Жапаров", "!!!"}},
			"published_at with spaces ": {"published_at", " 2026-11-20T08:30:00.123456+06:00 "},
		}
		for name, change := range variants {
			n, unsub := writes(st)
			rep := importString(t, st, lines(good("u1", append(baseExtra(base), change...)...)), Options{})
			unsub()
			if rep.Unchanged != 1 || n.Load() != 0 {
				t.Errorf("%s: %d writes, report %+v; want unchanged", name, n.Load(), rep)
			}
		}
	})
}

// baseExtra turns a line back into the key/value list good takes.
func baseExtra(m map[string]any) []any {
	var out []any
	for k, v := range m {
		out = append(out, k, v)
	}
	return out
}

// TestEveryFieldCounts: a change to any one field the format carries is
// written, the cover's fields and the order of tags and authors included,
// and a second import of the changed line writes nothing.
func TestEveryFieldCounts(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		cov := func(k string, v any) map[string]any {
			c := map[string]any{"path": "photos/f1.jpg", "caption": "Сүрөт", "credit": "Редакция", "alt": "тоолор", "width": 800, "height": 600}
			if k == "url" {
				delete(c, "path")
			}
			c[k] = v
			return c
		}
		base := good("f1", "tags", []string{"шайлоо", "парламент"}, "authors", []string{"Айгүл Асанова", "Бакыт Сыдыков"},
			"cover", cov("path", "photos/f1.jpg"), "slug", "f-bir")
		importString(t, st, lines(good("root-x"), base), Options{})
		cases := []struct {
			name   string
			change []any
			check  func(a *jarchy.Article) bool
		}{
			{"lang", []any{"lang", "ru"}, func(a *jarchy.Article) bool { return a.Lang == jarchy.Russian }},
			{"title", []any{"title", "Башка аталыш"}, func(a *jarchy.Article) bool { return a.Title == "Башка аталыш" }},
			{"slug", []any{"slug", "f-eki"}, func(a *jarchy.Article) bool { return a.Slug == "f-eki" }},
			{"lead", []any{"lead", "Башка лид."}, func(a *jarchy.Article) bool { return a.Lead == "Башка лид." }},
			{"body", []any{"body", "Башка текст."}, func(a *jarchy.Article) bool { return a.Body == "Башка текст." }},
			{"section", []any{"section", "Спорт"}, func(a *jarchy.Article) bool { return a.Section.Slug == "sport" }},
			{"status", []any{"status", "unpublished"}, func(a *jarchy.Article) bool { return a.Status == jarchy.StatusUnpublished }},
			{"published_at", []any{"published_at", "2026-11-20T08:30:00.000001+06:00"}, func(a *jarchy.Article) bool {
				return a.PublishedAt.Equal(time.Date(2026, 11, 20, 2, 30, 0, 1000, time.UTC))
			}},
			{"translation_of", []any{"translation_of", "root-x"}, func(a *jarchy.Article) bool { return a.TranslationGroup == "root-x" }},
			{"a tag more", []any{"tags", []string{"шайлоо", "парламент", "бюджет"}}, func(a *jarchy.Article) bool { return len(a.Tags) == 3 }},
			{"tags order", []any{"tags", []string{"парламент", "шайлоо"}}, func(a *jarchy.Article) bool { return a.Tags[0].Slug == "parlament" }},
			{"authors order", []any{"authors", []string{"Бакыт Сыдыков", "Айгүл Асанова"}}, func(a *jarchy.Article) bool { return a.Authors[0].Slug == "bakyt-sydykov" }},
			{"an author less", []any{"authors", []string{"Айгүл Асанова"}}, func(a *jarchy.Article) bool { return len(a.Authors) == 1 }},
			{"cover path", []any{"cover", cov("path", "photos/f2.jpg")}, func(a *jarchy.Article) bool { return a.Cover.Key == "photos/f2.jpg" }},
			{"cover url", []any{"cover", cov("url", "https://example.org/f1.jpg")}, func(a *jarchy.Article) bool {
				return a.Cover.URL == "https://example.org/f1.jpg" && a.Cover.Key == jarchy.ExternalMediaKey("https://example.org/f1.jpg")
			}},
			{"cover caption", []any{"cover", cov("caption", "Башка")}, func(a *jarchy.Article) bool { return a.Cover.Caption == "Башка" }},
			{"cover credit", []any{"cover", cov("credit", "AP")}, func(a *jarchy.Article) bool { return a.Cover.Credit == "AP" }},
			{"cover alt", []any{"cover", cov("alt", "шаар")}, func(a *jarchy.Article) bool { return a.Cover.Alt == "шаар" }},
			{"cover width", []any{"cover", cov("width", 1200)}, func(a *jarchy.Article) bool { return a.Cover.Width == 1200 }},
			{"cover height", []any{"cover", cov("height", 900)}, func(a *jarchy.Article) bool { return a.Cover.Height == 900 }},
			{"no cover", []any{"cover", nil}, func(a *jarchy.Article) bool { return a.Cover == nil }},
		}
		for _, c := range cases {
			importString(t, st, lines(good("root-x"), base), Options{}) // back to the base
			changed := lines(good("root-x"), good("f1", append(baseExtra(base), c.change...)...))
			n, unsub := writes(st)
			rep := importString(t, st, changed, Options{})
			unsub()
			if rep.Updated != 1 || rep.Unchanged != 1 || n.Load() == 0 {
				t.Errorf("%s changed alone: %d writes, report %+v; want 1 updated", c.name, n.Load(), rep)
				continue
			}
			a, err := st.ArticleByExternalID(ctx, "f1")
			if err != nil {
				t.Fatal(err)
			}
			if !c.check(a) {
				t.Errorf("%s: stored article does not have the new value: %+v (cover %+v)", c.name, a, a.Cover)
			}
			n, unsub = writes(st)
			rep = importString(t, st, changed, Options{})
			unsub()
			if rep.Unchanged != 2 || n.Load() != 0 {
				t.Errorf("%s: the changed line again: %d writes, report %+v", c.name, n.Load(), rep)
			}
		}
	})
}

// TestTranslationGroupsAnyOrder: translation_of may name an article on a
// later line, through a chain, or in a cycle; the first import makes the
// groups a second import finds, so the second writes nothing.
func TestTranslationGroupsAnyOrder(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		in := lines(
			good("en-1", "lang", "en", "title", "Budget", "translation_of", "ru-1"), // forward, through a chain
			good("ru-1", "lang", "ru", "title", "Бюджет", "translation_of", "ky-1"),
			good("ky-1", "title", "Бюджет"),
			good("cyc-a", "title", "Цикл А", "translation_of", "cyc-b"), // a cycle
			good("cyc-b", "lang", "ru", "title", "Цикл Б", "translation_of", "cyc-a"),
			good("orphan", "lang", "en", "title", "Orphan", "translation_of", "not-in-file"),
		)
		want := map[string]string{"en-1": "ky-1", "ru-1": "ky-1", "ky-1": "ky-1", "cyc-a": "cyc-a", "cyc-b": "cyc-a", "orphan": "not-in-file"}
		for round := 1; round <= 2; round++ {
			n, unsub := writes(st)
			rep := importString(t, st, in, Options{BatchSize: 2})
			unsub()
			if !rep.OK() || (round == 2 && (n.Load() != 0 || rep.Unchanged != 6)) {
				t.Errorf("import %d: %d writes, %+v", round, n.Load(), rep)
			}
			for id, g := range want {
				a, err := st.ArticleByExternalID(ctx, id)
				if err != nil {
					t.Fatal(err)
				}
				if a.TranslationGroup != g {
					t.Errorf("import %d: %s in group %q, want %q", round, id, a.TranslationGroup, g)
				}
			}
		}
	})
}

// TestFailedSavesDoNotStopTheImport: a line that cannot be read and a line
// that the database refuses at save time (a trigger stands in for any
// store-level failure) are reported as "line N: id: reason"; every other
// line is saved, in a batch or one by one.
func TestFailedSavesDoNotStopTheImport(t *testing.T) {
	for _, engine := range []string{"sqlite", "postgres"} {
		t.Run(engine, func(t *testing.T) {
			for _, batch := range []int{1, 2, 3, 200} { // 2, 3: "boom" fails in a batch saved while the next is read
				st := openWithTrigger(t, engine)
				in := lines(good("ok-1"), good("ok-2")) +
					`{"id": "broken", "lang": ` + "\n" +
					lines(good("ok-3"), good("boom"), good("ok-4"), good("bad-lang", "lang", "de"), good("ok-5"))
				rep := importString(t, st, in, Options{BatchSize: batch})
				if rep.Created != 5 || rep.Failed != 3 {
					t.Errorf("batch %d: %+v, want 5 created and 3 failed", batch, rep)
				}
				var got []string
				for _, e := range rep.Errors {
					got = append(got, e.String())
				}
				if len(got) != 3 || !strings.HasPrefix(got[0], "line 3: invalid JSON") ||
					!strings.HasPrefix(got[1], "line 5: boom: ") || !strings.Contains(got[1], "refused by trigger") ||
					got[2] != `line 7: bad-lang: unknown lang "de" (want ky, ru or en)` {
					t.Errorf("batch %d: errors %q", batch, got)
				}
				for _, id := range []string{"ok-1", "ok-2", "ok-3", "ok-4", "ok-5"} {
					if _, err := st.ArticleByExternalID(context.Background(), id); err != nil {
						t.Errorf("batch %d: %s not imported: %v", batch, id, err)
					}
				}
				if _, err := st.ArticleByExternalID(context.Background(), "boom"); !jarchy.IsNotFound(err) {
					t.Errorf("batch %d: the refused line is stored (%v)", batch, err)
				}
			}
		})
	}
}

// openWithTrigger opens an empty store whose database refuses to store an
// article with the external id "boom".
func openWithTrigger(t *testing.T, engine string) jarchy.Store {
	ctx := context.Background()
	if engine == "sqlite" {
		path := filepath.Join(t.TempDir(), "jarchy.db")
		st, err := sqlite.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		raw, err := sql.Open("sqlite", path)
		if err != nil {
			t.Fatal(err)
		}
		defer raw.Close()
		if _, err := raw.Exec(`CREATE TRIGGER boom BEFORE INSERT ON articles WHEN NEW.external_id = 'boom'
			BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`); err != nil {
			t.Fatal(err)
		}
		return st
	}
	url := pgtest.URL(t)
	st, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE FUNCTION boom() RETURNS trigger LANGUAGE plpgsql AS $$
		BEGIN IF NEW.external_id = 'boom' THEN RAISE EXCEPTION 'refused by trigger'; END IF; RETURN NEW; END $$;
		CREATE TRIGGER boom BEFORE INSERT ON articles FOR EACH ROW EXECUTE FUNCTION boom()`); err != nil {
		t.Fatal(err)
	}
	return st
}

// TestPipedInput: input that cannot seek (stdin from a pipe) imports the
// same way: the later line still wins.
func TestPipedInput(t *testing.T) {
	st := openSQLite(t)
	in := lines(good("p1", "title", "Биринчи"), good("p2"), good("p1", "title", "Акыркы"))
	rep, err := Import(context.Background(), st, struct{ io.Reader }{strings.NewReader(in)}, Options{})
	if err != nil || rep.Created != 2 || rep.Superseded != 1 {
		t.Fatalf("piped import: %+v %v", rep, err)
	}
	if a, _ := st.ArticleByExternalID(context.Background(), "p1"); a.Title != "Акыркы" {
		t.Errorf("p1 title %q, want Акыркы", a.Title)
	}
}

// TestSluglessNames: tags, authors, sections and titles of punctuation
// only import with fixed fallback slugs, and import again unchanged.
func TestSluglessNames(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		in := lines(good("s1", "title", "!!!", "tags", []string{"!!!", "…", "шайлоо"}, "authors", []string{"—"}, "section", "★"))
		if rep := importString(t, st, in, Options{}); rep.Created != 1 {
			t.Fatalf("import: %+v", rep)
		}
		a, err := st.ArticleByExternalID(ctx, "s1")
		if err != nil {
			t.Fatal(err)
		}
		var tags []string
		for _, x := range a.Tags {
			tags = append(tags, x.Slug)
		}
		if a.Slug != "article-e84c538e" || fmt.Sprint(tags) != "[tag-e84c538e tag-b4935894 shayloo]" ||
			a.Authors[0].Slug != "author-bda05058" || a.Section.Slug != "section-26c57b08" || a.Section.Name(jarchy.Kyrgyz) != "★" {
			t.Errorf("slugs: article %q, tags %v, author %q, section %q (%v)", a.Slug, tags, a.Authors[0].Slug, a.Section.Slug, a.Section.Names)
		}
		if rep := importString(t, st, in, Options{}); rep.Unchanged != 1 {
			t.Errorf("second import: %+v", rep)
		}
	})
}

// TestDerivedSlugs: a line without a slug keeps the "-2" the store gave
// it when another article had the title first, and a new title gives a new
// slug even when the new one begins the old.
func TestDerivedSlugs(t *testing.T) {
	stores(t, func(t *testing.T, open opener) {
		ctx := context.Background()
		st := open(t)
		in := lines(good("d1", "title", "Бюджет кабыл алынды"), good("d2", "title", "Бюджет кабыл алынды"))
		importString(t, st, in, Options{})
		n, unsub := writes(st)
		rep := importString(t, st, in, Options{})
		unsub()
		if rep.Unchanged != 2 || n.Load() != 0 {
			t.Errorf("second import: %d writes, %+v", n.Load(), rep)
		}
		if a, _ := st.ArticleByExternalID(ctx, "d2"); a.Slug != "byudjet-kabyl-alyndy-2" {
			t.Errorf("d2 slug %q, want byudjet-kabyl-alyndy-2", a.Slug)
		}
		rep = importString(t, st, lines(good("d1", "title", "Бюджет")), Options{})
		if a, _ := st.ArticleByExternalID(ctx, "d1"); rep.Updated != 1 || a.Slug != "byudjet" {
			t.Errorf("new title: %+v, slug %q, want byudjet", rep, a.Slug)
		}
	})
}

// TestLaterBadLineWins: the last line of an id wins even when it is bad:
// it is reported, and the earlier line is not imported in its place.
func TestLaterBadLineWins(t *testing.T) {
	st := openSQLite(t)
	rep := importString(t, st, lines(good("x", "title", "Жакшы"), good("x", "lang", "de")), Options{})
	if rep.Superseded != 1 || rep.Failed != 1 || rep.Created != 0 || len(rep.Errors) != 1 || rep.Errors[0].Line != 2 {
		t.Errorf("report %+v", rep)
	}
	if _, err := st.ArticleByExternalID(context.Background(), "x"); !jarchy.IsNotFound(err) {
		t.Errorf("the earlier line was imported (%v)", err)
	}
}
