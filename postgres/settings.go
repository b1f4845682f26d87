package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/jarchy/jarchy"
)

// Settings returns the site settings (empty maps when never saved).
func (db *DB) Settings(ctx context.Context) (jarchy.Settings, error) {
	var names, social map[string]string
	err := db.pool.QueryRow(ctx, "SELECT site_name, social FROM settings WHERE id = 1").Scan(&names, &social)
	if err != nil {
		return jarchy.Settings{}, fmt.Errorf("settings: %w", err)
	}
	if social == nil {
		social = map[string]string{}
	}
	return jarchy.Settings{SiteName: langNames(names), Social: social}, nil
}

// SaveSettings validates and stores the site settings. Empty values are
// dropped (an unset network is hidden).
func (db *DB) SaveSettings(ctx context.Context, s jarchy.Settings) error {
	names := map[string]string{}
	for l, n := range s.SiteName {
		if !l.Valid() {
			return jarchy.Invalid("site_name", "err.lang", "site name in unknown language %q", l)
		}
		n = strings.TrimSpace(n)
		if !utf8.ValidString(n) || strings.ContainsRune(n, 0) {
			return jarchy.Invalid("site_name", "err.utf8", "site name is not valid UTF-8 text")
		}
		if utf8.RuneCountInString(n) > jarchy.MaxNameLen {
			return jarchy.Invalid("site_name", "err.too_long", "site name is longer than %d characters", jarchy.MaxNameLen)
		}
		if n != "" {
			names[string(l)] = n
		}
	}
	social := map[string]string{}
	for k, u := range s.Social {
		if !slices.Contains(jarchy.SocialNetworks, k) {
			return jarchy.Invalid("social", "err.social", "unknown social network %q", k)
		}
		u = strings.TrimSpace(u)
		if u == "" {
			continue
		}
		if !utf8.ValidString(u) || len(u) > jarchy.MaxURLLen ||
			!(strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://")) {
			return jarchy.Invalid("social", "err.social_url", "%s link must be an http or https URL", k)
		}
		social[k] = u
	}
	return db.write(ctx, "save settings", func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, "UPDATE settings SET site_name = $1, social = $2 WHERE id = 1", names, social)
		return err
	})
}
