package jarchy

import (
	"errors"
	"fmt"
)

// Error codes, shared by every layer. HTTP maps them to status codes and the
// stores map constraint failures onto them.
const (
	EINVALID   = "invalid"
	ENOTFOUND  = "not_found"
	ECONFLICT  = "conflict"
	EFORBIDDEN = "forbidden"
	EINTERNAL  = "internal"
)

// Error is a domain error: a machine-readable Code, a human Message in
// English, and an optional MessageKey that the UI translates (see i18n).
type Error struct {
	Code       string
	Message    string
	MessageKey string // i18n key for the user's language, e.g. "err.title_required"
	Field      string // the offending field, when there is one
	// N is a number the message names: with a plural MessageKey, the UI
	// picks the form that suits it (i18n.ErrorMessage).
	N int
}

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("jarchy: %s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("jarchy: %s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with the given code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error about one field, with an i18n key.
func Invalid(field, key, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Field: field, MessageKey: key, Message: fmt.Sprintf(format, args...)}
}

// StaleVersion is the ECONFLICT error of a save based on version based of
// article id when the store holds another version (someone saved it in
// between, or an update named no version): nothing was written.
func StaleVersion(id, based, stored int64) *Error {
	return &Error{Code: ECONFLICT, Field: "version", MessageKey: "err.conflict",
		Message: fmt.Sprintf("article %d was saved by someone else since (this save is based on version %d, the stored one is %d): load it again", id, based, stored)}
}

// IsStaleVersion reports whether err is a StaleVersion error.
func IsStaleVersion(err error) bool {
	var e *Error
	return errors.As(err, &e) && e.Code == ECONFLICT && e.Field == "version"
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL
// for any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the message of an *Error in err's chain, or a generic
// text for internal errors (never leaking details to users).
func ErrorMessage(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "internal error"
}

// IsNotFound reports whether err carries ENOTFOUND.
func IsNotFound(err error) bool { return ErrorCode(err) == ENOTFOUND }
