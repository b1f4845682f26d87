package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/postgres"
	"github.com/jarchy/jarchy/sqlite"
)

// runMainEnv makes the test binary run jarchy's main instead of the tests
// (TestMain): the crash test starts `jarchy serve` as a child process it
// can kill -9, without building another binary.
const runMainEnv = "JARCHY_TEST_RUN_MAIN"

// An acknowledged comment is never lost: comments are posted concurrently
// to a `jarchy serve` child process that is killed with SIGKILL mid-stream,
// several times; after the last kill every comment that got a success
// answer is in the store, with its text intact, and no text is stored
// twice. On SQLite (WAL, synchronous=FULL, group commit) and PostgreSQL.
func TestCrashKeepsAcknowledgedComments(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills servers")
	}
	t.Run("sqlite", func(t *testing.T) {
		dir := t.TempDir()
		db := filepath.Join(dir, "jarchy.db")
		crashCycles(t, dir, db, func() (jarchy.Store, error) { return sqlite.Open(context.Background(), db) })
	})
	t.Run("postgres", func(t *testing.T) {
		u := pgtest.URL(t)
		crashCycles(t, t.TempDir(), u, func() (jarchy.Store, error) { return postgres.Open(context.Background(), u) })
	})
}

const (
	crashLives   = 4                // server lives killed per store
	crashWorkers = 8                // concurrent posters
	crashAfter   = 150              // acknowledged posts before the kill, per cycle
	crashBudget  = 45 * time.Second // the whole test per store
)

func crashCycles(t *testing.T, dataDir, db string, open func() (jarchy.Store, error)) {
	deadline := time.Now().Add(crashBudget)
	st, err := open()
	if err != nil {
		t.Fatal(err)
	}
	a := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Кыйроо сынагы", Body: "x", Status: jarchy.StatusPublished,
		PublishedAt: time.Now().Add(-time.Hour), Section: jarchy.Section{Slug: "news", Names: map[jarchy.Lang]string{jarchy.Kyrgyz: "Жаңылыктар"}}}
	if err := st.SaveArticle(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	st.Close()

	acked := map[int64]string{} // comment id → text, as acknowledged
	var token string
	for cycle := range crashLives {
		if time.Now().After(deadline) {
			t.Fatalf("cycle %d: out of time", cycle)
		}
		srv := startServe(t, dataDir, db)
		if token == "" {
			token = srv.formToken(t)
			time.Sleep(3100 * time.Millisecond) // the form's minimum time to submit, once
		}
		got := srv.postUntilKilled(t, a.ID, token, cycle)
		for id, text := range got {
			if old, dup := acked[id]; dup {
				t.Fatalf("id %d acknowledged twice: %q and %q", id, old, text)
			}
			acked[id] = text
		}
		t.Logf("cycle %d: %d comments acknowledged before kill -9", cycle, len(got))
	}
	if len(acked) < crashLives*crashAfter {
		t.Fatalf("only %d acknowledged comments", len(acked))
	}

	st, err = open()
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	stored := map[int64]*jarchy.Comment{}
	texts := map[string]int{}
	err = st.ExportComments(context.Background(), func(c *jarchy.Comment) error {
		stored[c.ID] = c
		texts[c.Text]++
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for id, text := range acked {
		c, ok := stored[id]
		switch {
		case !ok:
			t.Errorf("acknowledged comment %d (%q) is lost", id, text)
		case c.Text != text || c.Name != "Crash" || c.ArticleID != a.ID:
			t.Errorf("comment %d came back as %+v, want text %q", id, c, text)
		}
	}
	for text, n := range texts {
		if n > 1 {
			t.Errorf("%q stored %d times", text, n)
		}
	}
	t.Logf("%d acknowledged, %d stored (posts in flight at a kill may land unacknowledged)", len(acked), len(stored))
}

type serveProcess struct {
	cmd  *exec.Cmd
	base string
}

var servingRe = regexp.MustCompile(`msg=serving url=(http://\S+)`)

// startServe starts `jarchy serve` on a free port and waits until it
// serves.
func startServe(t *testing.T, dataDir, db string) *serveProcess {
	t.Helper()
	cmd := exec.Command(os.Args[0], "serve", "--addr", "127.0.0.1:0", "--data", dataDir, "--db", db, "--no-demo",
		"--cache-mb", "0", "--comment-ip-limit", "1000000/1s", "--comment-article-limit", "1000000/1s")
	cmd.Env = append(os.Environ(), runMainEnv+"=1")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	found := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			if m := servingRe.FindStringSubmatch(sc.Text()); m != nil {
				select {
				case found <- m[1]:
				default:
				}
			}
		}
	}()
	select {
	case base := <-found:
		return &serveProcess{cmd: cmd, base: base}
	case <-time.After(30 * time.Second):
		t.Fatal("jarchy serve did not start within 30 s")
		return nil
	}
}

// formToken fetches a form timestamp as the comment script does.
func (p *serveProcess) formToken(t *testing.T) string {
	t.Helper()
	res, err := http.Get(p.base + "/comments/start")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var v struct{ T string }
	if err := json.NewDecoder(res.Body).Decode(&v); err != nil || v.T == "" {
		t.Fatalf("/comments/start: %v", err)
	}
	return v.T
}

// postUntilKilled posts comments from crashWorkers goroutines and kills
// the server with SIGKILL once crashAfter were acknowledged, while posts
// are in flight; it returns the acknowledged ones.
func (p *serveProcess) postUntilKilled(t *testing.T, articleID int64, token string, cycle int) map[int64]string {
	t.Helper()
	var mu sync.Mutex
	acked := map[int64]string{}
	var n atomic.Int64
	killed := make(chan struct{})
	var once sync.Once
	kill := func() {
		once.Do(func() {
			p.cmd.Process.Kill() // SIGKILL: no shutdown, no flush
			close(killed)
		})
	}
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: crashWorkers}}
	var wg sync.WaitGroup
	for w := range crashWorkers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-killed:
					return
				default:
				}
				text := fmt.Sprintf("Пикир %d-%d-%d: ырас, бул сыноо.\n\nЭкинчи абзац %d.", cycle, w, i, time.Now().UnixNano())
				id, ok := postOne(client, p.base, articleID, token, text)
				if !ok {
					select {
					case <-killed:
						return
					default:
						if i > 1000 {
							return
						}
						continue
					}
				}
				mu.Lock()
				acked[id] = text
				mu.Unlock()
				if n.Add(1) >= crashAfter {
					kill()
				}
			}
		})
	}
	select {
	case <-killed:
	case <-time.After(30 * time.Second):
		kill()
		t.Errorf("cycle %d: only %d posts acknowledged in 30 s", cycle, n.Load())
	}
	wg.Wait()
	p.cmd.Wait()
	mu.Lock()
	defer mu.Unlock()
	return acked
}

// postOne posts one comment as the script does; ok is a success answer
// with the comment's id.
func postOne(client *http.Client, base string, articleID int64, token, text string) (int64, bool) {
	v := url.Values{"article": {strconv.FormatInt(articleID, 10)}, "lang": {"ky"}, "t": {token}, "name": {"Crash"}, "text": {text}}
	req, err := http.NewRequest(http.MethodPost, base+"/comments", strings.NewReader(v.Encode()))
	if err != nil {
		return 0, false
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Accept", "application/json")
	res, err := client.Do(req)
	if err != nil {
		return 0, false
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		return 0, false
	}
	var rep struct {
		ID     int64
		Status string
	}
	if json.Unmarshal(b, &rep) != nil || rep.ID == 0 {
		return 0, false
	}
	return rep.ID, true
}
