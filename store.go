package jarchy

import (
	"context"
	"time"
)

// ArticleFilter selects articles for listings. Zero fields do not filter.
type ArticleFilter struct {
	Lang      Lang
	SectionID int64
	TagID     int64
	AuthorID  int64
	// PublicOnly keeps articles readers may see: published, with a
	// publication time not after Now().
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

// Store is the persistence service. The sqlite and postgres packages
// implement it, and storetest holds the contract both must pass.
//
// Every write runs in one transaction, bumps the content generation, and is
// durable once it returns nil.
type Store interface {
	// SaveArticle inserts or updates an article in one transaction. An
	// article with ID 0 whose ExternalID matches a stored article updates
	// that article (import upsert). Section, tags and authors given with ID 0
	// are found by slug (derived from the name when empty) or created. An
	// empty Slug is derived from the title; a changed slug keeps the old one
	// as a redirect. An empty TranslationGroup gets a new group. On success
	// a's ID, Slug, timestamps and the IDs of its relations are filled in.
	SaveArticle(ctx context.Context, a *Article) error
	// DeleteArticle removes an article and its redirects.
	DeleteArticle(ctx context.Context, id int64) error

	// Article returns an article by ID, with its relations loaded.
	Article(ctx context.Context, id int64) (*Article, error)
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

	// Sections returns every section ordered by Position, then Slug.
	Sections(ctx context.Context) ([]Section, error)
	// SaveSection inserts or updates a section (found by ID, else by slug).
	SaveSection(ctx context.Context, s *Section) error
	// Tag and Author look up by slug.
	TagBySlug(ctx context.Context, slug string) (*Tag, error)
	AuthorBySlug(ctx context.Context, slug string) (*Author, error)
	// SaveAuthor inserts or updates an author (found by ID, else by slug).
	SaveAuthor(ctx context.Context, a *Author) error

	// Pages.
	PageBySlug(ctx context.Context, lang Lang, slug string) (*Page, error)
	Pages(ctx context.Context, lang Lang) ([]*Page, error)
	SavePage(ctx context.Context, p *Page) error
	DeletePage(ctx context.Context, id int64) error

	// Settings.
	Settings(ctx context.Context) (Settings, error)
	SaveSettings(ctx context.Context, s Settings) error

	// Generation is a counter that every committed write increases. It is
	// shared by every process using the same database, so a cache can tell
	// that content changed elsewhere.
	Generation(ctx context.Context) (int64, error)

	// Subscribe registers fn to run after every committed write: at once
	// (before the write returns) for writes by this process, and shortly
	// after for writes by other processes sharing the database. It returns a
	// function that removes the subscription.
	Subscribe(fn func()) (unsubscribe func())

	// Search finds public articles (published, publication time not after
	// Now()) matching a reader's query; see SearchQuery. Query text is
	// analysed by package search, never passed to the engine as syntax.
	// When nothing matches, it retries with index terms close to the
	// query's words (trigrams) and sets Fuzzy.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// Reindex rebuilds the search index from the stored articles, calling
	// progress (when not nil) as it goes. Searches keep working meanwhile.
	Reindex(ctx context.Context, progress func(done, total int)) error

	// Empty reports whether the store holds no articles (first start).
	Empty(ctx context.Context) (bool, error)

	Close() error
}

// BatchSaver is implemented by stores that save many articles in ONE
// transaction, with one generation bump and one notification (imports and
// bulk loads, where a commit per article costs an fsync and a cache
// invalidation each). SaveArticles saves all of as or none; on failure the
// error names the article (position and title) and no article changes.
// On success every article is filled in as SaveArticle fills it.
type BatchSaver interface {
	SaveArticles(ctx context.Context, as []*Article) error
}

// Search sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// SearchQuery is a reader's search. Zero fields do not filter.
type SearchQuery struct {
	Text      string // as typed: words, "phrases", -exclusions
	Lang      Lang   // analyse Text in Lang and keep only articles in Lang ("": Kyrgyz analysis, any language)
	SectionID int64
	AuthorID  int64
	From, To  time.Time // published at or after From, before To
	Sort      string    // SortRelevance (default) or SortDate
	Limit     int       // default 20, at most 100
	Offset    int       // at most MaxSearchOffset
}

// MaxSearchOffset bounds how deep readers may page into results.
const MaxSearchOffset = 10_000

// SearchTotalCap bounds the matches a search counts and ranks, so that a
// query matching most of a big archive costs no more than one matching a
// thousand articles. Above it, Total is SearchTotalCap with TotalCapped
// set, relevance order ranks the newest SearchTotalCap matches, and pages
// end there.
const SearchTotalCap = 500

// SearchHit is one found article.
type SearchHit struct {
	Article *Article
	Snippet string  // safe HTML: escaped text, matching words in <mark>
	Score   float64 // higher is better; engine-specific scale
}

// SearchResult is one page of hits and the total number of matches.
type SearchResult struct {
	Total       int
	TotalCapped bool // more than SearchTotalCap matches: Total is the cap
	Hits        []SearchHit
	// Fuzzy is set when nothing matched the query as typed and the hits
	// match close spellings instead; Suggestion then holds the query
	// rewritten with the words that were found.
	Fuzzy      bool
	Suggestion string
	// Empty is set when the query has nothing to search for (no words, only
	// stop words or only exclusions).
	Empty bool
}
