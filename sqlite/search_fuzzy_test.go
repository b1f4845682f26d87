package sqlite

import (
	"context"
	"path/filepath"
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
	docs, err := vocabDocs(ctx, tx, term)
	if err != nil || docs > 0 {
		return []searchindex.Candidate{{Term: term, Docs: docs}}, err
	}
	close, err := closeTerms(ctx, tx, term, word)
	if err != nil {
		return nil, err
	}
	var out []searchindex.Candidate
	for _, t := range close {
		n, err := vocabDocs(ctx, tx, t)
		if err != nil {
			return nil, err
		}
		if n > 0 {
			out = append(out, searchindex.Candidate{Term: t, Docs: n})
		}
	}
	return out, nil
}
