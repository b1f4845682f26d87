package jarchy

import (
	"slices"
	"strings"
	"time"
)

// Limits of an article's corrections.
const (
	MaxCorrections   = 50   // per article
	MaxCorrectionLen = 2000 // runes of one correction's text
)

// Correction is a public, dated note that an edit of a published article
// corrected it: pages show it under the article ("Correction, 5 December
// 2026: …"), and its JSON-LD carries it as a schema.org CorrectionComment.
// A correction is plain text, never Markdown.
type Correction struct {
	At   time.Time `json:"at"` // UTC; the store stamps a zero At with its clock
	Text string    `json:"text"`
}

// AddCorrection marks the next save of a as a correction: it appends a
// correction with text (cleaned with CleanText, trimmed, validated) and a
// zero At, which the store stamps with its clock when it saves a. a's
// Corrections are the whole list (as read), so an editor loads the
// article, applies the form and calls AddCorrection before SaveArticle.
func AddCorrection(a *Article, text string) error {
	c := Correction{Text: strings.TrimSpace(CleanText(text))}
	if err := c.validate(); err != nil {
		return err
	}
	if len(a.Corrections) >= MaxCorrections {
		return Invalid("correction", "err.too_many", "more than %d corrections", MaxCorrections)
	}
	a.Corrections = append(slices.Clone(a.Corrections), c)
	return nil
}

// normalizeCorrections returns cs cleaned (texts with CleanText, trimmed;
// times in UTC, a zero time set to now when now is not zero) in a new
// slice; nil for none.
func normalizeCorrections(cs []Correction, now time.Time) []Correction {
	if len(cs) == 0 {
		return nil
	}
	out := make([]Correction, len(cs))
	for i, c := range cs {
		c.Text = strings.TrimSpace(CleanText(c.Text))
		if c.At.IsZero() {
			c.At = now
		}
		if !c.At.IsZero() {
			c.At = c.At.UTC()
		}
		out[i] = c
	}
	return out
}

func (c Correction) validate() error {
	return validText("correction", c.Text, MaxCorrectionLen, true)
}

func validCorrections(cs []Correction) error {
	if len(cs) > MaxCorrections {
		return Invalid("correction", "err.too_many", "more than %d corrections", MaxCorrections)
	}
	for _, c := range cs {
		if err := c.validate(); err != nil {
			return err
		}
	}
	return nil
}

// KeepCorrections gives a restore (RestoredFrom set) the corrections of
// the stored article instead of those of the old snapshot: a correction
// was published, and restoring an earlier text does not unpublish it.
// Stores call it with the stored row before the save (nil: none).
func (a *Article) KeepCorrections(stored *Article) {
	if a.RestoredFrom != 0 && stored != nil {
		a.Corrections = slices.Clone(stored.Corrections)
	}
}

// LastCorrection returns the time of a's latest correction, or zero.
func (a *Article) LastCorrection() time.Time {
	var last time.Time
	for _, c := range a.Corrections {
		if c.At.After(last) {
			last = c.At
		}
	}
	return last
}
