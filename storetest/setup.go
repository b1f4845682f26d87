package storetest

import (
	"sync"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
)

// The setup link (jarchy.SetupStore): run from RunUsers and RunShared.

func adminCandidate(email string) *jarchy.User {
	return &jarchy.User{Email: email, Name: "Админ", Role: jarchy.RoleAuthor, Disabled: true, PasswordHash: "$argon2id$v=19$m=16,t=1,p=1$c2FsdA$aGFzaA"}
}

func testSetupRedeem(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	if ok, err := s.HasAdmin(ctx); err != nil || ok {
		t.Fatalf("HasAdmin on an empty store = %v, %v", ok, err)
	}
	if err := s.CreateSetupToken(ctx, "first", userAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if err := s.CreateSetupToken(ctx, "second", userAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	for _, tok := range []string{"first", "second"} {
		if ok, err := s.SetupTokenValid(ctx, tok); err != nil || !ok {
			t.Fatalf("SetupTokenValid(%q) = %v, %v", tok, ok, err)
		}
	}
	if ok, _ := s.SetupTokenValid(ctx, "unknown"); ok {
		t.Fatal("an unknown token is valid")
	}
	// A candidate asking for another role or disabled still becomes an enabled admin.
	u := adminCandidate("Boss@Example.KG")
	if err := s.RedeemSetupToken(ctx, "first", u); err != nil {
		t.Fatal(err)
	}
	got, err := s.User(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Role != jarchy.RoleAdmin || got.Disabled || got.Email != "boss@example.kg" || !got.CreatedAt.Equal(userAt) {
		t.Fatalf("redeemed user: %+v", got)
	}
	if ok, err := s.HasAdmin(ctx); err != nil || !ok {
		t.Fatalf("HasAdmin after redeeming = %v, %v", ok, err)
	}
	// Single use, and it used up the other token too.
	for _, tok := range []string{"first", "second"} {
		if ok, _ := s.SetupTokenValid(ctx, tok); ok {
			t.Fatalf("%q still valid after an admin was created", tok)
		}
		err := s.RedeemSetupToken(ctx, tok, adminCandidate("again@example.kg"))
		if jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
			t.Fatalf("redeeming %q again: %v, want ENOTFOUND", tok, err)
		}
	}
	// A token made while an admin exists creates no second admin.
	if err := s.CreateSetupToken(ctx, "late", userAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.SetupTokenValid(ctx, "late"); ok {
		t.Fatal("a token is valid while an admin exists")
	}
	err = s.RedeemSetupToken(ctx, "late", adminCandidate("late@example.kg"))
	if jarchy.ErrorCode(err) != jarchy.ECONFLICT {
		t.Fatalf("redeeming while an admin exists: %v, want ECONFLICT", err)
	}
	if users, _ := s.Users(ctx); len(users) != 1 {
		t.Fatalf("%d users, want only the first admin", len(users))
	}
	// A disabled admin is no admin: a new link works again.
	got.Disabled = true
	if err := s.SaveUser(ctx, got); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.HasAdmin(ctx); ok {
		t.Fatal("HasAdmin counts a disabled admin")
	}
	if ok, _ := s.SetupTokenValid(ctx, "late"); !ok {
		t.Fatal("the link is not valid once the only admin is disabled")
	}
}

func testSetupExpiredAndFailed(t *testing.T, s jarchy.Store, c *clock) {
	c.set(userAt)
	if err := s.CreateSetupToken(ctx, "tok", userAt.Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	// A failed redemption writes nothing and leaves the token usable.
	bad := adminCandidate("not an email")
	if err := s.RedeemSetupToken(ctx, "tok", bad); jarchy.ErrorCode(err) != jarchy.EINVALID || bad.ID != 0 {
		t.Fatalf("invalid email: %v (ID %d), want EINVALID", err, bad.ID)
	}
	saveUser(t, s, "taken@example.kg", jarchy.RoleAuthor)
	err := s.RedeemSetupToken(ctx, "tok", adminCandidate("TAKEN@example.kg"))
	if e, ok := err.(*jarchy.Error); !ok || e.Code != jarchy.ECONFLICT || e.Field != "email" {
		t.Fatalf("taken email: %v, want EmailTaken", err)
	}
	if ok, _ := s.SetupTokenValid(ctx, "tok"); !ok {
		t.Fatal("a failed redemption used the token up")
	}
	if ok, _ := s.HasAdmin(ctx); ok {
		t.Fatal("a failed redemption created an admin")
	}
	// Expiry is exclusive, as for sessions.
	c.set(userAt.Add(time.Hour))
	if ok, _ := s.SetupTokenValid(ctx, "tok"); ok {
		t.Fatal("an expired token is valid")
	}
	if err := s.RedeemSetupToken(ctx, "tok", adminCandidate("a@example.kg")); jarchy.ErrorCode(err) != jarchy.ENOTFOUND {
		t.Fatalf("expired token: %v, want ENOTFOUND", err)
	}
}

// testSharedSetupOnce: two nodes redeem two links at once; one admin results.
func testSharedSetupOnce(t *testing.T, a, b jarchy.Store) {
	for _, tok := range []string{"node-a", "node-b"} {
		if err := a.CreateSetupToken(ctx, tok, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, st := range []jarchy.Store{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = st.RedeemSetupToken(ctx, []string{"node-a", "node-b"}[i], adminCandidate([]string{"a@example.kg", "b@example.kg"}[i]))
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case jarchy.ErrorCode(err) != jarchy.ENOTFOUND && jarchy.ErrorCode(err) != jarchy.ECONFLICT:
			t.Fatalf("losing redemption: %v, want ENOTFOUND or ECONFLICT", err)
		}
	}
	users, err := b.Users(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if ok != 1 || len(users) != 1 {
		t.Fatalf("%d redemptions succeeded and %d users exist, want 1 and 1", ok, len(users))
	}
}
