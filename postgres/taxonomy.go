package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Sections returns every section by Position, then Slug.
func (db *DB) Sections(ctx context.Context) ([]jarchy.Section, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, slug, position, names FROM sections ORDER BY position, slug")
	if err != nil {
		return nil, wrapErr("sections", err)
	}
	defer rows.Close()
	out := []jarchy.Section{}
	for rows.Next() {
		var s jarchy.Section
		if err := scanSection(rows, &s); err != nil {
			return nil, wrapErr("sections", err)
		}
		out = append(out, s)
	}
	return out, wrapErr("sections", rows.Err())
}

// SaveSection inserts or updates a section found by ID, else by slug; its
// names are replaced by s.Names.
func (db *DB) SaveSection(ctx context.Context, s *jarchy.Section) error {
	if s == nil {
		return jarchy.Invalid("section", "err.required", "no section given")
	}
	in := *s
	in.Normalize() // a new names map: s.Names stays as it is
	if err := in.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save section %q", in.Slug), func(tx pgx.Tx) (jarchy.Change, error) {
		if in.ID != 0 {
			err := scanSection(tx.QueryRow(ctx, `UPDATE sections SET slug = $1, position = $2, names = $3 WHERE id = $4
				RETURNING id, slug, position, names`, in.Slug, in.Position, stringNames(in.Names), in.ID), &in)
			if errors.Is(err, pgx.ErrNoRows) {
				return jarchy.Change{}, notFound("section %d not found", in.ID)
			}
			if err != nil {
				return jarchy.Change{}, err
			}
			return jarchy.SectionChange(), nil
		}
		err := scanSection(tx.QueryRow(ctx, `INSERT INTO sections (slug, position, names) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET position = EXCLUDED.position, names = EXCLUDED.names
			RETURNING id, slug, position, names`, in.Slug, in.Position, stringNames(in.Names)), &in)
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.SectionChange(), nil
	})
	if err != nil {
		return err
	}
	*s = in
	return nil
}

// TagBySlug returns a tag by slug.
func (db *DB) TagBySlug(ctx context.Context, slug string) (*jarchy.Tag, error) {
	var t jarchy.Tag
	err := db.pool.QueryRow(ctx, "SELECT id, slug, name FROM tags WHERE slug = $1", slug).Scan(&t.ID, &t.Slug, &t.Name)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("tag %q not found", slug)
	}
	if err != nil {
		return nil, wrapErr("tag by slug", err)
	}
	return &t, nil
}

// AuthorBySlug returns an author by slug.
func (db *DB) AuthorBySlug(ctx context.Context, slug string) (*jarchy.Author, error) {
	var au jarchy.Author
	err := db.pool.QueryRow(ctx, "SELECT id, slug, name, bio FROM authors WHERE slug = $1", slug).Scan(&au.ID, &au.Slug, &au.Name, &au.Bio)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("author %q not found", slug)
	}
	if err != nil {
		return nil, wrapErr("author by slug", err)
	}
	return &au, nil
}

// SaveAuthor inserts or updates an author found by ID, else by slug.
func (db *DB) SaveAuthor(ctx context.Context, a *jarchy.Author) error {
	if a == nil {
		return jarchy.Invalid("author", "err.required", "no author given")
	}
	in := *a
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save author %q", in.Name), func(tx pgx.Tx) (jarchy.Change, error) {
		old := &jarchy.Author{}
		var err error
		if in.ID != 0 {
			err = tx.QueryRow(ctx, "SELECT id, slug, name, bio FROM authors WHERE id = $1 FOR UPDATE", in.ID).Scan(&old.ID, &old.Slug, &old.Name, &old.Bio)
			if errors.Is(err, pgx.ErrNoRows) {
				return jarchy.Change{}, notFound("author %d not found", in.ID)
			}
		} else {
			err = tx.QueryRow(ctx, "SELECT id, slug, name, bio FROM authors WHERE slug = $1 FOR UPDATE", in.Slug).Scan(&old.ID, &old.Slug, &old.Name, &old.Bio)
			if errors.Is(err, pgx.ErrNoRows) {
				old, err = nil, nil
			}
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		if in.ID != 0 {
			err = tx.QueryRow(ctx, `UPDATE authors SET slug = $1, name = $2, bio = $3 WHERE id = $4
				RETURNING id, slug, name, bio`, in.Slug, in.Name, in.Bio, in.ID).Scan(&in.ID, &in.Slug, &in.Name, &in.Bio)
		} else {
			err = tx.QueryRow(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
				ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, bio = EXCLUDED.bio
				RETURNING id, slug, name, bio`, in.Slug, in.Name, in.Bio).Scan(&in.ID, &in.Slug, &in.Name, &in.Bio)
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		if err := reindexAuthor(ctx, tx, in.ID); err != nil { // search.go: a renamed byline
			return jarchy.Change{}, err
		}
		return storeutil.AuthorSaveChange(old, &in), nil
	})
	if err != nil {
		return err
	}
	*a = in
	return nil
}

// resolveSection fills s from the stored section with its ID, else its
// slug, creating it with its names and position when the slug is new.
// The article's Validate has checked the slug.
func resolveSection(ctx context.Context, tx pgx.Tx, s *jarchy.Section) error {
	if s.ID != 0 {
		err := scanSection(tx.QueryRow(ctx, "SELECT id, slug, position, names FROM sections WHERE id = $1", s.ID), s)
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Invalid("section", "err.section_unknown", "section %d does not exist", s.ID)
		}
		return err
	}
	return scanSection(tx.QueryRow(ctx, `INSERT INTO sections (slug, position, names) VALUES ($1, $2, $3)
		ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug
		RETURNING id, slug, position, names`, s.Slug, s.Position, stringNames(s.Names)), s)
}

// resolveTags fills in the tags given by ID and finds or creates those
// given by slug and name (a found tag keeps its stored name).
func resolveTags(ctx context.Context, tx pgx.Tx, tags []jarchy.Tag) error {
	for i := range tags {
		t := &tags[i]
		if t.ID != 0 {
			err := tx.QueryRow(ctx, "SELECT slug, name FROM tags WHERE id = $1", t.ID).Scan(&t.Slug, &t.Name)
			if errors.Is(err, pgx.ErrNoRows) {
				return jarchy.Invalid("tags", "err.tag_unknown", "tag %d does not exist", t.ID)
			}
			if err != nil {
				return err
			}
			continue
		}
		err := tx.QueryRow(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2)
			ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id, name`, t.Slug, t.Name).Scan(&t.ID, &t.Name)
		if err != nil {
			return err
		}
	}
	return nil
}

// resolveAuthors does for authors what resolveTags does for tags; a found
// author keeps its stored name and bio.
func resolveAuthors(ctx context.Context, tx pgx.Tx, authors []jarchy.Author) error {
	for i := range authors {
		au := &authors[i]
		if au.ID != 0 {
			err := tx.QueryRow(ctx, "SELECT slug, name, bio FROM authors WHERE id = $1", au.ID).Scan(&au.Slug, &au.Name, &au.Bio)
			if errors.Is(err, pgx.ErrNoRows) {
				return jarchy.Invalid("authors", "err.author_unknown", "author %d does not exist", au.ID)
			}
			if err != nil {
				return err
			}
			continue
		}
		err := tx.QueryRow(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id, name, bio`,
			au.Slug, au.Name, au.Bio).Scan(&au.ID, &au.Name, &au.Bio)
		if err != nil {
			return err
		}
	}
	return nil
}

func scanSection(row pgx.Row, s *jarchy.Section) error {
	var names map[string]string
	if err := row.Scan(&s.ID, &s.Slug, &s.Position, &names); err != nil {
		return err
	}
	s.Names = langNames(names)
	return nil
}

// jsonNames is stringNames as JSON text.
func jsonNames(m map[jarchy.Lang]string) (string, error) {
	b, err := json.Marshal(stringNames(m))
	return string(b), err
}

func stringNames(m map[jarchy.Lang]string) map[string]string {
	out := make(map[string]string, len(m))
	for k, v := range m {
		if v != "" {
			out[string(k)] = v
		}
	}
	return out
}

// DeleteSection removes a section no article is filed under; one with
// articles is refused (jarchy.SectionNotEmpty). The section row is locked
// first: a concurrent article insert holds a key-share lock on it, so the
// count cannot change before the delete.
func (db *DB) DeleteSection(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete section %d", id), func(tx pgx.Tx) (jarchy.Change, error) {
		var slug string
		err := tx.QueryRow(ctx, "SELECT slug FROM sections WHERE id = $1 FOR UPDATE", id).Scan(&slug)
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("section %d not found", id)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		var n int
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM articles WHERE section_id = $1", id).Scan(&n); err != nil {
			return jarchy.Change{}, err
		}
		if n > 0 {
			return jarchy.Change{}, jarchy.SectionNotEmpty(slug, n)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM sections WHERE id = $1", id); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.SectionChange(), nil
	})
}

// SectionArticleCounts returns the number of articles of each non-empty
// section.
func (db *DB) SectionArticleCounts(ctx context.Context) (map[int64]int, error) {
	rows, err := db.pool.Query(ctx, "SELECT section_id, COUNT(*) FROM articles GROUP BY section_id")
	if err != nil {
		return nil, wrapErr("section article counts", err)
	}
	defer rows.Close()
	out := map[int64]int{}
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrapErr("section article counts", err)
		}
		out[id] = n
	}
	return out, wrapErr("section article counts", rows.Err())
}
