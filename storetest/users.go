package storetest

import (
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// RunUsers runs the contract of jarchy.UserStore and jarchy.SessionStore.
func RunUsers(t *testing.T, open Opener) {
	run(t, open, []test{
		{"CreateAndRead", testUserCreate},
		{"Invalid", store(testUserInvalid)},
		{"DuplicateEmail", store(testUserDuplicateEmail)},
		{"Sessions", testSessions},
		{"ExpiredSession", testSessionExpired},
		{"DisableEndsSessions", testDisableEndsSessions},
		{"TokenNotStored", testSessionTokenNotStored},
		{"NoPublicChange", testUsersNoChange},
		{"SetupRedeem", testSetupRedeem},
		{"SetupExpiredAndFailed", testSetupExpiredAndFailed},
	})
}

// userAt is the fixed time the user tests run at.
var userAt = time.Date(2026, 5, 4, 9, 30, 0, 123456000, time.UTC)

func saveUser(t *testing.T, s jarchy.Store, email string, role jarchy.Role) *jarchy.User {
	t.Helper()
	u := &jarchy.User{Email: email, Name: "User " + email, Role: role, PasswordHash: "$argon2id$v=19$m=16,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo"}
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatalf("SaveUser(%q): %v", email, err)
	}
	return u
}

func newSession(t *testing.T, s jarchy.Store, token string, userID int64, expires time.Time) {
	t.Helper()
	if err := s.CreateSession(ctx, &jarchy.Session{ID: token, UserID: userID, ExpiresAt: expires}); err != nil {
		t.Fatalf("CreateSession(%q): %v", token, err)
	}
}

func testUserCreate(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	u := &jarchy.User{Email: "  Aida.Bek@Example.KG ", Name: " Айда\u202E Бекова ", Role: jarchy.RoleEditor, Lang: jarchy.Russian, PasswordHash: "$argon2id$v=19$m=16,t=1,p=1$c2FsdA$aGFzaA"}
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if u.ID == 0 || u.Email != "aida.bek@example.kg" || u.Name != "Айда Бекова" || !u.CreatedAt.Equal(userAt) || !u.UpdatedAt.Equal(userAt) {
		t.Fatalf("saved user: %+v", u)
	}
	for _, get := range []func() (*jarchy.User, error){
		func() (*jarchy.User, error) { return s.User(ctx, u.ID) },
		func() (*jarchy.User, error) { return s.UserByEmail(ctx, "AIDA.bek@example.kg") },
	} {
		got, err := get()
		if err != nil {
			t.Fatal(err)
		}
		want := jarchy.User{ID: u.ID, Email: "aida.bek@example.kg", Name: "Айда Бекова", Role: jarchy.RoleEditor, Lang: jarchy.Russian,
			PasswordHash: "$argon2id$v=19$m=16,t=1,p=1$c2FsdA$aGFzaA", CreatedAt: userAt, UpdatedAt: userAt}
		if *got != want {
			t.Fatalf("read user:\n got %+v\nwant %+v", *got, want)
		}
	}
	// A language left empty is the site's default; an update keeps CreatedAt.
	b := saveUser(t, s, "b@example.kg", jarchy.RoleAuthor)
	if b.Lang != jarchy.Kyrgyz {
		t.Errorf("default lang %q, want ky", b.Lang)
	}
	later := userAt.Add(time.Hour)
	c.set(later)
	u.Role, u.Name = jarchy.RoleAdmin, "Айда"
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != jarchy.RoleAdmin || got.Name != "Айда" || !got.CreatedAt.Equal(userAt) || !got.UpdatedAt.Equal(later) {
		t.Fatalf("updated user: %+v", got)
	}
	users, err := s.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users[0].Email != "aida.bek@example.kg" || users[1].Email != "b@example.kg" {
		t.Fatalf("Users: %v", users)
	}
	wantCode(t, "User(missing)", errOf(s.User(ctx, 999)), jarchy.ENOTFOUND)
	wantCode(t, "UserByEmail(missing)", errOf(s.UserByEmail(ctx, "nobody@example.kg")), jarchy.ENOTFOUND)
	wantCode(t, "SaveUser(missing id)", s.SaveUser(ctx, &jarchy.User{ID: 999, Email: "x@example.kg", Name: "X", Role: jarchy.RoleAuthor}), jarchy.ENOTFOUND)
}

func errOf[T any](_ T, err error) error { return err }

func testUserInvalid(t *testing.T, s jarchy.Store) {
	for _, tc := range []struct {
		u   jarchy.User
		key string
	}{
		{jarchy.User{Email: "", Name: "N", Role: jarchy.RoleAuthor}, "err.required"},
		{jarchy.User{Email: "no-at.example.kg", Name: "N", Role: jarchy.RoleAuthor}, "err.email"},
		{jarchy.User{Email: "a@localhost", Name: "N", Role: jarchy.RoleAuthor}, "err.email"},
		{jarchy.User{Email: "a b@example.kg", Name: "N", Role: jarchy.RoleAuthor}, "err.email"},
		{jarchy.User{Email: "a@b@example.kg", Name: "N", Role: jarchy.RoleAuthor}, "err.email"},
		{jarchy.User{Email: "<a>@example.kg", Name: "N", Role: jarchy.RoleAuthor}, "err.email"},
		{jarchy.User{Email: strings.Repeat("a", 60) + "@" + strings.Repeat("b", 200) + ".kg", Name: "N", Role: jarchy.RoleAuthor}, "err.too_long"},
		{jarchy.User{Email: "a@example.kg", Name: " ", Role: jarchy.RoleAuthor}, "err.required"},
		{jarchy.User{Email: "a@example.kg", Name: strings.Repeat("н", jarchy.MaxNameLen+1), Role: jarchy.RoleAuthor}, "err.too_long"},
		{jarchy.User{Email: "a@example.kg", Name: "N", Role: jarchy.RoleSystem}, "err.role"},
		{jarchy.User{Email: "a@example.kg", Name: "N", Role: ""}, "err.role"},
		{jarchy.User{Email: "a@example.kg", Name: "N", Role: jarchy.RoleAuthor, Lang: "de"}, "err.lang"},
		{jarchy.User{Email: "a@example.kg", Name: "N", Role: jarchy.RoleAuthor, PasswordHash: "has space"}, "err.password_hash"},
	} {
		err := s.SaveUser(ctx, &tc.u)
		var je *jarchy.Error
		if !errors.As(err, &je) || je.Code != jarchy.EINVALID || je.MessageKey != tc.key {
			t.Errorf("SaveUser(%.60q): %v, want EINVALID %s", tc.u.Email, err, tc.key)
		}
	}
	if users, err := s.Users(ctx); err != nil || len(users) != 0 {
		t.Fatalf("invalid users were saved: %v %v", users, err)
	}
}

func testUserDuplicateEmail(t *testing.T, s jarchy.Store) {
	a := saveUser(t, s, "a@example.kg", jarchy.RoleAdmin)
	b := saveUser(t, s, "b@example.kg", jarchy.RoleAuthor)
	for _, u := range []*jarchy.User{
		{Email: "A@Example.kg", Name: "Other", Role: jarchy.RoleAuthor},
		{ID: b.ID, Email: "a@example.kg", Name: "B", Role: jarchy.RoleAuthor},
	} {
		err := s.SaveUser(ctx, u)
		var je *jarchy.Error
		if !errors.As(err, &je) || je.Code != jarchy.ECONFLICT || je.MessageKey != "err.email_taken" || je.Field != "email" {
			t.Fatalf("duplicate email: %v, want ECONFLICT err.email_taken", err)
		}
	}
	got, err := s.User(ctx, b.ID)
	if err != nil || got.Email != "b@example.kg" {
		t.Fatalf("user b after a refused update: %+v %v", got, err)
	}
	// A user keeps their own email on update.
	a.Name = "Admin"
	if err := s.SaveUser(ctx, a); err != nil {
		t.Fatalf("update keeping own email: %v", err)
	}
}

func testSessions(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	u := saveUser(t, s, "a@example.kg", jarchy.RoleAuthor)
	expires := userAt.Add(24 * time.Hour)
	sess := &jarchy.Session{ID: "token-one", UserID: u.ID, ExpiresAt: expires}
	if err := s.CreateSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if !sess.CreatedAt.Equal(userAt) || !sess.LastSeenAt.Equal(userAt) {
		t.Fatalf("created session: %+v", sess)
	}
	got, err := s.SessionByToken(ctx, "token-one")
	if err != nil {
		t.Fatal(err)
	}
	if got.ID != "token-one" || got.UserID != u.ID || got.User == nil || got.User.Email != "a@example.kg" ||
		!got.CreatedAt.Equal(userAt) || !got.ExpiresAt.Equal(expires) || !got.LastSeenAt.Equal(userAt) {
		t.Fatalf("SessionByToken: %+v (user %+v)", got, got.User)
	}
	wantCode(t, "SessionByToken(unknown)", errOf(s.SessionByToken(ctx, "token-two")), jarchy.ENOTFOUND)
	wantCode(t, "CreateSession(no user)", s.CreateSession(ctx, &jarchy.Session{ID: "t", UserID: 999, ExpiresAt: expires}), jarchy.ENOTFOUND)
	wantCode(t, "CreateSession(no expiry)", s.CreateSession(ctx, &jarchy.Session{ID: "t", UserID: u.ID}), jarchy.EINVALID)

	// Touch renews: seen now, expiring later, so it outlives its first expiry.
	seen := userAt.Add(20 * time.Hour)
	c.set(seen)
	if err := s.TouchSession(ctx, "token-one", seen.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	c.set(expires.Add(time.Hour))
	got, err = s.SessionByToken(ctx, "token-one")
	if err != nil {
		t.Fatalf("touched session lost at its first expiry: %v", err)
	}
	if !got.LastSeenAt.Equal(seen) || !got.ExpiresAt.Equal(seen.Add(24*time.Hour)) || !got.CreatedAt.Equal(userAt) {
		t.Fatalf("touched session: %+v", got)
	}
	wantCode(t, "TouchSession(unknown)", s.TouchSession(ctx, "token-two", seen), jarchy.ENOTFOUND)

	// Logout, and ending all of a user's sessions.
	newSession(t, s, "token-two", u.ID, expires.Add(48*time.Hour))
	newSession(t, s, "token-three", u.ID, expires.Add(48*time.Hour))
	if err := s.DeleteSession(ctx, "token-one"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "token-one"); err != nil {
		t.Fatalf("DeleteSession twice: %v", err)
	}
	wantCode(t, "SessionByToken(after logout)", errOf(s.SessionByToken(ctx, "token-one")), jarchy.ENOTFOUND)
	if _, err := s.SessionByToken(ctx, "token-two"); err != nil {
		t.Fatalf("other session ended by a logout: %v", err)
	}
	if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"token-two", "token-three"} {
		wantCode(t, "SessionByToken after DeleteUserSessions", errOf(s.SessionByToken(ctx, tok)), jarchy.ENOTFOUND)
	}
}

func testSessionExpired(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	u := saveUser(t, s, "a@example.kg", jarchy.RoleAuthor)
	newSession(t, s, "short", u.ID, userAt.Add(time.Minute))
	newSession(t, s, "long", u.ID, userAt.Add(time.Hour))
	c.set(userAt.Add(time.Minute)) // expiry is exclusive
	wantCode(t, "SessionByToken(expired)", errOf(s.SessionByToken(ctx, "short")), jarchy.ENOTFOUND)
	wantCode(t, "TouchSession(expired)", s.TouchSession(ctx, "short", userAt.Add(time.Hour)), jarchy.ENOTFOUND)
	if _, err := s.SessionByToken(ctx, "long"); err != nil {
		t.Fatal(err)
	}
	n, err := s.DeleteExpiredSessions(ctx)
	if err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v; want 1", n, err)
	}
	c.set(userAt) // the row is gone, not just hidden
	wantCode(t, "SessionByToken(deleted)", errOf(s.SessionByToken(ctx, "short")), jarchy.ENOTFOUND)
	if n, err := s.DeleteExpiredSessions(ctx); err != nil || n != 0 {
		t.Fatalf("DeleteExpiredSessions again = %d, %v; want 0", n, err)
	}
}

func testDisableEndsSessions(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	u := saveUser(t, s, "a@example.kg", jarchy.RoleEditor)
	other := saveUser(t, s, "b@example.kg", jarchy.RoleEditor)
	newSession(t, s, "a-session", u.ID, userAt.Add(time.Hour))
	newSession(t, s, "b-session", other.ID, userAt.Add(time.Hour))
	u.Disabled = true
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "SessionByToken(disabled user)", errOf(s.SessionByToken(ctx, "a-session")), jarchy.ENOTFOUND)
	wantCode(t, "CreateSession(disabled user)", s.CreateSession(ctx, &jarchy.Session{ID: "new", UserID: u.ID, ExpiresAt: userAt.Add(time.Hour)}), jarchy.ENOTFOUND)
	if _, err := s.SessionByToken(ctx, "b-session"); err != nil {
		t.Fatalf("another user's session ended: %v", err)
	}
	// Enabling again does not bring the old session back: it was deleted.
	u.Disabled = false
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "SessionByToken(re-enabled user)", errOf(s.SessionByToken(ctx, "a-session")), jarchy.ENOTFOUND)
	got, err := s.User(ctx, u.ID)
	if err != nil || got.Disabled {
		t.Fatalf("re-enabled user: %+v %v", got, err)
	}
}

// testSessionTokenNotStored: the store keeps only the hash, so the hash
// (what a leaked table shows) is no token. Each store's own test reads the
// table and checks the stored value.
func testSessionTokenNotStored(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	u := saveUser(t, s, "a@example.kg", jarchy.RoleAuthor)
	newSession(t, s, "fixed-token", u.ID, userAt.Add(time.Hour))
	if got := jarchy.HashToken("fixed-token"); got != "648f312cf893d191028cba09f60f8ffe95624c9ef2d40a0c2f0db0e356e37e0f" {
		t.Fatalf("HashToken = %s", got)
	}
	wantCode(t, "SessionByToken(stored hash)", errOf(s.SessionByToken(ctx, "648f312cf893d191028cba09f60f8ffe95624c9ef2d40a0c2f0db0e356e37e0f")), jarchy.ENOTFOUND)
	if _, err := s.SessionByToken(ctx, "fixed-token"); err != nil {
		t.Fatal(err)
	}
}

// testUsersNoChange: account and session writes are not public changes:
// no subscriber hears of them (renewing a session invalidates nothing).
func testUsersNoChange(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	var calls atomic.Int32
	defer s.Subscribe(func(jarchy.Change) { calls.Add(1) })()
	gen := generation(t, s)
	u := saveUser(t, s, "a@example.kg", jarchy.RoleAuthor)
	newSession(t, s, "tok", u.ID, userAt.Add(time.Hour))
	if err := s.TouchSession(ctx, "tok", userAt.Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteSession(ctx, "tok"); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteUserSessions(ctx, u.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.DeleteExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 0 {
		t.Fatalf("account writes notified subscribers %d times, want 0", n)
	}
	if g := generation(t, s); g != gen {
		t.Fatalf("account and session writes moved the content generation %d -> %d", gen, g)
	}
	// The subscription works: a public write is heard.
	if err := s.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "H"}}); err != nil {
		t.Fatal(err)
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("settings write notified %d times, want 1", n)
	}
}

// testSharedSessions: a session made through one store works through the
// other (nodes share sessions), disabling through the other ends it, and
// account writes reach the other store's subscribers as nothing: the next
// thing it hears of is a settings write, alone.
func testSharedSessions(t *testing.T, a, b jarchy.Store) {
	rb := record(t, b)
	u := saveUser(t, a, "a@example.kg", jarchy.RoleEditor)
	newSession(t, a, "shared-token", u.ID, time.Now().Add(time.Hour))
	if err := a.TouchSession(ctx, "shared-token", time.Now().Add(2*time.Hour)); err != nil {
		t.Fatal(err)
	}
	got, err := b.SessionByToken(ctx, "shared-token")
	if err != nil || got.User.Email != "a@example.kg" {
		t.Fatalf("other store's session: %+v, %v", got, err)
	}
	other, err := b.UserByEmail(ctx, "a@example.kg")
	if err != nil {
		t.Fatal(err)
	}
	other.Disabled = true
	if err := b.SaveUser(ctx, other); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "SessionByToken after disable elsewhere", errOf(a.SessionByToken(ctx, "shared-token")), jarchy.ENOTFOUND)
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "After accounts"}}); err != nil {
		t.Fatal(err)
	}
	if ch := testwait.Recv(t, rb.in, "the settings write to reach the other store"); topics(ch) != "site" {
		t.Fatalf("the other store heard {%s} first, want {site}: account writes reached it", topics(ch))
	}
}
