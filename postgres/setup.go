package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jarchy/jarchy"
)

// HasAdmin reports whether an enabled admin exists.
func (db *DB) HasAdmin(ctx context.Context) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM users WHERE role = $1 AND NOT disabled)", string(jarchy.RoleAdmin)).Scan(&ok)
	return ok, wrapErr("has admin", err)
}

// CreateSetupToken keeps the hash of a one-time setup token.
func (db *DB) CreateSetupToken(ctx context.Context, token string, expires time.Time) error {
	return db.writePrivate(ctx, "create setup token", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "INSERT INTO setup_tokens (token_hash, expires_at) VALUES ($1, $2)", jarchy.HashToken(token), expires)
		return err
	})
}

// SetupTokenValid reports whether token may still create the first admin.
func (db *DB) SetupTokenValid(ctx context.Context, token string) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2)
		AND NOT EXISTS (SELECT 1 FROM users WHERE role = $3 AND NOT disabled)`,
		jarchy.HashToken(token), db.now(), string(jarchy.RoleAdmin)).Scan(&ok)
	return ok, wrapErr("setup token", err)
}

// RedeemSetupToken creates the first admin and uses up every setup token.
// Two nodes redeeming at once: the table lock makes the second wait, then
// find the tokens gone.
func (db *DB) RedeemSetupToken(ctx context.Context, token string, u *jarchy.User) error {
	u.ID, u.Role, u.Disabled = 0, jarchy.RoleAdmin, false
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.now()
	err := db.writePrivate(ctx, "redeem setup token", func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE setup_tokens IN EXCLUSIVE MODE"); err != nil {
			return err
		}
		var valid, admin bool
		err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM setup_tokens WHERE token_hash = $1 AND expires_at > $2),
			EXISTS (SELECT 1 FROM users WHERE role = $3 AND NOT disabled)`, jarchy.HashToken(token), now, string(jarchy.RoleAdmin)).Scan(&valid, &admin)
		if err != nil {
			return err
		}
		if !valid {
			return jarchy.SetupUsed()
		}
		if admin {
			return jarchy.AdminExists()
		}
		var other int64
		err = tx.QueryRow(ctx, "SELECT id FROM users WHERE email = $1", u.Email).Scan(&other)
		if err == nil {
			return jarchy.EmailTaken(u.Email)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if _, err := tx.Exec(ctx, "DELETE FROM setup_tokens"); err != nil {
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
