package search

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"

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

// kyTerm is the Kyrgyz index term of one gold word, stop words ignored
// (the stemmer itself is measured).
func kyTerm(w string, stem func(string) string) string {
	f, _ := repairHomoglyphs(fold(w))
	f = strings.NewReplacer("-", "", "'", "").Replace(f)
	return stem(f)
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
	l, _ := repairHomoglyphs(fold(lemma))
	m[l] = true
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
	return evalCoNLLU(name, r, nil, upos...)
}

func evalCoNLLU(name string, r io.Reader, stem func(string) string, upos ...string) (StemEval, error) {
	acc := newEvalAcc(name, stem)
	want := map[string]bool{}
	for _, u := range upos {
		want[u] = true
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) < 4 || strings.ContainsAny(f[0], "-.") || !want[f[3]] {
			continue
		}
		acc.add(f[1], f[2])
	}
	if err := sc.Err(); err != nil {
		return StemEval{}, fmt.Errorf("read %s: %w", name, err)
	}
	return acc.result(), nil
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
		acc.add(fw[len(lw)-1], lw[len(lw)-1])
	}
	if err := sc.Err(); err != nil {
		return StemEval{}, fmt.Errorf("read %s: %w", name, err)
	}
	return acc.result(), nil
}

// EvalKyrgyzGold runs the standard measurements on the gold data folder
// (../shared/kyrgyz): KTMU nominals (tuning set), KTMU verbs, UniMorph
// verbs, and TueCL nominals and verbs (held out).
func EvalKyrgyzGold(dir string) ([]StemEval, error) { return evalKyrgyzGold(dir, nil) }

func evalKyrgyzGold(dir string, stem func(string) string) ([]StemEval, error) {
	type job struct {
		name, file string
		upos       []string
	}
	jobs := []job{
		{"ktmu NOUN+PROPN+ADJ", "ud-kyrgyz-ktmu/ky_ktmu-ud-train.conllu", []string{"NOUN", "PROPN", "ADJ"}},
		{"unimorph verbs", "unimorph-kir/kir", nil},
		{"ktmu VERB", "ud-kyrgyz-ktmu/ky_ktmu-ud-train.conllu", []string{"VERB"}},
		{"tuecl NOUN+PROPN+ADJ (held out)", "ud-kyrgyz-tuecl/ky_tuecl-ud-test.conllu", []string{"NOUN", "PROPN", "ADJ"}},
		{"tuecl VERB (held out)", "ud-kyrgyz-tuecl/ky_tuecl-ud-test.conllu", []string{"VERB"}},
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
			e, err = evalCoNLLU(j.name, f, stem, j.upos...)
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
	fmt.Fprintf(w, "Kyrgyz stemmer on %s (tuned on KTMU train and UniMorph; TueCL held out)\n", dir)
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
