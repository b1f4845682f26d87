package search

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"
)

// The protected stems (ky_protected.go) are words the suffix rules must
// not cut into: катыш (take part) is not кат (letter) + -ыш, мектеп is
// not мекте + -п. They are chosen from the lemmas of the tuning part of
// UD Kyrgyz-KTMU (never its held-out sentences) by WriteProtectedStems,
// which `go generate ./search` runs: a lemma is kept when protecting it
// merges fewer gold lemmas into one stem and costs no form its lemma's
// stem (KTMU nominals and verbs and UniMorph verbs counted), or brings
// forms to their lemma's stem and merges no more.

// goldPair is one form with its gold lemma.
type goldPair struct {
	group    int    // pairs of a group share stems: KTMU nominals, KTMU verbs, UniMorph
	nf, nl   string // the folded form and lemma the stemmer sees
	sf, sl   bool   // whether each is stemmed (an acronym is not)
	key      string // the lemma as the evaluation counts it
	fs, ls   string // current terms of form and lemma
	affected bool
}

// tuningPairs reads the pairs protection is chosen on.
func tuningPairs(dir string) ([]goldPair, error) {
	var pairs []goldPair
	add := func(group int) func(form, lemma string) {
		return func(form, lemma string) {
			p := goldPair{group: group}
			p.nf, p.sf = kyWord(form)
			p.nl, p.sl = kyWord(lemma)
			p.key = lemmaKey(lemma)
			pairs = append(pairs, p)
		}
	}
	read := func(file string, scan func(io.Reader) error) error {
		f, err := os.Open(filepath.Join(dir, file))
		if err != nil {
			return err
		}
		defer f.Close()
		if err := scan(f); err != nil {
			return fmt.Errorf("read %s: %w", file, err)
		}
		return nil
	}
	const ktmu = "ud-kyrgyz-ktmu/ky_ktmu-ud-train.conllu"
	for g, upos := range [][]string{{"NOUN", "PROPN", "ADJ"}, {"VERB"}} {
		err := read(ktmu, func(r io.Reader) error { return scanCoNLLU(r, ktmuTuning, upos, add(g)) })
		if err != nil {
			return nil, err
		}
	}
	if err := read("unimorph-kir/kir", func(r io.Reader) error { return scanUniMorph(r, add(2)) }); err != nil {
		return nil, err
	}
	return pairs, nil
}

// protectChoice scores protected sets on the tuning pairs, keeping the
// count of stems with more than one lemma and of forms that stem like
// their lemma up to date as pairs change.
type protectChoice struct {
	pairs     []goldPair
	set       map[string]bool
	lemmas    [3]map[string]map[string]int // group → stem → lemma → forms
	conflated int
	correct   int
}

func newProtectChoice(pairs []goldPair) *protectChoice {
	c := &protectChoice{pairs: pairs, set: map[string]bool{}}
	for g := range c.lemmas {
		c.lemmas[g] = map[string]map[string]int{}
	}
	for i := range pairs {
		c.restem(i)
		c.count(i, 1)
	}
	return c
}

func (c *protectChoice) term(w string, stemmed bool) string {
	if !stemmed {
		return w
	}
	return stemKyrgyz(w, c.set)
}

func (c *protectChoice) restem(i int) {
	p := &c.pairs[i]
	p.fs, p.ls = c.term(p.nf, p.sf), c.term(p.nl, p.sl)
}

// count adds (d = 1) or removes (d = -1) pair i from the tallies.
func (c *protectChoice) count(i, d int) {
	p := &c.pairs[i]
	m := c.lemmas[p.group][p.fs]
	if m == nil {
		m = map[string]int{}
		c.lemmas[p.group][p.fs] = m
	}
	before := len(m) > 1
	m[p.key] += d
	if m[p.key] == 0 {
		delete(m, p.key)
	}
	if after := len(m) > 1; after != before {
		if after {
			c.conflated++
		} else {
			c.conflated--
		}
	}
	if p.fs == p.ls {
		c.correct += d
	}
}

// touches lists the pairs whose stems protecting w can change: those
// whose form or lemma begins with w (or with w's final к/п voiced).
func (c *protectChoice) touches(w string) []int {
	voiced := w
	if r, size := utf8.DecodeLastRuneInString(w); r == 'к' || r == 'п' {
		voiced = w[:len(w)-size] + map[rune]string{'к': "г", 'п': "б"}[r]
	}
	var out []int
	for i := range c.pairs {
		p := &c.pairs[i]
		if strings.HasPrefix(p.nf, w) || strings.HasPrefix(p.nl, w) ||
			strings.HasPrefix(p.nf, voiced) || strings.HasPrefix(p.nl, voiced) {
			out = append(out, i)
		}
	}
	return out
}

// toggle protects w (or stops protecting it) and restems what it touches.
func (c *protectChoice) toggle(w string, idx []int) {
	c.set[w] = !c.set[w]
	if !c.set[w] {
		delete(c.set, w)
	}
	for _, i := range idx {
		c.count(i, -1)
		c.restem(i)
		c.count(i, 1)
	}
}

// try toggles w and keeps the change when accept says so.
func (c *protectChoice) try(w string, accept func(dConflated, dCorrect int) bool) bool {
	idx := c.touches(w)
	conf, corr := c.conflated, c.correct
	c.toggle(w, idx)
	if accept(c.conflated-conf, c.correct-corr) {
		return true
	}
	c.toggle(w, idx)
	return false
}

// protectWeight is how many forms that stem like their lemma one stem
// fewer shared by several lemmas is worth.
const protectWeight = 2

// chooseProtectedStems picks the protected stems from the tuning pairs.
func chooseProtectedStems(pairs []goldPair) []string {
	c := newProtectChoice(pairs)
	freq := map[string]int{}
	for _, p := range pairs {
		if p.group < 2 && p.sl && utf8.RuneCountInString(p.nl) >= 2 {
			freq[p.nl]++
		}
	}
	cands := make([]string, 0, len(freq))
	for w := range freq {
		cands = append(cands, w)
	}
	slices.SortFunc(cands, func(a, b string) int { return cmp.Or(freq[b]-freq[a], strings.Compare(a, b)) })
	better := func(dConf, dCorr int) bool { return dConf <= 0 && protectWeight*-dConf+dCorr > 0 }
	for range 2 {
		for _, w := range cands {
			if !c.set[w] {
				c.try(w, better)
			}
		}
	}
	// drop what no longer earns its place
	chosen := make([]string, 0, len(c.set))
	for w := range c.set {
		chosen = append(chosen, w)
	}
	slices.SortFunc(chosen, func(a, b string) int { return cmp.Or(freq[a]-freq[b], strings.Compare(a, b)) })
	for _, w := range chosen {
		c.try(w, func(dConf, dCorr int) bool { return dConf <= 0 && protectWeight*-dConf+dCorr >= 0 })
	}
	// A lemma is a word of its own: protect a nominal lemma the rules cut
	// as if it were inflected (мекте|п, эсе|п, алт|ын) when that costs
	// nothing, so its forms cannot meet an unrelated stem later.
	var nouns []string
	for _, p := range pairs {
		if p.group == 0 && p.sl && utf8.RuneCountInString(p.nl) >= 3 && !c.set[p.nl] {
			var cut []string
			if stemKyOnce(splitIotated([]rune(p.nl)), false, false, 0, &cut); len(cut) > 0 {
				nouns = append(nouns, p.nl)
			}
		}
	}
	slices.Sort(nouns)
	for _, w := range slices.Compact(nouns) {
		c.try(w, func(dConf, dCorr int) bool { return dConf <= 0 && protectWeight*-dConf+dCorr >= 0 })
	}
	chosen = chosen[:0]
	for w := range c.set {
		chosen = append(chosen, w)
	}
	slices.Sort(chosen)
	return chosen
}

// WriteProtectedStems chooses the protected stems from the Kyrgyz gold
// data in dir and writes them as the Go source of ky_protected.go.
func WriteProtectedStems(w io.Writer, dir string) error {
	pairs, err := tuningPairs(dir)
	if err != nil {
		return fmt.Errorf("protected stems: %w", err)
	}
	stems := chooseProtectedStems(pairs)
	var b strings.Builder
	b.WriteString("// Code generated by `go generate ./search` (internal/kygen); DO NOT EDIT.\n\n")
	b.WriteString("package search\n\n")
	b.WriteString("// kyProtectedStems: see kyprotect.go. Chosen on the tuning part of\n")
	b.WriteString("// UD Kyrgyz-KTMU and UniMorph Kyrgyz (CC BY-SA).\n")
	b.WriteString("var kyProtectedStems = []string{\n")
	for _, s := range stems {
		fmt.Fprintf(&b, "\t%q,\n", s)
	}
	b.WriteString("}\n")
	_, err = io.WriteString(w, b.String())
	return err
}
