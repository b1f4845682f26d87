package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

const pageSelect = "SELECT id, lang, slug, title, body, updated_at FROM pages"

func scanPage(row pgx.Row) (*jarchy.Page, error) {
	var p jarchy.Page
	var lang string
	var updated time.Time
	if err := row.Scan(&p.ID, &lang, &p.Slug, &p.Title, &p.Body, &updated); err != nil {
		return nil, err
	}
	p.Lang, p.UpdatedAt = jarchy.Lang(lang), updated.UTC()
	return &p, nil
}

// PageBySlug returns a static page.
func (db *DB) PageBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Page, error) {
	p, err := scanPage(db.pool.QueryRow(ctx, pageSelect+" WHERE lang = $1 AND slug = $2", string(lang), slug))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("page %s/%s not found", lang, slug)
	}
	if err != nil {
		return nil, fmt.Errorf("page %s/%s: %w", lang, slug, err)
	}
	return p, nil
}

// Pages returns the pages in lang (all languages when lang is empty) by slug.
func (db *DB) Pages(ctx context.Context, lang jarchy.Lang) ([]*jarchy.Page, error) {
	rows, err := db.pool.Query(ctx, pageSelect+" WHERE $1 = '' OR lang = $1 ORDER BY lang, slug", string(lang))
	if err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	defer rows.Close()
	out := []*jarchy.Page{}
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, fmt.Errorf("pages: %w", err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("pages: %w", err)
	}
	return out, nil
}

// SavePage inserts a page (ID 0) or updates the page with its ID; a
// (lang, slug) already taken is ECONFLICT.
func (db *DB) SavePage(ctx context.Context, p *jarchy.Page) error {
	if p == nil {
		return jarchy.Invalid("page", "err.required", "no page given")
	}
	c := *p
	c.Title = strings.TrimSpace(c.Title)
	switch {
	case !c.Lang.Valid():
		return jarchy.Invalid("lang", "err.lang", "unknown language %q", c.Lang)
	case !utf8.ValidString(c.Title) || strings.ContainsRune(c.Title, 0):
		return jarchy.Invalid("title", "err.utf8", "title is not valid UTF-8 text")
	case c.Title == "":
		return jarchy.Invalid("title", "err.required", "title is required")
	case utf8.RuneCountInString(c.Title) > jarchy.MaxTitleLen:
		return jarchy.Invalid("title", "err.too_long", "title is longer than %d characters", jarchy.MaxTitleLen)
	case !utf8.ValidString(c.Body) || strings.ContainsRune(c.Body, 0):
		return jarchy.Invalid("body", "err.utf8", "body is not valid UTF-8 text")
	case len(c.Body) > jarchy.MaxBodyLen:
		return jarchy.Invalid("body", "err.too_long", "body is longer than %d bytes", jarchy.MaxBodyLen)
	}
	if c.Slug == "" {
		c.Slug = jarchy.Slugify(c.Lang, c.Title)
		if c.Slug == "" {
			return jarchy.Invalid("slug", "err.slug", "title gives no slug")
		}
	} else if !validSlug(c.Slug) {
		return jarchy.Invalid("slug", "err.slug", "page slug %q is not a clean slug", c.Slug)
	}
	c.UpdatedAt = utc(jarchy.Now())
	err := db.write(ctx, fmt.Sprintf("save page %s/%s", c.Lang, c.Slug), func(tx pgx.Tx) error {
		if c.ID != 0 {
			err := tx.QueryRow(ctx, `UPDATE pages SET lang = $1, slug = $2, title = $3, body = $4, updated_at = $5
				WHERE id = $6 RETURNING id`, string(c.Lang), c.Slug, c.Title, c.Body, c.UpdatedAt, c.ID).Scan(&c.ID)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("page %d not found", c.ID)
			}
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO pages (lang, slug, title, body, updated_at) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, string(c.Lang), c.Slug, c.Title, c.Body, c.UpdatedAt).Scan(&c.ID)
	})
	if err != nil {
		return err
	}
	*p = c
	return nil
}

// DeletePage removes a page.
func (db *DB) DeletePage(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete page %d", id), func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM pages WHERE id = $1", id)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("page %d not found", id)
		}
		return nil
	})
}
