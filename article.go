package jarchy

import (
	"context"
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
	MaxBioLen     = 2000 // runes
	// MaxExternalIDLen and MaxGroupLen bound the keys an import gives
	// (ExternalID, TranslationGroup), in bytes.
	MaxExternalIDLen = 200
	MaxGroupLen      = 200
	// Search-engine title and description (empty: the title and the lead).
	MaxSEOTitleLen       = 200 // runes
	MaxSEODescriptionLen = 500 // runes
)

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
	BodyHTML string
	Section  Section
	Tags     []Tag
	Authors  []Author
	// Cover is the article's photo: a reference to the media library by
	// Cover.Key. Reads fill in the whole stored row. A save links the
	// photo with that key, creating it from Cover's fields when the
	// library has none (an import, the demo); an existing photo keeps its
	// texts (MediaStore.UpdateMediaText changes them).
	Cover *Media
	// SEOTitle and SEODescription are what search engines and shares get
	// (<title>, meta description); empty: the title and the lead.
	SEOTitle       string
	SEODescription string
	// OwnerID is the newsroom user who created the article (0: an import,
	// the demo). Stores set it on creation only; an update keeps it. An
	// author may edit only articles they own (CanEdit).
	OwnerID     int64
	Status      Status
	PublishedAt time.Time // UTC; zero for never published; the time a scheduled article goes live
	UpdatedAt   time.Time
	CreatedAt   time.Time
	// Version counts the saves of a stored article: 1 after it is created,
	// one more after every save (and after the scheduler publishes it). An
	// update names the version it was based on, and a store refuses it
	// with a StaleVersion error when the article has been saved since
	// (optimistic saves: nothing is overwritten unseen). Reads fill it in;
	// a new article's Version is ignored.
	Version int64
	// Translations are the other articles of the translation group, in
	// language order. Stores fill them when they load a whole article
	// (not a summary); SaveArticle ignores them.
	Translations []Translation
	// Corrections are the article's public correction notes, oldest
	// first: the whole list, kept by every save (AddCorrection adds one).
	Corrections []Correction
	// BreakingUntil is the time until which the article is breaking news
	// (a banner on every page), zero when it is not. Reads fill it in;
	// saves ignore it: BreakingStore.SetBreaking sets it.
	BreakingUntil time.Time
	// RestoredFrom is the ID of the revision this save restores, set by
	// RestoreRevision: the store records the restore in the audit log. It
	// is not stored with the article.
	RestoredFrom int64
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
// fields (slugs, status, publication time). One-line texts (title, slug,
// names of the section, tags and authors, cover caption, credit and alt)
// go through CleanLine; the lead, the body and authors' bios through
// CleanText, the lead trimmed too. It is the one normalisation of every
// writer: the stores run it before they save, so an importer that
// compares a normalised article with the stored one compares like with
// like. Tags, authors and cover are copied, never changed in place. now
// is the publication time of a published article that has none (the
// store's clock; a zero now leaves it for the store to set). A published
// article whose publication time is after now is scheduled: "approved,
// waiting for its time" has one meaning, StatusScheduled, which the
// scheduler turns into published when the time comes (a zero now leaves
// the status as given).
func (a *Article) Normalize(now time.Time) {
	a.Title = CleanLine(a.Title)
	a.Lead = strings.TrimSpace(CleanText(a.Lead))
	a.Body = CleanText(a.Body)
	a.Slug = CleanLine(a.Slug)
	a.SEOTitle = CleanLine(a.SEOTitle)
	a.SEODescription = strings.TrimSpace(CleanLine(a.SEODescription))
	a.ExternalID = strings.TrimSpace(a.ExternalID)
	a.TranslationGroup = strings.TrimSpace(a.TranslationGroup)
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
	a.Corrections = normalizeCorrections(a.Corrections, now)
	if a.Slug == "" {
		a.Slug = ArticleSlug(a.Lang, a.Title)
	}
	if a.Status == "" {
		a.Status = StatusDraft
	}
	if a.Status == StatusPublished && a.PublishedAt.IsZero() {
		a.PublishedAt = now
	}
	if !a.PublishedAt.IsZero() {
		a.PublishedAt = a.PublishedAt.UTC()
	}
	if a.Status == StatusPublished && !now.IsZero() && a.PublishedAt.After(now) {
		a.Status = StatusScheduled
	}
}

// Validate checks a normalised article against the domain rules and size
// limits.
func (a *Article) Validate() error {
	switch {
	case !a.Lang.Valid():
		return Invalid("lang", "err.lang", "unknown language %q", a.Lang)
	case !a.Status.Valid():
		return Invalid("status", "err.status", "unknown status %q", a.Status)
	case a.Status == StatusScheduled && a.PublishedAt.IsZero():
		return Invalid("published_at", "err.schedule_time", "a scheduled article needs a publication time")
	}
	if err := validText("title", a.Title, MaxTitleLen, true); err != nil {
		return err
	}
	if err := validText("lead", a.Lead, MaxLeadLen, false); err != nil {
		return err
	}
	if err := validText("seo_title", a.SEOTitle, MaxSEOTitleLen, false); err != nil {
		return err
	}
	if err := validText("seo_description", a.SEODescription, MaxSEODescriptionLen, false); err != nil {
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
	if !ValidSlug(a.Slug) {
		return Invalid("slug", "err.slug", "slug %q is not a clean slug", a.Slug)
	}
	if err := validKey("external_id", a.ExternalID, MaxExternalIDLen); err != nil {
		return err
	}
	if err := validKey("translation_group", a.TranslationGroup, MaxGroupLen); err != nil {
		return err
	}
	if len(a.Tags) > MaxTags {
		return Invalid("tags", "err.too_many", "more than %d tags", MaxTags)
	}
	if len(a.Authors) > MaxAuthors {
		return Invalid("authors", "err.too_many", "more than %d authors", MaxAuthors)
	}
	if a.Section.ID == 0 {
		if a.Section.Slug == "" {
			return Invalid("section", "err.section_required", "section is required")
		}
		if err := a.Section.Validate(); err != nil {
			return err
		}
	}
	// Relations given by ID are the stored ones: only their names are
	// checked here (the store ignores the rest).
	for _, t := range a.Tags {
		if err := validText("tags", t.Name, MaxNameLen, true); err != nil {
			return err
		}
		if t.ID == 0 && !ValidSlug(t.Slug) {
			return Invalid("tags", "err.slug", "tags slug %q is not a clean slug", t.Slug)
		}
	}
	for _, au := range a.Authors {
		if err := validText("authors", au.Name, MaxNameLen, true); err != nil {
			return err
		}
		if au.ID != 0 {
			continue
		}
		if err := validText("authors", au.Bio, MaxBioLen, false); err != nil {
			return err
		}
		if !ValidSlug(au.Slug) {
			return Invalid("authors", "err.slug", "authors slug %q is not a clean slug", au.Slug)
		}
	}
	if err := validCorrections(a.Corrections); err != nil {
		return err
	}
	if c := a.Cover; c != nil {
		if err := c.validate("cover"); err != nil {
			return err
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

// validKey checks a key or an address: valid UTF-8 without NUL, at most
// max bytes.
func validKey(field, s string, max int) error {
	if !utf8.ValidString(s) || strings.ContainsRune(s, 0) {
		return Invalid(field, "err.utf8", "%s must be valid UTF-8 without NUL", field)
	}
	if len(s) > max {
		return Invalid(field, "err.too_long", "%s is longer than %d bytes", field, max)
	}
	return nil
}

// ArticleFilter selects articles for listings. Zero fields do not filter.
type ArticleFilter struct {
	Lang      Lang
	SectionID int64
	TagID     int64
	AuthorID  int64
	// OwnerID keeps the articles this newsroom user created.
	OwnerID int64
	// PublicOnly keeps articles readers may see: published, with a
	// publication time not after the store's clock.
	PublicOnly bool
	Status     Status    // when set, only this status
	Before     time.Time // published strictly before (API cursor)
	Since      time.Time // published at or after (news sitemap)
	ExcludeID  int64
	Limit      int // default 20, at most 100
	Offset     int
	// Summary leaves out Body, Tags and Authors: enough for a listing or a
	// link, and much cheaper to read.
	Summary bool
	// NoTotal leaves ArticleList.Total 0: no count over the whole range,
	// which costs more than the page itself on a big site.
	NoTotal bool
}

// ArticleList is one page of a listing with the total number of matches.
type ArticleList struct {
	Articles []*Article
	Total    int
}

// ArticleStore keeps the articles.
//
// Every write runs in one transaction and is durable once it returns nil;
// a failed write changes nothing.
type ArticleStore interface {
	// SaveArticle inserts or updates an article in one transaction. An
	// article with ID 0 whose ExternalID matches a stored article updates
	// that article (import upsert). Section, tags and authors given with ID 0
	// are found by slug (derived from the name when empty) or created. An
	// empty Slug is derived from the title; a changed slug keeps the old one
	// as a redirect. An empty TranslationGroup gets a new group. An update
	// (by ID or by ExternalID) is based on a.Version: when the store holds
	// another version, it fails with StaleVersion and writes nothing. A
	// published article dated after the store's clock is saved as
	// scheduled (Normalize). On success a's ID, Slug, Status, Version,
	// timestamps and the IDs of its relations are filled in.
	SaveArticle(ctx context.Context, a *Article) error
	// SaveArticles saves many articles in ONE transaction, with one change
	// notification (imports and bulk loads, where a commit per article
	// costs an fsync and a cache invalidation each): all of as or none. On
	// failure the error names the article (position and title) and no
	// article changes; on success every article is filled in as
	// SaveArticle fills it. No articles is no write.
	SaveArticles(ctx context.Context, as []*Article) error
	// DeleteArticle removes an article and its redirects.
	DeleteArticle(ctx context.Context, id int64) error

	// Article returns an article by ID, with its relations loaded.
	Article(ctx context.Context, id int64) (*Article, error)
	// ArticlesByID returns the articles among ids by ID, as summaries (no
	// Body, BodyHTML, Tags, Authors, Translations or Corrections; every
	// other field as Article gives it): what a link to each needs (title,
	// language, section, slug, status and publication time), read in a few
	// statements however many ids (lists of comments on many articles). It
	// does not filter by status; ids that name no article are absent, not
	// an error.
	ArticlesByID(ctx context.Context, ids []int64) (map[int64]*Article, error)
	// ArticleByExternalID returns the article imported with that id.
	ArticleByExternalID(ctx context.Context, externalID string) (*Article, error)
	// ArticleBySlug returns the article with this slug in lang, or the
	// article that had this slug before (the caller redirects when the
	// returned Slug differs). It does not filter by status.
	ArticleBySlug(ctx context.Context, lang Lang, slug string) (*Article, error)
	// Articles lists articles newest first (by PublishedAt, then ID).
	Articles(ctx context.Context, f ArticleFilter) (ArticleList, error)
	// Translations returns every article in a translation group, in
	// language order, as summaries (no Body, Tags or Authors).
	Translations(ctx context.Context, group string) ([]*Article, error)
	// RelatedArticles returns up to limit public articles in a's language
	// that share tags or the section with a, best first, a excluded, as
	// summaries (no Body, Tags or Authors).
	RelatedArticles(ctx context.Context, a *Article, limit int) ([]*Article, error)
	// Empty reports whether the store holds no articles (first start).
	Empty(ctx context.Context) (bool, error)

	// PublishDue publishes every scheduled article whose publication time
	// has come by the store's clock, and returns the IDs it published. It
	// claims them with one conditional update (scheduled and due →
	// published, Version and UpdatedAt moved on) in one write transaction
	// that also puts them in the search index and notifies subscribers, so
	// of several processes or nodes calling it at once each article is
	// published by exactly one. A call that finds nothing due writes
	// nothing (no generation step, no notification).
	PublishDue(ctx context.Context) ([]int64, error)
	// NextScheduled returns the earliest publication time of a scheduled
	// article (due or not), or the zero time when none is scheduled.
	NextScheduled(ctx context.Context) (time.Time, error)
}
