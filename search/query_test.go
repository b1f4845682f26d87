package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

func TestParseQuery(t *testing.T) {
	ky := jarchy.Kyrgyz
	q := ParseQuery(ky, `шайлоолорго "Жогорку Кеңеш" -депутаттар -"эл аралык" жана `)
	st := func(w string) string { return StemKyrgyz(fold(w)) }
	wantInc := [][]string{{st("шайлоолорго")}, {st("жогорку"), st("кеңеш")}}
	wantExc := [][]string{{st("депутаттар")}, {st("эл"), st("аралык")}}
	var inc, exc [][]string
	for _, c := range q.Include {
		inc = append(inc, c.Terms)
		if len(c.Prefixes) > 0 {
			t.Errorf("query ending in a space has a prefix clause: %+v", c)
		}
	}
	for _, c := range q.Exclude {
		exc = append(exc, c.Terms)
	}
	if !reflect.DeepEqual(inc, wantInc) || !reflect.DeepEqual(exc, wantExc) {
		t.Errorf("include %v exclude %v, want %v / %v", inc, exc, wantInc, wantExc)
	}

	// the last word being typed is a prefix
	q = ParseQuery(ky, "Бишкек шайло")
	last := q.Include[len(q.Include)-1]
	if len(last.Prefixes) == 0 || !strings.HasPrefix(st("шайлоо"), last.Prefixes[len(last.Prefixes)-1]) {
		t.Errorf("prefix clause = %+v; stem of шайлоо is %q", last, st("шайлоо"))
	}
	if q.Include[0].Prefixes != nil {
		t.Errorf("only the last word is a prefix")
	}

	// empty and stop-word-only queries are empty and render nothing
	for _, s := range []string{"", "   ", "жана ", `""`, "-шайлоо", "\"\" - -", "*:^()"} {
		q := ParseQuery(ky, s)
		if !q.Empty() || q.FTS5() != "" || q.TSQuery() != "" {
			t.Errorf("%q: want an empty query, got %+v fts5=%q ts=%q", s, q, q.FTS5(), q.TSQuery())
		}
	}

	// size bounds
	q = ParseQuery(ky, strings.Repeat("шайлоо ", 2000))
	if !q.Truncated || len(q.Terms()) > MaxQueryTerms {
		t.Errorf("10 KB query: truncated=%v terms=%d", q.Truncated, len(q.Terms()))
	}
	n := 0
	for _, c := range q.Include {
		n += len(c.Terms)
	}
	if n > MaxQueryTerms {
		t.Errorf("%d terms kept, max %d", n, MaxQueryTerms)
	}
}

func TestQueryRenderingIsQuoted(t *testing.T) {
	q := ParseQuery(jarchy.Kyrgyz, `NEAR(a b) title:x ^y "шайлоо`+"\xff"+`" -z* OR AND NOT`)
	f := q.FTS5()
	// every bare word of the output is an operator we wrote
	for _, w := range strings.FieldsFunc(f, func(r rune) bool { return strings.ContainsRune(` ()`, r) }) {
		if !strings.HasPrefix(w, `"`) && w != "AND" && w != "NOT" && w != "OR" {
			t.Errorf("unquoted token %q in FTS5 %q", w, f)
		}
	}
	// hand-built clauses with quotes are escaped
	hostile := Query{Lang: jarchy.Kyrgyz, Include: []Clause{{Terms: []string{`a"b`, `c'd\`}}}}
	if got := hostile.FTS5(); got != `("a""b c'd\")` {
		t.Errorf("FTS5 escaping: %s", got)
	}
	if got := hostile.TSQuery(); got != `( 'a"b' <-> 'c''d\\' )` {
		t.Errorf("tsquery escaping: %s", got)
	}
}

// TestPrefixAlternativesCovered: a word being typed matches its term and
// its prefixes; an alternative that another prefix covers is left out of
// the engine queries (same matches, fewer posting lists, no term counted
// twice in the ranking).
func TestPrefixAlternativesCovered(t *testing.T) {
	for _, c := range []struct{ text, ts, fts string }{
		{"тариф көмүрдү", `'тариф' & 'көмүр':*`, `("тариф" AND "көмүр"*)`},
		{"шайлоолорго", `( 'шайла':* | 'шайлоолорг':* )`, `(("шайла"* OR "шайлоолорг"*))`},
		{"тариф көмүрдү ", `'тариф' & 'көмүр'`, `("тариф" AND "көмүр")`},
	} {
		q := ParseQuery(jarchy.Kyrgyz, c.text)
		if got := q.TSQuery(); got != c.ts {
			t.Errorf("%q: TSQuery %s, want %s", c.text, got, c.ts)
		}
		if got := q.FTS5(); got != c.fts {
			t.Errorf("%q: FTS5 %s, want %s", c.text, got, c.fts)
		}
	}
}
