package jarchy

import (
	"context"
	"time"
)

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
	// NoSnippets leaves SearchHit.Snippet empty (title suggestions show
	// none; building them is most of a search's own CPU time).
	NoSnippets bool
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
	// Article is a summary (see ArticleFilter.Summary) with its Markdown
	// Body: what a result shows and links to, without tags, authors,
	// translations or the rendered body.
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

// SearchStore is the reader's search over public articles.
type SearchStore interface {
	// Search finds public articles (published, publication time not after
	// the store's clock) matching a reader's query; see SearchQuery. Query
	// text is analysed by package search, never passed to the engine as
	// syntax. When nothing matches, it retries with index terms close to
	// the query's words (trigrams) and sets Fuzzy.
	Search(ctx context.Context, q SearchQuery) (SearchResult, error)
	// Reindex rebuilds the search index from the stored articles, calling
	// progress (when not nil) as it goes. Searches keep working meanwhile.
	Reindex(ctx context.Context, progress func(done, total int)) error
}
