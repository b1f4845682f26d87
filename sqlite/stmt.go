package sqlite

import (
	"context"
	"database/sql"
	"strings"
	"sync"
)

// stmtPool keeps statements prepared on one connection pool: SQLite's
// parser and planner cost more than many of jarchy's statements
// themselves. database/sql prepares a cached statement on each connection
// once and reuses it.
type stmtPool struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt // nil once closed
	bg sync.WaitGroup       // prepareLater's goroutines, which close waits for
}

// maxStmts bounds each pool; jarchy's statements are a bounded set of
// texts (IN lists are padded to a few sizes, see inList).
const maxStmts = 500

func newStmtPool(db *sql.DB) *stmtPool {
	return &stmtPool{db: db, m: map[string]*sql.Stmt{}}
}

func (p *stmtPool) get(query string) *sql.Stmt {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.m[query]
}

// prepare prepares queries that ran unprepared. It runs after their
// transaction, when no connection is held, so it cannot deadlock on the
// one writer connection. Failures only leave a statement unprepared.
func (p *stmtPool) prepare(queries []string) {
	for _, q := range queries {
		p.mu.Lock()
		_, have := p.m[q]
		skip := have || p.m == nil || len(p.m) >= maxStmts
		p.mu.Unlock()
		if skip {
			continue
		}
		st, err := p.db.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		p.mu.Lock()
		if _, have := p.m[q]; have || p.m == nil {
			st.Close()
		} else {
			p.m[q] = st
		}
		p.mu.Unlock()
	}
}

// prepareLater prepares query on a goroutine of its own, unless the pool
// is closed: preparing at once could wait for a second connection while
// the caller holds one.
func (p *stmtPool) prepareLater(query string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		return
	}
	p.bg.Add(1)
	go func() {
		defer p.bg.Done()
		p.prepare([]string{query})
	}()
}

// close closes the statements once the background prepares have ended, so
// that none opens a connection after the database is closed.
func (p *stmtPool) close() {
	p.mu.Lock()
	m := p.m
	p.m = nil
	p.mu.Unlock()
	p.bg.Wait()
	for _, st := range m {
		st.Close()
	}
}

// qtx is a transaction whose statements run prepared when the pool has
// them; the others are noted and prepared after the transaction.
type qtx struct {
	*sql.Tx
	pool   *stmtPool
	missed []string
}

func (tx *qtx) stmt(ctx context.Context, query string) *sql.Stmt {
	st := tx.pool.get(query)
	if st == nil {
		tx.missed = append(tx.missed, query)
		return nil
	}
	return tx.Tx.StmtContext(ctx, st)
}

func (tx *qtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *qtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

func (tx *qtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// inList returns "?,?,…" and the arguments for ids, padded with repeats of
// the first id to one of a few sizes so that few statement texts exist.
func inList(ids []int64) (string, []any) {
	n := len(ids)
	for _, size := range []int{1, 4, 10, 20, 50, 100} {
		if n <= size {
			n = size
			break
		}
	}
	args := make([]any, n)
	for i := range args {
		if i < len(ids) {
			args[i] = ids[i]
		} else {
			args[i] = ids[0]
		}
	}
	return placeholders(n), args
}

// placeholders returns "?,?,…" for n arguments.
func placeholders(n int) string {
	return strings.TrimSuffix(strings.Repeat("?,", n), ",")
}

// queryRow runs a one-row read outside a transaction, prepared when it can.
func (db *DB) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	if st := db.rstmts.get(query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	db.rstmts.prepareLater(query)
	return db.r.QueryRowContext(ctx, query, args...)
}
