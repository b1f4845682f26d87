package newsroom

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// localTimeLayout is the value of a datetime-local input, read and shown
// in Asia/Bishkek.
const localTimeLayout = "2006-01-02T15:04"

// articleValues is the editor's form for a stored (or new) article.
func articleValues(a *jarchy.Article) url.Values {
	v := url.Values{}
	v.Set("title", a.Title)
	v.Set("slug", a.Slug)
	v.Set("lead", a.Lead)
	v.Set("body", a.Body)
	if a.Section.ID != 0 {
		v.Set("section", strconv.FormatInt(a.Section.ID, 10))
	}
	v.Set("tags", joinNames(a.Tags, func(t jarchy.Tag) string { return t.Name }))
	v.Set("authors", joinNames(a.Authors, func(au jarchy.Author) string { return au.Name }))
	if c := a.Cover; c != nil {
		v.Set("cover_key", c.Key) // a photo of the library
	}
	v.Set("lang", string(a.Lang))
	v.Set("seo_title", a.SEOTitle)
	v.Set("seo_description", a.SEODescription)
	if !a.PublishedAt.IsZero() {
		v.Set("published_at", a.PublishedAt.In(i18n.Zone).Format(localTimeLayout))
	}
	v.Set("version", strconv.FormatInt(a.Version, 10))
	return v
}

func joinNames[T any](xs []T, name func(T) string) string {
	names := make([]string, len(xs))
	for i, x := range xs {
		names[i] = name(x)
	}
	return strings.Join(names, ", ")
}

// splitNames reads a comma-separated list of names (tags, authors),
// dropping empty ones and repeats.
func splitNames(s string) []string {
	var out []string
	seen := map[string]bool{}
	for part := range strings.SplitSeq(s, ",") {
		n := strings.TrimSpace(part)
		if n == "" || seen[strings.ToLower(n)] {
			continue
		}
		seen[strings.ToLower(n)] = true
		out = append(out, n)
	}
	return out
}

// articleFieldOf maps the domain's field names to the editor's fields.
var articleFieldOf = map[string]string{
	"title": "title", "slug": "slug", "lead": "lead", "body": "body", "section": "section",
	"tags": "tags", "authors": "authors", "cover": "cover", "lang": "lang",
	"seo_title": "seo_title", "seo_description": "seo_description", "published_at": "published_at",
	"translation_group": "translation_of", "correction": "correction_note",
}

// readArticle applies the editor's form to a copy of base (the stored
// article, or a new one): every field the form has, nothing else (the ID,
// owner, version and state stay base's). Values that cannot be read (a
// section that is not a number, a malformed time) are refused on f.
func readArticle(f *Form, base *jarchy.Article) *jarchy.Article {
	a := *base
	v := f.Values
	a.Title = v.Get("title")
	a.Slug = strings.TrimSpace(v.Get("slug"))
	a.Lead = v.Get("lead")
	a.Body = v.Get("body")
	a.SEOTitle = v.Get("seo_title")
	a.SEODescription = v.Get("seo_description")
	if l := v.Get("lang"); l != "" {
		if lang, ok := jarchy.ParseLang(l); ok {
			a.Lang = lang
		} else {
			f.Add("lang", "err.lang")
		}
	}
	a.Section = jarchy.Section{}
	if s := v.Get("section"); s == "" {
		f.Add("section", "err.section_required")
	} else if id, err := strconv.ParseInt(s, 10, 64); err != nil || id <= 0 {
		f.Add("section", "err.section_unknown")
	} else {
		a.Section.ID = id
	}
	a.Tags = nil
	for _, n := range splitNames(v.Get("tags")) {
		a.Tags = append(a.Tags, jarchy.Tag{Name: n})
	}
	a.Authors = nil
	for _, n := range splitNames(v.Get("authors")) {
		a.Authors = append(a.Authors, jarchy.Author{Name: n})
	}
	// The cover is a photo of the library, by key (its texts are edited
	// there); prepareSave checks that it exists.
	a.Cover = nil
	if key := strings.TrimSpace(v.Get("cover_key")); key != "" {
		a.Cover = &jarchy.Media{Key: key}
	}
	a.PublishedAt = time.Time{}
	if s := strings.TrimSpace(v.Get("published_at")); s != "" {
		t, err := time.ParseInLocation(localTimeLayout, s, i18n.Zone)
		if err != nil { // with seconds, as a browser sends a value set to the second
			t, err = time.ParseInLocation(localTimeLayout+":05", s, i18n.Zone)
		}
		if err != nil {
			f.Add("published_at", "nr.err.time")
		} else {
			a.PublishedAt = t.UTC()
		}
	}
	if !base.PublishedAt.IsZero() && !a.PublishedAt.IsZero() &&
		a.PublishedAt.Truncate(time.Minute).Equal(base.PublishedAt.Truncate(time.Minute)) {
		a.PublishedAt = base.PublishedAt // the form shows minutes: keep the stored seconds
	}
	return &a
}
