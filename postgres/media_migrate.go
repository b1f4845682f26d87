package postgres

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"github.com/pressly/goose/v3"

	"github.com/jarchy/jarchy/internal/storeutil"
)

// mediaMigration (11) makes photos an entity of their own: the media
// table, and the seven cover columns of articles moved into its rows with
// the article keeping the key (cover_path renamed cover_key, with a
// foreign key to media). It is Go, as on SQLite, so that both stores
// derive an external cover's key and the search text with the same code
// (jarchy.ExternalMediaKey, jarchy.MediaSearchText: Go's lower case, not
// the cluster's locale).
var mediaMigration = goose.NewGoMigration(11, &goose.GoFunc{RunTx: func(ctx context.Context, tx *sql.Tx) error {
	exec := func(q string) error {
		if _, err := tx.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("media migration: %w", err)
		}
		return nil
	}
	if err := exec(`CREATE TABLE media (
		key         text PRIMARY KEY,
		url         text NOT NULL DEFAULT '',
		type        text NOT NULL DEFAULT '',
		width       integer NOT NULL DEFAULT 0,
		height      integer NOT NULL DEFAULT 0,
		caption     text NOT NULL DEFAULT '',
		credit      text NOT NULL DEFAULT '',
		alt         text NOT NULL DEFAULT '',
		search_text text NOT NULL DEFAULT '', -- jarchy.MediaSearchText
		variants    text NOT NULL DEFAULT '', -- JSON array of jarchy.MediaVariant, '' for none
		og          text NOT NULL DEFAULT '', -- JSON jarchy.MediaVariant, '' for none
		uploader    bigint REFERENCES users (id) ON DELETE SET NULL,
		created_at  timestamptz NOT NULL,
		updated_at  timestamptz NOT NULL
	)`); err != nil {
		return err
	}
	if err := exec("CREATE INDEX media_new ON media (created_at DESC, key)"); err != nil {
		return err
	}
	if err := storeutil.MoveCovers(ctx, tx, func(n int) string { return "$" + strconv.Itoa(n) }); err != nil {
		return fmt.Errorf("media migration: %w", err)
	}
	for _, q := range []string{
		"ALTER TABLE articles RENAME COLUMN cover_path TO cover_key",
		"ALTER TABLE articles ALTER COLUMN cover_key DROP NOT NULL, ALTER COLUMN cover_key DROP DEFAULT",
		"UPDATE articles SET cover_key = NULL WHERE cover_key = ''",
		`ALTER TABLE articles DROP COLUMN cover_url, DROP COLUMN cover_caption, DROP COLUMN cover_credit,
			DROP COLUMN cover_alt, DROP COLUMN cover_width, DROP COLUMN cover_height`,
		"ALTER TABLE articles ADD CONSTRAINT articles_cover_key_fkey FOREIGN KEY (cover_key) REFERENCES media (key)",
		"CREATE INDEX articles_cover ON articles (cover_key) WHERE cover_key IS NOT NULL",
	} {
		if err := exec(q); err != nil {
			return err
		}
	}
	return nil
}}, nil)
