package feed

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/jarchy/jarchy/internal/xmltext"
)

// Namespaces used by the RSS writer.
const (
	nsAtom    = "http://www.w3.org/2005/Atom"
	nsContent = "http://purl.org/rss/1.0/modules/content/"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsMedia   = "http://search.yahoo.com/mrss/"
)

// WriteRSS writes fd as RSS 2.0 with the content (full HTML), Dublin Core
// (authors), Atom (rel=self) and Media RSS (the cover's caption and
// credit) extensions.
//
// Readers take an RSS description as HTML, and most take a title as HTML
// too, so the plain-text titles and descriptions are HTML-escaped before
// they are XML-escaped: a lead "<img src=x onerror=…>" reaches the reader
// as "&lt;img …", which it shows as text. dc:creator and category are
// plain text to readers and are only XML-escaped.
func WriteRSS(w io.Writer, fd *Feed) error {
	bw := bufio.NewWriter(w)
	x := xmltext.NewWriter(bw)
	x.Raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.Raw(`<rss version="2.0" xmlns:atom="` + nsAtom + `" xmlns:content="` + nsContent + `" xmlns:dc="` + nsDC + `" xmlns:media="` + nsMedia + `">` + "\n<channel>\n")
	x.Elem("title", htmlText(fd.Title), false)
	x.Elem("link", fd.Link, false)
	x.Elem("description", htmlText(fd.Description), false)
	x.Elem("language", fd.Lang, true)
	if u := fd.updated(); !u.IsZero() {
		x.Elem("lastBuildDate", rfc822(u), false)
	}
	x.Elem("generator", "jarchy", false)
	if fd.FeedURL != "" {
		x.Raw(`<atom:link href="` + xmltext.EscapeAttr(fd.FeedURL) + `" rel="self" type="application/rss+xml"/>`)
	}
	x.Raw("\n")
	for i := range fd.Items {
		writeRSSItem(x, &fd.Items[i])
	}
	x.Raw("</channel>\n</rss>\n")
	if err := x.Err(); err != nil {
		return fmt.Errorf("write rss: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write rss: %w", err)
	}
	return nil
}

func writeRSSItem(x *xmltext.Writer, it *Item) {
	x.Raw("<item>")
	x.Elem("title", htmlText(it.Title), false)
	x.Elem("link", it.Link, true)
	if id := it.id(); id != "" {
		// A GUID is a permalink only when it is the item's web address.
		perma := "false"
		if id == it.Link && (strings.HasPrefix(id, "http://") || strings.HasPrefix(id, "https://")) {
			perma = "true"
		}
		x.Raw(`<guid isPermaLink="` + perma + `">`)
		x.Text(id)
		x.Raw("</guid>")
	}
	x.Elem("description", htmlText(it.Summary), true)
	x.Elem("content:encoded", it.ContentHTML, true)
	if !it.Published.IsZero() {
		x.Elem("pubDate", rfc822(it.Published), false)
	}
	for _, a := range it.Authors {
		x.Elem("dc:creator", a.Name, true)
	}
	for _, c := range it.Categories {
		x.Elem("category", c, true)
	}
	if e := it.Enclosure; e != nil && e.URL != "" {
		// RSS requires all three attributes; 0 is the accepted "unknown".
		x.Raw(`<enclosure url="` + xmltext.EscapeAttr(e.URL) + `" length="` + strconv.FormatInt(max(e.Length, 0), 10) +
			`" type="` + xmltext.EscapeAttr(enclosureType(e)) + `"/>`)
		writeMediaContent(x, e)
	}
	x.Raw("</item>\n")
}

// writeMediaContent writes the enclosure as Media RSS media:content, with
// its caption (media:description) and credit (media:credit) as plain text.
func writeMediaContent(x *xmltext.Writer, e *Enclosure) {
	x.Raw(`<media:content url="` + xmltext.EscapeAttr(e.URL) + `" type="` + xmltext.EscapeAttr(enclosureType(e)) + `" medium="image"`)
	if e.Width > 0 && e.Height > 0 {
		x.Raw(` width="` + strconv.Itoa(e.Width) + `" height="` + strconv.Itoa(e.Height) + `"`)
	}
	if e.Caption == "" && e.Credit == "" {
		x.Raw("/>")
		return
	}
	x.Raw(">")
	if e.Caption != "" {
		x.Raw(`<media:description type="plain">`)
		x.Text(e.Caption)
		x.Raw("</media:description>")
	}
	x.Elem("media:credit", e.Credit, true)
	x.Raw("</media:content>")
}

// htmlText escapes plain text for a field readers take as HTML. Only the
// characters that start markup or a reference are escaped, so a reader
// that shows the field as text anyway sees few entities.
func htmlText(s string) string { return htmlEscaper.Replace(s) }

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func enclosureType(e *Enclosure) string {
	if e.Type != "" {
		return e.Type
	}
	return "application/octet-stream"
}
