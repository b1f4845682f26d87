package sqlite

import (
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/testwait"
)

// public is a public Kyrgyz article in the section "news".
func public(title string) *jarchy.Article {
	a := article(title)
	a.Status, a.PublishedAt = jarchy.StatusPublished, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	return a
}

// deliveries subscribes to db and returns the channel of its deliveries.
func deliveries(t *testing.T, db *DB) chan jarchy.Change {
	ch := make(chan jarchy.Change, 100)
	t.Cleanup(db.Subscribe(func(c jarchy.Change) { ch <- c }))
	return ch
}

// logRows counts the rows of the change log and returns the lowest id.
func logRows(t *testing.T, db *DB) (n, low int64) {
	t.Helper()
	if err := db.w.QueryRow("SELECT COUNT(*), COALESCE(MIN(id), 0) FROM changes").Scan(&n, &low); err != nil {
		t.Fatal(err)
	}
	return n, low
}

func TestPollerStartsAndStops(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "s.db"))
	running := func() bool {
		db.subMu.Lock()
		defer db.subMu.Unlock()
		return db.stopPoll != nil
	}
	if running() {
		t.Fatal("poller runs without subscribers")
	}
	u1 := db.Subscribe(func(jarchy.Change) {})
	u2 := db.Subscribe(func(jarchy.Change) {})
	if !running() {
		t.Fatal("poller not started")
	}
	u1()
	if !running() {
		t.Fatal("poller stopped while a subscriber remains")
	}
	u2()
	if running() {
		t.Fatal("poller still running after the last unsubscribe")
	}
	// A subscriber may unsubscribe from inside its own notification, and
	// Close returns with subscribers still registered.
	var unsub func()
	unsub = db.Subscribe(func(jarchy.Change) { unsub() })
	db.Subscribe(func(jarchy.Change) {})
	if err := db.SaveArticle(ctx, public("Бир")); err != nil {
		t.Fatal(err)
	}
	done := make(chan error)
	go func() { done <- db.Close() }()
	if err := testwait.Recv(t, done, "Close with an active subscriber"); err != nil {
		t.Fatal(err)
	}
}

// The poller announces another process's commit once, and never a commit
// of this process a second time.
func TestPollerNoDuplicateNotifications(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.db")
	a, b := open(t, path), open(t, path)
	var mu sync.Mutex
	calls := 0
	got := make(chan struct{}, 10)
	defer a.Subscribe(func(jarchy.Change) {
		mu.Lock()
		calls++
		mu.Unlock()
		got <- struct{}{}
	})()
	if err := a.SaveArticle(ctx, public("Өзүнүкү")); err != nil {
		t.Fatal(err)
	}
	testwait.Recv(t, got, "own write")
	if err := b.SaveArticle(ctx, public("Башканыкы")); err != nil {
		t.Fatal(err)
	}
	testwait.Recv(t, got, "the other process's write")
	// Give the poller many rounds to announce anything twice.
	time.Sleep(30 * PollInterval)
	mu.Lock()
	defer mu.Unlock()
	if calls != 2 {
		t.Fatalf("%d notifications for 2 writes", calls)
	}
}

// A write of another process that this process's own write follows before
// the poller looks is still announced: the poller skips only the rows
// this store wrote, however they interleave.
func TestPollerInterleavedWrites(t *testing.T) {
	path := filepath.Join(t.TempDir(), "i.db")
	a, b := open(t, path), open(t, path)
	if err := b.SaveSettings(ctx, jarchy.Settings{}); err != nil { // b's: site
		t.Fatal(err)
	}
	p := &jarchy.Page{Lang: jarchy.English, Title: "About"}
	if err := a.SavePage(ctx, p); err != nil { // a's own, before a listens
		t.Fatal(err)
	}
	got := testwait.Recv(t, deliveries(t, a), "b's write, read from the change log")
	if got.String() != "site" {
		t.Fatalf("a heard {%s}, want b's {site} without its own page", got)
	}
}

// Draft saves leave no row in the change log: other processes have
// nothing to read about them.
func TestChangeLogOnlyPublicChanges(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "e.db"))
	a := article("Долбоор")
	if err := db.SaveArticle(ctx, a); err != nil { // creates its section: site
		t.Fatal(err)
	}
	for range 3 {
		a.Body += " Дагы."
		if err := db.SaveArticle(ctx, a); err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := logRows(t, db); n != 1 {
		t.Fatalf("the change log holds %d rows for one section and three draft saves, want 1", n)
	}
	var topics string
	if err := db.w.QueryRow("SELECT topics FROM changes").Scan(&topics); err != nil || topics != "site" {
		t.Fatalf("the logged change is %q (%v), want %q", topics, err, "site")
	}
}

// A process whose poller fell behind the log (the rows it had not read
// were trimmed) drops everything: it gets All.
func TestChangeLogFellBehind(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.db")
	a, b := open(t, path), open(t, path)
	for _, title := range []string{"Бир", "Эки", "Үч"} {
		if err := a.SaveArticle(ctx, public(title)); err != nil {
			t.Fatal(err)
		}
	}
	// b has no poller running yet: trim all but the newest row, as writes
	// trim a log that outgrew keepChanges.
	if _, err := a.w.Exec("DELETE FROM changes WHERE id < (SELECT MAX(id) FROM changes)"); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, deliveries(t, b), "b's catch-up"); !got.All {
		t.Fatalf("b fell behind the log and got {%s}, want All", got)
	}
}

// The same without the trim: b catches up with the exact topics.
func TestChangeLogCatchUp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "c.db")
	a, b := open(t, path), open(t, path)
	if err := a.SaveSettings(ctx, jarchy.Settings{}); err != nil {
		t.Fatal(err)
	}
	p := &jarchy.Page{Lang: jarchy.English, Title: "About"}
	if err := a.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, deliveries(t, b), "b's catch-up"); got.String() != "p/en/about site" {
		t.Fatalf("b caught up with {%s}, want {p/en/about site}", got)
	}
}

// A change log the poller cannot read gives All.
func TestChangeLogUnreadable(t *testing.T) {
	path := filepath.Join(t.TempDir(), "u.db")
	a, b := open(t, path), open(t, path)
	in := deliveries(t, b)
	if _, err := a.w.Exec("ALTER TABLE changes RENAME TO changes_away"); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, in, "b's delivery after a failed read"); !got.All {
		t.Fatalf("b got {%s} when the log was unreadable, want All", got)
	}
	if _, err := a.w.Exec("ALTER TABLE changes_away RENAME TO changes"); err != nil {
		t.Fatal(err)
	}
}

// Writes trim the log to its last keepChanges rows, every trimEvery rows.
func TestChangeLogTrim(t *testing.T) {
	db := open(t, filepath.Join(t.TempDir(), "t.db"))
	// Fill the log to one row short of a trim.
	if _, err := db.w.Exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
		INSERT INTO changes (origin, topics) SELECT 'elsewhere', 'a/' || i FROM n`, keepChanges+trimEvery-1); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveSettings(ctx, jarchy.Settings{}); err != nil { // row keepChanges+trimEvery
		t.Fatal(err)
	}
	if n, low := logRows(t, db); n != keepChanges || low != trimEvery+1 {
		t.Fatalf("after a trim the log holds %d rows from %d, want %d from %d", n, low, keepChanges, trimEvery+1)
	}
	if err := db.SaveSettings(ctx, jarchy.Settings{}); err != nil { // no trim this time
		t.Fatal(err)
	}
	if n, _ := logRows(t, db); n != keepChanges+1 {
		t.Fatalf("the log holds %d rows, want %d", n, keepChanges+1)
	}
}
