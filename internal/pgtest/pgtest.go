// Package pgtest runs a throwaway PostgreSQL cluster for tests.
//
// The first call to URL in a test binary starts one cluster (initdb +
// postgres on 127.0.0.1 and a free port, fsync off) in a temporary folder;
// every call creates a fresh database in it. Use Main from TestMain so the
// cluster stops and its folder is removed when the tests end; if the test
// binary is killed instead, the postmaster gets SIGQUIT through the kernel's
// parent-death signal and the next run removes the stale folder.
//
// With JARCHY_TEST_PG_URL set, that server is used instead of a new cluster.
// Without PostgreSQL server binaries tests are skipped with a loud message,
// unless JARCHY_REQUIRE_PG=1 (set by CI), which makes them fail.
package pgtest

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Environment variables understood by pgtest.
const (
	EnvURL     = "JARCHY_TEST_PG_URL" // use this server instead of starting one
	EnvRequire = "JARCHY_REQUIRE_PG"  // "1": a missing PostgreSQL fails tests
	EnvBin     = "JARCHY_PG_BIN"      // folder with initdb and postgres (optional)
	// EnvSharedBuffers sets the cluster's shared_buffers (default 32MB,
	// small for many test clusters; bench/search.sh asks for PostgreSQL's
	// own default, 128MB).
	EnvSharedBuffers = "JARCHY_PG_SHARED_BUFFERS"
)

const dirPrefix = "jarchy-pgtest-"

var (
	once    sync.Once
	server  *cluster // nil when an external server is used
	baseURL string   // admin URL of the server
	initErr error
	skip    bool // initErr means "no PostgreSQL here", not a failure
	counter atomic.Int64
)

// Main runs the tests and then stops the cluster, if one was started.
// Call it from TestMain: func TestMain(m *testing.M) { pgtest.Main(m) }.
func Main(m *testing.M) {
	code := m.Run()
	Stop()
	os.Exit(code)
}

// Stop shuts the cluster down and removes its folder. Main calls it.
func Stop() {
	if server != nil {
		server.stop()
	}
}

// URL returns the connection URL of a new, empty database for this test.
// The database is dropped when the test ends (after cleanups registered
// later, such as closing the store, have run).
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if initErr != nil {
		if skip && os.Getenv(EnvRequire) != "1" {
			t.Skipf("\n*** SKIPPING PostgreSQL TEST: %v\n*** Install PostgreSQL (apt-get install postgresql) or set %s; set %s=1 to make this an error.", initErr, EnvURL, EnvRequire)
		}
		if skip {
			t.Fatalf("pgtest: PostgreSQL is required (%s=1) but unavailable: %v", EnvRequire, initErr)
		}
		t.Fatalf("pgtest: %v", initErr)
	}
	name := fmt.Sprintf("jarchy_test_%d_%d", os.Getpid(), counter.Add(1))
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := exec1(ctx, baseURL, "CREATE DATABASE "+name+" TEMPLATE template0 ENCODING 'UTF8'"); err != nil {
		t.Fatalf("pgtest: create database %s: %v", name, err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := exec1(ctx, baseURL, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Logf("pgtest: drop database %s: %v", name, err)
		}
	})
	return withDatabase(baseURL, name)
}

// exec1 runs one statement on a short-lived connection.
func exec1(ctx context.Context, connURL, sql string) error {
	conn, err := pgx.Connect(ctx, connURL)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	_, err = conn.Exec(ctx, sql)
	return err
}

// withDatabase returns connURL pointing at database name.
func withDatabase(connURL, name string) string {
	u, err := url.Parse(connURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		// keyword/value form: a later dbname wins.
		return connURL + " dbname=" + name
	}
	u.Path = "/" + name
	return u.String()
}

func setup() {
	if u := os.Getenv(EnvURL); u != "" {
		baseURL = u
		ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := exec1(ctx, u, "SELECT 1"); err != nil {
			initErr = fmt.Errorf("%s=%q: cannot connect: %w", EnvURL, u, err)
		}
		return
	}
	bin, err := findBin()
	if err != nil {
		initErr, skip = err, true
		return
	}
	removeStale()
	server, initErr = start(bin)
	if initErr == nil {
		baseURL = server.url
	}
}

// findBin returns the folder of the newest installed PostgreSQL server.
func findBin() (string, error) {
	if b := os.Getenv(EnvBin); b != "" {
		if _, err := os.Stat(filepath.Join(b, "initdb")); err != nil {
			return "", fmt.Errorf("%s=%s: %w", EnvBin, b, err)
		}
		return b, nil
	}
	matches, _ := filepath.Glob("/usr/lib/postgresql/*/bin/initdb")
	sort.Slice(matches, func(i, j int) bool { return pgVersion(matches[i]) > pgVersion(matches[j]) })
	for _, m := range matches {
		if _, err := os.Stat(filepath.Join(filepath.Dir(m), "postgres")); err == nil {
			return filepath.Dir(m), nil
		}
	}
	if p, err := exec.LookPath("initdb"); err == nil {
		if _, err := os.Stat(filepath.Join(filepath.Dir(p), "postgres")); err == nil {
			return filepath.Dir(p), nil
		}
	}
	return "", errors.New("no PostgreSQL server binaries (initdb, postgres) under /usr/lib/postgresql/*/bin or in PATH")
}

// pgVersion reads the version number from /usr/lib/postgresql/<v>/bin/initdb.
func pgVersion(initdb string) float64 {
	v, _ := strconv.ParseFloat(filepath.Base(filepath.Dir(filepath.Dir(initdb))), 64)
	return v
}

type cluster struct {
	dir  string
	url  string
	cmd  *exec.Cmd
	done chan struct{} // closed when postgres exits
	mu   sync.Mutex
}

// start runs initdb and postgres in a new temporary folder.
func start(bin string) (*cluster, error) {
	dir, err := os.MkdirTemp("", dirPrefix)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	if err := os.WriteFile(filepath.Join(dir, "owner.pid"), []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	cred, err := credential(dir)
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	data := filepath.Join(dir, "data")
	initdb := exec.Command(filepath.Join(bin, "initdb"), "-D", data, "-U", "postgres", "-A", "trust",
		"-E", "UTF8", "--locale=C.UTF-8", "--no-sync", "--no-instructions")
	initdb.Dir = dir
	initdb.Env = env()
	initdb.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGKILL}
	if out, err := initdb.CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("pgtest: initdb: %v\n%s", err, out)
	}
	// A free port may be taken between probing and binding: retry a few times.
	var lastErr error
	for range 5 {
		c, err := launch(bin, dir, data, cred)
		if err == nil {
			return c, nil
		}
		lastErr = err
	}
	os.RemoveAll(dir)
	return nil, lastErr
}

func launch(bin, dir, data string, cred *syscall.Credential) (*cluster, error) {
	port, err := freePort()
	if err != nil {
		return nil, fmt.Errorf("pgtest: free port: %w", err)
	}
	logPath := filepath.Join(dir, "postgres.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	defer logf.Close()
	cmd := exec.Command(filepath.Join(bin, "postgres"), "-D", data,
		"-p", strconv.Itoa(port),
		"-c", "listen_addresses=127.0.0.1",
		"-c", "unix_socket_directories="+dir,
		"-c", "fsync=off",
		"-c", "synchronous_commit=off",
		"-c", "full_page_writes=off",
		"-c", "max_connections=300",
		"-c", "shared_buffers="+cmp.Or(os.Getenv(EnvSharedBuffers), "32MB"),
		"-c", "log_min_messages=warning",
	)
	cmd.Dir = dir
	cmd.Env = env()
	cmd.Stdout, cmd.Stderr = logf, logf
	// SIGQUIT = immediate shutdown; backends follow the postmaster.
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("pgtest: start postgres: %w", err)
	}
	c := &cluster{dir: dir, cmd: cmd, done: make(chan struct{}),
		url: fmt.Sprintf("postgres://postgres@127.0.0.1:%d/postgres?sslmode=disable", port)}
	go func() { cmd.Wait(); close(c.done) }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		err := exec1(ctx, c.url, "SELECT 1")
		cancel()
		if err == nil {
			return c, nil
		}
		select {
		case <-c.done:
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("pgtest: postgres exited at start: %v\n%s", cmd.ProcessState, tail(log))
		default:
		}
		if time.Now().After(deadline) {
			c.kill()
			log, _ := os.ReadFile(logPath)
			return nil, fmt.Errorf("pgtest: postgres not ready after 60s: %v\n%s", err, tail(log))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop shuts postgres down (fast, then immediate, then kill) and removes the folder.
func (c *cluster) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGINT) // fast shutdown
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.kill()
	}
	c.cmd = nil
	os.RemoveAll(c.dir)
}

func (c *cluster) kill() {
	c.cmd.Process.Signal(syscall.SIGQUIT)
	select {
	case <-c.done:
	case <-time.After(5 * time.Second):
		syscall.Kill(-c.cmd.Process.Pid, syscall.SIGKILL)
		<-c.done
	}
}

// credential returns the postgres OS user when running as root (initdb
// refuses root) and hands dir to it; otherwise nil (run as ourselves).
func credential(dir string) (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("postgres")
	if err != nil {
		return nil, fmt.Errorf("pgtest: running as root needs the OS user postgres to run initdb: %w", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	if err := os.Chown(dir, uid, gid); err != nil {
		return nil, fmt.Errorf("pgtest: %w", err)
	}
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}, nil
}

// env is the environment for the server processes: ours without PG* variables.
func env() []string {
	var out []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "PG") {
			out = append(out, kv)
		}
	}
	return append(out, "LC_ALL=C.UTF-8")
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// removeStale deletes folders of earlier runs whose test binary is gone
// (killed before it could clean up).
func removeStale() {
	dirs, _ := filepath.Glob(filepath.Join(os.TempDir(), dirPrefix+"*"))
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(d, "owner.pid"))
		if err != nil {
			continue
		}
		pid, err := strconv.Atoi(strings.TrimSpace(string(b)))
		if err == nil && pid > 0 && errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) {
			os.RemoveAll(d) // its test binary is gone
		}
	}
}

func tail(b []byte) string {
	const n = 4000
	if len(b) > n {
		b = b[len(b)-n:]
	}
	return string(b)
}
