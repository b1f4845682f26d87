package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func int64Args(ids []int64) []any {
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	return args
}

func queryIDs(ctx context.Context, tx *qtx, q string, args ...any) ([]int64, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
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

// sectionsByID loads sections with their names in one query.
func sectionsByID(ctx context.Context, tx *qtx, ids []int64) (map[int64]jarchy.Section, error) {
	out := make(map[int64]jarchy.Section, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	in, args := inList(ids)
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.slug, s.position, n.lang, n.name FROM sections s
		LEFT JOIN section_names n ON n.section_id = s.id WHERE s.id IN (`+in+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var s jarchy.Section
		var l, n sql.NullString
		if err := rows.Scan(&s.ID, &s.Slug, &s.Position, &l, &n); err != nil {
			return nil, err
		}
		if prev, ok := out[s.ID]; ok {
			s.Names = prev.Names
		} else {
			s.Names = map[jarchy.Lang]string{}
		}
		if l.Valid {
			s.Names[jarchy.Lang(l.String)] = n.String
		}
		out[s.ID] = s
	}
	return out, rows.Err()
}

// sectionNames returns the names of the sections with ids.
func sectionNames(ctx context.Context, tx *qtx, ids []int64) (map[int64]map[jarchy.Lang]string, error) {
	secs, err := sectionsByID(ctx, tx, ids)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]map[jarchy.Lang]string, len(secs))
	for id, s := range secs {
		out[id] = s.Names
	}
	return out, nil
}

// articleBy loads the one article whose ID the query idQuery returns, in
// one statement.
func (db *DB) articleBy(ctx context.Context, what, idQuery string, args ...any) (*jarchy.Article, error) {
	as, err := queryArticles(ctx, db.pool(), fullSelect+" WHERE a.id = ("+idQuery+")", false, args...)
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

// Translations returns the articles of group ordered by language, then ID.
func (db *DB) Translations(ctx context.Context, group string) ([]*jarchy.Article, error) {
	out, err := queryArticles(ctx, db.pool(), summarySelect+" WHERE a.translation_group = ? ORDER BY a.id", true, group)
	if err != nil {
		return nil, wrapErr("translations", err)
	}
	sort.SliceStable(out, func(i, j int) bool {
		return storeutil.LangOrder(out[i].Lang) < storeutil.LangOrder(out[j].Lang)
	})
	return out, err
}

// Articles lists articles newest first.
func (db *DB) Articles(ctx context.Context, f jarchy.ArticleFilter) (jarchy.ArticleList, error) {
	if err := storeutil.CheckFilter(&f); err != nil {
		return jarchy.ArticleList{}, err
	}
	now := storeutil.Now()
	from, where, args, order, idCol := listQuery(f, now)
	var list jarchy.ArticleList
	err := db.read(ctx, "list articles", func(tx *qtx) error {
		if !f.NoTotal {
			if err := db.counts.total(ctx, tx, f, "SELECT COUNT(*) FROM "+from+where, args, &list.Total); err != nil {
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
	if p == "x." && f.SectionID != 0 {
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
	now := storeutil.Now().UnixMicro()
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
	out, err := queryArticles(ctx, db.pool(), q, true, append(args, limit)...)
	if err != nil {
		return nil, wrapErr("related articles", err)
	}
	return out, nil
}
