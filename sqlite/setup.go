package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/jarchy/jarchy"
)

// HasAdmin reports whether an enabled admin exists.
func (db *DB) HasAdmin(ctx context.Context) (bool, error) {
	var n int
	err := db.queryRow(ctx, "SELECT count(*) FROM users WHERE role = ? AND NOT disabled", string(jarchy.RoleAdmin)).Scan(&n)
	return n > 0, wrapErr("has admin", err)
}

// CreateSetupToken keeps the hash of a one-time setup token.
func (db *DB) CreateSetupToken(ctx context.Context, token string, expires time.Time) error {
	return db.writePrivate(ctx, "create setup token", func(tx *qtx) error {
		_, err := tx.ExecContext(ctx, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES (?, ?)", jarchy.HashToken(token), toDB(expires))
		return err
	})
}

// SetupTokenValid reports whether token may still create the first admin.
func (db *DB) SetupTokenValid(ctx context.Context, token string) (bool, error) {
	var n int
	err := db.queryRow(ctx, `SELECT count(*) FROM setup_tokens WHERE token_hash = ? AND expires_at > ?
		AND NOT EXISTS (SELECT 1 FROM users WHERE role = ? AND NOT disabled)`,
		jarchy.HashToken(token), toDB(db.now()), string(jarchy.RoleAdmin)).Scan(&n)
	return n > 0, wrapErr("setup token", err)
}

// RedeemSetupToken creates the first admin and uses up every setup token.
func (db *DB) RedeemSetupToken(ctx context.Context, token string, u *jarchy.User) error {
	u.ID, u.Role, u.Disabled = 0, jarchy.RoleAdmin, false
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.now()
	err := db.writePrivate(ctx, "redeem setup token", func(tx *qtx) error {
		var n int
		err := tx.QueryRowContext(ctx, "SELECT count(*) FROM setup_tokens WHERE token_hash = ? AND expires_at > ?", jarchy.HashToken(token), toDB(now)).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return jarchy.SetupUsed()
		}
		err = tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE role = ? AND NOT disabled", string(jarchy.RoleAdmin)).Scan(&n)
		if err != nil {
			return err
		}
		if n > 0 {
			return jarchy.AdminExists()
		}
		var other int64
		err = tx.QueryRowContext(ctx, "SELECT id FROM users WHERE email = ?", u.Email).Scan(&other)
		if err == nil {
			return jarchy.EmailTaken(u.Email)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM setup_tokens"); err != nil {
			return err
		}
		if err := insertUser(ctx, tx, u, now); err != nil {
			return err
		}
		return appendAudit(ctx, tx, now, jarchy.UserAudit(nil, u))
	})
	if err != nil {
		u.ID = 0
		return err
	}
	u.CreatedAt, u.UpdatedAt = now, now
	return nil
}
