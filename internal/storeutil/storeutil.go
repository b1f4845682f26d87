// Package storeutil holds the store rules that do not depend on a database,
// so that the sqlite and postgres stores apply them identically: input
// checks beyond jarchy's Validate, slug rules, filter defaults, time
// precision and the content hash that tells an unchanged re-save.
package storeutil

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// Limits on keys that jarchy's Validate does not bound.
const (
	MaxExternalIDLen = 200 // bytes
	MaxGroupLen      = 200 // bytes
	MaxBioLen        = 2000
	DefaultLimit     = 20
	MaxLimit         = 100
	// RelatedPerSource bounds the candidates for related articles taken
	// from each tag and from the section (newest first), so that they cost
	// the same on a big site.
	RelatedPerSource = 20
)

// ReservedSectionSlugs are URL segments that a section may not take.
var ReservedSectionSlugs = []string{"tag", "author", "page", "search", "feed"}

// ValidSlug reports whether s is a clean slug: lower-case ASCII letters and
// digits in words joined by single hyphens, at most jarchy.MaxSlugLen bytes.
func ValidSlug(s string) bool {
	if s == "" || len(s) > jarchy.MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// SlugCandidate returns the n-th candidate for base: base itself for n < 2,
// else base shortened as needed and "-n" appended.
func SlugCandidate(base string, n int) string {
	if n < 2 {
		return base
	}
	suffix := "-" + strconv.Itoa(n)
	if len(base)+len(suffix) > jarchy.MaxSlugLen {
		base = strings.TrimRight(base[:jarchy.MaxSlugLen-len(suffix)], "-")
	}
	return base + suffix
}

// Micro converts t to the stored form: UTC, truncated to the microsecond.
func Micro(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC().Truncate(time.Microsecond)
}

// Now returns jarchy.Now() in the stored form.
func Now() time.Time { return Micro(jarchy.Now()) }

// NewGroup returns a fresh translation group.
func NewGroup() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "g-" + hex.EncodeToString(b)
}

func checkText(field, s string, maxRunes int, required bool) error {
	if !utf8.ValidString(s) {
		return jarchy.Invalid(field, "err.utf8", "%s is not valid UTF-8", field)
	}
	if required && strings.TrimSpace(s) == "" {
		return jarchy.Invalid(field, "err.required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > maxRunes {
		return jarchy.Invalid(field, "err.too_long", "%s is longer than %d characters", field, maxRunes)
	}
	if strings.ContainsRune(s, 0) {
		return jarchy.Invalid(field, "err.control", "%s contains a NUL character", field)
	}
	return nil
}

func checkKey(field, s string, max int) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return jarchy.Invalid(field, "err.utf8", "%s must be valid UTF-8 without NUL", field)
	}
	if len(s) > max {
		return jarchy.Invalid(field, "err.too_long", "%s is longer than %d bytes", field, max)
	}
	return nil
}

// FallbackSlug is the slug of a name that transliterates to nothing (only
// punctuation or symbols, such as "!!!", "—" or "…", or a script without a
// Latin spelling): prefix, a hyphen and 8 hex digits of the SHA-256 of the
// trimmed, lower-cased NFC name, so that one name always gets the same slug.
func FallbackSlug(prefix, name string) string {
	sum := sha256.Sum256([]byte(norm.NFC.String(strings.ToLower(strings.TrimSpace(name)))))
	return prefix + "-" + hex.EncodeToString(sum[:4])
}

// fallbackPrefix names the kind of a relation in its fallback slug.
func fallbackPrefix(field string) string {
	if strings.HasPrefix(field, "author") {
		return "author"
	}
	return "tag"
}

// RelationSlug returns the slug of a tag or author: the given one, which
// must be clean, or the name transliterated as the site's default language
// spells it, whatever the article's language, so that one name is one tag
// or author in every language (Жапаров is japarov, not zhaparov in Russian).
// A name that transliterates to nothing gets FallbackSlug ("tag-…" or
// "author-…"); an empty name is an error.
func RelationSlug(field, slug, name string) (string, error) {
	if slug == "" {
		slug = jarchy.Slugify(jarchy.DefaultLang, name)
		if slug == "" {
			if strings.TrimSpace(name) == "" {
				return "", jarchy.Invalid(field, "err.required", "%s needs a name", field)
			}
			slug = FallbackSlug(fallbackPrefix(field), name)
		}
		return slug, nil
	}
	if !ValidSlug(slug) {
		return "", jarchy.Invalid(field, "err.slug", "%s slug %q is not a clean slug", field, slug)
	}
	return slug, nil
}

// CheckSection normalises (jarchy.Section.Normalize) and validates a
// section before it is saved.
func CheckSection(s *jarchy.Section) error {
	s.Normalize()
	if !ValidSlug(s.Slug) {
		return jarchy.Invalid("section", "err.slug", "section slug %q is not a clean slug", s.Slug)
	}
	for _, r := range ReservedSectionSlugs {
		if s.Slug == r {
			return jarchy.Invalid("section", "err.slug_reserved", "section slug %q is reserved", s.Slug)
		}
	}
	for l, n := range s.Names {
		if !l.Valid() {
			return jarchy.Invalid("section", "err.lang", "unknown language %q", l)
		}
		if err := checkText("section", n, jarchy.MaxNameLen, false); err != nil {
			return err
		}
	}
	if s.Names == nil {
		s.Names = map[jarchy.Lang]string{}
	}
	return nil
}

// CheckAuthor normalises (jarchy.Author.Normalize) and validates an
// author and fills its slug (derived from the name in Kyrgyz when empty).
func CheckAuthor(a *jarchy.Author) error {
	a.Normalize()
	if err := checkText("author", a.Name, jarchy.MaxNameLen, true); err != nil {
		return err
	}
	if err := checkText("bio", a.Bio, MaxBioLen, false); err != nil {
		return err
	}
	slug, err := RelationSlug("author", a.Slug, a.Name)
	if err != nil {
		return err
	}
	a.Slug = slug
	return nil
}

// PrepareArticle normalises and validates a before a save
// (NormalizeArticle) and renders its body into BodyHTML.
func PrepareArticle(a *jarchy.Article) error {
	if err := NormalizeArticle(a); err != nil {
		return err
	}
	a.BodyHTML = string(markup.Article(a.Body))
	return nil
}

// NormalizeArticle brings a to the form a store keeps, without rendering
// its body: it runs jarchy's Normalize and Validate, gives a title that
// transliterates to nothing a FallbackSlug ("article-…"), checks the slug,
// keys and section slug, brings times to the stored precision, and derives
// the slugs of tags and authors given by name, dropping duplicates.
// Relations given by ID keep an empty slug; the store resolves them. An
// import compares a line with the stored article after this, so that what
// the store would change on a save is never counted as a difference.
func NormalizeArticle(a *jarchy.Article) error {
	a.BodyHTML = "" // only ever what this store renders
	a.Normalize()
	if a.Slug == "" && strings.TrimSpace(a.Title) != "" {
		a.Slug = FallbackSlug("article", a.Title)
	}
	a.TranslationGroup = strings.TrimSpace(a.TranslationGroup)
	a.Section.Slug = strings.TrimSpace(a.Section.Slug)
	if err := a.Validate(); err != nil {
		return err
	}
	if !ValidSlug(a.Slug) {
		return jarchy.Invalid("slug", "err.slug", "slug %q is not a clean slug", a.Slug)
	}
	if err := checkKey("external_id", a.ExternalID, MaxExternalIDLen); err != nil {
		return err
	}
	if err := checkKey("translation_group", a.TranslationGroup, MaxGroupLen); err != nil {
		return err
	}
	if a.Section.ID == 0 {
		if err := CheckSection(&a.Section); err != nil {
			return err
		}
	}
	a.PublishedAt = Micro(a.PublishedAt)
	a.CreatedAt = Micro(a.CreatedAt)
	a.UpdatedAt = Micro(a.UpdatedAt)

	seen := map[string]bool{}
	tags := a.Tags[:0:0]
	for _, t := range a.Tags { // normalised by a.Normalize
		if t.ID != 0 {
			key := "#" + strconv.FormatInt(t.ID, 10)
			if !seen[key] {
				seen[key] = true
				tags = append(tags, jarchy.Tag{ID: t.ID})
			}
			continue
		}
		slug, err := RelationSlug("tags", t.Slug, t.Name)
		if err != nil {
			return err
		}
		if !seen[slug] {
			seen[slug] = true
			tags = append(tags, jarchy.Tag{Slug: slug, Name: t.Name})
		}
	}
	a.Tags = tags

	seen = map[string]bool{}
	authors := a.Authors[:0:0]
	for _, au := range a.Authors { // normalised by a.Normalize
		if au.ID != 0 {
			key := "#" + strconv.FormatInt(au.ID, 10)
			if !seen[key] {
				seen[key] = true
				authors = append(authors, jarchy.Author{ID: au.ID})
			}
			continue
		}
		if err := checkText("authors", au.Bio, MaxBioLen, false); err != nil {
			return err
		}
		slug, err := RelationSlug("authors", au.Slug, au.Name)
		if err != nil {
			return err
		}
		if !seen[slug] {
			seen[slug] = true
			authors = append(authors, jarchy.Author{Slug: slug, Name: au.Name, Bio: au.Bio})
		}
	}
	a.Authors = authors
	return nil
}

// BodyHTMLVersion is the renderer version stored with BodyHTML.
const BodyHTMLVersion = markup.Version

// RenderStaleBodies renders the BodyHTML of whole articles read without one
// (rendered by an older renderer, or before bodies were kept rendered) and
// reports which it rendered, for Reindex to store.
func RenderStaleBodies(arts []*jarchy.Article) []bool {
	stale := make([]bool, len(arts))
	for i, a := range arts {
		if a.BodyHTML == "" && a.Body != "" {
			a.BodyHTML = string(markup.Article(a.Body))
			stale[i] = true
		}
	}
	return stale
}

// DedupeRelations drops tags and authors that resolved to the same ID
// (e.g. one given by ID and again by name), keeping the first.
func DedupeRelations(a *jarchy.Article) {
	seen := map[int64]bool{}
	tags := a.Tags[:0]
	for _, t := range a.Tags {
		if !seen[t.ID] {
			seen[t.ID] = true
			tags = append(tags, t)
		}
	}
	a.Tags = tags
	seen = map[int64]bool{}
	authors := a.Authors[:0]
	for _, au := range a.Authors {
		if !seen[au.ID] {
			seen[au.ID] = true
			authors = append(authors, au)
		}
	}
	a.Authors = authors
}

// ContentHash hashes what readers see of a resolved article (relations by
// ID), so a store can keep UpdatedAt when a save changes nothing, as when
// the same import runs twice.
func ContentHash(a *jarchy.Article) string {
	h := sha256.New()
	put := func(v ...any) {
		for _, x := range v {
			s := fmt.Sprint(x)
			fmt.Fprintf(h, "%d:%s;", len(s), s)
		}
	}
	put(a.ExternalID, a.Lang, a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body, a.Section.ID, a.Status)
	if a.PublishedAt.IsZero() {
		put("-")
	} else {
		put(a.PublishedAt.UnixMicro())
	}
	put(len(a.Tags))
	for _, t := range a.Tags {
		put(t.ID)
	}
	put(len(a.Authors))
	for _, au := range a.Authors {
		put(au.ID)
	}
	if c := a.Cover; c != nil {
		put("cover", c.Path, c.URL, c.Caption, c.Credit, c.Alt, c.Width, c.Height)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// PreparePage normalises (jarchy.Page.Normalize) and validates a page,
// deriving its slug when empty.
func PreparePage(p *jarchy.Page) error {
	if !p.Lang.Valid() {
		return jarchy.Invalid("lang", "err.lang", "unknown language %q", p.Lang)
	}
	p.Normalize()
	if err := checkText("title", p.Title, jarchy.MaxTitleLen, true); err != nil {
		return err
	}
	if !utf8.ValidString(p.Body) {
		return jarchy.Invalid("body", "err.utf8", "body is not valid UTF-8")
	}
	if len(p.Body) > jarchy.MaxBodyLen {
		return jarchy.Invalid("body", "err.too_long", "body is longer than %d bytes", jarchy.MaxBodyLen)
	}
	if strings.ContainsRune(p.Body, 0) {
		return jarchy.Invalid("body", "err.control", "body contains a NUL character")
	}
	if p.Slug == "" {
		p.Slug = jarchy.Slugify(p.Lang, p.Title)
		if p.Slug == "" {
			return jarchy.Invalid("slug", "err.slug", "title gives no slug")
		}
	} else if !ValidSlug(p.Slug) {
		return jarchy.Invalid("slug", "err.slug", "slug %q is not a clean slug", p.Slug)
	}
	return nil
}

// CleanSettings normalises (jarchy.Settings.Normalize) and validates
// settings and returns a copy without empty values and with non-nil maps.
func CleanSettings(s jarchy.Settings) (jarchy.Settings, error) {
	s = s.Normalize()
	out := jarchy.Settings{SiteName: map[jarchy.Lang]string{}, Social: map[string]string{}}
	for l, n := range s.SiteName {
		if !l.Valid() {
			return out, jarchy.Invalid("site_name", "err.lang", "unknown language %q", l)
		}
		if err := checkText("site_name", n, jarchy.MaxNameLen, false); err != nil {
			return out, err
		}
		if n != "" {
			out.SiteName[l] = n
		}
	}
	for k, u := range s.Social {
		known := false
		for _, n := range jarchy.SocialNetworks {
			known = known || n == k
		}
		if !known {
			return out, jarchy.Invalid("social", "err.social", "unknown social network %q", k)
		}
		if u == "" {
			continue
		}
		if err := checkKey("social", u, jarchy.MaxURLLen); err != nil {
			return out, err
		}
		if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
			return out, jarchy.Invalid("social", "err.url", "%s link must be an http or https URL", k)
		}
		out.Social[k] = u
	}
	return out, nil
}

// CheckFilter validates a listing filter and applies the limit defaults.
func CheckFilter(f *jarchy.ArticleFilter) error {
	if f.Lang != "" && !f.Lang.Valid() {
		return jarchy.Invalid("lang", "err.lang", "unknown language %q", f.Lang)
	}
	if f.Status != "" && !f.Status.Valid() {
		return jarchy.Invalid("status", "err.status", "unknown status %q", f.Status)
	}
	if f.Limit < 0 || f.Offset < 0 {
		return jarchy.Invalid("limit", "err.paging", "limit and offset must not be negative")
	}
	if f.Limit == 0 {
		f.Limit = DefaultLimit
	}
	if f.Limit > MaxLimit {
		f.Limit = MaxLimit
	}
	return nil
}

// LangOrder is the position of l in jarchy.Langs, for sorting translations.
func LangOrder(l jarchy.Lang) int {
	for i, x := range jarchy.Langs {
		if x == l {
			return i
		}
	}
	return len(jarchy.Langs)
}
