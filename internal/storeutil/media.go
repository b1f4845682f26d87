package storeutil

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jarchy/jarchy"
)

// MoveCovers is the data step of both stores' media migration: every
// article cover kept in the seven cover_* columns becomes a row of media
// (keyed by its path, or jarchy.ExternalMediaKey of its url), and the
// article's cover_path is set to that key, which the migration then renames
// cover_key. Articles sharing a path share one row, with the texts of the
// one saved last. ph numbers a placeholder ("?" on SQLite, "$1" on
// PostgreSQL).
func MoveCovers(ctx context.Context, tx *sql.Tx, ph func(n int) string) error {
	rows, err := tx.QueryContext(ctx, `SELECT id, coalesce(cover_path, ''), coalesce(cover_url, ''), coalesce(cover_caption, ''),
		coalesce(cover_credit, ''), coalesce(cover_alt, ''), coalesce(cover_width, 0), coalesce(cover_height, 0), created_at, updated_at
		FROM articles WHERE coalesce(cover_path, '') <> '' OR coalesce(cover_url, '') <> '' ORDER BY updated_at, id`)
	if err != nil {
		return fmt.Errorf("read covers: %w", err)
	}
	type cover struct {
		id               int64
		m                jarchy.Media
		created, updated any
	}
	var covers []cover
	for rows.Next() {
		var c cover
		if err := rows.Scan(&c.id, &c.m.Key, &c.m.URL, &c.m.Caption, &c.m.Credit, &c.m.Alt, &c.m.Width, &c.m.Height, &c.created, &c.updated); err != nil {
			rows.Close()
			return fmt.Errorf("read covers: %w", err)
		}
		covers = append(covers, c)
	}
	if err := rows.Close(); err != nil {
		return fmt.Errorf("read covers: %w", err)
	}
	args := make([]string, 11)
	for i := range args {
		args[i] = ph(i + 1)
	}
	upsert := `INSERT INTO media (key, url, width, height, caption, credit, alt, search_text, variants, og, created_at, updated_at)
		VALUES (` + strings.Join(args[:8], ", ") + `, '', '', ` + args[8] + `, ` + args[9] + `)
		ON CONFLICT (key) DO UPDATE SET url = excluded.url, width = excluded.width, height = excluded.height,
		caption = excluded.caption, credit = excluded.credit, alt = excluded.alt, search_text = excluded.search_text,
		updated_at = excluded.updated_at`
	link := "UPDATE articles SET cover_path = " + ph(1) + " WHERE id = " + ph(2)
	for _, c := range covers {
		if c.m.Key != "" {
			c.m.URL = "" // a file we hold wins over an address
		} else {
			c.m.Normalize() // the key of the url
		}
		if _, err := tx.ExecContext(ctx, upsert, c.m.Key, c.m.URL, c.m.Width, c.m.Height, c.m.Caption, c.m.Credit, c.m.Alt,
			jarchy.MediaSearchText(&c.m), c.created, c.updated); err != nil {
			return fmt.Errorf("cover of article %d: %w", c.id, err)
		}
		if _, err := tx.ExecContext(ctx, link, c.m.Key, c.id); err != nil {
			return fmt.Errorf("cover of article %d: %w", c.id, err)
		}
	}
	return nil
}

// EncodeVariants is the stored form of a photo's variants: a JSON array,
// "" for none.
func EncodeVariants(vs []jarchy.MediaVariant) string {
	if len(vs) == 0 {
		return ""
	}
	b, _ := json.Marshal(vs) // ints and strings: cannot fail
	return string(b)
}

// EncodeOG is the stored form of a photo's Open Graph crop: JSON, "" for none.
func EncodeOG(v *jarchy.MediaVariant) string {
	if v == nil {
		return ""
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// DecodeMediaVariants reads what EncodeVariants and EncodeOG wrote.
func DecodeMediaVariants(variants, og string) ([]jarchy.MediaVariant, *jarchy.MediaVariant, error) {
	var vs []jarchy.MediaVariant
	if variants != "" {
		if err := json.Unmarshal([]byte(variants), &vs); err != nil {
			return nil, nil, fmt.Errorf("media variants: %w", err)
		}
	}
	var o *jarchy.MediaVariant
	if og != "" {
		o = new(jarchy.MediaVariant)
		if err := json.Unmarshal([]byte(og), o); err != nil {
			return nil, nil, fmt.Errorf("media og crop: %w", err)
		}
	}
	return vs, o, nil
}

// PrepareMedia returns a copy of m normalised and validated for a save.
func PrepareMedia(m *jarchy.Media) (jarchy.Media, error) {
	if m == nil {
		return jarchy.Media{}, jarchy.Invalid("media", "err.required", "no media given")
	}
	in := *m
	in.Normalize()
	if err := in.Validate(); err != nil {
		return jarchy.Media{}, err
	}
	return in, nil
}
