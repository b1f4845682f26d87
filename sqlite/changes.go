package sqlite

import (
	"context"
	"database/sql"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/internal/storeutil"
)

// Change notification: every write computes its jarchy.Change in its
// transaction, bumps site_state.generation and, when the change touches
// something public, appends it to the changes table (the change log);
// after commit it calls the subscribers with it. A poller watching PRAGMA
// data_version reads the rows other processes appended.

// PollInterval is how often a store with subscribers looks for commits
// made by other processes.
const PollInterval = 10 * time.Millisecond

// The change log keeps the last keepChanges rows: a poller that falls
// further behind (or was not running) gets Change{All: true}. Every
// trimEvery-th write trims it, so a trim deletes about trimEvery rows.
const (
	keepChanges = 10000
	trimEvery   = 100
)

// maxChangeText bounds a change log row: a longer change (a big import
// batch) is logged as All.
const maxChangeText = 64 << 10

// Subscribe registers fn to receive the Change of each committed write
// that touched something public: synchronously for writes through db, and
// within about PollInterval for writes by other processes (read from the
// change log when PRAGMA data_version moves). fn must not write to db.
func (db *DB) Subscribe(fn func(jarchy.Change)) (unsubscribe func()) {
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

// notifySubscribers gives ch to every subscriber, in the order they
// subscribed. An empty change goes to no one.
func (db *DB) notifySubscribers(ch jarchy.Change) {
	if ch.Empty() {
		return
	}
	db.subMu.Lock()
	fns := make([]func(jarchy.Change), 0, len(db.subs))
	for _, id := range slices.Sorted(maps.Keys(db.subs)) {
		fns = append(fns, db.subs[id])
	}
	db.subMu.Unlock()
	for _, fn := range fns {
		fn(ch)
	}
}

// logChange appends ch to the change log inside a write's transaction and
// trims the log every trimEvery rows.
func (db *DB) logChange(ctx context.Context, tx *qtx, ch jarchy.Change) error {
	var id int64
	if err := tx.QueryRowContext(ctx, "INSERT INTO changes (origin, topics) VALUES (?, ?) RETURNING id",
		db.origin, storeutil.ChangeText(ch, maxChangeText)).Scan(&id); err != nil {
		return err
	}
	if id%trimEvery == 0 {
		if _, err := tx.ExecContext(ctx, "DELETE FROM changes WHERE id <= ?", id-keepChanges); err != nil {
			return err
		}
	}
	return nil
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
// commits; the change log then tells what the commits changed.
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
		select {
		case <-stop: // stopped (and maybe closed) meanwhile
		default:
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
			db.notifySubscribers(db.readChanges(ctx, conn))
		}
		select {
		case <-stop:
			return
		case <-ticker.C:
		}
	}
}

// readChanges returns what the change log holds after the last row read,
// without the rows this store wrote (its subscribers had them at commit),
// merged into one Change. Rows it needs that were trimmed already, a log
// that went back (the file was replaced), or a read error give All: a
// stale page is never served.
func (db *DB) readChanges(ctx context.Context, conn *sql.Conn) jarchy.Change {
	db.seenMu.Lock()
	defer db.seenMu.Unlock()
	ch, newest, err := readLog(ctx, conn, db.origin, db.seen)
	if err != nil {
		if ctx.Err() != nil {
			return jarchy.Change{}
		}
		slog.Warn("sqlite: change poller: reading the change log failed; dropping everything", "err", err)
		return jarchy.Change{All: true}
	}
	db.seen = newest
	return ch
}

// readLog reads the change log after row seen up to its newest row and
// merges the changes that origin did not write.
func readLog(ctx context.Context, conn *sql.Conn, origin string, seen int64) (ch jarchy.Change, newest int64, err error) {
	if err := conn.QueryRowContext(ctx, "SELECT COALESCE(MAX(id), 0) FROM changes").Scan(&newest); err != nil {
		return ch, seen, err
	}
	switch {
	case newest == seen:
		return ch, seen, nil
	case newest < seen: // the log went back: rows were lost
		return jarchy.Change{All: true}, newest, nil
	}
	rows, err := conn.QueryContext(ctx, "SELECT id, origin, topics FROM changes WHERE id > ? AND id <= ? ORDER BY id", seen, newest)
	if err != nil {
		return ch, seen, err
	}
	defer rows.Close()
	var texts []string
	next := seen + 1
	for rows.Next() {
		var id int64
		var from, text string
		if err := rows.Scan(&id, &from, &text); err != nil {
			return ch, seen, err
		}
		if id != next { // trimmed before this poller read it
			return jarchy.Change{All: true}, newest, nil
		}
		next++
		if from != origin {
			texts = append(texts, text)
		}
	}
	if err := rows.Err(); err != nil {
		return ch, seen, err
	}
	if next != newest+1 { // the last rows were trimmed meanwhile
		return jarchy.Change{All: true}, newest, nil
	}
	return mergeTexts(texts), newest, nil
}

// mergeTexts is the one Change that touches what the changes in their
// text form (jarchy.Change.String) touch.
func mergeTexts(texts []string) jarchy.Change {
	if slices.Contains(texts, jarchy.Change{All: true}.String()) {
		return jarchy.Change{All: true}
	}
	return jarchy.ParseChange(strings.Join(texts, " "))
}

// Generation returns the content generation.
func (db *DB) Generation(ctx context.Context) (int64, error) {
	var g int64
	if err := db.queryRow(ctx, "SELECT generation FROM site_state").Scan(&g); err != nil {
		return 0, wrapErr("generation", err)
	}
	return g, nil
}
