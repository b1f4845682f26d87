package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// Query size bounds: longer queries are cut, never rejected.
const (
	MaxQueryRunes  = 256
	MaxQueryTerms  = 32
	minPrefixRunes = 2
)

// Query is a parsed reader query: analysed terms only, never engine
// syntax. Render it with FTS5 or TSQuery.
type Query struct {
	Lang      jarchy.Lang
	Include   []Clause // all must match
	Exclude   []Clause // none may match
	Truncated bool     // the query was cut to MaxQueryRunes / MaxQueryTerms
}

// Clause is one word or one exact phrase.
type Clause struct {
	Text  string   // what the reader wrote (for display)
	Terms []string // one term, or a phrase of adjacent terms
	// Prefixes, when set, makes the clause a prefix match of a single
	// word being typed: any of these term prefixes.
	Prefixes []string
}

// Empty reports whether the query has nothing to search for: no words,
// only stop words, or only exclusions.
func (q Query) Empty() bool { return len(q.Include) == 0 }

// ParseQuery analyses a reader's query: words, "exact phrases",
// -exclusions (-word, -"a phrase"), and a prefix match on the last word
// when the query does not end in a space (search as you type). Anything
// else, engine operators included, is just text. Invalid UTF-8 is
// repaired and the query is cut to MaxQueryRunes runes and MaxQueryTerms
// terms.
func ParseQuery(lang jarchy.Lang, q string) Query {
	if !lang.Valid() {
		lang = jarchy.DefaultLang
	}
	out := Query{Lang: lang}
	q = strings.ToValidUTF8(q, " ")
	if utf8.RuneCountInString(q) > MaxQueryRunes {
		r := []rune(q)
		q = string(r[:MaxQueryRunes])
		out.Truncated = true
	}
	nterms := 0
	add := func(c Clause, exclude bool) {
		if len(c.Terms) == 0 {
			return
		}
		if nterms+len(c.Terms) > MaxQueryTerms {
			out.Truncated = true
			return
		}
		nterms += len(c.Terms)
		if exclude {
			out.Exclude = append(out.Exclude, c)
		} else {
			out.Include = append(out.Include, c)
		}
	}
	endsOpen := q != "" && !unicode.IsSpace(lastRune(q))
	i := 0
	for i < len(q) {
		r, size := utf8.DecodeRuneInString(q[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		exclude := false
		if r == '-' && i+size < len(q) {
			next, _ := utf8.DecodeRuneInString(q[i+size:])
			if next == '"' || isWordRune(next) {
				exclude = true
				i += size
				r, size = next, 1
			}
		}
		if r == '"' {
			// exact phrase up to the closing quote (or the end)
			j := strings.IndexByte(q[i+1:], '"')
			var body string
			if j < 0 {
				body, i = q[i+1:], len(q)
			} else {
				body, i = q[i+1:i+1+j], i+1+j+1
			}
			add(phraseClause(lang, body), exclude)
			continue
		}
		// a bare word: up to the next space or quote
		j := i
		for j < len(q) {
			r2, s2 := utf8.DecodeRuneInString(q[j:])
			if unicode.IsSpace(r2) || r2 == '"' {
				break
			}
			j += s2
		}
		word := q[i:j]
		last := j == len(q) && endsOpen && !exclude
		i = j
		clauses := wordClauses(lang, word)
		if last && len(clauses) == 0 {
			// a stop word being typed may be the start of a longer word
			if f := foldWord(word); utf8.RuneCountInString(f) >= minPrefixRunes && isWordRune(lastRune(word)) {
				add(Clause{Text: word, Terms: []string{f}, Prefixes: []string{f}}, false)
				continue
			}
		}
		for _, c := range clauses {
			add(c, exclude)
		}
		if last && len(out.Include) > 0 {
			c := &out.Include[len(out.Include)-1]
			if len(c.Terms) == 1 && c.Text != "" && strings.HasSuffix(word, c.Text) {
				c.Prefixes = prefixesFor(lang, c.Text, c.Terms[0])
			}
		}
	}
	return out
}

// foldWord folds a word and keeps only its letters and digits.
func foldWord(s string) string {
	f, _ := repairHomoglyphs(fold(s))
	return strings.Map(func(r rune) rune {
		if isWordRune(r) {
			return r
		}
		return -1
	}, f)
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// wordClauses analyses one space-free piece of the query: each word is a
// clause; a word that analyses into several terms (оюн-зоок, KOICAнын
// with a content suffix) becomes a phrase.
func wordClauses(lang jarchy.Lang, s string) []Clause {
	var out []Clause
	analyzeWords(lang, s, func(toks []Token) {
		if len(toks) > 1 && strings.ContainsAny(toks[len(toks)-1].Text, "-\u2010\u2011") {
			toks = toks[:len(toks)-1] // the joined whole of a hyphenated word
		}
		var c Clause
		for _, t := range toks {
			if t.Term != "" {
				c.Terms = append(c.Terms, t.Term)
			}
		}
		if len(c.Terms) > 0 {
			c.Text = s[toks[0].Start:toks[len(toks)-1].End]
			out = append(out, c)
		}
	})
	return out
}

// phraseClause analyses the text of a quoted phrase into one clause of
// adjacent terms (stop words are not indexed, so they are left out).
func phraseClause(lang jarchy.Lang, s string) Clause {
	c := Clause{Text: strings.TrimSpace(s)}
	analyzeWords(lang, s, func(toks []Token) {
		if len(toks) > 1 && strings.ContainsAny(toks[len(toks)-1].Text, "-\u2010\u2011") {
			toks = toks[:len(toks)-1]
		}
		for _, t := range toks {
			if t.Term != "" {
				c.Terms = append(c.Terms, t.Term)
			}
		}
	})
	return c
}

// prefixesFor gives the index-term prefixes a word being typed may be the
// start of: its stem, and the folded word without trailing vowels (шайло
// → шайл, which prefixes the stem шайла of шайлоо).
func prefixesFor(lang jarchy.Lang, text, term string) []string {
	var out []string
	addp := func(p string) {
		if utf8.RuneCountInString(p) < minPrefixRunes {
			return
		}
		for _, x := range out {
			if x == p {
				return
			}
		}
		out = append(out, p)
	}
	addp(term)
	f, _ := repairHomoglyphs(fold(text))
	if !strings.ContainsAny(f, "-\u2010\u2011'") {
		r := []rune(f)
		for len(r) > 0 && (isKyVowel(r[len(r)-1]) || strings.ContainsRune("aeiouy", r[len(r)-1])) {
			r = r[:len(r)-1]
		}
		addp(string(r))
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

// Terms lists the distinct terms the query looks for (not the excluded
// ones), for highlighting and ranking.
func (q Query) Terms() []string {
	var out []string
	seen := map[string]bool{}
	for _, c := range q.Include {
		for _, t := range c.Terms {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	return out
}

// FTS5 renders the query as an SQLite FTS5 MATCH expression, or "" when
// the query is empty (then run no search). Every term is a quoted string,
// so nothing the reader typed is read as FTS5 syntax.
func (q Query) FTS5() string {
	if q.Empty() {
		return ""
	}
	var b strings.Builder
	b.WriteString("(")
	for i, c := range q.Include {
		if i > 0 {
			b.WriteString(" AND ")
		}
		b.WriteString(c.fts5())
	}
	b.WriteString(")")
	for _, c := range q.Exclude {
		b.WriteString(" NOT ")
		b.WriteString(c.fts5())
	}
	return b.String()
}

func fts5Quote(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

// prefixMatch is what a prefix clause matches, without the alternatives
// another prefix already covers: 'көмүр' | 'көмүр':* | 'көмүрд':* is
// 'көмүр':* alone. The engines then merge fewer posting lists, and a term
// found by two alternatives no longer counts twice in the ranking.
func (c Clause) prefixMatch() (terms, prefixes []string) {
	covered := func(s string, self int) bool {
		for i, p := range c.Prefixes {
			if i != self && strings.HasPrefix(s, p) && (len(p) < len(s) || self < 0 || i < self) {
				return true
			}
		}
		return false
	}
	if !covered(c.Terms[0], -1) {
		terms = c.Terms[:1]
	}
	for i, p := range c.Prefixes {
		if !covered(p, i) {
			prefixes = append(prefixes, p)
		}
	}
	return terms, prefixes
}

func (c Clause) fts5() string {
	if len(c.Prefixes) > 0 {
		terms, prefixes := c.prefixMatch()
		parts := make([]string, 0, len(prefixes)+1)
		for _, t := range terms {
			parts = append(parts, fts5Quote(t))
		}
		for _, p := range prefixes {
			parts = append(parts, fts5Quote(p)+"*")
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "(" + strings.Join(parts, " OR ") + ")"
	}
	if len(c.Terms) == 1 {
		return fts5Quote(c.Terms[0])
	}
	// a phrase: one FTS5 string of several tokens
	return fts5Quote(strings.Join(c.Terms, " "))
}

// TSQuery renders the query as PostgreSQL tsquery text for
// to_tsquery('simple', $1) (or $1::tsquery), or "" when the query is
// empty. Every lexeme is single-quoted and escaped.
func (q Query) TSQuery() string {
	if q.Empty() {
		return ""
	}
	var parts []string
	for _, c := range q.Include {
		parts = append(parts, c.tsquery())
	}
	for _, c := range q.Exclude {
		parts = append(parts, "!"+c.tsquery())
	}
	return strings.Join(parts, " & ")
}

func tsQuote(t string) string {
	t = strings.ReplaceAll(t, `\`, `\\`)
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

func (c Clause) tsquery() string {
	if len(c.Prefixes) > 0 {
		terms, prefixes := c.prefixMatch()
		parts := make([]string, 0, len(prefixes)+1)
		for _, t := range terms {
			parts = append(parts, tsQuote(t))
		}
		for _, p := range prefixes {
			parts = append(parts, tsQuote(p)+":*")
		}
		if len(parts) == 1 {
			return parts[0]
		}
		return "( " + strings.Join(parts, " | ") + " )"
	}
	if len(c.Terms) == 1 {
		return tsQuote(c.Terms[0])
	}
	qs := make([]string, len(c.Terms))
	for i, t := range c.Terms {
		qs[i] = tsQuote(t)
	}
	return "( " + strings.Join(qs, " <-> ") + " )"
}
