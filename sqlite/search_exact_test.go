package sqlite

import (
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
)

// TestSearchSameAsPlainSQL compares Search with the contract written as
// plain SQL over every match (count all, rank the newest
// SearchTotalCap by bm25 in SQL, sort all by date in SQL), on a store where
// common words match far more articles than the cap and the later half of
// the articles were imported out of date order (so date order past the cap
// meets both close and scattered ids).
func TestSearchSameAsPlainSQL(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "exact.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	words := []string{"тоо", "кар", "жамгыр", "шаар", "мектеп", "жол", "суу", "талаа", "айыл", "китеп", "базар", "шайлоо"}
	r := rand.New(rand.NewPCG(7, 13))
	text := func(n int) string {
		var b strings.Builder
		for i := 0; i < n; i++ {
			// the first words far more often: тоо matches most articles
			w := words[min(r.IntN(len(words)), r.IntN(len(words)))]
			if i > 0 {
				b.WriteByte(' ')
			}
			b.WriteString(w)
		}
		return b.String()
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	const n = 1400
	var as []*jarchy.Article
	for i := 0; i < n; i++ {
		at := base.Add(time.Duration(i) * time.Hour) // in id order...
		if i >= n/2 {
			at = base.Add(time.Duration(r.IntN(n)) * time.Hour) // ...then an archive out of order
		}
		lang, sec := jarchy.Kyrgyz, "news"
		if i%5 == 0 {
			lang = jarchy.Russian
		}
		if i%3 == 0 {
			sec = "sport"
		}
		as = append(as, &jarchy.Article{Lang: lang, Title: text(3), Lead: text(8), Body: text(40),
			Section: jarchy.Section{Slug: sec}, Status: jarchy.StatusPublished, PublishedAt: at})
	}
	for from := 0; from < n; from += 200 {
		if err := db.SaveArticles(ctx, as[from:min(n, from+200)]); err != nil {
			t.Fatal(err)
		}
	}
	sport := as[0].Section.ID

	checked, capped := 0, 0
	for _, text := range []string{"тоо ", "тоо", "кар ", "то", "жам", "мектеп тоо ", "шайлоо базар ", "китеп ", "тоо -кар ", "шаар жол"} {
		for _, q := range []jarchy.SearchQuery{
			{Text: text, Lang: jarchy.Kyrgyz},
			{Text: text},
			{Text: text, Lang: jarchy.Kyrgyz, SectionID: sport},
			{Text: text, Lang: jarchy.Kyrgyz, From: base.Add(200 * time.Hour), To: base.Add(900 * time.Hour)},
		} {
			for _, sort := range []string{jarchy.SortRelevance, jarchy.SortDate} {
				for _, off := range []int{0, 20, 480, 499, 500} {
					q.Sort, q.Offset, q.Limit = sort, off, 20
					got, err := db.Search(ctx, q)
					if err != nil {
						t.Fatalf("%+v: %v", q, err)
					}
					want := plainSQLSearch(t, db, q)
					if got.Total != want.Total || got.TotalCapped != want.TotalCapped {
						t.Errorf("%+v: total %d capped %v, want %d %v", q, got.Total, got.TotalCapped, want.Total, want.TotalCapped)
					}
					var ids []string
					for _, h := range got.Hits {
						ids = append(ids, fmt.Sprintf("%d:%g", h.Article.ID, h.Score))
					}
					if fmt.Sprint(ids) != fmt.Sprint(want.ids) {
						t.Errorf("%+v:\n got %v\nwant %v", q, ids, want.ids)
					}
					checked++
					if want.TotalCapped {
						capped++
					}
				}
			}
		}
	}
	if capped < checked/4 || capped == checked {
		t.Fatalf("%d of %d searches past the cap: the corpus does not test both sides of it", capped, checked)
	}
}

type plainResult struct {
	Total       int
	TotalCapped bool
	ids         []string // id:score of the page
}

// plainSQLSearch is the search contract for q as plain SQL statements over
// all matches, without the store's shortcuts.
func plainSQLSearch(t *testing.T, db *DB, q jarchy.SearchQuery) plainResult {
	t.Helper()
	ctx := context.Background()
	p, err := searchindex.Prepare(q, db.now())
	if err != nil {
		t.Fatal(err)
	}
	conds, fargs := searchFilters(p)
	from := " FROM search_fts JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND " + conds
	args := append([]any{p.Query.FTS5()}, fargs...)
	var res plainResult
	if err := db.r.QueryRowContext(ctx, "SELECT count(*)"+from, args...).Scan(&res.Total); err != nil {
		t.Fatal(err)
	}
	if res.Total > jarchy.SearchTotalCap {
		res.Total, res.TotalCapped = jarchy.SearchTotalCap, true
	}
	query := "SELECT d.id, 0.0" + from + " ORDER BY d.published_at DESC, d.id DESC LIMIT ? OFFSET ?"
	if !p.ByDate {
		query = "SELECT id, score FROM (SELECT d.id AS id, -bm25(search_fts, " + bm25Weights + ") AS score, d.published_at AS pub" +
			from + " ORDER BY d.id DESC LIMIT " + fmt.Sprint(jarchy.SearchTotalCap) + ") ORDER BY score DESC, pub DESC, id DESC LIMIT ? OFFSET ?"
	}
	if p.Offset >= res.Total {
		return res
	}
	rows, err := db.r.QueryContext(ctx, query, append(args, p.Limit, p.Offset)...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var score float64
		if err := rows.Scan(&id, &score); err != nil {
			t.Fatal(err)
		}
		res.ids = append(res.ids, fmt.Sprintf("%d:%g", id, score))
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return res
}
