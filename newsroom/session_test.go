package newsroom_test

import (
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

// TestLogin: the login form, a refused login (unknown user and wrong
// password answer alike), a login that starts a session with a cookie
// scoped to the newsroom, and logout ending the session in the store.
func TestLogin(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "aibek@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
	c := newClient(t, s.srv.URL)

	res, body := c.get("/newsroom/")
	wantStatus(t, res, body, http.StatusSeeOther)
	if loc := res.Header.Get("Location"); loc != "/newsroom/login" {
		t.Errorf("dashboard without a session goes to %q, want /newsroom/login", loc)
	}
	res, body = c.get("/newsroom/login")
	wantStatus(t, res, body, http.StatusOK)
	if cc := res.Header.Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control %q, want private, no-store", cc)
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("newsroom CSP %q lacks script-src 'self'", csp)
	}

	var answers []string
	for _, try := range []url.Values{
		{"email": {"nobody@example.kg"}, "password": {password}},
		{"email": {"aibek@example.kg"}, "password": {"wrong password!"}},
	} {
		res, body := c.post("/newsroom/login", try)
		wantStatus(t, res, body, http.StatusUnauthorized)
		if strings.Contains(body, "wrong password!") {
			t.Error("the refused login page repeats the password")
		}
		wantContains(t, body, "Электрондук почта же сырсөз туура эмес.")
		answers = append(answers, strings.ReplaceAll(body, try.Get("email"), ""))
	}
	if answers[0] != answers[1] {
		t.Error("an unknown user and a wrong password get different pages")
	}

	res, body = c.post("/newsroom/login", url.Values{"email": {"AIBEK@example.kg"}, "password": {password}})
	wantStatus(t, res, body, http.StatusSeeOther)
	var cookie *http.Cookie
	for _, ck := range res.Cookies() {
		if ck.Name == "jarchy_session" {
			cookie = ck
		}
	}
	if cookie == nil {
		t.Fatal("login set no session cookie")
	}
	if cookie.Path != "/newsroom" || !cookie.HttpOnly || cookie.SameSite != http.SameSiteLaxMode || cookie.Secure {
		t.Errorf("session cookie %+v: want Path=/newsroom, HttpOnly, SameSite=Lax, not Secure over plain http", cookie)
	}
	res, body = c.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK)
	wantContains(t, body, "Кош келиңиз, aibek!", `lang="ky"`)

	res, body = c.post("/newsroom/logout", nil)
	wantStatus(t, res, body, http.StatusSeeOther)
	if _, err := s.store.SessionByToken(ctx, cookie.Value); !jarchy.IsNotFound(err) {
		t.Errorf("session after logout: %v, want not found", err)
	}
	// The old cookie is worthless now, even replayed.
	c2 := newClient(t, s.srv.URL)
	c2.http.Jar.SetCookies(res.Request.URL, []*http.Cookie{{Name: "jarchy_session", Value: cookie.Value, Path: "/newsroom"}})
	res, body = c2.get("/newsroom/")
	wantStatus(t, res, body, http.StatusSeeOther)
}

// TestSecureCookieBehindTLS: an https base URL (TLS ends at a proxy) makes
// the session cookie Secure.
func TestSecureCookieBehindTLS(t *testing.T) {
	st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
	t.Cleanup(func() { st.Close() })
	s := startStack(t, st, "https://news.example")
	addUser(t, st, "ed@example.kg", jarchy.RoleEditor, jarchy.Russian)
	c := newClient(t, s.srv.URL)
	c.get("/newsroom/login")
	res, body := c.post("/newsroom/login", url.Values{"email": {"ed@example.kg"}, "password": {password}})
	wantStatus(t, res, body, http.StatusSeeOther)
	for _, ck := range res.Cookies() {
		if ck.Name == "jarchy_session" && !ck.Secure {
			t.Error("session cookie is not Secure under an https base URL")
		}
	}
}

// TestFormTokenRequired: a POST without the form token, or with another
// session's, is refused with 403 and changes nothing (the session lives).
func TestFormTokenRequired(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.English)
	addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Russian)
	c := newClient(t, s.srv.URL)
	c.login("ed@example.kg")
	other := newClient(t, s.srv.URL)
	other.login("au@example.kg")

	for name, token := range map[string][]string{"missing": nil, "empty": {""}, "other session's": {other.token}} {
		form := url.Values{}
		if token != nil {
			form["_token"] = token
		}
		res, body := c.postRaw("/newsroom/logout", form, nil)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s token: status %d, want 403", name, res.StatusCode)
		}
		wantContains(t, body, "The form has expired or was not sent from here.")
	}
	res, body := c.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK) // still logged in

	// The login form too: its token is tied to the browser's cookie.
	fresh := newClient(t, s.srv.URL)
	res, body = fresh.postRaw("/newsroom/login", url.Values{"email": {"ed@example.kg"}, "password": {password}}, nil)
	wantStatus(t, res, body, http.StatusForbidden)
}

// TestCrossOriginPost: http.CrossOriginProtection refuses a POST another
// site's page makes, even with a valid form token.
func TestCrossOriginPost(t *testing.T) {
	s := newSQLiteStack(t)
	addUser(t, s.store, "ed@example.kg", jarchy.RoleEditor, jarchy.Kyrgyz)
	c := newClient(t, s.srv.URL)
	c.login("ed@example.kg")
	for name, h := range map[string]http.Header{
		"Sec-Fetch-Site": {"Sec-Fetch-Site": {"cross-site"}},
		"Origin":         {"Origin": {"https://evil.example"}},
	} {
		res, body := c.postRaw("/newsroom/logout", url.Values{"_token": {c.token}}, h)
		if res.StatusCode != http.StatusForbidden {
			t.Fatalf("%s: status %d, want 403", name, res.StatusCode)
		}
		wantContains(t, body, "Башка сайттан жөнөтүлгөн суроо четке кагылды.")
	}
	res, body := c.get("/newsroom/")
	wantStatus(t, res, body, http.StatusOK) // the logout never happened
}

// TestSessionSurvivesRestart: the session lives in the store, so a new
// process on the same database knows it (both stores).
func TestSessionSurvivesRestart(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func() jarchy.Store) {
		st := open()
		s := startStack(t, st, "")
		addUser(t, st, "ed@example.kg", jarchy.RoleEditor, jarchy.English)
		c := newClient(t, s.srv.URL)
		c.login("ed@example.kg")
		cookies := c.http.Jar.Cookies(mustURL(t, s.srv.URL+"/newsroom/"))
		s.stop()
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}

		s2 := newStack(t, open)
		c2 := newClient(t, s2.srv.URL)
		c2.http.Jar.SetCookies(mustURL(t, s2.srv.URL+"/newsroom/"), cookies)
		res, body := c2.get("/newsroom/")
		wantStatus(t, res, body, http.StatusOK)
		wantContains(t, body, "Welcome, ed!")
	})
}

// TestDisabledUserSessionEnds: disabling a user ends their session at
// once, also for a second process on the same database (both stores).
func TestDisabledUserSessionEnds(t *testing.T) {
	forEachStore(t, func(t *testing.T, open func() jarchy.Store) {
		s := newStack(t, open)
		other := newStack(t, open) // another node
		u := addUser(t, s.store, "au@example.kg", jarchy.RoleAuthor, jarchy.Kyrgyz)
		c := newClient(t, s.srv.URL)
		c.login("au@example.kg")
		c2 := newClient(t, other.srv.URL)
		c2.http.Jar.SetCookies(mustURL(t, other.srv.URL+"/newsroom/"), c.http.Jar.Cookies(mustURL(t, s.srv.URL+"/newsroom/")))
		res, body := c2.get("/newsroom/")
		wantStatus(t, res, body, http.StatusOK)

		u.Disabled = true
		if err := s.store.SaveUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		res, body = c.get("/newsroom/")
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = c2.get("/newsroom/")
		wantStatus(t, res, body, http.StatusSeeOther)
		res, body = c.post("/newsroom/logout", nil)
		wantStatus(t, res, body, http.StatusUnauthorized)
		c.get("/newsroom/login")
		res, body = c.post("/newsroom/login", url.Values{"email": {"au@example.kg"}, "password": {password}})
		wantStatus(t, res, body, http.StatusUnauthorized)
	})
}

// TestPublicSiteKeepsItsCSP: the public site allows one script, the
// comment form's, by its hash only (not 'self', nothing inline, no eval);
// the newsroom runs its own under its own policy.
func TestPublicSiteKeepsItsCSP(t *testing.T) {
	s := newSQLiteStack(t)
	c := newClient(t, s.srv.URL)
	res, _ := c.get("/ky/")
	csp := res.Header.Get("Content-Security-Policy")
	var scriptSrc string
	for _, d := range strings.Split(csp, ";") {
		if f := strings.Fields(d); len(f) > 0 && f[0] == "script-src" {
			scriptSrc = strings.Join(f[1:], " ")
		}
	}
	if !regexp.MustCompile(`^'sha256-[A-Za-z0-9+/]{43}='$`).MatchString(scriptSrc) {
		t.Errorf("public CSP %q: script-src %q, want one sha256 hash source and nothing else", csp, scriptSrc)
	}
	res, _ = c.get("/newsroom/static/newsroom.js")
	if res.StatusCode != http.StatusOK || res.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("newsroom script: status %d, Cache-Control %q", res.StatusCode, res.Header.Get("Cache-Control"))
	}
}

func mustURL(t testing.TB, s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
