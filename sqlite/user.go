package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

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
	err := db.writePrivate(ctx, "save user", func(tx *qtx) error {
		var other int64
		err := tx.QueryRowContext(ctx, "SELECT id FROM users WHERE email = ? AND id <> ?", u.Email, u.ID).Scan(&other)
		if err == nil {
			return jarchy.EmailTaken(u.Email)
		} else if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if u.ID == 0 {
			created = now
			if err := insertUser(ctx, tx, u, now); err != nil {
				return err
			}
			return appendAudit(ctx, tx, now, jarchy.UserAudit(nil, u))
		}
		old, err := scanUser(tx.QueryRowContext(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", u.ID))
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user %d", u.ID)
		} else if err != nil {
			return err
		}
		var c sql.NullInt64
		err = tx.QueryRowContext(ctx, `UPDATE users SET email = ?, name = ?, role = ?, lang = ?, disabled = ?, password_hash = ?, updated_at = ?
			WHERE id = ? RETURNING created_at`, u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.PasswordHash, toDB(now), u.ID).Scan(&c)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("user %d", u.ID)
		} else if err != nil {
			return err
		}
		created = fromDB(c)
		if u.Disabled {
			if _, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", u.ID); err != nil {
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
	u.CreatedAt, u.UpdatedAt = created, now
	return nil
}

// insertUser adds u (ID 0, normalised and validated) and sets its ID.
func insertUser(ctx context.Context, tx *qtx, u *jarchy.User, now time.Time) error {
	res, err := tx.ExecContext(ctx, `INSERT INTO users (email, name, role, lang, disabled, password_hash, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, u.Email, u.Name, string(u.Role), string(u.Lang), u.Disabled, u.PasswordHash, toDB(now), toDB(now))
	if err != nil {
		return err
	}
	u.ID, err = res.LastInsertId()
	return err
}

// User returns the user with this ID.
func (db *DB) User(ctx context.Context, id int64) (*jarchy.User, error) {
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("user %d", id)
	}
	return u, wrapErr("user", err)
}

// UserByEmail finds a user by email, case-insensitively.
func (db *DB) UserByEmail(ctx context.Context, email string) (*jarchy.User, error) {
	email = strings.ToLower(jarchy.CleanLine(email))
	u, err := scanUser(db.queryRow(ctx, "SELECT "+userColumns+" FROM users WHERE email = ?", email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("no user with email %q", email)
	}
	return u, wrapErr("user by email", err)
}

// Users lists every user by email.
func (db *DB) Users(ctx context.Context) ([]*jarchy.User, error) {
	var users []*jarchy.User
	err := db.read(ctx, "users", func(tx *qtx) error {
		rows, err := tx.QueryContext(ctx, "SELECT "+userColumns+" FROM users ORDER BY email")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			u, err := scanUser(rows)
			if err != nil {
				return err
			}
			users = append(users, u)
		}
		return rows.Err()
	})
	return users, err
}

type scanner interface{ Scan(dest ...any) error }

func scanUser(row scanner) (*jarchy.User, error) {
	var u jarchy.User
	var role, lang string
	var created, updated sql.NullInt64
	if err := row.Scan(&u.ID, &u.Email, &u.Name, &role, &lang, &u.Disabled, &u.PasswordHash, &created, &updated); err != nil {
		return nil, err
	}
	u.Role, u.Lang = jarchy.Role(role), jarchy.Lang(lang)
	u.CreatedAt, u.UpdatedAt = fromDB(created), fromDB(updated)
	return &u, nil
}

// CreateSession stores a session under the hash of its token.
func (db *DB) CreateSession(ctx context.Context, s *jarchy.Session) error {
	if s.ID == "" || s.UserID == 0 || s.ExpiresAt.IsZero() {
		return jarchy.Errorf(jarchy.EINVALID, "a session needs a token, a user and an expiry")
	}
	now := db.now()
	err := db.writePrivate(ctx, "create session", func(tx *qtx) error {
		var disabled bool
		err := tx.QueryRowContext(ctx, "SELECT disabled FROM users WHERE id = ?", s.UserID).Scan(&disabled)
		if errors.Is(err, sql.ErrNoRows) || disabled {
			return notFound("user %d (or disabled)", s.UserID)
		} else if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?)",
			jarchy.HashToken(s.ID), s.UserID, toDB(now), toDB(s.ExpiresAt), toDB(now))
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
	var created, expires, seen sql.NullInt64
	row := db.queryRow(ctx, `SELECT s.user_id, s.created_at, s.expires_at, s.last_seen_at, `+prefixed("u.", userColumns)+`
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = ? AND s.expires_at > ? AND NOT u.disabled`, jarchy.HashToken(token), toDB(db.now()))
	u, err := scanUser(scanFunc(func(dest ...any) error {
		return row.Scan(append([]any{&s.UserID, &created, &expires, &seen}, dest...)...)
	}))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, notFound("no such session")
	}
	if err != nil {
		return nil, wrapErr("session", err)
	}
	s.ID, s.User = token, u
	s.CreatedAt, s.ExpiresAt, s.LastSeenAt = fromDB(created), fromDB(expires), fromDB(seen)
	return &s, nil
}

type scanFunc func(dest ...any) error

func (f scanFunc) Scan(dest ...any) error { return f(dest...) }

// prefixed puts prefix before every column of a comma-separated list.
func prefixed(prefix, columns string) string {
	return prefix + strings.ReplaceAll(columns, ", ", ", "+prefix)
}

// TouchSession renews a live session.
func (db *DB) TouchSession(ctx context.Context, token string, expires time.Time) error {
	now := db.now()
	return db.writePrivate(ctx, "touch session", func(tx *qtx) error {
		res, err := tx.ExecContext(ctx, "UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE token_hash = ? AND expires_at > ?",
			toDB(now), toDB(expires), jarchy.HashToken(token), toDB(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			return notFound("no such session")
		}
		return nil
	})
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, token string) error {
	return db.writePrivate(ctx, "delete session", func(tx *qtx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE token_hash = ?", jarchy.HashToken(token))
		return err
	})
}

// DeleteUserSessions ends every session of a user.
func (db *DB) DeleteUserSessions(ctx context.Context, userID int64) error {
	return db.writePrivate(ctx, "delete user sessions", func(tx *qtx) error {
		_, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE user_id = ?", userID)
		return err
	})
}

// DeleteExpiredSessions removes the sessions expired by now.
func (db *DB) DeleteExpiredSessions(ctx context.Context) (int, error) {
	var n int64
	err := db.writePrivate(ctx, "delete expired sessions", func(tx *qtx) error {
		res, err := tx.ExecContext(ctx, "DELETE FROM sessions WHERE expires_at <= ?", toDB(db.now()))
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		if err != nil {
			return fmt.Errorf("count deleted sessions: %w", err)
		}
		return nil
	})
	return int(n), err
}
