package feed

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mmcdole/gofeed/atom"
	gojson "github.com/mmcdole/gofeed/json"
	"github.com/mmcdole/gofeed/rss"
	"golang.org/x/net/html"
	xatom "golang.org/x/net/html/atom"
)

// hostileTexts are plain texts a newsroom or an importer could put in any
// field: markup, attribute breakers, references already escaped once
// (which must not turn into markup after a second decoding), CDATA ends.
var hostileTexts = []string{
	`<img src=x onerror=alert(1)>`,
	`"><script>alert(1)</script>`,
	`</title><script>alert(1)</script>`,
	`&lt;script&gt;alert(1)&lt;/script&gt;`,
	`Tom &amp; Jerry & AT&T <b>bold</b>`,
	`]]><svg onload=alert(1)>`,
	`javascript:alert(1)`,
	`&#60;img src=x onerror=alert(1)&#62;`,
}

// htmlShown is what a reader shows for a field it takes as HTML: the
// text of the parsed fragment. Any element in it is live markup.
func htmlShown(t *testing.T, what, v string) string {
	t.Helper()
	nodes, err := html.ParseFragment(strings.NewReader(v), &html.Node{Type: html.ElementNode, Data: "div", DataAtom: xatom.Div})
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	var b strings.Builder
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		switch n.Type {
		case html.ElementNode:
			t.Errorf("%s: live <%s> element in %q", what, n.Data, v)
		case html.TextNode:
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range nodes {
		walk(n)
	}
	return b.String()
}

func hostileFeed(h string) *Feed {
	return &Feed{
		Title: h, Description: h, Link: "https://x.example/ky/", FeedURL: "https://x.example/ky/feed/rss.xml", Lang: "ky",
		Items: []Item{
			{
				Title: h, Link: "https://x.example/ky/a", Summary: h, ContentHTML: "<p>body</p>", Published: t1,
				Authors: []Person{{Name: h, URL: "https://x.example/ky/author/a"}}, Categories: []string{h},
			},
			// Without a body, JSON Feed's content_text carries the summary.
			{Title: "b", Link: "https://x.example/ky/b", Summary: h, Published: t1},
		},
	}
}

// TestPlainTextStaysText writes hostile plain text into every text field
// of every format, parses each feed with gofeed's parser for that format,
// and checks that what a reader shows is exactly the text: in the RSS
// fields readers take as HTML (title, description) as the text of HTML
// without a single element, in the plain-text fields as the value itself.
func TestPlainTextStaysText(t *testing.T) {
	for _, h := range hostileTexts {
		fd := hostileFeed(h)
		t.Run("RSS", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteRSS(&b, fd); err != nil {
				t.Fatal(err)
			}
			f, err := (&rss.Parser{}).Parse(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("gofeed rss: %v\n%s", err, b.String())
			}
			it := f.Items[0]
			html := map[string]string{
				"channel title": f.Title, "channel description": f.Description,
				"item title": it.Title, "item description": it.Description, "second item description": f.Items[1].Description,
			}
			for what, v := range html {
				if got := htmlShown(t, what, v); got != h {
					t.Errorf("%s shows %q, want %q", what, got, h)
				}
			}
			var creator string
			if it.DublinCoreExt != nil && len(it.DublinCoreExt.Creator) == 1 {
				creator = it.DublinCoreExt.Creator[0]
			}
			text := map[string]string{"dc:creator": creator}
			if len(it.Categories) == 1 {
				text["category"] = it.Categories[0].Value
			}
			for what, v := range text {
				if v != h {
					t.Errorf("%s = %q, want %q", what, v, h)
				}
			}
			if len(text) != 2 {
				t.Errorf("categories %+v", it.Categories)
			}
		})
		t.Run("Atom", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteAtom(&b, fd); err != nil {
				t.Fatal(err)
			}
			f, err := (&atom.Parser{}).Parse(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("gofeed atom: %v\n%s", err, b.String())
			}
			e := f.Entries[0]
			got := map[string]string{"feed title": f.Title, "subtitle": f.Subtitle, "entry title": e.Title,
				"summary": e.Summary, "second summary": f.Entries[1].Summary}
			if len(e.Authors) == 1 {
				got["author name"] = e.Authors[0].Name
			}
			if len(e.Categories) == 1 {
				got["category term"] = e.Categories[0].Term
			}
			for what, v := range got {
				if v != h {
					t.Errorf("%s = %q, want %q", what, v, h)
				}
			}
			if len(got) != 7 {
				t.Errorf("authors %+v categories %+v", e.Authors, e.Categories)
			}
			// Every text construct says it is text.
			for _, el := range []string{"title", "subtitle", "summary"} {
				if strings.Contains(b.String(), "<"+el+">") || strings.Contains(b.String(), "<"+el+` type="html"`) {
					t.Errorf("<%s> without type=\"text\"", el)
				}
			}
		})
		t.Run("JSON", func(t *testing.T) {
			var b bytes.Buffer
			if err := WriteJSON(&b, fd); err != nil {
				t.Fatal(err)
			}
			if strings.ContainsAny(b.String(), "<>") {
				t.Errorf("JSON feed holds a raw < or >:\n%s", b.String())
			}
			f, err := (&gojson.Parser{}).Parse(bytes.NewReader(b.Bytes()))
			if err != nil {
				t.Fatalf("gofeed json: %v\n%s", err, b.String())
			}
			it, it2 := f.Items[0], f.Items[1]
			got := map[string]string{"title": f.Title, "description": f.Description, "item title": it.Title,
				"summary": it.Summary, "content_text": it2.ContentText}
			if len(it.Authors) == 1 {
				got["author name"] = it.Authors[0].Name
			}
			if len(it.Tags) == 1 {
				got["tag"] = it.Tags[0]
			}
			for what, v := range got {
				if v != h {
					t.Errorf("%s = %q, want %q", what, v, h)
				}
			}
			if len(got) != 7 {
				t.Errorf("authors %+v tags %q", it.Authors, it.Tags)
			}
			if it2.ContentHTML != "" {
				t.Errorf("plain summary sent as content_html: %q", it2.ContentHTML)
			}
		})
	}
}

// TestRSSTitleEncoding pins the exact bytes of an RSS title and
// description: HTML-escaped, then XML-escaped.
func TestRSSTitleEncoding(t *testing.T) {
	var b bytes.Buffer
	fd := &Feed{Title: "A & B", Link: "https://x.example/", Items: []Item{{Title: `<i>x</i> & "y"`, Summary: "1 < 2 > 0", Link: "https://x.example/a", Published: t1}}}
	if err := WriteRSS(&b, fd); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"<title>A &amp;amp; B</title>",
		"<title>&amp;lt;i&amp;gt;x&amp;lt;/i&amp;gt; &amp;amp; &quot;y&quot;</title>",
		"<description>1 &amp;lt; 2 &amp;gt; 0</description>",
	} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("RSS lacks %s:\n%s", want, b.String())
		}
	}
}
