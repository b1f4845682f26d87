package markup

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// Plain returns the text of md without markup, whitespace collapsed, cut to
// at most maxRunes runes at a word boundary with "…" when it was longer.
// It is meant for meta descriptions, feed summaries and snippets; the result
// is plain text that callers must still escape.
//
// A short text needs only the beginning of a long body: for maxRunes below
// MaxArticleBytes/64 only the first 64 bytes per rune (at least 16 KiB,
// cut at a line end) are parsed, so that the description of a 1 MiB body
// costs a page as little as that of a short one.
func Plain(md string, maxRunes int) string {
	limit := MaxArticleBytes
	cut := false
	if short := max(64*maxRunes, 16<<10); short < limit && len(md) > short {
		limit, cut = short, true
		if i := strings.LastIndexByte(md[:short], '\n'); i > 0 {
			limit = i
		}
	}
	src := clean(md, limit)
	doc := articleMD.Parser().Parse(text.NewReader(src))
	var b strings.Builder
	space := func() {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
	}
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		switch n := n.(type) {
		case *ast.Text:
			if entering {
				b.Write(n.Segment.Value(src))
				if n.SoftLineBreak() || n.HardLineBreak() {
					b.WriteByte(' ')
				}
			}
		case *ast.String:
			if entering {
				b.Write(n.Value)
			}
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			if entering {
				space()
				lines := n.Lines()
				for i := 0; i < lines.Len(); i++ {
					seg := lines.At(i)
					b.Write(seg.Value(src))
				}
			}
			return ast.WalkSkipChildren, nil
		case *ast.HTMLBlock, *ast.RawHTML:
			return ast.WalkSkipChildren, nil
		case *ast.Image:
			return ast.WalkSkipChildren, nil
		default:
			if n.Type() == ast.TypeBlock {
				space()
			}
		}
		return ast.WalkContinue, nil
	})
	out := truncate(collapse(b.String()), maxRunes)
	if cut && out != "" && !strings.HasSuffix(out, "…") { // the rest of the body follows
		if utf8.RuneCountInString(out) < maxRunes {
			return strings.TrimRightFunc(out, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) }) + "…"
		}
		return truncate(out+" .", maxRunes)
	}
	return out
}

// collapse turns every run of white space and control characters into one
// space and trims both ends; invalid UTF-8 becomes U+FFFD.
func collapse(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	pending := false
	for i := 0; i < len(s); {
		c := s[i]
		size := 1
		var r rune
		switch {
		case c < utf8.RuneSelf:
			if c <= ' ' || c == 0x7F { // ASCII space or control
				pending = true
				i++
				continue
			}
		default:
			r, size = utf8.DecodeRuneInString(s[i:])
			cyrillic := r >= 0x400 && r <= 0x4FF // no space or control there
			if !cyrillic && (unicode.IsSpace(r) || unicode.IsControl(r)) {
				pending = true
				i += size
				continue
			}
		}
		if pending && b.Len() > 0 {
			b.WriteByte(' ')
		}
		pending = false
		if r == utf8.RuneError && size == 1 && c >= utf8.RuneSelf {
			b.WriteRune(utf8.RuneError)
		} else {
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

func truncate(s string, maxRunes int) string {
	if maxRunes <= 0 {
		return ""
	}
	if utf8.RuneCountInString(s) <= maxRunes {
		return s
	}
	runes := []rune(s)[:maxRunes-1]
	cut := len(runes)
	for i := len(runes) - 1; i > len(runes)/2; i-- {
		if unicode.IsSpace(runes[i]) {
			cut = i
			break
		}
	}
	return strings.TrimRightFunc(string(runes[:cut]), func(r rune) bool {
		return unicode.IsSpace(r) || unicode.IsPunct(r)
	}) + "…"
}
