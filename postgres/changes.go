package postgres

// Change notification: every write bumps site_state.generation and sends
// NOTIFY jarchy_changes in its transaction, and calls the subscribers after
// commit; a listener connection hears about commits by other processes.

import (
	"context"
	"log/slog"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Subscribe registers fn to run after every committed write: synchronously
// for writes through this DB, and from a LISTEN goroutine for writes by
// other processes. The goroutine runs while there are subscribers.
func (db *DB) Subscribe(fn func()) (unsubscribe func()) {
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

// notifySubscribers calls every subscriber, in the order they subscribed.
func (db *DB) notifySubscribers() {
	db.mu.Lock()
	fns := make([]func(), 0, len(db.subs))
	for _, id := range slices.Sorted(maps.Keys(db.subs)) {
		fns = append(fns, db.subs[id])
	}
	db.mu.Unlock()
	for _, fn := range fns {
		fn()
	}
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
// reconnect subscribers are called once, since notifications may have been
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

// listen connects, runs LISTEN and calls subscribers for every notification
// from another store until the connection fails or ctx ends.
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
		db.notifySubscribers()
	}
	for {
		n, err := conn.WaitForNotification(ctx)
		if err != nil {
			return err
		}
		if n.Payload != db.id { // our own writes were announced synchronously
			db.notifySubscribers()
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
