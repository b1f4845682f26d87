package sitemap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

type urlset struct {
	XMLName xml.Name
	URLs    []struct {
		Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
		LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		Links   []struct {
			Rel      string `xml:"rel,attr"`
			Hreflang string `xml:"hreflang,attr"`
			Href     string `xml:"href,attr"`
		} `xml:"http://www.w3.org/1999/xhtml link"`
		News []struct {
			Name    string `xml:"publication>name"`
			Lang    string `xml:"publication>language"`
			PubDate string `xml:"publication_date"`
			Title   string `xml:"title"`
		} `xml:"http://www.google.com/schemas/sitemap-news/0.9 news"`
	} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 url"`
}

// strict decodes every token, then unmarshals into v.
func strict(t *testing.T, data []byte, v any) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(data))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v\n%s", err, data)
		}
	}
	if err := xml.Unmarshal(data, v); err != nil {
		t.Fatal(err)
	}
}

var when = time.Date(2026, 11, 27, 9, 0, 0, 0, time.FixedZone("KGT", 6*3600))

func TestURLSetWithAlternates(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	alts := []Alternate{
		{"ky", "https://x.example/ky/politics/shailoo"},
		{"ru", "https://x.example/ru/politics/vybory"},
		{"x-default", "https://x.example/ky/politics/shailoo"},
	}
	if err := w.Add(URL{Loc: alts[0].URL, LastMod: when, Alternates: alts}); err != nil {
		t.Fatal(err)
	}
	if err := w.Add(URL{Loc: "https://x.example/ky/?a=1&b=<2>"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Count() != 2 {
		t.Errorf("count %d", w.Count())
	}
	out := b.String()
	if !strings.HasPrefix(out, `<?xml version="1.0" encoding="UTF-8"?>`) {
		t.Errorf("no XML declaration: %q", out[:40])
	}
	var us urlset
	strict(t, b.Bytes(), &us)
	if us.XMLName.Space != NSSitemap || us.XMLName.Local != "urlset" {
		t.Errorf("root %v", us.XMLName)
	}
	if len(us.URLs) != 2 {
		t.Fatalf("%d urls", len(us.URLs))
	}
	u := us.URLs[0]
	if u.Loc != alts[0].URL || u.LastMod != "2026-11-27T03:00:00Z" {
		t.Errorf("loc %q lastmod %q", u.Loc, u.LastMod)
	}
	if len(u.Links) != 3 {
		t.Fatalf("alternates %+v", u.Links)
	}
	for i, l := range u.Links {
		if l.Rel != "alternate" || l.Hreflang != alts[i].Lang || l.Href != alts[i].URL {
			t.Errorf("alternate %d: %+v", i, l)
		}
	}
	if us.URLs[1].Loc != "https://x.example/ky/?a=1&b=<2>" || us.URLs[1].LastMod != "" || len(us.URLs[1].Links) != 0 {
		t.Errorf("second url %+v", us.URLs[1])
	}
}

func TestIndex(t *testing.T) {
	var b bytes.Buffer
	w := NewIndexWriter(&b)
	for _, loc := range []string{"https://x.example/sitemaps/pages.xml", "https://x.example/sitemaps/ky-1.xml"} {
		if err := w.Add(Sitemap{Loc: loc, LastMod: when}); err != nil {
			t.Fatal(err)
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var idx struct {
		XMLName  xml.Name
		Sitemaps []struct {
			Loc     string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 loc"`
			LastMod string `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 lastmod"`
		} `xml:"http://www.sitemaps.org/schemas/sitemap/0.9 sitemap"`
	}
	strict(t, b.Bytes(), &idx)
	if idx.XMLName.Space != NSSitemap || idx.XMLName.Local != "sitemapindex" {
		t.Errorf("root %v", idx.XMLName)
	}
	if len(idx.Sitemaps) != 2 || idx.Sitemaps[1].Loc != "https://x.example/sitemaps/ky-1.xml" || idx.Sitemaps[0].LastMod != "2026-11-27T03:00:00Z" {
		t.Errorf("sitemaps %+v", idx.Sitemaps)
	}
}

func TestNews(t *testing.T) {
	var b bytes.Buffer
	w := NewNewsWriter(&b)
	err := w.Add(News{
		Loc: "https://x.example/ky/politics/shailoo", Publication: "Жарчы", Lang: "ky",
		Published: when, Title: "Шайлоо <башталды> & \x01\x02 бүттү",
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var us urlset
	strict(t, b.Bytes(), &us)
	if len(us.URLs) != 1 || len(us.URLs[0].News) != 1 {
		t.Fatalf("%+v", us)
	}
	n := us.URLs[0].News[0]
	if n.Name != "Жарчы" || n.Lang != "ky" || n.PubDate != "2026-11-27T03:00:00Z" || n.Title != "Шайлоо <башталды> &  бүттү" {
		t.Errorf("news %+v", n)
	}
	// Every element inside news:news is in the news namespace.
	d := xml.NewDecoder(bytes.NewReader(b.Bytes()))
	depth, seen := 0, 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch el := tok.(type) {
		case xml.StartElement:
			if el.Name.Local == "news" || depth > 0 {
				depth++
				seen++
				if el.Name.Space != NSNews {
					t.Errorf("element %v outside the news namespace", el.Name)
				}
			}
		case xml.EndElement:
			if depth > 0 {
				depth--
			}
		}
	}
	if seen != 6 { // news, publication, name, language, publication_date, title
		t.Errorf("%d news elements, want 6", seen)
	}
}

func TestNewsLimit(t *testing.T) {
	w := NewNewsWriter(io.Discard)
	for i := range MaxNewsURLs {
		if err := w.Add(News{Loc: fmt.Sprintf("https://x.example/ky/a/%d", i), Publication: "J", Lang: "ky", Published: when, Title: "t"}); err != nil {
			t.Fatal(i, err)
		}
	}
	if err := w.Add(News{Loc: "https://x.example/ky/a/x", Publication: "J", Lang: "ky", Published: when, Title: "t"}); !errors.Is(err, ErrFull) {
		t.Fatalf("news URL %d: %v, want ErrFull", MaxNewsURLs+1, err)
	}
}

// countingWriter counts bytes and remembers the tail of what it got.
type countingWriter struct {
	n    int64
	tail []byte
}

func (c *countingWriter) Write(p []byte) (int, error) {
	c.n += int64(len(p))
	c.tail = append(c.tail, p...)
	if len(c.tail) > 64 {
		c.tail = c.tail[len(c.tail)-64:]
	}
	return len(p), nil
}

func TestURLLimitAndStreaming(t *testing.T) {
	cw := &countingWriter{}
	w := NewWriter(cw)
	for i := range MaxURLs {
		if err := w.Add(URL{Loc: fmt.Sprintf("https://x.example/ky/news/article-%d", i), LastMod: when}); err != nil {
			t.Fatal(i, err)
		}
		// Streaming: the writer holds at most its 32 KB buffer.
		if i == 10_000 && cw.n < 10_000*50 {
			t.Fatalf("after 10,000 URLs only %d bytes reached the io.Writer", cw.n)
		}
	}
	err := w.Add(URL{Loc: "https://x.example/ky/one-too-many"})
	if !errors.Is(err, ErrFull) {
		t.Fatalf("URL %d: %v, want ErrFull", MaxURLs+1, err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if w.Count() != MaxURLs || !strings.HasSuffix(string(cw.tail), "</urlset>\n") {
		t.Errorf("count %d, tail %q", w.Count(), cw.tail)
	}
}

func TestByteLimit(t *testing.T) {
	cw := &countingWriter{}
	w := NewWriter(cw)
	long := "https://x.example/" + strings.Repeat("a", MaxLocLen-len("https://x.example/"))
	var alts []Alternate
	for i := range 12 {
		alts = append(alts, Alternate{Lang: fmt.Sprintf("l%d", i), URL: long})
	}
	var n int
	for {
		err := w.Add(URL{Loc: long, LastMod: when, Alternates: alts})
		if errors.Is(err, ErrFull) {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		n++
		if n > MaxURLs {
			t.Fatal("no byte limit")
		}
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	if cw.n > MaxBytes || cw.n < MaxBytes-30_000 {
		t.Errorf("file is %d bytes after %d URLs; limit %d", cw.n, n, MaxBytes)
	}
	if !strings.HasSuffix(string(cw.tail), "</urlset>\n") {
		t.Errorf("tail %q", cw.tail)
	}
}

func TestInvalidURLsAreRefused(t *testing.T) {
	var b bytes.Buffer
	w := NewWriter(&b)
	for _, loc := range []string{"", "/ky/relative", "javascript:alert(1)", "https://x.example/a b", "https://x.example/\x00", "https://x.example/\xff",
		"https://x.example/" + strings.Repeat("a", MaxLocLen)} {
		if err := w.Add(URL{Loc: loc}); !errors.Is(err, ErrInvalid) {
			t.Errorf("Add(%q) = %v, want ErrInvalid", loc, err)
		}
	}
	if err := w.Add(URL{Loc: "https://x.example/ok", Alternates: []Alternate{{"ru", "/ru/relative"}}}); !errors.Is(err, ErrInvalid) {
		t.Errorf("relative alternate: %v", err)
	}
	if err := w.Add(URL{Loc: "https://x.example/ok"}); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var us urlset
	strict(t, b.Bytes(), &us)
	if len(us.URLs) != 1 || us.URLs[0].Loc != "https://x.example/ok" {
		t.Errorf("urls %+v", us.URLs)
	}
}

func TestEmptyFilesAreValid(t *testing.T) {
	for name, close := range map[string]func(io.Writer) error{
		"urlset": func(w io.Writer) error { return NewWriter(w).Close() },
		"index":  func(w io.Writer) error { return NewIndexWriter(w).Close() },
		"news":   func(w io.Writer) error { return NewNewsWriter(w).Close() },
	} {
		var b bytes.Buffer
		if err := close(&b); err != nil {
			t.Fatal(name, err)
		}
		var v struct{ XMLName xml.Name }
		strict(t, b.Bytes(), &v)
		if v.XMLName.Space != NSSitemap {
			t.Errorf("%s: root %v", name, v.XMLName)
		}
	}
}

func TestRobots(t *testing.T) {
	var b bytes.Buffer
	err := WriteRobots(&b, Robots{
		Disallow: []string{"/ky/search", "/evil\nAllow: /secret"},
		Sitemaps: []string{"https://x.example/sitemap.xml", "https://x.example/news-sitemap.xml"},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := "User-agent: *\nDisallow: /ky/search\nDisallow: /evilAllow: /secret\nAllow: /\n\n" +
		"Sitemap: https://x.example/sitemap.xml\nSitemap: https://x.example/news-sitemap.xml\n"
	if b.String() != want {
		t.Errorf("robots.txt:\n%s\nwant:\n%s", b.String(), want)
	}
}
