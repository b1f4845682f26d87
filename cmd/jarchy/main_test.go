package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
	_ "modernc.org/sqlite"
)

// syncBuffer is a bytes.Buffer safe for a writer and a reader goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func runCLI(t *testing.T, stdin string, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, strings.NewReader(stdin), &out, &errb)
	return code, out.String(), errb.String()
}

func jsonLine(m map[string]any) string {
	b, _ := json.Marshal(m)
	return string(b)
}

func article(id, title string) map[string]any {
	return map[string]any{"id": id, "lang": "ky", "title": title, "lead": "Кыскача", "body": "Текст.",
		"section": "Саясат", "tags": []string{"шайлоо"}, "authors": []string{"Бакыт Сыдыков"},
		"published_at": "2026-11-01T10:00:00Z", "status": "published"}
}

func TestImportBadLineExitCode(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "in.jsonl")
	in := jsonLine(article("x1", "Биринчи макала")) + "\n" +
		`{"id": "x2", "lang": "ky", "title": "сынык` + "\n" +
		jsonLine(article("x3", "Үчүнчү макала")) + "\n"
	if err := os.WriteFile(file, []byte(in), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "import", "--data", data, file)
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^line 2: .*invalid JSON`).MatchString(stderr) || strings.Contains(stderr, "line 1:") || strings.Contains(stderr, "line 3:") {
		t.Errorf("stderr does not report exactly line 2:\n%s", stderr)
	}
	if !strings.Contains(stdout, "2 created") || !strings.Contains(stdout, "1 failed") {
		t.Errorf("summary: %s", stdout)
	}

	// The good lines are in: export them through the CLI (stdout).
	code, stdout, stderr = runCLI(t, "", "export", "--data", data, "-")
	if code != 0 {
		t.Fatalf("export: %d %s", code, stderr)
	}
	if n := strings.Count(stdout, "\n"); n != 2 || !strings.Contains(stdout, `"id":"x3"`) {
		t.Errorf("export wrote %d lines:\n%s", n, stdout)
	}
	// Import of the export from stdin: every line good, nothing changes.
	code, out2, stderr := runCLI(t, stdout, "import", "--data", data, "-")
	if code != 0 || !strings.Contains(out2, "2 unchanged") {
		t.Errorf("re-import: %d %s %s", code, out2, stderr)
	}
}

// A line the database refuses at save time (a trigger stands in for any
// store-level failure) and a line that cannot be read, both in the middle
// of one batch: every other line is imported, both are reported as
// "line N: id: reason", and the exit code is 1.
func TestImportFailedSaveExitCode(t *testing.T) {
	data := t.TempDir()
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte(jsonLine(article("first", "Биринчи"))+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "", "import", "--data", data, file); code != 0 {
		t.Fatalf("first import: %s", stderr)
	}
	raw, err := sql.Open("sqlite", filepath.Join(data, "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	if _, err := raw.Exec(`CREATE TRIGGER refuse BEFORE INSERT ON articles WHEN NEW.external_id = 'refused'
		BEGIN SELECT RAISE(ABORT, 'refused by trigger'); END`); err != nil {
		t.Fatal(err)
	}
	bad := article("bad-time", "Убакыт")
	bad["published_at"] = "эртең"
	in := []string{
		jsonLine(article("a1", "Биринчи макала")),
		jsonLine(article("refused", "Четке кагылган")),
		jsonLine(article("a2", "Экинчи макала")),
		jsonLine(bad),
		jsonLine(article("a3", "Үчүнчү макала")),
		jsonLine(article("a1", "Биринчи макала, оңдолгон")),
	}
	if err := os.WriteFile(file, []byte(strings.Join(in, "\n")+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := runCLI(t, "", "import", "--data", data, file)
	if code != 1 {
		t.Errorf("exit code %d, want 1; stderr:\n%s", code, stderr)
	}
	want := []string{
		`line 2: refused: save article "Четке кагылган": constraint failed: refused by trigger`,
		`line 4: bad-time: published_at "эртең" is not an RFC 3339 time`,
	}
	got := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(got) != 2 || !strings.HasPrefix(got[0], want[0]) || got[1] != want[1] {
		t.Errorf("stderr:\n%s\nwant lines starting with:\n%s", stderr, strings.Join(want, "\n"))
	}
	if !strings.Contains(stdout, "6 lines: 3 created, 0 updated, 0 unchanged, 1 superseded by a later line, 2 failed") {
		t.Errorf("summary: %s", stdout)
	}
	code, stdout, _ = runCLI(t, "", "export", "--data", data, "-")
	for _, id := range []string{"first", "a1", "a2", "a3"} {
		if !strings.Contains(stdout, `"id":"`+id+`"`) {
			t.Errorf("export (exit %d) lacks %s:\n%s", code, id, stdout)
		}
	}
	if !strings.Contains(stdout, "Биринчи макала, оңдолгон") {
		t.Errorf("a1 is not the later line's version:\n%s", stdout)
	}
}

func TestBadDatabase(t *testing.T) {
	data := t.TempDir()
	bad := filepath.Join(data, "broken.db")
	if err := os.WriteFile(bad, bytes.Repeat([]byte("this is not an SQLite database "), 200), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"serve", "--data", data, "--db", bad, "--addr", "127.0.0.1:0"},
		{"import", "--data", data, "--db", bad, "-"},
		{"export", "--data", data, "--db", bad, "-"},
		{"demo", "--data", data, "--db", bad, "--articles", "1"},
	} {
		code, _, stderr := runCLI(t, "", args...)
		if code == 0 || !strings.Contains(stderr, "cannot open database") || !strings.Contains(stderr, bad) {
			t.Errorf("%s: exit %d, stderr %q", args[0], code, stderr)
		}
	}
	// A password in a PostgreSQL URL never reaches the message.
	code, _, stderr := runCLI(t, "", "export", "--data", data, "--db", "postgres://u:secret@127.0.0.1:1/x?connect_timeout=2", "-")
	if code == 0 || strings.Contains(stderr, "secret") || !strings.Contains(stderr, "cannot open database") {
		t.Errorf("postgres: exit %d, stderr %q", code, stderr)
	}
}

func TestUsage(t *testing.T) {
	if code, _, stderr := runCLI(t, ""); code != 2 || !strings.Contains(stderr, "serve") {
		t.Errorf("no args: %d %s", code, stderr)
	}
	if code, _, stderr := runCLI(t, "", "frobnicate"); code != 2 || !strings.Contains(stderr, "unknown command") {
		t.Errorf("unknown: %d %s", code, stderr)
	}
	if code, _, _ := runCLI(t, "", "import"); code != 2 {
		t.Errorf("import without file: %d", code)
	}
	if code, _, _ := runCLI(t, "", "demo"); code != 2 {
		t.Errorf("demo without --articles: %d", code)
	}
	if code, _, stderr := runCLI(t, "", "serve", "--data", t.TempDir(), "--trusted-proxies", "10.0.0.0/99"); code != 2 || !strings.Contains(stderr, "--trusted-proxies") {
		t.Errorf("bad --trusted-proxies: %d %s", code, stderr)
	}
}

func TestFlagBeatsEnv(t *testing.T) {
	envData, flagData := t.TempDir(), t.TempDir()
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte(jsonLine(article("e1", "Макала"))+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("JARCHY_DATA", envData)
	if code, _, stderr := runCLI(t, "", "import", file); code != 0 {
		t.Fatalf("import into env data: %s", stderr)
	}
	if _, err := os.Stat(filepath.Join(envData, "jarchy.db")); err != nil {
		t.Errorf("JARCHY_DATA not used: %v", err)
	}
	code, stdout, _ := runCLI(t, "", "export", "--data", flagData, "-")
	if code != 0 || stdout != "" {
		t.Errorf("--data did not win over JARCHY_DATA: exported %q", stdout)
	}
	t.Setenv("JARCHY_NO_DEMO", "maybe")
	if code, _, stderr := runCLI(t, "", "serve", "--addr", "127.0.0.1:0"); code != 2 || !strings.Contains(stderr, "JARCHY_NO_DEMO") {
		t.Errorf("bad boolean env: %d %s", code, stderr)
	}
}

func TestDemoCommand(t *testing.T) {
	data := t.TempDir()
	code, stdout, stderr := runCLI(t, "", "demo", "--data", data, "--articles", "120")
	if code != 0 || !strings.Contains(stdout, "generated 120 articles") {
		t.Fatalf("demo: %d %s %s", code, stdout, stderr)
	}
	_, stdout, _ = runCLI(t, "", "export", "--data", data, "-")
	if n := strings.Count(stdout, "\n"); n < 120+12 {
		t.Errorf("%d articles after demo, want the demo edition and 120 more", n)
	}
}

// TestServeGracefulShutdown starts serve on a free port with the demo
// edition, reads pages, then cancels (as SIGTERM does) while a request is
// in flight: that request must finish, and serve must exit 0.
func TestServeGracefulShutdown(t *testing.T) {
	t.Run("fast", func(t *testing.T) { testServe(t, "--fast=true") })
	t.Run("net-http", func(t *testing.T) { testServe(t, "--fast=false") })
}

func testServe(t *testing.T, mode string) {
	entered, release := make(chan struct{}), make(chan struct{})
	testWrap = func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.URL.Path == "/__test/slow" {
				close(entered)
				select {
				case <-release:
					io.WriteString(w, "finished")
				case <-time.After(testwait.Timeout):
					io.WriteString(w, "never released")
				}
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	defer func() { testWrap = nil }()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", mode}, strings.NewReader(""), io.Discard, &stderr)
	}()
	urlRe := regexp.MustCompile(`msg=serving url=(http://127\.0\.0\.1:\d+)`)
	var base string
	deadline := time.Now().Add(2 * time.Minute) // only to fail a hung start
	for base == "" {
		if m := urlRe.FindStringSubmatch(stderr.String()); m != nil {
			base = m[1]
			break
		}
		select {
		case code := <-done:
			t.Fatalf("serve exited with %d:\n%s", code, stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", stderr.String())
		}
	}
	for _, path := range []string{"/ky/", "/ru/", "/en/", "/media/demo/budget-law-ky.jpg"} {
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Errorf("GET %s = %d", path, resp.StatusCode)
		}
		// Media bytes go around the page cache: no X-Cache on them.
		if x := resp.Header.Get("X-Cache"); (x == "") != strings.HasPrefix(path, "/media/") {
			t.Errorf("GET %s: X-Cache %q", path, x)
		}
	}

	type result struct {
		body string
		err  error
	}
	slow := make(chan result, 1)
	go func() {
		resp, err := http.Get(base + "/__test/slow")
		if err != nil {
			slow <- result{err: err}
			return
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		slow <- result{string(b), err}
	}()
	select {
	case <-entered:
	case r := <-slow:
		t.Fatalf("slow request answered without reaching its handler: %q %v", r.body, r.err)
	case <-time.After(testwait.Timeout):
		t.Fatalf("the slow request did not reach its handler within %v", testwait.Timeout)
	}
	cancel() // what SIGINT/SIGTERM do in main
	// serve must wait for the request in flight.
	waitFor(t, &stderr, "shutting down")
	select {
	case code := <-done:
		t.Fatalf("serve exited (%d) with a request in flight", code)
	default:
	}
	close(release)
	r := testwait.Recv(t, slow, "the answer to the in-flight request")
	if r.err != nil || r.body != "finished" {
		t.Errorf("in-flight request: %q, %v", r.body, r.err)
	}
	if code := testwait.Recv(t, done, "serve to exit after the request in flight"); code != 0 {
		t.Errorf("serve exit code %d:\n%s", code, stderr.String())
	}
	if _, err := http.Get(base + "/ky/"); err == nil {
		t.Error("server still answers after shutdown")
	}
}

func waitFor(t *testing.T, buf *syncBuffer, text string) {
	t.Helper()
	for start := time.Now(); !strings.Contains(buf.String(), text); {
		if time.Since(start) > time.Minute {
			t.Fatalf("no %q in:\n%s", text, buf.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
