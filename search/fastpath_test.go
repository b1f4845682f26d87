package search

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// isWordRuneReference is isWordRune as the unicode package defines it; the
// fast path for ASCII and the Cyrillic block must agree with it.
func isWordRuneReference(r rune) bool {
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

func TestIsWordRuneMatchesUnicode(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if got, want := isWordRune(r), isWordRuneReference(r); got != want {
			t.Fatalf("isWordRune(%U) = %v, unicode says %v", r, got, want)
		}
	}
}

// checkFastPath analyses w (one run of word runes) by the fast path and by
// the full analysis, which must give the same tokens.
func checkFastPath(t *testing.T, w string) (fast bool) {
	t.Helper()
	for _, lang := range jarchy.Langs {
		slow := analyzeChunkSlow(lang, w, 0, len(w), nil)
		got := analyzeChunk(lang, w, 0, len(w), nil)
		if !slices.Equal(got, slow) {
			t.Fatalf("%s %q: fast path %+v, full analysis %+v", lang, w, got, slow)
		}
	}
	_, fast = plainWord(w)
	return fast
}

// TestPlainWordSameAsFullAnalysis compares the fast path with the full
// analysis on words made to sit on its edges: every letter of the Cyrillic
// block and ASCII, upper case first or inside, digits, look-alikes,
// acronyms, stop words.
func TestPlainWordSameAsFullAnalysis(t *testing.T) {
	words := []string{
		"шайлоо", "Шайлоо", "ШАЙЛОО", "шАйлоо", "ИДПнын", "КРдин", "Ошто", "ОшМУнун", "ЖК",
		"сaйлoo", "cайлоо", "Google", "google", "GOOGLE", "gOOgle", "KOICAнын", "USAнын", "2024",
		"2024жылы", "Бишкекте", "ёлка", "Ёлка", "ӊ", "үй", "Үй", "Өкмөт", "өкмөт", "Ңа", "жана",
		"и", "И", "the", "The", "а", "в", "В", "x", "X", "1", "о2", "O2", "й", "Й", "ъ", "Ь",
		strings.Repeat("ж", 80), "Ж" + strings.Repeat("а", 70), "hello" + strings.Repeat("o", 80),
	}
	for r := rune(0x400); r <= 0x4FF; r++ {
		if isWordRune(r) {
			words = append(words, string(r), string(r)+"ан", "ка"+string(r), string(r)+string(r))
		}
	}
	for r := rune('A'); r <= 'z'; r++ {
		if isWordRune(r) {
			words = append(words, string(r)+"ab", "ab"+string(r), string(r)+"аб")
		}
	}
	for _, w := range words {
		checkFastPath(t, w)
	}
	for _, w := range []string{"шайлоо", "Шайлоо", "Google", "2024жылы", "үй", "Өкмөт"} {
		if _, ok := plainWord(w); !ok {
			t.Errorf("%q should take the fast path", w)
		}
	}
	for _, w := range []string{"ШАЙЛОО", "ИДПнын", "сaйлoo", "ёлка", "gOOgle", "ӊ"} {
		if _, ok := plainWord(w); ok {
			t.Errorf("%q must take the full analysis", w)
		}
	}
}

// corpusWords returns the distinct runs of word runes of the shared
// Kyrgyz and Russian corpora (the test skips without them).
func corpusWords(t *testing.T) []string {
	dir := filepath.Join(sharedDir(t), "kyrgyz", "sib200-flores-ky-ru")
	var text strings.Builder
	for _, name := range []string{"kir_Cyrl_train.tsv", "rus_Cyrl_train.tsv"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Skipf("shared Kyrgyz data not found (set JARCHY_SHARED): %v", err)
		}
		text.Write(data)
	}
	all := text.String()
	seen := map[string]bool{}
	var words []string
	scanWords(all, func(start, end int) {
		if w := all[start:end]; !seen[w] {
			seen[w] = true
			words = append(words, w)
		}
	})
	return words
}

// TestPlainWordOnKyrgyzText runs every word of the shared Kyrgyz and
// Russian corpora through both paths.
func TestPlainWordOnKyrgyzText(t *testing.T) {
	words := corpusWords(t)
	fast := 0
	for _, w := range words {
		if checkFastPath(t, w) {
			fast++
		}
	}
	t.Logf("%d distinct words, %d by the fast path", len(words), fast)
	if fast < len(words)/2 {
		t.Fatalf("only %d of %d words took the fast path", fast, len(words))
	}
}

func FuzzPlainWord(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		scanWords(text, func(start, end int) { checkFastPath(t, text[start:end]) })
	})
}

// checkInitials: every term the analyser makes of the run w starts with a
// letter mayStartTerm expects from w, so snippets that skip the other
// words miss no match.
func checkInitials(t *testing.T, w string) {
	t.Helper()
	for _, lang := range jarchy.Langs {
		for _, tok := range analyzeChunkSlow(lang, w, 0, len(w), nil) {
			if tok.Term == "" {
				continue
			}
			if !mayStartTerm(w, map[rune]bool{firstRune(tok.Term): true}) {
				t.Fatalf("%s %q: term %q of %q starts with a letter the snippet filter does not expect", lang, w, tok.Term, tok.Text)
			}
		}
	}
}

func TestSnippetInitialsOnEdgeWords(t *testing.T) {
	for _, w := range []string{
		"шайлоо", "Шайлоо", "ИДПнын", "KOICAнын", "USAнын", "сaйлoo", "Aлмаз", "ёлка", "Ёлка", "Ӊ", "ѳ",
		"и\u0306ыл", "оюн-зоок", "Оюн-Зоок", "2020-жылы", "don't", "мага", "буга", "ага", "ошого", "менин",
		"Google", "ЖКнын", "ОшМУнун", "КРдин", "e\u0301cole", "\u0301a",
		"\u1F71λφα", "\u0958क", "\uF900", "\u1100\u1161", "가나",
	} {
		checkInitials(t, w)
	}
}

func TestSnippetInitialsOnCorpora(t *testing.T) {
	for _, w := range corpusWords(t) {
		checkInitials(t, w)
	}
}

// TestSnippetSameWithoutFilter: snippets of corpus sentences for queries
// made of their own words are the same as when every word is analysed.
func TestSnippetSameWithoutFilter(t *testing.T) {
	texts := []string{
		"Борбордук шайлоо комиссиясы шайлоонун жыйынтыгын жарыялады. Оюн-зоок программасы ИДПнын отчетунда жок.",
		"KOICAнын долбоору Нарында башталды; Ёлка жана ӊ тамгасы, сaйлoo деген сөз.",
		"Итоги выборов объявлены комиссией. Явка на выборах была высокой, сообщил Google.",
	}
	if data, err := os.ReadFile(filepath.Join(sharedDir(t), "kyrgyz", "sib200-flores-ky-ru", "kir_Cyrl_dev.tsv")); err == nil {
		texts = append(texts, strings.Split(string(data), "\n")[1:60]...)
	}
	for _, text := range texts {
		words := strings.Fields(text)
		for i := 0; i+1 < len(words); i += 3 {
			for _, qs := range []string{words[i] + " " + words[i+1], words[i], words[i][:len(words[i])/2]} {
				for _, lang := range []jarchy.Lang{jarchy.Kyrgyz, jarchy.Russian} {
					q := ParseQuery(lang, qs)
					got := q.SnippetHTML(text, 80)
					withAll := snippetAnalysingAll(q, text, 80)
					if got != withAll {
						t.Fatalf("%s %q in %q:\n filtered %s\n all      %s", lang, qs, text, got, withAll)
					}
				}
			}
		}
	}
}

// snippetAnalysingAll is SnippetHTML with a filter that lets every word through.
func snippetAnalysingAll(q Query, text string, maxRunes int) string {
	saved := snippetFilter
	snippetFilter = func(string, map[rune]bool) bool { return true }
	defer func() { snippetFilter = saved }()
	return q.SnippetHTML(text, maxRunes)
}
