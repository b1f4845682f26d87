package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy/internal/testwait"
)

// TestServePprof: serve --pprof ADDR answers the runtime profiles on ADDR,
// and the site's own address does not.
func TestServePprof(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--data", t.TempDir(), "--addr", "127.0.0.1:0", "--no-demo", "--pprof", "127.0.0.1:0"},
			strings.NewReader(""), io.Discard, &stderr)
	}()
	defer func() {
		cancel()
		if code := testwait.Recv(t, done, "serve to exit after cancel"); code != 0 {
			t.Errorf("serve exit code %d:\n%s", code, stderr.String())
		}
	}()
	site := invalServeURL(t, &stderr, done)
	m := regexp.MustCompile(`msg=pprof url=(http://127\.0\.0\.1:\d+/debug/pprof/)`).FindStringSubmatch(stderr.String())
	if m == nil {
		t.Fatalf("no pprof address logged:\n%s", stderr.String())
	}
	get := func(url string) (int, string) {
		t.Helper()
		c := &http.Client{Timeout: time.Minute}
		resp, err := c.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(m[1] + "cmdline"); code != 200 {
		t.Errorf("GET %scmdline = %d", m[1], code)
	}
	if code, body := get(m[1] + "heap?debug=1"); code != 200 || !strings.Contains(body, "HeapAlloc") {
		t.Errorf("GET %sheap = %d", m[1], code)
	}
	if code, _ := get(site + "/debug/pprof/"); code == 200 {
		t.Errorf("the site answers /debug/pprof/")
	}
}
