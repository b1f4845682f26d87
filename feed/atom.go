package feed

import (
	"bufio"
	"fmt"
	"io"
	"strconv"

	"github.com/jarchy/jarchy/internal/xmltext"
)

// WriteAtom writes fd as an Atom 1.0 feed (RFC 4287), the cover's caption
// and credit as Media RSS (as in RSS).
func WriteAtom(w io.Writer, fd *Feed) error {
	bw := bufio.NewWriter(w)
	x := xmltext.NewWriter(bw)
	x.Raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	x.Raw(`<feed xmlns="` + nsAtom + `" xmlns:media="` + nsMedia + `"`)
	if fd.Lang != "" {
		x.Raw(` xml:lang="` + xmltext.EscapeAttr(fd.Lang) + `"`)
	}
	x.Raw(">\n")
	id := fd.FeedURL
	if id == "" {
		id = fd.Link
	}
	x.Elem("id", id, false)
	x.Raw(`<title type="text">`)
	x.Text(fd.Title)
	x.Raw("</title>")
	if fd.Description != "" {
		x.Raw(`<subtitle type="text">`)
		x.Text(fd.Description)
		x.Raw("</subtitle>")
	}
	// updated is required; a feed with no dates at all says year 1.
	x.Elem("updated", rfc3339(fd.updated()), false)
	if fd.Link != "" {
		x.Raw(`<link rel="alternate" type="text/html" href="` + xmltext.EscapeAttr(fd.Link) + `"/>`)
	}
	if fd.FeedURL != "" {
		x.Raw(`<link rel="self" type="application/atom+xml" href="` + xmltext.EscapeAttr(fd.FeedURL) + `"/>`)
	}
	// The publisher is the feed-level author, so entries without a
	// byline still satisfy RFC 4287.
	x.Raw("<author>")
	x.Elem("name", fd.Title, false)
	x.Elem("uri", fd.Link, true)
	x.Raw("</author>")
	x.Elem("generator", "jarchy", false)
	x.Raw("\n")
	for i := range fd.Items {
		writeAtomEntry(x, &fd.Items[i])
	}
	x.Raw("</feed>\n")
	if err := x.Err(); err != nil {
		return fmt.Errorf("write atom: %w", err)
	}
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write atom: %w", err)
	}
	return nil
}

func writeAtomEntry(x *xmltext.Writer, it *Item) {
	x.Raw("<entry>")
	x.Elem("id", it.id(), false)
	x.Raw(`<title type="text">`)
	x.Text(it.Title)
	x.Raw("</title>")
	if it.Link != "" {
		x.Raw(`<link rel="alternate" type="text/html" href="` + xmltext.EscapeAttr(it.Link) + `"/>`)
	}
	if !it.Published.IsZero() {
		x.Elem("published", rfc3339(it.Published), false)
	}
	x.Elem("updated", rfc3339(it.updated()), false)
	for _, a := range it.Authors {
		x.Raw("<author>")
		x.Elem("name", a.Name, false)
		x.Elem("uri", a.URL, true)
		x.Raw("</author>")
	}
	for _, c := range it.Categories {
		if c == "" {
			continue
		}
		x.Raw(`<category term="` + xmltext.EscapeAttr(c) + `"/>`)
	}
	if it.Summary != "" {
		x.Raw(`<summary type="text">`)
		x.Text(it.Summary)
		x.Raw("</summary>")
	}
	if it.ContentHTML != "" {
		x.Raw(`<content type="html">`)
		x.Text(it.ContentHTML)
		x.Raw("</content>")
	}
	if e := it.Enclosure; e != nil && e.URL != "" {
		x.Raw(`<link rel="enclosure" type="` + xmltext.EscapeAttr(enclosureType(e)) + `"`)
		if e.Length > 0 {
			x.Raw(` length="` + strconv.FormatInt(e.Length, 10) + `"`)
		}
		x.Raw(` href="` + xmltext.EscapeAttr(e.URL) + `"/>`)
		writeMediaContent(x, e)
	}
	x.Raw("</entry>\n")
}
