package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// fullSelect reads an article row with its section and current body
// rendering; tags, authors and translations are loaded afterwards for all
// rows at once (hydrate). summarySelect reads the same with an empty body
// (see jarchy.ArticleFilter.Summary); summaries are not hydrated.
// hitSelect reads a summary with its Markdown body, which search snippets
// are cut from.
var (
	fullSelect    = buildArticleSelect("a.body", true)
	summarySelect = buildArticleSelect("''", false)
	hitSelect     = buildArticleSelect("a.body", false)
)

// buildArticleSelect reads the body as body, and with whole also the
// body's rendering and the corrections.
func buildArticleSelect(body string, whole bool) string {
	bodyHTML, corrections := "''", "'[]'"
	if whole {
		bodyHTML = "CASE WHEN a.body_html_version = " + strconv.Itoa(storeutil.BodyHTMLVersion) + " THEN a.body_html ELSE '' END"
		corrections = "a.corrections::text"
	}
	return `SELECT a.id, coalesce(a.external_id, ''), a.lang, a.translation_group, a.title, a.slug,
	a.lead, ` + body + `, ` + bodyHTML + `, a.status, a.published_at, a.updated_at, a.created_at, a.version, ` + mediaColumns + `,
	a.seo_title, a.seo_description, a.owner_id,
	s.id, s.slug, s.position, s.names, ` + corrections + `, a.breaking_until
FROM articles a JOIN sections s ON s.id = a.section_id LEFT JOIN media m ON m.key = a.cover_key`
}

// articleSelect is summarySelect or fullSelect. It ends with the FROM
// clause; a is articles.
func articleSelect(summary bool) string {
	if summary {
		return summarySelect
	}
	return fullSelect
}

func scanArticle(row pgx.Row) (*jarchy.Article, error) {
	var (
		a                jarchy.Article
		lang, status     string
		published        *time.Time
		updated, created time.Time
		cover            mediaRow
		names            map[string]string
		corrections      string
		breaking         *time.Time
	)
	dest := []any{&a.ID, &a.ExternalID, &lang, &a.TranslationGroup, &a.Title, &a.Slug,
		&a.Lead, &a.Body, &a.BodyHTML, &status, &published, &updated, &created, &a.Version}
	dest = append(dest, cover.dest()...)
	err := row.Scan(append(dest, &a.SEOTitle, &a.SEODescription, &a.OwnerID,
		&a.Section.ID, &a.Section.Slug, &a.Section.Position, &names, &corrections, &breaking)...)
	if err != nil {
		return nil, err
	}
	if a.Corrections, err = storeutil.ParseCorrections([]byte(corrections)); err != nil {
		return nil, fmt.Errorf("article %d: %w", a.ID, err)
	}
	a.BreakingUntil = fromDB(breaking)
	a.Lang, a.Status = jarchy.Lang(lang), jarchy.Status(status)
	a.PublishedAt, a.UpdatedAt, a.CreatedAt = fromDB(published), updated.UTC(), created.UTC()
	a.Section.Names = langNames(names)
	if a.Cover, err = cover.media(); err != nil {
		return nil, fmt.Errorf("cover of article %d: %w", a.ID, err)
	}
	return &a, nil
}

func langNames(m map[string]string) map[jarchy.Lang]string {
	out := make(map[jarchy.Lang]string, len(m))
	for k, v := range m {
		out[jarchy.Lang(k)] = v
	}
	return out
}

// queryArticles runs an articleSelect (or summarySelect) query and
// hydrates the result unless summary.
func queryArticles(ctx context.Context, q querier, summary bool, query string, args ...any) ([]*jarchy.Article, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var list []*jarchy.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		list = append(list, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if summary {
		return list, nil
	}
	if err := hydrate(ctx, q, list); err != nil {
		return nil, err
	}
	return list, nil
}

// queryIDs returns the ids a query selects.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.Query(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, pgx.RowTo[int64])
}

// loadArticles returns the articles with ids, in that order, with their
// relations; summaries leave out the body, tags and authors. IDs that do
// not exist are skipped.
func loadArticles(ctx context.Context, q querier, ids []int64, summary bool) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := queryArticles(ctx, q, summary, articleSelect(summary)+" WHERE a.id = ANY($1)", ids)
	if err != nil {
		return nil, err
	}
	return storeutil.InOrder(list, ids), nil
}

// loadHits returns the summaries of articles ids with their Markdown
// bodies (see jarchy.SearchHit), in that order.
func loadHits(ctx context.Context, q querier, ids []int64) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	list, err := queryArticles(ctx, q, true, hitSelect+" WHERE a.id = ANY($1)", ids)
	if err != nil {
		return nil, err
	}
	return storeutil.InOrder(list, ids), nil
}

// hydrate loads the tags and authors of all articles with one query each.
func hydrate(ctx context.Context, q querier, list []*jarchy.Article) error {
	if len(list) == 0 {
		return nil
	}
	ids := make([]int64, len(list))
	byID := make(map[int64]*jarchy.Article, len(list))
	for i, a := range list {
		ids[i] = a.ID
		byID[a.ID] = a
		a.Tags, a.Authors = []jarchy.Tag{}, []jarchy.Author{}
	}
	rows, err := q.Query(ctx, `SELECT at.article_id, t.id, t.slug, t.name FROM article_tags at
		JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ANY($1) ORDER BY at.article_id, at.position`, ids)
	if err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	for rows.Next() {
		var aid int64
		var t jarchy.Tag
		if err := rows.Scan(&aid, &t.ID, &t.Slug, &t.Name); err != nil {
			rows.Close()
			return err
		}
		byID[aid].Tags = append(byID[aid].Tags, t)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load tags: %w", err)
	}
	rows, err = q.Query(ctx, `SELECT aa.article_id, au.id, au.slug, au.name, au.bio FROM article_authors aa
		JOIN authors au ON au.id = aa.author_id WHERE aa.article_id = ANY($1) ORDER BY aa.article_id, aa.position`, ids)
	if err != nil {
		return fmt.Errorf("load authors: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var au jarchy.Author
		if err := rows.Scan(&aid, &au.ID, &au.Slug, &au.Name, &au.Bio); err != nil {
			return err
		}
		byID[aid].Authors = append(byID[aid].Authors, au)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load authors: %w", err)
	}
	rows.Close()
	return loadTranslations(ctx, q, list)
}

// loadTranslations fills the Translations of whole articles with one query.
func loadTranslations(ctx context.Context, q querier, list []*jarchy.Article) error {
	groups := make([]string, 0, len(list))
	byGroup := map[string][]*jarchy.Article{}
	for _, a := range list {
		if _, seen := byGroup[a.TranslationGroup]; !seen {
			groups = append(groups, a.TranslationGroup)
		}
		byGroup[a.TranslationGroup] = append(byGroup[a.TranslationGroup], a)
	}
	rows, err := q.Query(ctx, `SELECT a.translation_group, a.id, a.lang, a.slug, s.slug, a.status, a.published_at
		FROM articles a JOIN sections s ON s.id = a.section_id WHERE a.translation_group = ANY($1)
		ORDER BY array_position($2::text[], a.lang), a.id`, groups, langCodes())
	if err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var group, lang, status string
		var t jarchy.Translation
		var published *time.Time
		if err := rows.Scan(&group, &t.ID, &lang, &t.Slug, &t.SectionSlug, &status, &published); err != nil {
			return err
		}
		t.Lang, t.Status, t.PublishedAt = jarchy.Lang(lang), jarchy.Status(status), fromDB(published)
		for _, a := range byGroup[group] {
			if a.ID != t.ID {
				a.Translations = append(a.Translations, t)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("load translations: %w", err)
	}
	return nil
}

// articleBy loads the one article that where selects, or ENOTFOUND.
func (db *DB) articleBy(ctx context.Context, what, where string, args ...any) (*jarchy.Article, error) {
	var list []*jarchy.Article
	err := db.read(ctx, what, func(tx pgx.Tx) (err error) {
		list, err = queryArticles(ctx, tx, false, fullSelect+" WHERE "+where, args...)
		return err
	})
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return nil, notFound("%s not found", what)
	}
	return list[0], nil
}

// Article returns an article by ID.
func (db *DB) Article(ctx context.Context, id int64) (*jarchy.Article, error) {
	return db.articleBy(ctx, fmt.Sprintf("article %d", id), "a.id = $1", id)
}

// byIDChunk is the most ids ArticlesByID sends in one statement.
const byIDChunk = 500

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
		err = wrapErr(what, load(db.pool))
	} else {
		err = db.read(ctx, what, func(tx pgx.Tx) error { return load(tx) })
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
	what := fmt.Sprintf("article with external id %q", externalID)
	// An import asks for every id it reads, most of them new: one
	// statement answers those, instead of a read transaction's three.
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE external_id = $1)", externalID).Scan(&exists); err != nil {
		return nil, wrapErr(what, err)
	}
	if !exists {
		return nil, notFound("%s not found", what)
	}
	return db.articleBy(ctx, what, "a.external_id = $1", externalID)
}

// ArticleBySlug returns the article with slug in lang, or the one that had it.
func (db *DB) ArticleBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Article, error) {
	what := fmt.Sprintf("article %s/%s", lang, slug)
	a, err := db.articleBy(ctx, what, "a.lang = $1 AND a.slug = $2", string(lang), slug)
	if !jarchy.IsNotFound(err) {
		return a, err
	}
	return db.articleBy(ctx, what,
		"a.id = (SELECT article_id FROM slug_redirects WHERE lang = $1 AND slug = $2)", string(lang), slug)
}

// Articles lists articles newest first.
func (db *DB) Articles(ctx context.Context, f jarchy.ArticleFilter) (jarchy.ArticleList, error) {
	if err := storeutil.CheckFilter(&f); err != nil {
		return jarchy.ArticleList{}, err
	}
	from, countFrom, cond, args, order := listQuery(f, db.now())
	var out jarchy.ArticleList
	out.Articles = []*jarchy.Article{}
	var list []*jarchy.Article
	err := db.read(ctx, "list articles", func(tx pgx.Tx) error {
		if !f.NoTotal {
			if err := tx.QueryRow(ctx, "SELECT count(*) FROM "+countFrom+cond, args...).Scan(&out.Total); err != nil {
				return fmt.Errorf("count articles: %w", err)
			}
			if out.Total <= f.Offset {
				return nil
			}
		}
		n := len(args)
		var err error
		list, err = queryArticles(ctx, tx, f.Summary, strings.Replace(articleSelect(f.Summary), "FROM articles a", "FROM "+from, 1)+cond+order+
			fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2), append(args, f.Limit, f.Offset)...)
		return err
	})
	if err != nil {
		return out, err
	}
	if list != nil {
		out.Articles = list
	}
	return out, nil
}

// listQuery builds the FROM, WHERE and ORDER BY of a listing. Tag and
// author listings drive from the link table, whose copies of lang, status
// and published_at make the listing one index range.
//
// countFrom is what the count needs: the link table alone when no
// condition reads the articles table.
func listQuery(f jarchy.ArticleFilter, now time.Time) (from, countFrom, where string, args []any, order string) {
	p, idCol := "a.", "a.id"
	switch {
	case f.TagID != 0:
		from, countFrom = "article_tags x JOIN articles a ON a.id = x.article_id", "article_tags x"
		p, idCol = "x.", "x.article_id"
	case f.AuthorID != 0:
		from, countFrom = "article_authors x JOIN articles a ON a.id = x.article_id", "article_authors x"
		p, idCol = "x.", "x.article_id"
	default:
		from, countFrom = "articles a", "articles a"
	}
	if f.SectionID != 0 || f.OwnerID != 0 {
		countFrom = from
	}
	var conds []string
	add := func(cond string, arg any) {
		args = append(args, arg)
		conds = append(conds, strings.ReplaceAll(cond, "?", "$"+strconv.Itoa(len(args))))
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
		add(p+"lang = ?", string(f.Lang))
	}
	if f.PublicOnly {
		add(p+"status = ?", string(jarchy.StatusPublished))
		add(p+"published_at <= ?", now)
	}
	if f.Status != "" {
		add(p+"status = ?", string(f.Status))
	}
	if f.SectionID != 0 {
		add("a.section_id = ?", f.SectionID)
	}
	if f.OwnerID != 0 {
		add("a.owner_id = ?", f.OwnerID)
	}
	if !f.Before.IsZero() {
		add(p+"published_at < ?", storeutil.Micro(f.Before))
	}
	if !f.Since.IsZero() {
		add(p+"published_at >= ?", storeutil.Micro(f.Since))
	}
	if f.ExcludeID != 0 {
		add(idCol+" <> ?", f.ExcludeID)
	}
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	order = " ORDER BY " + p + "published_at DESC NULLS LAST, " + idCol + " DESC"
	return from, countFrom, where, args, order
}

// Translations returns the articles of a translation group in menu
// language order.
func (db *DB) Translations(ctx context.Context, group string) ([]*jarchy.Article, error) {
	if group == "" {
		return []*jarchy.Article{}, nil
	}
	var list []*jarchy.Article
	err := db.read(ctx, fmt.Sprintf("translations of %q", group), func(tx pgx.Tx) (err error) {
		list, err = queryArticles(ctx, tx, true, summarySelect+
			" WHERE a.translation_group = $1 ORDER BY array_position($2::text[], a.lang), a.id", group, langCodes())
		return err
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*jarchy.Article{}
	}
	return list, nil
}

func langCodes() []string {
	out := make([]string, len(jarchy.Langs))
	for i, l := range jarchy.Langs {
		out[i] = string(l)
	}
	return out
}

// RelatedArticles returns public articles in a's language sharing tags or
// the section with a: most shared tags first, then same section, then newest.
func (db *DB) RelatedArticles(ctx context.Context, a *jarchy.Article, limit int) ([]*jarchy.Article, error) {
	if a == nil || limit <= 0 {
		return []*jarchy.Article{}, nil
	}
	limit = min(limit, storeutil.MaxLimit)
	tagIDs := []int64{}
	for _, t := range a.Tags {
		if t.ID != 0 {
			tagIDs = append(tagIDs, t.ID)
		}
	}
	var list []*jarchy.Article
	err := db.read(ctx, fmt.Sprintf("related articles of %d", a.ID), func(tx pgx.Tx) error {
		sectionID := a.Section.ID
		if a.ID != 0 {
			// The stored relations are the truth when a is stored.
			err := tx.QueryRow(ctx, `SELECT a.section_id, coalesce(array_agg(t.tag_id) FILTER (WHERE t.tag_id IS NOT NULL), '{}')
			FROM articles a LEFT JOIN article_tags t ON t.article_id = a.id WHERE a.id = $1 GROUP BY a.id`,
				a.ID).Scan(&sectionID, &tagIDs)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
		}
		const public = `a.lang = $1 AND a.status = 'published' AND a.published_at <= $3 AND a.id <> $2`
		var err error
		list, err = queryArticles(ctx, tx, true, `WITH cand AS (
			(SELECT a.id FROM articles a WHERE a.section_id = $4 AND `+public+`
			 ORDER BY a.published_at DESC NULLS LAST, a.id DESC LIMIT $7)
			UNION
			SELECT c.id FROM unnest($5::bigint[]) AS tg(id) CROSS JOIN LATERAL (
				SELECT x.article_id AS id FROM article_tags x
				WHERE x.tag_id = tg.id AND x.lang = $1 AND x.status = 'published' AND x.published_at <= $3 AND x.article_id <> $2
				ORDER BY x.published_at DESC NULLS LAST, x.article_id DESC LIMIT $7) c
		), scored AS (
			SELECT c.id, (SELECT count(*) FROM article_tags x WHERE x.article_id = c.id AND x.tag_id = ANY($5)) AS shared
			FROM cand c
		)`+strings.Replace(summarySelect, "FROM articles a", "FROM scored JOIN articles a ON a.id = scored.id", 1)+`
		ORDER BY scored.shared DESC, (a.section_id = $4) DESC, a.published_at DESC NULLS LAST, a.id DESC
		LIMIT $6`, string(a.Lang), a.ID, db.now(), sectionID, tagIDs, limit, storeutil.RelatedPerSource)
		return err
	})
	if err != nil {
		return nil, err
	}
	if list == nil {
		list = []*jarchy.Article{}
	}
	return list, nil
}

// Empty reports whether there are no articles.
func (db *DB) Empty(ctx context.Context) (bool, error) {
	var exists bool
	if err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles)").Scan(&exists); err != nil {
		return false, wrapErr("empty", err)
	}
	return !exists, nil
}
