// Package s3test runs a real S3-compatible server for tests: the Versity
// S3 gateway (versitygw) over a temporary folder, on a loopback port.
//
// Install it once with
//
//	go install github.com/versity/versitygw/cmd/versitygw@v1.8.0
//
// Start looks for it in PATH and in $(go env GOPATH)/bin. Without it tests
// are skipped with a loud message, unless JARCHY_REQUIRE_S3=1 (for CI),
// which makes them fail.
package s3test

import (
	"bytes"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Server is a running S3 server with one empty bucket.
type Server struct {
	Endpoint             string // http://127.0.0.1:PORT
	Bucket               string
	AccessKey, SecretKey string
	Region               string
	Client               *minio.Client
}

// Binary returns the path of versitygw, or skips (fails under
// JARCHY_REQUIRE_S3=1) the test without it.
func Binary(t testing.TB) string {
	t.Helper()
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		if out, err := exec.Command("go", "env", "GOPATH").Output(); err == nil {
			gopath = strings.TrimSpace(string(out))
		}
	}
	for _, dir := range filepath.SplitList(gopath) {
		p := filepath.Join(dir, "bin", "versitygw")
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	msg := "no S3 server to test against: versitygw is not in PATH nor in $(go env GOPATH)/bin; " +
		"install it with: go install github.com/versity/versitygw/cmd/versitygw@v1.8.0"
	if os.Getenv("JARCHY_REQUIRE_S3") == "1" {
		t.Fatal(msg + " (JARCHY_REQUIRE_S3=1)")
	}
	fmt.Fprintln(os.Stderr, "SKIP (loudly):", t.Name()+":", msg)
	t.Skip("SKIP: " + msg)
	return ""
}

// Start runs versitygw over a temporary folder until the test ends, and
// creates the bucket "jarchy-media" in it.
func Start(t testing.TB) *Server {
	t.Helper()
	bin := Binary(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	s := &Server{Endpoint: "http://" + addr, Bucket: "jarchy-media", AccessKey: "jarchytest",
		SecretKey: "jarchy-test-secret-key", Region: "us-east-1"}
	cmd := exec.Command(bin, "--port", addr, "posix", t.TempDir())
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+s.AccessKey, "ROOT_SECRET_KEY="+s.SecretKey)
	// Killed with the test binary, should that die first.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatalf("start versitygw: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	s.Client, err = minio.New(addr, &minio.Options{Creds: credentials.NewStaticV4(s.AccessKey, s.SecretKey, ""), Region: s.Region})
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err = s.Client.MakeBucket(ctx, s.Bucket, minio.MakeBucketOptions{Region: s.Region})
		cancel()
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			t.Fatalf("versitygw did not answer within 30 s: %v\n%s", err, logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

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
