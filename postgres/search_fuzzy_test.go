package postgres

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
)

// TestNearTermsSameAsCountingAll: the fuzzy fallback relaxes a query
// exactly as when every close term's documents were counted (nearTerms
// counts only as many groups of equally close terms as it needs), on a
// vocabulary of many close spellings with different frequencies.
func TestNearTermsSameAsCountingAll(t *testing.T) {
	ctx := context.Background()
	db, err := Open(ctx, pgtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	r := rand.New(rand.NewPCG(3, 5))
	letters := []rune("абвгдежзиклмнопрстуфхчшыэюяңөү")
	bases := []string{"мыйзамчылык", "шайлоочулар", "комиссиянын", "депутаттар", "талкуулоо", "кыргызстан"}
	var vocab []string
	for _, b := range bases {
		vocab = append(vocab, b)
		for i := 0; i < 14; i++ {
			w := []rune(b)
			for e := 0; e <= i%3; e++ { // one to three letters changed
				w[2+r.IntN(len(w)-2)] = letters[r.IntN(len(letters))]
			}
			vocab = append(vocab, string(w))
		}
	}
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var as []*jarchy.Article
	for i := 0; i < 300; i++ {
		var words []string
		for j := 0; j < 25; j++ {
			words = append(words, vocab[min(r.IntN(len(vocab)), r.IntN(len(vocab)), r.IntN(len(vocab)))])
		}
		as = append(as, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Жаңылык %d", i), Body: strings.Join(words, " "),
			Section: jarchy.Section{Slug: "news"}, Status: jarchy.StatusPublished, PublishedAt: base.Add(time.Duration(i) * time.Minute)})
	}
	if err := db.SaveArticles(ctx, as); err != nil {
		t.Fatal(err)
	}

	relaxed, beyond := 0, 0
	for _, b := range bases {
		w := []rune(b)
		swapped := append([]rune(nil), w...)
		swapped[3], swapped[4] = swapped[4], swapped[3]
		changed := append([]rune(nil), w...)
		changed[5] = 'ъ'
		for _, text := range []string{b, string(swapped), string(changed), string(w[:len(w)-1]) + "ъ", b + " " + string(swapped)} {
			q := search.ParseQuery(jarchy.Kyrgyz, text+" ")
			err := db.read(ctx, "test", func(tx pgx.Tx) error {
				got, gotOK, err := searchindex.Relax(q, func(t, w string) ([]searchindex.Candidate, error) { return nearTerms(ctx, tx, t, w) })
				if err != nil {
					return err
				}
				var all int
				want, wantOK, err := searchindex.Relax(q, func(t, w string) ([]searchindex.Candidate, error) {
					cands, err := nearTermsCountingAll(ctx, tx, t, w)
					all = max(all, len(cands))
					return cands, err
				})
				if err != nil {
					return err
				}
				if fmt.Sprint(got, gotOK) != fmt.Sprint(want, wantOK) {
					t.Errorf("%q: relaxed to %v %v, want %v %v", text, got, gotOK, want, wantOK)
				}
				if wantOK {
					relaxed++
				}
				if all > searchindex.MaxAlternatives {
					beyond++
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	if relaxed < 10 || beyond < 5 {
		t.Fatalf("only %d queries relaxed, %d with more close terms than are kept: the test tests little", relaxed, beyond)
	}

	// termIndexed answers as the count does, also for a term the parser
	// might split, and once the only article holding a term is gone
	gone := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Жалгызсөз", Body: "ẞeta", Section: jarchy.Section{Slug: "news"},
		Status: jarchy.StatusPublished, PublishedAt: base}
	if err := db.SaveArticles(ctx, []*jarchy.Article{gone}); err != nil {
		t.Fatal(err)
	}
	gt := search.IndexText(jarchy.Kyrgyz, gone.Title)
	odd := search.IndexText(jarchy.Kyrgyz, gone.Body)
	check := func(want map[string]bool) {
		for term, want := range want {
			err := db.read(ctx, "test", func(tx pgx.Tx) error {
				got, err := termIndexed(ctx, tx, term)
				if got != want {
					t.Errorf("termIndexed(%q) = %v, want %v", term, got, want)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	check(map[string]bool{gt: true, odd: true, search.IndexText(jarchy.Kyrgyz, bases[0]): true, "мыйзамчылыъ": false, "zzz": false, "ẞzz": false})
	if err := db.DeleteArticle(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	check(map[string]bool{gt: false, odd: false})
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
