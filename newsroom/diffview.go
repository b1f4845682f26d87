package newsroom

import (
	"strings"

	"github.com/jarchy/jarchy"
)

// fieldDiff is the word-level difference of one field of two versions of
// an article.
type fieldDiff struct {
	Label   string
	Ops     []jarchy.DiffOp
	Changed bool
}

// articleTexts is an article as labelled texts, metadata included: what a
// diff compares.
func articleTexts(q *Request, a *jarchy.Article, sections []jarchy.Section) [][2]string {
	section := a.Section.Name(q.Lang)
	if len(a.Section.Names) == 0 {
		for _, s := range sections {
			if s.ID == a.Section.ID {
				section = s.Name(q.Lang)
			}
		}
	}
	var cover string
	if c := a.Cover; c != nil {
		cover = strings.Join(nonEmpty(c.Key, c.URL, c.Caption, c.Credit, c.Alt), " · ")
	}
	published := ""
	if !a.PublishedAt.IsZero() {
		published = localTime(q, a.PublishedAt)
	}
	var corrections []string
	for _, c := range a.Corrections {
		corrections = append(corrections, localTime(q, c.At)+": "+c.Text)
	}
	return [][2]string{
		{q.T("field.title"), a.Title},
		{q.T("field.slug"), a.Slug},
		{q.T("field.lang"), string(a.Lang)},
		{q.T("field.section"), section},
		{q.T("field.tags"), joinNames(a.Tags, func(t jarchy.Tag) string { return t.Name })},
		{q.T("field.authors"), joinNames(a.Authors, func(au jarchy.Author) string { return au.Name })},
		{q.T("field.cover"), cover},
		{q.T("field.status"), q.T("nr.status." + string(a.Status))},
		{q.T("field.published_at"), published},
		{q.T("field.seo_title"), a.SEOTitle},
		{q.T("field.seo_description"), a.SEODescription},
		{q.T("field.lead"), a.Lead},
		{q.T("field.body"), a.Body},
		{q.T("nr.correction.legend"), strings.Join(corrections, "\n")},
	}
}

func nonEmpty(xs ...string) []string {
	var out []string
	for _, x := range xs {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// diffArticles compares two versions field by field (old → new).
func diffArticles(q *Request, old, new *jarchy.Article, sections []jarchy.Section) []fieldDiff {
	a, b := articleTexts(q, old, sections), articleTexts(q, new, sections)
	out := make([]fieldDiff, len(a))
	for i := range a {
		out[i] = fieldDiff{Label: a[i][0], Ops: jarchy.WordDiff(a[i][1], b[i][1]), Changed: a[i][1] != b[i][1]}
	}
	return out
}

func anyChanged(diffs []fieldDiff) bool {
	for _, d := range diffs {
		if d.Changed {
			return true
		}
	}
	return false
}
