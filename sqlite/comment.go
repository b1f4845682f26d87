package sqlite

import (
	"context"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Comments. Posting goes through a group commit (commentBatcher): posts
// that arrive while a batch commits wait and are written together in the
// next transaction, each inside its own savepoint, so a refused comment
// leaves the others in; every poster returns only after the commit that
// holds its comment (synchronous=FULL: on disk), so an acknowledged
// comment is durable, and one fsync serves the whole batch.

const commentColumns = "id, article_id, parent_id, name, email_hash, text, status, edited_at, created_at, ip, reports, COALESCE(external_id, '')"

// maxCommentBatch bounds the posts one transaction writes.
const maxCommentBatch = 256

type postReq struct {
	c    *jarchy.Comment
	err  error
	done chan struct{}
}

// commentBatcher gathers concurrent posts: the first poster to find no
// batch running writes batches until none is waiting.
type commentBatcher struct {
	mu      sync.Mutex
	pending []*postReq
	running bool
}

// PostComment stores a reader's new comment (see jarchy.CommentStore).
func (db *DB) PostComment(ctx context.Context, c *jarchy.Comment) error {
	c.Status = jarchy.CommentPending // the store decides
	c.Normalize()
	if err := c.Validate(); err != nil {
		return err
	}
	req := &postReq{c: c, done: make(chan struct{})}
	b := &db.commentPosts
	b.mu.Lock()
	b.pending = append(b.pending, req)
	if b.running {
		b.mu.Unlock()
		<-req.done // the running batcher always finishes what it took
		return req.err
	}
	b.running = true
	for len(b.pending) > 0 {
		n := min(len(b.pending), maxCommentBatch)
		batch := b.pending[:n:n]
		b.pending = b.pending[n:]
		b.mu.Unlock()
		db.postBatch(context.WithoutCancel(ctx), batch)
		b.mu.Lock()
	}
	b.running = false
	b.mu.Unlock()
	<-req.done
	return req.err
}

// postBatch writes a batch of posts in one transaction.
func (db *DB) postBatch(ctx context.Context, batch []*postReq) {
	now := db.now()
	saved := make([]jarchy.Comment, len(batch))
	for i, r := range batch {
		saved[i] = *r.c
	}
	err := db.write(ctx, "post comments", func(tx *qtx) (jarchy.Change, error) {
		s, secret, err := db.commentState(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		bans, err := scanBans(ctx, tx)
		if err != nil {
			return jarchy.Change{}, err
		}
		var ch jarchy.Change
		for i, r := range batch {
			*r.c = saved[i]
			r.err = nil
			if _, err := tx.ExecContext(ctx, "SAVEPOINT post"); err != nil {
				return jarchy.Change{}, err
			}
			if err := db.postOne(ctx, tx, r.c, s, secret, bans, now); err != nil {
				r.err = wrapErr("post comment", err)
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO post"); err != nil {
					return jarchy.Change{}, err
				}
			} else {
				ch = ch.Merge(jarchy.CommentChange(nil, r.c))
			}
			if _, err := tx.ExecContext(ctx, "RELEASE post"); err != nil {
				return jarchy.Change{}, err
			}
		}
		return ch, nil
	})
	for i, r := range batch {
		if err != nil {
			*r.c = saved[i]
			r.err = err
		} else if r.err != nil {
			*r.c = saved[i]
		}
		close(r.done)
	}
}

func (db *DB) postOne(ctx context.Context, tx *qtx, c *jarchy.Comment, s jarchy.CommentSettings, secret []byte, bans []*jarchy.CommentBan, now time.Time) error {
	textHash, err := storeutil.PrepareComment(c, s, secret, bans, now, storeutil.CommentLookups{
		Article: func(id int64) (bool, time.Time, jarchy.CommentMode, error) {
			var status string
			var pub sql.NullInt64
			var mode string
			err := tx.QueryRowContext(ctx, `SELECT a.status, a.published_at, COALESCE(m.mode, '')
				FROM articles a LEFT JOIN comment_modes m ON m.article_id = a.id WHERE a.id = ?`, id).Scan(&status, &pub, &mode)
			if errors.Is(err, sql.ErrNoRows) {
				return false, time.Time{}, "", nil
			}
			published := fromDB(pub)
			public := (&jarchy.Article{Status: jarchy.Status(status), PublishedAt: published}).IsPublic(now)
			return public, published, jarchy.CommentMode(mode), err
		},
		Parent: func(id int64) (int64, jarchy.CommentStatus, bool, error) {
			var art int64
			var st string
			err := tx.QueryRowContext(ctx, "SELECT article_id, status FROM comments WHERE id = ?", id).Scan(&art, &st)
			if errors.Is(err, sql.ErrNoRows) {
				return 0, "", false, nil
			}
			return art, jarchy.CommentStatus(st), err == nil, err
		},
		Duplicate: func(articleID int64, hash string) (bool, error) {
			return exists(ctx, tx, "SELECT 1 FROM comments WHERE article_id = ? AND text_hash = ? AND status <> 'deleted' LIMIT 1", articleID, hash)
		},
		Approved: func(emailHash string) (bool, error) {
			return exists(ctx, tx, "SELECT 1 FROM comments WHERE email_hash = ? AND status = 'approved' LIMIT 1", emailHash)
		},
	})
	if err != nil {
		return err
	}
	return tx.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, name, email_hash, text, text_hash, status, created_at, ip)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		c.ArticleID, c.ParentID, c.Name, c.EmailHash, c.Text, textHash, string(c.Status), toDB(now), c.IP).Scan(&c.ID)
}

func exists(ctx context.Context, tx *qtx, query string, args ...any) (bool, error) {
	var one int
	err := tx.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// commentState reads the comment settings and the email-hash secret
// inside a write, making the secret at first use.
func (db *DB) commentState(ctx context.Context, tx *qtx) (jarchy.CommentSettings, []byte, error) {
	var secretHex, raw string
	if err := tx.QueryRowContext(ctx, "SELECT secret, settings FROM comment_state WHERE id = 1").Scan(&secretHex, &raw); err != nil {
		return jarchy.CommentSettings{}, nil, fmt.Errorf("read comment state: %w", err)
	}
	if secretHex == "" {
		secretHex = hex.EncodeToString(storeutil.RandomBytes(32))
		if _, err := tx.ExecContext(ctx, "UPDATE comment_state SET secret = ? WHERE id = 1", secretHex); err != nil {
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

func scanComments(rows *sql.Rows) ([]*jarchy.Comment, error) {
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

func scanComment(row scanner) (*jarchy.Comment, error) {
	var c jarchy.Comment
	var status string
	var edited, created sql.NullInt64
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
	c, err := scanComment(db.queryRow(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("comment %d", id)
	}
	return c, wrapErr("comment", err)
}

// ArticleComments returns an article's approved comments, oldest first.
func (db *DB) ArticleComments(ctx context.Context, articleID int64) ([]*jarchy.Comment, error) {
	rows, err := db.pool().QueryContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE article_id = ? AND status = 'approved' ORDER BY id", articleID)
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
	rows, err := db.pool().QueryContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE status = 'approved' ORDER BY id DESC LIMIT ?", limit)
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
	if f.ArticleID != 0 {
		where, args = append(where, "article_id = ?"), append(args, f.ArticleID)
	}
	if f.Status != "" {
		where, args = append(where, "status = ?"), append(args, string(f.Status))
	} else {
		where = append(where, "status <> 'deleted'")
	}
	if f.Reported {
		where = append(where, "reports > 0")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	var list jarchy.CommentList
	err = db.read(ctx, "comments", func(tx *qtx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM comments"+cond, args...).Scan(&list.Total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, "SELECT "+commentColumns+" FROM comments"+cond+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, limit, offset)...)
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
	ids, err := json.Marshal(articleIDs)
	if err != nil {
		return nil, err
	}
	rows, err := db.pool().QueryContext(ctx, `SELECT article_id, COUNT(*) FROM comments
		WHERE status = 'approved' AND article_id IN (SELECT value FROM json_each(?)) GROUP BY article_id`, string(ids))
	if err != nil {
		return nil, wrapErr("comment counts", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, wrapErr("comment counts", err)
		}
		out[id] = n
	}
	return out, wrapErr("comment counts", rows.Err())
}

// CommentStatusCounts counts comments by status, and the reported ones.
func (db *DB) CommentStatusCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	err := db.read(ctx, "comment status counts", func(tx *qtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT status, COUNT(*) FROM comments GROUP BY status")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var s string
			var n int
			if err := rows.Scan(&s, &n); err != nil {
				return err
			}
			out[s] = n
		}
		if err := rows.Err(); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM comments WHERE reports > 0 AND status <> 'deleted'").Scan(&n); err != nil {
			return err
		}
		out["reported"] = n
		return nil
	})
	return out, err
}

// ModerateComments moves comments to a status, all or none.
func (db *DB) ModerateComments(ctx context.Context, role jarchy.Role, ids []int64, to jarchy.CommentStatus) error {
	if !to.Valid() {
		return jarchy.Invalid("status", "err.comment_status", "unknown comment status %q", to)
	}
	return db.write(ctx, "moderate comments", func(tx *qtx) (jarchy.Change, error) {
		// one read and one update for the whole selection (a queue page)
		if len(ids) == 0 {
			return jarchy.Change{}, nil
		}
		in, args := inList(ids)
		rows, err := tx.QueryContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE id IN ("+in+")", args...)
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
		in, args = inList(changed)
		if _, err := tx.ExecContext(ctx, "UPDATE comments SET status = ?, reports = CASE WHEN ? = 'approved' THEN 0 ELSE reports END WHERE id IN ("+in+")",
			append([]any{string(to), string(to)}, args...)...); err != nil {
			return jarchy.Change{}, err
		}
		return ch, nil
	})
}

// EditComment replaces a comment's name and text as a moderator's edit.
func (db *DB) EditComment(ctx context.Context, id int64, name, text string) error {
	now := db.now()
	return db.write(ctx, "edit comment", func(tx *qtx) (jarchy.Change, error) {
		old, err := scanComment(tx.QueryRowContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE id = ?", id))
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("comment %d", id)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		nw, err := storeutil.EditedComment(old, name, text, now)
		if err != nil {
			return jarchy.Change{}, err
		}
		if _, err := tx.ExecContext(ctx, "UPDATE comments SET name = ?, text = ?, text_hash = ?, edited_at = ? WHERE id = ?",
			nw.Name, nw.Text, jarchy.CommentTextHash(nw.Text), toDB(now), id); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.CommentChange(old, nw), nil
	})
}

// ReportComment counts a reader's report of an approved comment.
func (db *DB) ReportComment(ctx context.Context, id int64) error {
	return db.write(ctx, "report comment", func(tx *qtx) (jarchy.Change, error) {
		res, err := tx.ExecContext(ctx, "UPDATE comments SET reports = reports + 1 WHERE id = ? AND status = 'approved'", id)
		if err != nil {
			return jarchy.Change{}, err
		}
		if n, err := res.RowsAffected(); err != nil {
			return jarchy.Change{}, err
		} else if n == 0 {
			return jarchy.Change{}, notFound("no published comment %d", id)
		}
		return jarchy.Change{}, nil
	})
}

// CommentSettings returns the site's comment settings.
func (db *DB) CommentSettings(ctx context.Context) (jarchy.CommentSettings, error) {
	var raw string
	if err := db.queryRow(ctx, "SELECT settings FROM comment_state WHERE id = 1").Scan(&raw); err != nil {
		return jarchy.CommentSettings{}, wrapErr("comment settings", err)
	}
	s, err := storeutil.CommentSettingsOf([]byte(raw))
	if err != nil {
		return s, fmt.Errorf("sqlite: comment settings: %w", err)
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
		return fmt.Errorf("sqlite: save comment settings: %w", err)
	}
	return db.write(ctx, "save comment settings", func(tx *qtx) (jarchy.Change, error) {
		_, err := tx.ExecContext(ctx, "UPDATE comment_state SET settings = ? WHERE id = 1", string(raw))
		return jarchy.CommentSettingsChange(), err
	})
}

// ArticleCommentMode returns an article's own comment mode.
func (db *DB) ArticleCommentMode(ctx context.Context, articleID int64) (jarchy.CommentMode, error) {
	var m string
	err := db.queryRow(ctx, "SELECT mode FROM comment_modes WHERE article_id = ?", articleID).Scan(&m)
	if errors.Is(err, sql.ErrNoRows) {
		return jarchy.CommentModeDefault, nil
	}
	return jarchy.CommentMode(m), wrapErr("article comment mode", err)
}

// SetArticleCommentMode sets an article's own comment mode.
func (db *DB) SetArticleCommentMode(ctx context.Context, articleID int64, m jarchy.CommentMode) error {
	if !m.Valid() {
		return jarchy.Invalid("mode", "err.comment_mode", "unknown comment mode %q", m)
	}
	return db.write(ctx, "set article comment mode", func(tx *qtx) (jarchy.Change, error) {
		found, err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = ?", articleID)
		if err != nil {
			return jarchy.Change{}, err
		}
		if !found {
			return jarchy.Change{}, notFound("article %d", articleID)
		}
		if m == jarchy.CommentModeDefault {
			_, err = tx.ExecContext(ctx, "DELETE FROM comment_modes WHERE article_id = ?", articleID)
		} else {
			_, err = tx.ExecContext(ctx, `INSERT INTO comment_modes (article_id, mode) VALUES (?, ?)
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
	return db.write(ctx, "add comment ban", func(tx *qtx) (jarchy.Change, error) {
		if b.Email != "" {
			_, secret, err := db.commentState(ctx, tx)
			if err != nil {
				return jarchy.Change{}, err
			}
			b.EmailHash, b.Email = jarchy.CommentEmailHash(secret, b.Email), ""
		}
		b.CreatedAt = now
		return jarchy.Change{}, tx.QueryRowContext(ctx, "INSERT INTO comment_bans (email_hash, ip_range, reason, created_at) VALUES (?, ?, ?, ?) RETURNING id",
			b.EmailHash, b.IPRange, b.Reason, toDB(now)).Scan(&b.ID)
	})
}

// CommentBans lists the bans, newest first.
func (db *DB) CommentBans(ctx context.Context) ([]*jarchy.CommentBan, error) {
	var bans []*jarchy.CommentBan
	err := db.read(ctx, "comment bans", func(tx *qtx) error {
		var err error
		bans, err = scanBans(ctx, tx)
		return err
	})
	return bans, err
}

func scanBans(ctx context.Context, tx *qtx) ([]*jarchy.CommentBan, error) {
	rows, err := tx.QueryContext(ctx, "SELECT id, email_hash, ip_range, reason, created_at FROM comment_bans ORDER BY id DESC")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var bans []*jarchy.CommentBan
	for rows.Next() {
		var b jarchy.CommentBan
		var created sql.NullInt64
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
	return db.write(ctx, "delete comment ban", func(tx *qtx) (jarchy.Change, error) {
		_, err := tx.ExecContext(ctx, "DELETE FROM comment_bans WHERE id = ?", id)
		return jarchy.Change{}, err
	})
}

// EraseCommentIPs blanks the IPs of comments created before before.
func (db *DB) EraseCommentIPs(ctx context.Context, before time.Time) (int, error) {
	var n int64
	err := db.write(ctx, "erase comment IPs", func(tx *qtx) (jarchy.Change, error) {
		res, err := tx.ExecContext(ctx, "UPDATE comments SET ip = '' WHERE ip <> '' AND created_at < ?", toDB(before))
		if err != nil {
			return jarchy.Change{}, err
		}
		n, err = res.RowsAffected()
		if n == 0 && err == nil {
			return jarchy.Change{}, errNothingWritten
		}
		return jarchy.Change{}, err
	})
	return int(n), err
}

// ExportComments calls fn with every comment, IDs ascending, in pages.
func (db *DB) ExportComments(ctx context.Context, fn func(*jarchy.Comment) error) error {
	var after int64
	for {
		rows, err := db.pool().QueryContext(ctx, "SELECT "+commentColumns+" FROM comments WHERE id > ? ORDER BY id LIMIT 500", after)
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
	err = db.write(ctx, "import comment", func(tx *qtx) (jarchy.Change, error) {
		if found, err := exists(ctx, tx, "SELECT 1 FROM articles WHERE id = ?", c.ArticleID); err != nil {
			return jarchy.Change{}, err
		} else if !found {
			return jarchy.Change{}, notFound("article %d", c.ArticleID)
		}
		if c.ExternalID != "" {
			var id int64
			err := tx.QueryRowContext(ctx, "SELECT id FROM comments WHERE external_id = ?", c.ExternalID).Scan(&id)
			if err == nil {
				c.ID = id
				return jarchy.Change{}, errNothingWritten
			} else if !errors.Is(err, sql.ErrNoRows) {
				return jarchy.Change{}, err
			}
		}
		if c.Email != "" {
			_, secret, err := db.commentState(ctx, tx)
			if err != nil {
				return jarchy.Change{}, err
			}
			c.EmailHash, c.Email = jarchy.CommentEmailHash(secret, c.Email), ""
		}
		var ext any
		if c.ExternalID != "" {
			ext = c.ExternalID
		}
		err := tx.QueryRowContext(ctx, `INSERT INTO comments (article_id, parent_id, name, email_hash, text, text_hash, status, edited_at, created_at, ip, reports, external_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			c.ArticleID, c.ParentID, c.Name, c.EmailHash, c.Text, jarchy.CommentTextHash(c.Text), string(c.Status),
			toDB(edited), toDB(c.CreatedAt), c.IP, max(c.Reports, 0), ext).Scan(&c.ID)
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
	if err := db.queryRow(ctx, "SELECT secret FROM comment_state WHERE id = 1").Scan(&secretHex); err != nil {
		return nil, wrapErr("comment key", err)
	}
	if secretHex == "" { // first use: make it
		err := db.write(ctx, "comment key", func(tx *qtx) (jarchy.Change, error) {
			_, secret, err := db.commentState(ctx, tx)
			secretHex = hex.EncodeToString(secret)
			return jarchy.Change{}, err
		})
		if err != nil {
			return nil, err
		}
	}
	secret, err := hex.DecodeString(secretHex)
	if err != nil {
		return nil, fmt.Errorf("sqlite: the stored comment secret is not hex: %w", err)
	}
	return jarchy.DeriveCommentKey(secret, purpose), nil
}
