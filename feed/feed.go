// Package feed writes syndication feeds (RSS 2.0, Atom 1.0 and JSON Feed
// 1.1) from one neutral model. The writers are hand-written on io.Writer:
// all text is cleaned of characters XML forbids and of invalid UTF-8, and
// escaped, so hostile input always gives a well-formed feed.
//
// ContentHTML is copied as HTML: callers must pass sanitised HTML (the
// markup package's output). Every other field is plain text, written so
// that every reader shows it as text: RSS titles and descriptions, which
// readers take as HTML, are HTML-escaped; Atom marks its texts
// type="text"; JSON Feed's title, summary and content_text are plain
// text by definition.
package feed

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// Feed is a channel of items, in one language.
type Feed struct {
	Title       string
	Link        string // absolute URL of the HTML page the feed mirrors
	FeedURL     string // absolute URL of the feed itself (rel=self)
	Description string
	Lang        string    // BCP 47 code: "ky", "ru", "en"
	Updated     time.Time // zero: the newest item's time
	Items       []Item
}

// Item is one entry of a feed.
type Item struct {
	// ID is a permanent unique identifier: an absolute IRI (a tag: URI or
	// the item's permalink). Empty means Link.
	ID          string
	Title       string
	Link        string // absolute URL of the item's page
	Summary     string // plain text
	ContentHTML string // sanitised HTML of the full text
	Published   time.Time
	Updated     time.Time // zero: Published
	Authors     []Person
	Categories  []string
	Enclosure   *Enclosure
}

// Person is an author.
type Person struct {
	Name string
	URL  string // absolute URL of the author's page, optional
}

// Enclosure is a media file attached to an item (the cover image), with
// the texts printed beside it: RSS and Atom carry them as Media RSS
// (media:content with media:description and media:credit), JSON Feed as
// the attachment's title and the item's _media extension.
type Enclosure struct {
	URL           string
	Type          string // MIME type, e.g. image/jpeg
	Length        int64  // bytes; 0 when unknown
	Width, Height int    // pixels; 0 when unknown
	Caption       string // plain text
	Credit        string // plain text: who took the photo or holds its rights
}

// Format is a feed format.
type Format int

// The feed formats.
const (
	RSS Format = iota + 1
	Atom
	JSON
)

// Formats lists every format.
var Formats = []Format{RSS, Atom, JSON}

// Content types with charset, for the HTTP Content-Type header.
const (
	RSSContentType  = "application/rss+xml; charset=utf-8"
	AtomContentType = "application/atom+xml; charset=utf-8"
	JSONContentType = "application/feed+json; charset=utf-8"
)

// FileName returns the last URL segment used for f (rss.xml, atom.xml,
// feed.json).
func (f Format) FileName() string {
	switch f {
	case RSS:
		return "rss.xml"
	case Atom:
		return "atom.xml"
	case JSON:
		return "feed.json"
	}
	return ""
}

// ContentType returns the HTTP Content-Type for f.
func (f Format) ContentType() string {
	switch f {
	case RSS:
		return RSSContentType
	case Atom:
		return AtomContentType
	case JSON:
		return JSONContentType
	}
	return "application/octet-stream"
}

// MediaType returns f's MIME type without parameters, as used in
// <link rel="alternate" type="…"> autodiscovery tags.
func (f Format) MediaType() string {
	ct := f.ContentType()
	if i := strings.IndexByte(ct, ';'); i >= 0 {
		return ct[:i]
	}
	return ct
}

// String returns the format's name.
func (f Format) String() string {
	switch f {
	case RSS:
		return "RSS"
	case Atom:
		return "Atom"
	case JSON:
		return "JSON Feed"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// ParseFileName returns the format served under a file name (rss.xml,
// atom.xml, feed.json) and whether there is one.
func ParseFileName(name string) (Format, bool) {
	for _, f := range Formats {
		if f.FileName() == name {
			return f, true
		}
	}
	return 0, false
}

// Write writes fd in format f to w.
func Write(w io.Writer, f Format, fd *Feed) error {
	switch f {
	case RSS:
		return WriteRSS(w, fd)
	case Atom:
		return WriteAtom(w, fd)
	case JSON:
		return WriteJSON(w, fd)
	}
	return fmt.Errorf("write feed: unknown format %d", int(f))
}

// updated returns the feed's update time: Updated, else the newest item
// time, else the zero time.
func (fd *Feed) updated() time.Time {
	if !fd.Updated.IsZero() {
		return fd.Updated.UTC()
	}
	var t time.Time
	for i := range fd.Items {
		if u := fd.Items[i].updated(); u.After(t) {
			t = u
		}
	}
	return t.UTC()
}

func (it *Item) updated() time.Time {
	if !it.Updated.IsZero() {
		return it.Updated.UTC()
	}
	return it.Published.UTC()
}

func (it *Item) id() string {
	if it.ID != "" {
		return it.ID
	}
	return it.Link
}

// rfc822 formats t for RSS (RFC 822 with a four-digit year, in UTC).
func rfc822(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }

// rfc3339 formats t for Atom and JSON Feed, in UTC.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
