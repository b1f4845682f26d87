package jarchy

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Limits of a newsroom account.
const (
	MaxEmailLen        = 254  // bytes (RFC 5321's path limit)
	MaxPasswordHashLen = 512  // bytes of the encoded hash
	MinPasswordLen     = 10   // runes
	MaxPasswordLen     = 1024 // bytes: hashing cost must not grow with input
)

// User is a newsroom account. The password is kept only as an encoded
// hash (package auth). A disabled user cannot log in and has no sessions.
type User struct {
	ID           int64
	Email        string // lower-case, unique
	Name         string
	Role         Role // admin, editor or author
	Lang         Lang // the newsroom's language for this user
	Disabled     bool
	PasswordHash string // auth's encoded argon2id hash; empty: cannot log in
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Normalize cleans the user's texts: the email lower-cased and trimmed,
// the name a clean line, an empty language the site's default.
func (u *User) Normalize() {
	u.Email = strings.ToLower(CleanLine(u.Email))
	u.Name = CleanLine(u.Name)
	if u.Lang == "" {
		u.Lang = DefaultLang
	}
}

// Validate checks a normalised user.
func (u *User) Validate() error {
	if err := ValidEmail(u.Email); err != nil {
		return err
	}
	if err := validText("name", u.Name, MaxNameLen, true); err != nil {
		return err
	}
	if !u.Role.Valid() {
		return Invalid("role", "err.role", "unknown role %q (admin, editor or author)", u.Role)
	}
	if !u.Lang.Valid() {
		return Invalid("lang", "err.lang", "unknown language %q", u.Lang)
	}
	if len(u.PasswordHash) > MaxPasswordHashLen || !utf8.ValidString(u.PasswordHash) || strings.ContainsAny(u.PasswordHash, "\x00 \t\r\n") {
		return Invalid("password", "err.password_hash", "the password hash is not a valid encoded hash")
	}
	return nil
}

// ValidEmail checks a normalised email address: one @ between a local part
// and a dotted domain, no spaces or controls, at most MaxEmailLen bytes.
func ValidEmail(email string) error {
	if email == "" {
		return Invalid("email", "err.required", "email is required")
	}
	if len(email) > MaxEmailLen {
		return Invalid("email", "err.too_long", "email is longer than %d bytes", MaxEmailLen)
	}
	local, domain, ok := strings.Cut(email, "@")
	bad := !ok || local == "" || len(local) > 64 || strings.Contains(domain, "@") ||
		!strings.Contains(domain, ".") || strings.HasPrefix(domain, ".") || strings.HasSuffix(domain, ".") ||
		strings.Contains(domain, "..") || !utf8.ValidString(email)
	for _, r := range email {
		if r <= ' ' || r == 0x7f || r == '<' || r == '>' || r == '"' || r == ',' || r == ';' || IsBidiControl(r) {
			bad = true
		}
	}
	if bad {
		return Invalid("email", "err.email", "%q is not an email address", email)
	}
	return nil
}

// ValidPassword checks a new password: at least MinPasswordLen characters,
// at most MaxPasswordLen bytes, valid UTF-8 without NUL.
func ValidPassword(pw string) error {
	if !utf8.ValidString(pw) || strings.ContainsRune(pw, 0) {
		return Invalid("password", "err.utf8", "the password must be valid UTF-8 without NUL")
	}
	if utf8.RuneCountInString(pw) < MinPasswordLen {
		return Invalid("password", "err.password_short", "the password must have at least %d characters", MinPasswordLen)
	}
	if len(pw) > MaxPasswordLen {
		return Invalid("password", "err.too_long", "the password is longer than %d bytes", MaxPasswordLen)
	}
	return nil
}

// EmailTaken is the ECONFLICT error of a user saved with another user's email.
func EmailTaken(email string) *Error {
	return &Error{Code: ECONFLICT, Field: "email", MessageKey: "err.email_taken",
		Message: fmt.Sprintf("another user has the email %q", email)}
}

// Session is a logged-in browser. Its ID is a random token given to the
// client once; stores keep only its SHA-256 (HashToken), so a leaked
// database holds no usable session.
type Session struct {
	ID         string // the token
	UserID     int64
	User       *User // filled by SessionByToken
	CreatedAt  time.Time
	ExpiresAt  time.Time
	LastSeenAt time.Time
}

// NewSessionToken returns a fresh random session token: 32 bytes from
// crypto/rand, base64url without padding.
func NewSessionToken() string {
	return base64.RawURLEncoding.EncodeToString(randomBytes(32))
}

func randomBytes(n int) []byte {
	b := make([]byte, n)
	rand.Read(b) // never fails (crypto/rand, Go 1.24+)
	return b
}

// HashToken is what a store keeps of a session token: its SHA-256 in hex.
func HashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// UserStore keeps newsroom accounts. Its writes change nothing public:
// their Change is empty and no subscriber hears of them.
type UserStore interface {
	// SaveUser creates (ID 0) or replaces a user after Normalize and
	// Validate; it sets ID, CreatedAt and UpdatedAt. An email that another
	// user has is EmailTaken (ECONFLICT). Saving a disabled user ends all
	// its sessions in the same transaction.
	SaveUser(ctx context.Context, u *User) error
	// User returns the user with this ID (ENOTFOUND if none).
	User(ctx context.Context, id int64) (*User, error)
	// UserByEmail finds a user by email, case-insensitively (ENOTFOUND if none).
	UserByEmail(ctx context.Context, email string) (*User, error)
	// Users lists every user, ordered by email.
	Users(ctx context.Context) ([]*User, error)
}

// SessionStore keeps sessions, so they survive restarts and work across
// nodes. Its writes change nothing public (an empty Change).
type SessionStore interface {
	// CreateSession stores s (ID: the token, UserID, ExpiresAt set by the
	// caller) and sets CreatedAt and LastSeenAt to the store's now.
	CreateSession(ctx context.Context, s *Session) error
	// SessionByToken returns the session of token with its User. An
	// unknown or expired token (ExpiresAt not after now), or a disabled
	// user, is ENOTFOUND.
	SessionByToken(ctx context.Context, token string) (*Session, error)
	// TouchSession renews a session: LastSeenAt becomes now and ExpiresAt
	// expires. ENOTFOUND when the session is gone.
	TouchSession(ctx context.Context, token string, expires time.Time) error
	// DeleteSession ends one session (logout); an unknown token is no error.
	DeleteSession(ctx context.Context, token string) error
	// DeleteUserSessions ends every session of a user (password change).
	DeleteUserSessions(ctx context.Context, userID int64) error
	// DeleteExpiredSessions removes the sessions expired by now and
	// returns how many.
	DeleteExpiredSessions(ctx context.Context) (int, error)
}
