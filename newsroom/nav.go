package newsroom

import (
	"slices"
	"strings"
)

// navItem is one link of the newsroom's navigation. A new page that
// belongs in the menu adds a row here; who sees it follows its access.
type navItem struct {
	path   string
	key    string // i18n key of its label
	access access
}

var navItems = []navItem{
	{Prefix + "/", "nr.nav.dashboard", users},
	{Prefix + "/articles", "nr.nav.articles", users},
	{Prefix + "/articles/new", "nr.nav.new", users},
	{Prefix + "/media", "nr.nav.media", users},
	{Prefix + "/sections", "nr.nav.sections", admins},
	{Prefix + "/pages", "nr.nav.pages", admins},
	{Prefix + "/settings", "nr.nav.settings", admins},
	{Prefix + "/users", "nr.nav.users", admins},
	{Prefix + "/audit", "nr.nav.audit", admins},
	{Prefix + "/comments", "nr.nav.comments", editors},
	{Prefix + "/account", "nr.nav.account", users},
}

// nav returns the items q's user may see, marking the one whose path is
// the longest prefix of current.
func nav(q *Request, current string) []navLink {
	var out []navLink
	best, bestLen := -1, 0
	for _, it := range navItems {
		if q.User == nil || (it.access.roles != nil && !slices.Contains(it.access.roles, q.User.Role)) {
			continue
		}
		if (current == it.path || strings.HasPrefix(current, strings.TrimSuffix(it.path, "/")+"/")) && len(it.path) > bestLen {
			best, bestLen = len(out), len(it.path)
		}
		out = append(out, navLink{URL: it.path, Label: q.T(it.key)})
	}
	if best >= 0 {
		out[best].Current = true
	}
	return out
}

type navLink struct {
	URL, Label string
	Current    bool
}
