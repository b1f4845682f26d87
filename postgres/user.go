package postgres

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// Users and sessions change nothing public: every write here goes through
// writePrivate (no generation step, no Change, no subscriber).

const userColumns = "id, email, name, role, lang, disabled, password_hash, created_at, updated_at"

// SaveUser creates (ID 0) or replaces a user; a disabled user's sessions end
// in the same transaction.
func (db *DB) SaveUser(ctx context.Context, u *jarchy.User) error {
	u.Normalize()
	if err := u.Validate(); err != nil {
		return err
	}
	now := db.now()
	created := u.CreatedAt
	err := db.writePrivate(ctx, "save user", func(tx pgx.Tx) error {
		var other int64
		err := tx.QueryRow(ctx, "SELECT id FROM users WHERE email = $1 AND id <> $2", u.Email, u.ID).Scan(&other)
		if err == nil {
			return jarchy.EmailTaken(u.Email)
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		if u.ID == 0 {
			created = now
			if err := insertUser(ctx, tx, u, now); err != nil {
				return err
			}
			return appendAudit(ctx, tx, now, jarchy.UserAudit(nil, u))
		}
		old, err := scanUser(tx.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1 FOR UPDATE", u.ID))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("user %d", u.ID)
		} else if err != nil {
			return err
		}
		err = tx.QueryRow(ctx, `UPDATE users SET email = $1, name = $2, role = $3, lang = $4, disabled = $5, password_hash = $6, updated_at = $7
			WHERE id = $8 RETURNING created_at`, u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.PasswordHash, now, u.ID).Scan(&created)
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("user %d", u.ID)
		} else if err != nil {
			return err
		}
		if u.Disabled {
			if _, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", u.ID); err != nil {
				return err
			}
		}
		return appendAudit(ctx, tx, now, jarchy.UserAudit(old, u))
	})
	if jarchy.ErrorCode(err) == jarchy.ECONFLICT {
		return jarchy.EmailTaken(u.Email)
	}
	if err != nil {
		return err
	}
	u.CreatedAt, u.UpdatedAt = created.UTC(), now
	return nil
}

// insertUser adds u (ID 0, normalised and validated) and sets its ID.
func insertUser(ctx context.Context, tx pgx.Tx, u *jarchy.User, now time.Time) error {
	return tx.QueryRow(ctx, `INSERT INTO users (email, name, role, lang, disabled, password_hash, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id`, u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.PasswordHash, now).Scan(&u.ID)
}

// User returns the user with this ID.
func (db *DB) User(ctx context.Context, id int64) (*jarchy.User, error) {
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = $1", id))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("user %d", id)
	}
	return u, wrapErr("user", err)
}

// UserByEmail finds a user by email, case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (*jarchy.User, error) {
	email = strings.ToLower(jarchy.CleanLine(email))
	u, err := scanUser(db.pool.QueryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = $1", email))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("no user with email %q", email)
	}
	return u, wrapErr("user by email", err)
}

// Users lists every user by email.
func (db *DB) Users(ctx context.Context) ([]*jarchy.User, error) {
	rows, err := db.pool.Query(ctx, "SELECT "+userColumns+" FROM users ORDER BY email")
	if err != nil {
		return nil, wrapErr("users", err)
	}
	defer rows.Close()
	var users []*jarchy.User
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, wrapErr("users", err)
		}
		users = append(users, u)
	}
	return users, wrapErr("users", rows.Err())
}

func scanUser(row pgx.Row) (*jarchy.User, error) {
	var u jarchy.User
	var role, lang string
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &lang, &u.Disabled, &u.PasswordHash, &u.CreatedAt, &u.UpdatedAt); err != nil {
		return nil, err
	}
	u.Role, u.Lang = jarchy.Role(role), jarchy.Lang(lang)
	u.CreatedAt, u.UpdatedAt = u.CreatedAt.UTC(), u.UpdatedAt.UTC()
	return &u, nil
}

// CreateSession stores a session under the hash of its token.
func (db *DB) CreateSession(ctx context.Context, s *jarchy.Session) error {
	if s.ID == "" || s.UserID == 0 || s.ExpiresAt.IsZero() {
		return jarchy.Errorf(jarchy.EINVALID, "a session needs a token, a user and an expiry")
	}
	now := db.now()
	err := db.writePrivate(ctx, "create session", func(tx pgx.Tx) error {
		var disabled bool
		err := tx.QueryRow(ctx, "SELECT disabled FROM users WHERE id = $1 FOR SHARE", s.UserID).Scan(&disabled)
		if errors.Is(err, pgx.ErrNoRows) || disabled {
			return notFound("user %d (or disabled)", s.UserID)
		} else if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES ($1, $2, $3, $4, $3)",
			jarchy.HashToken(s.ID), s.UserID, now, s.ExpiresAt)
		return err
	})
	if err != nil {
		return err
	}
	s.CreatedAt, s.LastSeenAt = now, now
	s.ExpiresAt = s.ExpiresAt.Truncate(time.Microsecond).UTC()
	return nil
}

// SessionByToken returns a live session of an enabled user, with the user.
func (db *DB) SessionByToken(ctx context.Context, token string) (*jarchy.Session, error) {
	var s jarchy.Session
	row := db.pool.QueryRow(ctx, `SELECT s.user_id, s.created_at, s.expires_at, s.last_seen_at, u.`+strings.ReplaceAll(userColumns, ", ", ", u.")+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND NOT u.disabled`, jarchy.HashToken(token), db.now())
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return row.Scan(append([]any{&s.UserID, &s.CreatedAt, &s.ExpiresAt, &s.LastSeenAt}, dest...)...)
	}))
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, notFound("no such session")
	}
	if err != nil {
		return nil, wrapErr("session", err)
	}
	s.ID, s.User = token, u
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = s.CreatedAt.UTC(), s.ExpiresAt.UTC(), s.LastSeenAt.UTC()
	return &s, nil
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// TouchSession renews a live session.
func (db *DB) TouchSession(ctx context.Context, token string, expires time.Time) error {
	now := db.now()
	return db.writePrivate(ctx, "touch session", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3 AND expires_at > $1",
			now, expires, jarchy.HashToken(token))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return notFound("no such session")
		}
		return nil
	})
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.writePrivate(ctx, "delete session", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", jarchy.HashToken(token))
		return err
	})
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.writePrivate(ctx, "delete user sessions", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
		return err
	})
}

// DeleteExpiredSessions removes the sessions expired by now.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int64
	err := db.writePrivate(ctx, "delete expired sessions", func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, "DELETE FROM sessions WHERE expires_at <= $1", db.now())
		if err != nil {
			return err
		}
		n = tag.RowsAffected()
		return nil
	})
	return int(n), err
}
