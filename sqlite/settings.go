package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jarchy/jarchy"
)

const settingsKey = "site"

// Settings returns the site settings (empty, non-nil maps when unset).
func (db *DB) Settings(ctx context.Context) (jarchy.Settings, error) {
	var raw string
	err := db.queryRow(ctx, "SELECT value FROM settings WHERE key = ?", settingsKey).Scan(&raw)
	if errors.Is(err, sql.ErrNoRows) {
		raw = "{}"
	} else if err != nil {
		return jarchy.Settings{}, wrapErr("settings", err)
	}
	var s jarchy.Settings
	if err := json.Unmarshal([]byte(raw), &s); err != nil {
		return jarchy.Settings{}, fmt.Errorf("sqlite: settings: stored value is not valid JSON: %w", err)
	}
	if s.SiteName == nil {
		s.SiteName = map[jarchy.Lang]string{}
	}
	if s.Social == nil {
		s.Social = map[string]string{}
	}
	return s, nil
}

// SaveSettings replaces the site settings.
func (db *DB) SaveSettings(ctx context.Context, s jarchy.Settings) error {
	clean, err := s.Clean()
	if err != nil {
		return err
	}
	raw, err := json.Marshal(clean)
	if err != nil {
		return fmt.Errorf("sqlite: save settings: %w", err)
	}
	return db.write(ctx, "save settings", func(tx *qtx) (jarchy.Change, error) {
		_, err := tx.ExecContext(ctx, `INSERT INTO settings (key, value) VALUES (?, ?)
			ON CONFLICT (key) DO UPDATE SET value = excluded.value`, settingsKey, string(raw))
		if err != nil {
			return jarchy.Change{}, err
		}
		return jarchy.SettingsChange(), nil
	})
}
