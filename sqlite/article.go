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

// maxSlugTries bounds the search for a free "-n" slug suffix.
const maxSlugTries = 10000

// SaveArticle inserts or updates a in one transaction (see jarchy.Store).
func (db *DB) SaveArticle(ctx context.Context, a *jarchy.Article) error {
	in := *a
	in.Tags = append([]jarchy.Tag(nil), a.Tags...)
	in.Authors = append([]jarchy.Author(nil), a.Authors...)
	if a.Cover != nil {
		c := *a.Cover
		in.Cover = &c
	}
	if err := storeutil.PrepareArticle(&in); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save article %q", in.Title), func(tx *sql.Tx) error {
		return saveArticle(ctx, tx, &in)
	})
	if err != nil {
		return err
	}
	*a = in
	return nil
}

type storedArticle struct {
	lang, slug, group string
	hash              string
	created, updated  sql.NullInt64
}

func saveArticle(ctx context.Context, tx *sql.Tx, a *jarchy.Article) error {
	if a.ID == 0 && a.ExternalID != "" {
		err := tx.QueryRowContext(ctx, "SELECT id FROM articles WHERE external_id = ?", a.ExternalID).Scan(&a.ID)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
	}
	var old *storedArticle
	if a.ID != 0 {
		old = &storedArticle{}
		err := tx.QueryRowContext(ctx, "SELECT lang, slug, translation_group, content_hash, created_at, updated_at FROM articles WHERE id = ?", a.ID).
			Scan(&old.lang, &old.slug, &old.group, &old.hash, &old.created, &old.updated)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("article %d not found", a.ID)
		}
		if err != nil {
			return err
		}
	}
	if err := resolveSection(ctx, tx, &a.Section); err != nil {
		return err
	}
	if err := resolveTags(ctx, tx, a.Tags); err != nil {
		return err
	}
	if err := resolveAuthors(ctx, tx, a.Authors); err != nil {
		return err
	}
	storeutil.DedupeRelations(a)

	slug, err := freeSlug(ctx, tx, a.Lang, a.Slug, a.ID)
	if err != nil {
		return err
	}
	a.Slug = slug
	if a.TranslationGroup == "" {
		if old != nil {
			a.TranslationGroup = old.group
		} else {
			a.TranslationGroup = storeutil.NewGroup()
		}
	}

	now := storeutil.Now()
	hash := storeutil.ContentHash(a)
	var ext any
	if a.ExternalID != "" {
		ext = a.ExternalID
	}
	var cp, cu, cc, ccr, ca, cw, ch any
	if c := a.Cover; c != nil {
		cp, cu, cc, ccr, ca, cw, ch = c.Path, c.URL, c.Caption, c.Credit, c.Alt, c.Width, c.Height
	}
	if old == nil {
		if a.CreatedAt.IsZero() {
			a.CreatedAt = now
		}
		a.UpdatedAt = now
		err = tx.QueryRowContext(ctx, `INSERT INTO articles (external_id, lang, translation_group, title, slug, lead, body,
			section_id, status, published_at, created_at, updated_at, content_hash,
			cover_path, cover_url, cover_caption, cover_credit, cover_alt, cover_width, cover_height)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			ext, a.Lang, a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body,
			a.Section.ID, a.Status, toDB(a.PublishedAt), toDB(a.CreatedAt), toDB(a.UpdatedAt), hash,
			cp, cu, cc, ccr, ca, cw, ch).Scan(&a.ID)
		if err != nil {
			return err
		}
	} else {
		a.CreatedAt = fromDB(old.created)
		if hash == old.hash {
			a.UpdatedAt = fromDB(old.updated)
		} else {
			a.UpdatedAt = now
		}
		_, err = tx.ExecContext(ctx, `UPDATE articles SET external_id = ?, lang = ?, translation_group = ?, title = ?,
			slug = ?, lead = ?, body = ?, section_id = ?, status = ?, published_at = ?, updated_at = ?, content_hash = ?,
			cover_path = ?, cover_url = ?, cover_caption = ?, cover_credit = ?, cover_alt = ?, cover_width = ?, cover_height = ?
			WHERE id = ?`,
			ext, a.Lang, a.TranslationGroup, a.Title, a.Slug, a.Lead, a.Body, a.Section.ID, a.Status,
			toDB(a.PublishedAt), toDB(a.UpdatedAt), hash, cp, cu, cc, ccr, ca, cw, ch, a.ID)
		if err != nil {
			return err
		}
		if old.lang != string(a.Lang) || old.slug != a.Slug {
			if _, err := tx.ExecContext(ctx, `INSERT INTO article_slugs (lang, slug, article_id) VALUES (?, ?, ?)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = excluded.article_id`, old.lang, old.slug, a.ID); err != nil {
				return err
			}
		}
		// An article that takes back an old slug of its own drops the redirect.
		if _, err := tx.ExecContext(ctx, "DELETE FROM article_slugs WHERE lang = ? AND slug = ? AND article_id = ?", a.Lang, a.Slug, a.ID); err != nil {
			return err
		}
		for _, q := range []string{"DELETE FROM article_tags WHERE article_id = ?", "DELETE FROM article_authors WHERE article_id = ?"} {
			if _, err := tx.ExecContext(ctx, q, a.ID); err != nil {
				return err
			}
		}
	}
	pub := toDB(a.PublishedAt)
	for i, t := range a.Tags {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, t.ID, i, a.Lang, a.Status, pub); err != nil {
			return err
		}
	}
	for i, au := range a.Authors {
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_authors (article_id, author_id, position, lang, status, published_at)
			VALUES (?, ?, ?, ?, ?, ?)`, a.ID, au.ID, i, a.Lang, a.Status, pub); err != nil {
			return err
		}
	}
	return nil
}

// freeSlug returns base, or base-2, base-3…, the first that no other
// article in lang holds now or held before.
func freeSlug(ctx context.Context, tx *sql.Tx, lang jarchy.Lang, base string, self int64) (string, error) {
	for n := 1; n <= maxSlugTries; n++ {
		cand := storeutil.SlugCandidate(base, n)
		var taken bool
		err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE lang = ?1 AND slug = ?2 AND id <> ?3)
			OR EXISTS (SELECT 1 FROM article_slugs WHERE lang = ?1 AND slug = ?2 AND article_id <> ?3)`,
			lang, cand, self).Scan(&taken)
		if err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
	}
	return "", jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q after %d tries", base, maxSlugTries)
}

// resolveSection finds s by ID or slug, creating it (with its names) when
// the slug is new, and fills in its stored fields.
func resolveSection(ctx context.Context, tx *sql.Tx, s *jarchy.Section) error {
	if s.ID != 0 {
		err := tx.QueryRowContext(ctx, "SELECT slug, position FROM sections WHERE id = ?", s.ID).Scan(&s.Slug, &s.Position)
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Invalid("section", "err.section_unknown", "section %d does not exist", s.ID)
		}
		if err != nil {
			return err
		}
	} else {
		err := tx.QueryRowContext(ctx, "SELECT id, position FROM sections WHERE slug = ?", s.Slug).Scan(&s.ID, &s.Position)
		if errors.Is(err, sql.ErrNoRows) {
			if err := tx.QueryRowContext(ctx, "INSERT INTO sections (slug, position) VALUES (?, ?) RETURNING id", s.Slug, s.Position).Scan(&s.ID); err != nil {
				return err
			}
			return writeSectionNames(ctx, tx, s)
		}
		if err != nil {
			return err
		}
	}
	names, err := sectionNames(ctx, tx, []int64{s.ID})
	if err != nil {
		return err
	}
	s.Names = names[s.ID]
	if s.Names == nil {
		s.Names = map[jarchy.Lang]string{}
	}
	return nil
}

func resolveTags(ctx context.Context, tx *sql.Tx, tags []jarchy.Tag) error {
	for i := range tags {
		t := &tags[i]
		if t.ID != 0 {
			err := tx.QueryRowContext(ctx, "SELECT slug, name FROM tags WHERE id = ?", t.ID).Scan(&t.Slug, &t.Name)
			if errors.Is(err, sql.ErrNoRows) {
				return jarchy.Invalid("tags", "err.tag_unknown", "tag %d does not exist", t.ID)
			}
			if err != nil {
				return err
			}
			continue
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO tags (slug, name) VALUES (?, ?)
			ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
		if err != nil {
			return err
		}
	}
	return nil
}

func resolveAuthors(ctx context.Context, tx *sql.Tx, authors []jarchy.Author) error {
	for i := range authors {
		au := &authors[i]
		if au.ID != 0 {
			err := tx.QueryRowContext(ctx, "SELECT slug, name, bio FROM authors WHERE id = ?", au.ID).Scan(&au.Slug, &au.Name, &au.Bio)
			if errors.Is(err, sql.ErrNoRows) {
				return jarchy.Invalid("authors", "err.author_unknown", "author %d does not exist", au.ID)
			}
			if err != nil {
				return err
			}
			continue
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio) VALUES (?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET slug = excluded.slug RETURNING id, name, bio`, au.Slug, au.Name, au.Bio).
			Scan(&au.ID, &au.Name, &au.Bio)
		if err != nil {
			return err
		}
	}
	return nil
}

// DeleteArticle removes an article, its links and its redirects.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete article %d", id), func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM articles WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("article %d not found", id)
		}
		return nil
	})
}

const articleCols = `a.id, a.external_id, a.lang, a.translation_group, a.title, a.slug, a.lead, a.body,
	a.section_id, s.slug, s.position, a.status, a.published_at, a.created_at, a.updated_at,
	a.cover_path, a.cover_url, a.cover_caption, a.cover_credit, a.cover_alt, a.cover_width, a.cover_height`

const articleFrom = ` FROM articles a JOIN sections s ON s.id = a.section_id`

func scanArticle(rows interface{ Scan(...any) error }) (*jarchy.Article, error) {
	var a jarchy.Article
	var ext, cp, cu, cc, ccr, ca sql.NullString
	var cw, ch sql.NullInt64
	var pub, created, updated sql.NullInt64
	err := rows.Scan(&a.ID, &ext, &a.Lang, &a.TranslationGroup, &a.Title, &a.Slug, &a.Lead, &a.Body,
		&a.Section.ID, &a.Section.Slug, &a.Section.Position, &a.Status, &pub, &created, &updated,
		&cp, &cu, &cc, &ccr, &ca, &cw, &ch)
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

// queryArticles runs a query returning articleCols and hydrates the rows.
func queryArticles(ctx context.Context, tx *sql.Tx, q string, args ...any) ([]*jarchy.Article, error) {
	rows, err := tx.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []*jarchy.Article
	for rows.Next() {
		a, err := scanArticle(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, hydrate(ctx, tx, out)
}

// hydrate loads section names, tags and authors of as with one query each.
func hydrate(ctx context.Context, tx *sql.Tx, as []*jarchy.Article) error {
	if len(as) == 0 {
		return nil
	}
	byID := make(map[int64]*jarchy.Article, len(as))
	ids := make([]any, 0, len(as))
	var secIDs []int64
	seenSec := map[int64]bool{}
	for _, a := range as {
		byID[a.ID] = a
		ids = append(ids, a.ID)
		if !seenSec[a.Section.ID] {
			seenSec[a.Section.ID] = true
			secIDs = append(secIDs, a.Section.ID)
		}
	}
	names, err := sectionNames(ctx, tx, secIDs)
	if err != nil {
		return err
	}
	for _, a := range as {
		a.Section.Names = map[jarchy.Lang]string{}
		for l, n := range names[a.Section.ID] {
			a.Section.Names[l] = n
		}
	}
	in := placeholders(len(ids))
	rows, err := tx.QueryContext(ctx, `SELECT x.article_id, t.id, t.slug, t.name FROM article_tags x
		JOIN tags t ON t.id = x.tag_id WHERE x.article_id IN (`+in+`) ORDER BY x.article_id, x.position`, ids...)
	if err != nil {
		return err
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
		return err
	}
	rows, err = tx.QueryContext(ctx, `SELECT x.article_id, u.id, u.slug, u.name, u.bio FROM article_authors x
		JOIN authors u ON u.id = x.author_id WHERE x.article_id IN (`+in+`) ORDER BY x.article_id, x.position`, ids...)
	if err != nil {
		return err
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
	return rows.Err()
}

func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

func sectionNames(ctx context.Context, tx *sql.Tx, ids []int64) (map[int64]map[jarchy.Lang]string, error) {
	out := map[int64]map[jarchy.Lang]string{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	for i, id := range ids {
		args[i] = id
	}
	rows, err := tx.QueryContext(ctx, "SELECT section_id, lang, name FROM section_names WHERE section_id IN ("+placeholders(len(ids))+")", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var l jarchy.Lang
		var n string
		if err := rows.Scan(&id, &l, &n); err != nil {
			return nil, err
		}
		if out[id] == nil {
			out[id] = map[jarchy.Lang]string{}
		}
		out[id][l] = n
	}
	return out, rows.Err()
}

func (db *DB) articleWhere(ctx context.Context, what, where string, args ...any) (*jarchy.Article, error) {
	var a *jarchy.Article
	err := db.read(ctx, what, func(tx *sql.Tx) error {
		as, err := queryArticles(ctx, tx, "SELECT "+articleCols+articleFrom+" WHERE "+where, args...)
		if err != nil {
			return err
		}
		if len(as) == 0 {
			return notFound("%s: not found", what)
		}
		a = as[0]
		return nil
	})
	return a, err
}

// Article returns an article by ID.
func (db *DB) Article(ctx context.Context, id int64) (*jarchy.Article, error) {
	return db.articleWhere(ctx, fmt.Sprintf("article %d", id), "a.id = ?", id)
}

// ArticleByExternalID returns the article imported with externalID.
func (db *DB) ArticleByExternalID(ctx context.Context, externalID string) (*jarchy.Article, error) {
	if externalID == "" {
		return nil, notFound("article with an empty external id")
	}
	return db.articleWhere(ctx, fmt.Sprintf("article with external id %q", externalID), "a.external_id = ?", externalID)
}

// ArticleBySlug returns the article with slug in lang, now or before.
func (db *DB) ArticleBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Article, error) {
	return db.articleWhere(ctx, fmt.Sprintf("article %s/%q", lang, slug),
		`a.id = COALESCE((SELECT id FROM articles WHERE lang = ?1 AND slug = ?2),
			(SELECT article_id FROM article_slugs WHERE lang = ?1 AND slug = ?2))`, lang, slug)
}

// Translations returns the articles of group ordered by language.
func (db *DB) Translations(ctx context.Context, group string) ([]*jarchy.Article, error) {
	var out []*jarchy.Article
	err := db.read(ctx, "translations", func(tx *sql.Tx) error {
		var err error
		out, err = queryArticles(ctx, tx, "SELECT "+articleCols+articleFrom+" WHERE a.translation_group = ? ORDER BY a.id", group)
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
	from, where, args, order := listQuery(f, storeutil.Now())
	var list jarchy.ArticleList
	err := db.read(ctx, "list articles", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM "+from+where, args...).Scan(&list.Total); err != nil {
			return err
		}
		if list.Total <= f.Offset {
			return nil
		}
		var err error
		list.Articles, err = queryArticles(ctx, tx, "SELECT "+articleCols+" FROM "+from+
			" JOIN sections s ON s.id = a.section_id"+where+order+" LIMIT ? OFFSET ?",
			append(args, f.Limit, f.Offset)...)
		return err
	})
	return list, err
}

// listQuery builds the FROM, WHERE and ORDER BY of a listing. Tag and
// author listings drive from the link table, whose copies of lang, status
// and published_at make the listing one index range.
func listQuery(f jarchy.ArticleFilter, now time.Time) (from, where string, args []any, order string) {
	p, idCol := "a.", "a.id"
	switch {
	case f.TagID != 0:
		from = "article_tags x JOIN articles a ON a.id = x.article_id"
		p, idCol = "x.", "x.article_id"
	case f.AuthorID != 0:
		from = "article_authors x JOIN articles a ON a.id = x.article_id"
		p, idCol = "x.", "x.article_id"
	default:
		from = "articles a"
	}
	var conds []string
	add := func(c string, v ...any) {
		conds = append(conds, c)
		args = append(args, v...)
	}
	if f.TagID != 0 {
		add("x.tag_id = ?", f.TagID)
		if f.AuthorID != 0 {
			add("EXISTS (SELECT 1 FROM article_authors y WHERE y.article_id = a.id AND y.author_id = ?)", f.AuthorID)
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
	return from, where, args, order
}

// relatedPerSource bounds the candidates taken from each tag and from the
// section, so related articles cost the same on a big site.
const relatedPerSource = 200

// RelatedArticles returns public articles in a's language sharing tags or
// the section with a: more shared tags first, a shared section counting
// less than one tag, then newest.
func (db *DB) RelatedArticles(ctx context.Context, a *jarchy.Article, limit int) ([]*jarchy.Article, error) {
	if limit <= 0 {
		return nil, nil
	}
	limit = min(limit, storeutil.MaxLimit)
	var out []*jarchy.Article
	err := db.read(ctx, "related articles", func(tx *sql.Tx) error {
		sectionID := a.Section.ID
		var tagIDs []int64
		for _, t := range a.Tags {
			if t.ID != 0 {
				tagIDs = append(tagIDs, t.ID)
			}
		}
		if a.ID != 0 { // trust the stored relations over the caller's copy
			err := tx.QueryRowContext(ctx, "SELECT section_id FROM articles WHERE id = ?", a.ID).Scan(&sectionID)
			if err != nil && !errors.Is(err, sql.ErrNoRows) {
				return err
			}
			rows, err := tx.QueryContext(ctx, "SELECT tag_id FROM article_tags WHERE article_id = ?", a.ID)
			if err != nil {
				return err
			}
			tagIDs = tagIDs[:0]
			for rows.Next() {
				var id int64
				if err := rows.Scan(&id); err != nil {
					rows.Close()
					return err
				}
				tagIDs = append(tagIDs, id)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return err
			}
		}
		now := storeutil.Now().UnixMicro()
		var parts []string
		var args []any
		for _, tid := range tagIDs {
			parts = append(parts, `SELECT * FROM (SELECT article_id AS id, 2 AS score FROM article_tags
				WHERE tag_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND article_id <> ?
				ORDER BY published_at DESC, article_id DESC LIMIT ?)`)
			args = append(args, tid, a.Lang, now, a.ID, relatedPerSource)
		}
		if sectionID != 0 {
			parts = append(parts, `SELECT * FROM (SELECT id, 1 AS score FROM articles
				WHERE section_id = ? AND lang = ? AND status = 'published' AND published_at <= ? AND id <> ?
				ORDER BY published_at DESC, id DESC LIMIT ?)`)
			args = append(args, sectionID, a.Lang, now, a.ID, relatedPerSource)
		}
		if len(parts) == 0 {
			return nil
		}
		q := "WITH c (id, score) AS (" + strings.Join(parts, " UNION ALL ") + `),
			best AS (SELECT c.id, SUM(c.score) AS score FROM c GROUP BY c.id)
			SELECT ` + articleCols + ` FROM best JOIN articles a ON a.id = best.id JOIN sections s ON s.id = a.section_id
			ORDER BY best.score DESC, a.published_at DESC, a.id DESC LIMIT ?`
		var err error
		out, err = queryArticles(ctx, tx, q, append(args, limit)...)
		return err
	})
	return out, err
}
