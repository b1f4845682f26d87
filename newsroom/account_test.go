package newsroom_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/clientip"
	"github.com/jarchy/jarchy/newsroom"
)

// newsroomOnly serves just the newsroom over st with cfg (a fixed clock
// unless cfg sets one: throttles never refill during a test).
func newsroomOnly(t *testing.T, st jarchy.Store, cfg newsroom.Config) *httptest.Server {
	t.Helper()
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if cfg.Now == nil {
		fixed := time.Now()
		cfg.Now = func() time.Time { return fixed }
	}
	srv := httptest.NewServer(newsroom.New(cfg, st))
	t.Cleanup(srv.Close)
	return srv
}

func tempStore(t *testing.T) jarchy.Store {
	t.Helper()
	st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
	t.Cleanup(func() { st.Close() })
	return st
}

// clientFrom is a client whose connections come from a loopback address
// of its own (127.0.0.0/8 is all loopback on Linux).
func clientFrom(t *testing.T, base, local string) *client {
	c := newClient(t, base)
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(local)}}
	c.http.Transport = &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}}
	return c
}

func loginAttempt(c *client, email, pw, xff string) *http.Response {
	c.t.Helper()
	c.get("/newsroom/login")
	res, _ := c.postRaw("/newsroom/login", url.Values{"_token": {c.token}, "email": {email}, "password": {pw}},
		http.Header{"X-Forwarded-For": {xff}})
	return res
}

// TestLoginThrottlePerAccount: after five failures an account is locked for
// everyone, also for its right password and from a rotating
// X-Forwarded-For, which counts for nothing from an untrusted peer.
func TestLoginThrottlePerAccount(t *testing.T) {
	st := tempStore(t)
	addUser(t, st, "aibek@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	srv := newsroomOnly(t, st, newsroom.Config{})
	c := newClient(t, srv.URL)
	for i := range 5 {
		if res := loginAttempt(c, "aibek@example.kg", "wrong password!", fmt.Sprintf("198.51.100.%d", i)); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	res := loginAttempt(c, "AIBEK@example.kg", password, "198.51.100.77")
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Fatalf("6th attempt (right password): status %d, Retry-After %q; want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	// Another account from the same client still works.
	addUser(t, st, "bolot@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	if res := loginAttempt(newClient(t, srv.URL), "bolot@example.kg", password, ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another account: status %d, want 303", res.StatusCode)
	}
}

// TestLoginThrottlePerClient: one client trying many accounts is stopped
// after 20 attempts, whatever X-Forwarded-For it sends; behind a trusted
// proxy, the header names the client, so another client still gets in.
func TestLoginThrottlePerClient(t *testing.T) {
	st := tempStore(t)
	addUser(t, st, "aibek@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	proxy, err := clientip.Parse("127.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	srv := newsroomOnly(t, st, newsroom.Config{ClientIP: proxy})
	port := srv.Listener.Addr().(*net.TCPAddr).Port
	base := fmt.Sprintf("http://127.0.0.1:%d", port)

	// 127.0.0.2 is no trusted proxy: its header is ignored.
	attacker := clientFrom(t, base, "127.0.0.2")
	for i := range 20 {
		res := loginAttempt(attacker, fmt.Sprintf("guess%d@example.kg", i), "wrong password!", fmt.Sprintf("203.0.113.%d", i))
		if res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("attempt %d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	if res := loginAttempt(attacker, "aibek@example.kg", password, "203.0.113.200"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("21st attempt from a rotating header: status %d, want 429", res.StatusCode)
	}

	// Through the trusted proxy (127.0.0.1), clients are told apart by the header.
	viaProxy := clientFrom(t, base, "127.0.0.1")
	for i := range 20 {
		if res := loginAttempt(viaProxy, fmt.Sprintf("guess%d@example.kg", i), "wrong password!", "198.51.100.1"); res.StatusCode != http.StatusUnauthorized {
			t.Fatalf("proxied attempt %d: status %d, want 401", i+1, res.StatusCode)
		}
	}
	if res := loginAttempt(viaProxy, "aibek@example.kg", password, "198.51.100.1"); res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("the proxied guesser's 21st attempt: status %d, want 429", res.StatusCode)
	}
	if res := loginAttempt(viaProxy, "aibek@example.kg", password, "198.51.100.2"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("another client behind the proxy: status %d, want 303", res.StatusCode)
	}
}

// TestSetupLink: the one-time link creates the first admin and logs them
// in; a refused form keeps what was typed and the link; the link works once.
func TestSetupLink(t *testing.T) {
	st := tempStore(t)
	srv := newsroomOnly(t, st, newsroom.Config{})
	if err := st.CreateSetupToken(ctx, "setup-token-0123456789", time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	c := newClient(t, srv.URL)
	res, body := c.get("/newsroom/setup?token=not-the-token")
	wantStatus(t, res, body, http.StatusNotFound)
	wantContains(t, body, "Бул шилтеменин мөөнөтү бүткөн же ал буга чейин колдонулган.")

	res, body = c.get("/newsroom/setup?token=setup-token-0123456789")
	wantStatus(t, res, body, http.StatusOK)
	form := url.Values{"token": {"setup-token-0123456789"}, "email": {"Editor@Example.KG"}, "name": {"Гүлнара <b>Асанова</b>"},
		"lang": {"ru"}, "password": {"short"}, "password2": {"short"}}
	res, body = c.post("/newsroom/setup", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, `value="Editor@Example.KG"`, `value="Гүлнара &lt;b&gt;Асанова&lt;/b&gt;"`)
	if strings.Contains(body, `value="short"`) {
		t.Error("the refused form repeats the password")
	}
	form.Set("password", "long enough password")
	form.Set("password2", "long enough, but another")
	res, body = c.post("/newsroom/setup", form)
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Сырсөздөр дал келген жок.")
	if ok, _ := st.HasAdmin(ctx); ok {
		t.Fatal("a refused setup form created an admin")
	}

	form.Set("password2", "long enough password")
	res, body = c.post("/newsroom/setup", form)
	wantStatus(t, res, body, http.StatusSeeOther)
	u, err := st.UserByEmail(ctx, "editor@example.kg")
	if err != nil || u.Role != jarchy.RoleAdmin || u.Lang != jarchy.Russian {
		t.Fatalf("created user %+v, %v; want an admin speaking ru", u, err)
	}
	res, body = c.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, `lang="ru"`)

	// Replayed: a clear page, and no second account.
	other := newClient(t, srv.URL)
	other.get("/newsroom/login")
	form.Set("email", "second@example.kg")
	res, body = other.post("/newsroom/setup", form)
	if res.StatusCode != http.StatusNotFound && res.StatusCode != http.StatusConflict {
		t.Fatalf("replayed setup form: status %d, want 404 or 409\n%s", res.StatusCode, body)
	}
	if users, _ := st.Users(ctx); len(users) != 1 {
		t.Fatalf("%d users after a replayed setup form, want 1", len(users))
	}
}

// TestPasswordChange: the current password is needed, the new one is
// checked, other sessions end, this browser stays in; the language
// preference changes the UI.
func TestPasswordChange(t *testing.T) {
	st := tempStore(t)
	addUser(t, st, "aibek@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	srv := newsroomOnly(t, st, newsroom.Config{})
	laptop, phone := newClient(t, srv.URL), newClient(t, srv.URL)
	laptop.login("aibek@example.kg")
	phone.login("aibek@example.kg")

	res, body := laptop.get("/newsroom/account")
	wantStatus(t, res, body, http.StatusOK)
	res, body = laptop.post("/newsroom/account", url.Values{"lang": {"ky"}, "current": {"not my password"},
		"password": {"a brand new password"}, "password2": {"a brand new password"}})
	wantStatus(t, res, body, http.StatusUnprocessableEntity)
	wantContains(t, body, "Азыркы сырсөз туура эмес.")

	res, body = laptop.post("/newsroom/account", url.Values{"lang": {"en"}, "current": {password},
		"password": {"a brand new password"}, "password2": {"a brand new password"}})
	wantStatus(t, res, body, http.StatusSeeOther)
	res, body = laptop.get("/newsroom/account?saved=1")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Saved.", `lang="en"`)

	res, body = phone.get("/newsroom/")
	wantStatus(t, res, body, http.StatusSeeOther) // the other session ended

	fresh := newClient(t, srv.URL)
	if res := loginAttempt(fresh, "aibek@example.kg", password, ""); res.StatusCode != http.StatusUnauthorized {
		t.Fatalf("the old password: status %d, want 401", res.StatusCode)
	}
	if res := loginAttempt(fresh, "aibek@example.kg", "a brand new password", ""); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the new password: status %d, want 303", res.StatusCode)
	}
}
