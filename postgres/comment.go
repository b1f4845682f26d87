package postgres

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Comments. Each post is one transaction, durable at commit (PostgreSQL
// groups the WAL flushes of concurrent commits itself); write's generation
// bump serialises it with every other write, so the duplicate check holds.

const commentColumns = "id, article_id, parent_id, name, email_hash, text, status, edited_at, created_at, ip, reports, COALESCE(external_id, '')"

// PostComment stores a reader's new comment (see jarchy.CommentStore).
func (db *DB) PostComment(ctx context.Context, c *jarchy.Comment) error {
	c.Status = jarchy.CommentPending // the store decides
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	saved := *c
	now := db.now()
	err := db.write(ctx, "post comment", func(tx pgx.Tx) (jarchy.Change, error) {
		s, secret, err := commentState(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		bans, err := scanBans(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		textHash, err := storeutil.PrepareComment(c, s, secret, bans, now, storeutil.CommentLookups{
			Article: func(id int64) (bool, time.Time, jarchy.CommentMode, error) {
				var status, mode string
				var pub *time.Time
				err := tx.QueryRow(ctx, `SELECT a.status, a.published_at, COALESCE(m.mode, '')
					FROM articles a LEFT JOIN comment_modes m ON m.article_id = a.id WHERE a.id = $1`, id).Scan(&status, &pub, &mode)
				if errors.Is(err, pgx.ErrNoRows) {
					return false, time.Time{}, "", nil
				}
				published := fromDB(pub)
				public := (&jarchy.Article{Status: jarchy.Status(status), PublishedAt: published}).IsPublic(now)
				return public, published, jarchy.CommentMode(mode), err
			},
			Parent: func(id int64) (int64, jarchy.CommentStatus, bool, error) {
				var art int64
				var st string
				err := tx.QueryRow(ctx, "SELECT article_id, status FROM comments WHERE id = $1", id).Scan(&art, &st)
				if errors.Is(err, pgx.ErrNoRows) {
					return 0, "", false, nil
				}
				return art, jarchy.CommentStatus(st), err == nil, err
			},
			Duplicate: func(articleID int64, hash string) (bool, error) {
				return exists(ctx, tx, "SELECT 1 FROM comments WHERE article_id = $1 AND text_hash = $2 AND status <> 'deleted' LIMIT 1", articleID, hash)
			},
			Approved: func(emailHash string) (bool, error) {
				return exists(ctx, tx, "SELECT 1 FROM comments WHERE email_hash = $1 AND status = 'approved' LIMIT 1", emailHash)
			},
		})
		if err != nil {
			return jarchy.Change{}, err
		}
		err = tx.QueryRow(ctx, `INSERT INTO comments (article_id, parent_id, name, email_hash, text, text_hash, status, created_at, ip)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			c.ArticleID, c.ParentID, c.Name, c.EmailHash, c.Text, textHash, string(c.Status), now, c.IP).Scan(&c.ID)
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.CommentChange(nil, c), nil
	})
	if err != nil {
		*c = saved
		return err
	}
	return nil
}

func exists(ctx context.Context, q querier, query string, args ...any) (bool, error) {
	var one int
	err := q.QueryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, pgx.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// commentState reads the comment settings and the email-hash secret
// inside a write, making the secret at first use.
func commentState(ctx context.Context, tx pgx.Tx) (jarchy.CommentSettings, []byte, error) {
	var secretHex, raw string
	if err := tx.QueryRow(ctx, "SELECT secret, settings FROM comment_state WHERE id = 1").Scan(&secretHex, &raw); err != nil {
		return jarchy.CommentSettings{}, nil, fmt.Errorf("read comment state: %w", err)
	}
	if secretHex == "" {
		// Two nodes making it at once: the conditional update keeps the first.
		fresh := hex.EncodeToString(storeutil.RandomBytes(32))
		if err := tx.QueryRow(ctx, `UPDATE comment_state SET secret = CASE WHEN secret = '' THEN $1 ELSE secret END
			WHERE id = 1 RETURNING secret`, fresh).Scan(&secretHex); err != nil {
			return jarchy.CommentSettings{}, nil, fmt.Errorf("store the comment secret: %w", err)
		}
	}
	secret, err := hex.DecodeString(secretHex)
	if err != nil {
		return jarchy.CommentSettings{}, nil, fmt.Errorf("the stored comment secret is not hex: %w", err)
	}
	s, err := storeutil.CommentSettingsOf([]byte(raw))
	if err != nil {
		return s, nil, fmt.Errorf("the stored comment settings are not valid JSON: %w", err)
	}
	return s, secret, nil
}

func scanComments(rows pgx.Rows) ([]*jarchy.Comment, error) {
	defer rows.Close()
	var out []*jarchy.Comment
	for rows.Next() {
		c, err := scanComment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

func scanComment(row pgx.Row) (*jarchy.Comment, error) {
	var c jarchy.Comment
	var status string
	var edited, created *time.Time
	if err := row.Scan(&c.ID, &c.ArticleID, &c.ParentID, &c.Name, &c.EmailHash, &c.Text, &status, &edited, &created, &c.IP, &c.Reports, &c.ExternalID); err != nil {
		return nil, err
	}
	c.Status = jarchy.CommentStatus(status)
	c.EditedAt, c.CreatedAt = fromDB(edited), fromDB(created)
	c.Edited = !c.EditedAt.IsZero()
	return &c, nil
}

// Comment returns a comment by ID.
func (db *DB) Comment(ctx context.Context, id int64) (*jarchy.Comment, error) {
	c, err := scanComment(db.pool.QueryRow(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("comment %d", id)
	}
	return c, wrapErr("comment", err)
}

// ArticleComments returns an article's approved comments, oldest first.
func (db *DB) ArticleComments(ctx context.Context, articleID int64) ([]*jarchy.Comment, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE article_id = $1 AND status = 'approved' ORDER BY id", articleID)
	if err != nil {
		return nil, wrapErr("article comments", err)
	}
	cs, err := scanComments(rows)
	return cs, wrapErr("article comments", err)
}

// RecentComments returns the site's newest approved comments.
func (db *DB) RecentComments(ctx context.Context, limit int) ([]*jarchy.Comment, error) {
	if limit < 1 || limit > 100 {
		return nil, jarchy.Invalid("limit", "err.limit", "limit: want 1 to 100, got %d", limit)
	}
	rows, err := db.pool.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE status = 'approved' ORDER BY id DESC LIMIT $1", limit)
	if err != nil {
		return nil, wrapErr("recent comments", err)
	}
	cs, err := scanComments(rows)
	return cs, wrapErr("recent comments", err)
}

// Comments lists comments for moderation, newest first.
func (db *DB) Comments(ctx context.Context, f jarchy.CommentFilter) (jarchy.CommentList, error) {
	limit, offset, err := storeutil.CommentPage(f)
	if err != nil {
		return jarchy.CommentList{}, err
	}
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.ArticleID != 0 {
		where = append(where, "article_id = "+arg(f.ArticleID))
	}
	if f.Status != "" {
		where = append(where, "status = "+arg(string(f.Status)))
	} else {
		where = append(where, "status <> 'deleted'")
	}
	if f.Reported {
		where = append(where, "reports > 0")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var list jarchy.CommentList
	err = db.read(ctx, "comments", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM comments"+cond, args...).Scan(&list.Total); err != nil {
			return err
		}
		n := len(args)
		rows, err := tx.Query(ctx, "SELECT "+commentColumns+" FROM comments"+cond+" ORDER BY id DESC LIMIT $"+strconv.Itoa(n+1)+" OFFSET $"+strconv.Itoa(n+2),
			append(args, limit, offset)...)
		if err != nil {
			return err
		}
		list.Comments, err = scanComments(rows)
		return err
	})
	return list, err
}

// CommentCounts returns the approved comments of each article.
func (db *DB) CommentCounts(ctx context.Context, articleIDs []int64) (map[int64]int, error) {
	out := map[int64]int{}
	if len(articleIDs) == 0 {
		return out, nil
	}
	rows, err := db.pool.Query(ctx, `SELECT article_id, COUNT(*) FROM comments
		WHERE status = 'approved' AND article_id = ANY($1) GROUP BY article_id`, articleIDs)
	if err != nil {
		return nil, wrapErr("comment counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id, n int64
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrapErr("comment counts", err)
		}
		out[id] = int(n)
	}
	return out, wrapErr("comment counts", rows.Err())
}

// CommentStatusCounts counts comments by status, and the reported ones.
func (db *DB) CommentStatusCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := db.read(ctx, "comment status counts", func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, "SELECT status, COUNT(*) FROM comments GROUP BY status")
		if err != nil {
			return err
		}
		for rows.Next() {
			var s string
			var n int64
			if err := rows.Scan(&s, &n); err != nil {
				rows.Close()
				return err
			}
			out[s] = int(n)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		var n int64
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM comments WHERE reports > 0 AND status <> 'deleted'").Scan(&n); err != nil {
			return err
		}
		out["reported"] = int(n)
		return nil
	})
	return out, err
}

// ModerateComments moves comments to a status, all or none.
func (db *DB) ModerateComments(ctx context.Context, role jarchy.Role, ids []int64, to jarchy.CommentStatus) error {
	if !to.Valid() {
		return jarchy.Invalid("status", "err.comment_status", "unknown comment status %q", to)
	}
	return db.write(ctx, "moderate comments", func(tx pgx.Tx) (jarchy.Change, error) {
		// one read and one update for the whole selection (a queue page)
		rows, err := tx.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = ANY($1) ORDER BY id FOR UPDATE", ids)
		if err != nil {
			return jarchy.Change{}, err
		}
		list, err := scanComments(rows)
		if err != nil {
			return jarchy.Change{}, err
		}
		changed, ch, missing, err := storeutil.ModerationPlan(role, ids, storeutil.CommentsByID(list), to)
		switch {
		case err != nil:
			return jarchy.Change{}, err
		case missing != 0:
			return jarchy.Change{}, notFound("comment %d", missing)
		case len(changed) == 0:
			return ch, nil
		}
		if _, err := tx.Exec(ctx, "UPDATE comments SET status = $1, reports = CASE WHEN $1 = 'approved' THEN 0 ELSE reports END WHERE id = ANY($2)", string(to), changed); err != nil {
			return jarchy.Change{}, err
		}
		return ch, nil
	})
}

// EditComment replaces a comment's name and text as a moderator's edit.
func (db *DB) EditComment(ctx context.Context, id int64, name, text string) error {
	now := db.now()
	return db.write(ctx, "edit comment", func(tx pgx.Tx) (jarchy.Change, error) {
		old, err := scanComment(tx.QueryRow(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = $1 FOR UPDATE", id))
		if errors.Is(err, pgx.ErrNoRows) {
			return jarchy.Change{}, notFound("comment %d", id)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		nw, err := storeutil.EditedComment(old, name, text, now)
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.Exec(ctx, "UPDATE comments SET name = $1, text = $2, text_hash = $3, edited_at = $4 WHERE id = $5",
			nw.Name, nw.Text, jarchy.CommentTextHash(nw.Text), now, id); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.CommentChange(old, nw), nil
	})
}

// ReportComment counts a reader's report of an approved comment.
func (db *DB) ReportComment(ctx context.Context, id int64) error {
	return db.write(ctx, "report comment", func(tx pgx.Tx) (jarchy.Change, error) {
		tag, err := tx.Exec(ctx, "UPDATE comments SET reports = reports + 1 WHERE id = $1 AND status = 'approved'", id)
		if err != nil {
			return jarchy.Change{}, err
		}
		if tag.RowsAffected() == 0 {
			return jarchy.Change{}, notFound("no published comment %d", id)
		}
		return jarchy.Change{}, nil
	})
}

// CommentSettings returns the site's comment settings.
func (db *DB) CommentSettings(ctx context.Context) (jarchy.CommentSettings, error) {
	var raw string
	if err := db.pool.QueryRow(ctx, "SELECT settings FROM comment_state WHERE id = 1").Scan(&raw); err != nil {
		return jarchy.CommentSettings{}, wrapErr("comment settings", err)
	}
	s, err := storeutil.CommentSettingsOf([]byte(raw))
	if err != nil {
		return s, fmt.Errorf("postgres: comment settings: %w", err)
	}
	return s, nil
}

// SaveCommentSettings replaces the site's comment settings.
func (db *DB) SaveCommentSettings(ctx context.Context, s jarchy.CommentSettings) error {
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return err
	}
	raw, err := json.Marshal(s)
	if err != nil {
		return fmt.Errorf("postgres: save comment settings: %w", err)
	}
	return db.write(ctx, "save comment settings", func(tx pgx.Tx) (jarchy.Change, error) {
		_, err := tx.Exec(ctx, "UPDATE comment_state SET settings = $1 WHERE id = 1", string(raw))
		return jarchy.CommentSettingsChange(), err
	})
}

// ArticleCommentMode returns an article's own comment mode.
func (db *DB) ArticleCommentMode(ctx context.Context, articleID int64) (jarchy.CommentMode, error) {
	var m string
	err := db.pool.QueryRow(ctx, "SELECT mode FROM comment_modes WHERE article_id = $1", articleID).Scan(&m)
	if errors.Is(err, pgx.ErrNoRows) {
		return jarchy.CommentModeDefault, nil
	}
	return jarchy.CommentMode(m), wrapErr("article comment mode", err)
}

// SetArticleCommentMode sets an article's own comment mode.
func (db *DB) SetArticleCommentMode(ctx context.Context, articleID int64, m jarchy.CommentMode) error {
	if !m.Valid() {
		return jarchy.Invalid("mode", "err.comment_mode", "unknown comment mode %q", m)
	}
	return db.write(ctx, "set article comment mode", func(tx pgx.Tx) (jarchy.Change, error) {
		found, err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = $1", articleID)
		if err != nil {
			return jarchy.Change{}, err
		}
		if !found {
			return jarchy.Change{}, notFound("article %d", articleID)
		}
		if m == jarchy.CommentModeDefault {
			_, err = tx.Exec(ctx, "DELETE FROM comment_modes WHERE article_id = $1", articleID)
		} else {
			_, err = tx.Exec(ctx, `INSERT INTO comment_modes (article_id, mode) VALUES ($1, $2)
				ON CONFLICT (article_id) DO UPDATE SET mode = excluded.mode`, articleID, string(m))
		}
		return jarchy.CommentModeChange(articleID), err
	})
}

// AddCommentBan stores a ban.
func (db *DB) AddCommentBan(ctx context.Context, b *jarchy.CommentBan) error {
	b.Normalize()
	if err := b.Validate(); err != nil {
		return err
	}
	now := db.now()
	return db.write(ctx, "add comment ban", func(tx pgx.Tx) (jarchy.Change, error) {
		if b.Email != "" {
			_, secret, err := commentState(ctx, tx)
			if err != nil {
				return jarchy.Change{}, err
			}
			b.EmailHash, b.Email = jarchy.CommentEmailHash(secret, b.Email), ""
		}
		b.CreatedAt = now
		return jarchy.Change{}, tx.QueryRow(ctx, "INSERT INTO comment_bans (email_hash, ip_range, reason, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
			b.EmailHash, b.IPRange, b.Reason, now).Scan(&b.ID)
	})
}

// CommentBans lists the bans, newest first.
func (db *DB) CommentBans(ctx context.Context) ([]*jarchy.CommentBan, error) {
	bans, err := scanBans(ctx, db.pool)
	return bans, wrapErr("comment bans", err)
}

func scanBans(ctx context.Context, q querier) ([]*jarchy.CommentBan, error) {
	rows, err := q.Query(ctx, "SELECT id, email_hash, ip_range, reason, created_at FROM comment_bans ORDER BY id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bans []*jarchy.CommentBan
	for rows.Next() {
		var b jarchy.CommentBan
		var created *time.Time
		if err := rows.Scan(&b.ID, &b.EmailHash, &b.IPRange, &b.Reason, &created); err != nil {
			return nil, err
		}
		b.CreatedAt = fromDB(created)
		bans = append(bans, &b)
	}
	return bans, rows.Err()
}

// DeleteCommentBan lifts a ban.
func (db *DB) DeleteCommentBan(ctx context.Context, id int64) error {
	return db.write(ctx, "delete comment ban", func(tx pgx.Tx) (jarchy.Change, error) {
		_, err := tx.Exec(ctx, "DELETE FROM comment_bans WHERE id = $1", id)
		return jarchy.Change{}, err
	})
}

// EraseCommentIPs blanks the IPs of comments created before before.
func (db *DB) EraseCommentIPs(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "erase comment IPs", func(tx pgx.Tx) (jarchy.Change, error) {
		tag, err := tx.Exec(ctx, "UPDATE comments SET ip = '' WHERE ip <> '' AND created_at < $1", before)
		if err != nil {
			return jarchy.Change{}, err
		}
		if n = tag.RowsAffected(); n == 0 {
			return jarchy.Change{}, errNothingWritten
		}
		return jarchy.Change{}, nil
	})
	return int(n), err
}

// ExportComments calls fn with every comment, IDs ascending, in pages.
func (db *DB) ExportComments(ctx context.Context, fn func(*jarchy.Comment) error) error {
	var after int64
	for {
		rows, err := db.pool.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE id > $1 ORDER BY id LIMIT 500", after)
		if err != nil {
			return wrapErr("export comments", err)
		}
		cs, err := scanComments(rows)
		if err != nil {
			return wrapErr("export comments", err)
		}
		for _, c := range cs {
			if err := fn(c); err != nil {
				return err
			}
			after = c.ID
		}
		if len(cs) < 500 {
			return nil
		}
	}
}

// ImportComment stores a comment as given, once per ExternalID.
func (db *DB) ImportComment(ctx context.Context, c *jarchy.Comment) (bool, error) {
	edited, err := storeutil.PrepareImportedComment(c, db.now())
	if err != nil {
		return false, err
	}
	created := false
	err = db.write(ctx, "import comment", func(tx pgx.Tx) (jarchy.Change, error) {
		if found, err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = $1", c.ArticleID); err != nil {
			return jarchy.Change{}, err
		} else if !found {
			return jarchy.Change{}, notFound("article %d", c.ArticleID)
		}
		if c.ExternalID != "" {
			var id int64
			err := tx.QueryRow(ctx, "SELECT id FROM comments WHERE external_id = $1", c.ExternalID).Scan(&id)
			if err == nil {
				c.ID = id
				return jarchy.Change{}, errNothingWritten
			} else if !errors.Is(err, pgx.ErrNoRows) {
				return jarchy.Change{}, err
			}
		}
		if c.Email != "" {
			_, secret, err := commentState(ctx, tx)
			if err != nil {
				return jarchy.Change{}, err
			}
			c.EmailHash, c.Email = jarchy.CommentEmailHash(secret, c.Email), ""
		}
		var ext any
		if c.ExternalID != "" {
			ext = c.ExternalID
		}
		err := tx.QueryRow(ctx, `INSERT INTO comments (article_id, parent_id, name, email_hash, text, text_hash, status, edited_at, created_at, ip, reports, external_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			c.ArticleID, c.ParentID, c.Name, c.EmailHash, c.Text, jarchy.CommentTextHash(c.Text), string(c.Status),
			toDB(edited), c.CreatedAt, c.IP, max(c.Reports, 0), ext).Scan(&c.ID)
		if err != nil {
			return jarchy.Change{}, err
		}
		created = true
		return jarchy.CommentChange(nil, c), nil
	})
	return created, err
}

// CommentKey returns a key derived from the comment secret.
func (db *DB) CommentKey(ctx context.Context, purpose string) ([]byte, error) {
	var secretHex string
	if err := db.pool.QueryRow(ctx, "SELECT secret FROM comment_state WHERE id = 1").Scan(&secretHex); err != nil {
		return nil, wrapErr("comment key", err)
	}
	if secretHex == "" { // first use: make it
		err := db.write(ctx, "comment key", func(tx pgx.Tx) (jarchy.Change, error) {
			_, secret, err := commentState(ctx, tx)
			secretHex = hex.EncodeToString(secret)
			return jarchy.Change{}, err
		})
		if err != nil {
			return nil, err
		}
	}
	secret, err := hex.DecodeString(secretHex)
	if err != nil {
		return nil, fmt.Errorf("postgres: the stored comment secret is not hex: %w", err)
	}
	return jarchy.DeriveCommentKey(secret, purpose), nil
}
