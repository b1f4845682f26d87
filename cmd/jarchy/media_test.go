package main

import (
	"context"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/jarchy/jarchy/internal/s3test"
	"github.com/jarchy/jarchy/internal/testwait"
)

// startServe runs jarchy serve with args until the test ends and returns
// its address.
func serveInProcess(t *testing.T, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- run(ctx, append([]string{"serve", "--addr", "127.0.0.1:0"}, args...), strings.NewReader(""), io.Discard, &stderr)
	}()
	t.Cleanup(func() {
		cancel()
		testwait.Recv(t, done, "serve to stop")
	})
	urlRe := regexp.MustCompile(`msg=serving url=(http://127\.0\.0\.1:\d+)`)
	for deadline := time.Now().Add(2 * time.Minute); ; {
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

// With --media-s3-*, the demo photos go to the bucket and /media/ serves
// them from it, around the page cache.
func TestServeMediaOnS3(t *testing.T) {
	s := s3test.Start(t)
	base := serveInProcess(t, "--data", t.TempDir(),
		"--media-s3-endpoint", s.Endpoint, "--media-s3-bucket", s.Bucket, "--media-s3-region", s.Region,
		"--media-s3-access-key", s.AccessKey, "--media-s3-secret-key", s.SecretKey, "--media-s3-prefix", "site")
	const key = "demo/budget-law-ky.jpg" // the demo keeps a photo per language
	oi, err := s.Client.StatObject(context.Background(), s.Bucket, "site/"+key, minio.StatObjectOptions{})
	if err != nil || oi.Size == 0 || oi.ContentType != "image/jpeg" {
		t.Fatalf("the demo photo in the bucket: %+v, %v", oi, err)
	}
	resp, err := http.Get(base + "/media/" + key)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || int64(len(body)) != oi.Size || resp.Header.Get("Content-Type") != "image/jpeg" {
		t.Errorf("GET /media/%s = %d, %d bytes, %q; want the %d bytes in the bucket", key, resp.StatusCode, len(body), resp.Header.Get("Content-Type"), oi.Size)
	}
	if x := resp.Header.Get("X-Cache"); x != "" {
		t.Errorf("media went through the page cache (X-Cache %q)", x)
	}
}

// TestMediaFlagsRefused: a command that opens the media store (import checks
// covers in it) refuses bad media flags.
func TestMediaFlagsRefused(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--media-s3-bucket", "b"}, "--media-s3-bucket needs --media-s3-endpoint"},
		{[]string{"--media-base-url", "javascript:alert(1)"}, "--media-base-url"},
		{[]string{"--media-s3-endpoint", "http://127.0.0.1:1", "--media-s3-bucket", "b"}, "cannot open media storage"},
	} {
		code, _, stderr := runCLI(t, "", append(append([]string{"import", "--data", t.TempDir()}, c.args...), "-")...)
		if code == 0 || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, %q; want an error with %q", c.args, code, stderr, c.want)
		}
	}
}
