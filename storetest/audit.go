package storetest

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// RunAudit runs the contract of jarchy.AuditStore: the stores write the
// log themselves, inside the transaction of each write it records, with
// the actor of the write's context; a failed write leaves no entry.
func RunAudit(t *testing.T, open Opener) {
	run(t, open, []test{
		{"Articles", testAuditArticles},
		{"Users", testAuditUsers},
		{"FailedWrites", store(testAuditFailedWrites)},
		{"Paging", store(testAuditPaging)},
	})
}

// auditLines is the log (newest first) written one entry a line as
// "actorID/actorName action targetID target detail".
func auditLines(t *testing.T, s jarchy.Store, f jarchy.AuditFilter) []string {
	t.Helper()
	l, err := s.AuditLog(ctx, f)
	if err != nil {
		t.Fatalf("AuditLog(%+v): %v", f, err)
	}
	var out []string
	for _, e := range l.Entries {
		out = append(out, strings.TrimSpace(fmt.Sprintf("%d/%s %s %d %s %s", e.ActorID, e.ActorName, e.Action, e.TargetID, e.Target, e.Detail)))
	}
	return out
}

func wantAudit(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("%s: audit log\n  %s\nwant\n  %s", what, strings.Join(got, "\n  "), strings.Join(want, "\n  "))
	}
}

func testAuditArticles(t *testing.T, s jarchy.Store, c *clock) {
	t0 := time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC)
	c.set(t0)
	aida := jarchy.WithActor(ctx, jarchy.Actor{UserID: 7, Name: "Айда"})
	bolot := jarchy.WithRevisionInfo(ctx, jarchy.RevisionInfo{AuthorID: 8, Note: "from the editor"})

	// A draft and its edits are not audited.
	a := newArticle(jarchy.Kyrgyz, "Бюджет")
	if err := s.SaveArticle(bolot, a); err != nil {
		t.Fatal(err)
	}
	a.Lead = "Жаңы лид"
	if err := s.SaveArticle(bolot, a); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, "draft saves", auditLines(t, s, jarchy.AuditFilter{}))

	a.Status, a.PublishedAt = jarchy.StatusScheduled, t0.Add(time.Hour)
	if err := s.SaveArticle(aida, a); err != nil {
		t.Fatal(err)
	}
	c.set(t0.Add(time.Hour))
	if _, err := s.PublishDue(jarchy.WithActor(ctx, jarchy.Actor{Name: "scheduler"})); err != nil {
		t.Fatal(err)
	}
	a = load(t, s, a.ID)
	if err := jarchy.AddCorrection(a, "Сумма оңдолду."); err != nil {
		t.Fatal(err)
	}
	if err := s.SaveArticle(aida, a); err != nil {
		t.Fatal(err)
	}
	// Given in Bishkek time, the audit detail says it in UTC on both stores.
	until := t0.Add(3 * time.Hour).In(time.FixedZone("KGT", 6*3600))
	if err := s.SetBreaking(aida, a.ID, until); err != nil {
		t.Fatal(err)
	}
	a.Status = jarchy.StatusUnpublished
	if err := s.SaveArticle(bolot, a); err != nil {
		t.Fatal(err)
	}
	revs, err := s.Revisions(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := jarchy.RestoreRevision(ctx, s, revs[1].ID, a.Version) // the published state
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SaveArticle(aida, restored); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteArticle(context.Background(), a.ID); err != nil {
		t.Fatal(err)
	}
	id := a.ID
	wantAudit(t, "an article's life", auditLines(t, s, jarchy.AuditFilter{}),
		fmt.Sprintf("0/system article.delete %d Бюджет", id),
		fmt.Sprintf("7/Айда article.publish %d Бюджет", id),
		fmt.Sprintf("7/Айда article.restore %d Бюджет revision %d", id, revs[1].ID),
		fmt.Sprintf("8/ article.unpublish %d Бюджет unpublished", id),
		fmt.Sprintf("7/Айда article.breaking %d Бюджет 2026-12-05T11:00:00Z", id),
		fmt.Sprintf("7/Айда article.correct %d Бюджет Сумма оңдолду.", id),
		fmt.Sprintf("0/scheduler article.publish %d Бюджет", id),
		fmt.Sprintf("7/Айда article.schedule %d Бюджет 2026-12-05T09:00:00Z", id),
	)
	l, err := s.AuditLog(ctx, jarchy.AuditFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Entries) != 1 || l.Total != 8 || !l.Entries[0].At.Equal(t0.Add(time.Hour)) || l.Entries[0].At.Location() != time.UTC || l.Entries[0].Kind() != "article" {
		t.Fatalf("AuditLog(Limit 1): %+v (total %d), want the delete at %v of 8", l.Entries, l.Total, t0.Add(time.Hour))
	}
	// A revision's author comes from the actor when no RevisionInfo names one.
	if revs, _ := s.Revisions(ctx, id); revs[0].AuthorID != 7 {
		t.Errorf("the restore's revision has author %d, want the actor 7", revs[0].AuthorID)
	}
}

func testAuditUsers(t *testing.T, s jarchy.Store, c *clock) {
	c.set(time.Date(2026, 12, 5, 8, 0, 0, 0, time.UTC))
	cli := jarchy.WithActor(ctx, jarchy.Actor{Name: "cli"})
	admin := jarchy.WithActor(ctx, jarchy.Actor{UserID: 1, Name: "Admin"})
	u := &jarchy.User{Email: "Bolot@Example.kg", Name: "Болот", Role: jarchy.RoleAuthor, PasswordHash: "$argon2id$x"}
	if err := s.SaveUser(cli, u); err != nil {
		t.Fatal(err)
	}
	u.Role = jarchy.RoleEditor
	if err := s.SaveUser(admin, u); err != nil {
		t.Fatal(err)
	}
	u.Disabled = true
	if err := s.SaveUser(admin, u); err != nil {
		t.Fatal(err)
	}
	u.Disabled, u.Name = false, "Болот Асанов"
	if err := s.SaveUser(admin, u); err != nil {
		t.Fatal(err)
	}
	u.PasswordHash = "$argon2id$y"
	if err := s.SaveUser(admin, u); err != nil {
		t.Fatal(err)
	}
	// A save that changes nothing records nothing.
	if err := s.SaveUser(admin, u); err != nil {
		t.Fatal(err)
	}
	wantAudit(t, "a user's changes", auditLines(t, s, jarchy.AuditFilter{Kind: "user", TargetID: u.ID}),
		fmt.Sprintf("1/Admin user.password %d bolot@example.kg", u.ID),
		fmt.Sprintf("1/Admin user.enable %d bolot@example.kg", u.ID),
		fmt.Sprintf("1/Admin user.edit %d bolot@example.kg", u.ID),
		fmt.Sprintf("1/Admin user.disable %d bolot@example.kg", u.ID),
		fmt.Sprintf("1/Admin user.role %d bolot@example.kg author → editor", u.ID),
		fmt.Sprintf("0/cli user.add %d bolot@example.kg author", u.ID),
	)
	wantAudit(t, "filtered by actor", auditLines(t, s, jarchy.AuditFilter{ActorID: 1, Limit: 2}),
		fmt.Sprintf("1/Admin user.password %d bolot@example.kg", u.ID),
		fmt.Sprintf("1/Admin user.enable %d bolot@example.kg", u.ID),
	)
	wantAudit(t, "articles only", auditLines(t, s, jarchy.AuditFilter{Kind: "article"}))
	// Sessions are not audited.
	if err := s.CreateSession(admin, &jarchy.Session{ID: jarchy.NewSessionToken(), UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if l, _ := s.AuditLog(ctx, jarchy.AuditFilter{}); l.Total != 6 {
		t.Errorf("%d entries after a session, want 6", l.Total)
	}
}

// testAuditFailedWrites: a write that fails leaves no entry.
func testAuditFailedWrites(t *testing.T, s jarchy.Store) {
	a := save(t, s, published(jarchy.English, "Kept", base))
	u := &jarchy.User{Email: "a@example.kg", Name: "A", Role: jarchy.RoleAuthor}
	if err := s.SaveUser(ctx, u); err != nil {
		t.Fatal(err)
	}
	before := auditLines(t, s, jarchy.AuditFilter{})
	stale := load(t, s, a.ID)
	stale.Version--
	stale.Status = jarchy.StatusUnpublished
	wantCode(t, "stale unpublish", s.SaveArticle(ctx, stale), jarchy.ECONFLICT)
	wantCode(t, "delete unknown", s.DeleteArticle(ctx, a.ID+100), jarchy.ENOTFOUND)
	other := &jarchy.User{Email: "b@example.kg", Name: "B", Role: jarchy.RoleAuthor}
	if err := s.SaveUser(ctx, other); err != nil {
		t.Fatal(err)
	}
	before = append([]string{fmt.Sprintf("0/system user.add %d b@example.kg author", other.ID)}, before...)
	other.Email, other.Role = "a@example.kg", jarchy.RoleAdmin
	wantCode(t, "taken email", s.SaveUser(ctx, other), jarchy.ECONFLICT)
	wantAudit(t, "after failed writes", auditLines(t, s, jarchy.AuditFilter{}), before...)
	wantCode(t, "bad kind", func() error { _, err := s.AuditLog(ctx, jarchy.AuditFilter{Kind: "x"}); return err }(), jarchy.EINVALID)
	wantCode(t, "negative offset", func() error { _, err := s.AuditLog(ctx, jarchy.AuditFilter{Offset: -1}); return err }(), jarchy.EINVALID)
}

func testAuditPaging(t *testing.T, s jarchy.Store) {
	var want []string
	for i := range 7 {
		a := save(t, s, published(jarchy.English, fmt.Sprintf("Story %d", i), base))
		want = append([]string{fmt.Sprintf("0/system article.publish %d Story %d", a.ID, i)}, want...)
	}
	wantAudit(t, "page 1", auditLines(t, s, jarchy.AuditFilter{Limit: 3}), want[:3]...)
	wantAudit(t, "page 3", auditLines(t, s, jarchy.AuditFilter{Limit: 3, Offset: 6}), want[6:]...)
	l, err := s.AuditLog(ctx, jarchy.AuditFilter{Limit: 1000})
	if err != nil || l.Total != 7 || len(l.Entries) != 7 {
		t.Fatalf("AuditLog(Limit 1000): %d entries of %d, %v", len(l.Entries), l.Total, err)
	}
}
