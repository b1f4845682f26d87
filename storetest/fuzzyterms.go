package storetest

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/search"
)

// FuzzyHooks reach a store's fuzzy fallback: Relax relaxes q with the
// store's close terms (countAll: counting the documents of every close
// term, the reference) and tells the most close terms one word had;
// TermIndexed tells whether some indexed article holds term.
type FuzzyHooks struct {
	Relax       func(q search.Query, countAll bool) (f searchindex.Fuzzy, ok bool, most int, err error)
	TermIndexed func(term string) (bool, error)
}

// RunNearTermsSameAsCountingAll checks on store s that the fuzzy fallback
// relaxes a query exactly as when every close term's documents were
// counted (the store counts only as many groups of equally close terms as
// it needs), on a vocabulary of many close spellings with different
// frequencies, and that its test for an indexed term agrees with the
// counts, also once the only article holding a term is gone.
func RunNearTermsSameAsCountingAll(t *testing.T, s jarchy.Store, h FuzzyHooks) {
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
	if err := s.SaveArticles(ctx, as); err != nil {
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
			got, gotOK, _, err := h.Relax(q, false)
			if err != nil {
				t.Fatal(err)
			}
			want, wantOK, all, err := h.Relax(q, true)
			if err != nil {
				t.Fatal(err)
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
		}
	}
	if relaxed < 10 || beyond < 5 {
		t.Fatalf("only %d queries relaxed, %d with more close terms than are kept: the test tests little", relaxed, beyond)
	}

	// termIndexed answers as the count does, also for a term the parser
	// might split, and once the only article holding a term is gone
	gone := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Жалгызсөз", Body: "ẞeta", Section: jarchy.Section{Slug: "news"},
		Status: jarchy.StatusPublished, PublishedAt: base}
	if err := s.SaveArticles(ctx, []*jarchy.Article{gone}); err != nil {
		t.Fatal(err)
	}
	gt := search.IndexText(jarchy.Kyrgyz, gone.Title)
	odd := search.IndexText(jarchy.Kyrgyz, gone.Body)
	check := func(want map[string]bool) {
		for term, want := range want {
			got, err := h.TermIndexed(term)
			if err != nil {
				t.Fatal(err)
			}
			if got != want {
				t.Errorf("termIndexed(%q) = %v, want %v", term, got, want)
			}
		}
	}
	check(map[string]bool{gt: true, odd: true, search.IndexText(jarchy.Kyrgyz, bases[0]): true, "мыйзамчылыъ": false, "zzz": false, "ẞzz": false})
	if err := s.DeleteArticle(ctx, gone.ID); err != nil {
		t.Fatal(err)
	}
	check(map[string]bool{gt: false, odd: false})
}
