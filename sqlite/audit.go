package sqlite

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jarchy/jarchy"
)

// appendAudit writes audit entries inside the transaction tx of the write
// they record, at now, with the actor of ctx.
func appendAudit(ctx context.Context, tx *qtx, now time.Time, es []jarchy.AuditEntry) error {
	if len(es) == 0 {
		return nil
	}
	actor := jarchy.ActorFrom(ctx)
	for _, e := range es {
		if _, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor_id, actor_name, kind, action, target_id, target, detail)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, toDB(now), actor.UserID, actor.Name, e.Kind(), e.Action, e.TargetID, e.Target, e.Detail); err != nil {
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
	if f.Kind != "" {
		where, args = append(where, "kind = ?"), append(args, f.Kind)
		if f.TargetID != 0 {
			where, args = append(where, "target_id = ?"), append(args, f.TargetID)
		}
	}
	if f.ActorID != 0 {
		where, args = append(where, "actor_id = ?"), append(args, f.ActorID)
	}
	cond := ""
	if len(where) > 0 {
		cond = " WHERE " + strings.Join(where, " AND ")
	}
	var out jarchy.AuditList
	err := db.read(ctx, "audit log", func(tx *qtx) error {
		if err := tx.QueryRowContext(ctx, "SELECT COUNT(*) FROM audit_log"+cond, args...).Scan(&out.Total); err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT id, at, actor_id, actor_name, action, target_id, target, detail
			FROM audit_log`+cond+" ORDER BY id DESC LIMIT ? OFFSET ?", append(args, f.Limit, f.Offset)...)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var e jarchy.AuditEntry
			var at int64
			if err := rows.Scan(&e.ID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.TargetID, &e.Target, &e.Detail); err != nil {
				return err
			}
			e.At = time.UnixMicro(at).UTC()
			out.Entries = append(out.Entries, e)
		}
		return rows.Err()
	})
	return out, err
}
