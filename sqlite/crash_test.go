package sqlite

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestAcknowledgedWritesSurviveKill runs a writer in a child process, kills
// it with SIGKILL in the middle of its writes, and checks that every write
// it had acknowledged is in the database afterwards (WAL recovery).
func TestAcknowledgedWritesSurviveKill(t *testing.T) {
	if path := os.Getenv("JARCHY_CRASH_CHILD_DB"); path != "" {
		crashChild(path)
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	path := filepath.Join(t.TempDir(), "crash.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestAcknowledgedWritesSurviveKill$")
	cmd.Env = append(os.Environ(), "JARCHY_CRASH_CHILD_DB="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	var acked []int64
	sc := bufio.NewScanner(out)
	deadline := time.AfterFunc(60*time.Second, func() { cmd.Process.Kill() })
	defer deadline.Stop()
	for sc.Scan() {
		id, ok := strings.CutPrefix(sc.Text(), "saved ")
		if !ok {
			continue
		}
		n, err := strconv.ParseInt(id, 10, 64)
		if err != nil {
			t.Fatalf("child said %q", sc.Text())
		}
		acked = append(acked, n)
		if len(acked) == 25 {
			cmd.Process.Kill() // SIGKILL: no deferred Close, no clean shutdown
			break
		}
	}
	cmd.Wait()
	if len(acked) < 25 {
		t.Fatalf("child acknowledged only %d writes before it ended", len(acked))
	}
	db := open(t, path)
	for _, id := range acked {
		if _, err := db.Article(ctx, id); err != nil {
			t.Fatalf("acknowledged article %d lost after the kill: %v", id, err)
		}
	}
	if g, _ := db.Generation(ctx); g < int64(len(acked)) {
		t.Fatalf("generation %d after %d acknowledged writes", g, len(acked))
	}
}

func crashChild(path string) {
	db, err := Open(ctx, path)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	for i := 0; ; i++ {
		a := article(fmt.Sprintf("Кыйроо %d", i))
		a.Body = strings.Repeat("текст ", 2000)
		if err := db.SaveArticle(ctx, a); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		fmt.Printf("saved %d\n", a.ID)
	}
}
