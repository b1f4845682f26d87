package jarchy

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

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
// (CleanText), and derives an empty slug from the title.
func (p *Page) Normalize() {
	p.Title = CleanLine(p.Title)
	p.Slug = CleanLine(p.Slug)
	p.Body = CleanText(p.Body)
	if p.Slug == "" {
		p.Slug = Slugify(p.Lang, p.Title)
	}
}

// Validate checks a normalised page against the domain rules and size
// limits.
func (p *Page) Validate() error {
	if !p.Lang.Valid() {
		return Invalid("lang", "err.lang", "unknown language %q", p.Lang)
	}
	if err := validText("title", p.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if !utf8.ValidString(p.Body) {
		return Invalid("body", "err.utf8", "body is not valid UTF-8")
	}
	if len(p.Body) > MaxBodyLen {
		return Invalid("body", "err.too_long", "body is longer than %d bytes", MaxBodyLen)
	}
	if strings.ContainsRune(p.Body, 0) {
		return Invalid("body", "err.control", "body contains a NUL character")
	}
	if p.Slug == "" {
		return Invalid("slug", "err.slug", "title gives no slug")
	}
	if !ValidSlug(p.Slug) {
		return Invalid("slug", "err.slug", "slug %q is not a clean slug", p.Slug)
	}
	return nil
}

// PageStore keeps the static pages.
type PageStore interface {
	// Page returns the page with this ID (ENOTFOUND if none).
	Page(ctx context.Context, id int64) (*Page, error)
	// PageBySlug returns the page with slug in lang.
	PageBySlug(ctx context.Context, lang Lang, slug string) (*Page, error)
	// Pages lists the pages of lang ("" for every language) by slug.
	Pages(ctx context.Context, lang Lang) ([]*Page, error)
	// SavePage inserts (ID 0) or updates a page; its (lang, slug) must be
	// free. UpdatedAt is set by the store.
	SavePage(ctx context.Context, p *Page) error
	// DeletePage removes a page.
	DeletePage(ctx context.Context, id int64) error
}

// PageSlugTaken is the ECONFLICT error of saving a page at a slug another
// page has in its language.
func PageSlugTaken(slug string) *Error {
	return &Error{Code: ECONFLICT, Field: "slug", MessageKey: "err.slug_taken",
		Message: fmt.Sprintf("another page already has the slug %q", slug)}
}
