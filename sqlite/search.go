package sqlite

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/internal/storeutil"
	"github.com/jarchy/jarchy/search"
)

// The search index (issue 3): search_fts (FTS5, unicode61) holds the
// pre-analysed fields of every published article under its id; the
// article write paths call indexArticle / unindexArticle inside their
// transaction. search_terms + search_trigrams (FTS5 trigram) are the
// vocabulary for the fuzzy fallback.

// indexArticle brings a's index row in step with a, inside the write
// transaction that saved it. unchanged means the save changed nothing
// readers see (same content hash), so the row is already right.
func indexArticle(ctx context.Context, tx *qtx, a *jarchy.Article, unchanged bool) error {
	if unchanged {
		return nil
	}
	var d *searchindex.Doc
	if searchindex.Indexed(a) {
		doc := searchindex.Build(a)
		d = &doc
	}
	return writeIndexRow(ctx, tx, a, d)
}

// writeIndexRow replaces article a's rows with d (nil: no rows).
func writeIndexRow(ctx context.Context, tx *qtx, a *jarchy.Article, d *searchindex.Doc) error {
	id := a.ID
	if err := unindexArticle(ctx, tx, id); err != nil {
		return err
	}
	if d == nil {
		return nil
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_docs (id, lang, section_id, published_at) VALUES (?, ?, ?, ?)",
		id, a.Lang, a.Section.ID, a.PublishedAt.UnixMicro()); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_fts (rowid, title, lead, body, tags, authors) VALUES (?, ?, ?, ?, ?, ?)",
		id, d.Title, d.Lead, d.Body, d.Tags, d.Authors); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_text (id, snippet) VALUES (?, ?)", id, d.SnippetText); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	terms, err := json.Marshal(d.Terms())
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO search_terms (term) SELECT value FROM json_each(?) WHERE true ON CONFLICT DO NOTHING", string(terms)); err != nil {
		return fmt.Errorf("search vocabulary: %w", err)
	}
	return nil
}

// unindexArticle drops article id from the index (inside its delete).
func unindexArticle(ctx context.Context, tx *qtx, id int64) error {
	for _, q := range []string{"DELETE FROM search_fts WHERE rowid = ?", "DELETE FROM search_docs WHERE id = ?", "DELETE FROM search_text WHERE id = ?"} {
		if _, err := tx.ExecContext(ctx, q, id); err != nil {
			return fmt.Errorf("search index: %w", err)
		}
	}
	return nil
}

// bm25 weights in column order: title, lead, body, tags, authors.
var bm25Weights = fmt.Sprintf("%g, %g, %g, %g, %g", searchindex.WeightTitle, searchindex.WeightLead,
	searchindex.WeightBody, searchindex.WeightTags, searchindex.WeightAuthors)

// searchWhere builds the query for plan p: the FROM/WHERE part (shared with
// the count) and its arguments after the MATCH expression.
func searchWhere(p searchindex.Plan) (string, []any) {
	conds, args := searchFilters(p)
	return " FROM search_fts CROSS JOIN search_docs d ON d.id = search_fts.rowid WHERE search_fts MATCH ? AND " + conds, args
}

// searchFilters are the conditions on search_docs d for plan p.
func searchFilters(p searchindex.Plan) (string, []any) {
	var b strings.Builder
	b.WriteString("d.published_at <= ?")
	args := []any{p.Now.UnixMicro()}
	if p.Lang != "" {
		b.WriteString(" AND d.lang = ?")
		args = append(args, p.Lang)
	}
	if p.SectionID != 0 {
		b.WriteString(" AND d.section_id = ?")
		args = append(args, p.SectionID)
	}
	if !p.From.IsZero() {
		b.WriteString(" AND d.published_at >= ?")
		args = append(args, p.From.UnixMicro())
	}
	if !p.To.IsZero() {
		b.WriteString(" AND d.published_at < ?")
		args = append(args, p.To.UnixMicro())
	}
	if p.AuthorID != 0 {
		b.WriteString(" AND EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = d.id AND x.author_id = ?)")
		args = append(args, p.AuthorID)
	}
	return b.String(), args
}

type scoredID struct {
	id    int64
	score float64
	pub   int64 // published_at, microseconds
}

// searchPage runs one MATCH expression under plan p: a page of ids with
// scores (higher is better) and the total count (at most
// jarchy.SearchTotalCap, capped tells when there are more).
//
// Work is bounded by jarchy.SearchTotalCap matches whatever the query: one
// statement reads the newest SearchTotalCap+1 matches (by article id), which
// gives the count and, up to the cap, every match, ranked here; beyond the
// cap, relevance ranks the newest SearchTotalCap matches and date order is
// sought by newestMatches.
func searchPage(ctx context.Context, tx *qtx, p searchindex.Plan, match string) (page []scoredID, total int, capped bool, err error) {
	where, wargs := searchWhere(p)
	args := append([]any{match}, wargs...)
	limit := jarchy.SearchTotalCap
	score := "0.0"
	if !p.ByDate {
		// bm25 must run in the FTS5 cursor's own query, as here
		score = "-bm25(search_fts, " + bm25Weights + ")"
	}
	rows, err := tx.QueryContext(ctx, "SELECT d.id, "+score+", d.published_at"+where+
		" ORDER BY search_fts.rowid DESC LIMIT "+fmt.Sprint(limit+1), args...)
	if err != nil {
		return nil, 0, false, err
	}
	pool := make([]scoredID, 0, 64)
	for rows.Next() {
		var s scoredID
		if err := rows.Scan(&s.id, &s.score, &s.pub); err != nil {
			rows.Close()
			return nil, 0, false, err
		}
		pool = append(pool, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, false, err
	}
	if len(pool) > limit {
		pool, capped = pool[:limit], true
	}
	total = len(pool)
	if total == 0 || p.Offset >= total {
		return nil, total, capped, nil
	}
	if p.ByDate && capped {
		page, err := newestMatches(ctx, tx, p, match)
		return page, total, capped, err
	}
	slices.SortFunc(pool, func(a, b scoredID) int {
		if !p.ByDate {
			if c := cmp.Compare(b.score, a.score); c != 0 {
				return c
			}
		}
		if c := cmp.Compare(b.pub, a.pub); c != 0 {
			return c
		}
		return cmp.Compare(b.id, a.id)
	})
	return pool[p.Offset:min(total, p.Offset+p.Limit)], total, capped, nil
}

// newestMatches is date order for queries with very many matches: the
// filtered articles are walked newest first (search_docs_filters, which
// holds the filters: no row is read) in windows, and each window is
// tested against the query by one full-text query over the window's range
// of ids, until a page of matches is found. Each window after the first is
// sized from the share of matches so far. Articles are mostly published in
// the order they were written, so a window's ids are close together and
// the full-text index reads only their part of its lists; when they are
// not (an archive imported out of order), every match's id is read once
// instead.
func newestMatches(ctx context.Context, tx *qtx, p searchindex.Plan, match string) ([]scoredID, error) {
	conds, args := searchFilters(p)
	rows, err := tx.QueryContext(ctx, "SELECT d.id FROM search_docs d WHERE "+conds+
		" ORDER BY d.published_at DESC, d.id DESC", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var page []scoredID
	skip := p.Offset
	var all map[int64]bool // every match, once windows proved too wide
	window := make([]int64, 0, newestWindow)
	walked, found := 0, 0
	for size, more := newestWindow, true; more && len(page) < p.Limit; {
		window = window[:0]
		lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
		for len(window) < size {
			if more = rows.Next(); !more {
				break
			}
			var id int64
			if err := rows.Scan(&id); err != nil {
				return nil, err
			}
			window = append(window, id)
			lo, hi = min(lo, id), max(hi, id)
		}
		if len(window) == 0 {
			break
		}
		in := all
		if in == nil {
			if hi-lo >= int64(4*max(size, newestWindow)) {
				// ids far apart: reading all matches once costs less
				ids, err := queryIDs(ctx, tx, "SELECT rowid FROM search_fts WHERE search_fts MATCH ?", match)
				if err != nil {
					return nil, err
				}
				all = make(map[int64]bool, len(ids))
				for _, id := range ids {
					all[id] = true
				}
				in = all
			} else {
				ids, err := queryIDs(ctx, tx, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? AND rowid BETWEEN ? AND ?", match, lo, hi)
				if err != nil {
					return nil, err
				}
				in = make(map[int64]bool, len(ids))
				for _, id := range ids {
					in[id] = true
				}
			}
		}
		for _, id := range window {
			if len(page) == p.Limit {
				break
			}
			if !in[id] {
				continue
			}
			found++
			if skip > 0 {
				skip--
				continue
			}
			page = append(page, scoredID{id: id})
		}
		walked += len(window)
		// the next window: half as many again as the matches still wanted
		// need at the share seen so far, within bounds
		need := skip + p.Limit - len(page)
		size = min(max(need*walked*3/(2*max(found, 1)), newestWindow/4), 64*newestWindow)
	}
	return page, rows.Err()
}

// newestWindow is the first window of newestMatches (in articles).
const newestWindow = 256

// nearTerms lists indexed terms that share trigrams with term (term
// itself first, without its count, when it is indexed), with their
// document counts.
func nearTerms(ctx context.Context, tx *qtx, term, word string) ([]searchindex.Candidate, error) {
	switch indexed, err := termIndexed(ctx, tx, term); {
	case err != nil:
		return nil, err
	case indexed:
		return []searchindex.Candidate{{Term: term}}, nil
	}
	close, err := closeTerms(ctx, tx, term, word)
	if err != nil {
		return nil, err
	}
	// Keep the close ones that some article still holds, with their counts
	// (a count reads the term's whole list). searchindex.Relax keeps the
	// closest searchindex.MaxAlternatives, the most frequent first among
	// equally close ones: the terms no closer than a whole group of
	// equally close ones already found are never among them.
	out := make([]searchindex.Candidate, 0, len(close))
	for i := 0; i < len(close) && len(out) < searchindex.MaxAlternatives; {
		d := searchindex.Distance(term, word, close[i])
		for ; i < len(close) && searchindex.Distance(term, word, close[i]) == d; i++ {
			n, err := vocabDocs(ctx, tx, close[i])
			if err != nil {
				return nil, err
			}
			if n > 0 {
				out = append(out, searchindex.Candidate{Term: close[i], Docs: n})
			}
		}
	}
	return out, nil
}

// vocabDocs is how many indexed articles hold term (the FTS5 vocabulary's
// count, 0 for a term it lacks).
func vocabDocs(ctx context.Context, tx *qtx, term string) (int, error) {
	var n int
	err := tx.QueryRowContext(ctx, "SELECT doc FROM search_vocab WHERE term = ?", term).Scan(&n)
	if err == sql.ErrNoRows {
		return 0, nil
	}
	return n, err
}

// closeTerms lists the indexed terms close to term (searchindex.Close,
// closest first), found among those sharing trigrams with term or with
// the reader's word.
func closeTerms(ctx context.Context, tx *qtx, term, word string) ([]string, error) {
	r := []rune(term)
	if len(r) < 3 || searchindex.MaxEdits(len(r)) == 0 {
		return nil, nil
	}
	seen := map[string]bool{}
	var tris []string
	for _, w := range [][]rune{r, []rune(search.Normalize(word))} {
		for i := 0; i+3 <= len(w) && len(tris) < 64; i++ {
			t := string(w[i : i+3])
			if !seen[t] {
				seen[t] = true
				tris = append(tris, searchindex.Quote(t))
			}
		}
	}
	rows, err := tx.QueryContext(ctx, "SELECT term FROM search_trigrams WHERE search_trigrams MATCH ? ORDER BY rank LIMIT 200",
		strings.Join(tris, " OR "))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cands []searchindex.Candidate
	for rows.Next() {
		var c searchindex.Candidate
		if err := rows.Scan(&c.Term); err != nil {
			return nil, err
		}
		cands = append(cands, c)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return searchindex.Close(term, word, cands, 20), nil
}

// termIndexed reports whether some indexed article holds term. A term of
// plain letters and digits is looked up in the full-text index (its first
// row); any other (which the tokenizer might split) has its rows counted.
func termIndexed(ctx context.Context, tx *qtx, term string) (bool, error) {
	q := "SELECT 1 FROM search_fts WHERE search_fts MATCH ? LIMIT 1"
	arg := searchindex.Quote(term)
	if !plainTerm(term) {
		q, arg = "SELECT 1 FROM search_vocab WHERE term = ? AND doc > 0", term
	}
	var one int
	switch err := tx.QueryRowContext(ctx, q, arg).Scan(&one); err {
	case nil:
		return true, nil
	case sql.ErrNoRows:
		return false, nil
	default:
		return false, err
	}
}

// plainTerm: t is lower-case ASCII letters, digits, lower-case Cyrillic
// letters of the basic block or Kyrgyz ң, ө, ү, all of which the FTS5
// tokenizer keeps whole and as they are.
func plainTerm(t string) bool {
	for _, r := range t {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r >= 'а' && r <= 'џ', r == 'ң', r == 'ө', r == 'ү':
		default:
			return false
		}
	}
	return t != ""
}

// Search finds public articles; see jarchy.SearchStore.
func (db *DB) Search(ctx context.Context, q jarchy.SearchQuery) (jarchy.SearchResult, error) {
	p, err := searchindex.Prepare(q, db.now())
	if err != nil {
		return jarchy.SearchResult{}, err
	}
	if p.Query.Empty() {
		return jarchy.SearchResult{Empty: true}, nil
	}
	var res jarchy.SearchResult
	err = db.read(ctx, "search", func(tx *qtx) error {
		res = jarchy.SearchResult{}
		hq := p.Query
		page, total, capped, err := searchPage(ctx, tx, p, p.Query.FTS5())
		if err != nil {
			return err
		}
		var fuzzy *searchindex.Fuzzy
		if total == 0 {
			f, ok, err := searchindex.Relax(p.Query, func(t, w string) ([]searchindex.Candidate, error) { return nearTerms(ctx, tx, t, w) })
			if err != nil {
				return err
			}
			if ok {
				if page, total, capped, err = searchPage(ctx, tx, p, f.FTS5()); err != nil {
					return err
				}
				if total > 0 {
					fuzzy = &f
					hq = f.Query(p.Query.Lang)
				}
			}
		}
		ids := make([]int64, len(page))
		scores := make(map[int64]float64, len(page))
		for i, s := range page {
			ids[i] = s.id
			scores[s.id] = s.score
		}
		arts, err := loadHits(ctx, tx, ids)
		if err != nil {
			return err
		}
		res.Total, res.TotalCapped = total, capped
		for _, a := range arts {
			res.Hits = append(res.Hits, jarchy.SearchHit{Article: a, Score: scores[a.ID]})
		}
		if !q.NoSnippets {
			sources, err := snippetSources(ctx, tx, ids)
			if err != nil {
				return err
			}
			searchindex.FillSnippetsFrom(hq, res.Hits, sources)
		}
		if fuzzy != nil {
			res.Fuzzy = true
			res.Suggestion = fuzzy.Suggestion(p.Query.Lang, arts)
		}
		return nil
	})
	if err != nil {
		return jarchy.SearchResult{}, err
	}
	return res, nil
}

// loadHits returns the articles with ids, in that order, as search hits
// show them (hitSelect: no tags, authors, translations, corrections or
// rendered body, which no results page or API answer shows).
func loadHits(ctx context.Context, tx *qtx, ids []int64) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids)
	list, err := queryArticles(ctx, tx, true, hitSelect+" WHERE a.id IN ("+in+")", args...)
	if err != nil {
		return nil, err
	}
	return storeutil.InOrder(list, ids), nil
}

// snippetSources returns the stored searchindex.SnippetSource of the
// articles with ids, by id (articles indexed before it was stored have
// none).
func snippetSources(ctx context.Context, tx *qtx, ids []int64) (map[int64]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids)
	rows, err := tx.QueryContext(ctx, "SELECT id, snippet FROM search_text WHERE id IN ("+in+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make(map[int64]string, len(ids))
	for rows.Next() {
		var id int64
		var text string
		if err := rows.Scan(&id, &text); err != nil {
			return nil, err
		}
		out[id] = text
	}
	return out, rows.Err()
}

// reindexBatch is how many articles one Reindex transaction rewrites.
const reindexBatch = 500

// Reindex rebuilds the search index and its vocabulary from the articles,
// in transactions of reindexBatch articles, so searches and writes go on
// meanwhile (a write between batches indexes itself). Each transaction
// changes the search results (storeutil.SearchChange) and the pages of the
// public articles whose body it renders again.
func (db *DB) Reindex(ctx context.Context, progress func(done, total int)) error {
	now := db.now()
	var ids []int64
	err := db.read(ctx, "reindex: list articles", func(tx *qtx) error {
		var err error
		ids, err = queryIDs(ctx, tx, "SELECT id FROM articles ORDER BY id")
		return err
	})
	if err != nil {
		return err
	}
	if progress != nil {
		progress(0, len(ids))
	}
	for from := 0; from == 0 || from < len(ids); from += reindexBatch {
		batch := ids[from:min(len(ids), from+reindexBatch)]
		first := from == 0
		err := db.write(ctx, "reindex", func(tx *qtx) (jarchy.Change, error) {
			if first {
				for _, q := range []string{"DELETE FROM search_terms", "DELETE FROM search_trigrams"} {
					if _, err := tx.ExecContext(ctx, q); err != nil {
						return jarchy.Change{}, err
					}
				}
			}
			arts, err := loadArticles(ctx, tx, batch, false)
			if err != nil {
				return jarchy.Change{}, err
			}
			docs := make([]*searchindex.Doc, len(arts))
			stale := storeutil.RenderStaleBodies(arts)
			storeutil.Parallel(len(arts), func(i int) {
				if searchindex.Indexed(arts[i]) {
					d := searchindex.Build(arts[i])
					docs[i] = &d
				}
			})
			chs := []jarchy.Change{storeutil.SearchChange}
			for i, a := range arts {
				if err := writeIndexRow(ctx, tx, a, docs[i]); err != nil {
					return jarchy.Change{}, err
				}
				if stale[i] {
					if _, err := tx.ExecContext(ctx, "UPDATE articles SET body_html = ?, body_html_version = ? WHERE id = ?",
						a.BodyHTML, storeutil.BodyHTMLVersion, a.ID); err != nil {
						return jarchy.Change{}, err
					}
					chs = append(chs, jarchy.ArticleChange(a, a, now)) // its page shows the new body
				}
			}
			return storeutil.MergeChanges(chs), nil
		})
		if err != nil {
			return err
		}
		if progress != nil {
			progress(from+len(batch), len(ids))
		}
	}
	return db.write(ctx, "reindex: finish", func(tx *qtx) (jarchy.Change, error) {
		for _, q := range []string{
			// rows of articles deleted or unpublished behind the index's back
			"DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM articles WHERE status = 'published')",
			"DELETE FROM search_docs WHERE id NOT IN (SELECT id FROM articles WHERE status = 'published')",
			"DELETE FROM search_text WHERE id NOT IN (SELECT id FROM articles WHERE status = 'published')",
			"INSERT INTO search_fts (search_fts) VALUES ('optimize')",
			"INSERT INTO search_trigrams (search_trigrams) VALUES ('optimize')",
			"UPDATE search_state SET built = 1",
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				return jarchy.Change{}, err
			}
		}
		return storeutil.SearchChange, nil
	})
}

// reindexAuthor brings the index rows of author id's published articles
// in step with the author's (possibly new) name, inside SaveAuthor's
// transaction. When the first article's row already holds the name, the
// name did not change and nothing is rewritten.
func reindexAuthor(ctx context.Context, tx *qtx, id int64) error {
	ids, err := queryIDs(ctx, tx, "SELECT article_id FROM article_authors WHERE author_id = ? AND status = 'published' ORDER BY article_id", id)
	if err != nil || len(ids) == 0 {
		return err
	}
	for from := 0; from < len(ids); from += 100 {
		arts, err := loadArticles(ctx, tx, ids[from:min(len(ids), from+100)], false)
		if err != nil {
			return err
		}
		for i, a := range arts {
			d := searchindex.Build(a)
			if from == 0 && i == 0 {
				var have string
				err := tx.QueryRowContext(ctx, "SELECT authors FROM search_fts WHERE rowid = ?", a.ID).Scan(&have)
				if err == nil && have == d.Authors {
					return nil
				}
			}
			if err := writeIndexRow(ctx, tx, a, &d); err != nil {
				return err
			}
		}
	}
	return nil
}
