package postgres

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/pgtest"
	"github.com/jarchy/jarchy/internal/testwait"
)

// deliveries subscribes to db and returns the channel of its deliveries.
func deliveries(t *testing.T, db *DB) chan jarchy.Change {
	ch := make(chan jarchy.Change, 100)
	t.Cleanup(db.Subscribe(func(c jarchy.Change) {
		select {
		case ch <- c:
		default:
		}
	}))
	return ch
}

// waitHeard waits until db's listener has handled n notifications.
func waitHeard(t *testing.T, db *DB, n int64) {
	t.Helper()
	deadline := time.Now().Add(testwait.Timeout)
	for db.heard.Load() < n {
		if time.Now().After(deadline) {
			t.Fatalf("listener handled %d notifications in %v, want %d", db.heard.Load(), testwait.Timeout, n)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// A store's own writes reach its subscribers once (synchronously), not a
// second time through its own LISTEN connection.
func TestOwnWritesNotifiedOnce(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openDB(t, url), openDB(t, url)

	var calls atomic.Int64
	unsub := a.Subscribe(func(jarchy.Change) { calls.Add(1) })
	defer unsub()
	if err := a.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Own"}}); err != nil {
		t.Fatal(err)
	}
	if got := calls.Load(); got != 1 {
		t.Fatalf("own write: %d calls before it returned, want 1", got)
	}
	if err := b.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "Other"}}); err != nil {
		t.Fatal(err)
	}
	waitHeard(t, a, 2)
	if got := calls.Load(); got != 2 {
		t.Fatalf("subscriber called %d times for one own and one foreign write, want 2", got)
	}
}

// A write that touched nothing public sends no notification at all.
func TestDraftSaveSendsNothing(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openDB(t, url), openDB(t, url)
	type heard struct {
		ch     jarchy.Change
		before int64 // notifications b's listener handled before this one
	}
	in := make(chan heard, 10)
	defer b.Subscribe(func(ch jarchy.Change) { in <- heard{ch, b.heard.Load()} })()
	draft := &jarchy.Article{Lang: jarchy.Kyrgyz, Title: "Долбоор", Body: "Текст", Section: jarchy.Section{Slug: "news"}}
	if err := a.SaveArticle(ctx, draft); err != nil { // creates its section: site
		t.Fatal(err)
	}
	testwait.Recv(t, in, "the section created by the first save")
	draft.Body = "Дагы текст"
	if err := a.SaveArticle(ctx, draft); err != nil {
		t.Fatal(err)
	}
	if err := a.SaveSettings(ctx, jarchy.Settings{}); err != nil {
		t.Fatal(err)
	}
	got := testwait.Recv(t, in, "SaveSettings")
	if got.ch.String() != "site" || got.before != 1 {
		t.Fatalf("after a draft save, SaveSettings reached b as {%s} after %d notifications; want {site} after 1", got.ch, got.before)
	}
}

// A change too long for a NOTIFY payload reaches other nodes as All; the
// writer's own subscribers still get its topics.
func TestLongChangeIsAll(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	a, b := openDB(t, url), openDB(t, url)
	own, other := deliveries(t, a), deliveries(t, b)
	var batch []*jarchy.Article
	for i := range 300 { // each adds "a/N g/g-<24 hex digits>": over 7,900 bytes
		batch = append(batch, &jarchy.Article{Lang: jarchy.Kyrgyz, Title: fmt.Sprintf("Макала %d", i), Body: "Текст",
			Section: jarchy.Section{Slug: "news"}, Status: jarchy.StatusPublished, PublishedAt: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)})
	}
	if err := a.SaveArticles(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, own, "the batch (own)"); got.All || !got.Touches(jarchy.ArticleTopic(batch[299].ID)) {
		t.Fatalf("own subscriber got All=%v without the topics of the batch", got.All)
	}
	if got := testwait.Recv(t, other, "the batch (other node)"); !got.All {
		t.Fatalf("other node got {%.80s…}, want All", got)
	}
}

// A payload without a change (from an older jarchy, whose payload was
// only its id) is All.
func TestParsePayload(t *testing.T) {
	for _, c := range []struct{ payload, from, change string }{
		{"0123abcd site", "0123abcd", "site"},
		{"0123abcd a/1 g/x search", "0123abcd", "a/1 g/x search"},
		{"0123abcd *", "0123abcd", "*"},
		{"0123abcd", "0123abcd", "*"},
	} {
		from, ch := parsePayload(c.payload)
		if from != c.from || ch.String() != c.change {
			t.Errorf("parsePayload(%q) = %q, {%s}; want %q, {%s}", c.payload, from, ch, c.from, c.change)
		}
	}
}

// A write through one DB reaches subscribers of another DB on the same
// database (another node) via LISTEN/NOTIFY, and local ones synchronously.
func TestSubscribeAcrossNodes(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	writer, reader := openDB(t, url), openDB(t, url)

	local := 0
	unsubLocal := writer.Subscribe(func(jarchy.Change) { local++ })
	defer unsubLocal()
	heard := deliveries(t, reader)

	p := &jarchy.Page{Lang: jarchy.Kyrgyz, Title: "Биз жөнүндө"}
	if err := writer.SavePage(ctx, p); err != nil {
		t.Fatal(err)
	}
	if local != 1 {
		t.Fatalf("local subscriber called %d times before SavePage returned, want 1", local)
	}
	if got := testwait.Recv(t, heard, "the write on the other node"); got.String() != "p/ky/biz-jonundo site" {
		t.Fatalf("the other node heard {%s}, want {p/ky/biz-jonundo site}", got)
	}
}

// When the LISTEN connection dies, the listener reconnects, delivers All
// (notifications may have been lost meanwhile), and later writes by other
// nodes are heard again with their topics.
func TestListenerReconnects(t *testing.T) {
	ctx := context.Background()
	url := pgtest.URL(t)
	writer, reader := openDB(t, url), openDB(t, url)
	heard := make(chan jarchy.Change, 100)
	unsub := reader.Subscribe(func(ch jarchy.Change) {
		select {
		case heard <- ch:
		default:
		}
	})
	defer unsub()

	admin, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	listenerPID := func() int {
		var pid int
		err := admin.QueryRow(ctx, `SELECT coalesce(max(pid), 0) FROM pg_stat_activity
			WHERE application_name = 'jarchy-listener' AND datname = current_database()`).Scan(&pid)
		if err != nil {
			t.Fatal(err)
		}
		return pid
	}
	old := listenerPID()
	if old == 0 {
		t.Fatal("no listener connection while subscribed")
	}
	if _, err := admin.Exec(ctx, "SELECT pg_terminate_backend($1)", old); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, heard, "the catch-up after reconnecting"); !got.All {
		t.Fatalf("after reconnecting the listener delivered {%s}, want All", got)
	}
	if pid := listenerPID(); pid == 0 || pid == old {
		t.Fatalf("listener connection %d after the catch-up, want a new one (the old was %d)", pid, old)
	}
	if err := writer.SaveSettings(ctx, jarchy.Settings{SiteName: map[jarchy.Lang]string{jarchy.English: "After"}}); err != nil {
		t.Fatal(err)
	}
	if got := testwait.Recv(t, heard, "a write after the reconnect"); got.String() != "site" {
		t.Fatalf("a write after the reconnect was heard as {%s}, want {site}", got)
	}

	// With no subscribers left, the listener connection goes away.
	unsub()
	deadline := time.Now().Add(testwait.Timeout)
	for listenerPID() != 0 {
		if time.Now().After(deadline) {
			t.Fatal("listener connection still open without subscribers")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
