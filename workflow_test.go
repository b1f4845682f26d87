package jarchy

import "testing"

// TestCheckTransitionEveryMove checks every (role, from, to) against a
// table written out by hand: A = admin, E = editor, W = author (writer).
// A move missing from the table is forbidden to every newsroom role.
func TestCheckTransitionEveryMove(t *testing.T) {
	allowed := map[[2]Status]string{
		{"", StatusDraft}:     "AEW",
		{"", StatusReview}:    "AEW",
		{"", StatusScheduled}: "AE",
		{"", StatusPublished}: "AE",

		{StatusDraft, StatusDraft}:     "AEW",
		{StatusDraft, StatusReview}:    "AEW",
		{StatusDraft, StatusScheduled}: "AE",
		{StatusDraft, StatusPublished}: "AE",

		{StatusReview, StatusReview}:    "AE",
		{StatusReview, StatusDraft}:     "AEW",
		{StatusReview, StatusScheduled}: "AE",
		{StatusReview, StatusPublished}: "AE",

		{StatusScheduled, StatusScheduled}: "AE",
		{StatusScheduled, StatusDraft}:     "AE",
		{StatusScheduled, StatusPublished}: "AE",

		{StatusPublished, StatusPublished}:   "AE",
		{StatusPublished, StatusUnpublished}: "AE",

		{StatusUnpublished, StatusUnpublished}: "AE",
		{StatusUnpublished, StatusDraft}:       "AE",
		{StatusUnpublished, StatusPublished}:   "AE",
	}
	letter := map[Role]byte{RoleAdmin: 'A', RoleEditor: 'E', RoleAuthor: 'W'}
	states := []Status{"", "draft", "review", "scheduled", "published", "unpublished"}
	for _, from := range states {
		for _, to := range states[1:] {
			for _, role := range []Role{RoleAdmin, RoleEditor, RoleAuthor} {
				want := false
				for i := 0; i < len(allowed[[2]Status{from, to}]); i++ {
					want = want || allowed[[2]Status{from, to}][i] == letter[role]
				}
				err := CheckTransition(role, from, to)
				if got := err == nil; got != want {
					t.Errorf("%s: %q → %q allowed = %v, want %v (err %v)", role, from, to, got, want, err)
				}
				if err != nil && ErrorCode(err) != EFORBIDDEN {
					t.Errorf("%s: %q → %q: code %q, want forbidden", role, from, to, ErrorCode(err))
				}
			}
			if err := CheckTransition(RoleSystem, from, to); err != nil {
				t.Errorf("system: %q → %q: %v, want allowed", from, to, err)
			}
		}
	}
}

func TestCheckTransitionUnknownState(t *testing.T) {
	for _, c := range []struct{ from, to Status }{
		{"draft", "live"}, {"live", "draft"}, {"draft", ""}, {"Published", "draft"},
	} {
		for _, role := range []Role{RoleAdmin, RoleSystem} {
			if code := ErrorCode(CheckTransition(role, c.from, c.to)); code != EINVALID {
				t.Errorf("%s: %q → %q: code %q, want invalid", role, c.from, c.to, code)
			}
		}
	}
}

func TestMoves(t *testing.T) {
	names := func(ts []Transition) (out []string) {
		for _, tr := range ts {
			out = append(out, tr.Action+":"+string(tr.To))
		}
		return out
	}
	for _, c := range []struct {
		role Role
		from Status
		want []string
	}{
		{RoleAuthor, StatusDraft, []string{"save:draft", "submit:review"}},
		{RoleAuthor, StatusReview, []string{"return:draft"}},
		{RoleAuthor, StatusPublished, nil},
		{RoleEditor, StatusReview, []string{"save:review", "return:draft", "schedule:scheduled", "publish:published"}},
		{RoleEditor, StatusPublished, []string{"update:published", "unpublish:unpublished"}},
	} {
		got := names(Moves(c.role, c.from))
		if len(got) != len(c.want) {
			t.Errorf("Moves(%s, %s) = %v, want %v", c.role, c.from, got, c.want)
			continue
		}
		for i := range got {
			if got[i] != c.want[i] {
				t.Errorf("Moves(%s, %s) = %v, want %v", c.role, c.from, got, c.want)
				break
			}
		}
	}
}

func TestRoleAndStatusValid(t *testing.T) {
	for r, want := range map[Role]bool{"admin": true, "editor": true, "author": true, "system": false, "Admin": false, "": false} {
		if r.Valid() != want {
			t.Errorf("Role(%q).Valid() = %v, want %v", r, !want, want)
		}
	}
	for s, want := range map[Status]bool{"draft": true, "review": true, "scheduled": true, "published": true, "unpublished": true, "": false, "live": false} {
		if s.Valid() != want {
			t.Errorf("Status(%q).Valid() = %v, want %v", s, !want, want)
		}
	}
}

// TestCanEdit: authors edit only their own articles; editors and admins
// any; an article without an owner (an import) is an editor's.
func TestCanEdit(t *testing.T) {
	own := &Article{ID: 5, OwnerID: 7}
	imported := &Article{ID: 6}
	for _, c := range []struct {
		role Role
		user int64
		a    *Article
		ok   bool
	}{
		{RoleAuthor, 7, own, true},
		{RoleAuthor, 8, own, false},
		{RoleAuthor, 7, imported, false},
		{RoleAuthor, 0, imported, false},
		{RoleAuthor, 7, &Article{}, true},
		{RoleEditor, 8, own, true},
		{RoleEditor, 8, imported, true},
		{RoleAdmin, 1, own, true},
		{RoleSystem, 0, own, true},
		{Role("ghost"), 7, own, false},
	} {
		err := CanEdit(c.role, c.user, c.a)
		if (err == nil) != c.ok {
			t.Errorf("CanEdit(%s, user %d, owner %d) = %v, want ok=%v", c.role, c.user, c.a.OwnerID, err, c.ok)
		}
		if err != nil && ErrorCode(err) != EFORBIDDEN {
			t.Errorf("CanEdit error code %s, want forbidden", ErrorCode(err))
		}
	}
}
