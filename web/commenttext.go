package web

import (
	"html"
	"html/template"
	"strings"

	"github.com/jarchy/jarchy"
)

// commentHTML is the one way a comment's plain text becomes HTML: every
// character escaped (html.EscapeString: < > & ' "), paragraphs at blank
// lines (<p>), line breaks within one (<br>), and the http(s) addresses
// jarchy.SplitLinks finds as links that pass no ranking and no opener
// (rel="nofollow ugc noopener noreferrer"). The href is the parsed,
// escaped address (ASCII, no quotes, no spaces), escaped again for the
// attribute. Nothing the reader typed is ever markup.
func commentHTML(text string) template.HTML {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.Trim(para, "\n")
		if strings.TrimSpace(para) == "" {
			continue
		}
		b.WriteString("<p>")
		for i, line := range strings.Split(para, "\n") {
			if i > 0 {
				b.WriteString("<br>")
			}
			for _, part := range jarchy.SplitLinks(line) {
				if part.URL == "" {
					b.WriteString(html.EscapeString(part.Text))
					continue
				}
				b.WriteString(`<a href="`)
				b.WriteString(html.EscapeString(part.URL))
				b.WriteString(`" rel="nofollow ugc noopener noreferrer">`)
				b.WriteString(html.EscapeString(part.Text))
				b.WriteString("</a>")
			}
		}
		b.WriteString("</p>")
	}
	return template.HTML(b.String())
}
