package newsroom_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/newsroom"
	"github.com/jarchy/jarchy/pagecache"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
	"github.com/jarchy/jarchy/web"
)

var ctx = context.Background()

const password = "correct horse battery"

// fastHash is a cheap argon2id hash for test users (logins stay quick).
func fastHash(pw string) string {
	return auth.HashWith(auth.Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}, pw, []byte("0123456789abcdef"))
}

// stack is the whole served application as cmd/jarchy serve wires it: the
// newsroom beside the page cache in front of the public site, on a real
// loopback server, over one store.
type stack struct {
	srv   *httptest.Server
	store jarchy.Store
	cache *pagecache.Cache
}

// openSQLite opens (or reopens) the SQLite store at path.
func openSQLite(t testing.TB, path string) jarchy.Store {
	t.Helper()
	st, err := sqlite.Open(ctx, path)
	if err != nil {
		t.Fatalf("open sqlite: %v", err)
	}
	return st
}

// startStack serves st; baseURL "" is the server's own address.
func startStack(t testing.TB, st jarchy.Store, baseURL string) *stack {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	if baseURL == "" {
		baseURL = "http://" + srv.Listener.Addr().String()
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	site := web.New(web.Config{BaseURL: baseURL, Logger: quiet}, st, nil)
	cache := pagecache.New(pagecache.Options{MaxBytes: 8 << 20, QueryParams: site.QueryParams})
	stop := pagecache.Watch(st, cache)
	nr := newsroom.New(newsroom.Config{BaseURL: baseURL, Logger: quiet}, st)
	srv.Config.Handler = newsroom.Beside(nr, cache.Handler(site))
	srv.Start()
	s := &stack{srv: srv, store: st, cache: cache}
	t.Cleanup(func() { s.stop(); stop(); site.Close() })
	return s
}

func (s *stack) stop() { s.srv.Close() }

// newSQLiteStack is a fresh SQLite store served by a stack.
func newSQLiteStack(t testing.TB) *stack {
	t.Helper()
	st := openSQLite(t, filepath.Join(t.TempDir(), "jarchy.db"))
	t.Cleanup(func() { st.Close() })
	return startStack(t, st, "")
}

// addUser creates a user with the test password.
func addUser(t testing.TB, st jarchy.Store, email string, role jarchy.Role, lang jarchy.Lang) *jarchy.User {
	t.Helper()
	u := &jarchy.User{Email: email, Name: strings.Split(email, "@")[0], Role: role, Lang: lang, PasswordHash: fastHash(password)}
	if err := st.SaveUser(ctx, u); err != nil {
		t.Fatalf("save user %s: %v", email, err)
	}
	return u
}

// client is one browser: its cookies, and the form token of the last
// newsroom page it read.
type client struct {
	t     testing.TB
	base  string
	http  *http.Client
	token string
}

func newClient(t testing.TB, base string) *client {
	jar, _ := cookiejar.New(nil)
	return &client{t: t, base: base, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

var tokenRe = regexp.MustCompile(`name="_token" value="([^"]*)"`)

// do sends a request and returns the answer with its body read.
func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatalf("read %s: %v", req.URL, err)
	}
	body := string(b)
	if m := tokenRe.FindStringSubmatch(body); m != nil {
		c.token = m[1]
	}
	return res, body
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("GET", c.base+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	return c.do(req)
}

// post sends a form with the client's current form token (unless the
// form has its own _token, or withToken is false) from the same origin.
func (c *client) post(path string, form url.Values) (*http.Response, string) {
	c.t.Helper()
	f := url.Values{}
	for k, v := range form {
		f[k] = v
	}
	if _, ok := f["_token"]; !ok {
		f.Set("_token", c.token)
	}
	return c.postRaw(path, f, nil)
}

// postRaw sends form as given, with extra headers.
func (c *client) postRaw(path string, form url.Values, header http.Header) (*http.Response, string) {
	c.t.Helper()
	req, err := http.NewRequest("POST", c.base+path, strings.NewReader(form.Encode()))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range header {
		req.Header[k] = v
	}
	return c.do(req)
}

// login logs the client in as email and fails the test otherwise.
func (c *client) login(email string) {
	c.t.Helper()
	c.get("/newsroom/login")
	res, body := c.post("/newsroom/login", url.Values{"email": {email}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		c.t.Fatalf("login %s: status %d, want 303\n%s", email, res.StatusCode, body)
	}
	c.get("/newsroom/") // the session's form token
}

func wantStatus(t testing.TB, res *http.Response, body string, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d\n%s", res.Request.Method, res.Request.URL.Path, res.StatusCode, want, body)
	}
}

func wantContains(t testing.TB, body string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(body, p) {
			t.Errorf("page lacks %q", p)
		}
	}
}

func TestMain(m *testing.M) { pgtest.Main(m) }

// forEachStore runs fn on SQLite and on PostgreSQL (internal/pgtest; it
// skips without server binaries). open returns a new handle on the test's
// one database each time; fn closes what it opens.
func forEachStore(t *testing.T, fn func(t *testing.T, open func() jarchy.Store)) {
	t.Run("sqlite", func(t *testing.T) {
		path := filepath.Join(t.TempDir(), "jarchy.db")
		fn(t, func() jarchy.Store { return openSQLite(t, path) })
	})
	t.Run("postgres", func(t *testing.T) {
		url := pgtest.URL(t)
		fn(t, func() jarchy.Store {
			st, err := postgres.Open(ctx, url)
			if err != nil {
				t.Fatalf("open postgres: %v", err)
			}
			return st
		})
	})
}

// newStack opens the store and serves it; both close at the test's end.
func newStack(t *testing.T, open func() jarchy.Store) *stack {
	st := open()
	t.Cleanup(func() { st.Close() })
	return startStack(t, st, "")
}

// seedSections creates the sections politics and economy and returns
// their IDs.
func seedSections(t testing.TB, st jarchy.Store) (politics, economy int64) {
	t.Helper()
	p := &jarchy.Section{Slug: "politics", Position: 1, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Саясат", jarchy.Russian: "Политика", jarchy.English: "Politics"}}
	e := &jarchy.Section{Slug: "economy", Position: 2, Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Экономика", jarchy.Russian: "Экономика", jarchy.English: "Economy"}}
	for _, s := range []*jarchy.Section{p, e} {
		if err := st.SaveSection(ctx, s); err != nil {
			t.Fatalf("save section: %v", err)
		}
	}
	return p.ID, e.ID
}

// saveArticle stores an article as the system (an import) would.
func saveArticle(t testing.TB, st jarchy.Store, a *jarchy.Article) *jarchy.Article {
	t.Helper()
	if err := st.SaveArticle(ctx, a); err != nil {
		t.Fatalf("save article %q: %v", a.Title, err)
	}
	return a
}

func loadArticle(t testing.TB, st jarchy.Store, id int64) *jarchy.Article {
	t.Helper()
	a, err := st.Article(ctx, id)
	if err != nil {
		t.Fatalf("load article %d: %v", id, err)
	}
	return a
}

// idFromLocation reads the article ID of a redirect to its editor.
func idFromLocation(t testing.TB, res *http.Response) int64 {
	t.Helper()
	loc := res.Header.Get("Location")
	m := regexp.MustCompile(`^/newsroom/articles/(\d+)`).FindStringSubmatch(loc)
	if m == nil {
		t.Fatalf("redirect to %q, want an article's editor", loc)
	}
	id, _ := strconv.ParseInt(m[1], 10, 64)
	return id
}

// editorForm is the editor's form for article a, as the page would send it.
func editorForm(a *jarchy.Article, to jarchy.Status) url.Values {
	v := url.Values{
		"title": {a.Title}, "slug": {a.Slug}, "lead": {a.Lead}, "body": {a.Body},
		"section": {strconv.FormatInt(a.Section.ID, 10)}, "lang": {string(a.Lang)},
		"version": {strconv.FormatInt(a.Version, 10)},
	}
	if !a.PublishedAt.IsZero() {
		v.Set("published_at", a.PublishedAt.In(bishkek).Format("2006-01-02T15:04"))
	}
	if to != "" {
		v.Set("to", string(to))
	}
	return v
}

var bishkek = time.FixedZone("+06", 6*60*60)
