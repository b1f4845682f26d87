package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Reads go in two steps: a query that picks article IDs from an index,
// then loadArticles, which fetches those rows by primary key and their
// sections, tags and authors with one query each, whatever the count.

const articleCols = `id, external_id, lang, translation_group, slug, section_id, status,
	published_at, created_at, updated_at,
	cover_path, cover_url, cover_caption, cover_credit, cover_alt, cover_width, cover_height,
	title, lead, body`

func scanArticle(rows interface{ Scan(...any) error }) (*jarchy.Article, error) {
	var a jarchy.Article
	var ext, cp, cu, cc, ccr, ca sql.NullString
	var cw, ch sql.NullInt64
	var pub, created, updated sql.NullInt64
	err := rows.Scan(&a.ID, &ext, &a.Lang, &a.TranslationGroup, &a.Slug, &a.Section.ID, &a.Status,
		&pub, &created, &updated, &cp, &cu, &cc, &ccr, &ca, &cw, &ch, &a.Title, &a.Lead, &a.Body)
	if err != nil {
		return nil, err
	}
	a.ExternalID = ext.String
	a.PublishedAt, a.CreatedAt, a.UpdatedAt = fromDB(pub), fromDB(created), fromDB(updated)
	if cp.Valid || cu.Valid {
		a.Cover = &jarchy.Media{Path: cp.String, URL: cu.String, Caption: cc.String, Credit: ccr.String,
			Alt: ca.String, Width: int(cw.Int64), Height: int(ch.Int64)}
	}
	return &a, nil
}

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

// loadArticles returns the articles with ids, in that order, with their
// relations. IDs that do not exist are skipped.
func loadArticles(ctx context.Context, tx *qtx, ids []int64) ([]*jarchy.Article, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	in, args := inList(ids)
	byID := make(map[int64]*jarchy.Article, len(ids))
	rows, err := tx.QueryContext(ctx, "SELECT "+articleCols+" FROM articles WHERE id IN ("+in+")", args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		byID[a.ID] = a
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	out := make([]*jarchy.Article, 0, len(byID))
	var secIDs []int64
	seenSec := map[int64]bool{}
	for _, id := range ids {
		if a := byID[id]; a != nil {
			out = append(out, a)
			if !seenSec[a.Section.ID] {
				seenSec[a.Section.ID] = true
				secIDs = append(secIDs, a.Section.ID)
			}
		}
	}
	if len(out) == 0 {
		return nil, nil
	}
	secs, err := sectionsByID(ctx, tx, secIDs)
	if err != nil {
		return nil, err
	}
	for _, a := range out {
		s := secs[a.Section.ID]
		a.Section = s
		a.Section.Names = make(map[jarchy.Lang]string, len(s.Names))
		for l, n := range s.Names {
			a.Section.Names[l] = n
		}
	}

	rows, err = tx.QueryContext(ctx, `SELECT x.article_id, t.id, t.slug, t.name FROM article_tags x
		JOIN tags t ON t.id = x.tag_id WHERE x.article_id IN (`+in+`) ORDER BY x.article_id, x.position`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var aid int64
		var t jarchy.Tag
		if err := rows.Scan(&aid, &t.ID, &t.Slug, &t.Name); err != nil {
			rows.Close()
			return nil, err
		}
		if a := byID[aid]; a != nil {
			a.Tags = append(a.Tags, t)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = tx.QueryContext(ctx, `SELECT x.article_id, u.id, u.slug, u.name, u.bio FROM article_authors x
		JOIN authors u ON u.id = x.author_id WHERE x.article_id IN (`+in+`) ORDER BY x.article_id, x.position`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var aid int64
		var au jarchy.Author
		if err := rows.Scan(&aid, &au.ID, &au.Slug, &au.Name, &au.Bio); err != nil {
			return nil, err
		}
		if a := byID[aid]; a != nil {
			a.Authors = append(a.Authors, au)
		}
	}
	return out, rows.Err()
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

// articleBy loads the one article whose ID the query idQuery returns.
func (db *DB) articleBy(ctx context.Context, what, idQuery string, args ...any) (*jarchy.Article, error) {
	var a *jarchy.Article
	err := db.read(ctx, what, func(tx *qtx) error {
		ids, err := queryIDs(ctx, tx, idQuery, args...)
		if err != nil {
			return err
		}
		as, err := loadArticles(ctx, tx, ids)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return notFound("%s not found", what)
		}
		a = as[0]
		return nil
	})
	return a, err
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
	var out []*jarchy.Article
	err := db.read(ctx, "translations", func(tx *qtx) error {
		ids, err := queryIDs(ctx, tx, "SELECT id FROM articles WHERE translation_group = ? ORDER BY id", group)
		if err != nil {
			return err
		}
		out, err = loadArticles(ctx, tx, ids)
		return err
	})
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
		if err := db.counts.total(ctx, tx, f, "SELECT COUNT(*) FROM "+from+where, args, &list.Total); err != nil {
			return err
		}
		if list.Total <= f.Offset {
			return nil
		}
		ids, err := queryIDs(ctx, tx, "SELECT "+idCol+" FROM "+from+where+order+" LIMIT ? OFFSET ?",
			append(args, f.Limit, f.Offset)...)
		if err != nil {
			return err
		}
		list.Articles, err = loadArticles(ctx, tx, ids)
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

// relatedPerSource bounds the candidates taken from each tag and from the
// section, so related articles cost the same on a big site.
const relatedPerSource = 60

// RelatedArticles returns public articles in a's language sharing tags or
// the section with a: more shared tags first, a shared section counting
// less than one tag, then newest.
func (db *DB) RelatedArticles(ctx context.Context, a *jarchy.Article, limit int) ([]*jarchy.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	limit = min(limit, storeutil.MaxLimit)
	var out []*jarchy.Article
	err := db.read(ctx, "related articles", func(tx *qtx) error {
		sectionID := a.Section.ID
		var tagIDs []int64
		for _, t := range a.Tags {
			if t.ID != 0 {
				tagIDs = append(tagIDs, t.ID)
			}
		}
		if a.ID != 0 { // trust the stored relations over the caller's copy
			var sec int64
			err := tx.QueryRowContext(ctx, "SELECT section_id FROM articles WHERE id = ?", a.ID).Scan(&sec)
			switch {
			case err == nil:
				sectionID = sec
				if tagIDs, err = queryIDs(ctx, tx, "SELECT tag_id FROM article_tags WHERE article_id = ?", a.ID); err != nil {
					return err
				}
			case !errors.Is(err, sql.ErrNoRows):
				return err
			}
		}
		now := storeutil.Now().UnixMicro()
		var parts []string
		var args []any
		for _, tid := range tagIDs {
			parts = append(parts, `SELECT * FROM (SELECT article_id, published_at, 2 FROM article_tags
				WHERE tag_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND article_id <> ?
				ORDER BY published_at DESC, article_id DESC LIMIT ?)`)
			args = append(args, tid, a.Lang, now, a.ID, relatedPerSource)
		}
		if sectionID != 0 {
			parts = append(parts, `SELECT * FROM (SELECT id, published_at, 1 FROM articles
				WHERE section_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND id <> ?
				ORDER BY published_at DESC, id DESC LIMIT ?)`)
			args = append(args, sectionID, a.Lang, now, a.ID, relatedPerSource)
		}
		if len(parts) == 0 {
			return nil
		}
		q := "WITH c (id, pub, score) AS (" + strings.Join(parts, " UNION ALL ") + `)
			SELECT id FROM c GROUP BY id ORDER BY SUM(score) DESC, MAX(pub) DESC, id DESC LIMIT ?`
		ids, err := queryIDs(ctx, tx, q, append(args, limit)...)
		if err != nil {
			return err
		}
		out, err = loadArticles(ctx, tx, ids)
		return err
	})
	return out, err
}
