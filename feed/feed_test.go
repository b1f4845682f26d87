package feed

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"github.com/mmcdole/gofeed/atom"
	"github.com/mmcdole/gofeed/rss"
)

var (
	t1 = time.Date(2026, 11, 27, 8, 30, 0, 0, time.UTC)
	t2 = time.Date(2026, 11, 26, 20, 15, 5, 0, time.FixedZone("KGT", 6*3600))
)

func sampleFeed() *Feed {
	return &Feed{
		Title:       "Жарчы — Саясат",
		Link:        "https://news.example.kg/ky/politics/",
		FeedURL:     "https://news.example.kg/ky/feed/politics/rss.xml",
		Description: "Акыркы жаңылыктар",
		Lang:        "ky",
		Items: []Item{
			{
				ID:          "tag:news.example.kg,2026:article/1",
				Title:       "Жогорку Кеңеш мыйзамды кабыл алды",
				Link:        "https://news.example.kg/ky/politics/zhogorku-kenesh",
				Summary:     "Депутаттар & министрлер",
				ContentHTML: `<p>Биринчи <b>абзац</b>.</p><img src="https://news.example.kg/media/a.jpg" alt="x">`,
				Published:   t1,
				Updated:     t1.Add(time.Hour),
				Authors:     []Person{{Name: "Айгүл Асанова", URL: "https://news.example.kg/ky/author/aigul"}},
				Categories:  []string{"шайлоо", "парламент"},
				Enclosure:   &Enclosure{URL: "https://news.example.kg/media/cover-1.jpg", Type: "image/jpeg", Length: 12345},
			},
			{
				Title:     "Экинчи жаңылык",
				Link:      "https://news.example.kg/ky/politics/ekinchi",
				Summary:   "Кыскача",
				Published: t2,
			},
		},
	}
}

func render(t *testing.T, f Format, fd *Feed) string {
	t.Helper()
	var b bytes.Buffer
	if err := Write(&b, f, fd); err != nil {
		t.Fatalf("write %v: %v", f, err)
	}
	return b.String()
}

func parse(t *testing.T, f Format, out string) *gofeed.Feed {
	t.Helper()
	parsed, err := gofeed.NewParser().ParseString(out)
	if err != nil {
		t.Fatalf("gofeed cannot parse %v: %v\n%s", f, err, out)
	}
	want := map[Format]string{RSS: "rss", Atom: "atom", JSON: "json"}[f]
	if parsed.FeedType != want {
		t.Fatalf("gofeed detected %q, want %q", parsed.FeedType, want)
	}
	return parsed
}

// wellFormed decodes every token with the strict encoding/xml decoder.
func wellFormed(t *testing.T, out string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(out))
	for {
		_, err := d.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, out)
		}
	}
}

func TestParsedByGofeed(t *testing.T) {
	fd := sampleFeed()
	for _, f := range Formats {
		t.Run(f.String(), func(t *testing.T) {
			out := render(t, f, fd)
			if f != JSON {
				wellFormed(t, out)
			}
			p := parse(t, f, out)
			if p.Title != fd.Title {
				t.Errorf("title %q, want %q", p.Title, fd.Title)
			}
			if p.Link != fd.Link {
				t.Errorf("link %q, want %q", p.Link, fd.Link)
			}
			if p.FeedLink != fd.FeedURL {
				t.Errorf("feed link %q, want %q", p.FeedLink, fd.FeedURL)
			}
			if p.Language != "ky" {
				t.Errorf("language %q, want ky", p.Language)
			}
			if len(p.Items) != 2 {
				t.Fatalf("%d items, want 2", len(p.Items))
			}
			a, b := p.Items[0], p.Items[1]
			if a.Title != fd.Items[0].Title || a.Link != fd.Items[0].Link {
				t.Errorf("item 0: %q %q", a.Title, a.Link)
			}
			if a.GUID != fd.Items[0].ID {
				t.Errorf("item 0 id %q, want %q", a.GUID, fd.Items[0].ID)
			}
			if b.GUID != fd.Items[1].Link {
				t.Errorf("item 1 id %q, want its link", b.GUID)
			}
			if a.PublishedParsed == nil || !a.PublishedParsed.Equal(t1) {
				t.Errorf("item 0 published %v, want %v", a.PublishedParsed, t1)
			}
			if b.PublishedParsed == nil || !b.PublishedParsed.Equal(t2) {
				t.Errorf("item 1 published %v, want %v", b.PublishedParsed, t2)
			}
			if f != RSS && (a.UpdatedParsed == nil || !a.UpdatedParsed.Equal(t1.Add(time.Hour))) {
				t.Errorf("item 0 updated %v", a.UpdatedParsed)
			}
			if a.Content != fd.Items[0].ContentHTML {
				t.Errorf("content %q, want %q", a.Content, fd.Items[0].ContentHTML)
			}
			wantSummary := fd.Items[0].Summary
			// RSS readers take a description as HTML: the plain text
			// comes back as HTML whose text is the summary.
			if f == RSS && htmlShown(t, "description", a.Description) != wantSummary || f != RSS && a.Description != wantSummary {
				t.Errorf("summary %q, want %q", a.Description, wantSummary)
			}
			if len(a.Authors) != 1 || a.Authors[0].Name != "Айгүл Асанова" {
				t.Errorf("authors %+v", a.Authors)
			}
			if strings.Join(a.Categories, ",") != "шайлоо,парламент" {
				t.Errorf("categories %q", a.Categories)
			}
			if len(a.Enclosures) != 1 {
				t.Fatalf("enclosures %+v", a.Enclosures)
			}
			e := a.Enclosures[0]
			if e.URL != fd.Items[0].Enclosure.URL || e.Type != "image/jpeg" || e.Length != "12345" {
				t.Errorf("enclosure %+v", e)
			}
			if len(b.Enclosures) != 0 {
				t.Errorf("item 1 has enclosures %+v", b.Enclosures)
			}
			if f == JSON && (a.Image == nil || a.Image.URL != fd.Items[0].Enclosure.URL) {
				t.Errorf("json item image %+v", a.Image)
			}
		})
	}
}

func TestRSSDetails(t *testing.T) {
	out := render(t, RSS, sampleFeed())
	// RFC 822 dates in UTC.
	if !strings.Contains(out, "<pubDate>Fri, 27 Nov 2026 08:30:00 +0000</pubDate>") ||
		!strings.Contains(out, "<pubDate>Thu, 26 Nov 2026 14:15:05 +0000</pubDate>") {
		t.Errorf("pubDate not RFC 822 in UTC:\n%s", out)
	}
	if !strings.Contains(out, `<guid isPermaLink="false">tag:news.example.kg,2026:article/1</guid>`) ||
		!strings.Contains(out, `<guid isPermaLink="true">https://news.example.kg/ky/politics/ekinchi</guid>`) {
		t.Errorf("guids:\n%s", out)
	}
	// Namespaces: decode with encoding/xml and check the resolved spaces.
	var doc struct {
		XMLName xml.Name
		Version string `xml:"version,attr"`
		Channel struct {
			Language string `xml:"language"`
			Self     []struct {
				XMLName xml.Name
				Rel     string `xml:"rel,attr"`
				Href    string `xml:"href,attr"`
				Type    string `xml:"type,attr"`
			} `xml:"http://www.w3.org/2005/Atom link"`
			Items []struct {
				Encoded string `xml:"http://purl.org/rss/1.0/modules/content/ encoded"`
				Creator string `xml:"http://purl.org/dc/elements/1.1/ creator"`
			} `xml:"item"`
		} `xml:"channel"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Local != "rss" || doc.Version != "2.0" || doc.Channel.Language != "ky" {
		t.Errorf("root %v version %q language %q", doc.XMLName, doc.Version, doc.Channel.Language)
	}
	if len(doc.Channel.Self) != 1 || doc.Channel.Self[0].Rel != "self" ||
		doc.Channel.Self[0].Href != "https://news.example.kg/ky/feed/politics/rss.xml" ||
		doc.Channel.Self[0].Type != "application/rss+xml" {
		t.Errorf("atom:link self: %+v", doc.Channel.Self)
	}
	if len(doc.Channel.Items) != 2 || !strings.HasPrefix(doc.Channel.Items[0].Encoded, "<p>Биринчи") ||
		doc.Channel.Items[0].Creator != "Айгүл Асанова" {
		t.Errorf("content:encoded / dc:creator: %+v", doc.Channel.Items)
	}
	// The strict RSS parser sees the extensions too.
	rf, err := (&rss.Parser{}).Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if rf.Items[0].Content == "" || rf.Language != "ky" {
		t.Errorf("rss parser: content %q language %q", rf.Items[0].Content, rf.Language)
	}
}

func TestAtomDetails(t *testing.T) {
	out := render(t, Atom, sampleFeed())
	var doc struct {
		XMLName xml.Name
		Lang    string `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
		ID      string `xml:"id"`
		Updated string `xml:"updated"`
		Links   []struct {
			Rel  string `xml:"rel,attr"`
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entries []struct {
			ID        string `xml:"id"`
			Updated   string `xml:"updated"`
			Published string `xml:"published"`
			Title     struct {
				Type string `xml:"type,attr"`
			} `xml:"title"`
			Links []struct {
				Rel    string `xml:"rel,attr"`
				Type   string `xml:"type,attr"`
				Length string `xml:"length,attr"`
				Href   string `xml:"href,attr"`
			} `xml:"link"`
		} `xml:"http://www.w3.org/2005/Atom entry"`
	}
	if err := xml.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.XMLName.Space != "http://www.w3.org/2005/Atom" || doc.XMLName.Local != "feed" {
		t.Errorf("root %v", doc.XMLName)
	}
	if doc.Lang != "ky" {
		t.Errorf("xml:lang %q", doc.Lang)
	}
	if doc.ID == "" {
		t.Error("feed has no id")
	}
	// Feed updated is the newest item time, in RFC 3339.
	if doc.Updated != "2026-11-27T09:30:00Z" {
		t.Errorf("feed updated %q", doc.Updated)
	}
	rels := map[string]string{}
	for _, l := range doc.Links {
		rels[l.Rel] = l.Href
	}
	if rels["self"] != "https://news.example.kg/ky/feed/politics/rss.xml" || rels["alternate"] != "https://news.example.kg/ky/politics/" {
		t.Errorf("feed links %v", rels)
	}
	if len(doc.Entries) != 2 {
		t.Fatalf("%d entries", len(doc.Entries))
	}
	e0, e1 := doc.Entries[0], doc.Entries[1]
	for _, e := range doc.Entries {
		if e.ID == "" || e.Updated == "" || e.Title.Type != "text" {
			t.Errorf("entry misses id/updated/text title: %+v", e)
		}
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("updated %q: %v", e.Updated, err)
		}
	}
	if e0.Published != "2026-11-27T08:30:00Z" || e1.Published != "2026-11-26T14:15:05Z" || e1.Updated != e1.Published {
		t.Errorf("dates: %q %q %q", e0.Published, e1.Published, e1.Updated)
	}
	var enc bool
	for _, l := range e0.Links {
		if l.Rel == "enclosure" && l.Href == "https://news.example.kg/media/cover-1.jpg" && l.Type == "image/jpeg" && l.Length == "12345" {
			enc = true
		}
	}
	if !enc {
		t.Errorf("no enclosure link in %+v", e0.Links)
	}
	af, err := (&atom.Parser{}).Parse(strings.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if af.Language != "ky" {
		t.Errorf("atom parser language %q", af.Language)
	}
}

func TestJSONDetails(t *testing.T) {
	out := render(t, JSON, sampleFeed())
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if doc["version"] != "https://jsonfeed.org/version/1.1" || doc["language"] != "ky" ||
		doc["feed_url"] != "https://news.example.kg/ky/feed/politics/rss.xml" {
		t.Errorf("top level: %v", doc)
	}
	items := doc["items"].([]any)
	i0 := items[0].(map[string]any)
	if i0["date_published"] != "2026-11-27T08:30:00Z" || i0["date_modified"] != "2026-11-27T09:30:00Z" {
		t.Errorf("dates %v %v", i0["date_published"], i0["date_modified"])
	}
	att := i0["attachments"].([]any)[0].(map[string]any)
	if att["url"] != "https://news.example.kg/media/cover-1.jpg" || att["mime_type"] != "image/jpeg" || att["size_in_bytes"] != 12345.0 {
		t.Errorf("attachment %v", att)
	}
	// An item without HTML still has content (content_text is required otherwise).
	i1 := items[1].(map[string]any)
	if i1["content_text"] != "Кыскача" || i1["content_html"] != nil {
		t.Errorf("item 1 content: %v", i1)
	}
}

func TestEmptyFeed(t *testing.T) {
	fd := &Feed{Title: "Жарчы", Link: "https://x.example/ky/", FeedURL: "https://x.example/ky/feed/rss.xml", Lang: "ky"}
	for _, f := range Formats {
		p := parse(t, f, render(t, f, fd))
		if len(p.Items) != 0 {
			t.Errorf("%v: %d items", f, len(p.Items))
		}
	}
	var doc map[string]any
	if err := json.Unmarshal([]byte(render(t, JSON, fd)), &doc); err != nil {
		t.Fatal(err)
	}
	if items, ok := doc["items"].([]any); !ok || len(items) != 0 {
		t.Errorf("json feed items must be an empty array: %v", doc["items"])
	}
}

// hostile is text an attacker could put in a title, tag or author name.
const hostile = "Tom & \"Jerry\" ]]> <script>alert(1)</script> \x00\x01\x08\x0b\x1b end \xff\xfe\xc3 x \ufffe\uffff y"

// hostileClean is hostile with invalid UTF-8 and XML-forbidden characters removed.
const hostileClean = "Tom & \"Jerry\" ]]> <script>alert(1)</script>  end  x  y"

func TestHostileText(t *testing.T) {
	fd := &Feed{
		Title:       hostile,
		Link:        "https://x.example/ky/?a=1&b=\"2\"<",
		FeedURL:     "https://x.example/ky/feed/rss.xml?x=]]>",
		Description: hostile,
		Lang:        "ky",
		Items: []Item{{
			ID:          "tag:x.example,2026:" + hostile,
			Title:       hostile,
			Link:        "https://x.example/ky/a?q=<script>&z=\x00",
			Summary:     hostile,
			ContentHTML: "<p>a ]]> b</p><p>" + "\x00\x1b\xff" + "c</p>",
			Published:   t1,
			Authors:     []Person{{Name: hostile, URL: "https://x.example/\"><script>"}},
			Categories:  []string{hostile, "]]>"},
			Enclosure:   &Enclosure{URL: "https://x.example/m.jpg?\"'<>&", Type: "image/jpeg\"><script>"},
		}},
	}
	for _, f := range Formats {
		t.Run(f.String(), func(t *testing.T) {
			out := render(t, f, fd)
			if strings.Contains(strings.ToLower(out), "<script") {
				t.Errorf("live <script in output:\n%s", out)
			}
			for _, c := range []string{"\x00", "\x01", "\x1b", "\xff", "\ufffe"} {
				if strings.Contains(out, c) {
					t.Errorf("output contains %q", c)
				}
			}
			if f != JSON {
				wellFormed(t, out)
				if strings.Contains(out, "<![CDATA[") {
					t.Error("unexpected CDATA section")
				}
			} else if !json.Valid([]byte(out)) {
				t.Fatal("invalid JSON")
			}
			p := parse(t, f, out)
			if len(p.Items) != 1 {
				t.Fatalf("%d items", len(p.Items))
			}
			it := p.Items[0]
			// The hostile text comes back as text, exactly, minus the
			// characters XML cannot carry.
			// RSS titles are HTML to readers; Atom and JSON titles text.
			title, feedTitle := it.Title, p.Title
			if f == RSS {
				title, feedTitle = htmlShown(t, "title", title), htmlShown(t, "feed title", feedTitle)
			}
			if title != hostileClean {
				t.Errorf("title %q, want %q", title, hostileClean)
			}
			if feedTitle != hostileClean {
				t.Errorf("feed title %q", feedTitle)
			}
			if it.Content != "<p>a ]]> b</p><p>c</p>" {
				t.Errorf("content %q", it.Content)
			}
			if len(it.Categories) != 2 || it.Categories[1] != "]]>" {
				t.Errorf("categories %q", it.Categories)
			}
			if len(it.Enclosures) != 1 || it.Enclosures[0].URL != "https://x.example/m.jpg?\"'<>&" {
				t.Errorf("enclosures %+v", it.Enclosures)
			}
		})
	}
}

func TestFormatNames(t *testing.T) {
	for _, f := range Formats {
		g, ok := ParseFileName(f.FileName())
		if !ok || g != f {
			t.Errorf("ParseFileName(%q) = %v %v", f.FileName(), g, ok)
		}
		if !strings.HasSuffix(f.ContentType(), "; charset=utf-8") || strings.Contains(f.MediaType(), ";") {
			t.Errorf("%v: %q %q", f, f.ContentType(), f.MediaType())
		}
	}
	if _, ok := ParseFileName("rss.json"); ok {
		t.Error("rss.json accepted")
	}
}
