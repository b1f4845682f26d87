package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
	"github.com/jarchy/jarchy/sqlite"
)

// TestServeCacheInvalidation runs serve with the page cache on (and the fast
// front), warms pages, then changes the content the way other processes do:
// `jarchy import` as the CLI runs it (its own store instance on the same
// SQLite file) and a second opened store for what the CLI cannot do (delete,
// section and settings changes). After each change the next requests must
// see it. The change reaches the server only through the store's
// cross-instance notification, which is asynchronous: pages are polled with
// a generous deadline that only bounds a failure.
func TestServeCacheInvalidation(t *testing.T) {
	data := t.TempDir()
	dbPath := filepath.Join(data, "jarchy.db")
	importLines := func(t *testing.T, lines ...map[string]any) {
		t.Helper()
		var b strings.Builder
		for _, l := range lines {
			j, err := json.Marshal(l)
			if err != nil {
				t.Fatal(err)
			}
			b.Write(j)
			b.WriteByte('\n')
		}
		file := filepath.Join(t.TempDir(), "in.jsonl")
		if err := os.WriteFile(file, []byte(b.String()), 0o644); err != nil {
			t.Fatal(err)
		}
		if code, out, errs := runCLI(t, "", "import", "--data", data, file); code != 0 {
			t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
		}
	}
	story := func(id, slug, title, status string) map[string]any {
		return map[string]any{"id": id, "lang": "ky", "slug": slug, "title": title,
			"lead": "Кыскача баяндама.", "body": "Макаланын тексти.", "section": "Politics",
			"tags": []string{"шайлоо"}, "authors": []string{"Бакыт Сыдыков"},
			"published_at": "2026-11-01T10:00:00Z", "status": status}
	}
	importLines(t,
		story("x0", "nolunchu", "Нөлүнчү макала", "published"),
		story("x1", "birinchi", "Биринчи макала", "published"))

	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", data, "--addr", "127.0.0.1:0", "--no-demo", "--cache-mb", "16"},
			strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		if code := testwait.Recv(t, done, "serve to exit after cancel"); code != 0 {
			t.Errorf("serve exit code %d:\n%s", code, stderr.String())
		}
	}()
	base := invalServeURL(t, &stderr, done)

	// A second store instance on the same file: "another process" for the
	// changes the CLI has no command for.
	other, err := sqlite.Open(context.Background(), dbPath)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()

	const (
		home    = "/ky/"
		section = "/ky/politics/"
		feed    = "/ky/feed/rss.xml"
		first   = "/ky/politics/birinchi"
		second  = "/ky/politics/ekinchi"
	)
	// warm requests each path twice and checks that the page cache answers it
	// (a strong ETag, and 304 to If-None-Match): a stale copy is there to be
	// served if invalidation did not happen.
	warm := func(t *testing.T, paths ...string) {
		t.Helper()
		for _, p := range paths {
			invalGet(t, base+p, "")
			code, _, etag := invalGet(t, base+p, "")
			if code != http.StatusOK {
				continue // a 404 is cached too, without validators
			}
			if etag == "" {
				t.Fatalf("GET %s: no ETag, the page cache is not in front", p)
			}
			if code, _, _ := invalGet(t, base+p, etag); code != http.StatusNotModified {
				t.Fatalf("GET %s with If-None-Match: %d, want 304 from the cache", p, code)
			}
		}
	}
	// await polls path until ok accepts the answer.
	await := func(t *testing.T, path, what string, ok func(code int, body string) bool) {
		t.Helper()
		var code int
		var body string
		for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
			if code, body, _ = invalGet(t, base+path, ""); ok(code, body) {
				return
			}
		}
		t.Errorf("GET %s never showed %s (last answer %d, %d bytes)", path, what, code, len(body))
	}
	shows := func(t *testing.T, path, text string) {
		t.Helper()
		await(t, path, "200 with "+text, func(code int, body string) bool { return code == 200 && strings.Contains(body, text) })
	}
	lacks := func(t *testing.T, path, text string) {
		t.Helper()
		await(t, path, "200 without "+text, func(code int, body string) bool { return code == 200 && !strings.Contains(body, text) })
	}
	gone := func(t *testing.T, path string) {
		t.Helper()
		await(t, path, "404", func(code int, _ string) bool { return code == http.StatusNotFound })
	}

	t.Run("publish", func(t *testing.T) {
		gone(t, second)
		warm(t, home, section, feed, second)
		importLines(t, story("x2", "ekinchi", "Экинчи макала", "published"))
		shows(t, second, "Экинчи макала")
		shows(t, home, "Экинчи макала")
		shows(t, section, "Экинчи макала")
		shows(t, feed, "Экинчи макала")
	})
	t.Run("edit", func(t *testing.T) {
		warm(t, home, first, feed)
		importLines(t, story("x1", "birinchi", "Биринчи макала оңдолду", "published"))
		shows(t, first, "Биринчи макала оңдолду")
		shows(t, home, "Биринчи макала оңдолду")
		shows(t, feed, "Биринчи макала оңдолду")
	})
	t.Run("unpublish", func(t *testing.T) {
		// The workflow has no published -> draft step; taking a story down is
		// "unpublished".
		warm(t, home, second, feed)
		importLines(t, story("x2", "ekinchi", "Экинчи макала", "unpublished"))
		gone(t, second)
		lacks(t, home, "Экинчи макала")
		lacks(t, feed, "Экинчи макала")
	})
	t.Run("delete", func(t *testing.T) {
		warm(t, home, first, section)
		a, err := other.ArticleByExternalID(context.Background(), "x1")
		if err != nil {
			t.Fatal(err)
		}
		if err := other.DeleteArticle(context.Background(), a.ID); err != nil {
			t.Fatal(err)
		}
		gone(t, first)
		lacks(t, home, "Биринчи макала")
		lacks(t, section, "Биринчи макала")
	})
	t.Run("section", func(t *testing.T) {
		warm(t, home, section)
		secs, err := other.Sections(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var s *jarchy.Section
		for i := range secs {
			if secs[i].Slug == "politics" {
				s = &secs[i]
			}
		}
		if s == nil {
			t.Fatalf("no politics section in %+v", secs)
		}
		s.Names = map[jarchy.Lang]string{jarchy.Kyrgyz: "Саясий кабарлар", jarchy.English: "Politics"}
		if err := other.SaveSection(context.Background(), s); err != nil {
			t.Fatal(err)
		}
		shows(t, home, "Саясий кабарлар")    // menu
		shows(t, section, "Саясий кабарлар") // heading
	})
	t.Run("settings", func(t *testing.T) {
		warm(t, home, section)
		st, err := other.Settings(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		st.SiteName = map[jarchy.Lang]string{jarchy.Kyrgyz: "Тоо Жарчысы"}
		if err := other.SaveSettings(context.Background(), st); err != nil {
			t.Fatal(err)
		}
		shows(t, home, "Тоо Жарчысы")
		shows(t, section, "Тоо Жарчысы")
	})
}

// invalServeURL waits for serve's "serving" log line and returns its URL.
func invalServeURL(t *testing.T, stderr *syncBuffer, done chan int) string {
	t.Helper()
	urlRe := regexp.MustCompile(`msg=serving url=(http://127\.0\.0\.1:\d+)`)
	deadline := time.Now().Add(2 * time.Minute) // only to fail a hung start
	for {
		if m := urlRe.FindStringSubmatch(stderr.String()); m != nil {
			return m[1]
		}
		select {
		case code := <-done:
			done <- code
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
	}
}

// invalGet fetches url (with If-None-Match when etag is set) and returns the
// status, body and ETag.
func invalGet(t *testing.T, url, etag string) (int, string, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if etag != "" {
		req.Header.Set("If-None-Match", etag)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b), resp.Header.Get("ETag")
}
