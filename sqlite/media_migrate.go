package sqlite

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pressly/goose/v3"

	"github.com/jarchy/jarchy/internal/storeutil"
)

// mediaMigration (14) makes photos an entity of their own: the media
// table, and the seven cover columns of articles moved into its rows with
// the article keeping the key. It is Go because an external cover's key is
// a SHA-256 (jarchy.ExternalMediaKey), which SQLite cannot compute. The
// old cover_path column becomes cover_key, so the reference keeps its
// place before the long texts (a column after them costs overflow-page
// reads). No foreign key: SQLite cannot add one to an existing table, and
// the store writes the reference and the media row in one transaction.
var mediaMigration = goose.NewGoMigration(14, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
	exec := func(q string) error {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("media migration: %w", err)
		}
		return nil
	}
	if err := exec(`CREATE TABLE media (
		key         TEXT PRIMARY KEY,
		url         TEXT NOT NULL DEFAULT '',
		type        TEXT NOT NULL DEFAULT '',
		width       INTEGER NOT NULL DEFAULT 0,
		height      INTEGER NOT NULL DEFAULT 0,
		caption     TEXT NOT NULL DEFAULT '',
		credit      TEXT NOT NULL DEFAULT '',
		alt         TEXT NOT NULL DEFAULT '',
		search_text TEXT NOT NULL DEFAULT '', -- jarchy.MediaSearchText
		variants    TEXT NOT NULL DEFAULT '', -- JSON array of jarchy.MediaVariant, '' for none
		og          TEXT NOT NULL DEFAULT '', -- JSON jarchy.MediaVariant, '' for none
		uploader    INTEGER REFERENCES users (id) ON DELETE SET NULL,
		created_at  INTEGER NOT NULL,
		updated_at  INTEGER NOT NULL
	)`); err != nil {
		return err
	}
	if err := exec("CREATE INDEX media_new ON media (created_at DESC, key)"); err != nil {
		return err
	}
	if err := storeutil.MoveCovers(ctx, tx, func(int) string { return "?" }); err != nil {
		return fmt.Errorf("media migration: %w", err)
	}
	for _, q := range []string{
		"ALTER TABLE articles RENAME COLUMN cover_path TO cover_key",
		"UPDATE articles SET cover_key = NULL WHERE cover_key = ''",
		"ALTER TABLE articles DROP COLUMN cover_url",
		"ALTER TABLE articles DROP COLUMN cover_caption",
		"ALTER TABLE articles DROP COLUMN cover_credit",
		"ALTER TABLE articles DROP COLUMN cover_alt",
		"ALTER TABLE articles DROP COLUMN cover_width",
		"ALTER TABLE articles DROP COLUMN cover_height",
		"CREATE INDEX articles_cover ON articles (cover_key) WHERE cover_key IS NOT NULL",
	} {
		if err := exec(q); err != nil {
			return err
		}
	}
	return nil
}}, nil)
