package jarchy

import "strings"

// Bidirectional formatting characters. An override (U+202D, U+202E)
// forces the direction of the letters after it, so "evil\u202Egpj.exe"
// displays as "evilexe.jpg"; embeddings (U+202A, U+202B, U+202C) and
// isolates (U+2066–U+2069) reorder words up to the end of the paragraph
// when left open; the marks (U+200E, U+200F, U+061C) are invisible letters
// with a direction and no scope.

// IsBidiControl reports whether r is a bidirectional formatting character:
// an embedding, override or isolate (U+202A–U+202E, U+2066–U+2069) or a
// direction mark (U+200E, U+200F, U+061C).
func IsBidiControl(r rune) bool {
	return r >= 0x202A && r <= 0x202E || r >= 0x2066 && r <= 0x2069 || r == 0x200E || r == 0x200F || r == 0x061C
}

// CleanLine normalises a one-line text a reader sees (a title, a tag,
// author or section name, a caption, credit or alt text, a slug, a site
// name): every bidirectional formatting character is removed and the
// white space around it trimmed. Such a text is shown next to other text
// (in <title>, a breadcrumb, a feed title, a file name) where an
// override would reverse what follows; ky, ru and en need none. Control
// characters go too: a line break or tab becomes a space, any other (an
// escape that would drive a terminal, a C1 control) is removed; NUL is
// left for validation to refuse. Invalid UTF-8 is left for validation to
// report.
func CleanLine(s string) string { return strings.TrimSpace(dropControls(dropBidi(s, true))) }

// dropControls turns tabs and line breaks into spaces and removes every
// other C0 control but NUL (which validation refuses, as it refuses
// invalid UTF-8), DEL and C1 control (U+0080–U+009F), byte by byte: C0
// and DEL are single bytes that never occur inside another character, C1
// controls are C2 80–C2 9F. Other bytes, invalid UTF-8 included, are kept.
func dropControls(s string) string {
	i := 0
	for i < len(s) && !controlAt(s, i) {
		i++
	}
	if i == len(s) {
		return s
	}
	b := []byte(s[:i])
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\t' || c == '\n' || c == '\r':
			b = append(b, ' ')
		case c == 0:
			b = append(b, c)
		case c < 0x20 || c == 0x7F:
		case controlAt(s, i): // C1: skip both bytes
			i++
		default:
			b = append(b, c)
		}
	}
	return string(b)
}

// controlAt reports whether a control character other than NUL starts at
// s[i].
func controlAt(s string, i int) bool {
	c := s[i]
	return c != 0 && c < 0x20 || c == 0x7F || c == 0xC2 && i+1 < len(s) && s[i+1] >= 0x80 && s[i+1] <= 0x9F
}

// CleanText normalises running text (an article body or lead, a page
// body, an author's bio): embeddings, overrides and isolates are removed,
// direction marks kept. Kyrgyz, Russian and English text never needs the
// scoped controls, and an unclosed one reorders the rest of its paragraph;
// a quoted Arabic or Hebrew name is laid out by the Unicode bidi algorithm
// itself, and the marks, which have no scope, are enough to fix the
// punctuation around it. White space is left as it is.
func CleanText(s string) string { return dropBidi(s, false) }

// dropBidi returns s without bidi controls (with marks too when marks is
// set), every other byte kept as it is, invalid UTF-8 included; s itself
// when there is none. It works on the UTF-8 bytes: every control starts
// with the lead byte E2 (U+200E…U+2069) or D8 (U+061C), which never occurs
// inside another character, so a body of a megabyte is scanned at memory
// speed.
func dropBidi(s string, marks bool) string {
	i := nextBidi(s, 0, marks)
	if i < 0 {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	last := 0
	for i >= 0 {
		b.WriteString(s[last:i])
		last = i + bidiLen(s[i:], marks)
		i = nextBidi(s, last, marks)
	}
	b.WriteString(s[last:])
	return b.String()
}

// nextBidi returns the index of the first bidi control in s at or after
// from, or -1.
func nextBidi(s string, from int, marks bool) int {
	for i := from; i < len(s); i++ {
		if !marks {
			j := strings.IndexByte(s[i:], 0xE2)
			if j < 0 {
				return -1
			}
			i += j
		} else if c := s[i]; c != 0xE2 && c != 0xD8 {
			continue
		}
		if bidiLen(s[i:], marks) > 0 {
			return i
		}
	}
	return -1
}

// bidiLen returns the length in bytes of the bidi control s starts with,
// or 0.
func bidiLen(s string, marks bool) int {
	if len(s) >= 3 && s[0] == 0xE2 {
		switch c := s[2]; {
		case s[1] == 0x80 && c >= 0xAA && c <= 0xAE, // U+202A…U+202E
			s[1] == 0x81 && c >= 0xA6 && c <= 0xA9,            // U+2066…U+2069
			marks && s[1] == 0x80 && (c == 0x8E || c == 0x8F): // U+200E, U+200F
			return 3
		}
	}
	if marks && len(s) >= 2 && s[0] == 0xD8 && s[1] == 0x9C { // U+061C
		return 2
	}
	return 0
}
