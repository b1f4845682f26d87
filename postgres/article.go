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
)

// SaveArticle inserts or updates an article; see jarchy.Store.
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
	derivedSlug := strings.TrimSpace(b.Slug) == ""
	b.Slug = strings.TrimSpace(b.Slug)
	b.Normalize()
	if !derivedSlug {
		b.Slug = jarchy.Slugify(b.Lang, b.Slug)
	}
	if err := b.Validate(); err != nil {
		return err
	}
	b.PublishedAt = utc(b.PublishedAt)
	now := utc(jarchy.Now())

	what := fmt.Sprintf("save article %q", b.Title)
	err := db.write(ctx, what, func(tx pgx.Tx) error {
		// The stored article this save updates, if any.
		var old struct {
			found           bool
			lang, slug, grp string
			created         *time.Time
		}
		if b.ID != 0 {
			err := tx.QueryRow(ctx, "SELECT lang, slug, translation_group, created_at FROM articles WHERE id = $1",
				b.ID).Scan(&old.lang, &old.slug, &old.grp, &old.created)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("article %d not found", b.ID)
			}
			if err != nil {
				return err
			}
			old.found = true
		} else if b.ExternalID != "" {
			err := tx.QueryRow(ctx, "SELECT id, lang, slug, translation_group, created_at FROM articles WHERE external_id = $1",
				b.ExternalID).Scan(&b.ID, &old.lang, &old.slug, &old.grp, &old.created)
			if err != nil && !errors.Is(err, pgx.ErrNoRows) {
				return err
			}
			old.found = err == nil
		}

		if err := resolveSection(ctx, tx, &b.Section, b.Lang); err != nil {
			return err
		}
		tags, err := resolveTags(ctx, tx, b.Tags, b.Lang)
		if err != nil {
			return err
		}
		b.Tags = tags
		authors, err := resolveAuthors(ctx, tx, b.Authors, b.Lang)
		if err != nil {
			return err
		}
		b.Authors = authors

		if b.TranslationGroup == "" {
			if old.found {
				b.TranslationGroup = old.grp
			} else {
				b.TranslationGroup = "g-" + randomHex(8)
			}
		}
		slug, err := freeSlug(ctx, tx, b.Lang, b.Slug, b.ID, derivedSlug)
		if err != nil {
			return err
		}
		b.Slug = slug

		b.UpdatedAt = now
		if old.found {
			b.CreatedAt = timeOf(old.created)
		} else if b.CreatedAt.IsZero() {
			b.CreatedAt = now
		} else {
			b.CreatedAt = utc(b.CreatedAt)
		}
		var cv jarchy.Media
		if b.Cover != nil {
			cv = *b.Cover
		}
		args := []any{nullString(b.ExternalID), string(b.Lang), b.TranslationGroup, b.Title, b.Slug, b.Lead, b.Body,
			b.Section.ID, string(b.Status), nullTime(b.PublishedAt), b.UpdatedAt, b.CreatedAt,
			cv.Path, cv.URL, cv.Caption, cv.Credit, cv.Alt, cv.Width, cv.Height}
		if old.found {
			_, err = tx.Exec(ctx, `UPDATE articles SET external_id = $1, lang = $2, translation_group = $3,
				title = $4, slug = $5, lead = $6, body = $7, section_id = $8, status = $9, published_at = $10,
				updated_at = $11, created_at = $12, cover_path = $13, cover_url = $14, cover_caption = $15,
				cover_credit = $16, cover_alt = $17, cover_width = $18, cover_height = $19
				WHERE id = $20`, append(args, b.ID)...)
		} else {
			err = tx.QueryRow(ctx, `INSERT INTO articles (external_id, lang, translation_group, title, slug,
				lead, body, section_id, status, published_at, updated_at, created_at, cover_path, cover_url,
				cover_caption, cover_credit, cover_alt, cover_width, cover_height)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
				RETURNING id`, args...).Scan(&b.ID)
		}
		if err != nil {
			return err
		}

		// The live slug wins over any redirect; the old slug redirects here.
		if _, err := tx.Exec(ctx, "DELETE FROM slug_redirects WHERE lang = $1 AND slug = $2", string(b.Lang), b.Slug); err != nil {
			return err
		}
		if old.found && (old.slug != b.Slug || old.lang != string(b.Lang)) {
			if _, err := tx.Exec(ctx, `INSERT INTO slug_redirects (lang, slug, article_id) VALUES ($1, $2, $3)
				ON CONFLICT (lang, slug) DO UPDATE SET article_id = EXCLUDED.article_id`, old.lang, old.slug, b.ID); err != nil {
				return err
			}
		}

		if _, err := tx.Exec(ctx, "DELETE FROM article_tags WHERE article_id = $1", b.ID); err != nil {
			return err
		}
		for i, t := range b.Tags {
			if _, err := tx.Exec(ctx, "INSERT INTO article_tags (article_id, tag_id, position) VALUES ($1, $2, $3)", b.ID, t.ID, i); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM article_authors WHERE article_id = $1", b.ID); err != nil {
			return err
		}
		for i, au := range b.Authors {
			if _, err := tx.Exec(ctx, "INSERT INTO article_authors (article_id, author_id, position) VALUES ($1, $2, $3)", b.ID, au.ID, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	*a = b
	return nil
}

// freeSlug returns slug if no other article in lang uses it. A derived
// slug gets a -2, -3… suffix instead; a slug the user chose is a conflict.
func freeSlug(ctx context.Context, tx pgx.Tx, lang jarchy.Lang, slug string, self int64, derived bool) (string, error) {
	for n := 1; ; n++ {
		cand := slug
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			cand = strings.TrimRight(truncate(slug, jarchy.MaxSlugLen-len(suffix)), "-") + suffix
		}
		var taken bool
		err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE lang = $1 AND slug = $2 AND id <> $3)",
			string(lang), cand, self).Scan(&taken)
		if err != nil {
			return "", err
		}
		if !taken {
			return cand, nil
		}
		if !derived {
			return "", &jarchy.Error{Code: jarchy.ECONFLICT, Field: "slug", MessageKey: "err.slug_taken",
				Message: fmt.Sprintf("slug %q is already used by another %s article", slug, lang)}
		}
		if n > 1000 {
			return "", fmt.Errorf("no free slug for %q", slug)
		}
	}
}

// truncate cuts s to at most n bytes (slugs are ASCII).
func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// DeleteArticle removes an article, its relations and its redirects.
func (db *DB) DeleteArticle(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete article %d", id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM articles WHERE id = $1", id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("article %d not found", id)
		}
		return nil
	})
}
