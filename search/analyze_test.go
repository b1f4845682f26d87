package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

func terms(lang jarchy.Lang, s string) string { return strings.Join(Terms(lang, s), " ") }

func TestRequiredConflations(t *testing.T) {
	cases := []struct {
		lang  jarchy.Lang
		words []string
	}{
		{jarchy.Kyrgyz, []string{"шайлоо", "шайлоодон", "шайлоолорго", "шайлоосунда", "Шайлоонун", "шайлоого"}},
		{jarchy.Kyrgyz, []string{"мамлекет", "мамлекетке", "мамлекеттин", "мамлекеттер"}},
		{jarchy.Kyrgyz, []string{"аймак", "аймагы", "аймагында", "аймактарда"}},
		{jarchy.Kyrgyz, []string{"бала", "балдар", "балдарга", "балага"}},
		{jarchy.Kyrgyz, []string{"Кыргызстан", "Кыргызстанда", "Кыргызстандын", "Кыргызстандан"}},
		{jarchy.Kyrgyz, []string{"талап", "талабы", "талаптар"}},
		{jarchy.Kyrgyz, []string{"жол", "жолдор", "жолу", "жолдун"}},
		{jarchy.Russian, []string{"выборы", "выборов", "выборах"}},
		{jarchy.English, []string{"election", "elections"}},
	}
	for _, c := range cases {
		want := terms(c.lang, c.words[0])
		for _, w := range c.words[1:] {
			if got := terms(c.lang, w); got != want {
				t.Errorf("%s: %q -> %q, want %q (as %q)", c.lang, w, got, want, c.words[0])
			}
		}
	}
	// -стан must survive: not Кыргызс + ablative
	if got := terms(jarchy.Kyrgyz, "Кыргызстан"); got != "кыргызстан" {
		t.Errorf("Кыргызстан -> %q", got)
	}
}

func TestNormalisation(t *testing.T) {
	same := [][2]string{
		{"сaйлoo", "сайлоо"}, // Latin a, o inside a Cyrillic word
		{"ЖAPДAM", "жардам"}, // upper-case Latin look-alikes
		{"шайлоо", "ШАЙЛОО"}, // case
		{"мӊ", "мң"},         // ӊ → ң
		{"кѳл", "көл"},       // ѳ → ө
		{"ёлка", "елка"},     // ё → е
		{"и\u0306ыл", "йыл"}, // NFD й → NFC
		{"Кыргызстaндa", "Кыргызстанда"},
	}
	for _, p := range same {
		a, b := terms(jarchy.Kyrgyz, p[0]), terms(jarchy.Kyrgyz, p[1])
		if a != b || a == "" {
			t.Errorf("%q -> %q, %q -> %q: want equal", p[0], a, p[1], b)
		}
	}
	if got := terms(jarchy.Russian, "Ёлки"); got != terms(jarchy.Russian, "елки") {
		t.Errorf("ё not folded in Russian: %q", got)
	}
}

func TestMixedScriptSplit(t *testing.T) {
	toks := Analyze(jarchy.Kyrgyz, "KOICAнын долбоору")
	if len(toks) != 3 {
		t.Fatalf("tokens = %+v", toks)
	}
	if toks[0].Text != "KOICA" || toks[0].Term != "koica" {
		t.Errorf("first = %+v", toks[0])
	}
	if toks[1].Text != "нын" || toks[1].Term != "" {
		t.Errorf("case ending = %+v, want no term", toks[1])
	}
	// a real Cyrillic word after a Latin one is kept as a word
	toks = Analyze(jarchy.Kyrgyz, "iPhoneшайлоо")
	if len(toks) != 2 || toks[1].Term != terms(jarchy.Kyrgyz, "шайлоо") {
		t.Errorf("iPhoneшайлоо = %+v", toks)
	}
	// acronym + suffix made of look-alikes only is split, not "repaired"
	toks = Analyze(jarchy.Kyrgyz, "OOHун")
	if len(toks) != 2 || toks[0].Term != "ooh" {
		t.Errorf("OOHун = %+v", toks)
	}
}

func TestHyphenAndNumbers(t *testing.T) {
	toks := Analyze(jarchy.Kyrgyz, "оюн-зоок 2020-жылы 1,2 млрд")
	var got []string
	for _, tk := range toks {
		got = append(got, tk.Text+"="+tk.Term)
	}
	want := "оюн=оюн зоок=зоок оюн-зоок=оюнзоок 2020=2020 жылы=жыл 1=1 2=2 млрд=млрд"
	if strings.Join(got, " ") != want {
		t.Errorf("got  %s\nwant %s", strings.Join(got, " "), want)
	}
}

func TestStopWords(t *testing.T) {
	for lang, w := range map[jarchy.Lang]string{jarchy.Kyrgyz: "жана", jarchy.Russian: "и", jarchy.English: "the"} {
		toks := Analyze(lang, w)
		if len(toks) != 1 || toks[0].Term != "" {
			t.Errorf("%s %q: %+v, want a stop word", lang, w, toks)
		}
		if !IsStopWord(lang, strings.ToUpper(w)) {
			t.Errorf("IsStopWord(%s, %q) = false", lang, w)
		}
	}
	if got := IndexText(jarchy.Kyrgyz, "Бишкек жана Ош"); got != "бишкек ош" {
		t.Errorf("IndexText = %q", got)
	}
}

func TestOffsetsAndInvalidUTF8(t *testing.T) {
	inputs := []string{
		"Бишкекте \xff\xfeшайлоо\x80өттү",
		"a\u0301b c-d-e 'x' don't",
		"\xe2\x82",
		strings.Repeat("ж", 500),
		"--- ''' -a- a'",
	}
	for _, in := range inputs {
		for _, lang := range jarchy.Langs {
			for _, tk := range Analyze(lang, in) {
				if tk.Start < 0 || tk.End > len(in) || tk.Start >= tk.End || in[tk.Start:tk.End] != tk.Text {
					t.Errorf("%q: bad offsets %+v", in, tk)
				}
				if !utf8.ValidString(tk.Text) || !utf8.ValidString(tk.Term) {
					t.Errorf("%q: invalid UTF-8 in %+v", in, tk)
				}
				if utf8.RuneCountInString(tk.Term) > MaxTermRunes {
					t.Errorf("term longer than %d runes", MaxTermRunes)
				}
				if strings.ContainsAny(tk.Term, " -'\t") {
					t.Errorf("term %q has a separator", tk.Term)
				}
			}
		}
	}
	toks := Analyze(jarchy.Kyrgyz, "Бишкекте \xffшайлоо")
	if len(toks) != 2 || toks[1].Text != "шайлоо" {
		t.Errorf("invalid byte must separate words: %+v", toks)
	}
}

func TestKyrgyzSuffixHarmony(t *testing.T) {
	// a suffix that breaks vowel harmony or consonant assimilation is not
	// a suffix: these misspelt forms are not taken for the root
	for _, p := range [][2]string{
		{"жолдар", "жол"}, {"үйлар", "үй"}, {"китепда", "китеп"}, {"Бишкекда", "Бишкек"},
		{"шаарлер", "шаар"}, {"мектепга", "мектеп"},
	} {
		if a, b := StemKyrgyz(fold(p[0])), StemKyrgyz(fold(p[1])); a == b {
			t.Errorf("%s stemmed like %s (%s) against harmony", p[0], p[1], a)
		}
	}
	pairs := [][2]string{
		{"куштар", "куш"}, {"тоолор", "тоо"}, {"күндөр", "күн"}, {"алмалар", "алма"},
		{"Бишкектин", "Бишкек"}, {"үйүнөн", "үй"}, {"атасына", "ата"},
		{"кайтарылды", "кайтар"}, {"келишти", "кел"}, {"окуучулар", "окуучу"},
	}
	for _, p := range pairs {
		if a, b := StemKyrgyz(fold(p[0])), StemKyrgyz(fold(p[1])); a != b {
			t.Errorf("%s -> %s, %s -> %s", p[0], a, p[1], b)
		}
	}
}
