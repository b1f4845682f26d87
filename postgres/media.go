package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// mediaColumns is a media row as scanMedia reads it; m is media.
const mediaColumns = "m.key, m.url, m.type, m.width, m.height, m.caption, m.credit, m.alt, m.variants, m.og, m.uploader, m.created_at, m.updated_at"

// mediaRow scans mediaColumns, also from a LEFT JOIN that found none.
type mediaRow struct {
	key, url, typ, caption, credit, alt, variants, og *string
	width, height                                     *int32
	uploader                                          *int64
	created, updated                                  *time.Time
}

func (r *mediaRow) dest() []any {
	return []any{&r.key, &r.url, &r.typ, &r.width, &r.height, &r.caption, &r.credit, &r.alt, &r.variants, &r.og,
		&r.uploader, &r.created, &r.updated}
}

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// media returns the row, or nil when the join found none.
func (r *mediaRow) media() (*jarchy.Media, error) {
	if r.key == nil {
		return nil, nil
	}
	vs, og, err := storeutil.DecodeMediaVariants(str(r.variants), str(r.og))
	if err != nil {
		return nil, err
	}
	m := &jarchy.Media{Key: *r.key, URL: str(r.url), Type: str(r.typ), Caption: str(r.caption), Credit: str(r.credit),
		Alt: str(r.alt), Variants: vs, OG: og, CreatedAt: fromDB(r.created), UpdatedAt: fromDB(r.updated)}
	if r.width != nil {
		m.Width, m.Height = int(*r.width), int(*r.height)
	}
	if r.uploader != nil {
		m.Uploader = *r.uploader
	}
	return m, nil
}

func scanMedia(row pgx.Row) (*jarchy.Media, error) {
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
func linkCover(ctx context.Context, tx pgx.Tx, a *jarchy.Article, oldStatus jarchy.Status, oldCover string, now time.Time) error {
	c := a.Cover
	if c == nil {
		return nil
	}
	_, err := tx.Exec(ctx, `INSERT INTO media (key, url, type, width, height, caption, credit, alt, search_text, variants, og,
		uploader, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13) ON CONFLICT (key) DO NOTHING`,
		c.Key, c.URL, c.Type, c.Width, c.Height, c.Caption, c.Credit, c.Alt, jarchy.MediaSearchText(c),
		storeutil.EncodeVariants(c.Variants), storeutil.EncodeOG(c.OG), nullID(c.Uploader), now)
	if err != nil {
		return err
	}
	// FOR SHARE: a concurrent DeleteMedia waits for this transaction.
	m, err := scanMedia(tx.QueryRow(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = $1 FOR SHARE", c.Key))
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
	err = db.write(ctx, "save media "+in.Key, func(tx pgx.Tx) (jarchy.Change, error) {
		var created time.Time
		var uploader *int64
		err := tx.QueryRow(ctx, `INSERT INTO media (key, url, type, width, height, caption, credit, alt, search_text, variants, og,
			uploader, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13)
			ON CONFLICT (key) DO UPDATE SET url = excluded.url, type = excluded.type, width = excluded.width, height = excluded.height,
			caption = excluded.caption, credit = excluded.credit, alt = excluded.alt, search_text = excluded.search_text,
			variants = excluded.variants, og = excluded.og, updated_at = excluded.updated_at
			RETURNING created_at, uploader`,
			in.Key, in.URL, in.Type, in.Width, in.Height, in.Caption, in.Credit, in.Alt, jarchy.MediaSearchText(&in),
			storeutil.EncodeVariants(in.Variants), storeutil.EncodeOG(in.OG), nullID(in.Uploader), now).Scan(&created, &uploader)
		if err != nil {
			return jarchy.Change{}, err
		}
		in.CreatedAt, in.UpdatedAt, in.Uploader = created.UTC(), now, 0
		if uploader != nil {
			in.Uploader = *uploader
		}
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
	m, err := scanMedia(db.pool.QueryRow(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = $1", key))
	if errors.Is(err, pgx.ErrNoRows) {
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
	err := db.read(ctx, "list media", func(tx pgx.Tx) error {
		const where = " FROM media m WHERE ($1 = '' OR strpos(m.search_text, $1) > 0)"
		if err := tx.QueryRow(ctx, "SELECT count(*)"+where, f.Query).Scan(&total); err != nil {
			return err
		}
		rows, err := tx.Query(ctx, "SELECT "+mediaColumns+where+" ORDER BY m.created_at DESC, m.key LIMIT $2 OFFSET $3",
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
	err := db.write(ctx, "update media "+key, func(tx pgx.Tx) (jarchy.Change, error) {
		m, err := scanMedia(tx.QueryRow(ctx, "SELECT "+mediaColumns+" FROM media m WHERE m.key = $1 FOR UPDATE", key))
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("media %q not found", key)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		m.Caption, m.Credit, m.Alt = t.Caption, t.Credit, t.Alt
		in, err := storeutil.PrepareMedia(m)
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.Exec(ctx, "UPDATE media SET caption = $1, credit = $2, alt = $3, search_text = $4, updated_at = $5 WHERE key = $6",
			in.Caption, in.Credit, in.Alt, jarchy.MediaSearchText(&in), now, key); err != nil {
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
	uses, err := mediaUses(ctx, db.pool, key)
	return uses, wrapErr("media uses", err)
}

func mediaUses(ctx context.Context, q querier, key string) ([]jarchy.MediaUse, error) {
	rows, err := q.Query(ctx, "SELECT id, lang, title, status FROM articles WHERE cover_key = $1 ORDER BY id", key)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var uses []jarchy.MediaUse
	for rows.Next() {
		var u jarchy.MediaUse
		var lang, status string
		if err := rows.Scan(&u.ArticleID, &lang, &u.Title, &status); err != nil {
			return nil, err
		}
		u.Lang, u.Status = jarchy.Lang(lang), jarchy.Status(status)
		uses = append(uses, u)
	}
	return uses, rows.Err()
}

// DeleteMedia removes a photo no article shows. The row is locked first,
// so an article save linking it (FOR SHARE) and this delete go one after
// the other; the foreign key holds either way.
func (db *DB) DeleteMedia(ctx context.Context, key string) error {
	return db.write(ctx, "delete media "+key, func(tx pgx.Tx) (jarchy.Change, error) {
		var k string
		err := tx.QueryRow(ctx, "SELECT key FROM media WHERE key = $1 FOR UPDATE", key).Scan(&k)
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("media %q not found", key)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		uses, err := mediaUses(ctx, tx, key)
		if err != nil {
			return jarchy.Change{}, err
		}
		if len(uses) > 0 {
			return jarchy.Change{}, &jarchy.MediaInUseError{Key: key, Uses: uses}
		}
		if _, err := tx.Exec(ctx, "DELETE FROM media WHERE key = $1", key); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.MediaChange(key), nil
	})
}

// MediaBlobs calls fn with every blob key the library names.
func (db *DB) MediaBlobs(ctx context.Context, fn func(key string) error) error {
	return db.read(ctx, "media blobs", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT "+mediaColumns+" FROM media m ORDER BY m.key")
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
