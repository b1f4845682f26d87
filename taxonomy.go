package jarchy

import (
	"context"
	"fmt"
	"strings"
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
// empty names. The names map is replaced, not changed in place, and is
// never nil afterwards.
func (s *Section) Normalize() {
	s.Slug = CleanLine(s.Slug)
	names := make(map[Lang]string, len(s.Names))
	for l, n := range s.Names {
		if n = CleanLine(n); n != "" {
			names[l] = n
		}
	}
	s.Names = names
}

// ReservedSectionSlugs are URL segments that a section may not take.
var ReservedSectionSlugs = []string{"tag", "author", "page", "search", "feed"}

// Validate checks a normalised section: a clean slug that is not reserved,
// and names in site languages within the size limit.
func (s *Section) Validate() error {
	if !ValidSlug(s.Slug) {
		return Invalid("section", "err.slug", "section slug %q is not a clean slug", s.Slug)
	}
	for _, r := range ReservedSectionSlugs {
		if s.Slug == r {
			return Invalid("section", "err.slug_reserved", "section slug %q is reserved", s.Slug)
		}
	}
	for l, n := range s.Names {
		if !l.Valid() {
			return Invalid("section", "err.lang", "unknown language %q", l)
		}
		if err := validText("section", n, MaxNameLen, false); err != nil {
			return err
		}
	}
	return nil
}

// SectionNotEmpty is the ECONFLICT error of deleting a section that n
// articles are still filed under: move or delete them first.
func SectionNotEmpty(slug string, n int) *Error {
	return &Error{Code: ECONFLICT, Field: "section", MessageKey: "err.section_not_empty", N: n,
		Message: fmt.Sprintf("section %q still has %d articles: move or delete them first", slug, n)}
}

// Tag is a keyword; its Slug is the transliterated Name.
type Tag struct {
	ID   int64
	Slug string
	Name string
}

// Normalize cleans the tag's name and slug (CleanLine) and derives an
// empty slug from the name (relationSlug).
func (t *Tag) Normalize() {
	t.Name = CleanLine(t.Name)
	t.Slug = relationSlug("tag", CleanLine(t.Slug), t.Name)
}

// Author is a byline.
type Author struct {
	ID   int64
	Slug string
	Name string
	Bio  string
}

// Normalize cleans the author's name and slug (CleanLine) and bio
// (CleanText, trimmed), and derives an empty slug from the name
// (relationSlug).
func (au *Author) Normalize() {
	au.Name = CleanLine(au.Name)
	au.Slug = relationSlug("author", CleanLine(au.Slug), au.Name)
	au.Bio = strings.TrimSpace(CleanText(au.Bio))
}

// Validate checks a normalised author: a name, a bio within the size
// limit and a clean slug.
func (au *Author) Validate() error {
	if err := validText("author", au.Name, MaxNameLen, true); err != nil {
		return err
	}
	if err := validText("bio", au.Bio, MaxBioLen, false); err != nil {
		return err
	}
	if !ValidSlug(au.Slug) {
		return Invalid("author", "err.slug", "author slug %q is not a clean slug", au.Slug)
	}
	return nil
}

// relationSlug returns the slug of a tag or author (kind "tag" or
// "author"): the given one, or the name transliterated as the site's
// default language spells it, whatever the article's language, so that one
// name is one tag or author in every language (Жапаров is japarov, not
// zhaparov in Russian). A name that transliterates to nothing gets
// FallbackSlug ("tag-…" or "author-…"); an empty name keeps an empty slug,
// which Validate reports as a missing name.
func relationSlug(kind, slug, name string) string {
	if slug != "" || name == "" {
		return slug
	}
	if slug = Slugify(DefaultLang, name); slug != "" {
		return slug
	}
	return FallbackSlug(kind, name)
}

// TaxonomyStore keeps what articles are filed under: sections, tags and
// authors. Tags are made by the articles that name them; SaveArticle finds
// or creates sections, tags and authors given by slug or name.
type TaxonomyStore interface {
	// Sections returns every section ordered by Position, then Slug.
	Sections(ctx context.Context) ([]Section, error)
	// SaveSection inserts or updates a section (found by ID, else by slug).
	SaveSection(ctx context.Context, s *Section) error
	// DeleteSection removes a section that no article is filed under
	// (whatever its status); one that still has articles is refused with
	// SectionNotEmpty and nothing changes. ENOTFOUND for an unknown id.
	DeleteSection(ctx context.Context, id int64) error
	// SectionArticleCounts returns how many articles (any status) each
	// section holds, by section ID; empty sections are absent.
	SectionArticleCounts(ctx context.Context) (map[int64]int, error)
	// TagBySlug and AuthorBySlug look up by slug.
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	// SaveAuthor inserts or updates an author (found by ID, else by slug).
	SaveAuthor(ctx context.Context, a *Author) error
}
