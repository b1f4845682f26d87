// Package searchindex holds what the SQLite and PostgreSQL stores share
// about the search index: the analysed document of an article, the checks
// on a jarchy.SearchQuery, snippets, and the fuzzy fallback (close index
// terms found by trigrams, then kept by edit distance). The engines only
// ever see index terms produced by package search, quoted.
package searchindex

import (
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
	"github.com/jarchy/jarchy/markup"
	"github.com/jarchy/jarchy/search"
)

// Field weights for ranking (SQLite bm25 column weights; PostgreSQL maps
// them onto the four tsvector weights).
const (
	WeightTitle   = 10.0
	WeightLead    = 4.0
	WeightBody    = 1.0
	WeightTags    = 5.0
	WeightAuthors = 3.0
)

// Doc is an article as the index holds it: each field's index terms
// joined by spaces (search.IndexText), and the text snippets are taken
// from, for a store that keeps it.
type Doc struct {
	Title, Lead, Body, Tags, Authors string
	// SnippetText is SnippetSource(a.Body), the body's plain text (whose
	// index terms are Body) up to snippetSource bytes of Markdown.
	SnippetText string
}

// Indexed reports whether a belongs in the index at all: only published
// articles do (their publication time is checked at query time, so a
// scheduled article appears when its time comes).
func Indexed(a *jarchy.Article) bool { return a.Status == jarchy.StatusPublished }

// Build analyses a's fields in a's language. The body is Markdown: its
// text is taken without markup, so link targets and image addresses are
// not indexed.
func Build(a *jarchy.Article) Doc {
	tags := make([]string, len(a.Tags))
	for i, t := range a.Tags {
		tags[i] = t.Name
	}
	authors := make([]string, len(a.Authors))
	for i, au := range a.Authors {
		authors[i] = au.Name
	}
	plain := markup.Plain(a.Body, jarchy.MaxBodyLen)
	snippet := plain
	if len(a.Body) > snippetSource {
		snippet = SnippetSource(a.Body)
	}
	return Doc{
		Title:       search.IndexText(a.Lang, a.Title),
		Lead:        search.IndexText(a.Lang, a.Lead),
		Body:        search.IndexText(a.Lang, plain),
		Tags:        search.IndexText(a.Lang, strings.Join(tags, " ; ")),
		Authors:     search.IndexText(a.Lang, strings.Join(authors, " ; ")),
		SnippetText: snippet,
	}
}

// Terms returns the distinct terms of d (for the fuzzy vocabulary).
func (d Doc) Terms() []string {
	seen := map[string]bool{}
	var out []string
	for _, f := range []string{d.Title, d.Lead, d.Body, d.Tags, d.Authors} {
		for _, t := range strings.Fields(f) {
			if !seen[t] {
				seen[t] = true
				out = append(out, t)
			}
		}
	}
	sort.Strings(out)
	return out
}

// Plan is a checked SearchQuery.
type Plan struct {
	Query         search.Query
	Lang          jarchy.Lang // "" for every language
	SectionID     int64
	AuthorID      int64
	From, To      time.Time // zero: open
	ByDate        bool
	Limit, Offset int
	Now           time.Time
}

// Prepare checks q and parses its text; now is the store's clock, which
// decides what is public. Bad parameters are EINVALID; the
// text itself never is (search.ParseQuery repairs and bounds it).
func Prepare(q jarchy.SearchQuery, now time.Time) (Plan, error) {
	p := Plan{Lang: q.Lang, SectionID: q.SectionID, AuthorID: q.AuthorID, Limit: q.Limit, Offset: q.Offset,
		Now: now.UTC()}
	if q.Lang != "" && !q.Lang.Valid() {
		return p, jarchy.Invalid("lang", "err.lang", "unknown language %q", q.Lang)
	}
	switch q.Sort {
	case "", jarchy.SortRelevance:
	case jarchy.SortDate:
		p.ByDate = true
	default:
		return p, jarchy.Invalid("sort", "err.sort", "unknown sort %q (want relevance or date)", q.Sort)
	}
	switch {
	case q.Limit < 0:
		return p, jarchy.Invalid("limit", "err.limit", "negative limit")
	case q.Limit == 0:
		p.Limit = 20
	case q.Limit > 100:
		p.Limit = 100
	}
	if q.Offset < 0 || q.Offset > jarchy.MaxSearchOffset {
		return p, jarchy.Invalid("offset", "err.offset", "offset must be between 0 and %d", jarchy.MaxSearchOffset)
	}
	if q.SectionID < 0 || q.AuthorID < 0 {
		return p, jarchy.Invalid("filter", "err.filter", "negative id")
	}
	if !q.From.IsZero() {
		p.From = q.From.UTC()
	}
	if !q.To.IsZero() {
		p.To = q.To.UTC()
	}
	lang := q.Lang
	if lang == "" {
		lang = jarchy.DefaultLang
	}
	p.Query = search.ParseQuery(lang, q.Text)
	// A prefix of a word being typed that is shorter than MinPrefixRunes
	// matches too many terms to be worth it: the word itself still counts.
	for i := range p.Query.Include {
		c := &p.Query.Include[i]
		if len(c.Prefixes) == 0 {
			continue
		}
		var keep []string
		for _, pre := range c.Prefixes {
			if utf8.RuneCountInString(pre) >= MinPrefixRunes {
				keep = append(keep, pre)
			}
		}
		c.Prefixes = keep
	}
	return p, nil
}

// MinPrefixRunes is the shortest prefix the last, unfinished word of a
// query is matched by.
const MinPrefixRunes = 2

// snippetSource bounds how much of a body is turned into plain text for
// a snippet.
const snippetSource = 64 << 10

// SnippetRunes is the length of result snippets.
const SnippetRunes = 240

// Snippet is the highlighted excerpt of a's lead and body for q (safe HTML).
func Snippet(q search.Query, a *jarchy.Article) string {
	return SnippetOf(q, a.Lead, SnippetSource(a.Body))
}

// SnippetSource is the plain text of a Markdown body that snippets are
// taken from: that of its first snippetSource bytes.
func SnippetSource(body string) string {
	if len(body) > snippetSource {
		cut := snippetSource
		for cut > 0 && !utf8.RuneStart(body[cut]) {
			cut--
		}
		body = body[:cut]
	}
	return markup.Plain(body, jarchy.MaxBodyLen)
}

// SnippetOf is Snippet for an article's lead and the SnippetSource of its
// body.
func SnippetOf(q search.Query, lead, source string) string {
	text := lead
	if source != "" {
		if text != "" {
			text += " "
		}
		text += source
	}
	return windowSnippet(q, text, SnippetRunes)
}

// windowSnippet is q.SnippetHTML(text, maxRunes) for long texts made
// cheaper: analysing every word of a long body costs more than the rest of
// a search, so the analyser only sees a window around the place where the
// most query terms seem to occur (their first letters in lower case,
// capitalised or in capitals, found by a plain byte search).
func windowSnippet(q search.Query, text string, maxRunes int) string {
	span := maxRunes * 2 // bytes: about maxRunes Cyrillic letters
	if len(text) <= 4*span || q.Empty() {
		return q.SnippetHTML(text, maxRunes)
	}
	var probes []string
	for _, c := range q.Include {
		for _, t := range append(append([]string(nil), c.Terms...), c.Prefixes...) {
			r := []rune(t)
			if len(r) > 4 {
				r = r[:4]
			}
			if p := string(r); p != "" && !slices.Contains(probes, p) {
				probes = append(probes, p)
			}
		}
	}
	type hit struct {
		pos   int
		probe int
	}
	var hits []hit
	find := func(in, form string, probe int) (found bool) {
		for from, n := 0, 0; n < 64; n++ {
			j := strings.Index(in[from:], form)
			if j < 0 {
				break
			}
			hits, found = append(hits, hit{from + j, probe}), true
			from += j + len(form)
		}
		return found
	}
	lower := ""
	for i, p := range probes {
		r, size := utf8.DecodeRuneInString(p)
		forms := []string{p, string(unicode.ToUpper(r)) + p[size:], strings.ToUpper(p)}
		found := false
		for k, form := range forms {
			if !slices.Contains(forms[:k], form) && find(text, form, i) {
				found = true
			}
		}
		if !found { // in mixed case (ОшМУнун, YouTube): look in a lower-cased copy
			if lower == "" {
				lower = strings.ToLower(text)
			}
			if len(lower) == len(text) {
				find(lower, p, i)
			}
		}
	}
	if len(hits) == 0 {
		return q.SnippetHTML(text[:cutAt(text, span)], maxRunes) + " …"
	}
	sort.Slice(hits, func(i, j int) bool { return hits[i].pos < hits[j].pos })
	best, bestN := hits[0].pos, 0
	for i, h := range hits {
		seen := map[int]bool{}
		for _, h2 := range hits[i:] {
			if h2.pos > h.pos+span {
				break
			}
			seen[h2.probe] = true
		}
		if len(seen) > bestN {
			best, bestN = h.pos, len(seen)
		}
	}
	start := max(0, best-span/2)
	if start > 0 {
		if k := strings.IndexByte(text[start:best], ' '); k >= 0 {
			start += k + 1
		} else {
			start = best
		}
	}
	end := cutAt(text, start+2*span)
	if end < len(text) {
		if k := strings.LastIndexByte(text[best:end], ' '); k > 0 {
			end = best + k
		}
	}
	out := q.SnippetHTML(text[start:end], maxRunes)
	if start > 0 && !strings.HasPrefix(out, "…") {
		out = "… " + out
	}
	if end < len(text) && !strings.HasSuffix(out, "…") {
		out += " …"
	}
	return out
}

// cutAt returns the largest rune boundary of s not after i.
func cutAt(s string, i int) int {
	if i >= len(s) {
		return len(s)
	}
	for i > 0 && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

// Quote quotes an index term for FTS5 (terms hold letters and digits
// only, but quoting keeps any text inert).
func Quote(t string) string { return `"` + strings.ReplaceAll(t, `"`, `""`) + `"` }

// TSQuote quotes an index term as a tsquery lexeme.
func TSQuote(t string) string {
	t = strings.ReplaceAll(t, `\`, `\\`)
	return "'" + strings.ReplaceAll(t, "'", "''") + "'"
}

// FillSnippets computes the hits' snippets for q on all cores.
func FillSnippets(q search.Query, hits []jarchy.SearchHit) {
	FillSnippetsFrom(q, hits, nil)
}

// FillSnippetsFrom is FillSnippets with the SnippetSource of some hits'
// bodies known, by article id (the others are computed).
func FillSnippetsFrom(q search.Query, hits []jarchy.SearchHit, sources map[int64]string) {
	storeutil.Parallel(len(hits), func(i int) {
		a := hits[i].Article
		if src, ok := sources[a.ID]; ok {
			hits[i].Snippet = SnippetOf(q, a.Lead, src)
		} else {
			hits[i].Snippet = Snippet(q, a)
		}
	})
}
