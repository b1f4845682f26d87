package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// writeRevision stores the snapshot of a saved article inside the save's
// transaction tx, with the RevisionInfo ctx carries.
func writeRevision(ctx context.Context, tx pgx.Tx, a *jarchy.Article, now time.Time) error {
	doc, err := jarchy.EncodeSnapshot(a)
	if err != nil {
		return err
	}
	info := jarchy.RevisionInfoFrom(ctx)
	_, err = tx.Exec(ctx, `INSERT INTO revisions (article_id, version, author_id, note, created_at, snapshot)
		VALUES ($1, $2, $3, $4, $5, $6::jsonb)`, a.ID, a.Version, info.AuthorID, info.Note, now, string(doc))
	if err != nil {
		return fmt.Errorf("write revision: %w", err)
	}
	return nil
}

// Revisions returns an article's revisions, newest first, their snapshots
// without the body (see jarchy.RevisionStore).
func (db *DB) Revisions(ctx context.Context, articleID int64) ([]jarchy.Revision, error) {
	var revs []jarchy.Revision
	err := db.read(ctx, fmt.Sprintf("revisions of article %d", articleID), func(tx pgx.Tx) error {
		rows, err := tx.Query(ctx, `SELECT id, article_id, version, author_id, note, created_at, (snapshot - 'body')::text
			FROM revisions WHERE article_id = $1 ORDER BY id DESC`, articleID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			r, err := scanRevision(rows)
			if err != nil {
				return err
			}
			revs = append(revs, *r)
		}
		return rows.Err()
	})
	return revs, err
}

// Revision returns one revision with its whole snapshot.
func (db *DB) Revision(ctx context.Context, id int64) (*jarchy.Revision, error) {
	var r *jarchy.Revision
	err := db.read(ctx, fmt.Sprintf("revision %d", id), func(tx pgx.Tx) error {
		var err error
		r, err = scanRevision(tx.QueryRow(ctx, `SELECT id, article_id, version, author_id, note, created_at, snapshot::text
			FROM revisions WHERE id = $1`, id))
		if errors.Is(err, pgx.ErrNoRows) {
			return notFound("revision %d not found", id)
		}
		return err
	})
	return r, err
}

func scanRevision(row pgx.Row) (*jarchy.Revision, error) {
	r := &jarchy.Revision{}
	var doc string
	if err := row.Scan(&r.ID, &r.ArticleID, &r.Version, &r.AuthorID, &r.Note, &r.CreatedAt, &doc); err != nil {
		return nil, err
	}
	r.CreatedAt = r.CreatedAt.UTC()
	a, err := jarchy.DecodeSnapshot([]byte(doc))
	if err != nil {
		return nil, fmt.Errorf("revision %d: %w", r.ID, err)
	}
	r.Article = a
	return r, nil
}
