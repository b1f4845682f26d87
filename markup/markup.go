// Package markup turns user Markdown into safe HTML. It is the one way
// jarchy renders user text: goldmark parses CommonMark with GFM tables and
// strikethrough (raw HTML is never passed through), and bluemonday then
// keeps only the elements and attributes an article or a comment may have.
package markup

import (
	"bytes"
	"html/template"
	"net/url"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Version identifies the output of Article. Stores keep each article's
// rendered body with the Version that rendered it and return it only while
// it is current; bump it whenever Article's output changes for some input.
const Version = 1

// Input bounds. Longer input is cut (at a rune boundary) before parsing, so
// the work done per call is bounded whatever the caller stored.
const (
	MaxArticleBytes = 1 << 20 // at least jarchy.MaxBodyLen, so that every stored body renders whole
	MaxCommentBytes = 16 << 10
	// maxNesting caps block nesting (quotes, lists); deeper containers are
	// flattened into one paragraph of their text.
	maxNesting = 32
	// maxDelims caps the emphasis and link delimiters per paragraph; the
	// rest are escaped. goldmark's delimiter and link-destination scans are
	// quadratic in them, so this keeps hostile input from taking seconds.
	maxDelims = 500
)

var (
	articleMD = newMarkdown(false)
	commentMD = newMarkdown(true)

	articlePolicy = newArticlePolicy()
	commentPolicy = newCommentPolicy()
)

// Article renders an article body (or a static page) to sanitised HTML.
func Article(md string) template.HTML {
	return render(articleMD, articlePolicy, md, MaxArticleBytes)
}

// Comment renders a reader's comment: like Article but without images and
// headings (headings become paragraphs, images become their alt text).
func Comment(md string) template.HTML {
	return render(commentMD, commentPolicy, md, MaxCommentBytes)
}

func render(md goldmark.Markdown, p *bluemonday.Policy, src string, limit int) template.HTML {
	b := clean(src, limit)
	var buf bytes.Buffer
	if err := md.Convert(b, &buf); err != nil {
		// goldmark only fails on writer errors; a bytes.Buffer has none.
		return template.HTML(template.HTMLEscapeString(string(b)))
	}
	// The sanitizer output is the only HTML that leaves this package.
	return template.HTML(p.SanitizeBytes(buf.Bytes())) //nolint:gosec // sanitised above
}

// clean bounds the input, repairs UTF-8 and replaces NUL bytes.
func clean(s string, limit int) []byte {
	if len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		s = s[:cut]
	}
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	if strings.IndexByte(s, 0) >= 0 {
		s = strings.ReplaceAll(s, "\x00", "\uFFFD")
	}
	return defuse(s)
}

// defuse escapes the delimiters (* _ ~ [ ]) of a paragraph beyond the
// first maxDelims, outside fenced code, and caps a line's indentation and
// quote markers, which nest blocks. Real text never comes near these caps.
func defuse(s string) []byte {
	out := make([]byte, 0, len(s)+len(s)/64)
	count, fenced := 0, false
	for line := range strings.Lines(s) {
		line = capNesting(line)
		trimmed := strings.TrimLeft(line, " ")
		switch {
		case len(line)-len(trimmed) < 4 && (strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~")):
			fenced = !fenced
			count = 0
		case strings.TrimSpace(line) == "":
			count = 0
		}
		if fenced {
			out = append(out, line...)
			continue
		}
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch c {
			case '*', '_', '~', '[', ']':
				count++
				if count > maxDelims && (i == 0 || line[i-1] != '\\') {
					out = append(out, '\\')
				}
			}
			out = append(out, c)
		}
	}
	return out
}

// capNesting keeps at most 2*maxNesting indentation characters and
// maxNesting quote markers at the start of a line.
func capNesting(line string) string {
	indent := len(line) - len(strings.TrimLeft(line, " \t"))
	if indent > 2*maxNesting {
		line = line[indent-2*maxNesting:]
	}
	quotes, i := 0, 0
	for i < len(line) {
		switch line[i] {
		case '>':
			quotes++
		case ' ', '\t':
		default:
			goto done
		}
		if quotes > maxNesting {
			break
		}
		i++
	}
done:
	if quotes > maxNesting {
		rest := strings.TrimLeft(line[i:], "> \t")
		return line[:i] + rest
	}
	return line
}

func newMarkdown(comment bool) goldmark.Markdown {
	return goldmark.New(
		goldmark.WithExtensions(
			extension.NewTable(extension.WithTableCellAlignMethod(extension.TableCellAlignAttribute)),
			extension.Strikethrough,
		),
		goldmark.WithParserOptions(
			parser.WithASTTransformers(util.Prioritized(&transformer{comment: comment}, 100)),
		),
		goldmark.WithRendererOptions(
			// No html.WithUnsafe: raw HTML and dangerous URLs are dropped
			// by goldmark already; bluemonday is the second wall.
			renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, 500)),
		),
	)
}

// transformer adjusts the tree: headings are kept in h2..h4 (the page owns
// h1), external links get rel="nofollow noopener", a lone titled image
// becomes a figure with a caption, nesting is capped, and in comments
// headings turn into paragraphs and images into their alt text.
type transformer struct{ comment bool }

func (t *transformer) Transform(doc *ast.Document, reader text.Reader, _ parser.Context) {
	src := reader.Source()
	var replace []func()
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			if t.comment {
				replace = append(replace, func() { toParagraph(n) })
				return ast.WalkContinue, nil
			}
			n.Level = min(max(n.Level, 2), 4)
		case *ast.Link:
			if external(string(n.Destination)) {
				n.SetAttributeString("rel", []byte("nofollow noopener"))
			}
		case *ast.Image:
			if t.comment {
				replace = append(replace, func() { imageToText(n, src) })
				return ast.WalkSkipChildren, nil
			}
		case *ast.Paragraph:
			if !t.comment && n.ChildCount() == 1 {
				if img, ok := n.FirstChild().(*ast.Image); ok && len(img.Title) > 0 {
					replace = append(replace, func() { toFigure(n, img) })
				}
			}
		case *ast.Blockquote, *ast.List:
			if depth(n) > maxNesting {
				replace = append(replace, func() { flatten(n) })
				return ast.WalkSkipChildren, nil
			}
		}
		return ast.WalkContinue, nil
	})
	for _, f := range replace {
		f()
	}
}

func external(dest string) bool {
	u, err := url.Parse(dest)
	return err == nil && u.Host != "" && (u.Scheme == "http" || u.Scheme == "https" || u.Scheme == "")
}

func toParagraph(h *ast.Heading) {
	parent := h.Parent()
	if parent == nil {
		return
	}
	p := ast.NewParagraph()
	p.SetLines(h.Lines())
	for c := h.FirstChild(); c != nil; {
		next := c.NextSibling()
		p.AppendChild(p, c)
		c = next
	}
	parent.ReplaceChild(parent, h, p)
}

func imageToText(img *ast.Image, src []byte) {
	parent := img.Parent()
	if parent == nil {
		return
	}
	alt := string(img.Text(src)) //nolint:staticcheck // plain alt text is what we want
	parent.ReplaceChild(parent, img, ast.NewString([]byte(alt)))
}

// depth counts the container blocks (quotes, lists) around n, n included.
func depth(n ast.Node) int {
	d := 0
	for p := n; p != nil; p = p.Parent() {
		switch p.(type) {
		case *ast.Blockquote, *ast.List:
			d++
		}
	}
	return d
}

// flatten replaces a too deeply nested container by its text as one paragraph.
func flatten(n ast.Node) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	p := ast.NewParagraph()
	var lines []ast.Node
	_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering && c.Type() == ast.TypeBlock && c.FirstChild() != nil && c.FirstChild().Type() == ast.TypeInline {
			lines = append(lines, c)
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, l := range lines {
		for c := l.FirstChild(); c != nil; {
			next := c.NextSibling()
			p.AppendChild(p, c)
			c = next
		}
		p.AppendChild(p, ast.NewString([]byte(" ")))
	}
	parent.ReplaceChild(parent, n, p)
}

// Figure is a photo with a caption (from the image title).
type Figure struct {
	ast.BaseBlock
	Caption []byte
}

// KindFigure is the node kind of Figure.
var KindFigure = ast.NewNodeKind("Figure")

// Kind implements ast.Node.
func (f *Figure) Kind() ast.NodeKind { return KindFigure }

// Dump implements ast.Node.
func (f *Figure) Dump(src []byte, level int) { ast.DumpHelper(f, src, level, nil, nil) }

func toFigure(p *ast.Paragraph, img *ast.Image) {
	parent := p.Parent()
	if parent == nil {
		return
	}
	f := &Figure{Caption: img.Title}
	f.AppendChild(f, img)
	parent.ReplaceChild(parent, p, f)
}

type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(r renderer.NodeRendererFuncRegisterer) {
	r.Register(KindFigure, func(w util.BufWriter, _ []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
		if entering {
			_, _ = w.WriteString("<figure>")
			return ast.WalkContinue, nil
		}
		_, _ = w.WriteString("<figcaption>")
		_, _ = w.Write(util.EscapeHTML(n.(*Figure).Caption))
		_, _ = w.WriteString("</figcaption></figure>\n")
		return ast.WalkContinue, nil
	})
}

var (
	imgSrc   = regexp.MustCompile(`^(https?://[^\s]+|/media/[^\s]+)$`)
	relAttr  = regexp.MustCompile(`^nofollow noopener$`)
	alignVal = regexp.MustCompile(`^(left|center|right)$`)
	startVal = regexp.MustCompile(`^[0-9]{1,9}$`)
	langCode = regexp.MustCompile(`^language-[a-zA-Z0-9_+-]{1,30}$`)
)

func basePolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "hr", "em", "strong", "del", "code", "pre", "blockquote", "ul", "ol", "li")
	p.AllowAttrs("start").Matching(startVal).OnElements("ol")
	p.AllowAttrs("class").Matching(langCode).OnElements("code")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("title").OnElements("a")
	p.AllowAttrs("rel").Matching(relAttr).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(true)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnFullyQualifiedLinks(true)
	return p
}

func newArticlePolicy() *bluemonday.Policy {
	p := basePolicy()
	p.AllowElements("h2", "h3", "h4", "figure", "figcaption", "table", "thead", "tbody", "tr")
	p.AllowAttrs("align").Matching(alignVal).OnElements("th", "td")
	p.AllowElements("th", "td")
	p.AllowAttrs("src").Matching(imgSrc).OnElements("img")
	p.AllowAttrs("alt", "title").OnElements("img")
	return p
}

func newCommentPolicy() *bluemonday.Policy {
	return basePolicy()
}
