package jarchy

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// Media is a photo of the library: one row per photo, which articles name
// by Key (Article.Cover), with the texts a newspaper prints beside it.
// Editing the texts changes every article that shows the photo.
type Media struct {
	// Key names the photo. For a photo jarchy holds it is the blob key
	// (media.Intake makes it from the content hash; an older file keeps
	// its path); for an external photo (URL set) it is ExternalMediaKey(URL).
	Key string
	// URL is the address of an external photo jarchy does not hold ("" for
	// a stored one).
	URL     string
	Type    string // MIME type of the stored original ("image/jpeg"); "" when unknown
	Width   int    // pixels of the original; 0 when unknown
	Height  int
	Caption string
	Credit  string
	Alt     string
	// Variants are the stored resized copies (JPEG), narrowest first; OG is
	// the Open Graph crop (1200×630), nil when none was made.
	Variants  []MediaVariant
	OG        *MediaVariant
	Uploader  int64 // the user who uploaded it; 0 for an import, the demo or the command line
	CreatedAt time.Time
	UpdatedAt time.Time
}

// MediaVariant is one stored copy of a photo at another size.
type MediaVariant struct {
	Key    string `json:"key"`
	Width  int    `json:"w"`
	Height int    `json:"h"`
}

// Limits of a media row.
const (
	MaxMediaVariants = 16
	MaxMediaPixels   = 100000 // width or height of a photo, in pixels
)

// ExternalMediaKey is the key of the external photo at address u: "url/"
// and the hex SHA-256 of the address.
func ExternalMediaKey(u string) string {
	h := sha256.Sum256([]byte(u))
	return "url/" + hex.EncodeToString(h[:])
}

// Normalize cleans the texts printed beside the photo (CleanLine) and
// derives the key of an external photo from its address. The addresses
// are left as they are: they name a file or a page, not text. Variants
// are copied, never changed in place, and sorted by width.
func (m *Media) Normalize() {
	m.Caption = CleanLine(m.Caption)
	m.Credit = CleanLine(m.Credit)
	m.Alt = CleanLine(m.Alt)
	m.Key = strings.TrimSpace(m.Key)
	m.URL = strings.TrimSpace(m.URL)
	if m.Key == "" && m.URL != "" {
		m.Key = ExternalMediaKey(m.URL)
	}
	if m.Variants != nil {
		m.Variants = slices.Clone(m.Variants)
		slices.SortStableFunc(m.Variants, func(a, b MediaVariant) int { return a.Width - b.Width })
	}
	if m.OG != nil {
		og := *m.OG
		m.OG = &og
	}
}

// Validate checks a normalised media row: a key (a clean media path of at
// most MaxURLLen bytes), an http(s) address for an external photo, texts
// within MaxCaptionLen, sizes within MaxMediaPixels, clean variant keys.
// field names the field errors are about ("cover" for an article's cover).
func (m *Media) Validate() error { return m.validate("media") }

func (m *Media) validate(field string) error {
	if m.Key == "" && m.URL == "" {
		return Invalid(field, "err.cover", "%s needs a path or a url", field)
	}
	if len(m.URL) > MaxURLLen || len(m.Key) > MaxURLLen {
		return Invalid(field, "err.too_long", "%s address is too long", field)
	}
	if m.URL != "" && !ValidWebURL(m.URL) {
		return Invalid(field, "err.cover_url", "%s url must be http or https", field)
	}
	if !ValidMediaPath(m.Key) {
		return Invalid(field, "err.cover_path", "%s path %q is not a clean relative path", field, m.Key)
	}
	if m.URL != "" && m.Key != ExternalMediaKey(m.URL) {
		return Invalid(field, "err.media_key", "%s key %q is not the key of its url", field, m.Key)
	}
	for _, s := range []string{m.Caption, m.Credit, m.Alt} {
		if err := validText(field, s, MaxCaptionLen, false); err != nil {
			return err
		}
	}
	if err := validKey(field, m.Type, 100); err != nil {
		return err
	}
	if !validSize(m.Width, m.Height) {
		return Invalid(field, "err.media_size", "%s width and height must be between 0 and %d", field, MaxMediaPixels)
	}
	if len(m.Variants) > MaxMediaVariants {
		return Invalid(field, "err.too_many", "%s has more than %d variants", field, MaxMediaVariants)
	}
	vs := m.Variants
	if m.OG != nil {
		vs = append(slices.Clone(vs), *m.OG)
	}
	for _, v := range vs {
		if !ValidMediaPath(v.Key) || len(v.Key) > MaxURLLen || v.Width <= 0 || v.Height <= 0 || !validSize(v.Width, v.Height) {
			return Invalid(field, "err.media_variant", "%s variant %q (%d×%d) is not valid", field, v.Key, v.Width, v.Height)
		}
	}
	return nil
}

func validSize(w, h int) bool { return w >= 0 && h >= 0 && w <= MaxMediaPixels && h <= MaxMediaPixels }

// Equal reports whether m and o are the same row, field by field.
func (m *Media) Equal(o *Media) bool {
	if m == nil || o == nil {
		return m == o
	}
	return m.Key == o.Key && m.URL == o.URL && m.Type == o.Type && m.Width == o.Width && m.Height == o.Height &&
		m.Caption == o.Caption && m.Credit == o.Credit && m.Alt == o.Alt && slices.Equal(m.Variants, o.Variants) &&
		(m.OG == nil) == (o.OG == nil) && (m.OG == nil || *m.OG == *o.OG) &&
		m.Uploader == o.Uploader && m.CreatedAt.Equal(o.CreatedAt) && m.UpdatedAt.Equal(o.UpdatedAt)
}

// MediaText is what an editor changes on a stored photo.
type MediaText struct {
	Caption, Credit, Alt string
}

// MediaFilter selects photos of the library, newest first.
type MediaFilter struct {
	// Query keeps the photos whose caption or credit contains it (case
	// ignored, CleanLine applied); "" keeps all.
	Query  string
	Limit  int // default 24, at most 100
	Offset int
}

// CheckMediaFilter normalises f and applies the limit defaults.
func CheckMediaFilter(f *MediaFilter) error {
	f.Query = strings.ToLower(CleanLine(f.Query))
	if err := validText("q", f.Query, MaxNameLen, false); err != nil {
		return err
	}
	switch {
	case f.Limit < 0 || f.Limit > 100:
		return Invalid("limit", "err.limit", "limit must be between 1 and 100")
	case f.Limit == 0:
		f.Limit = 24
	}
	if f.Offset < 0 {
		return Invalid("offset", "err.offset", "offset must not be negative")
	}
	return nil
}

// MediaSearchText is what a MediaFilter's Query is matched against: the
// caption and the credit, lower-cased (stores keep it in a column).
func MediaSearchText(m *Media) string {
	return strings.ToLower(m.Caption + "\n" + m.Credit)
}

// MediaUse is an article that shows a photo (as its cover).
type MediaUse struct {
	ArticleID int64
	Lang      Lang
	Title     string
	Status    Status
}

// MediaInUseError refuses the deletion of a photo that articles show. Its
// code is ECONFLICT (errors.As finds the *Error), and Uses lists them.
type MediaInUseError struct {
	Key  string
	Uses []MediaUse
}

func (e *MediaInUseError) Error() string {
	return fmt.Sprintf("jarchy: %s: media: photo %q is used by %d articles", ECONFLICT, e.Key, len(e.Uses))
}

// Unwrap gives the *Error (ECONFLICT, key err.media_in_use) for ErrorCode
// and the UI.
func (e *MediaInUseError) Unwrap() error {
	return &Error{Code: ECONFLICT, Field: "media", MessageKey: "err.media_in_use",
		Message: fmt.Sprintf("photo %q is used by %d articles: remove it from them first", e.Key, len(e.Uses))}
}

// MediaStore keeps the photo library. Every write publishes MediaChange
// of the photo: pages that show it read MediaTopic(key).
type MediaStore interface {
	// SaveMedia creates the photo m.Key, or replaces every field of the
	// stored one but Uploader and CreatedAt (upsert by key). It fills
	// CreatedAt and UpdatedAt.
	SaveMedia(ctx context.Context, m *Media) error
	// Media returns the photo with this key (ENOTFOUND when none).
	Media(ctx context.Context, key string) (*Media, error)
	// ListMedia returns one page of the photos f selects, newest first
	// (then by key), and how many it selects in all.
	ListMedia(ctx context.Context, f MediaFilter) ([]*Media, int, error)
	// UpdateMediaText sets a stored photo's caption, credit and alt text
	// (normalised and validated as SaveMedia does) and returns the row.
	UpdateMediaText(ctx context.Context, key string, t MediaText) (*Media, error)
	// MediaUses lists the articles that show the photo, by ID.
	MediaUses(ctx context.Context, key string) ([]MediaUse, error)
	// DeleteMedia removes the row of a photo no article shows; a photo in
	// use is refused with a *MediaInUseError, a missing one is ENOTFOUND.
	// The blobs stay: the media sweeper removes the ones no row names.
	DeleteMedia(ctx context.Context, key string) error
	// MediaBlobs calls fn with every blob key the library names (each
	// stored photo, its variants and its Open Graph crop; an external
	// photo names none), from one snapshot: the live set of the media
	// sweeper. fn must not write to the store; its error stops the walk.
	MediaBlobs(ctx context.Context, fn func(key string) error) error
}

// Blobs returns the blob keys m names: the stored photo (none for an
// external one), its variants and its Open Graph crop.
func (m *Media) Blobs() []string {
	var keys []string
	if m.URL == "" {
		keys = append(keys, m.Key)
	}
	for _, v := range m.Variants {
		keys = append(keys, v.Key)
	}
	if m.OG != nil {
		keys = append(keys, m.OG.Key)
	}
	return keys
}

// PublicStatus reports whether s puts an article before readers (now or
// at its time): published or scheduled.
func PublicStatus(s Status) bool { return s == StatusPublished || s == StatusScheduled }

// CheckCoverAlt is the rule that an article cannot be published while its
// cover has no alt text. a is the article being saved, with Cover the
// stored photo it links; oldStatus and oldCover are the stored article's
// status and cover key ("" for a new article or one without a cover). A
// save that makes the article public (published or scheduled), or gives a
// public article another cover, needs alt text on the cover; other saves
// (a typo fix on an article published before the rule) pass.
func CheckCoverAlt(a *Article, oldStatus Status, oldCover string) error {
	if a.Cover == nil || !PublicStatus(a.Status) || strings.TrimSpace(a.Cover.Alt) != "" {
		return nil
	}
	if PublicStatus(oldStatus) && oldCover == a.Cover.Key {
		return nil
	}
	name := a.Cover.Key
	if a.Cover.URL != "" {
		name = a.Cover.URL
	}
	return Invalid("cover", "err.cover_alt_required", "the cover photo %q has no alt text: describe it before publishing", name)
}

// ValidMediaPath reports whether p is a clean, relative, slash-separated
// UTF-8 path with no parent references and no hidden (dot) parts, safe to
// join under a media root: a key the media store can hold.
func ValidMediaPath(p string) bool {
	if p == "" || strings.HasPrefix(p, "/") || strings.Contains(p, "\\") || strings.ContainsRune(p, 0) || !utf8.ValidString(p) {
		return false
	}
	for _, part := range strings.Split(p, "/") {
		if part == "" || strings.HasPrefix(part, ".") {
			return false
		}
	}
	return true
}

// ValidWebURL reports whether u is an absolute http or https URL with a
// host: the one check of an external address a page links or embeds.
func ValidWebURL(u string) bool {
	if !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		return false
	}
	p, err := url.Parse(u)
	return err == nil && p.Host != ""
}
