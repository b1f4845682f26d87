package sqlite

import (
	"context"
	"database/sql"
)

// wtx is a write transaction that runs its statements as statements
// prepared once on the writer connection: SQLite's parser and planner cost
// more than many of the statements themselves. A statement seen for the
// first time runs unprepared and is prepared after the transaction, when
// the one writer connection is free again.
type wtx struct {
	*sql.Tx
	db     *DB
	missed []string
}

// maxStmts bounds the cache; write statements are a fixed set of texts.
const maxStmts = 200

func (tx *wtx) stmt(ctx context.Context, query string) *sql.Stmt {
	tx.db.stmtMu.Lock()
	st := tx.db.stmts[query]
	tx.db.stmtMu.Unlock()
	if st == nil {
		tx.missed = append(tx.missed, query)
		return nil
	}
	return tx.Tx.StmtContext(ctx, st)
}

func (tx *wtx) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.ExecContext(ctx, args...)
	}
	return tx.Tx.ExecContext(ctx, query, args...)
}

func (tx *wtx) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryContext(ctx, args...)
	}
	return tx.Tx.QueryContext(ctx, query, args...)
}

func (tx *wtx) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	if st := tx.stmt(ctx, query); st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	return tx.Tx.QueryRowContext(ctx, query, args...)
}

// prepareMissed prepares the statements a finished transaction ran
// unprepared. Failures only mean the statement stays unprepared.
func (db *DB) prepareMissed(queries []string) {
	for _, q := range queries {
		db.stmtMu.Lock()
		_, have := db.stmts[q]
		full := len(db.stmts) >= maxStmts
		db.stmtMu.Unlock()
		if have || full {
			continue
		}
		st, err := db.w.PrepareContext(context.Background(), q)
		if err != nil {
			continue
		}
		db.stmtMu.Lock()
		if _, have := db.stmts[q]; have || db.stmts == nil {
			st.Close()
		} else {
			db.stmts[q] = st
		}
		db.stmtMu.Unlock()
	}
}
