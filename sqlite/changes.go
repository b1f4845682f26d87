package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"maps"
	"slices"
	"sync"
	"time"
)

// Change notification: every write bumps site_state.generation in its
// transaction and calls the subscribers after commit; a poller watching
// PRAGMA data_version tells about commits by other processes.

// PollInterval is how often a store with subscribers looks for commits
// made by other processes.
const PollInterval = 10 * time.Millisecond

// Subscribe registers fn to run after each committed write: synchronously
// for writes through db, and within about PollInterval for writes by other
// processes (seen through PRAGMA data_version). fn must not write to db.
func (db *DB) Subscribe(fn func()) (unsubscribe func()) {
	db.subMu.Lock()
	defer db.subMu.Unlock()
	id := db.nextSub
	db.nextSub++
	db.subs[id] = fn
	if len(db.subs) == 1 && !db.closed {
		db.startPollerLocked()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			db.subMu.Lock()
			defer db.subMu.Unlock()
			delete(db.subs, id)
			if len(db.subs) == 0 {
				db.stopPollerLocked()
			}
		})
	}
}

// notifySubscribers calls every subscriber, in the order they subscribed.
func (db *DB) notifySubscribers() {
	db.subMu.Lock()
	fns := make([]func(), 0, len(db.subs))
	for _, id := range slices.Sorted(maps.Keys(db.subs)) {
		fns = append(fns, db.subs[id])
	}
	db.subMu.Unlock()
	for _, fn := range fns {
		fn()
	}
}

func (db *DB) startPollerLocked() {
	stop, done := make(chan struct{}), make(chan struct{})
	db.stopPoll, db.pollDone = stop, done
	go db.poll(stop, done)
}

// stopPollerLocked tells the poller to stop and returns a channel closed
// when it has. Callers other than Close do not wait: a subscriber may
// unsubscribe from inside a notification sent by the poller.
func (db *DB) stopPollerLocked() (done chan struct{}) {
	if db.stopPoll == nil {
		return nil
	}
	close(db.stopPoll)
	done = db.pollDone
	db.stopPoll, db.pollDone = nil, nil
	return done
}

// poll watches PRAGMA data_version on one dedicated connection. It changes
// when another connection (this process's writer, or another process)
// commits; the generation then tells whether the commit is news.
func (db *DB) poll(stop, done chan struct{}) {
	defer close(done)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-stop:
			cancel()
		case <-ctx.Done():
		}
	}()
	conn, err := db.r.Conn(ctx)
	if err != nil {
		if ctx.Err() == nil {
			slog.Error("sqlite: change poller cannot get a connection", "err", err)
		}
		return
	}
	defer conn.Close()
	var last int64 = -1
	ticker := time.NewTicker(PollInterval)
	defer ticker.Stop()
	for {
		var v int64
		if err := conn.QueryRowContext(ctx, "PRAGMA data_version").Scan(&v); err != nil {
			if ctx.Err() != nil {
				return
			}
			slog.Warn("sqlite: change poller", "err", err)
		} else if v != last {
			last = v
			db.checkGeneration(ctx, conn)
		}
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
	}
}

func (db *DB) checkGeneration(ctx context.Context, conn *sql.Conn) {
	db.commitMu.Lock()
	var gen int64
	err := conn.QueryRowContext(ctx, "SELECT generation FROM site_state").Scan(&gen)
	fresh := err == nil && gen > db.lastGen
	if fresh {
		db.lastGen = gen
	}
	db.commitMu.Unlock()
	if err != nil && ctx.Err() == nil {
		slog.Warn("sqlite: change poller", "err", err)
	}
	if fresh {
		db.notifySubscribers()
	}
}

// Generation returns the content generation.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := db.queryRow(ctx, "SELECT generation FROM site_state").Scan(&g); err != nil {
		return 0, wrapErr("generation", err)
	}
	return g, nil
}
