package postgres

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/migrate"
	"github.com/jarchy/jarchy/internal/pgtest"
)

func TestLoosenPhrases(t *testing.T) {
	for _, c := range []struct {
		in, want string
		phrase   bool
	}{
		{`'депутат' & ( 'мэр' | 'мэ':* )`, `'депутат' & ( 'мэр' | 'мэ':* )`, false},
		{`'foo-bar' <-> 'foo' <-> 'bar' & 'x'`, `'foo-bar' & 'foo' & 'bar' & 'x'`, true},
		{`'a' <2> 'b'`, `'a' & 'b'`, true},
		{`'a<->b' & 'c'`, `'a<->b' & 'c'`, false},                          // inside a lexeme
		{`'it''s <->' <-> 'x'`, `'it''s <->' & 'x'`, true},                 // a doubled quote
		{`'back\\' <-> 'x' & 'y\'<->'`, `'back\\' & 'x' & 'y\'<->'`, true}, // escapes
	} {
		got, phrase := loosenPhrases(c.in)
		if got != c.want || phrase != c.phrase {
			t.Errorf("loosenPhrases(%q) = %q, %v; want %q, %v", c.in, got, phrase, c.want, c.phrase)
		}
	}
}

// TestSearchMatchPhrases: search_match holds lexemes without positions,
// so phrases (a quoted phrase, a hyphenated word, which to_tsquery splits
// into a phrase of its parts) are checked against search_docs; and the
// two tables stay in step through saves, unpublishing and deletes.
func TestSearchMatchPhrases(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	at := time.Now().Add(-time.Hour)
	save := func(title, body string) *jarchy.Article {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Body: body, Status: jarchy.StatusPublished,
			PublishedAt: at, Section: jarchy.Section{Slug: "news"}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	hyphen := save("Отчет", "Бюджет 2020-жылы кабыл алынды.")
	apart := save("Отчет", "Бюджет 2020 мектеп жылы кабыл алынды.")
	adjacent := save("Эл аралык конференция", "Конференция башталды.")
	reversed := save("Аралык маселелер", "Шаарда эл чогулду.")
	want := func(q string, ids ...int64) {
		t.Helper()
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: q, Lang: jarchy.Kyrgyz})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := map[int64]bool{}
		for _, h := range res.Hits {
			got[h.Article.ID] = true
		}
		if res.Total != len(ids) || len(got) != len(ids) {
			t.Errorf("%q: total %d, hits %v; want %v", q, res.Total, got, ids)
		}
		for _, id := range ids {
			if !got[id] {
				t.Errorf("%q: %d not found (hits %v)", q, id, got)
			}
		}
	}
	want("2020-жылы ", hyphen.ID)
	want("бюджет -2020-жылы ", apart.ID)
	want(`"эл аралык" `, adjacent.ID)
	want(`аралык -"эл аралык" `, reversed.ID)

	rows := func() (docs, match int) {
		t.Helper()
		if err := db.pool.QueryRow(ctx, "SELECT (SELECT count(*) FROM search_docs), (SELECT count(*) FROM search_match)").
			Scan(&docs, &match); err != nil {
			t.Fatal(err)
		}
		return docs, match
	}
	if d, m := rows(); d != 4 || m != 4 {
		t.Fatalf("rows: search_docs %d, search_match %d; want 4, 4", d, m)
	}
	adjacent.Status = jarchy.StatusDraft
	if err := db.SaveArticle(ctx, adjacent); err != nil {
		t.Fatal(err)
	}
	if err := db.DeleteArticle(ctx, apart.ID); err != nil {
		t.Fatal(err)
	}
	if d, m := rows(); d != 2 || m != 2 {
		t.Fatalf("rows after unpublishing and deleting: search_docs %d, search_match %d; want 2, 2", d, m)
	}
	hyphen.Title = "Жаңы отчет"
	if err := db.SaveArticle(ctx, hyphen); err != nil {
		t.Fatal(err)
	}
	want("жаңы отчет ", hyphen.ID)
}

// TestMigrationFillsSearchMatch: migration 00013 builds search_match from
// the search_docs rows of a database from before it, so its articles are
// found at once (a rare word, a common one and a phrase).
func TestMigrationFillsSearchMatch(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := openDB(t, url)
	at := time.Now().Add(-time.Hour)
	var ids []int64
	for _, title := range []string{"Жогорку Кеңеш чогулду", "Кеңеш жогорку деңгээлде", "Тоолордогу кар"} {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: title, Status: jarchy.StatusPublished,
			PublishedAt: at, Section: jarchy.Section{Slug: "news"}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, a.ID)
	}
	db.Close()
	// back to the schema before 00013, its rows kept (and so before 00014
	// to 00016)
	exec(t, url, "DROP TABLE search_text")
	exec(t, url, "DELETE FROM "+migrate.Table+" WHERE version_id IN (14, 15, 16)")
	exec(t, url, "DROP FUNCTION IF EXISTS search_close_terms")
	exec(t, url, "DROP TABLE search_match")
	exec(t, url, "DROP FUNCTION search_match_keys")
	exec(t, url, "CREATE INDEX search_docs_doc ON search_docs USING gin (doc)")
	exec(t, url, "CREATE INDEX search_docs_pub ON search_docs (published_at DESC, article_id DESC)")
	exec(t, url, "DELETE FROM "+migrate.Table+" WHERE version_id = 13")

	db = openDB(t, url)
	upToDate(t, url)
	for q, want := range map[string][]int64{"кар ": {ids[2]}, "кеңеш ": {ids[0], ids[1]}, `"жогорку кеңеш" `: {ids[0]}} {
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: q, Lang: jarchy.Kyrgyz})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		got := make([]int64, len(res.Hits))
		for i, h := range res.Hits {
			got[i] = h.Article.ID
		}
		slices.Sort(got)
		if res.Total != len(want) || !slices.Equal(got, want) || res.Fuzzy {
			t.Errorf("%s after migrating: %v (total %d, fuzzy %v), want %v", q, got, res.Total, res.Fuzzy, want)
		}
	}
}
