package pgtest

import (
	"bufio"
	"context"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

func TestMain(m *testing.M) { Main(m) }

func TestURLGivesFreshDatabases(t *testing.T) {
	ctx := context.Background()
	u1, u2 := URL(t), URL(t)
	if u1 == u2 {
		t.Fatalf("two calls gave the same URL %q", u1)
	}
	c1, err := pgx.Connect(ctx, u1)
	if err != nil {
		t.Fatal(err)
	}
	defer c1.Close(ctx)
	if _, err := c1.Exec(ctx, "CREATE TABLE only_here (x int)"); err != nil {
		t.Fatal(err)
	}
	c2, err := pgx.Connect(ctx, u2)
	if err != nil {
		t.Fatal(err)
	}
	defer c2.Close(ctx)
	var n int
	if err := c2.QueryRow(ctx, "SELECT count(*) FROM pg_tables WHERE tablename = 'only_here'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("a table created in one test database is visible in another")
	}
	var enc string
	if err := c2.QueryRow(ctx, "SHOW server_encoding").Scan(&enc); err != nil || enc != "UTF8" {
		t.Fatalf("server_encoding = %q, %v; want UTF8", enc, err)
	}
}

// TestClusterDiesWithTestBinary kills a child test binary that started a
// cluster and checks that its postmaster does not outlive it.
func TestClusterDiesWithTestBinary(t *testing.T) {
	if os.Getenv("PGTEST_CHILD") == "1" {
		URL(t)
		println("POSTMASTER", server.cmd.Process.Pid, server.dir)
		time.Sleep(time.Minute)
		return
	}
	if os.Getenv(EnvURL) != "" {
		t.Skip("external server in use; no cluster is started")
	}
	URL(t) // skips or fails like every other test when PostgreSQL is missing
	cmd := exec.Command(os.Args[0], "-test.run=^TestClusterDiesWithTestBinary$", "-test.v")
	cmd.Env = append(os.Environ(), "PGTEST_CHILD=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid, dir := 0, ""
	sc := bufio.NewScanner(stderr)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "POSTMASTER "); ok {
			p, d, _ := strings.Cut(rest, " ")
			pid, _ = strconv.Atoi(p)
			dir = d
			break
		}
	}
	if pid == 0 {
		cmd.Process.Kill()
		cmd.Wait()
		t.Fatal("child did not report a postmaster pid")
	}
	go func() {
		for sc.Scan() {
		}
	}()
	cmd.Process.Kill()
	cmd.Wait()
	deadline := time.Now().Add(30 * time.Second)
	for alive(pid) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("postmaster %d still alive 30s after its test binary was killed", pid)
		}
		time.Sleep(50 * time.Millisecond)
	}
	// The next start removes the folder the killed binary left behind.
	removeStale()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("stale cluster folder %s not removed: %v", dir, err)
	}
}

// alive reports whether pid runs (a zombie counts as dead).
func alive(pid int) bool {
	if errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return false
	}
	_, after, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(after, "Z")
}

// Without server binaries a test skips loudly, or fails when CI requires
// PostgreSQL (JARCHY_REQUIRE_PG=1).
func TestMissingServer(t *testing.T) {
	if os.Getenv("PGTEST_MISSING_CHILD") == "1" {
		URL(t)
		t.Log("URL returned without a server")
		return
	}
	run := func(require string) (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMissingServer$", "-test.v")
		cmd.Env = append(os.Environ(), "PGTEST_MISSING_CHILD=1", EnvBin+"=/nonexistent/bin",
			EnvURL+"=", EnvRequire+"="+require)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	out, err := run("")
	if err != nil || !strings.Contains(out, "--- SKIP") || !strings.Contains(out, "SKIPPING PostgreSQL TEST") {
		t.Fatalf("without PostgreSQL: want a loud skip, got %v:\n%s", err, out)
	}
	out, err = run("1")
	if err == nil || !strings.Contains(out, "--- FAIL") || !strings.Contains(out, EnvRequire) {
		t.Fatalf("without PostgreSQL and %s=1: want a failure, got %v:\n%s", EnvRequire, err, out)
	}
}
