// Package storeutil holds the store mechanics that do not depend on a
// database, so that the sqlite and postgres stores apply them identically:
// preparing an article for a save (the domain's Normalize and Validate,
// then the stored precision and relations), slug candidates, filter
// defaults and the content hash that tells an unchanged re-save. The rules
// themselves (what is valid, how a slug is made) belong to the domain.
package storeutil

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/markup"
)

// Listing limits.
const (
	DefaultLimit = 20
	MaxLimit     = 100
	// RelatedPerSource bounds the candidates for related articles taken
	// from each tag and from the section (newest first), so that they cost
	// the same on a big site.
	RelatedPerSource = 20
)

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

// NewGroup returns a fresh translation group.
func NewGroup() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "g-" + hex.EncodeToString(b)
}

// PrepareArticle returns a copy of a normalised and validated for a save
// (NormalizeArticle, with now as the publication time of a published
// article without one, and the time after which a published article is
// scheduled), with its body rendered into BodyHTML. a itself is
// not changed: a store copies the result back only when the save commits.
func PrepareArticle(a *jarchy.Article, now time.Time) (jarchy.Article, error) {
	if a == nil {
		return jarchy.Article{}, jarchy.Invalid("article", "err.required", "no article given")
	}
	in := *a
	in.Tags = slices.Clone(a.Tags)
	in.Authors = slices.Clone(a.Authors)
	if a.Cover != nil {
		c := *a.Cover
		in.Cover = &c
	}
	if err := NormalizeArticle(&in, now); err != nil {
		return jarchy.Article{}, err
	}
	in.BodyHTML = string(markup.Article(in.Body))
	return in, nil
}

// PrepareArticles is PrepareArticle for a batch, on every core (the body's
// rendering is the dear part); an error names the first failing article
// by position and title, as preparing one after the other would.
func PrepareArticles(as []*jarchy.Article, now time.Time) ([]jarchy.Article, error) {
	ins := make([]jarchy.Article, len(as))
	errs := make([]error, len(as))
	Parallel(len(as), func(i int) { ins[i], errs[i] = PrepareArticle(as[i], now) })
	for i, err := range errs {
		if err != nil {
			title := ""
			if as[i] != nil {
				title = as[i].Title
			}
			return nil, fmt.Errorf("%s: %w", BatchItem(i, len(as), title), err)
		}
	}
	return ins, nil
}

// BatchItem names article i (from 0) of n in a batch's errors.
func BatchItem(i, n int, title string) string {
	return fmt.Sprintf("article %d of %d (%q)", i+1, n, title)
}

// NormalizeArticle brings a to the form a store keeps, without rendering
// its body: the domain's Normalize (now is the publication time of a
// published article without one; one dated after now is scheduled) and
// Validate, times at the stored
// precision, and relations reduced to what the store resolves: by ID, else
// by slug with the name (and bio), duplicates dropped. An import compares
// a line with the stored article after this, so that what the store would
// change on a save is never counted as a difference.
func NormalizeArticle(a *jarchy.Article, now time.Time) error {
	a.BodyHTML = "" // only ever what this store renders
	a.Normalize(now)
	if err := a.Validate(); err != nil {
		return err
	}
	a.PublishedAt = Micro(a.PublishedAt)
	for i := range a.Corrections {
		a.Corrections[i].At = Micro(a.Corrections[i].At)
	}
	a.CreatedAt = Micro(a.CreatedAt)
	a.UpdatedAt = Micro(a.UpdatedAt)

	seen := map[string]bool{}
	tags := a.Tags[:0:0]
	for _, t := range a.Tags {
		if key := relationKey(t.ID, t.Slug); !seen[key] {
			seen[key] = true
			if t.ID != 0 {
				t = jarchy.Tag{ID: t.ID}
			}
			tags = append(tags, t)
		}
	}
	a.Tags = tags

	seen = map[string]bool{}
	authors := a.Authors[:0:0]
	for _, au := range a.Authors {
		if key := relationKey(au.ID, au.Slug); !seen[key] {
			seen[key] = true
			if au.ID != 0 {
				au = jarchy.Author{ID: au.ID}
			}
			authors = append(authors, au)
		}
	}
	a.Authors = authors
	return nil
}

// relationKey tells tags or authors apart before they are resolved: by ID
// when given, else by slug.
func relationKey(id int64, slug string) string {
	if id != 0 {
		return "#" + strconv.FormatInt(id, 10)
	}
	return slug
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
		put("cover", c.Key)
	}
	if len(a.Corrections) > 0 { // (absent from the hashes of articles stored before corrections)
		put("corrections", len(a.Corrections))
		for _, c := range a.Corrections {
			put(c.At.UnixMicro(), c.Text)
		}
	}
	if a.SEOTitle != "" || a.SEODescription != "" { // absent: the hashes of older rows stay valid
		put("seo", a.SEOTitle, a.SEODescription)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
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

// IDChunks returns the distinct positive ids of ids, ascending, in
// chunks of at most size, so that no statement carries an unbounded list
// (ArticlesByID).
func IDChunks(ids []int64, size int) [][]int64 {
	distinct := make([]int64, 0, len(ids))
	for _, id := range ids {
		if id > 0 {
			distinct = append(distinct, id)
		}
	}
	slices.Sort(distinct)
	return slices.Collect(slices.Chunk(slices.Compact(distinct), size))
}

// ArticlesByChunk loads the articles of chunks (IDChunks) with load, one
// call a chunk, keyed by id.
func ArticlesByChunk(chunks [][]int64, load func(chunk []int64) ([]*jarchy.Article, error)) (map[int64]*jarchy.Article, error) {
	out := map[int64]*jarchy.Article{}
	for _, chunk := range chunks {
		list, err := load(chunk)
		if err != nil {
			return nil, err
		}
		for _, a := range list {
			out[a.ID] = a
		}
	}
	return out, nil
}

// InOrder returns the articles of list in the order of ids, skipping the
// ids list does not hold (a store reads them with one unordered query).
func InOrder(list []*jarchy.Article, ids []int64) []*jarchy.Article {
	byID := make(map[int64]*jarchy.Article, len(list))
	for _, a := range list {
		byID[a.ID] = a
	}
	out := make([]*jarchy.Article, 0, len(list))
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
		}
	}
	return out
}

// Parallel runs fn(0..n-1) on up to GOMAXPROCS goroutines and returns when
// all have run.
func Parallel(n int, fn func(i int)) {
	workers := min(n, runtime.GOMAXPROCS(0))
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				fn(i)
			}
		})
	}
	wg.Wait()
}
