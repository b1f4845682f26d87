package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"hash/fnv"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// StemEval is the result of measuring the Kyrgyz stemmer on gold data:
// how often a word form stems like its gold lemma, and how many distinct
// gold lemmas end up sharing one stem (over-conflation).
type StemEval struct {
	Name      string
	Total     int // evaluated tokens (or verb forms)
	Correct   int // form and gold lemma got the same stem
	Stems     int // distinct stems of the evaluated forms
	Conflated int // stems shared by more than one gold lemma
	Lemmas    int // distinct gold lemmas
	Misses    map[string]int
	// ConflatedStems lists stems shared by several lemmas, e.g.
	// "кыз: кыз кызыл".
	ConflatedStems []string
}

// Accuracy is the share of forms that stem like their lemma.
func (e StemEval) Accuracy() float64 { return ratio(e.Correct, e.Total) }

// ConflatedShare is the share of stems that more than one lemma maps to.
func (e StemEval) ConflatedShare() float64 { return ratio(e.Conflated, e.Stems) }

// LemmasPerStem is the mean number of distinct gold lemmas per stem.
func (e StemEval) LemmasPerStem() float64 { return float64(e.Lemmas) / float64(max(e.Stems, 1)) }

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// String gives a one-line summary.
func (e StemEval) String() string {
	return fmt.Sprintf("%-28s %5.1f %% of %5d forms stem like their lemma; over-conflation: %.1f %% of %d stems have >1 lemma, %.3f lemmas/stem",
		e.Name, 100*e.Accuracy(), e.Total, 100*e.ConflatedShare(), e.Stems, e.LemmasPerStem())
}

// TopMisses lists the n most frequent misses as "form→stem / lemma→stem".
func (e StemEval) TopMisses(n int) []string {
	type kv struct {
		k string
		v int
	}
	var xs []kv
	for k, v := range e.Misses {
		xs = append(xs, kv{k, v})
	}
	sort.Slice(xs, func(i, j int) bool { return xs[i].v > xs[j].v || xs[i].v == xs[j].v && xs[i].k < xs[j].k })
	var out []string
	for i := 0; i < len(xs) && i < n; i++ {
		out = append(out, fmt.Sprintf("%d× %s", xs[i].v, xs[i].k))
	}
	return out
}

// kyTerm is the Kyrgyz index term of one gold word as the analyser makes
// it (punctuation around it dropped, an acronym's case ending split off,
// hyphenated parts joined), stop words ignored (the stemmer itself is
// measured).
func kyTerm(w string, stem func(string) string) string {
	f, stemmed := kyWord(w)
	if !stemmed {
		return f
	}
	return stem(f)
}

// lemmaKey is a gold lemma as the evaluation counts it: folded, without
// the punctuation around it (“евразия is евразия).
func lemmaKey(lemma string) string {
	l, _ := repairHomoglyphs(fold(strings.TrimFunc(lemma, func(r rune) bool { return !isWordRune(r) })))
	return l
}

// kyWord is the folded word the stemmer sees for a gold word, and whether
// it is stemmed (acronyms are not).
func kyWord(w string) (string, bool) {
	w = strings.TrimFunc(w, func(r rune) bool { return !isWordRune(r) })
	if acr, ok := kyAcronym(w); ok {
		return fold(acr), utf8.RuneCountInString(acr) > kyAcronymMax
	}
	f, _ := repairHomoglyphs(fold(w))
	return strings.NewReplacer("-", "", "'", "").Replace(f), true
}

// noStem is the identity, for the no-stemming baseline.
func noStem(w string) string { return w }

type evalAcc struct {
	stem   func(string) string
	e      StemEval
	lemmas map[string]map[string]bool // stem -> lemmas
}

func newEvalAcc(name string, stem func(string) string) *evalAcc {
	if stem == nil {
		stem = StemKyrgyz
	}
	return &evalAcc{stem: stem, e: StemEval{Name: name, Misses: map[string]int{}}, lemmas: map[string]map[string]bool{}}
}

func (a *evalAcc) add(form, lemma string) {
	fs, ls := kyTerm(form, a.stem), kyTerm(lemma, a.stem)
	a.e.Total++
	if fs == ls {
		a.e.Correct++
	} else {
		f, _ := repairHomoglyphs(fold(form))
		l, _ := repairHomoglyphs(fold(lemma))
		a.e.Misses[f+"→"+fs+" / "+l+"→"+ls]++
	}
	m := a.lemmas[fs]
	if m == nil {
		m = map[string]bool{}
		a.lemmas[fs] = m
	}
	m[lemmaKey(lemma)] = true
}

func (a *evalAcc) result() StemEval {
	e := a.e
	e.Stems = len(a.lemmas)
	for stem, m := range a.lemmas {
		e.Lemmas += len(m)
		if len(m) > 1 {
			e.Conflated++
			var ls []string
			for l := range m {
				ls = append(ls, l)
			}
			sort.Strings(ls)
			e.ConflatedStems = append(e.ConflatedStems, stem+": "+strings.Join(ls, " "))
		}
	}
	sort.Strings(e.ConflatedStems)
	return e
}

// EvalCoNLLU measures the stemmer on the tokens of a CoNLL-U file whose
// UPOS is one of upos (e.g. NOUN, PROPN, ADJ).
func EvalCoNLLU(name string, r io.Reader, upos ...string) (StemEval, error) {
	return evalCoNLLU(name, r, nil, nil, upos...)
}

// Which sentences of a CoNLL-U file an evaluation reads.
var (
	allSentences = func(string) bool { return true }
	// ktmuTuning and ktmuHeldOut split UD KTMU train by sentence: a
	// sentence is held out when the FNV-1a hash of its sent_id is 0
	// modulo 10 (about one in ten: 134 of 1,258). Rules and the protected
	// stems are tuned on the rest only. The split was one in five until
	// the protected stems, measured with it, left the whole-file false
	// merges at 5.2 %; it was changed to one in ten after seeing that
	// result, so more sentences tune the protected stems.
	ktmuHeldOut = func(sentID string) bool { return heldOutSentence(sentID) }
	ktmuTuning  = func(sentID string) bool { return !heldOutSentence(sentID) }
)

func heldOutSentence(sentID string) bool {
	h := fnv.New32a()
	h.Write([]byte(sentID))
	return h.Sum32()%10 == 0
}

// evalCoNLLU measures stem (nil: StemKyrgyz) on the tokens of the
// sentences keep accepts (nil: all) whose UPOS is one of upos.
func evalCoNLLU(name string, r io.Reader, stem func(string) string, keep func(sentID string) bool, upos ...string) (StemEval, error) {
	acc := newEvalAcc(name, stem)
	if err := scanCoNLLU(r, keep, upos, acc.add); err != nil {
		return StemEval{}, fmt.Errorf("read %s: %w", name, err)
	}
	return acc.result(), nil
}

// scanCoNLLU calls fn with the form and lemma of each token of the
// sentences keep accepts (nil: all) whose UPOS is one of upos.
func scanCoNLLU(r io.Reader, keep func(sentID string) bool, upos []string, fn func(form, lemma string)) error {
	if keep == nil {
		keep = allSentences
	}
	want := map[string]bool{}
	for _, u := range upos {
		want[u] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	kept := true
	for sc.Scan() {
		line := sc.Text()
		if id, ok := strings.CutPrefix(line, "# sent_id = "); ok {
			kept = keep(strings.TrimSpace(id))
			continue
		}
		if line == "" || line[0] == '#' || !kept {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || strings.ContainsAny(f[0], "-.") || !want[f[3]] {
			continue
		}
		fn(f[1], f[2])
	}
	return sc.Err()
}

// EvalUniMorph measures the stemmer on UniMorph lines
// "lemma<TAB>form<TAB>features". Multi-word entries (жардам берүү,
// айдап жатат) are compared on the lexical verb: the word of the form at
// the position of the lemma's last word.
func EvalUniMorph(name string, r io.Reader) (StemEval, error) {
	return evalUniMorph(name, r, nil)
}

func evalUniMorph(name string, r io.Reader, stem func(string) string) (StemEval, error) {
	acc := newEvalAcc(name, stem)
	if err := scanUniMorph(r, acc.add); err != nil {
		return StemEval{}, fmt.Errorf("read %s: %w", name, err)
	}
	return acc.result(), nil
}

// scanUniMorph calls fn with the lexical verb of each form and lemma.
func scanUniMorph(r io.Reader, fn func(form, lemma string)) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 2 {
			continue
		}
		lw, fw := strings.Fields(f[0]), strings.Fields(f[1])
		if len(lw) == 0 || len(fw) < len(lw) {
			continue
		}
		fn(fw[len(lw)-1], lw[len(lw)-1])
	}
	return sc.Err()
}

// EvalKyrgyzGold runs the standard measurements on the gold data folder
// (../shared/kyrgyz): KTMU nominals and verbs (the whole file, then its
// tuning part), UniMorph verbs (tuning), and the held-out KTMU sentences
// and TueCL (nominals and verbs).
func EvalKyrgyzGold(dir string) ([]StemEval, error) { return evalKyrgyzGold(dir, nil) }

func evalKyrgyzGold(dir string, stem func(string) string) ([]StemEval, error) {
	type job struct {
		name, file string
		keep       func(string) bool
		upos       []string
	}
	const ktmu, tuecl = "ud-kyrgyz-ktmu/ky_ktmu-ud-train.conllu", "ud-kyrgyz-tuecl/ky_tuecl-ud-test.conllu"
	nominal, verb := []string{"NOUN", "PROPN", "ADJ"}, []string{"VERB"}
	jobs := []job{
		{"ktmu NOUN+PROPN+ADJ", ktmu, nil, nominal},
		{"ktmu VERB", ktmu, nil, verb},
		{"ktmu tuning NOUN+PROPN+ADJ", ktmu, ktmuTuning, nominal},
		{"ktmu tuning VERB", ktmu, ktmuTuning, verb},
		{"unimorph verbs", "unimorph-kir/kir", nil, nil},
		{"ktmu NOUN+PROPN+ADJ (held out)", ktmu, ktmuHeldOut, nominal},
		{"ktmu VERB (held out)", ktmu, ktmuHeldOut, verb},
		{"tuecl NOUN+PROPN+ADJ (held out)", tuecl, nil, nominal},
		{"tuecl VERB (held out)", tuecl, nil, verb},
	}
	var out []StemEval
	for _, j := range jobs {
		f, err := os.Open(filepath.Join(dir, j.file))
		if err != nil {
			return out, err
		}
		var e StemEval
		if j.upos == nil {
			e, err = evalUniMorph(j.name, f, stem)
		} else {
			e, err = evalCoNLLU(j.name, f, stem, j.keep, j.upos...)
		}
		f.Close()
		if err != nil {
			return out, err
		}
		out = append(out, e)
	}
	return out, nil
}

//go:embed testdata/ky-retrieval.tsv
var kyRetrievalCollection string

// WriteStemEval prints the Kyrgyz stemmer measurements for
// `jarchy stemeval`: the gold-data figures from dir (../shared/kyrgyz),
// each with its no-stemming baseline, and recall@10 on the package's own
// retrieval collection with and without stemming.
func WriteStemEval(w io.Writer, dir string) error {
	base, err := evalKyrgyzGold(dir, noStem)
	if err != nil {
		return fmt.Errorf("stemeval: %w", err)
	}
	evals, err := EvalKyrgyzGold(dir)
	if err != nil {
		return fmt.Errorf("stemeval: %w", err)
	}
	fmt.Fprintf(w, "Kyrgyz stemmer on %s (tuned on UniMorph and the KTMU sentences whose sent_id FNV-1a hash is not 0 mod 10; the others and TueCL held out)\n", dir)
	for i, e := range evals {
		fmt.Fprintf(w, "%s\n   no stemming: %.1f %%\n", e, 100*base[i].Accuracy())
	}
	for _, stem := range []bool{false, true} {
		r, err := EvalRetrieval(jarchy.Kyrgyz, strings.NewReader(kyRetrievalCollection), stem)
		if err != nil {
			return fmt.Errorf("stemeval: %w", err)
		}
		fmt.Fprintf(w, "retrieval collection: %s\n", r)
	}
	return nil
}
