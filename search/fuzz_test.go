package search

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

var fuzzSeeds = []string{
	"", "шайлоо", "Шайлоолорго жана KOICAнын оюн-зоок", "сaйлoo ЖAPДAM", "\xff\xfe\x80",
	"и\u0306ыл ё ӊ ѳ", "2020-жылы 1,2 млрд", "don't 'quoted'", "выборы выборов", "a-b-c-d--e",
	`"phrase" -excl NEAR(a b) title:x ^y *:() OR AND NOT`, "оюн-" + strings.Repeat("ж", 70),
	"\u0301\u0301a", "ю яя коюлду", "КМШнын ИДПнын",
}

func FuzzAnalyze(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, lang := range jarchy.Langs {
			prevStart := -1
			for _, tk := range Analyze(lang, text) {
				if tk.Start < 0 || tk.End > len(text) || tk.Start >= tk.End || text[tk.Start:tk.End] != tk.Text {
					t.Fatalf("bad token %+v", tk)
				}
				if tk.Start < prevStart && !strings.ContainsAny(tk.Text, "-\u2010\u2011") {
					t.Fatalf("tokens out of order at %+v", tk)
				}
				prevStart = tk.Start
				if !utf8.ValidString(tk.Term) || utf8.RuneCountInString(tk.Term) > MaxTermRunes {
					t.Fatalf("bad term %q", tk.Term)
				}
				for _, r := range tk.Term {
					if !isWordRune(r) {
						t.Fatalf("term %q has non-word rune %q", tk.Term, r)
					}
				}
			}
			idx := IndexText(lang, text)
			if !utf8.ValidString(idx) {
				t.Fatalf("IndexText invalid UTF-8")
			}
		}
	})
}

func FuzzParseQuery(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, lang := range jarchy.Langs {
			q := ParseQuery(lang, s)
			n := 0
			for _, c := range append(append([]Clause(nil), q.Include...), q.Exclude...) {
				n += len(c.Terms)
				if len(c.Terms) == 0 {
					t.Fatalf("empty clause in %+v", q)
				}
			}
			if n > MaxQueryTerms {
				t.Fatalf("%d terms", n)
			}
			fts, ts := q.FTS5(), q.TSQuery()
			if q.Empty() != (fts == "") || q.Empty() != (ts == "") {
				t.Fatalf("empty=%v fts=%q ts=%q", q.Empty(), fts, ts)
			}
			if !utf8.ValidString(fts) || !utf8.ValidString(ts) {
				t.Fatalf("invalid UTF-8 rendering")
			}
			// every quote in the FTS5 text opens or closes a term we wrote:
			// a balanced count means nothing escaped its quotes
			if strings.Count(fts, `"`)%2 != 0 || strings.Count(ts, `'`)%2 != 0 {
				t.Fatalf("unbalanced quoting: %q / %q", fts, ts)
			}
			_ = q.SnippetHTML(s, 50)
		}
	})
}
