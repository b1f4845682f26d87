package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Reads go in two steps: a query that picks article IDs from an index,
// then one statement that fetches those rows by primary key together with
// their section, tags, authors and translations (aggregated as JSON by
// SQLite), whatever the count. A statement costs far more than its rows here, and one
// statement is one consistent snapshot, so single reads need no
// transaction.

// articleSelect reads an article row, its section and, unless summary, its
// body, current rendered body, tags, authors and translations. It ends
// with the FROM clause; a is articles.
func articleSelect(summary bool) string {
	if summary {
		return summarySelect
	}
	return fullSelect
}

var (
	fullSelect    = buildArticleSelect(false, true)
	summarySelect = buildArticleSelect(true, false)
	// hitSelect is what a search hit needs: a summary with the body, which
	// its snippet and the fuzzy fallback's suggestion are taken from (scan
	// it as a summary).
	hitSelect = buildArticleSelect(true, true)
)

func buildArticleSelect(summary, withBody bool) string {
	body, bodyHTML, tags, authors, translations, corrections := "a.body", "''", "'[]'", "'[]'", "'[]'", "'[]'"
	if !withBody {
		body = "''"
	}
	if !summary {
		corrections = "a.corrections"
		translations = `(SELECT json_group_array(json_object('i', t.id, 'l', t.lang, 's', t.slug, 'c', ts.slug,
				'st', t.status, 'p', t.published_at) ORDER BY t.id)
			FROM articles t JOIN sections ts ON ts.id = t.section_id
			WHERE t.translation_group = a.translation_group AND t.id <> a.id)`
		tags = `(SELECT json_group_array(json_object('i', t.id, 's', t.slug, 'n', t.name) ORDER BY x.position)
			FROM article_tags x JOIN tags t ON t.id = x.tag_id WHERE x.article_id = a.id)`
		authors = `(SELECT json_group_array(json_object('i', u.id, 's', u.slug, 'n', u.name, 'b', u.bio) ORDER BY x.position)
			FROM article_authors x JOIN authors u ON u.id = x.author_id WHERE x.article_id = a.id)`
		bodyHTML = fmt.Sprintf("CASE WHEN a.body_html_version = %d THEN a.body_html ELSE '' END", storeutil.BodyHTMLVersion)
	}
	return `SELECT a.id, a.external_id, a.lang, a.translation_group, a.slug, a.status,
	a.published_at, a.created_at, a.updated_at, a.version,
	` + mediaColumns + `,
	a.title, a.lead, ` + body + `, ` + bodyHTML + `, a.seo_title, a.seo_description, a.owner_id,
	s.id, s.slug, s.position,
	(SELECT json_group_object(n.lang, n.name) FROM section_names n WHERE n.section_id = s.id),
	` + tags + `, ` + authors + `, ` + translations + `, ` + corrections + `, a.breaking_until
FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.key = a.cover_key`
}

// relation is a tag or an author as articleSelect aggregates it.
type relation struct {
	ID   int64  `json:"i"`
	Slug string `json:"s"`
	Name string `json:"n"`
	Bio  string `json:"b"`
}

// translation is a jarchy.Translation as articleSelect aggregates it.
type translation struct {
	ID          int64  `json:"i"`
	Lang        string `json:"l"`
	Slug        string `json:"s"`
	SectionSlug string `json:"c"`
	Status      string `json:"st"`
	PublishedAt *int64 `json:"p"`
}

func scanArticle(rows interface{ Scan(...any) error }, summary bool) (*jarchy.Article, error) {
	var a jarchy.Article
	var ext sql.NullString
	var cover mediaRow
	var pub, created, updated sql.NullInt64
	var names, tags, authors, translations, corrections []byte
	var breaking sql.NullInt64
	dest := []any{&a.ID, &ext, &a.Lang, &a.TranslationGroup, &a.Slug, &a.Status, &pub, &created, &updated, &a.Version}
	dest = append(dest, cover.dest()...)
	dest = append(dest, &a.Title, &a.Lead, &a.Body, &a.BodyHTML, &a.SEOTitle, &a.SEODescription, &a.OwnerID,
		&a.Section.ID, &a.Section.Slug, &a.Section.Position, &names, &tags, &authors, &translations, &corrections, &breaking)
	if err := rows.Scan(dest...); err != nil {
		return nil, err
	}
	a.BreakingUntil = fromDB(breaking)
	a.ExternalID = ext.String
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromDB(pub), fromDB(created), fromDB(updated)
	var err error
	if a.Cover, err = cover.media(); err != nil {
		return nil, fmt.Errorf("cover of article %d: %w", a.ID, err)
	}
	a.Section.Names = map[jarchy.Lang]string{}
	if len(names) > 0 {
		if err := json.Unmarshal(names, &a.Section.Names); err != nil {
			return nil, fmt.Errorf("section names of article %d: %w", a.ID, err)
		}
	}
	if summary {
		return &a, nil
	}
	if a.Corrections, err = storeutil.ParseCorrections(corrections); err != nil {
		return nil, fmt.Errorf("article %d: %w", a.ID, err)
	}
	var rel []relation
	if err := json.Unmarshal(tags, &rel); err != nil {
		return nil, fmt.Errorf("tags of article %d: %w", a.ID, err)
	}
	for _, r := range rel {
		a.Tags = append(a.Tags, jarchy.Tag{ID: r.ID, Slug: r.Slug, Name: r.Name})
	}
	rel = rel[:0]
	if err := json.Unmarshal(authors, &rel); err != nil {
		return nil, fmt.Errorf("authors of article %d: %w", a.ID, err)
	}
	for _, r := range rel {
		a.Authors = append(a.Authors, jarchy.Author{ID: r.ID, Slug: r.Slug, Name: r.Name, Bio: r.Bio})
	}
	var trs []translation
	if err := json.Unmarshal(translations, &trs); err != nil {
		return nil, fmt.Errorf("translations of article %d: %w", a.ID, err)
	}
	for _, t := range trs {
		var pub sql.NullInt64
		if t.PublishedAt != nil {
			pub = sql.NullInt64{Int64: *t.PublishedAt, Valid: true}
		}
		a.Translations = append(a.Translations, jarchy.Translation{ID: t.ID, Lang: jarchy.Lang(t.Lang), Slug: t.Slug,
			SectionSlug: t.SectionSlug, Status: jarchy.Status(t.Status), PublishedAt: fromDB(pub)})
	}
	slices.SortStableFunc(a.Translations, func(x, y jarchy.Translation) int {
		return storeutil.LangOrder(x.Lang) - storeutil.LangOrder(y.Lang)
	})
	return &a, nil
}

// queryArticles runs an articleSelect query and returns its rows in order.
func queryArticles(ctx context.Context, q querier, summary bool, query string, args ...any) ([]*jarchy.Article, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jarchy.Article
	for rows.Next() {
		a, err := scanArticle(rows, summary)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// loadArticles returns the articles with ids, in that order, with their
// relations; summaries leave out the body, tags and authors. IDs that do
// not exist are skipped.
func loadArticles(ctx context.Context, q querier, ids []int64, summary bool) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids)
	list, err := queryArticles(ctx, q, summary, articleSelect(summary)+" WHERE a.id IN ("+in+")", args...)
	if err != nil {
		return nil, err
	}
	return storeutil.InOrder(list, ids), nil
}

// pool runs one-statement reads on the read pool, prepared when it can.
type pool struct{ db *DB }

func (db *DB) pool() pool { return pool{db} }

func (p pool) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := p.db.rstmts.get(query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	p.db.rstmts.prepareLater(query)
	return p.db.r.QueryContext(ctx, query, args...)
}

// queryIDs returns the ids a query selects (NULLs skipped).
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id sql.NullInt64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		if id.Valid {
			ids = append(ids, id.Int64)
		}
	}
	return ids, rows.Err()
}

// articleBy loads the one article whose ID the query idQuery returns, in
// one statement.
func (db *DB) articleBy(ctx context.Context, what, idQuery string, args ...any) (*jarchy.Article, error) {
	as, err := queryArticles(ctx, db.pool(), false, fullSelect+" WHERE a.id = ("+idQuery+")", args...)
	if err != nil {
		return nil, wrapErr(what, err)
	}
	if len(as) == 0 {
		return nil, notFound("%s not found", what)
	}
	return as[0], nil
}

// Article returns an article by ID.
func (db *DB) Article(ctx context.Context, id int64) (*jarchy.Article, error) {
	return db.articleBy(ctx, fmt.Sprintf("article %d", id), "SELECT ?", id)
}

// byIDChunk is the most ids ArticlesByID sends in one statement: the
// largest IN list inList pads to, so the statements stay prepared.
const byIDChunk = 100

// ArticlesByID returns the summaries of the articles among ids: one
// statement per byIDChunk ids, in one read transaction when there are
// several.
func (db *DB) ArticlesByID(ctx context.Context, ids []int64) (map[int64]*jarchy.Article, error) {
	chunks := storeutil.IDChunks(ids, byIDChunk)
	var out map[int64]*jarchy.Article
	load := func(q querier) (err error) {
		out, err = storeutil.ArticlesByChunk(chunks, func(chunk []int64) ([]*jarchy.Article, error) {
			return loadArticles(ctx, q, chunk, true)
		})
		return err
	}
	what := fmt.Sprintf("%d articles by id", len(ids))
	var err error
	if len(chunks) <= 1 {
		err = wrapErr(what, load(db.pool()))
	} else {
		err = db.read(ctx, what, func(tx *qtx) error { return load(tx) })
	}
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ArticleByExternalID returns the article imported with externalID.
func (db *DB) ArticleByExternalID(ctx context.Context, externalID string) (*jarchy.Article, error) {
	if externalID == "" {
		return nil, notFound("article with an empty external id")
	}
	return db.articleBy(ctx, fmt.Sprintf("article with external id %q", externalID),
		"SELECT id FROM articles WHERE external_id = ?", externalID)
}

// ArticleBySlug returns the article with slug in lang, now or before.
func (db *DB) ArticleBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Article, error) {
	return db.articleBy(ctx, fmt.Sprintf("article %s/%q", lang, slug),
		`SELECT COALESCE((SELECT id FROM articles WHERE lang = ?1 AND slug = ?2),
			(SELECT article_id FROM article_slugs WHERE lang = ?1 AND slug = ?2))`, lang, slug)
}

// Articles lists articles newest first.
func (db *DB) Articles(ctx context.Context, f jarchy.ArticleFilter) (jarchy.ArticleList, error) {
	if err := storeutil.CheckFilter(&f); err != nil {
		return jarchy.ArticleList{}, err
	}
	now := db.now()
	from, where, args, order, idCol := listQuery(f, now)
	var list jarchy.ArticleList
	err := db.read(ctx, "list articles", func(tx *qtx) error {
		if !f.NoTotal {
			if err := db.counts.total(ctx, tx, f, now, "SELECT COUNT(*) FROM "+from+where, args, &list.Total); err != nil {
				return err
			}
			if list.Total <= f.Offset {
				return nil
			}
		}
		ids, err := queryIDs(ctx, tx, "SELECT "+idCol+" FROM "+from+where+order+" LIMIT ? OFFSET ?",
			append(args, f.Limit, f.Offset)...)
		if err != nil {
			return err
		}
		list.Articles, err = loadArticles(ctx, tx, ids, f.Summary)
		return err
	})
	return list, err
}

// listQuery builds the FROM, WHERE and ORDER BY of a listing and names the
// ID column. Tag and author listings drive from the link table, whose
// copies of lang, status and published_at make them one index range.
func listQuery(f jarchy.ArticleFilter, now time.Time) (from, where string, args []any, order, idCol string) {
	p := "a."
	idCol = "a.id"
	switch {
	case f.TagID != 0:
		from, p, idCol = "article_tags x", "x.", "x.article_id"
	case f.AuthorID != 0:
		from, p, idCol = "article_authors x", "x.", "x.article_id"
	default:
		from = "articles a"
	}
	if p == "x." && (f.SectionID != 0 || f.OwnerID != 0) {
		from += " JOIN articles a ON a.id = x.article_id"
	}
	var conds []string
	add := func(c string, v ...any) {
		conds = append(conds, c)
		args = append(args, v...)
	}
	if f.TagID != 0 {
		add("x.tag_id = ?", f.TagID)
		if f.AuthorID != 0 {
			add("EXISTS (SELECT 1 FROM article_authors y WHERE y.article_id = x.article_id AND y.author_id = ?)", f.AuthorID)
		}
	} else if f.AuthorID != 0 {
		add("x.author_id = ?", f.AuthorID)
	}
	if f.Lang != "" {
		add(p+"lang = ?", f.Lang)
	}
	if f.PublicOnly {
		add(p+"status = ?", jarchy.StatusPublished)
		add(p+"published_at <= ?", now.UnixMicro())
	}
	if f.Status != "" {
		add(p+"status = ?", f.Status)
	}
	if f.SectionID != 0 {
		add("a.section_id = ?", f.SectionID)
	}
	if f.OwnerID != 0 {
		add("a.owner_id = ?", f.OwnerID)
	}
	if !f.Before.IsZero() {
		add(p+"published_at < ?", storeutil.Micro(f.Before).UnixMicro())
	}
	if !f.Since.IsZero() {
		add(p+"published_at >= ?", storeutil.Micro(f.Since).UnixMicro())
	}
	if f.ExcludeID != 0 {
		add(idCol+" <> ?", f.ExcludeID)
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	order = " ORDER BY " + p + "published_at DESC, " + idCol + " DESC"
	return from, where, args, order, idCol
}

// Translations returns the articles of group ordered by language, then ID.
func (db *DB) Translations(ctx context.Context, group string) ([]*jarchy.Article, error) {
	out, err := queryArticles(ctx, db.pool(), true, summarySelect+" WHERE a.translation_group = ? ORDER BY a.id", group)
	if err != nil {
		return nil, wrapErr("translations", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return storeutil.LangOrder(out[i].Lang) < storeutil.LangOrder(out[j].Lang)
	})
	return out, err
}

// RelatedArticles returns public articles in a's language sharing tags or
// the section with a: more shared tags first, a shared section counting
// less than one tag, then newest. Two statements: a's stored relations,
// then the candidates ranked and loaded.
func (db *DB) RelatedArticles(ctx context.Context, a *jarchy.Article, limit int) ([]*jarchy.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	limit = min(limit, storeutil.MaxLimit)
	sectionID := a.Section.ID
	var tagIDs []int64
	for _, t := range a.Tags {
		if t.ID != 0 {
			tagIDs = append(tagIDs, t.ID)
		}
	}
	if a.ID != 0 { // trust the stored relations over the caller's copy
		var sec int64
		var tags []byte
		err := db.queryRow(ctx, `SELECT section_id, (SELECT json_group_array(tag_id) FROM article_tags WHERE article_id = ?1)
			FROM articles WHERE id = ?1`, a.ID).Scan(&sec, &tags)
		switch {
		case err == nil:
			sectionID, tagIDs = sec, nil
			if err := json.Unmarshal(tags, &tagIDs); err != nil {
				return nil, wrapErr("related articles: tags", err)
			}
		case !errors.Is(err, sql.ErrNoRows):
			return nil, wrapErr("related articles", err)
		}
	}
	now := db.now().UnixMicro()
	var parts []string
	var args []any
	for _, tid := range tagIDs {
		parts = append(parts, `SELECT * FROM (SELECT article_id, published_at, 2 FROM article_tags
			WHERE tag_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND article_id <> ?
			ORDER BY published_at DESC, article_id DESC LIMIT ?)`)
		args = append(args, tid, a.Lang, now, a.ID, storeutil.RelatedPerSource)
	}
	if sectionID != 0 {
		parts = append(parts, `SELECT * FROM (SELECT id, published_at, 1 FROM articles
			WHERE section_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND id <> ?
			ORDER BY published_at DESC, id DESC LIMIT ?)`)
		args = append(args, sectionID, a.Lang, now, a.ID, storeutil.RelatedPerSource)
	}
	if len(parts) == 0 {
		return nil, nil
	}
	q := "WITH c (id, pub, score) AS (" + strings.Join(parts, " UNION ALL ") + `),
		best AS (SELECT id, SUM(score) AS score, MAX(pub) AS pub FROM c GROUP BY id
			ORDER BY score DESC, pub DESC, id DESC LIMIT ?)
		` + strings.Replace(summarySelect, "FROM articles a", "FROM best JOIN articles a ON a.id = best.id", 1) + `
		ORDER BY best.score DESC, best.pub DESC, best.id DESC`
	out, err := queryArticles(ctx, db.pool(), true, q, append(args, limit)...)
	if err != nil {
		return nil, wrapErr("related articles", err)
	}
	return out, nil
}

// Empty reports whether there are no articles.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var any bool
	if err := db.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles)").Scan(&any); err != nil {
		return false, wrapErr("empty", err)
	}
	return !any, nil
}
