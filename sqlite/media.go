package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// mediaColumns is a media row as scanMedia reads it; m is media.
const mediaColumns = "m.key, m.url, m.type, m.width, m.height, m.caption, m.credit, m.alt, m.variants, m.og, m.uploader, m.created_at, m.updated_at"

// mediaRow scans mediaColumns, also from a LEFT JOIN that found none.
type mediaRow struct {
	key, url, typ, caption, credit, alt, variants, og sql.NullString
	width, height, uploader, created, updated         sql.NullInt64
}

func (r *mediaRow) dest() []any {
	return []any{&r.key, &r.url, &r.typ, &r.width, &r.height, &r.caption, &r.credit, &r.alt, &r.variants, &r.og,
		&r.uploader, &r.created, &r.updated}
}

// media returns the row, or nil when the join found none.
func (r *mediaRow) media() (*jarchy.Media, error) {
	if !r.key.Valid {
		return nil, nil
	}
	vs, og, err := storeutil.DecodeMediaVariants(r.variants.String, r.og.String)
	if err != nil {
		return nil, err
	}
	return &jarchy.Media{Key: r.key.String, URL: r.url.String, Type: r.typ.String, Width: int(r.width.Int64),
		Height: int(r.height.Int64), Caption: r.caption.String, Credit: r.credit.String, Alt: r.alt.String,
		Variants: vs, OG: og, Uploader: r.uploader.Int64, CreatedAt: fromDB(r.created), UpdatedAt: fromDB(r.updated)}, nil
}

func scanMedia(row interface{ Scan(...any) error }) (*jarchy.Media, error) {
	var r mediaRow
	if err := row.Scan(r.dest()...); err != nil {
		return nil, err
	}
	return r.media()
}

func nullID(id int64) any {
	if id == 0 {
		return nil
	}
	return id
}

// linkCover makes a's cover a stored photo inside tx: the photo Cover.Key
// is created from Cover's fields when the library has none, and a.Cover
// becomes the stored row (an existing photo keeps its texts). Then the
// domain's rule: no publication while the cover has no alt text.
func linkCover(ctx context.Context, tx *qtx, a *jarchy.Article, oldStatus jarchy.Status, oldCover string, now time.Time) error {
	c := a.Cover
	if c == nil {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO media (key, url, type, width, height, caption, credit, alt, search_text, variants, og,
		uploader, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
		c.Key, c.URL, c.Type, c.Width, c.Height, c.Caption, c.Credit, c.Alt, jarchy.MediaSearchText(c),
		storeutil.EncodeVariants(c.Variants), storeutil.EncodeOG(c.OG), nullID(c.Uploader), toDB(now), toDB(now))
	if err != nil {
		return err
	}
	m, err := scanMedia(tx.QueryRowContext(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = ?", c.Key))
	if err != nil {
		return err
	}
	a.Cover = m
	return jarchy.CheckCoverAlt(a, oldStatus, oldCover)
}

// SaveMedia creates or replaces the photo m.Key (see jarchy.MediaStore).
func (db *DB) SaveMedia(ctx context.Context, m *jarchy.Media) error {
	in, err := storeutil.PrepareMedia(m)
	if err != nil {
		return err
	}
	now := db.now()
	err = db.write(ctx, "save media "+in.Key, func(tx *qtx) (jarchy.Change, error) {
		var created sql.NullInt64
		var uploader sql.NullInt64
		err := tx.QueryRowContext(ctx, `INSERT INTO media (key, url, type, width, height, caption, credit, alt, search_text, variants, og,
			uploader, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (key) DO UPDATE SET url = excluded.url, type = excluded.type, width = excluded.width, height = excluded.height,
			caption = excluded.caption, credit = excluded.credit, alt = excluded.alt, search_text = excluded.search_text,
			variants = excluded.variants, og = excluded.og, updated_at = excluded.updated_at
			RETURNING created_at, uploader`,
			in.Key, in.URL, in.Type, in.Width, in.Height, in.Caption, in.Credit, in.Alt, jarchy.MediaSearchText(&in),
			storeutil.EncodeVariants(in.Variants), storeutil.EncodeOG(in.OG), nullID(in.Uploader), toDB(now), toDB(now)).
			Scan(&created, &uploader)
		if err != nil {
			return jarchy.Change{}, err
		}
		in.CreatedAt, in.UpdatedAt, in.Uploader = fromDB(created), now, uploader.Int64
		return jarchy.MediaChange(in.Key), nil
	})
	if err != nil {
		return err
	}
	*m = in
	return nil
}

// Media returns the photo with this key.
func (db *DB) Media(ctx context.Context, key string) (*jarchy.Media, error) {
	m, err := scanMedia(db.queryRow(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = ?", key))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("media %q not found", key)
	}
	return m, wrapErr("media", err)
}

// ListMedia returns one page of the library, newest first.
func (db *DB) ListMedia(ctx context.Context, f jarchy.MediaFilter) ([]*jarchy.Media, int, error) {
	if err := jarchy.CheckMediaFilter(&f); err != nil {
		return nil, 0, err
	}
	var out []*jarchy.Media
	var total int
	err := db.read(ctx, "list media", func(tx *qtx) error {
		const where = " FROM media m WHERE (?1 = '' OR instr(m.search_text, ?1) > 0)"
		if err := tx.QueryRowContext(ctx, "SELECT count(*)"+where, f.Query).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+mediaColumns+where+" ORDER BY m.created_at DESC, m.key LIMIT ?2 OFFSET ?3",
			f.Query, f.Limit, f.Offset)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMedia(rows)
			if err != nil {
				return err
			}
			out = append(out, m)
		}
		return rows.Err()
	})
	if err != nil {
		return nil, 0, err
	}
	return out, total, nil
}

// UpdateMediaText sets a stored photo's caption, credit and alt text.
func (db *DB) UpdateMediaText(ctx context.Context, key string, t jarchy.MediaText) (*jarchy.Media, error) {
	now := db.now()
	var out *jarchy.Media
	err := db.write(ctx, "update media "+key, func(tx *qtx) (jarchy.Change, error) {
		m, err := scanMedia(tx.QueryRowContext(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = ?", key))
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("media %q not found", key)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		m.Caption, m.Credit, m.Alt = t.Caption, t.Credit, t.Alt
		in, err := storeutil.PrepareMedia(m)
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE media SET caption = ?, credit = ?, alt = ?, search_text = ?, updated_at = ? WHERE key = ?",
			in.Caption, in.Credit, in.Alt, jarchy.MediaSearchText(&in), toDB(now), key); err != nil {
			return jarchy.Change{}, err
		}
		in.UpdatedAt = now
		out = &in
		return jarchy.MediaChange(key), nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// MediaUses lists the articles whose cover is the photo.
func (db *DB) MediaUses(ctx context.Context, key string) ([]jarchy.MediaUse, error) {
	var uses []jarchy.MediaUse
	err := db.read(ctx, "media uses", func(tx *qtx) error {
		var err error
		uses, err = mediaUses(ctx, tx, key)
		return err
	})
	return uses, err
}

func mediaUses(ctx context.Context, tx *qtx, key string) ([]jarchy.MediaUse, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, lang, title, status FROM articles WHERE cover_key = ? ORDER BY id", key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var uses []jarchy.MediaUse
	for rows.Next() {
		var u jarchy.MediaUse
		if err := rows.Scan(&u.ArticleID, &u.Lang, &u.Title, &u.Status); err != nil {
			return nil, err
		}
		uses = append(uses, u)
	}
	return uses, rows.Err()
}

// DeleteMedia removes a photo no article shows.
func (db *DB) DeleteMedia(ctx context.Context, key string) error {
	return db.write(ctx, "delete media "+key, func(tx *qtx) (jarchy.Change, error) {
		uses, err := mediaUses(ctx, tx, key)
		if err != nil {
			return jarchy.Change{}, err
		}
		if len(uses) > 0 {
			return jarchy.Change{}, &jarchy.MediaInUseError{Key: key, Uses: uses}
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM media WHERE key = ?", key)
		if err != nil {
			return jarchy.Change{}, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return jarchy.Change{}, err
		} else if n == 0 {
			return jarchy.Change{}, notFound("media %q not found", key)
		}
		return jarchy.MediaChange(key), nil
	})
}

// MediaBlobs calls fn with every blob key the library names.
func (db *DB) MediaBlobs(ctx context.Context, fn func(key string) error) error {
	return db.read(ctx, "media blobs", func(tx *qtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+mediaColumns+" FROM media m ORDER BY m.key")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			m, err := scanMedia(rows)
			if err != nil {
				return err
			}
			for _, k := range m.Blobs() {
				if err := fn(k); err != nil {
					return err
				}
			}
		}
		return rows.Err()
	})
}
