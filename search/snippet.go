package search

import (
	"golang.org/x/text/unicode/norm"
	"html"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Segment is a piece of a snippet; Match marks an original word form that
// matched the query.
type Segment struct {
	Text  string
	Match bool
}

// DefaultSnippetRunes is the snippet length used when 0 is given.
const DefaultSnippetRunes = 200

// Snippet returns an excerpt of text (plain text, not Markdown) of about
// maxRunes runes around the place where the most distinct query terms
// occur, split into segments with the matching original word forms
// marked. With no match it returns the start of the text. Segments of
// the excerpt join to a substring of text, with "…" segments added where
// the excerpt was cut.
func (q Query) Snippet(text string, maxRunes int) []Segment {
	if maxRunes <= 0 {
		maxRunes = DefaultSnippetRunes
	}
	text = strings.ToValidUTF8(text, "\uFFFD")
	var hits []hit
	if !q.Empty() {
		terms := map[string]bool{}
		var prefixes []string
		initials := map[rune]bool{}
		for _, c := range q.Include {
			for _, t := range c.Terms {
				terms[t] = true
				initials[firstRune(t)] = true
			}
			for _, p := range c.Prefixes {
				initials[firstRune(p)] = true
			}
			prefixes = append(prefixes, c.Prefixes...)
		}
		var toks []Token
		scanWords(text, func(start, end int) {
			if snippetFilter(text[start:end], initials) {
				toks = analyzeChunk(q.Lang, text, start, end, toks)
			}
		})
		for _, t := range toks {
			if t.Term == "" {
				continue
			}
			n := len(hits)
			if n > 0 && t.Start < hits[n-1].end {
				// the joined whole of a hyphenated word after its parts:
				// mark the whole word once if any part matched
				j := n
				for j > 0 && hits[j-1].start >= t.Start {
					j--
				}
				if j < n {
					term := hits[j].term
					hits = append(hits[:j], hit{t.Start, t.End, term})
				}
				continue
			}
			ok := terms[t.Term]
			for _, p := range prefixes {
				ok = ok || strings.HasPrefix(t.Term, p)
			}
			if ok {
				hits = append(hits, hit{t.Start, t.End, t.Term})
			}
		}
	}

	// the window of about maxRunes runes, starting a little before the
	// hit from which the most distinct terms follow
	winStart, winEnd, anchorEnd := 0, 0, 0
	if len(hits) > 0 {
		best, bestN := 0, -1
		for i := range hits {
			seen := map[string]bool{}
			limit := advanceRunes(text, hits[i].start, maxRunes)
			for j := i; j < len(hits) && hits[j].end <= limit; j++ {
				seen[hits[j].term] = true
			}
			if len(seen) > bestN {
				best, bestN = i, len(seen)
			}
		}
		anchor := hits[best].start
		anchorEnd = hits[best].end
		winStart = backRunes(text, anchor, maxRunes/4)
		if winStart > 0 {
			if idx := strings.IndexFunc(text[winStart:anchor], unicode.IsSpace); idx >= 0 {
				winStart += idx
			} else {
				winStart = anchor
			}
		}
	}
	winEnd = advanceRunes(text, winStart, maxRunes)
	if winEnd < anchorEnd {
		winEnd = anchorEnd
	}
	if winEnd < len(text) {
		if cut := strings.LastIndexFunc(text[winStart:winEnd], unicode.IsSpace); cut > 0 && winStart+cut >= anchorEnd {
			winEnd = winStart + cut
		}
	}
	var segs []Segment
	emit := func(s string, m bool) {
		if s == "" {
			return
		}
		if n := len(segs); n > 0 && segs[n-1].Match == m && !m {
			segs[n-1].Text += s
			return
		}
		segs = append(segs, Segment{Text: s, Match: m})
	}
	if winStart > 0 {
		emit("…", false)
	}
	pos := winStart
	for _, h := range hits {
		if h.start < winStart || h.end > winEnd {
			continue
		}
		if pos == winStart {
			emit(strings.TrimLeftFunc(text[pos:h.start], unicode.IsSpace), false)
		} else {
			emit(text[pos:h.start], false)
		}
		emit(text[h.start:h.end], true)
		pos = h.end
	}
	tail := strings.TrimRightFunc(text[pos:winEnd], unicode.IsSpace)
	if pos == winStart {
		tail = strings.TrimLeftFunc(tail, unicode.IsSpace)
	}
	emit(tail, false)
	if winEnd < len(text) {
		emit(" …", false)
	}
	return segs
}

type hit struct {
	start, end int
	term       string
}

// snippetFilter is mayStartTerm (a variable for the test that compares
// snippets with and without it).
var snippetFilter = mayStartTerm

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// mayStartTerm tells whether a run of word runes from scanWords can hold a
// term starting with one of initials: the analyser keeps a word's first
// letter, folded (lower case, variant letters fixed, Latin look-alikes
// made Cyrillic), and a hyphenated word's parts each start a term. A run
// mixing Latin and Cyrillic letters is split at script changes, so it is
// always analysed. Snippets skip the analysis of every other word.
func mayStartTerm(chunk string, initials map[rune]bool) bool {
	latin, cyr, normal := false, false, false
	partStart := true
	for _, r := range chunk {
		basic := r < 0x80 || r >= 0x400 && r <= 0x482 || r >= 0x48A && r <= 0x4FF // NFC as they are, no marks
		if !basic && !normal {
			if !norm.NFC.IsNormalString(chunk) {
				return true // NFC may change its letters (ά, 가, compatibility ideographs)
			}
			normal = true
		}
		if !basic && unicode.IsMark(r) {
			return true // composed with the letter before it (NFC)
		}
		if partStart {
			lower := unicode.ToLower(r)
			fixed, ok := letterFix[lower]
			if !ok {
				fixed = lower
			}
			look, ok := latinToCyrillic[r]
			if !ok {
				look = lower
			}
			if initials[lower] || initials[fixed] || initials[unicode.ToLower(look)] {
				return true
			}
		}
		partStart = isHyphen(r)
		switch {
		case r < 0x80:
			latin = latin || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
		case basic:
			cyr = true
		case isCyrillic(r):
			cyr = true
		case isLatin(r):
			latin = true
		}
	}
	return latin && cyr
}

// SnippetHTML is Snippet as HTML: all text escaped, matches in <mark>.
func (q Query) SnippetHTML(text string, maxRunes int) string {
	var b strings.Builder
	for _, s := range q.Snippet(text, maxRunes) {
		if s.Match {
			b.WriteString("<mark>")
			b.WriteString(html.EscapeString(s.Text))
			b.WriteString("</mark>")
		} else {
			b.WriteString(html.EscapeString(s.Text))
		}
	}
	return b.String()
}

// advanceRunes returns the byte offset n runes after i (or len(s)).
func advanceRunes(s string, i, n int) int {
	for n > 0 && i < len(s) {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
		n--
	}
	return i
}

// backRunes returns the byte offset n runes before i (or 0).
func backRunes(s string, i, n int) int {
	for n > 0 && i > 0 {
		_, size := utf8.DecodeLastRuneInString(s[:i])
		i -= size
		n--
	}
	return i
}
