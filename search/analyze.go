// Package search is jarchy's text analysis: one pipeline that turns article
// text and reader queries into index terms for Kyrgyz, Russian and English.
//
// The pipeline, per token: Unicode NFC and lower case; ӊ→ң, ѳ→ө, ё→е;
// Latin look-alike letters inside Cyrillic words repaired (сaйлoo →
// сайлоо); tokens mixing scripts split at the change (KOICAнын → koica +
// a Kyrgyz case ending); hyphenated words indexed as their parts and as
// the joined whole; stop words dropped (Term ""); stemming per language
// (Kyrgyz: this package's rule-based stemmer, Russian and English:
// Snowball).
//
// Both stores index the output of IndexText (FTS5 with the unicode61
// tokenizer and remove_diacritics 0; PostgreSQL to_tsvector('simple')) and
// query with ParseQuery + Query.FTS5 / Query.TSQuery, so ranking sees the
// same terms on either engine. Terms contain only letters and digits.
package search

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/jarchy/jarchy"
)

// Token is one word of analysed text.
type Token struct {
	Text  string // the original form, as it appears in the input
	Term  string // the index term; "" for a stop word
	Start int    // byte offset of Text in the input
	End   int    // byte offset just after Text
}

// MaxTermRunes bounds the length of one index term; longer words are cut.
const MaxTermRunes = 64

// Analyze splits text into tokens and gives each its index term. Invalid
// UTF-8 never panics: bad bytes separate words. Offsets refer to text.
func Analyze(lang jarchy.Lang, text string) []Token {
	var toks []Token
	scanWords(text, func(start, end int) {
		toks = analyzeChunk(lang, text, start, end, toks)
	})
	return toks
}

// analyzeWords calls fn with the tokens of each word of text (a run of
// letters and digits, joined by hyphens or apostrophes). The last token
// of a hyphenated word is the joined whole.
func analyzeWords(lang jarchy.Lang, text string, fn func(toks []Token)) {
	var buf []Token
	scanWords(text, func(start, end int) {
		buf = analyzeChunk(lang, text, start, end, buf[:0])
		fn(buf)
	})
}

// IndexText returns the index terms of text joined by single spaces, stop
// words left out: the document text the stores give FTS5 / tsvector.
func IndexText(lang jarchy.Lang, text string) string {
	var b strings.Builder
	for _, t := range Analyze(lang, text) {
		if t.Term == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(t.Term)
	}
	return b.String()
}

// Terms returns the non-empty index terms of text in order.
func Terms(lang jarchy.Lang, text string) []string {
	var out []string
	for _, t := range Analyze(lang, text) {
		if t.Term != "" {
			out = append(out, t.Term)
		}
	}
	return out
}

func isWordRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	case r >= 0x400 && r <= 0x4FF: // Cyrillic: letters and combining marks, but for ҂
		return r != 0x482
	}
	return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

func isHyphen(r rune) bool { return r == '-' || r == '\u2010' || r == '\u2011' }

func isApostrophe(r rune) bool {
	return r == '\'' || r == '\u2019' || r == '\u02BC'
}

// scanWords calls fn for each maximal run of word runes, where a hyphen or
// apostrophe between two word runes joins them into one run.
func scanWords(text string, fn func(start, end int)) {
	start := -1
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRuneInString(text[i:])
		if isWordRune(r) {
			if start < 0 {
				start = i
			}
			i += size
			continue
		}
		if start >= 0 && (isHyphen(r) || isApostrophe(r)) && i+size < len(text) {
			next, _ := utf8.DecodeRuneInString(text[i+size:])
			if isWordRune(next) {
				i += size
				continue
			}
		}
		if start >= 0 {
			fn(start, i)
			start = -1
		}
		i += size
	}
	if start >= 0 {
		fn(start, len(text))
	}
}

// analyzeChunk handles one run from scanWords: it splits hyphenated
// compounds into parts (and adds the whole), then each part into script
// pieces.
func analyzeChunk(lang jarchy.Lang, text string, start, end int, toks []Token) []Token {
	if w, ok := plainWord(text[start:end]); ok {
		return append(toks, Token{Text: text[start:end], Term: termOfClean(lang, w), Start: start, End: end})
	}
	return analyzeChunkSlow(lang, text, start, end, toks)
}

// plainWord is the fast path of analyzeChunk for the common word: basic
// Cyrillic letters (Kyrgyz ң, ө, ү included, ё not) or ASCII letters,
// with digits, upper case at most in its first letter, no hyphen or
// apostrophe. Such a word is NFC, has no look-alikes to repair and is no
// acronym, so folding it only lowers its first letter. It returns the
// folded word, or false when the word needs the full analysis.
func plainWord(w string) (string, bool) {
	var cyr, latin bool
	upperFirst := false
	for i := 0; i < len(w); {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			i++
		case c >= 'a' && c <= 'z':
			latin = true
			i++
		case c >= 'A' && c <= 'Z':
			if i != 0 {
				return "", false
			}
			latin, upperFirst = true, true
			i++
		case i+1 < len(w) && (c == 0xD0 || c == 0xD1 || c == 0xD2 || c == 0xD3):
			r := rune(c&0x1F)<<6 | rune(w[i+1]&0x3F)
			if w[i+1]&0xC0 != 0x80 {
				return "", false
			}
			switch {
			case r >= 'а' && r <= 'я' || r == 'ң' || r == 'ө' || r == 'ү':
			case r >= 'А' && r <= 'Я' || r == 'Ң' || r == 'Ө' || r == 'Ү':
				if i != 0 {
					return "", false
				}
				upperFirst = true
			default:
				return "", false
			}
			cyr = true
			i += 2
		default:
			return "", false
		}
	}
	if cyr && latin {
		return "", false
	}
	if !upperFirst {
		return w, true
	}
	r, size := utf8.DecodeRuneInString(w)
	return string(unicode.ToLower(r)) + w[size:], true
}

// analyzeChunkSlow is analyzeChunk for any run of word runes.
func analyzeChunkSlow(lang jarchy.Lang, text string, start, end int, toks []Token) []Token {
	chunk := text[start:end]
	var parts [][2]int
	ps := 0
	lettered := 0
	for i, r := range chunk {
		if isHyphen(r) {
			parts = append(parts, [2]int{ps, i})
			ps = i + utf8.RuneLen(r)
		}
	}
	parts = append(parts, [2]int{ps, len(chunk)})
	var whole strings.Builder // the parts without hyphens
	for _, p := range parts {
		part := chunk[p[0]:p[1]]
		if hasLetter(part) {
			lettered++
		}
		toks = analyzePart(lang, text, start+p[0], start+p[1], toks)
		whole.WriteString(part)
	}
	if len(parts) > 1 && lettered == len(parts) {
		w, _ := repairHomoglyphs(nfc(whole.String()))
		toks = append(toks, Token{Text: chunk, Term: termOf(lang, fold(w)), Start: start, End: end})
	}
	return toks
}

func hasLetter(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) {
			return true
		}
	}
	return false
}

type script int

const (
	scriptOther script = iota
	scriptLatin
	scriptCyrillic
	scriptDigit
)

func scriptOf(r rune) script {
	switch {
	case unicode.IsDigit(r):
		return scriptDigit
	case isCyrillic(r):
		return scriptCyrillic
	case isLatin(r):
		return scriptLatin
	}
	return scriptOther
}

// analyzePart analyses one hyphen-free part: repairs look-alikes, and
// splits what still mixes Latin and Cyrillic (or letters and digits
// separated by an apostrophe-free script change) into pieces.
func analyzePart(lang jarchy.Lang, text string, start, end int, toks []Token) []Token {
	part := text[start:end]
	repaired, mixed := repairHomoglyphs(nfc(part))
	if !mixed {
		if lang == jarchy.Kyrgyz {
			if acr, ok := kyAcronym(repaired); ok {
				return append(toks, Token{Text: part, Term: acronymTerm(lang, fold(acr)), Start: start, End: end})
			}
		}
		return append(toks, Token{Text: part, Term: termOf(lang, fold(repaired)), Start: start, End: end})
	}
	// Split the original at Latin<->Cyrillic changes; marks, digits and
	// apostrophes stay with the piece they follow.
	ps := start
	prev := scriptOther
	prevLatin := false
	for i := start; i < end; {
		r, size := utf8.DecodeRuneInString(text[i:])
		s := scriptOf(r)
		if (s == scriptLatin || s == scriptCyrillic) && prev != scriptOther && s != prev && i > ps {
			toks = appendPiece(lang, text, ps, i, prevLatin, toks)
			prevLatin = prev == scriptLatin
			ps = i
		}
		if s == scriptLatin || s == scriptCyrillic {
			prev = s
		}
		i += size
	}
	return appendPiece(lang, text, ps, end, prevLatin, toks)
}

func appendPiece(lang jarchy.Lang, text string, start, end int, afterLatin bool, toks []Token) []Token {
	piece := text[start:end]
	f := fold(piece)
	term := termOf(lang, f)
	if afterLatin && lang == jarchy.Kyrgyz && kyrgyzSuffixOnly(f) {
		term = "" // a case ending on a Latin name: KOICA|нын
	}
	return append(toks, Token{Text: piece, Term: term, Start: start, End: end})
}

// kyAcronymMax is the longest acronym indexed as it is (ИДП, ЕАЭБ); a
// longer one is stemmed like a word (ШАЙЛОО in a headline is a word).
const kyAcronymMax = 4

// kyAcronym finds a Cyrillic acronym: a word in capitals of two to
// kyAcronymMax letters, or one whose part ending in a capital holds at
// least two capitals, followed by lower-case Kyrgyz case endings (ИДПнын,
// КРдин, ГЭСинде, ОшМУнун). It returns the acronym; see acronymTerm.
func kyAcronym(w string) (string, bool) {
	cut, upper, n := -1, 0, 0
	for i, r := range w {
		n++
		if !isCyrillic(r) {
			return "", false
		}
		if unicode.IsUpper(r) {
			cut = i + utf8.RuneLen(r)
			upper++
		}
	}
	if upper < 2 {
		return "", false
	}
	if cut == len(w) {
		return w, upper == n && n <= kyAcronymMax
	}
	for _, r := range w[cut:] {
		if !unicode.IsLower(r) {
			return "", false
		}
	}
	if !kyrgyzSuffixOnly(fold(w[cut:])) {
		return "", false
	}
	return w[:cut], true
}

// acronymTerm is the index term of a folded acronym: up to kyAcronymMax
// letters not stemmed (the suffix rules are not made for letter names),
// a longer one the term of the same word written alone.
func acronymTerm(lang jarchy.Lang, w string) string {
	if utf8.RuneCountInString(w) > kyAcronymMax || isStopWord(lang, w) {
		return termOf(lang, w)
	}
	return w
}

// termOf turns a folded word into its index term.
func termOf(lang jarchy.Lang, w string) string {
	return termOfClean(lang, strings.Map(func(r rune) rune {
		if isApostrophe(r) {
			return -1
		}
		return r
	}, w))
}

// termOfClean is termOf for a folded word without apostrophes.
func termOfClean(lang jarchy.Lang, w string) string {
	if w == "" || isStopWord(lang, w) {
		return ""
	}
	t := Stem(lang, w)
	if utf8.RuneCountInString(t) > MaxTermRunes {
		r := []rune(t)
		t = string(r[:MaxTermRunes])
	}
	return t
}
