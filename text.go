package jarchy

import (
	"strings"
	"unicode/utf8"
)

// Bidirectional formatting characters. An override (U+202D, U+202E)
// forces the direction of the letters after it, so "evil\u202Egpj.exe"
// displays as "evilexe.jpg"; embeddings (U+202A, U+202B, U+202C) and
// isolates (U+2066–U+2069) reorder words up to the end of the paragraph
// when left open; the marks (U+200E, U+200F, U+061C) are invisible letters
// with a direction and no scope.
const (
	bidiScoped = "\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069"
	bidiMarks  = "\u200E\u200F\u061C"
	bidiAll    = bidiScoped + bidiMarks
)

// IsBidiControl reports whether r is a bidirectional formatting character:
// an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) or a
// direction mark (U+200E, U+200F, U+061C).
func IsBidiControl(r rune) bool { return strings.ContainsRune(bidiAll, r) }

// CleanLine normalises a one-line text a reader sees (a title, a tag,
// author or section name, a caption, credit or alt text, a slug, a site
// name): every bidirectional formatting character is removed and the
// white space around it trimmed. Such a text is shown next to other text
// (in <title>, a breadcrumb, a feed title, a file name) where an
// override would reverse what follows; ky, ru and en need none.
// Invalid UTF-8 is left for validation to report.
func CleanLine(s string) string {
	return strings.TrimSpace(dropRunes(s, bidiAll))
}

// CleanText normalises running text (an article body or lead, a page
// body, an author's bio): embeddings, overrides and isolates are removed,
// direction marks kept. Kyrgyz, Russian and English text never needs the
// scoped controls, and an unclosed one reorders the rest of its paragraph;
// a quoted Arabic or Hebrew name is laid out by the Unicode bidi algorithm
// itself, and the marks, which have no scope, are enough to fix the
// punctuation around it. White space is left as it is.
func CleanText(s string) string { return dropRunes(s, bidiScoped) }

// dropRunes returns s without the runes in set, keeping every other byte
// as it is (invalid UTF-8 included); s itself when none occurs.
func dropRunes(s, set string) string {
	if !strings.ContainsAny(s, set) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if n > 1 && strings.ContainsRune(set, r) {
			i += n
			continue
		}
		b.WriteString(s[i : i+n])
		i += n
	}
	return b.String()
}
