package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
	"github.com/jarchy/jarchy/storetest"
)

// TestNearTermsSameAsCountingAll runs storetest.RunNearTermsSameAsCountingAll
// with PostgreSQL's nearTerms and termIndexed, against counting every
// close term (nearTermsCountingAll).
func TestNearTermsSameAsCountingAll(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.RunNearTermsSameAsCountingAll(t, db, storetest.FuzzyHooks{
		Relax: func(q search.Query, countAll bool) (f searchindex.Fuzzy, ok bool, most int, err error) {
			err = db.read(ctx, "test", func(tx pgx.Tx) error {
				near := nearTerms
				if countAll {
					near = nearTermsCountingAll
				}
				var err error
				f, ok, err = searchindex.Relax(q, func(t, w string) ([]searchindex.Candidate, error) {
					cands, err := near(ctx, tx, t, w)
					most = max(most, len(cands))
					return cands, err
				})
				return err
			})
			return f, ok, most, err
		},
		TermIndexed: func(term string) (found bool, err error) {
			err = db.read(ctx, "test", func(tx pgx.Tx) error {
				found, err = termIndexed(ctx, tx, term)
				return err
			})
			return found, err
		},
	})
}

// nearTermsCountingAll is nearTerms counting the documents of the query
// term and of every close term.
func nearTermsCountingAll(ctx context.Context, tx pgx.Tx, term, word string) ([]searchindex.Candidate, error) {
	docs, err := termDocs(ctx, tx, term)
	if err != nil || docs > 0 {
		return []searchindex.Candidate{{Term: term, Docs: docs}}, err
	}
	close, err := closeTerms(ctx, tx, term, word)
	if err != nil {
		return nil, err
	}
	var out []searchindex.Candidate
	for _, t := range close {
		n, err := termDocs(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, searchindex.Candidate{Term: t, Docs: n})
		}
	}
	return out, nil
}

// TestCloseTermsIndexOnly: search_close_terms (migration 00016), which
// leaves the planner only the trigram index, finds the same candidates as
// the same query planned freely; and without it (a server without
// pg_trgm) the fuzzy fallback still corrects a misspelt word from the
// terms sharing its first two letters.
func TestCloseTermsIndexOnly(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	db := openDB(t, url)
	bodies := []string{
		"Шайлоо өттү. Шайлоодо шайлоочулар добуш беришти.",
		"Депутаттар мыйзамчылык тууралуу сүйлөштү, депутат сөз алды.",
		"Кыргызстан комиссиясы жыйынтыкты жарыялады. Комиссия чогулду.",
		"Шаардагы шайлоо комиссиясынын жыйынтыгы чыкты.",
		"Шайлап, шайланды, шайлоочу, шайлоого, шайлоонун, шайыр, депутатка, депутаттык, комиссар, комиссиялар.",
	}
	for i, body := range bodies {
		a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Макала %d", i), Body: body, Status: jarchy.StatusPublished,
			PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news"}}
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	checked, most := 0, 0
	for _, w := range []string{"шайлоо", "шайлло", "депутатар", "кыргызстн", "мыйзамчылык", "комисия", "жыйынтык"} {
		term := search.Terms(jarchy.Kyrgyz, w)[0]
		lt, lw := utf8.RuneCountInString(term), utf8.RuneCountInString(w)
		edits := max(searchindex.MaxEdits(lt), searchindex.MaxEdits(lw))
		args := []any{term, w, lt - edits, lt + edits, lw - 1}
		got := query[string](t, url, "SELECT * FROM search_close_terms($1, $2, $3, $4, $5)", args...)
		want := query[string](t, url, closeTermsSQL, args...)
		if !slices.Equal(got, want) {
			t.Errorf("%s: search_close_terms %v, planned freely %v", w, got, want)
		}
		if len(want) > 0 {
			checked++
		}
		most = max(most, len(want))
	}
	if checked < 5 || most < 2 {
		t.Fatalf("only %d words with candidates, at most %d: the test tests little", checked, most)
	}

	// The function's settings leave the planner the trigram index only.
	tx, err := db.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	settings := query[string](t, url, "SELECT unnest(proconfig) FROM pg_proc WHERE proname = 'search_close_terms'")
	for _, set := range settings {
		name, value, _ := strings.Cut(set, "=")
		if _, err := tx.Exec(ctx, "SELECT set_config($1, $2, true)", name, value); err != nil {
			t.Fatal(err)
		}
	}
	plan := explain(t, tx, closeTermsSQL, "шайлло", "шайлло", 4, 8, 5)
	tx.Rollback(ctx)
	if !strings.Contains(plan, "Bitmap Index Scan on search_terms_trgm") {
		t.Errorf("with the settings %v the trigram query does not ask the trigram index:\n%s", settings, plan)
	}

	// With the function; without pg_trgm (dropped after 00016: the
	// function stays, and would fail); with pg_trgm but no function
	// (installed after 00016: the same query, planned freely).
	for _, change := range [][]string{nil, {"DROP EXTENSION pg_trgm CASCADE"},
		{"CREATE EXTENSION pg_trgm", "DROP FUNCTION search_close_terms"}} {
		for _, sql := range change {
			exec(t, url, sql)
		}
		trgm := len(change) != 1
		for text, want := range map[string]int{"комисиясы ": 3, "кмоиссиясы ": 3} { // комиссиясы, комиссиясынын, комиссиялар
			if !trgm && text == "кмоиссиясы " {
				want = 0 // only the terms sharing the first two letters are looked among
			}
			res, err := db.Search(ctx, jarchy.SearchQuery{Text: text, Lang: jarchy.Kyrgyz})
			if err != nil || res.Total != want || res.Fuzzy != (want > 0) {
				t.Errorf("%q after %q: total %d, fuzzy %v, %v; want %d", text, change, res.Total, res.Fuzzy, err, want)
			}
		}
	}
}

// TestTermsDocsParsesTerms: the terms a fuzzy group counts are parsed as
// to_tsquery('simple') parses them, which folds a titlecase letter as
// to_tsvector does (ǅ to ǆ): a term taken as one quoted lexeme would
// find no article.
func TestTermsDocsParsesTerms(t *testing.T) {
	ctx := context.Background()
	db := openDB(t, pgtest.URL(t))
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Макала", Body: "ǆx жана ǆy", Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news"}}
	if err := db.SaveArticle(ctx, a); err != nil {
		t.Fatal(err)
	}
	for _, existsOnly := range []bool{false, true} {
		err := db.read(ctx, "test", func(tx pgx.Tx) error {
			counts, err := termsDocs(ctx, tx, []string{"ǅx", "ǆy", "ǆz"}, existsOnly)
			if err == nil && !slices.Equal(counts, []int{1, 1, 0}) {
				t.Errorf("existsOnly %v: counts %v, want [1 1 0]", existsOnly, counts)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
}
