package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// Settings returns the site settings (empty maps when never saved).
func (db *DB) Settings(ctx context.Context) (jarchy.Settings, error) {
	var names, social map[string]string
	var telegram string
	err := db.pool.QueryRow(ctx, "SELECT site_name, social, telegram_channel FROM settings WHERE id = 1").Scan(&names, &social, &telegram)
	if err != nil {
		return jarchy.Settings{}, wrapErr("settings", err)
	}
	if social == nil {
		social = map[string]string{}
	}
	return jarchy.Settings{SiteName: langNames(names), Social: social, TelegramChannel: telegram}, nil
}

// SaveSettings replaces the site settings with s.Clean(): empty values are
// dropped (an unset network is hidden).
func (db *DB) SaveSettings(ctx context.Context, s jarchy.Settings) error {
	clean, err := s.Clean()
	if err != nil {
		return err
	}
	return db.write(ctx, "save settings", func(tx pgx.Tx) (jarchy.Change, error) {
		_, err := tx.Exec(ctx, "UPDATE settings SET site_name = $1, social = $2, telegram_channel = $3 WHERE id = 1",
			stringNames(clean.SiteName), clean.Social, clean.TelegramChannel)
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.SettingsChange(), nil
	})
}
