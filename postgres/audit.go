package postgres

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// appendAudit writes audit entries inside the transaction tx of the write
// they record, at now, with the actor of ctx.
func appendAudit(ctx context.Context, tx pgx.Tx, now time.Time, es []jarchy.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	actor := jarchy.ActorFrom(ctx)
	for _, e := range es {
		if _, err := tx.Exec(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, kind, action, target_id, target, detail)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, now, actor.UserID, actor.Name, e.Kind(), e.Action, e.TargetID, e.Target, e.Detail); err != nil {
			return fmt.Errorf("write the audit log: %w", err)
		}
	}
	return nil
}

// AuditLog returns the audit entries f selects, newest first (see
// jarchy.AuditStore).
func (db *DB) AuditLog(ctx context.Context, f jarchy.AuditFilter) (jarchy.AuditList, error) {
	if err := f.Check(); err != nil {
		return jarchy.AuditList{}, err
	}
	var where []string
	var args []any
	arg := func(cond string, v any) {
		args = append(args, v)
		where = append(where, cond+" = $"+strconv.Itoa(len(args)))
	}
	if f.Kind != "" {
		arg("kind", f.Kind)
		if f.TargetID != 0 {
			arg("target_id", f.TargetID)
		}
	}
	if f.ActorID != 0 {
		arg("actor_id", f.ActorID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var out jarchy.AuditList
	err := db.read(ctx, "audit log", func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&out.Total); err != nil {
			return err
		}
		n := len(args)
		rows, err := tx.Query(ctx, `SELECT id, at, actor_id, actor_name, action, target_id, target, detail
			FROM audit_log`+cond+fmt.Sprintf(" ORDER BY id DESC LIMIT $%d OFFSET $%d", n+1, n+2), append(args, f.Limit, f.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e jarchy.AuditEntry
			if err := rows.Scan(&e.ID, &e.At, &e.ActorID, &e.ActorName, &e.Action, &e.TargetID, &e.Target, &e.Detail); err != nil {
				return err
			}
			e.At = e.At.UTC()
			out.Entries = append(out.Entries, e)
		}
		return rows.Err()
	})
	return out, err
}
