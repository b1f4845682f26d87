package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/jarchy/jarchy"
)

const pageSelect = "SELECT id, lang, slug, title, body, updated_at FROM pages"

func scanPage(row interface{ Scan(...any) error }) (*jarchy.Page, error) {
	p := &jarchy.Page{}
	var updated sql.NullInt64
	if err := row.Scan(&p.ID, &p.Lang, &p.Slug, &p.Title, &p.Body, &updated); err != nil {
		return nil, err
	}
	p.UpdatedAt = fromDB(updated)
	return p, nil
}

// PageBySlug returns a static page.
func (db *DB) PageBySlug(ctx context.Context, lang jarchy.Lang, slug string) (*jarchy.Page, error) {
	p, err := scanPage(db.queryRow(ctx, pageSelect+" WHERE lang = ? AND slug = ?", lang, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("page %s/%q not found", lang, slug)
	}
	if err != nil {
		return nil, wrapErr("page by slug", err)
	}
	return p, nil
}

// Page returns the page with this ID.
func (db *DB) Page(ctx context.Context, id int64) (*jarchy.Page, error) {
	p, err := scanPage(db.queryRow(ctx, pageSelect+" WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("page %d not found", id)
	}
	if err != nil {
		return nil, wrapErr("page", err)
	}
	return p, nil
}

// Pages lists the pages of lang ("" for all) ordered by slug.
func (db *DB) Pages(ctx context.Context, lang jarchy.Lang) ([]*jarchy.Page, error) {
	q, args := pageSelect+" ORDER BY slug, lang", []any{}
	if lang != "" {
		q, args = pageSelect+" WHERE lang = ? ORDER BY slug", []any{lang}
	}
	rows, err := db.r.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, wrapErr("pages", err)
	}
	defer rows.Close()
	var out []*jarchy.Page
	for rows.Next() {
		p, err := scanPage(rows)
		if err != nil {
			return nil, wrapErr("pages", err)
		}
		out = append(out, p)
	}
	return out, wrapErr("pages", rows.Err())
}

// SavePage inserts or updates a page; a (lang, slug) taken by another page
// is ECONFLICT.
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
	err := db.write(ctx, fmt.Sprintf("save page %q", in.Slug), func(tx *qtx) (jarchy.Change, error) {
		var other int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM pages WHERE lang = ? AND slug = ? AND id <> ?", in.Lang, in.Slug, in.ID).Scan(&other)
		if err == nil {
			return jarchy.Change{}, jarchy.PageSlugTaken(in.Slug)
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, err
		}
		if in.ID == 0 {
			err := tx.QueryRowContext(ctx, "INSERT INTO pages (lang, slug, title, body, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
				in.Lang, in.Slug, in.Title, in.Body, toDB(in.UpdatedAt)).Scan(&in.ID)
			if err != nil {
				return jarchy.Change{}, err
			}
			return jarchy.PageChange(nil, &in), nil
		}
		old, err := scanPage(tx.QueryRowContext(ctx, pageSelect+" WHERE id = ?", in.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("page %d not found", in.ID)
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE pages SET lang = ?, slug = ?, title = ?, body = ?, updated_at = ? WHERE id = ?",
			in.Lang, in.Slug, in.Title, in.Body, toDB(in.UpdatedAt), in.ID); err != nil {
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
	return db.write(ctx, fmt.Sprintf("delete page %d", id), func(tx *qtx) (jarchy.Change, error) {
		old, err := scanPage(tx.QueryRowContext(ctx, "DELETE FROM pages WHERE id = ? RETURNING id, lang, slug, title, body, updated_at", id))
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("page %d not found", id)
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.PageChange(old, nil), nil
	})
}
