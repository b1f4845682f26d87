// Package xmltext cleans and escapes text for hand-written XML (feeds,
// sitemaps): invalid UTF-8 and characters XML 1.0 forbids are dropped, the
// markup characters are escaped, so any input gives well-formed output.
package xmltext

import (
	"io"
	"strings"
	"unicode/utf8"
)

// Allowed reports whether r may appear in an XML 1.0 document.
func Allowed(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		(r >= 0x20 && r <= 0xD7FF) ||
		(r >= 0xE000 && r <= 0xFFFD) ||
		(r >= 0x10000 && r <= 0x10FFFF)
}

// Clean returns s without invalid UTF-8 sequences and without characters
// XML forbids (C0 controls other than tab, newline and carriage return,
// surrogates, U+FFFE, U+FFFF). It returns s itself when nothing changes.
func Clean(s string) string {
	ok := true
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n == 1) || !Allowed(r) {
			ok = false
			break
		}
		i += n
	}
	if ok {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if (r == utf8.RuneError && n == 1) || !Allowed(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// Escape returns s cleaned and escaped for use as character data. Tab and
// carriage return are written as character references so that parsers keep
// them exactly.
func Escape(s string) string { return escape(s, false) }

// EscapeAttr is Escape for a double- or single-quoted attribute value: a
// newline is a character reference too, as parsers turn a literal one
// into a space.
func EscapeAttr(s string) string { return escape(s, true) }

func escape(s string, attr bool) string {
	var b strings.Builder
	b.Grow(len(s) + len(s)/8)
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		i += n
		if (r == utf8.RuneError && n == 1) || !Allowed(r) {
			continue
		}
		switch r {
		case '&':
			b.WriteString("&amp;")
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '"':
			b.WriteString("&quot;")
		case '\'':
			b.WriteString("&apos;")
		case '\r':
			b.WriteString("&#xD;")
		case '\t':
			b.WriteString("&#x9;")
		case '\n':
			if attr {
				b.WriteString("&#xA;")
			} else {
				b.WriteByte('\n')
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// Writer writes XML pieces to an io.Writer and keeps the first error, so
// that callers check once at the end.
type Writer struct {
	w   io.Writer
	n   int64
	err error
}

// NewWriter returns a Writer on w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Raw writes s unchanged (markup the caller built).
func (x *Writer) Raw(s string) {
	if x.err != nil {
		return
	}
	n, err := io.WriteString(x.w, s)
	x.n += int64(n)
	x.err = err
}

// Text writes s escaped.
func (x *Writer) Text(s string) { x.Raw(Escape(s)) }

// Elem writes <name>escaped text</name>; nothing when text is empty and
// omitEmpty is set.
func (x *Writer) Elem(name, text string, omitEmpty bool) {
	if omitEmpty && text == "" {
		return
	}
	x.Raw("<" + name + ">")
	x.Text(text)
	x.Raw("</" + name + ">")
}

// Written returns the number of bytes written so far.
func (x *Writer) Written() int64 { return x.n }

// Err returns the first write error.
func (x *Writer) Err() error { return x.err }
