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
	return insertRevision(ctx, tx, a, now, jarchy.RevisionInfoFrom(ctx))
}

// writeBaseline stores the stored state of article id, as of its last save
// at, as its first revision when it has none (it was saved before
// revisions existed), so that the save about to overwrite it loses nothing.
func writeBaseline(ctx context.Context, tx pgx.Tx, id int64, at time.Time) error {
	var has bool
	if err := tx.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM revisions WHERE article_id = $1)", id).Scan(&has); err != nil || has {
		return err
	}
	arts, err := loadArticles(ctx, tx, []int64{id}, false)
	if err != nil || len(arts) == 0 {
		return err
	}
	return insertRevision(ctx, tx, arts[0], at, jarchy.RevisionInfo{})
}

// insertRevisionSQL stores one revision: article, version, author,
// note, time, snapshot (JSON text).
const insertRevisionSQL = `INSERT INTO revisions (article_id, version, author_id, note, created_at, snapshot)
	VALUES ($1, $2, $3, $4, $5, $6::jsonb)`

func insertRevision(ctx context.Context, tx pgx.Tx, a *jarchy.Article, at time.Time, info jarchy.RevisionInfo) error {
	doc, err := jarchy.EncodeSnapshot(a)
	if err != nil {
		return err
	}
	_, err = tx.Exec(ctx, insertRevisionSQL, a.ID, a.Version, info.AuthorID, info.Note, at, string(doc))
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
