package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
)

// TestServePublishesScheduled imports a story scheduled for a time gone by
// and one published for two seconds ahead (stored as scheduled), then runs
// serve with the page cache: the first is public from the first request
// (serve catches up before it listens); the second answers 404, from the
// cache too, until its time, and then the page, the home page and the feed
// show it (the scheduler's claim is a store write, which clears the cache).
func TestServePublishesScheduled(t *testing.T) {
	data := t.TempDir()
	now := time.Now().UTC()
	var in strings.Builder
	for _, l := range []map[string]any{
		{"id": "due", "lang": "ky", "slug": "keche-chykmak", "title": "Кечээ чыкмак болгон", "body": "Текст.",
			"section": "Politics", "status": "scheduled", "published_at": now.Add(-time.Hour).Format(time.RFC3339)},
		{"id": "soon", "lang": "ky", "slug": "jakynda", "title": "Жакында чыгуучу кабар", "body": "Текст.",
			"section": "Politics", "status": "published", "published_at": now.Add(2 * time.Second).Format(time.RFC3339Nano)},
	} {
		j, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		in.Write(j)
		in.WriteByte('\n')
	}
	file := filepath.Join(t.TempDir(), "in.jsonl")
	if err := os.WriteFile(file, []byte(in.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := runCLI(t, "", "import", "--data", data, file); code != 0 {
		t.Fatalf("import: exit %d\n%s\n%s", code, out, errs)
	}
	if code, out, _ := runCLI(t, "", "export", "--data", data, "-"); code != 0 || strings.Count(out, `"status":"scheduled"`) != 2 {
		t.Fatalf("export (exit %d) does not hold both stories as scheduled:\n%s", code, out)
	}

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
	const (
		due  = "/ky/politics/keche-chykmak"
		soon = "/ky/politics/jakynda"
		home = "/ky/"
		feed = "/ky/feed/rss.xml"
	)
	if code, body, _ := invalGet(t, base+due, ""); code != http.StatusOK || !strings.Contains(body, "Кечээ чыкмак болгон") {
		t.Fatalf("GET %s at start: %d, want the story published by the catch-up", due, code)
	}
	if !strings.Contains(stderr.String(), `msg="published a scheduled article"`) {
		t.Errorf("serve did not log the catch-up:\n%s", stderr.String())
	}
	for range 2 { // the second answer comes from the cache
		if code, _, _ := invalGet(t, base+soon, ""); code != http.StatusNotFound && time.Now().Before(now.Add(2*time.Second)) {
			t.Fatalf("GET %s before its time: %d, want 404", soon, code)
		}
		invalGet(t, base+home, "")
		invalGet(t, base+feed, "")
	}
	// Bounded polling: the story is due in two seconds; only a failure waits
	// the whole minute.
	for _, path := range []string{soon, home, feed} {
		var code int
		var body string
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
			if code, body, _ = invalGet(t, base+path, ""); code == http.StatusOK && strings.Contains(body, "Жакында чыгуучу кабар") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("GET %s never showed the scheduled story (last answer %d)\n%s", path, code, stderr.String())
			}
		}
	}
}
