package jarchy

import (
	"context"
	"time"
)

// SetupTokenTTL is how long the one-time link that creates the first
// admin stays valid.
const SetupTokenTTL = 24 * time.Hour

// SetupStore lets the first admin in without a default password: a serve
// that finds no enabled admin stores a random token (CreateSetupToken) and
// logs a link holding it; whoever opens the link first creates the admin
// (RedeemSetupToken), which uses up every such token.
type SetupStore interface {
	// HasAdmin reports whether an enabled admin exists.
	HasAdmin(ctx context.Context) (bool, error)
	// CreateSetupToken keeps the hash of token (HashToken) until expires.
	CreateSetupToken(ctx context.Context, token string, expires time.Time) error
	// SetupTokenValid reports whether token is a stored, unexpired setup
	// token while no enabled admin exists.
	SetupTokenValid(ctx context.Context, token string) (bool, error)
	// RedeemSetupToken creates u as an admin in one transaction with the
	// token's check: the token must be stored and unexpired (else
	// ENOTFOUND) and no enabled admin may exist (else ECONFLICT); every
	// setup token is deleted. u is normalised and validated as by SaveUser;
	// a failure writes nothing and leaves the token usable.
	RedeemSetupToken(ctx context.Context, token string, u *User) error
}

// SetupUsed is the error of a setup link that no longer works.
func SetupUsed() *Error {
	return &Error{Code: ENOTFOUND, Field: "token", MessageKey: "err.setup_used",
		Message: "this setup link has expired or was already used"}
}

// AdminExists is the error of a setup link used after an admin exists.
func AdminExists() *Error {
	return &Error{Code: ECONFLICT, Field: "token", MessageKey: "err.admin_exists",
		Message: "an administrator already exists: log in instead"}
}
