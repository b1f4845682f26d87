package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// SaveArticle inserts or updates an article; see jarchy.Store. Input rules
// are shared with the SQLite store through internal/storeutil.
func (db *DB) SaveArticle(ctx context.Context, a *jarchy.Article) error {
	if a == nil {
		return jarchy.Invalid("article", "err.required", "no article given")
	}
	b := *a // work on a copy: a changes only on success
	b.Tags = append([]jarchy.Tag(nil), a.Tags...)
	b.Authors = append([]jarchy.Author(nil), a.Authors...)
	if a.Cover != nil {
		c := *a.Cover
		b.Cover = &c
	}
	if err := storeutil.PrepareArticle(&b); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save article %q", b.Title), func(tx pgx.Tx) error {
		return saveArticle(ctx, tx, &b)
	})
	if err != nil {
		return err
	}
	*a = b
	return nil
}

// SaveArticles saves several articles in ONE transaction with one
// generation bump and one notification: all are saved or none is (see
// jarchy.BatchSaver). Imports use it, so that a file costs a commit and a
// cache invalidation per batch instead of per article.
func (db *DB) SaveArticles(ctx context.Context, as []*jarchy.Article) error {
	if len(as) == 0 {
		return nil // nothing to write: no generation step, no notification
	}
	bs := make([]jarchy.Article, len(as))
	for i, a := range as {
		if a == nil {
			return jarchy.Invalid("article", "err.required", "article %d of %d: no article given", i+1, len(as))
		}
		b := *a
		b.Tags = append([]jarchy.Tag(nil), a.Tags...)
		b.Authors = append([]jarchy.Author(nil), a.Authors...)
		if a.Cover != nil {
			c := *a.Cover
			b.Cover = &c
		}
		if err := storeutil.PrepareArticle(&b); err != nil {
			return fmt.Errorf("article %d of %d (%q): %w", i+1, len(as), a.Title, err)
		}
		bs[i] = b
	}
	err := db.write(ctx, fmt.Sprintf("save %d articles", len(as)), func(tx pgx.Tx) error {
		for i := range bs {
			if err := saveArticle(ctx, tx, &bs[i]); err != nil {
				return fmt.Errorf("article %d of %d (%q): %w", i+1, len(bs), bs[i].Title, err)
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	for i, a := range as {
		*a = bs[i]
	}
	return nil
}

func saveArticle(ctx context.Context, tx pgx.Tx, b *jarchy.Article) error {
	// The stored article this save updates, if any.
	if b.ID == 0 && b.ExternalID != "" {
		err := tx.QueryRow(ctx, "SELECT id FROM articles WHERE external_id = $1", b.ExternalID).Scan(&b.ID)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
	}
	var old *struct {
		lang, slug, grp, hash string
		created, updated      time.Time
	}
	if b.ID != 0 {
		old = &struct {
			lang, slug, grp, hash string
			created, updated      time.Time
		}{}
		err := tx.QueryRow(ctx, `SELECT lang, slug, translation_group, content_hash, created_at, updated_at
			FROM articles WHERE id = $1 FOR UPDATE`, b.ID).Scan(&old.lang, &old.slug, &old.grp, &old.hash, &old.created, &old.updated)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("article %d not found", b.ID)
		}
		if err != nil {
			return err
		}
	}

	if err := resolveSection(ctx, tx, &b.Section); err != nil {
		return err
	}
	if err := resolveTags(ctx, tx, b.Tags); err != nil {
		return err
	}
	if err := resolveAuthors(ctx, tx, b.Authors); err != nil {
		return err
	}
	storeutil.DedupeRelations(b)

	slug, err := freeSlug(ctx, tx, b.Lang, b.Slug, b.ID)
	if err != nil {
		return err
	}
	b.Slug = slug
	if b.TranslationGroup == "" {
		if old != nil {
			b.TranslationGroup = old.grp
		} else {
			b.TranslationGroup = storeutil.NewGroup()
		}
	}

	now := storeutil.Now()
	hash := storeutil.ContentHash(b)
	switch {
	case old == nil:
		if b.CreatedAt.IsZero() {
			b.CreatedAt = now
		}
		b.UpdatedAt = now
	case hash == old.hash: // nothing readers see changed (a repeated import)
		b.CreatedAt, b.UpdatedAt = old.created.UTC(), old.updated.UTC()
	default:
		b.CreatedAt, b.UpdatedAt = old.created.UTC(), now
	}
	var cv jarchy.Media
	if b.Cover != nil {
		cv = *b.Cover
	}
	args := []any{nullString(b.ExternalID), string(b.Lang), b.TranslationGroup, b.Title, b.Slug, b.Lead, b.Body,
		b.Section.ID, string(b.Status), nullTime(b.PublishedAt), b.UpdatedAt, b.CreatedAt, hash,
		cv.Path, cv.URL, cv.Caption, cv.Credit, cv.Alt, cv.Width, cv.Height, b.BodyHTML, storeutil.BodyHTMLVersion}
	if old != nil {
		_, err = tx.Exec(ctx, `UPDATE articles SET external_id = $1, lang = $2, translation_group = $3,
			title = $4, slug = $5, lead = $6, body = $7, section_id = $8, status = $9, published_at = $10,
			updated_at = $11, created_at = $12, content_hash = $13, cover_path = $14, cover_url = $15,
			cover_caption = $16, cover_credit = $17, cover_alt = $18, cover_width = $19, cover_height = $20,
			body_html = $21, body_html_version = $22
			WHERE id = $23`, append(args, b.ID)...)
	} else {
		err = tx.QueryRow(ctx, `INSERT INTO articles (external_id, lang, translation_group, title, slug,
			lead, body, section_id, status, published_at, updated_at, created_at, content_hash, cover_path,
			cover_url, cover_caption, cover_credit, cover_alt, cover_width, cover_height, body_html, body_html_version)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22)
			RETURNING id`, args...).Scan(&b.ID)
	}
	if err != nil {
		return err
	}

	if old != nil {
		// The previous slug redirects here; an own old slug taken back
		// stops redirecting.
		if old.slug != b.Slug || old.lang != string(b.Lang) {
			if _, err := tx.Exec(ctx, `INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = EXCLUDED.article_id`, old.lang, old.slug, b.ID); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id = $3",
			string(b.Lang), b.Slug, b.ID); err != nil {
			return err
		}
	}

	tagIDs := make([]int64, len(b.Tags))
	for i, t := range b.Tags {
		tagIDs[i] = t.ID
	}
	authorIDs := make([]int64, len(b.Authors))
	for i, au := range b.Authors {
		authorIDs[i] = au.ID
	}
	// Replace the links in the given order, one statement each: drop the
	// links not given, upsert the rest (the two sets are disjoint).
	if _, err := tx.Exec(ctx, `WITH del AS (DELETE FROM article_tags WHERE article_id = $1 AND tag_id <> ALL($2))
		INSERT INTO article_tags (article_id, tag_id, position, lang, status, published_at)
		SELECT $1, x.id, x.n - 1, $3, $4, $5 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)
		ON CONFLICT (article_id, tag_id) DO UPDATE SET position = EXCLUDED.position,
			lang = EXCLUDED.lang, status = EXCLUDED.status, published_at = EXCLUDED.published_at`, b.ID, tagIDs, string(b.Lang), string(b.Status), nullTime(b.PublishedAt)); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `WITH del AS (DELETE FROM article_authors WHERE article_id = $1 AND author_id <> ALL($2))
		INSERT INTO article_authors (article_id, author_id, position, lang, status, published_at)
		SELECT $1, x.id, x.n - 1, $3, $4, $5 FROM unnest($2::bigint[]) WITH ORDINALITY AS x(id, n)
		ON CONFLICT (article_id, author_id) DO UPDATE SET position = EXCLUDED.position,
			lang = EXCLUDED.lang, status = EXCLUDED.status, published_at = EXCLUDED.published_at`, b.ID, authorIDs, string(b.Lang), string(b.Status), nullTime(b.PublishedAt)); err != nil {
		return err
	}
	// The search index (issue 3) is kept in step in this same transaction;
	// a delete drops its row by ON DELETE CASCADE.
	return indexArticle(ctx, tx, b, old != nil && hash == old.hash)
}

// freeSlug returns slug, or slug-2, slug-3… when another article in lang
// has it now or had it before (a redirect), so that old links keep pointing
// at their story. An article's own old slugs are free for it.
func freeSlug(ctx context.Context, tx pgx.Tx, lang jarchy.Lang, slug string, self int64) (string, error) {
	const tries = 10000
	for n := 1; n <= tries; n++ {
		cand := storeutil.SlugCandidate(slug, n)
		var taken bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM articles WHERE lang = $1 AND slug = $2 AND id <> $3)
			OR EXISTS (SELECT 1 FROM slug_redirects WHERE lang = $1 AND slug = $2 AND article_id <> $3)`,
			string(lang), cand, self).Scan(&taken)
		if err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
	}
	return "", jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q after %d tries", slug, tries)
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// DeleteArticle removes an article, its relations and its redirects.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	return db.deleteRow(ctx, "articles", "article", id)
}

// deleteRow deletes one row by id (relations go by ON DELETE CASCADE);
// a missing row is ENOTFOUND. table is always a constant of this package.
func (db *DB) deleteRow(ctx context.Context, table, what string, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete %s %d", what, id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM "+table+" WHERE id = $1", id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("%s %d not found", what, id)
		}
		return nil
	})
}
