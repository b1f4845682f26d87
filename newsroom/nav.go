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
	{Prefix + "/media", "nr.nav.media", users},
	{Prefix + "/account", "nr.nav.account", users},
}

// nav returns the items q's user may see, marking the current one.
func nav(q *Request, current string) []navLink {
	var out []navLink
	for _, it := range navItems {
		if q.User == nil || (it.access.roles != nil && !slices.Contains(it.access.roles, q.User.Role)) {
			continue
		}
		cur := current == it.path || (it.path != Prefix+"/" && strings.HasPrefix(current, it.path))
		out = append(out, navLink{URL: it.path, Label: q.T(it.key), Current: cur})
	}
	return out
}

type navLink struct {
	URL, Label string
	Current    bool
}
