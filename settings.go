package jarchy

import (
	"context"
	"slices"
	"strings"
)

// Settings are site-wide settings editable at run time.
type Settings struct {
	SiteName map[Lang]string
	// Social maps a network ("x", "facebook", "youtube", "instagram",
	// "telegram") to a profile URL. Unset networks are hidden.
	Social map[string]string
	// TelegramChannel is the public Telegram channel of the site, as its
	// username without "@" (5 to 32 letters, digits and underscores,
	// starting with a letter), "" when none: the channel the newsroom
	// posts to, linked as https://t.me/<name>.
	TelegramChannel string
}

// SocialNetworks lists the networks the footer knows, in display order.
var SocialNetworks = []string{"x", "facebook", "youtube", "instagram", "telegram"}

// Normalize returns the settings with every site name cleaned
// (CleanLine) and every link trimmed, in new maps.
func (s Settings) Normalize() Settings {
	out := Settings{SiteName: make(map[Lang]string, len(s.SiteName)), Social: make(map[string]string, len(s.Social)),
		TelegramChannel: strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s.TelegramChannel), "https://t.me/"), "@")}
	for l, n := range s.SiteName {
		out.SiteName[l] = CleanLine(n)
	}
	for k, u := range s.Social {
		out.Social[k] = strings.TrimSpace(u)
	}
	return out
}

// Validate checks normalised settings: site names in site languages within
// the size limit, links to known networks with http(s) URLs. Empty values
// are valid (they unset).
func (s Settings) Validate() error {
	for l, n := range s.SiteName {
		if !l.Valid() {
			return Invalid("site_name", "err.lang", "unknown language %q", l)
		}
		if err := validText("site_name", n, MaxNameLen, false); err != nil {
			return err
		}
	}
	for k, u := range s.Social {
		if !slices.Contains(SocialNetworks, k) {
			return Invalid("social", "err.social", "unknown social network %q", k)
		}
		if u == "" {
			continue
		}
		if err := validKey("social", u, MaxURLLen); err != nil {
			return err
		}
		if !ValidWebURL(u) {
			return Invalid("social", "err.url", "%s link must be an http or https URL", k)
		}
	}
	if s.TelegramChannel != "" && !validTelegramName(s.TelegramChannel) {
		return Invalid("telegram_channel", "err.telegram_channel", "%q is not a Telegram channel name (5 to 32 letters, digits and _, starting with a letter)", s.TelegramChannel)
	}
	return nil
}

// validTelegramName reports whether s is a Telegram public username.
func validTelegramName(s string) bool {
	if len(s) < 5 || len(s) > 32 {
		return false
	}
	for i, r := range s {
		letter := 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z'
		if !(letter || i > 0 && (r == '_' || '0' <= r && r <= '9')) {
			return false
		}
	}
	return true
}

// TelegramURL is the link to the site's Telegram channel, or "".
func (s Settings) TelegramURL() string {
	if s.TelegramChannel == "" {
		return ""
	}
	return "https://t.me/" + s.TelegramChannel
}

// Clean is what a store keeps of s: normalised, validated, without empty
// values (an empty value unsets), in non-nil maps.
func (s Settings) Clean() (Settings, error) {
	s = s.Normalize()
	if err := s.Validate(); err != nil {
		return Settings{SiteName: map[Lang]string{}, Social: map[string]string{}}, err
	}
	for l, n := range s.SiteName {
		if n == "" {
			delete(s.SiteName, l)
		}
	}
	for k, u := range s.Social {
		if u == "" {
			delete(s.Social, k)
		}
	}
	return s, nil
}

// SettingsStore keeps the site settings.
type SettingsStore interface {
	// Settings returns the site settings (empty, non-nil maps when unset).
	Settings(ctx context.Context) (Settings, error)
	// SaveSettings replaces the site settings with s.Clean().
	SaveSettings(ctx context.Context, s Settings) error
}
