package postgres

import (
	"context"
	"fmt"
	"slices"
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
	closeTo := func(sql string, args ...any) []string {
		t.Helper()
		rows, err := db.pool.Query(ctx, sql, args...)
		if err != nil {
			t.Fatal(err)
		}
		terms, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		return terms
	}
	checked, most := 0, 0
	for _, w := range []string{"шайлоо", "шайлло", "депутатар", "кыргызстн", "мыйзамчылык", "комисия", "жыйынтык"} {
		term := search.Terms(jarchy.Kyrgyz, w)[0]
		lt, lw := utf8.RuneCountInString(term), utf8.RuneCountInString(w)
		edits := max(searchindex.MaxEdits(lt), searchindex.MaxEdits(lw))
		args := []any{term, w, lt - edits, lt + edits, lw - 1}
		got := closeTo("SELECT * FROM search_close_terms($1, $2, $3, $4, $5)", args...)
		want := closeTo(`SELECT t.term FROM search_terms t WHERE (t.term % $1 OR t.term % $2)
			AND (char_length(t.term) BETWEEN $3 AND $4 OR char_length(t.term) BETWEEN 4 AND $5)
			ORDER BY greatest(similarity(t.term, $1), similarity(t.term, $2)) DESC, t.term LIMIT 200`, args...)
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

	for _, trgm := range []bool{true, false} {
		if !trgm {
			exec(t, url, "DROP FUNCTION search_close_terms")
		}
		res, err := db.Search(ctx, jarchy.SearchQuery{Text: "комисиясы ", Lang: jarchy.Kyrgyz})
		if err != nil || !res.Fuzzy || res.Total != 3 { // комиссиясы, комиссиясынын, комиссиялар
			t.Errorf("pg_trgm %v: total %d, fuzzy %v, %v; want 3 fuzzy hits", trgm, res.Total, res.Fuzzy, err)
		}
	}
}
