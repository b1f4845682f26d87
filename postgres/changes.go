package postgres

// Change notification: every write computes its jarchy.Change in its
// transaction and bumps site_state.generation; when the change touches
// something public, it sends it with NOTIFY jarchy_changes in the same
// transaction and gives it to the subscribers after commit. A listener
// connection hears about commits by other processes.

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Subscribe registers fn to receive the Change of every committed write
// that touched something public: synchronously for writes through this DB,
// and from a LISTEN goroutine for writes by other processes (All after the
// listener lost its connection). The goroutine runs while there are
// subscribers.
func (db *DB) Subscribe(fn func(jarchy.Change)) (unsubscribe func()) {
	db.mu.Lock()
	if db.closed {
		db.mu.Unlock()
		return func() {}
	}
	id := db.nextSub
	db.nextSub++
	db.subs[id] = fn
	l := db.listener
	if l == nil {
		l = db.startListener()
		db.listener = l
	}
	db.mu.Unlock()

	// Wait (briefly) until LISTEN is active so that writes by other
	// processes from now on are not missed.
	select {
	case <-l.ready:
	case <-time.After(5 * time.Second):
	}

	var once bool
	return func() {
		db.mu.Lock()
		if once {
			db.mu.Unlock()
			return
		}
		once = true
		delete(db.subs, id)
		var stop *listener
		if len(db.subs) == 0 && db.listener != nil {
			stop, db.listener = db.listener, nil
		}
		db.mu.Unlock()
		if stop != nil {
			stop.cancel() // no wait: fn may itself be running on the listener
		}
	}
}

// notifySubscribers gives ch to every subscriber, in the order they
// subscribed. An empty change goes to no one.
func (db *DB) notifySubscribers(ch jarchy.Change) {
	if ch.Empty() {
		return
	}
	db.mu.Lock()
	fns := make([]func(jarchy.Change), 0, len(db.subs))
	for _, id := range slices.Sorted(maps.Keys(db.subs)) {
		fns = append(fns, db.subs[id])
	}
	db.mu.Unlock()
	for _, fn := range fns {
		fn(ch)
	}
}

// maxPayload bounds a NOTIFY payload below PostgreSQL's 8000 bytes; a
// longer change (a big import batch) is sent as All.
const maxPayload = 7900

// payload is the NOTIFY payload of ch: this store's id, a space, and the
// change in its text form (jarchy.Change.String).
func (db *DB) payload(ch jarchy.Change) string {
	return db.id + " " + storeutil.ChangeText(ch, maxPayload-len(db.id)-1)
}

// parsePayload reads a NOTIFY payload: who sent it and what changed. A
// payload without a change (from an older jarchy) is All.
func parsePayload(p string) (from string, ch jarchy.Change) {
	from, text, ok := strings.Cut(p, " ")
	if !ok {
		return from, jarchy.Change{All: true}
	}
	return from, jarchy.ParseChange(text)
}

// listenerName is the application_name of the LISTEN connection.
const listenerName = "jarchy-listener"

type listener struct {
	cancel context.CancelFunc
	ready  chan struct{} // closed once LISTEN first succeeds
	done   chan struct{}
}

// stop ends the listener and waits (briefly: stop may be called from a
// subscriber running on the listener itself) for its connection to close.
func (l *listener) stop() {
	l.cancel()
	select {
	case <-l.done:
	case <-time.After(5 * time.Second):
	}
}

// startListener runs a goroutine that holds a dedicated connection with
// LISTEN jarchy_changes, reconnecting with back-off when it fails. After a
// reconnect subscribers get All once, since notifications may have been
// missed while the connection was down.
func (db *DB) startListener() *listener {
	ctx, cancel := context.WithCancel(context.Background())
	l := &listener{cancel: cancel, ready: make(chan struct{}), done: make(chan struct{})}
	cfg := db.pool.Config().ConnConfig
	if cfg.RuntimeParams == nil {
		cfg.RuntimeParams = map[string]string{}
	}
	cfg.RuntimeParams["application_name"] = listenerName
	go func() {
		defer close(l.done)
		backoff := 50 * time.Millisecond
		first := true
		for ctx.Err() == nil {
			err := db.listen(ctx, cfg, l, !first)
			if ctx.Err() != nil {
				return
			}
			first = false
			slog.Warn("postgres: change listener lost its connection; reconnecting", "err", err, "in", backoff)
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
		}
	}()
	return l
}

// listen connects, runs LISTEN and gives subscribers the change of every
// notification from another store until the connection fails or ctx ends.
func (db *DB) listen(ctx context.Context, cfg *pgx.ConnConfig, l *listener, reconnected bool) error {
	conn, err := pgx.ConnectConfig(ctx, cfg)
	if err != nil {
		return err
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+notifyChannel); err != nil {
		return err
	}
	select {
	case <-l.ready:
	default:
		close(l.ready)
	}
	if reconnected {
		db.notifySubscribers(jarchy.Change{All: true})
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if from, ch := parsePayload(n.Payload); from != db.id { // our own writes were announced synchronously
			db.notifySubscribers(ch)
		}
		db.heard.Add(1)
	}
}

// Generation returns the site-wide content generation.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := db.pool.QueryRow(ctx, "SELECT generation FROM site_state WHERE id = 1").Scan(&g)
	if err != nil {
		return 0, wrapErr("generation", err)
	}
	return g, nil
}
