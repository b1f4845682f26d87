package newsroom

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/i18n"
)

// Request is what a handler knows about who asks: the logged-in user (nil
// on a public route without a session), the UI language and the form
// token every form of the page carries. Components read it from the
// context (requestFrom).
type Request struct {
	User      *jarchy.User
	Session   *jarchy.Session
	Lang      jarchy.Lang
	FormToken string
	Path      string // the page's path (the menu marks it)
}

// Role is the user's role ("" when nobody is logged in).
func (q *Request) Role() jarchy.Role {
	if q == nil || q.User == nil {
		return ""
	}
	return q.User.Role
}

// T translates key into the user's language.
func (q *Request) T(key string) string { return i18n.T(q.Lang, key) }

// Tf is T with fmt arguments.
func (q *Request) Tf(key string, args ...any) string { return i18n.Tf(q.Lang, key, args...) }

// IsEditor reports whether the user edits and publishes any article.
func (q *Request) IsEditor() bool {
	return q.Role() == jarchy.RoleAdmin || q.Role() == jarchy.RoleEditor
}

// IsAdmin reports whether the user is an admin.
func (q *Request) IsAdmin() bool { return q.Role() == jarchy.RoleAdmin }

type requestKey struct{}

func withRequest(r *http.Request, q *Request) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), requestKey{}, q))
}

// requestFrom returns the Request on ctx (an empty one in the default
// language when there is none, so components never see nil).
func requestFrom(ctx context.Context) *Request {
	if q, ok := ctx.Value(requestKey{}).(*Request); ok {
		return q
	}
	return &Request{Lang: jarchy.DefaultLang}
}

// formTokenOf derives the form token of a secret (a session token, or the
// login form's cookie): a one-way hash, so the page holding it reveals
// nothing of the session, and no table needs it.
func formTokenOf(secret string) string {
	sum := sha256.Sum256([]byte("jarchy newsroom form token\x00" + secret))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}
