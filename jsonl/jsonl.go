// Package jsonl imports and exports articles as JSON Lines, one article per
// line (see the README). Import upserts on the article's id, creates
// sections, tags and authors by name, and reports each bad line with its
// number and reason while the other lines still import.
package jsonl

import (
	"strconv"
	"time"

	"github.com/jarchy/jarchy"
)

// MaxLineBytes bounds one line of input: room for a body of
// jarchy.MaxBodyLen bytes written with every character escaped as \uXXXX
// (as Python's json.dumps does by default: up to 6 bytes for each byte of
// a control character, 3 for each byte of other text).
const MaxLineBytes = 8 << 20

// Line is one article in the file format.
type Line struct {
	ID            string   `json:"id"`
	Lang          string   `json:"lang"`
	Title         string   `json:"title"`
	Slug          string   `json:"slug,omitempty"`
	Lead          string   `json:"lead"`
	Body          string   `json:"body"`
	Section       string   `json:"section"`
	Tags          []string `json:"tags"`
	Authors       []string `json:"authors"`
	PublishedAt   string   `json:"published_at,omitempty"`
	Status        string   `json:"status"`
	TranslationOf string   `json:"translation_of,omitempty"`
	Cover         *Cover   `json:"cover,omitempty"`
	// Corrections are the article's public correction notes, oldest
	// first. Missing (or null) keeps a stored article's corrections; []
	// removes them.
	Corrections []Correction `json:"corrections,omitempty"`
	// SEOTitle and SEODescription are what search engines get (empty:
	// the title and the lead). Missing (or null) keeps a stored
	// article's; "" clears them.
	SEOTitle       *string `json:"seo_title,omitempty"`
	SEODescription *string `json:"seo_description,omitempty"`
}

// Correction is a public, dated correction note of an article.
type Correction struct {
	At   string `json:"at"` // RFC 3339, required
	Text string `json:"text"`
}

// Cover is an article's photo: a key in the media store (path) or an
// external image (url).
type Cover struct {
	Path    string `json:"path,omitempty"`
	URL     string `json:"url,omitempty"`
	Caption string `json:"caption,omitempty"`
	Credit  string `json:"credit,omitempty"`
	Alt     string `json:"alt,omitempty"`
	Width   int    `json:"width,omitempty"`
	Height  int    `json:"height,omitempty"`
}

// LineError is a problem with one input line.
type LineError struct {
	Line   int    // 1-based line number
	ID     string // the article id, when it could be read
	Reason string
}

func (e LineError) String() string {
	if e.ID != "" {
		return "line " + strconv.Itoa(e.Line) + ": " + e.ID + ": " + e.Reason
	}
	return "line " + strconv.Itoa(e.Line) + ": " + e.Reason
}

// MaxReported bounds the errors and warnings a Report keeps; Failed
// counts them all.
const MaxReported = 1000

// Report is the outcome of an import.
type Report struct {
	Lines      int // non-empty lines read
	Created    int
	Updated    int
	Unchanged  int // lines equal to the stored article (nothing written)
	Superseded int // lines whose id a later line of the file has again (the later one wins)
	Failed     int
	Warned     int
	Errors     []LineError // the first MaxReported failures, in line order
	Warnings   []LineError // e.g. a cover path missing from the media store
	Duration   time.Duration
}

// OK reports whether every line imported.
func (r *Report) OK() bool { return r.Failed == 0 }

func (r *Report) fail(e LineError) {
	r.Failed++
	if len(r.Errors) < MaxReported {
		r.Errors = append(r.Errors, e)
	}
}

func (r *Report) warn(e LineError) {
	r.Warned++
	if len(r.Warnings) < MaxReported {
		r.Warnings = append(r.Warnings, e)
	}
}

// exportID is the id written for an article without an external id.
func exportID(a *jarchy.Article) string {
	if a.ExternalID != "" {
		return a.ExternalID
	}
	return "jarchy-" + strconv.FormatInt(a.ID, 10)
}
