package postgres

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

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
	derivedSlug := b.Slug == ""
	b.Normalize()
	if err := validateArticle(&b); err != nil {
		return err
	}
	if err := checkArticleExtras(&b, derivedSlug); err != nil {
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
		slug, err := freeSlug(ctx, tx, b.Lang, b.Slug, b.ID)
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

// freeSlug returns slug, or slug-2, slug-3… when another article in lang
// has it now or had it before (a redirect), so that old links keep pointing
// at their story. An article's own old slugs are free for it.
func freeSlug(ctx context.Context, tx pgx.Tx, lang jarchy.Lang, slug string, self int64) (string, error) {
	for n := 1; n <= 10000; n++ {
		cand := slug
		if n > 1 {
			suffix := "-" + strconv.Itoa(n)
			cand = strings.TrimRight(truncate(slug, jarchy.MaxSlugLen-len(suffix)), "-") + suffix
		}
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
	return "", jarchy.Errorf(jarchy.ECONFLICT, "no free slug for %q", slug)
}

// validateArticle runs Article.Validate, where tags and authors given by
// ID need no name (the stored one is used).
func validateArticle(a *jarchy.Article) error {
	v := *a
	v.Tags = append([]jarchy.Tag(nil), a.Tags...)
	for i := range v.Tags {
		if v.Tags[i].ID != 0 && v.Tags[i].Name == "" {
			v.Tags[i].Name = "by-id"
		}
	}
	v.Authors = append([]jarchy.Author(nil), a.Authors...)
	for i := range v.Authors {
		if v.Authors[i].ID != 0 && v.Authors[i].Name == "" {
			v.Authors[i].Name = "by-id"
		}
	}
	return v.Validate()
}

// Limits on identifiers that Article.Validate leaves open.
const (
	maxExternalIDLen = 1000 // bytes
	maxGroupLen      = 1000 // bytes
)

// checkArticleExtras validates what Article.Validate does not: a given
// slug must be clean; external id and translation group are bounded text.
func checkArticleExtras(a *jarchy.Article, derivedSlug bool) error {
	if !derivedSlug && !validSlug(a.Slug) {
		return jarchy.Invalid("slug", "err.slug", "slug %q must be lower-case latin words and digits joined by single hyphens, at most %d bytes", a.Slug, jarchy.MaxSlugLen)
	}
	for _, f := range []struct{ field, v string }{{"external_id", a.ExternalID}, {"translation_group", a.TranslationGroup}} {
		switch {
		case !utf8.ValidString(f.v):
			return jarchy.Invalid(f.field, "err.utf8", "%s is not valid UTF-8", f.field)
		case strings.ContainsRune(f.v, 0):
			return jarchy.Invalid(f.field, "err.control", "%s contains a NUL character", f.field)
		case len(f.v) > maxExternalIDLen:
			return jarchy.Invalid(f.field, "err.too_long", "%s is longer than %d bytes", f.field, maxExternalIDLen)
		}
	}
	return nil
}

// validSlug reports whether s is [a-z0-9] words joined by single hyphens,
// at most jarchy.MaxSlugLen bytes.
func validSlug(s string) bool {
	if s == "" || len(s) > jarchy.MaxSlugLen || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
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
