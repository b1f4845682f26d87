package jarchy

import "slices"

// Role is what a writer may do. Newsroom users have one of admin, editor
// and author; RoleSystem is the machine writers (the importer and the
// command line copying states from elsewhere, the scheduler).
type Role string

// Roles.
const (
	RoleAdmin  Role = "admin"  // everything, users and settings included
	RoleEditor Role = "editor" // edits and publishes any article, moderates
	RoleAuthor Role = "author" // writes and submits own articles, cannot publish
	RoleSystem Role = "system" // importer, CLI: carries any state over
)

// Roles lists the newsroom roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleAuthor}

// Valid reports whether r is a newsroom role.
func (r Role) Valid() bool { return slices.Contains(Roles, r) }

// Statuses lists the workflow states in the order editors meet them.
var Statuses = []Status{StatusDraft, StatusReview, StatusScheduled, StatusPublished, StatusUnpublished}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return slices.Contains(Statuses, s) }

// Transition is one move of the editorial workflow: the roles that may move
// an article from From to To, and the action's name (a button, an audit
// log entry). From "" is the creation of a new article. From == To is a
// save that keeps the state.
type Transition struct {
	From, To Status
	Action   string
	Roles    []Role
}

var (
	writers = []Role{RoleAdmin, RoleEditor, RoleAuthor}
	editors = []Role{RoleAdmin, RoleEditor}
)

// Workflow is the one table of editorial moves. Every writer checks it
// with CheckTransition before saving: the newsroom for its users' roles,
// the importer and the command line as RoleSystem. RoleSystem may make any
// move between valid states (it copies states from another system), and
// the scheduler makes scheduled → published when the time has come.
var Workflow = []Transition{
	{"", StatusDraft, "create", writers},
	{"", StatusReview, "submit", writers},
	{"", StatusScheduled, "schedule", editors},
	{"", StatusPublished, "publish", editors},

	{StatusDraft, StatusDraft, "save", writers},
	{StatusDraft, StatusReview, "submit", writers},
	{StatusDraft, StatusScheduled, "schedule", editors},
	{StatusDraft, StatusPublished, "publish", editors},

	{StatusReview, StatusReview, "save", editors},
	{StatusReview, StatusDraft, "return", writers}, // an author withdraws, an editor sends back
	{StatusReview, StatusScheduled, "schedule", editors},
	{StatusReview, StatusPublished, "publish", editors},

	{StatusScheduled, StatusScheduled, "save", editors},
	{StatusScheduled, StatusDraft, "unschedule", editors},
	{StatusScheduled, StatusPublished, "publish", editors},

	{StatusPublished, StatusPublished, "update", editors},
	{StatusPublished, StatusUnpublished, "unpublish", editors},

	{StatusUnpublished, StatusUnpublished, "save", editors},
	{StatusUnpublished, StatusDraft, "redraft", editors},
	{StatusUnpublished, StatusPublished, "republish", editors},
}

// FindTransition returns the workflow move from → to, if the table has one.
func FindTransition(from, to Status) (Transition, bool) {
	for _, t := range Workflow {
		if t.From == from && t.To == to {
			return t, true
		}
	}
	return Transition{}, false
}

// CheckTransition reports whether role may move an article from → to
// (from "" for a new article): nil, an EINVALID error for an unknown
// state, or an EFORBIDDEN error.
func CheckTransition(role Role, from, to Status) error {
	if !to.Valid() {
		return Invalid("status", "err.status", "unknown status %q", to)
	}
	if from != "" && !from.Valid() {
		return Invalid("status", "err.status", "unknown status %q", from)
	}
	if role == RoleSystem {
		return nil
	}
	t, ok := FindTransition(from, to)
	if !ok {
		return &Error{Code: EFORBIDDEN, Field: "status", MessageKey: "err.transition",
			Message: "the workflow has no move from " + string(from) + " to " + string(to)}
	}
	if !slices.Contains(t.Roles, role) {
		return &Error{Code: EFORBIDDEN, Field: "status", MessageKey: "err.transition_role",
			Message: "role " + string(role) + " may not " + t.Action + " (" + string(from) + " to " + string(to) + ")"}
	}
	return nil
}

// Moves returns the transitions role may make from an article's state
// (from "" for a new article), in table order: the newsroom's buttons.
func Moves(role Role, from Status) []Transition {
	var out []Transition
	for _, t := range Workflow {
		if t.From == from && (role == RoleSystem || slices.Contains(t.Roles, role)) {
			out = append(out, t)
		}
	}
	return out
}

// CanEdit reports whether a newsroom user (role, userID) may change
// article a at all: admins and editors any article, authors only those
// they own (a.OwnerID; a new article, ID 0, is theirs). RoleSystem may.
// Which moves a permitted edit may make is still CheckTransition's.
func CanEdit(role Role, userID int64, a *Article) error {
	switch {
	case role == RoleSystem || role == RoleAdmin || role == RoleEditor:
		return nil
	case role == RoleAuthor && (a.ID == 0 || (a.OwnerID != 0 && a.OwnerID == userID)):
		return nil
	}
	return &Error{Code: EFORBIDDEN, Field: "article", MessageKey: "err.not_owner",
		Message: "role " + string(role) + " may edit only its own articles"}
}
