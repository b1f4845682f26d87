package jarchy

import (
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Status is an article's place in the editorial workflow.
type Status string

// Workflow states.
const (
	StatusDraft       Status = "draft"
	StatusReview      Status = "review"
	StatusScheduled   Status = "scheduled"
	StatusPublished   Status = "published"
	StatusUnpublished Status = "unpublished"
)

// Size limits for user text. Every writer validates against them.
const (
	MaxTitleLen   = 300     // runes
	MaxLeadLen    = 2000    // runes
	MaxBodyLen    = 1 << 20 // bytes of Markdown (1 MiB: the full text of a law or a court ruling)
	MaxNameLen    = 200     // runes: tag, author, section names
	MaxTags       = 30
	MaxAuthors    = 10
	MaxCaptionLen = 1000 // runes
	MaxURLLen     = 2000 // bytes
)

// Section is a part of the newspaper (politics, economy…); sections are
// ordered by Position and make the site menu. They are shared by all
// languages and carry a display name per language.
type Section struct {
	ID       int64
	Slug     string
	Position int
	Names    map[Lang]string
}

// Name returns the section's name in l, falling back to Kyrgyz, any name,
// then the slug.
func (s Section) Name(l Lang) string {
	if n := s.Names[l]; n != "" {
		return n
	}
	if n := s.Names[DefaultLang]; n != "" {
		return n
	}
	for _, lang := range Langs {
		if n := s.Names[lang]; n != "" {
			return n
		}
	}
	return s.Slug
}

// Normalize cleans the section's slug and names (CleanLine) and drops
// empty names. The names map is replaced, not changed in place.
func (s *Section) Normalize() {
	s.Slug = CleanLine(s.Slug)
	if s.Names == nil {
		return
	}
	names := make(map[Lang]string, len(s.Names))
	for l, n := range s.Names {
		if n = CleanLine(n); n != "" {
			names[l] = n
		}
	}
	s.Names = names
}

// Tag is a keyword; its Slug is the transliterated Name.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// Normalize cleans the tag's name and slug (CleanLine).
func (t *Tag) Normalize() {
	t.Name = CleanLine(t.Name)
	t.Slug = CleanLine(t.Slug)
}

// Author is a byline.
type Author struct {
	ID   int64
	Slug string
	Name string
	Bio  string
}

// Normalize cleans the author's name and slug (CleanLine) and bio
// (CleanText, trimmed).
func (au *Author) Normalize() {
	au.Name = CleanLine(au.Name)
	au.Slug = CleanLine(au.Slug)
	au.Bio = strings.TrimSpace(CleanText(au.Bio))
}

// Media is a photo with the texts a newspaper prints beside it. Path is a
// key in the media blob store; URL is an external address. One of them is set.
type Media struct {
	Path    string
	URL     string
	Caption string
	Credit  string
	Alt     string
	Width   int
	Height  int
}

// Normalize cleans the texts printed beside the photo (CleanLine). The
// address is left as it is: it names a file or a page, not text.
func (m *Media) Normalize() {
	m.Caption = CleanLine(m.Caption)
	m.Credit = CleanLine(m.Credit)
	m.Alt = CleanLine(m.Alt)
}

// Article is one story in one language. Translations of a story share a
// TranslationGroup.
type Article struct {
	ID               int64
	ExternalID       string // id from an import, unique when set
	Lang             Lang
	TranslationGroup string
	Title            string
	Slug             string // derived from Title when empty
	Lead             string
	Body             string // Markdown
	// BodyHTML is Body rendered and sanitised (markup.Article), done by the
	// store when it saves the article, never taken from the caller. Reads
	// of whole articles return it while the renderer that made it is
	// current, else "" (render Body then).
	BodyHTML    string
	Section     Section
	Tags        []Tag
	Authors     []Author
	Cover       *Media
	Status      Status
	PublishedAt time.Time // UTC; zero for never published
	UpdatedAt   time.Time
	CreatedAt   time.Time
	// Translations are the other articles of the translation group, in
	// language order. Stores fill them when they load a whole article
	// (not a summary); SaveArticle ignores them.
	Translations []Translation
}

// Translation is another language version of an article: what a link to
// it needs.
type Translation struct {
	ID          int64
	Lang        Lang
	Slug        string
	SectionSlug string
	Status      Status
	PublishedAt time.Time
}

// IsPublic reports whether readers may see the article at time now.
func (a *Article) IsPublic(now time.Time) bool {
	return isPublic(a.Status, a.PublishedAt, now)
}

// IsPublic reports whether readers may see the translation at time now.
func (t Translation) IsPublic(now time.Time) bool {
	return isPublic(t.Status, t.PublishedAt, now)
}

func isPublic(s Status, published, now time.Time) bool {
	return s == StatusPublished && !published.IsZero() && !published.After(now)
}

// Normalize brings an article to the form stores keep, and fills derived
// fields (slug, status, publication time). One-line texts (title, slug,
// names of the section, tags and authors, cover caption, credit and alt)
// go through CleanLine; the lead, the body and authors' bios through
// CleanText, the lead trimmed too. It is the one normalisation of every
// writer: the stores run it before they save, so an importer that
// compares a normalised article with the stored one compares like with
// like. Tags, authors and cover are copied, never changed in place.
func (a *Article) Normalize() {
	a.Title = CleanLine(a.Title)
	a.Lead = strings.TrimSpace(CleanText(a.Lead))
	a.Body = CleanText(a.Body)
	a.Slug = CleanLine(a.Slug)
	a.ExternalID = strings.TrimSpace(a.ExternalID)
	a.Section.Normalize()
	if a.Tags != nil {
		a.Tags = slices.Clone(a.Tags)
		for i := range a.Tags {
			a.Tags[i].Normalize()
		}
	}
	if a.Authors != nil {
		a.Authors = slices.Clone(a.Authors)
		for i := range a.Authors {
			a.Authors[i].Normalize()
		}
	}
	if a.Cover != nil {
		c := *a.Cover
		c.Normalize()
		a.Cover = &c
	}
	if a.Slug == "" {
		a.Slug = Slugify(a.Lang, a.Title)
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if a.Status == StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = Now()
	}
	if !a.PublishedAt.IsZero() {
		a.PublishedAt = a.PublishedAt.UTC()
	}
}

// Validate checks the article against the domain rules and size limits.
func (a *Article) Validate() error {
	switch {
	case !a.Lang.Valid():
		return Invalid("lang", "err.lang", "unknown language %q", a.Lang)
	case !a.Status.Valid():
		return Invalid("status", "err.status", "unknown status %q", a.Status)
	}
	if err := validText("title", a.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if err := validText("lead", a.Lead, MaxLeadLen, false); err != nil {
		return err
	}
	if !utf8.ValidString(a.Body) {
		return Invalid("body", "err.utf8", "body is not valid UTF-8")
	}
	if len(a.Body) > MaxBodyLen {
		return Invalid("body", "err.too_long", "body is longer than %d bytes", MaxBodyLen)
	}
	if a.Slug == "" {
		return Invalid("slug", "err.slug", "title gives no slug")
	}
	if len(a.Tags) > MaxTags {
		return Invalid("tags", "err.too_many", "more than %d tags", MaxTags)
	}
	if len(a.Authors) > MaxAuthors {
		return Invalid("authors", "err.too_many", "more than %d authors", MaxAuthors)
	}
	if a.Section.ID == 0 && a.Section.Slug == "" {
		return Invalid("section", "err.section_required", "section is required")
	}
	for _, t := range a.Tags {
		if err := validText("tags", t.Name, MaxNameLen, true); err != nil {
			return err
		}
	}
	for _, au := range a.Authors {
		if err := validText("authors", au.Name, MaxNameLen, true); err != nil {
			return err
		}
	}
	if c := a.Cover; c != nil {
		if c.Path == "" && c.URL == "" {
			return Invalid("cover", "err.cover", "cover needs a path or a url")
		}
		if len(c.URL) > MaxURLLen || len(c.Path) > MaxURLLen {
			return Invalid("cover", "err.too_long", "cover address is too long")
		}
		if c.URL != "" && !strings.HasPrefix(c.URL, "https://") && !strings.HasPrefix(c.URL, "http://") {
			return Invalid("cover", "err.cover_url", "cover url must be http or https")
		}
		if c.Path != "" && !ValidMediaPath(c.Path) {
			return Invalid("cover", "err.cover_path", "cover path %q is not a clean relative path", c.Path)
		}
		for _, s := range []string{c.Caption, c.Credit, c.Alt} {
			if err := validText("cover", s, MaxCaptionLen, false); err != nil {
				return err
			}
		}
	}
	return nil
}

func validText(field, s string, maxRunes int, required bool) error {
	if !utf8.ValidString(s) {
		return Invalid(field, "err.utf8", "%s is not valid UTF-8", field)
	}
	if required && strings.TrimSpace(s) == "" {
		return Invalid(field, "err.required", "%s is required", field)
	}
	if utf8.RuneCountInString(s) > maxRunes {
		return Invalid(field, "err.too_long", "%s is longer than %d characters", field, maxRunes)
	}
	if strings.ContainsRune(s, 0) {
		return Invalid(field, "err.control", "%s contains a NUL character", field)
	}
	return nil
}

// ValidMediaPath reports whether p is a clean, relative, slash-separated
// path with no parent references, safe to join under a media root.
func ValidMediaPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || part == "." || part == ".." {
			return false
		}
	}
	return true
}

// Page is a static page (about, contacts) in one language.
type Page struct {
	ID        int64
	Lang      Lang
	Slug      string
	Title     string
	Body      string // Markdown
	UpdatedAt time.Time
}

// Normalize cleans the page's title and slug (CleanLine) and body
// (CleanText).
func (p *Page) Normalize() {
	p.Title = CleanLine(p.Title)
	p.Slug = CleanLine(p.Slug)
	p.Body = CleanText(p.Body)
}

// Settings are site-wide settings editable at run time.
type Settings struct {
	SiteName map[Lang]string
	// Social maps a network ("x", "facebook", "youtube", "instagram",
	// "telegram") to a profile URL. Unset networks are hidden.
	Social map[string]string
}

// Normalize returns the settings with every site name cleaned
// (CleanLine) and every link trimmed, in new maps.
func (s Settings) Normalize() Settings {
	out := Settings{SiteName: make(map[Lang]string, len(s.SiteName)), Social: make(map[string]string, len(s.Social))}
	for l, n := range s.SiteName {
		out.SiteName[l] = CleanLine(n)
	}
	for k, u := range s.Social {
		out.Social[k] = strings.TrimSpace(u)
	}
	return out
}

// SocialNetworks lists the networks the footer knows, in display order.
var SocialNetworks = []string{"x", "facebook", "youtube", "instagram", "telegram"}
