package postgres

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/searchindex"
	"github.com/jarchy/jarchy/internal/storeutil"
	"github.com/jarchy/jarchy/search"
)

// The search index (issue 3): search_docs holds a weighted 'simple'
// tsvector over the pre-analysed fields of every published article, and
// search_match (issue 13) the same lexemes without positions beside the
// filters (language, section, publication time): queries match, filter,
// count and order in the narrow search_match and read search_docs by id
// only, to rank a pool and to check phrases. The article save path calls
// indexArticle inside its transaction, which writes both rows in one
// statement (a delete drops them by ON DELETE CASCADE). search_terms is
// the vocabulary for the fuzzy fallback, searched with pg_trgm when the
// server has it.

// docExpr builds the weighted tsvector from $2..$6 (title, lead, body,
// tags, authors).
var docExpr = docExprOf("$2", "$3", "$4", "$5", "$6")

// docExprOf builds the weighted tsvector from the index texts of title,
// lead, body, tags and authors (SQL expressions).
func docExprOf(title, lead, body, tags, authors string) string {
	return "setweight(to_tsvector('simple', " + title + "), 'A') || setweight(to_tsvector('simple', " + lead + "), 'B') || " +
		"setweight(to_tsvector('simple', " + body + "), 'D') || setweight(to_tsvector('simple', " + tags + "), 'B') || " +
		"setweight(to_tsvector('simple', " + authors + "), 'C')"
}

// rankWeights are ts_rank's weights for D, C, B, A.
const rankWeights = `'{0.1, 0.3, 0.5, 1.0}'`

// rankSQL scores the documents d against the tsquery q: ts_rank (term
// frequencies by field weight) divided by 1 + log of the document length,
// which like SQLite's bm25 keeps long bodies from winning by length alone.
// ts_rank_cd (cover density) cost four times as much per document with
// prefix terms and found the same documents on the retrieval collection
// (storetest RetrievalCollection).
const rankSQL = "ts_rank(" + rankWeights + ", d.doc, q, 1)"

// rankPoolSQL scores the documents of the ids $2 against the query text $1,
// which it parses once (in FROM), not once per document.
const rankPoolSQL = "SELECT d.article_id, " + pubMicros + ", " + rankSQL +
	" FROM search_docs d, to_tsquery('simple', $1) q WHERE d.article_id = ANY($2)"

// indexArticle brings a's index row in step with a, inside the write
// transaction that saved it. unchanged means the save changed nothing
// readers see (same content hash), so the row is already right.
func indexArticle(ctx context.Context, tx pgx.Tx, a *jarchy.Article, unchanged bool) error {
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

// writeIndexRow replaces article a's row with d (nil: no row).
func writeIndexRow(ctx context.Context, tx pgx.Tx, a *jarchy.Article, d *searchindex.Doc) error {
	sql, args := indexRowStatement(a, d)
	if _, err := tx.Exec(ctx, sql, args...); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if d == nil {
		return nil
	}
	if _, err := tx.Exec(ctx, insertTermsSQL, d.Terms()); err != nil {
		return fmt.Errorf("search vocabulary: %w", err)
	}
	return nil
}

// indexRowStatement is the statement that replaces article a's index row
// with d (nil: deletes it). The vocabulary is written apart
// (insertTermsSQL), so that a batch writes it once.
func indexRowStatement(a *jarchy.Article, d *searchindex.Doc) (string, []any) {
	if d == nil {
		return "DELETE FROM search_docs WHERE article_id = $1", []any{a.ID}
	}
	if body := fitBody(*d); len(body) != len(d.Body) {
		fitted := *d
		fitted.Body = body
		d = &fitted
	}
	// A row that would not change is not rewritten (a Reindex then leaves
	// the tables as they are: no dead rows, and rows stay in id order,
	// which the windows of newestMatches read).
	return `WITH v AS (
			SELECT $1::bigint AS article_id, ` + docExpr + ` AS doc, $7::text AS lang, $8::bigint AS section_id, $9::timestamptz AS published_at),
		s AS (
			INSERT INTO search_text (article_id, snippet) VALUES ($1, $10)
			ON CONFLICT (article_id) DO UPDATE SET snippet = EXCLUDED.snippet
			WHERE search_text.snippet IS DISTINCT FROM EXCLUDED.snippet),
		d AS (
			INSERT INTO search_docs (article_id, doc, lang, section_id, published_at) SELECT * FROM v
			ON CONFLICT (article_id) DO UPDATE SET doc = EXCLUDED.doc, lang = EXCLUDED.lang,
				section_id = EXCLUDED.section_id, published_at = EXCLUDED.published_at
			WHERE (search_docs.doc, search_docs.lang, search_docs.section_id, search_docs.published_at)
				IS DISTINCT FROM (EXCLUDED.doc, EXCLUDED.lang, EXCLUDED.section_id, EXCLUDED.published_at))
		INSERT INTO search_match (article_id, lang, section_id, published_at, lexemes)
			SELECT article_id, lang, section_id, published_at, strip(doc) FROM v
		ON CONFLICT (article_id) DO UPDATE SET lexemes = EXCLUDED.lexemes, lang = EXCLUDED.lang,
			section_id = EXCLUDED.section_id, published_at = EXCLUDED.published_at
		WHERE (search_match.lexemes, search_match.lang, search_match.section_id, search_match.published_at)
			IS DISTINCT FROM (EXCLUDED.lexemes, EXCLUDED.lang, EXCLUDED.section_id, EXCLUDED.published_at)`,
		[]any{a.ID, d.Title, d.Lead, d.Body, d.Tags, d.Authors, string(a.Lang), a.Section.ID, a.PublishedAt, d.SnippetText}
}

// insertTermsSQL adds the terms $1 to the fuzzy vocabulary.
const insertTermsSQL = "INSERT INTO search_terms (term) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING"

// match is how search_match finds the matches of a tsquery. Its lexemes
// have no positions, so a query with phrase operators (quoted phrases, and
// the parts of a hyphenated term, which to_tsquery joins with <->) is
// matched loosely there (phrases as AND, negations left out: a superset)
// and checked against the positional document in search_docs.
type match struct {
	tsq     string // the query, as the server prints a parsed tsquery
	loose   string // what search_match is asked ("": no lexeme condition)
	recheck bool   // check tsq against search_docs
	none    bool   // the query holds no lexeme: it matches nothing
	top     int64  // the newest article id in the index
	// loose as the word index is asked it (indexForm): lexemes ("": none)
	// and keys (prefixKey).
	indexLexemes string
	prefixKeys   []string
}

// prepareMatch parses tsq on the server (one round trip, which also reads
// the newest indexed id) and decides how search_match finds its matches.
// The statements that follow take the parsed text as a tsquery constant
// ($n::tsquery, folded when the statement is planned with its values):
// to_tsquery in a filter would parse the query again for every row.
func prepareMatch(ctx context.Context, tx pgx.Tx, tsq string) (match, error) {
	var m match
	var parsed, tree string
	err := tx.QueryRow(ctx, `SELECT (SELECT coalesce(max(article_id), 0) FROM search_match), q::text, querytree(q)::text
		FROM to_tsquery('simple', $1) q`, tsq).Scan(&m.top, &parsed, &tree)
	if err != nil {
		return match{}, fmt.Errorf("search: parse query: %w", err)
	}
	m.tsq, m.loose, m.none = parsed, parsed, parsed == ""
	if loose, phrase := loosenPhrases(parsed); phrase {
		m.recheck = true
		if loose, _ = loosenPhrases(tree); tree == "T" { // nothing but negations
			loose = ""
		}
		m.loose = loose
	}
	m.indexLexemes, m.prefixKeys = indexForm(m.loose)
	return m, nil
}

// Keys of search_match_keys (migration 00015): control characters no
// lexeme holds, before the first two letters of a lexeme, the language
// or the section.
const (
	prefixKey  = "\x01"
	langKey    = "\x02"
	sectionKey = "\x03"
)

// indexForm splits tsquery text q (as the server prints it) into what
// the word index is asked: the conjuncts that are a two-letter prefix
// alone ('ка':*) as keys, and the rest (joined again by &) as lexemes. A
// document matches such a prefix exactly when its keys hold the key.
func indexForm(q string) (lexemes string, keys []string) {
	var kept []string
	for _, c := range topConjuncts(q) {
		if l, ok := lonePrefix(c); ok && utf8.RuneCountInString(l) == 2 {
			keys = append(keys, prefixKey+l)
			continue
		}
		kept = append(kept, c)
	}
	return strings.Join(kept, " & "), keys
}

// topConjuncts splits tsquery text q at its top-level & operators
// (outside parentheses and quoted lexemes). A top-level | binds less
// tightly than & ('a' | 'b' & 'c' is an OR): q is then one conjunct.
func topConjuncts(q string) []string {
	var out []string
	depth, quoted, from := 0, false, 0
	for i := 0; i < len(q); i++ {
		switch c := q[i]; {
		case quoted && c == '\\':
			i++
		case c == '\'':
			quoted = !quoted // a doubled quote toggles twice
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == '|' && depth == 0:
			return []string{strings.TrimSpace(q)}
		case c == '&' && depth == 0:
			out = append(out, strings.TrimSpace(q[from:i]))
			from = i + 1
		}
	}
	if last := strings.TrimSpace(q[from:]); last != "" {
		out = append(out, last)
	}
	return out
}

// shortestPrefix is the length in letters of the shortest prefix (a
// lexeme with * in its label) in tsquery text q, 0 when it holds none.
func shortestPrefix(q string) int {
	shortest := 0
	for i := 0; i < len(q); i++ {
		if q[i] != '\'' {
			continue
		}
		n := 0 // the quoted lexeme's letters
		for i++; i < len(q); i++ {
			c := q[i]
			if c == '\\' && i+1 < len(q) || c == '\'' && i+1 < len(q) && q[i+1] == '\'' {
				i++
			} else if c == '\'' {
				break
			}
			if utf8.RuneStart(q[i]) {
				n++
			}
		}
		if i+1 < len(q) && q[i+1] == ':' {
			j := i + 2
			for j < len(q) && strings.IndexByte("ABCD*", q[j]) >= 0 {
				j++
			}
			if strings.IndexByte(q[i+2:j], '*') >= 0 && (shortest == 0 || n < shortest) {
				shortest = n
			}
		}
	}
	return shortest
}

// lonePrefix reads tsquery text c that is one quoted lexeme followed by
// :* and nothing else, and returns the lexeme unquoted.
func lonePrefix(c string) (string, bool) {
	body, ok := strings.CutSuffix(c, "':*")
	if !ok || len(body) < 2 || body[0] != '\'' {
		return "", false
	}
	var b strings.Builder
	for i := 1; i < len(body); i++ {
		switch ch := body[i]; {
		case ch == '\\' && i+1 < len(body):
			i++
			b.WriteByte(body[i])
		case ch == '\'' && i+1 < len(body) && body[i+1] == '\'':
			i++
			b.WriteByte('\'')
		case ch == '\'' || ch == '\\':
			return "", false // the lexeme ends before :*
		default:
			b.WriteByte(ch)
		}
	}
	return b.String(), true
}

// loosenPhrases replaces the phrase operators (<-> and <N>) of tsquery
// text q, outside its quoted lexemes, by &; phrase tells whether it had any.
func loosenPhrases(q string) (loose string, phrase bool) {
	var b strings.Builder
	quoted := false
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quoted && c == '\\' && i+1 < len(q):
			b.WriteByte(c)
			i++
			c = q[i]
		case c == '\'':
			quoted = !quoted // a doubled quote toggles twice
		case !quoted && c == '<':
			if j := strings.IndexByte(q[i:], '>'); j > 0 {
				b.WriteByte('&')
				i += j
				phrase = true
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String(), phrase
}

// searchWhere is the FROM/WHERE part of a query for plan p: the matches
// of m among search_match d, filtered by their own columns (and
// article_authors for an author), with its arguments. byIndex asks for
// the lexemes as the word index holds them, for a statement that finds
// its rows through it: short prefixes, the language and the section as
// keys (search_match_keys), which a row check reads no faster.
func searchWhere(p searchindex.Plan, m match, byIndex bool) (string, []any) {
	var b strings.Builder
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		b.WriteString(" AND " + strings.ReplaceAll(cond, "$?", "$"+strconv.Itoa(len(args))))
	}
	b.WriteString(` FROM search_match d WHERE true`)
	if !p.Now.IsZero() {
		arg("d.published_at <= $?", p.Now)
	}
	switch {
	case byIndex && (m.indexLexemes != "" || len(m.prefixKeys) > 0):
		if m.indexLexemes != "" {
			arg("d.lexemes @@ $?::tsquery", m.indexLexemes)
		}
		keys := slices.Clone(m.prefixKeys)
		// Beside a prefix among the lexemes (a partial match) the
		// language and section keys cost the index more than they save
		// (it walks their long lists against every match of the prefix:
		// about 1 ms at 100,000 articles); the filters are then checked
		// in the table only, as they are anyway.
		if shortestPrefix(m.indexLexemes) == 0 {
			if p.Lang != "" {
				keys = append(keys, langKey+string(p.Lang))
			}
			if p.SectionID != 0 {
				keys = append(keys, sectionKey+strconv.FormatInt(p.SectionID, 10))
			}
		}
		if len(keys) > 0 {
			for i, k := range keys {
				keys[i] = searchindex.TSQuote(k)
			}
			arg("search_match_keys(d.lexemes, d.lang, d.section_id) @@ $?::tsquery", strings.Join(keys, " & "))
		}
	case m.loose != "":
		arg("d.lexemes @@ $?::tsquery", m.loose)
	}
	if m.recheck {
		arg("EXISTS (SELECT 1 FROM search_docs f WHERE f.article_id = d.article_id AND f.doc @@ $?::tsquery)", m.tsq)
	}
	if p.Lang != "" {
		arg("d.lang = $?", string(p.Lang))
	}
	if p.SectionID != 0 {
		arg("d.section_id = $?", p.SectionID)
	}
	if !p.From.IsZero() {
		arg("d.published_at >= $?", p.From)
	}
	if !p.To.IsZero() {
		arg("d.published_at < $?", p.To)
	}
	if p.AuthorID != 0 {
		arg("EXISTS (SELECT 1 FROM article_authors x WHERE x.article_id = d.article_id AND x.author_id = $?)", p.AuthorID)
	}
	return b.String(), args
}

type scoredID struct {
	id    int64
	pub   int64 // publication time, microseconds since 1970
	score float32
}

// pubMicros is d.published_at as microseconds since 1970 (exact: extract
// returns numeric from PostgreSQL 14): the statements planned with their
// values (QueryExecModeExec) return text, and an integer reads much faster
// than a timestamp.
const pubMicros = "(extract(epoch FROM d.published_at) * 1000000)::int8"

// searchPage runs one tsquery under plan p: a page of ids with scores
// (higher is better) and the total count (at most jarchy.SearchTotalCap,
// capped tells when there are more). Beyond the cap, relevance ranks the
// newest SearchTotalCap matches (by article id), as on SQLite.
//
// newestMatches lists the newest SearchTotalCap+1 matches from the index
// and search_match's own columns: that is the count, and the pool that
// relevance ranks, reading the documents of the pool only. Date order
// sorts the pool, or, past the cap, asks for its page.
func searchPage(ctx context.Context, tx pgx.Tx, p searchindex.Plan, tsq string) (page []scoredID, total int, capped bool, err error) {
	m, err := prepareMatch(ctx, tx, tsq)
	if err != nil {
		return nil, 0, false, err
	}
	if m.none {
		return nil, 0, false, nil
	}
	where, args := searchWhere(p, m, false)
	limit := jarchy.SearchTotalCap
	pool, err := newestMatches(ctx, tx, p, m, limit+1)
	if err != nil {
		return nil, 0, false, err
	}
	total = len(pool)
	if total > limit {
		total, capped, pool = limit, true, pool[:limit]
	}
	if total == 0 || p.Offset >= total {
		return nil, total, capped, nil
	}
	switch {
	case p.ByDate && capped:
		n := len(args)
		page, err = scanScored(tx.Query(ctx, "SELECT d.article_id, "+pubMicros+", 0::float4"+where+
			" ORDER BY d.published_at DESC, d.article_id DESC LIMIT $"+strconv.Itoa(n+1)+" OFFSET $"+strconv.Itoa(n+2),
			append([]any{pgx.QueryExecModeExec}, append(args, p.Limit, p.Offset)...)...))
		return page, total, capped, err
	case p.ByDate:
		sort.Slice(pool, func(i, j int) bool {
			a, b := pool[i], pool[j]
			if a.pub != b.pub {
				return a.pub > b.pub
			}
			return a.id > b.id
		})
	default:
		ids := make([]int64, len(pool))
		for i, s := range pool {
			ids[i] = s.id
		}
		ranked, err := scanScored(tx.Query(ctx, rankPoolSQL, tsq, ids))
		if err != nil {
			return nil, 0, false, err
		}
		if len(ranked) != len(pool) {
			return nil, 0, false, fmt.Errorf("search: ranked %d of %d matches", len(ranked), len(pool))
		}
		pool = ranked
		sort.Slice(pool, func(i, j int) bool {
			a, b := pool[i], pool[j]
			switch {
			case a.score != b.score:
				return a.score > b.score
			case a.pub != b.pub:
				return a.pub > b.pub
			}
			return a.id > b.id
		})
	}
	return pool[p.Offset:min(len(pool), p.Offset+p.Limit)], total, capped, nil
}

// firstWindow is how many article ids newestMatches looks among first
// (a variable for tests).
var firstWindow int64 = 4096

// newestMatches returns the newest need matches of where among the ids up
// to top (by article id, newest first; fewer when there are fewer). It
// looks in windows of article ids from the newest down, each sized from
// the share of matches the ones before found, so that a common word reads
// the rows of about need matches among the newest articles (which stay in
// the cache), not those of all its matches. When the matches seen so far
// say that few are left below the window (a rare word), it asks the
// word index for all of them at once instead, which reads only their rows
// (walking the ids would read every row below). Each query is planned
// with its own values (QueryExecModeExec).
func newestMatches(ctx context.Context, tx pgx.Tx, p searchindex.Plan, m match, need int) ([]scoredID, error) {
	where, args := searchWhere(p, m, false)
	n := len(args)
	window := "SELECT d.article_id, " + pubMicros + ", 0::float4" + where + " AND d.article_id > $" + strconv.Itoa(n+1) +
		" AND d.article_id <= $" + strconv.Itoa(n+2) + " ORDER BY d.article_id DESC LIMIT $" + strconv.Itoa(n+3)
	top := m.top
	// A prefix of two or three letters the index must merge the words of
	// (a partial match: three letters, or two in a group of alternatives)
	// costs the same however few matches it finds, and it starts many
	// words: the windows go on longer.
	few := int64(4 * need)
	if n := shortestPrefix(m.indexLexemes); n > 0 && n <= 3 {
		few = int64(need)
	}
	var out []scoredID
	width := firstWindow
	for hi := top; hi > 0; {
		lo := max(0, hi-width)
		if hi < top && int64(len(out))*hi/(top-hi) <= few { // few matches expected below
			rows, err := indexMatches(ctx, tx, p, m, hi, need-len(out))
			return append(out, rows...), err
		}
		rows, err := scanScored(tx.Query(ctx, window, append([]any{pgx.QueryExecModeExec}, append(args, lo, hi, need-len(out))...)...))
		if err != nil {
			return nil, err
		}
		out = append(out, rows...)
		if len(out) >= need {
			break
		}
		hi = lo
		if len(out) > 0 { // else the rest come from the word index
			// the ids still to look among at the density so far, and a quarter more
			width = int64(need-len(out))*(top-lo)/int64(len(out))*5/4 + firstWindow
		}
	}
	return out, nil
}

// indexMatches returns the newest need matches of m under plan p among
// the ids up to hi, found through the word index.
func indexMatches(ctx context.Context, tx pgx.Tx, p searchindex.Plan, m match, hi int64, need int) ([]scoredID, error) {
	where, args := searchWhere(p, m, true)
	n := len(args)
	// "+ 0" keeps the planner from walking the primary key down (it cannot
	// tell how few rows match and would test every one).
	sql := "WITH m AS MATERIALIZED (SELECT d.article_id, " + pubMicros + ", 0::float4 AS score" + where +
		" AND d.article_id + 0 <= $" + strconv.Itoa(n+1) + ") SELECT * FROM m ORDER BY article_id DESC LIMIT $" + strconv.Itoa(n+2)
	return scanScored(tx.Query(ctx, sql, append([]any{pgx.QueryExecModeExec}, append(args, hi, need)...)...))
}

// scanScored reads rows of (id, publication time, score).
func scanScored(rows pgx.Rows, err error) ([]scoredID, error) {
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []scoredID
	for rows.Next() {
		var s scoredID
		if err := rows.Scan(&s.id, &s.pub, &s.score); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// termDocs counts (up to a bound) the indexed articles holding term.
func termDocs(ctx context.Context, tx pgx.Tx, term string) (int, error) {
	m, err := prepareMatch(ctx, tx, searchindex.TSQuote(term))
	if err != nil {
		return 0, err
	}
	if m.none {
		return 0, nil
	}
	where, args := searchWhere(searchindex.Plan{}, m, false) // every indexed article
	var n int64
	err = tx.QueryRow(ctx, "SELECT count(*) FROM (SELECT 1"+where+" LIMIT 1000) x",
		append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&n)
	return int(n), err
}

// termIndexed reports whether some indexed article holds term (its first
// match, where termDocs counts up to a thousand).
func termIndexed(ctx context.Context, tx pgx.Tx, term string) (bool, error) {
	m, err := prepareMatch(ctx, tx, searchindex.TSQuote(term))
	if err != nil || m.none {
		return false, err
	}
	where, args := searchWhere(searchindex.Plan{}, m, false) // every indexed article
	var found bool
	err = tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1"+where+")", append([]any{pgx.QueryExecModeExec}, args...)...).Scan(&found)
	return found, err
}

// nearTerms lists vocabulary terms close to term (term itself, without its
// count, when it is indexed) with their document counts: by trigram
// similarity with pg_trgm, else among the terms sharing its first two
// letters.
func nearTerms(ctx context.Context, tx pgx.Tx, term, word string) ([]searchindex.Candidate, error) {
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
	// Keep the close ones that some article still holds. searchindex.Relax
	// keeps the closest searchindex.MaxAlternatives, the most frequent
	// first among equally close ones: terms no closer than a whole group of
	// equally close ones already found are never among them (as on
	// SQLite), and a group that fits whole needs no counts (a count reads
	// up to a thousand rows a term, a check one).
	out := make([]searchindex.Candidate, 0, len(close))
	for i := 0; i < len(close) && len(out) < searchindex.MaxAlternatives; {
		d := searchindex.Distance(term, word, close[i])
		j := i
		for j < len(close) && searchindex.Distance(term, word, close[j]) == d {
			j++
		}
		counts, err := termsDocs(ctx, tx, close[i:j], len(out)+j-i <= searchindex.MaxAlternatives)
		if err != nil {
			return nil, err
		}
		for k, n := range counts {
			if n > 0 {
				out = append(out, searchindex.Candidate{Term: close[i+k], Docs: n})
			}
		}
		i = j
	}
	return out, nil
}

// termsDocs is termDocs for several terms (existsOnly: 1 for a term some
// article holds, not its count): the ones of plain letters and digits
// (one lexeme each, as vocabulary terms are) by one statement, any other
// by termDocs.
func termsDocs(ctx context.Context, tx pgx.Tx, terms []string, existsOnly bool) ([]int, error) {
	counts := make([]int, len(terms))
	var plain []string
	var at []int
	for i, t := range terms {
		if !plainLexeme(t) {
			n, err := termDocs(ctx, tx, t)
			if err != nil {
				return nil, err
			}
			counts[i] = n
			continue
		}
		plain, at = append(plain, searchindex.TSQuote(t)), append(at, i)
	}
	if len(plain) == 0 {
		return counts, nil
	}
	// One subquery a term, each planned with its own term (to_tsquery of
	// a constant is parsed once, when planned): for a common term the
	// first match, or the first thousand, come from walking the table, not
	// from reading the term's whole posting list.
	limit := "1000"
	if existsOnly {
		limit = "1"
	}
	subs := make([]string, len(plain))
	args := []any{pgx.QueryExecModeExec}
	for k, q := range plain {
		subs[k] = "(SELECT count(*) FROM (SELECT 1 FROM search_match d WHERE d.lexemes @@ to_tsquery('simple', $" +
			strconv.Itoa(k+1) + ") LIMIT " + limit + ") x)"
		args = append(args, q)
	}
	ns := make([]int64, len(plain))
	dest := make([]any, len(plain))
	for k := range ns {
		dest[k] = &ns[k]
	}
	if err := tx.QueryRow(ctx, "SELECT "+strings.Join(subs, ", "), args...).Scan(dest...); err != nil {
		return nil, fmt.Errorf("search: count terms: %w", err)
	}
	for k, n := range ns {
		counts[at[k]] = int(n)
	}
	return counts, nil
}

// plainLexeme: t is lower-case letters and digits only, which
// to_tsquery('simple') takes as one lexeme.
func plainLexeme(t string) bool {
	for _, r := range t {
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) || unicode.IsUpper(r) {
			return false
		}
	}
	return t != ""
}

// closeTermsSQL is search_close_terms' query (migration 00016).
const closeTermsSQL = `SELECT t.term FROM search_terms t WHERE (t.term % $1 OR t.term % $2)
	AND (char_length(t.term) BETWEEN $3 AND $4 OR char_length(t.term) BETWEEN 4 AND $5)
	ORDER BY greatest(similarity(t.term, $1), similarity(t.term, $2)) DESC, t.term LIMIT 200`

// closeTerms lists the vocabulary terms close to term (searchindex.Close,
// closest first): found by trigram similarity with pg_trgm (migration
// 00016, search_close_terms), else among the terms sharing its first two
// letters.
func closeTerms(ctx context.Context, tx pgx.Tx, term, word string) ([]string, error) {
	r := []rune(term)
	if len(r) < 3 || searchindex.MaxEdits(len(r)) == 0 {
		return nil, nil
	}
	// pg_trgm may come after migration 00016 (no function: the same
	// query, planned freely) or go after it (DROP EXTENSION ... CASCADE
	// leaves the function, which then fails).
	var trgm, fn bool
	if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'),
		to_regprocedure('search_close_terms(text, text, int, int, int)') IS NOT NULL`).Scan(&trgm, &fn); err != nil {
		return nil, err
	}
	var rows pgx.Rows
	var err error
	if trgm {
		// searchindex.Close keeps a term within its edits of term, or of
		// as many first letters of word: no other length is asked for.
		norm := search.Normalize(word)
		lt, lw := len(r), utf8.RuneCountInString(norm)
		edits := max(searchindex.MaxEdits(lt), searchindex.MaxEdits(lw))
		sql := "SELECT * FROM search_close_terms($1, $2, $3, $4, $5)"
		if !fn {
			sql = closeTermsSQL
		}
		rows, err = tx.Query(ctx, sql, term, norm, lt-edits, lt+edits, lw-1)
	} else {
		lo := string(r[:2])
		hi := string(r[0]) + string(r[1]+1)
		rows, err = tx.Query(ctx, "SELECT term FROM search_terms WHERE term >= $1 AND term < $2 ORDER BY term LIMIT 2000", lo, hi)
	}
	if err != nil {
		return nil, err
	}
	cands, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (c searchindex.Candidate, err error) {
		return c, row.Scan(&c.Term)
	})
	if err != nil {
		return nil, err
	}
	return searchindex.Close(term, word, cands, 20), nil
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
	err = db.read(ctx, "search", func(tx pgx.Tx) error {
		res = jarchy.SearchResult{}
		hq := p.Query
		page, total, capped, err := searchPage(ctx, tx, p, p.Query.TSQuery())
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
				if page, total, capped, err = searchPage(ctx, tx, p, f.TSQuery()); err != nil {
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
			scores[s.id] = float64(s.score)
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

// snippetSources reads the stored snippet text of articles ids (those
// indexed before search_text have none: their snippets come from the body).
func snippetSources(ctx context.Context, tx pgx.Tx, ids []int64) (map[int64]string, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, "SELECT article_id, snippet FROM search_text WHERE article_id = ANY($1)", ids)
	if err != nil {
		return nil, fmt.Errorf("search: snippet text: %w", err)
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

// reindexWork is a batch of articles read and analysed for Reindex.
type reindexWork struct {
	ids   []int64
	arts  []*jarchy.Article
	docs  []*searchindex.Doc
	stale []bool // body rendered again
	err   error
}

// prepareReindex reads the articles ids and analyses them (outside any
// write, so that it runs while the batch before is written).
func (db *DB) prepareReindex(ctx context.Context, ids []int64) reindexWork {
	w := reindexWork{ids: ids}
	w.err = db.read(ctx, "reindex: read articles", func(tx pgx.Tx) (err error) {
		w.arts, err = loadArticles(ctx, tx, ids, false)
		return err
	})
	if w.err == nil {
		w.docs, w.stale = analyseForIndex(w.arts)
	}
	return w
}

// analyseForIndex renders stale bodies and builds the index documents of
// arts (nil for those not indexed).
func analyseForIndex(arts []*jarchy.Article) ([]*searchindex.Doc, []bool) {
	docs := make([]*searchindex.Doc, len(arts))
	stale := storeutil.RenderStaleBodies(arts)
	storeutil.Parallel(len(arts), func(i int) {
		if searchindex.Indexed(arts[i]) {
			d := searchindex.Build(arts[i])
			docs[i] = &d
		}
	})
	return docs, stale
}

// Reindex rebuilds the search index and its vocabulary from the articles,
// in transactions of reindexBatch articles, so searches and writes go on
// meanwhile. Each batch is read and analysed while the one before is
// written; its transaction checks that no article changed since it was
// read (an article saved in between is read and analysed again there).
// Each transaction changes the search results (storeutil.SearchChange) and
// the pages of the public articles whose body it renders again.
func (db *DB) Reindex(ctx context.Context, progress func(done, total int)) error {
	now := db.now()
	var ids []int64
	err := db.read(ctx, "reindex: list articles", func(tx pgx.Tx) error {
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
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan reindexWork, 1)
	go func() {
		defer close(work)
		for from := 0; from == 0 || from < len(ids); from += reindexBatch {
			select {
			case work <- db.prepareReindex(ctx, ids[from:min(len(ids), from+reindexBatch)]):
			case <-ctx.Done():
				return
			}
		}
	}()
	first, done := true, 0
	for w := range work {
		if w.err != nil {
			return w.err
		}
		err := db.write(ctx, "reindex", func(tx pgx.Tx) (jarchy.Change, error) {
			return reindexWrite(ctx, tx, w, first, now)
		})
		if err != nil {
			return err
		}
		first, done = false, done+len(w.ids)
		if progress != nil {
			progress(done, len(ids))
		}
	}
	return db.write(ctx, "reindex: finish", func(tx pgx.Tx) (jarchy.Change, error) {
		if _, err := tx.Exec(ctx, `DELETE FROM search_docs d WHERE NOT EXISTS
			(SELECT 1 FROM articles a WHERE a.id = d.article_id AND a.status = 'published')`); err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.Exec(ctx, "UPDATE search_state SET built = true"); err != nil {
			return jarchy.Change{}, err
		}
		return storeutil.SearchChange, nil
	})
}

// reindexWrite writes the index rows of a prepared batch in one pipeline,
// inside a write transaction (first: the batch that empties the
// vocabulary first).
func reindexWrite(ctx context.Context, tx pgx.Tx, w reindexWork, first bool, now time.Time) (jarchy.Change, error) {
	if first {
		if _, err := tx.Exec(ctx, "DELETE FROM search_terms"); err != nil {
			return jarchy.Change{}, err
		}
	}
	// Articles saved (or deleted) since they were read are read again.
	versions := map[int64]int64{}
	rows, err := tx.Query(ctx, "SELECT id, version FROM articles WHERE id = ANY($1)", w.ids)
	if err != nil {
		return jarchy.Change{}, err
	}
	for rows.Next() {
		var id, v int64
		if err := rows.Scan(&id, &v); err != nil {
			rows.Close()
			return jarchy.Change{}, err
		}
		versions[id] = v
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return jarchy.Change{}, err
	}
	arts, docs, stale := w.arts, w.docs, w.stale
	var changed []int64
	for _, a := range arts {
		if v, ok := versions[a.ID]; !ok || v != a.Version {
			changed = append(changed, a.ID)
		}
	}
	if len(changed) > 0 || len(arts) != len(versions) {
		if arts, err = loadArticles(ctx, tx, w.ids, false); err != nil {
			return jarchy.Change{}, err
		}
		docs, stale = analyseForIndex(arts)
	}
	chs := []jarchy.Change{storeutil.SearchChange}
	b := &pgx.Batch{}
	var terms []string
	for i, a := range arts {
		sql, args := indexRowStatement(a, docs[i])
		b.Queue(sql, args...)
		if docs[i] != nil {
			terms = append(terms, docs[i].Terms()...)
		}
		if stale[i] {
			b.Queue("UPDATE articles SET body_html = $1, body_html_version = $2 WHERE id = $3",
				a.BodyHTML, storeutil.BodyHTMLVersion, a.ID)
			chs = append(chs, jarchy.ArticleChange(a, a, now)) // its page shows the new body
		}
	}
	if len(terms) > 0 {
		slices.Sort(terms)
		b.Queue(insertTermsSQL, slices.Compact(terms))
	}
	if err := tx.SendBatch(ctx, b).Close(); err != nil {
		return jarchy.Change{}, fmt.Errorf("search index: %w", err)
	}
	return storeutil.MergeChanges(chs), nil
}

// reindexAuthor brings the index rows of author id's published articles
// in step with the author's (possibly new) name, inside SaveAuthor's
// transaction. When the first article's row is already what it would be,
// the name did not change and nothing is rewritten.
func reindexAuthor(ctx context.Context, tx pgx.Tx, id int64) error {
	ids, err := queryIDs(ctx, tx, "SELECT article_id FROM article_authors WHERE author_id = $1 AND status = 'published' ORDER BY article_id", id)
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
				var same bool
				err := tx.QueryRow(ctx, "SELECT doc = ("+docExpr+") FROM search_docs WHERE article_id = $1",
					a.ID, d.Title, d.Lead, d.Body, d.Tags, d.Authors).Scan(&same)
				if err == nil && same {
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

// maxDocBytes keeps an article's tsvector under PostgreSQL's limit of
// 1,048,575 bytes, with room to spare.
const maxDocBytes = 900_000

// tsvectorBytes bounds from above the size of the tsvector of index text
// (space-separated terms).
func tsvectorBytes(text string) int {
	n := 0
	seen := map[string]int{}
	for t := range strings.FieldsSeq(text) {
		n += termBytes(seen, t)
	}
	return n
}

// termBytes is what one more occurrence of term t adds to a tsvector at
// most: per new lexeme a 4-byte entry, the lexeme, a padding byte, a
// 2-byte position count and a 2-byte position; per repeat (up to 256
// positions) 2 bytes. The parser indexes a hyphenated term as a whole and
// also each of its parts.
func termBytes(seen map[string]int, t string) int {
	n := lexemeBytes(seen, t)
	if strings.Contains(t, "-") {
		for p := range strings.SplitSeq(t, "-") {
			if p != "" {
				n += lexemeBytes(seen, p)
			}
		}
	}
	return n
}

func lexemeBytes(seen map[string]int, t string) int {
	c := seen[t]
	seen[t] = c + 1
	switch {
	case c == 0:
		return 4 + len(t) + 1 + 2 + 2
	case c < 256:
		return 2
	}
	return 0
}

// fitBody returns d's body terms, cut so that the whole document's
// tsvector stays under maxDocBytes. The text of a long law (1 MiB, some
// 80,000 words, 15,000 distinct) takes about half of it and is never cut;
// only a body made of tens of thousands of distinct tokens (codes, hashes)
// loses its last terms from the PostgreSQL index.
func fitBody(d searchindex.Doc) string {
	budget := maxDocBytes - tsvectorBytes(d.Title) - tsvectorBytes(d.Lead) - tsvectorBytes(d.Tags) - tsvectorBytes(d.Authors)
	if len(d.Body) < budget/6 { // a byte of text costs about 3 bytes of tsvector at most, 6 when hyphenated
		return d.Body
	}
	seen := map[string]int{}
	n := 0
	for i := 0; i < len(d.Body); {
		j := strings.IndexByte(d.Body[i:], ' ')
		if j < 0 {
			j = len(d.Body) - i
		}
		if n += termBytes(seen, d.Body[i:i+j]); n > budget {
			return strings.TrimRight(d.Body[:i], " ")
		}
		i += j + 1
	}
	return d.Body
}
