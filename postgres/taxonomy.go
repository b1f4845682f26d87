package postgres

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// reservedSections are path segments the router uses after /{lang}/.
var reservedSections = map[string]bool{"tag": true, "author": true, "page": true, "search": true, "feed": true}

// checkName validates a tag, author or section name.
func checkName(field, s string, required bool) error {
	switch {
	case !utf8.ValidString(s):
		return jarchy.Invalid(field, "err.utf8", "%s is not valid UTF-8", field)
	case required && strings.TrimSpace(s) == "":
		return jarchy.Invalid(field, "err.required", "%s is required", field)
	case utf8.RuneCountInString(s) > jarchy.MaxNameLen:
		return jarchy.Invalid(field, "err.too_long", "%s is longer than %d characters", field, jarchy.MaxNameLen)
	case strings.ContainsRune(s, 0):
		return jarchy.Invalid(field, "err.control", "%s contains a NUL character", field)
	}
	return nil
}

// prepareSection validates s and fills its slug (from its name when empty).
func prepareSection(s *jarchy.Section, lang jarchy.Lang) error {
	for l, n := range s.Names {
		if !l.Valid() {
			return jarchy.Invalid("section", "err.lang", "section name in unknown language %q", l)
		}
		if err := checkName("section", n, false); err != nil {
			return err
		}
		s.Names[l] = strings.TrimSpace(n)
	}
	if s.Slug == "" && len(s.Names) > 0 {
		s.Slug = jarchy.Slugify(lang, s.Name(lang))
	}
	if s.Slug == "" {
		return jarchy.Invalid("section", "err.section_required", "section needs a slug")
	}
	if !validSlug(s.Slug) {
		return jarchy.Invalid("section", "err.slug", "section slug %q must be lower-case latin words and digits joined by hyphens", s.Slug)
	}
	if reservedSections[s.Slug] {
		return jarchy.Invalid("section", "err.section_reserved", "section slug %q is reserved", s.Slug)
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

// resolveSection fills s from the stored section with its ID, else its
// slug (derived from its name), creating it when it does not exist.
func resolveSection(ctx context.Context, tx pgx.Tx, s *jarchy.Section, lang jarchy.Lang) error {
	if s.ID != 0 {
		err := scanSection(tx.QueryRow(ctx, "SELECT id, slug, position, names FROM sections WHERE id = $1", s.ID), s)
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Invalid("section", "err.section_missing", "section %d does not exist", s.ID)
		}
		return err
	}
	names := map[jarchy.Lang]string{}
	for l, n := range s.Names {
		names[l] = n
	}
	s.Names = names
	if err := prepareSection(s, lang); err != nil {
		return err
	}
	err := scanSection(tx.QueryRow(ctx, "SELECT id, slug, position, names FROM sections WHERE slug = $1", s.Slug), s)
	if !errors.Is(err, pgx.ErrNoRows) {
		return err
	}
	return scanSection(tx.QueryRow(ctx, `INSERT INTO sections (slug, position, names)
		VALUES ($1, $2, $3) RETURNING id, slug, position, names`, s.Slug, s.Position, stringNames(s.Names)), s)
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

// resolveTags finds or creates the tags (by ID, else slug from name), in
// order and without duplicates.
func resolveTags(ctx context.Context, tx pgx.Tx, in []jarchy.Tag, lang jarchy.Lang) ([]jarchy.Tag, error) {
	out := make([]jarchy.Tag, 0, len(in))
	seen := map[int64]bool{}
	for _, t := range in {
		t.Name = strings.TrimSpace(t.Name)
		var err error
		if t.ID != 0 {
			err = tx.QueryRow(ctx, "SELECT id, slug, name FROM tags WHERE id = $1", t.ID).Scan(&t.ID, &t.Slug, &t.Name)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, jarchy.Invalid("tags", "err.tag_missing", "tag %d does not exist", t.ID)
			}
		} else {
			if err := checkName("tags", t.Name, true); err != nil {
				return nil, err
			}
			if t.Slug == "" {
				t.Slug = jarchy.Slugify(lang, t.Name)
				if t.Slug == "" {
					return nil, jarchy.Invalid("tags", "err.slug", "tag %q gives no slug", t.Name)
				}
			} else if !validSlug(t.Slug) {
				return nil, jarchy.Invalid("tags", "err.slug", "tag slug %q is not a clean slug", t.Slug)
			}
			err = tx.QueryRow(ctx, `INSERT INTO tags (slug, name) VALUES ($1, $2)
				ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id, slug, name`,
				t.Slug, t.Name).Scan(&t.ID, &t.Slug, &t.Name)
		}
		if err != nil {
			return nil, err
		}
		if !seen[t.ID] {
			seen[t.ID] = true
			out = append(out, t)
		}
	}
	return out, nil
}

// resolveAuthors finds or creates the authors like resolveTags.
func resolveAuthors(ctx context.Context, tx pgx.Tx, in []jarchy.Author, lang jarchy.Lang) ([]jarchy.Author, error) {
	out := make([]jarchy.Author, 0, len(in))
	seen := map[int64]bool{}
	for _, au := range in {
		au.Name = strings.TrimSpace(au.Name)
		var err error
		if au.ID != 0 {
			err = tx.QueryRow(ctx, "SELECT id, slug, name, bio FROM authors WHERE id = $1", au.ID).Scan(&au.ID, &au.Slug, &au.Name, &au.Bio)
			if errors.Is(err, pgx.ErrNoRows) {
				return nil, jarchy.Invalid("authors", "err.author_missing", "author %d does not exist", au.ID)
			}
		} else {
			if err := checkAuthor(&au, lang); err != nil {
				return nil, err
			}
			err = tx.QueryRow(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
				ON CONFLICT (slug) DO UPDATE SET slug = EXCLUDED.slug RETURNING id, slug, name, bio`,
				au.Slug, au.Name, au.Bio).Scan(&au.ID, &au.Slug, &au.Name, &au.Bio)
		}
		if err != nil {
			return nil, err
		}
		if !seen[au.ID] {
			seen[au.ID] = true
			out = append(out, au)
		}
	}
	return out, nil
}

// checkAuthor validates an author and fills its slug from its name.
func checkAuthor(au *jarchy.Author, lang jarchy.Lang) error {
	au.Name = strings.TrimSpace(au.Name)
	if err := checkName("authors", au.Name, true); err != nil {
		return err
	}
	if !utf8.ValidString(au.Bio) || strings.ContainsRune(au.Bio, 0) {
		return jarchy.Invalid("bio", "err.utf8", "author bio is not valid UTF-8 text")
	}
	if utf8.RuneCountInString(au.Bio) > jarchy.MaxLeadLen {
		return jarchy.Invalid("bio", "err.too_long", "author bio is longer than %d characters", jarchy.MaxLeadLen)
	}
	if au.Slug == "" {
		au.Slug = jarchy.Slugify(lang, au.Name)
		if au.Slug == "" {
			return jarchy.Invalid("authors", "err.slug", "author %q gives no slug", au.Name)
		}
	} else if !validSlug(au.Slug) {
		return jarchy.Invalid("authors", "err.slug", "author slug %q is not a clean slug", au.Slug)
	}
	return nil
}

// Sections returns every section by Position, then Slug.
func (db *DB) Sections(ctx context.Context) ([]jarchy.Section, error) {
	rows, err := db.pool.Query(ctx, "SELECT id, slug, position, names FROM sections ORDER BY position, slug")
	if err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	defer rows.Close()
	out := []jarchy.Section{}
	for rows.Next() {
		var s jarchy.Section
		if err := scanSection(rows, &s); err != nil {
			return nil, fmt.Errorf("sections: %w", err)
		}
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("sections: %w", err)
	}
	return out, nil
}

// SaveSection inserts or updates a section found by ID, else by slug.
func (db *DB) SaveSection(ctx context.Context, s *jarchy.Section) error {
	if s == nil {
		return jarchy.Invalid("section", "err.required", "no section given")
	}
	c := *s
	c.Names = map[jarchy.Lang]string{}
	for l, n := range s.Names {
		c.Names[l] = n
	}
	if err := prepareSection(&c, jarchy.DefaultLang); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save section %q", c.Slug), func(tx pgx.Tx) error {
		if c.ID != 0 {
			err := scanSection(tx.QueryRow(ctx, `UPDATE sections SET slug = $1, position = $2, names = $3 WHERE id = $4
				RETURNING id, slug, position, names`, c.Slug, c.Position, stringNames(c.Names), c.ID), &c)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("section %d not found", c.ID)
			}
			return err
		}
		return scanSection(tx.QueryRow(ctx, `INSERT INTO sections (slug, position, names) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET position = EXCLUDED.position, names = EXCLUDED.names
			RETURNING id, slug, position, names`, c.Slug, c.Position, stringNames(c.Names)), &c)
	})
	if err != nil {
		return err
	}
	*s = c
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
		return nil, fmt.Errorf("tag %q: %w", slug, err)
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
		return nil, fmt.Errorf("author %q: %w", slug, err)
	}
	return &au, nil
}

// SaveAuthor inserts or updates an author found by ID, else by slug.
func (db *DB) SaveAuthor(ctx context.Context, a *jarchy.Author) error {
	if a == nil {
		return jarchy.Invalid("authors", "err.required", "no author given")
	}
	c := *a
	if err := checkAuthor(&c, jarchy.DefaultLang); err != nil {
		return err
	}
	err := db.write(ctx, fmt.Sprintf("save author %q", c.Name), func(tx pgx.Tx) error {
		if c.ID != 0 {
			err := tx.QueryRow(ctx, `UPDATE authors SET slug = $1, name = $2, bio = $3 WHERE id = $4
				RETURNING id, slug, name, bio`, c.Slug, c.Name, c.Bio, c.ID).Scan(&c.ID, &c.Slug, &c.Name, &c.Bio)
			if errors.Is(err, pgx.ErrNoRows) {
				return notFound("author %d not found", c.ID)
			}
			return err
		}
		return tx.QueryRow(ctx, `INSERT INTO authors (slug, name, bio) VALUES ($1, $2, $3)
			ON CONFLICT (slug) DO UPDATE SET name = EXCLUDED.name, bio = EXCLUDED.bio
			RETURNING id, slug, name, bio`, c.Slug, c.Name, c.Bio).Scan(&c.ID, &c.Slug, &c.Name, &c.Bio)
	})
	if err != nil {
		return err
	}
	*a = c
	return nil
}
