// Package sitemap writes the files search engines read to find pages:
// sitemap indexes, URL sets with hreflang alternates (sitemaps.org 0.9),
// Google News sitemaps, and robots.txt. The writers stream to an io.Writer
// one entry at a time and enforce the protocol's limits, so a site of any
// size needs no big buffers: when a file is full, Add returns ErrFull and
// the caller starts the next file.
package sitemap

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jarchy/jarchy/internal/xmltext"
)

// Protocol limits.
const (
	MaxURLs     = 50_000           // URLs per sitemap and sitemaps per index
	MaxBytes    = 50 * 1024 * 1024 // uncompressed bytes per file
	MaxNewsURLs = 1_000            // URLs per Google News sitemap
	MaxLocLen   = 2_048            // characters in a <loc>
)

// Namespaces.
const (
	NSSitemap = "http://www.sitemaps.org/schemas/sitemap/0.9"
	NSXHTML   = "http://www.w3.org/1999/xhtml"
	NSNews    = "http://www.google.com/schemas/sitemap-news/0.9"
)

// ContentType is the HTTP Content-Type of every sitemap.
const ContentType = "application/xml; charset=utf-8"

var (
	// ErrFull means the entry would take the file past MaxURLs (or
	// MaxNewsURLs) or MaxBytes; the entry was not written.
	ErrFull = errors.New("sitemap: file is full")
	// ErrInvalid means an address is not an absolute http(s) URL of at
	// most MaxLocLen characters; the entry was not written.
	ErrInvalid = errors.New("sitemap: invalid URL")
)

// Alternate is a translation of a page: <xhtml:link rel="alternate"
// hreflang="Lang" href="URL"/>. Lang may be "x-default".
type Alternate struct {
	Lang string
	URL  string
}

// URL is one page in a URL set. Alternates, when given, should list every
// language version including the page itself, as search engines expect.
type URL struct {
	Loc        string
	LastMod    time.Time // zero: omitted
	Alternates []Alternate
}

// Sitemap is one child sitemap listed in an index.
type Sitemap struct {
	Loc     string
	LastMod time.Time
}

// News is one article in a Google News sitemap.
type News struct {
	Loc         string
	Publication string // the publication's name
	Lang        string // ISO 639 code
	Published   time.Time
	Title       string
}

// stream is the shared machinery: a header written before the first entry,
// entries counted against the limits, a footer on Close.
type stream struct {
	bw      *bufio.Writer
	x       *xmltext.Writer
	header  string
	footer  string
	maxURLs int
	count   int
	started bool
	closed  bool
	entry   strings.Builder
}

func newStream(w io.Writer, header, footer string, maxURLs int) *stream {
	bw := bufio.NewWriterSize(w, 32*1024)
	return &stream{bw: bw, x: xmltext.NewWriter(bw), header: header, footer: footer, maxURLs: maxURLs}
}

func (s *stream) start() {
	if !s.started {
		s.started = true
		s.x.Raw(`<?xml version="1.0" encoding="UTF-8"?>` + "\n" + s.header + "\n")
	}
}

// add writes the entry built in s.entry, if it fits.
func (s *stream) add() error {
	if s.closed {
		return errors.New("sitemap: add after close")
	}
	s.start()
	if err := s.x.Err(); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	if s.count >= s.maxURLs || s.x.Written()+int64(s.entry.Len()+len(s.footer)+1) > MaxBytes {
		return ErrFull
	}
	s.x.Raw(s.entry.String())
	s.count++
	if err := s.x.Err(); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	return nil
}

func (s *stream) close() error {
	if s.closed {
		return nil
	}
	s.start()
	s.closed = true
	s.x.Raw(s.footer + "\n")
	if err := s.x.Err(); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	if err := s.bw.Flush(); err != nil {
		return fmt.Errorf("write sitemap: %w", err)
	}
	return nil
}

// Writer streams a <urlset>.
type Writer struct{ s *stream }

// NewWriter returns a URL set writer on w. Nothing is written before the
// first Add or Close.
func NewWriter(w io.Writer) *Writer {
	return &Writer{newStream(w,
		`<urlset xmlns="`+NSSitemap+`" xmlns:xhtml="`+NSXHTML+`">`, `</urlset>`, MaxURLs)}
}

// Add writes one URL. It returns ErrFull when the file has no room left and
// ErrInvalid for an unusable address; in both cases nothing was written and
// the writer stays usable.
func (w *Writer) Add(u URL) error {
	if err := checkLoc(u.Loc); err != nil {
		return err
	}
	for _, a := range u.Alternates {
		if err := checkLoc(a.URL); err != nil {
			return fmt.Errorf("alternate %s: %w", a.Lang, err)
		}
	}
	e := &w.s.entry
	e.Reset()
	e.WriteString("<url><loc>")
	e.WriteString(xmltext.Escape(u.Loc))
	e.WriteString("</loc>")
	if !u.LastMod.IsZero() {
		e.WriteString("<lastmod>" + w3cTime(u.LastMod) + "</lastmod>")
	}
	for _, a := range u.Alternates {
		e.WriteString(`<xhtml:link rel="alternate" hreflang="` + xmltext.EscapeAttr(a.Lang) +
			`" href="` + xmltext.EscapeAttr(a.URL) + `"/>`)
	}
	e.WriteString("</url>\n")
	return w.s.add()
}

// Count returns the number of URLs written.
func (w *Writer) Count() int { return w.s.count }

// Close ends the document and flushes; it does not close the io.Writer.
func (w *Writer) Close() error { return w.s.close() }

// IndexWriter streams a <sitemapindex>.
type IndexWriter struct{ s *stream }

// NewIndexWriter returns a sitemap index writer on w.
func NewIndexWriter(w io.Writer) *IndexWriter {
	return &IndexWriter{newStream(w, `<sitemapindex xmlns="`+NSSitemap+`">`, `</sitemapindex>`, MaxURLs)}
}

// Add lists one child sitemap; errors as for Writer.Add.
func (w *IndexWriter) Add(sm Sitemap) error {
	if err := checkLoc(sm.Loc); err != nil {
		return err
	}
	e := &w.s.entry
	e.Reset()
	e.WriteString("<sitemap><loc>" + xmltext.Escape(sm.Loc) + "</loc>")
	if !sm.LastMod.IsZero() {
		e.WriteString("<lastmod>" + w3cTime(sm.LastMod) + "</lastmod>")
	}
	e.WriteString("</sitemap>\n")
	return w.s.add()
}

// Count returns the number of sitemaps listed.
func (w *IndexWriter) Count() int { return w.s.count }

// Close ends the document and flushes.
func (w *IndexWriter) Close() error { return w.s.close() }

// NewsWriter streams a Google News sitemap (at most MaxNewsURLs articles,
// which should be those published in the last two days).
type NewsWriter struct{ s *stream }

// NewNewsWriter returns a Google News sitemap writer on w.
func NewNewsWriter(w io.Writer) *NewsWriter {
	return &NewsWriter{newStream(w,
		`<urlset xmlns="`+NSSitemap+`" xmlns:news="`+NSNews+`">`, `</urlset>`, MaxNewsURLs)}
}

// Add writes one article; errors as for Writer.Add.
func (w *NewsWriter) Add(n News) error {
	if err := checkLoc(n.Loc); err != nil {
		return err
	}
	e := &w.s.entry
	e.Reset()
	e.WriteString("<url><loc>" + xmltext.Escape(n.Loc) + "</loc><news:news><news:publication><news:name>")
	e.WriteString(xmltext.Escape(n.Publication))
	e.WriteString("</news:name><news:language>" + xmltext.Escape(n.Lang) + "</news:language></news:publication>")
	e.WriteString("<news:publication_date>" + w3cTime(n.Published) + "</news:publication_date>")
	e.WriteString("<news:title>" + xmltext.Escape(n.Title) + "</news:title></news:news></url>\n")
	return w.s.add()
}

// Count returns the number of articles written.
func (w *NewsWriter) Count() int { return w.s.count }

// Close ends the document and flushes.
func (w *NewsWriter) Close() error { return w.s.close() }

// checkLoc accepts absolute http(s) URLs without characters XML forbids.
func checkLoc(loc string) error {
	if !strings.HasPrefix(loc, "https://") && !strings.HasPrefix(loc, "http://") {
		return fmt.Errorf("%w: %q is not absolute", ErrInvalid, trunc(loc))
	}
	if len(loc) > MaxLocLen {
		return fmt.Errorf("%w: longer than %d characters", ErrInvalid, MaxLocLen)
	}
	if xmltext.Clean(loc) != loc || strings.ContainsAny(loc, " \t\r\n") {
		return fmt.Errorf("%w: %q has spaces or control characters", ErrInvalid, trunc(loc))
	}
	return nil
}

func trunc(s string) string {
	if len(s) > 80 {
		return s[:80] + "…"
	}
	return s
}

// w3cTime formats t in the W3C Datetime profile of ISO 8601, in UTC.
func w3cTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// Robots is the content of robots.txt.
type Robots struct {
	Disallow []string // path prefixes crawlers should skip
	Sitemaps []string // absolute sitemap URLs
}

// WriteRobots writes r as robots.txt for every user agent.
func WriteRobots(w io.Writer, r Robots) error {
	var b strings.Builder
	b.WriteString("User-agent: *\n")
	for _, p := range r.Disallow {
		b.WriteString("Disallow: " + oneLine(p) + "\n")
	}
	b.WriteString("Allow: /\n")
	if len(r.Sitemaps) > 0 {
		b.WriteString("\n")
	}
	for _, s := range r.Sitemaps {
		b.WriteString("Sitemap: " + oneLine(s) + "\n")
	}
	if _, err := io.WriteString(w, b.String()); err != nil {
		return fmt.Errorf("write robots.txt: %w", err)
	}
	return nil
}

// oneLine drops line breaks so a value cannot add directives.
func oneLine(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}
