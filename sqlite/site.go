package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Sections returns every section ordered by position, then slug.
func (db *DB) Sections(ctx context.Context) ([]jarchy.Section, error) {
	var out []jarchy.Section
	err := db.read(ctx, "sections", func(tx *qtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT id, slug, position FROM sections ORDER BY position, slug")
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var s jarchy.Section
			if err := rows.Scan(&s.ID, &s.Slug, &s.Position); err != nil {
				rows.Close()
				return err
			}
			out = append(out, s)
			ids = append(ids, s.ID)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		names, err := sectionNames(ctx, tx, ids)
		if err != nil {
			return err
		}
		for i := range out {
			out[i].Names = names[out[i].ID]
			if out[i].Names == nil {
				out[i].Names = map[jarchy.Lang]string{}
			}
		}
		return nil
	})
	return out, err
}

// SaveSection inserts or updates a section, found by ID, else by slug. Its
// names are replaced by s.Names.
func (db *DB) SaveSection(ctx context.Context, s *jarchy.Section) error {
	in := *s
	in.Names = make(map[jarchy.Lang]string, len(s.Names))
	for l, n := range s.Names {
		in.Names[l] = n
	}
	if err := storeutil.CheckSection(&in); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save section %q", in.Slug), func(tx *qtx) error {
		if in.ID != 0 {
			res, err := tx.ExecContext(ctx, "UPDATE sections SET slug = ?, position = ? WHERE id = ?", in.Slug, in.Position, in.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound("section %d not found", in.ID)
			}
		} else {
			err := tx.QueryRowContext(ctx, `INSERT INTO sections (slug, position) VALUES (?, ?)
				ON CONFLICT (slug) DO UPDATE SET position = excluded.position RETURNING id`, in.Slug, in.Position).Scan(&in.ID)
			if err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM section_names WHERE section_id = ?", in.ID); err != nil {
			return err
		}
		return writeSectionNames(ctx, tx, &in)
	})
	if err != nil {
		return err
	}
	*s = in
	return nil
}

func writeSectionNames(ctx context.Context, tx *qtx, s *jarchy.Section) error {
	for _, l := range jarchy.Langs {
		if n := s.Names[l]; n != "" {
			if _, err := tx.ExecContext(ctx, "INSERT INTO section_names (section_id, lang, name) VALUES (?, ?, ?)", s.ID, l, n); err != nil {
				return err
			}
		}
	}
	return nil
}

// TagBySlug returns a tag.
func (db *DB) TagBySlug(ctx context.Context, slug string) (*jarchy.Tag, error) {
	t := &jarchy.Tag{}
	err := db.queryRow(ctx, "SELECT id, slug, name FROM tags WHERE slug = ?", slug).Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("tag %q not found", slug)
	}
	if err != nil {
		return nil, wrapErr("tag by slug", err)
	}
	return t, nil
}

// AuthorBySlug returns an author.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (*jarchy.Author, error) {
	a := &jarchy.Author{}
	err := db.queryRow(ctx, "SELECT id, slug, name, bio FROM authors WHERE slug = ?", slug).Scan(&a.ID, &a.Slug, &a.Name, &a.Bio)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("author %q not found", slug)
	}
	if err != nil {
		return nil, wrapErr("author by slug", err)
	}
	return a, nil
}

// SaveAuthor inserts or updates an author, found by ID, else by slug.
func (db *DB) SaveAuthor(ctx context.Context, a *jarchy.Author) error {
	in := *a
	if err := storeutil.CheckAuthor(&in); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save author %q", in.Name), func(tx *qtx) error {
		if in.ID != 0 {
			res, err := tx.ExecContext(ctx, "UPDATE authors SET slug = ?, name = ?, bio = ? WHERE id = ?", in.Slug, in.Name, in.Bio, in.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return notFound("author %d not found", in.ID)
			}
			return reindexAuthor(ctx, tx, in.ID) // search.go: a renamed byline
		}
		if err := tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio) VALUES (?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, bio = excluded.bio RETURNING id`,
			in.Slug, in.Name, in.Bio).Scan(&in.ID); err != nil {
			return err
		}
		return reindexAuthor(ctx, tx, in.ID)
	})
	if err != nil {
		return err
	}
	*a = in
	return nil
}

const pageCols = "id, lang, slug, title, body, updated_at"

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
	p, err := scanPage(db.queryRow(ctx, "SELECT "+pageCols+" FROM pages WHERE lang = ? AND slug = ?", lang, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("page %s/%q not found", lang, slug)
	}
	if err != nil {
		return nil, wrapErr("page by slug", err)
	}
	return p, nil
}

// Pages lists the pages of lang ("" for all) ordered by slug.
func (db *DB) Pages(ctx context.Context, lang jarchy.Lang) ([]*jarchy.Page, error) {
	q, args := "SELECT "+pageCols+" FROM pages ORDER BY slug, lang", []any{}
	if lang != "" {
		q, args = "SELECT "+pageCols+" FROM pages WHERE lang = ? ORDER BY slug", []any{lang}
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
	return out, wrapRowsErr("pages", rows.Err())
}

func wrapRowsErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return wrapErr(what, err)
}

// SavePage inserts or updates a page; a (lang, slug) taken by another page
// is ECONFLICT.
func (db *DB) SavePage(ctx context.Context, p *jarchy.Page) error {
	in := *p
	if err := storeutil.PreparePage(&in); err != nil {
		return err
	}
	in.UpdatedAt = storeutil.Now()
	err := db.write(ctx, fmt.Sprintf("save page %q", in.Slug), func(tx *qtx) error {
		var other int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM pages WHERE lang = ? AND slug = ? AND id <> ?", in.Lang, in.Slug, in.ID).Scan(&other)
		if err == nil {
			return &jarchy.Error{Code: jarchy.ECONFLICT, Field: "slug", MessageKey: "err.slug_taken",
				Message: fmt.Sprintf("another page already has the slug %q", in.Slug)}
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if in.ID == 0 {
			return tx.QueryRowContext(ctx, "INSERT INTO pages (lang, slug, title, body, updated_at) VALUES (?, ?, ?, ?, ?) RETURNING id",
				in.Lang, in.Slug, in.Title, in.Body, toDB(in.UpdatedAt)).Scan(&in.ID)
		}
		res, err := tx.ExecContext(ctx, "UPDATE pages SET lang = ?, slug = ?, title = ?, body = ?, updated_at = ? WHERE id = ?",
			in.Lang, in.Slug, in.Title, in.Body, toDB(in.UpdatedAt), in.ID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("page %d not found", in.ID)
		}
		return nil
	})
	if err != nil {
		return err
	}
	*p = in
	return nil
}

// DeletePage removes a page.
func (db *DB) DeletePage(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete page %d", id), func(tx *qtx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM pages WHERE id = ?", id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return notFound("page %d not found", id)
		}
		return nil
	})
}

const settingsKey = "site"

// Settings returns the site settings (empty, non-nil maps when unset).
func (db *DB) Settings(ctx context.Context) (jarchy.Settings, error) {
	var raw string
	err := db.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", settingsKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		raw = "{}"
	} else if err != nil {
		return jarchy.Settings{}, wrapErr("settings", err)
	}
	var s jarchy.Settings
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return jarchy.Settings{}, fmt.Errorf("sqlite: settings: stored value is not valid JSON: %w", err)
	}
	if s.SiteName == nil {
		s.SiteName = map[jarchy.Lang]string{}
	}
	if s.Social == nil {
		s.Social = map[string]string{}
	}
	return s, nil
}

// SaveSettings replaces the site settings.
func (db *DB) SaveSettings(ctx context.Context, s jarchy.Settings) error {
	clean, err := storeutil.CleanSettings(s)
	if err != nil {
		return err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("sqlite: save settings: %w", err)
	}
	return db.write(ctx, "save settings", func(tx *qtx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingsKey, string(raw))
		return err
	})
}
