package sqlite

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
	"github.com/jarchy/jarchy/storetest"
)

// TestNearTermsSameAsCountingAll runs storetest.RunNearTermsSameAsCountingAll
// with SQLite's nearTerms and termIndexed, against counting every close
// term (nearTermsCountingAll).
func TestNearTermsSameAsCountingAll(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(t.TempDir(), "fuzzy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	storetest.RunNearTermsSameAsCountingAll(t, db, storetest.FuzzyHooks{
		Relax: func(q search.Query, countAll bool) (f searchindex.Fuzzy, ok bool, most int, err error) {
			err = db.read(ctx, "test", func(tx *qtx) error {
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
			err = db.read(ctx, "test", func(tx *qtx) error {
				found, err = termIndexed(ctx, tx, term)
				return err
			})
			return found, err
		},
	})
}

// nearTermsCountingAll is nearTerms counting the documents of the query
// term and of every close term.
func nearTermsCountingAll(ctx context.Context, tx *qtx, term, word string) ([]searchindex.Candidate, error) {
	var docs int
	err := tx.QueryRowContext(ctx, "SELECT doc FROM search_vocab WHERE term = ?", term).Scan(&docs)
	switch {
	case err == nil && docs > 0:
		return []searchindex.Candidate{{Term: term, Docs: docs}}, nil
	case err != nil && err != sql.ErrNoRows:
		return nil, err
	}
	r := []rune(term)
	if len(r) < 3 || searchindex.MaxEdits(len(r)) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	var tris []string
	for _, w := range [][]rune{r, []rune(search.Normalize(word))} {
		for i := 0; i+3 <= len(w) && len(tris) < 64; i++ {
			if t := string(w[i : i+3]); !seen[t] {
				seen[t] = true
				tris = append(tris, searchindex.Quote(t))
			}
		}
	}
	var cands []searchindex.Candidate
	rows, err := tx.QueryContext(ctx, "SELECT term FROM search_trigrams WHERE search_trigrams MATCH ? ORDER BY rank LIMIT 200", strings.Join(tris, " OR "))
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var c searchindex.Candidate
		if err := rows.Scan(&c.Term); err != nil {
			rows.Close()
			return nil, err
		}
		cands = append(cands, c)
	}
	rows.Close()
	var out []searchindex.Candidate
	for _, t := range searchindex.Close(term, word, cands, 20) {
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT doc FROM search_vocab WHERE term = ?", t).Scan(&n); err != nil && err != sql.ErrNoRows {
			return nil, err
		}
		if n > 0 {
			out = append(out, searchindex.Candidate{Term: t, Docs: n})
		}
	}
	return out, rows.Err()
}
