package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

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
		return nil, wrapErr("page by slug", err)
	}
	return p, nil
}

// Page returns the page with this ID.
func (db *DB) Page(ctx context.Context, id int64) (*jarchy.Page, error) {
	p, err := scanPage(db.pool.QueryRow(ctx, pageSelect+" WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("page %d not found", id)
	}
	if err != nil {
		return nil, wrapErr("page", err)
	}
	return p, nil
}

// Pages returns the pages in lang (all languages when lang is empty) by slug.
func (db *DB) Pages(ctx context.Context, lang jarchy.Lang) ([]*jarchy.Page, error) {
	rows, err := db.pool.Query(ctx, pageSelect+" WHERE $1 = '' OR lang = $1 ORDER BY lang, slug", string(lang))
	if err != nil {
		return nil, wrapErr("pages", err)
	}
	defer rows.Close()
	out := []*jarchy.Page{}
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, wrapErr("pages", err)
		}
		out = append(out, p)
	}
	return out, wrapErr("pages", rows.Err())
}

// SavePage inserts a page (ID 0) or updates the page with its ID; a
// (lang, slug) already taken is ECONFLICT.
func (db *DB) SavePage(ctx context.Context, p *jarchy.Page) error {
	if p == nil {
		return jarchy.Invalid("page", "err.required", "no page given")
	}
	in := *p
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	in.UpdatedAt = db.now()
	err := db.write(ctx, fmt.Sprintf("save page %s/%s", in.Lang, in.Slug), func(tx pgx.Tx) (jarchy.Change, error) {
		// write's generation bump serialises writers, so the check holds.
		taken, err := exists(ctx, tx, "SELECT 1 FROM pages WHERE lang = $1 AND slug = $2 AND id <> $3", string(in.Lang), in.Slug, in.ID)
		if err != nil {
			return jarchy.Change{}, err
		}
		if taken {
			return jarchy.Change{}, jarchy.PageSlugTaken(in.Slug)
		}
		if in.ID == 0 {
			err := tx.QueryRow(ctx, `INSERT INTO pages (lang, slug, title, body, updated_at) VALUES ($1, $2, $3, $4, $5)
				RETURNING id`, string(in.Lang), in.Slug, in.Title, in.Body, in.UpdatedAt).Scan(&in.ID)
			if err != nil {
				return jarchy.Change{}, err
			}
			return jarchy.PageChange(nil, &in), nil
		}
		old, err := scanPage(tx.QueryRow(ctx, pageSelect+" WHERE id = $1 FOR UPDATE", in.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("page %d not found", in.ID)
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.Exec(ctx, "UPDATE pages SET lang = $1, slug = $2, title = $3, body = $4, updated_at = $5 WHERE id = $6",
			string(in.Lang), in.Slug, in.Title, in.Body, in.UpdatedAt, in.ID); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.PageChange(old, &in), nil
	})
	if err != nil {
		return err
	}
	*p = in
	return nil
}

// DeletePage removes a page.
func (db *DB) DeletePage(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete page %d", id), func(tx pgx.Tx) (jarchy.Change, error) {
		old, err := scanPage(tx.QueryRow(ctx, "DELETE FROM pages WHERE id = $1 RETURNING id, lang, slug, title, body, updated_at", id))
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("page %d not found", id)
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.PageChange(old, nil), nil
	})
}
