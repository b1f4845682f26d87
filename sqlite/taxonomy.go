package sqlite

import (
	"context"
	"database/sql"
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
	if s == nil {
		return jarchy.Invalid("section", "err.required", "no section given")
	}
	in := *s
	in.Normalize() // a new names map: s.Names stays as it is
	if err := in.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save section %q", in.Slug), func(tx *qtx) (jarchy.Change, error) {
		if in.ID != 0 {
			res, err := tx.ExecContext(ctx, "UPDATE sections SET slug = ?, position = ? WHERE id = ?", in.Slug, in.Position, in.ID)
			if err != nil {
				return jarchy.Change{}, err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return jarchy.Change{}, notFound("section %d not found", in.ID)
			}
		} else {
			err := tx.QueryRowContext(ctx, `INSERT INTO sections (slug, position) VALUES (?, ?)
				ON CONFLICT (slug) DO UPDATE SET position = excluded.position RETURNING id`, in.Slug, in.Position).Scan(&in.ID)
			if err != nil {
				return jarchy.Change{}, err
			}
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM section_names WHERE section_id = ?", in.ID); err != nil {
			return jarchy.Change{}, err
		}
		if err := writeSectionNames(ctx, tx, &in); err != nil {
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
	if a == nil {
		return jarchy.Invalid("author", "err.required", "no author given")
	}
	in := *a
	in.Normalize()
	if err := in.Validate(); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save author %q", in.Name), func(tx *qtx) (jarchy.Change, error) {
		old := &jarchy.Author{}
		var err error
		if in.ID != 0 {
			err = tx.QueryRowContext(ctx, "SELECT id, slug, name, bio FROM authors WHERE id = ?", in.ID).Scan(&old.ID, &old.Slug, &old.Name, &old.Bio)
			if errors.Is(err, sql.ErrNoRows) {
				return jarchy.Change{}, notFound("author %d not found", in.ID)
			}
		} else {
			err = tx.QueryRowContext(ctx, "SELECT id, slug, name, bio FROM authors WHERE slug = ?", in.Slug).Scan(&old.ID, &old.Slug, &old.Name, &old.Bio)
			if errors.Is(err, sql.ErrNoRows) {
				old, err = nil, nil
			}
		}
		if err != nil {
			return jarchy.Change{}, err
		}
		if in.ID != 0 {
			if _, err := tx.ExecContext(ctx, "UPDATE authors SET slug = ?, name = ?, bio = ? WHERE id = ?", in.Slug, in.Name, in.Bio, in.ID); err != nil {
				return jarchy.Change{}, err
			}
		} else if err := tx.QueryRowContext(ctx, `INSERT INTO authors (slug, name, bio) VALUES (?, ?, ?)
			ON CONFLICT (slug) DO UPDATE SET name = excluded.name, bio = excluded.bio RETURNING id`,
			in.Slug, in.Name, in.Bio).Scan(&in.ID); err != nil {
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

// resolveSection finds s by ID or slug, creating it (with its names) when
// the slug is new, and fills in its stored fields.
func resolveSection(ctx context.Context, tx *qtx, s *jarchy.Section) error {
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

// resolveTags fills in the tags given by ID and finds or creates those
// given by slug and name (a found tag keeps its stored name).
func resolveTags(ctx context.Context, tx *qtx, tags []jarchy.Tag) error {
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

// resolveAuthors does for authors what resolveTags does for tags; a found
// author keeps its stored name and bio.
func resolveAuthors(ctx context.Context, tx *qtx, authors []jarchy.Author) error {
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

// DeleteSection removes a section no article is filed under; one with
// articles is refused (jarchy.SectionNotEmpty).
func (db *DB) DeleteSection(ctx context.Context, id int64) error {
	return db.write(ctx, fmt.Sprintf("delete section %d", id), func(tx *qtx) (jarchy.Change, error) {
		var slug string
		var n int
		err := tx.QueryRowContext(ctx, "SELECT slug, (SELECT COUNT(*) FROM articles WHERE section_id = s.id) FROM sections s WHERE id = ?", id).Scan(&slug, &n)
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("section %d not found", id)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		if n > 0 {
			return jarchy.Change{}, jarchy.SectionNotEmpty(slug, n)
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sections WHERE id = ?", id); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.SectionChange(), nil
	})
}

// SectionArticleCounts returns the number of articles of each non-empty
// section.
func (db *DB) SectionArticleCounts(ctx context.Context) (map[int64]int, error) {
	out := map[int64]int{}
	err := db.read(ctx, "section article counts", func(tx *qtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT section_id, COUNT(*) FROM articles GROUP BY section_id")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			var n int
			if err := rows.Scan(&id, &n); err != nil {
				return err
			}
			out[id] = n
		}
		return rows.Err()
	})
	return out, err
}
