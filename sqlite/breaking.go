package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jarchy/jarchy"
)

// SetBreaking flags a public article as breaking news until until, or
// ends the flag (see jarchy.BreakingStore).
func (db *DB) SetBreaking(ctx context.Context, id int64, until time.Time) error {
	now := db.now()
	if !until.After(now) {
		until = time.Time{}
	}
	return db.write(ctx, fmt.Sprintf("set breaking news on article %d", id), func(tx *qtx) (jarchy.Change, error) {
		a := &jarchy.Article{ID: id}
		var published sql.NullInt64
		err := tx.QueryRowContext(ctx, "SELECT title, status, published_at FROM articles WHERE id = ?", id).
			Scan(&a.Title, &a.Status, &published)
		if errors.Is(err, sql.ErrNoRows) {
			return jarchy.Change{}, notFound("article %d not found", id)
		} else if err != nil {
			return jarchy.Change{}, err
		}
		a.PublishedAt = fromDB(published)
		if !until.IsZero() && !a.IsPublic(now) {
			return jarchy.Change{}, jarchy.Invalid("breaking", "err.breaking_public", "only a published article can be breaking news")
		}
		if _, err := tx.ExecContext(ctx, "UPDATE articles SET breaking_until = ? WHERE id = ?", toDB(until), id); err != nil {
			return jarchy.Change{}, err
		}
		if err := appendAudit(ctx, tx, now, []jarchy.AuditEntry{jarchy.BreakingAudit(id, a.Title, until)}); err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.BreakingChange(id), nil
	})
}

// BreakingNews returns the public articles flagged breaking now, as
// summaries, the latest flagged first.
func (db *DB) BreakingNews(ctx context.Context) ([]*jarchy.Article, error) {
	now := toDB(db.now())
	list, err := queryArticles(ctx, db.pool(), true, summarySelect+` WHERE a.breaking_until > ? AND a.status = ? AND a.published_at <= ?
		ORDER BY a.breaking_until DESC, a.id DESC`, now, jarchy.StatusPublished, now)
	return list, wrapErr("breaking news", err)
}

// ExpireBreaking ends the flags whose time has come, in one write.
func (db *DB) ExpireBreaking(ctx context.Context) (int, error) {
	now := toDB(db.now())
	var due bool
	if err := db.queryRow(ctx, "SELECT EXISTS (SELECT 1 FROM articles WHERE breaking_until <= ?)", now).Scan(&due); err != nil || !due {
		return 0, wrapErr("expire breaking news", err)
	}
	var n int
	err := db.write(ctx, "expire breaking news", func(tx *qtx) (jarchy.Change, error) {
		ids, err := queryIDs(ctx, tx, "UPDATE articles SET breaking_until = NULL WHERE breaking_until <= ? RETURNING id", now)
		if err != nil {
			return jarchy.Change{}, err
		}
		if n = len(ids); n == 0 {
			return jarchy.Change{}, errNothingWritten // another process ended them first
		}
		return jarchy.BreakingChange(ids...), nil
	})
	return n, err
}

// NextBreakingExpiry returns the earliest end of a breaking flag, or zero.
func (db *DB) NextBreakingExpiry(ctx context.Context) (time.Time, error) {
	var next sql.NullInt64
	if err := db.queryRow(ctx, "SELECT MIN(breaking_until) FROM articles WHERE breaking_until IS NOT NULL").Scan(&next); err != nil {
		return time.Time{}, wrapErr("next breaking news expiry", err)
	}
	return fromDB(next), nil
}
