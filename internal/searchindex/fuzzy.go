package searchindex

import (
	"slices"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/search"
)

// Candidate is an index term that shares trigrams with a query term.
type Candidate struct {
	Term string
	Docs int // documents holding it, 0 when unknown
}

// MaxAlternatives bounds how many close terms stand in for one word.
const MaxAlternatives = 4

// MaxEdits is how many single-letter edits a term of n runes may be away
// from a query term and still count as the same word misspelt.
func MaxEdits(n int) int {
	switch {
	case n <= 3:
		return 0
	case n <= 6:
		return 1
	default:
		return 2
	}
}

// EditDistance is the Levenshtein distance between a and b in runes.
func EditDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// Close returns up to n candidates close to term, closest first, then the
// most frequent, then alphabetical. A candidate is close when it is within
// MaxEdits of term, or of as many first letters of word (the reader's word
// as typed, whose stem a misspelling may hide: шайлло is not stemmed, but
// its start шайлл is one letter from the stem шайла).
func Close(term, word string, cands []Candidate, n int) []string {
	limit := MaxEdits(utf8.RuneCountInString(term))
	wr := []rune(search.Normalize(word))
	type scored struct {
		Candidate
		d int
	}
	var keep []scored
	seen := map[string]bool{}
	for _, c := range cands {
		if seen[c.Term] || c.Term == "" {
			continue
		}
		seen[c.Term] = true
		d := distance(term, wr, c.Term)
		if d <= max(limit, MaxEdits(len(wr))) {
			keep = append(keep, scored{c, d})
		}
	}
	sort.Slice(keep, func(i, j int) bool {
		a, b := keep[i], keep[j]
		if a.d != b.d {
			return a.d < b.d
		}
		if a.Docs != b.Docs {
			return a.Docs > b.Docs
		}
		return a.Term < b.Term
	})
	var out []string
	for _, k := range keep {
		if len(out) == n {
			break
		}
		out = append(out, k.Term)
	}
	return out
}

// Distance is how far candidate is from term as Close orders candidates:
// its edit distance from term, or from as many first letters of word
// when that is closer.
func Distance(term, word, candidate string) int {
	return distance(term, []rune(search.Normalize(word)), candidate)
}

func distance(term string, wr []rune, candidate string) int {
	d := EditDistance(term, candidate)
	if cl := utf8.RuneCountInString(candidate); cl >= 4 && cl < len(wr) {
		if pd := EditDistance(string(wr[:cl]), candidate); pd <= MaxEdits(cl) && pd < d {
			d = pd
		}
	}
	return d
}

// Fuzzy is a query relaxed to close spellings: every group must match, by
// any of its terms; no excluded clause may match.
type Fuzzy struct {
	Groups  [][]string
	Words   []string // the reader's word behind each group
	Exclude []search.Clause
}

// Relax builds the fuzzy form of q. near lists the index terms sharing
// trigrams with a term or with the reader's word (the term itself among
// them when it is indexed).
// A word that is indexed stays as it is; one that is not is replaced by
// its close terms, or dropped when it has none; phrases are loosened to
// their words. ok is false when that changes nothing or leaves nothing.
func Relax(q search.Query, near func(term, word string) ([]Candidate, error)) (f Fuzzy, ok bool, err error) {
	changed := false
	have := map[string]bool{}
	for _, c := range q.Include {
		if len(c.Terms) > 1 {
			changed = true // a phrase becomes its words
		}
		for _, t := range c.Terms {
			if have[t] {
				continue
			}
			have[t] = true
			word := c.Text
			if len(c.Terms) > 1 {
				word = t
			}
			cands, err := near(t, word)
			if err != nil {
				return Fuzzy{}, false, err
			}
			exact := false
			for _, cd := range cands {
				if cd.Term == t {
					exact = true
					break
				}
			}
			var group []string
			if exact {
				group = []string{t}
			} else {
				changed = true
				// a set of alternatives: in the order of the alphabet, so
				// that it does not show whether the store counted the
				// documents of terms that all fit (Candidate.Docs 0)
				group = Close(t, word, cands, MaxAlternatives)
				slices.Sort(group)
			}
			if len(group) > 0 {
				f.Groups = append(f.Groups, group)
				f.Words = append(f.Words, word)
			}
		}
	}
	f.Exclude = q.Exclude
	return f, changed && len(f.Groups) > 0, nil
}

// FTS5 renders f as an FTS5 MATCH expression of quoted terms.
func (f Fuzzy) FTS5() string {
	groups := make([]string, len(f.Groups))
	for i, g := range f.Groups {
		qs := make([]string, len(g))
		for j, t := range g {
			qs[j] = Quote(t)
		}
		groups[i] = "(" + strings.Join(qs, " OR ") + ")"
	}
	out := "(" + strings.Join(groups, " AND ") + ")"
	for _, c := range f.Exclude {
		out += " NOT " + Quote(strings.Join(c.Terms, " "))
	}
	return out
}

// TSQuery renders f as tsquery text.
func (f Fuzzy) TSQuery() string {
	var parts []string
	for _, g := range f.Groups {
		qs := make([]string, len(g))
		for j, t := range g {
			qs[j] = TSQuote(t)
		}
		parts = append(parts, "( "+strings.Join(qs, " | ")+" )")
	}
	for _, c := range f.Exclude {
		qs := make([]string, len(c.Terms))
		for j, t := range c.Terms {
			qs[j] = TSQuote(t)
		}
		parts = append(parts, "!( "+strings.Join(qs, " <-> ")+" )")
	}
	return strings.Join(parts, " & ")
}

// Query is f as a search.Query for snippets: each group's terms count as
// matches.
func (f Fuzzy) Query(lang jarchy.Lang) search.Query {
	q := search.Query{Lang: lang}
	for i, g := range f.Groups {
		for _, t := range g {
			q.Include = append(q.Include, search.Clause{Text: f.Words[i], Terms: []string{t}})
		}
	}
	return q
}

// Suggestion spells f as the reader might have meant it: each group's
// word as it appears in the found articles (the first word form in their
// titles, leads and bodies whose term is in the group).
func (f Fuzzy) Suggestion(lang jarchy.Lang, found []*jarchy.Article) string {
	words := make([]string, len(f.Groups))
	for i, g := range f.Groups {
		words[i] = f.Words[i]
		if len(g) == 1 && g[0] == wordTerm(lang, f.Words[i]) {
			continue // the reader's own word
		}
		in := map[string]bool{}
		for _, t := range g {
			in[t] = true
		}
	search:
		for _, a := range found {
			for _, text := range []string{a.Title, a.Lead, a.Body} {
				for _, tok := range search.Analyze(a.Lang, text) {
					if in[tok.Term] {
						words[i] = strings.ToLower(tok.Text)
						break search
					}
				}
			}
		}
	}
	return strings.Join(words, " ")
}

func wordTerm(lang jarchy.Lang, w string) string {
	ts := search.Terms(lang, w)
	if len(ts) == 1 {
		return ts[0]
	}
	return ""
}
