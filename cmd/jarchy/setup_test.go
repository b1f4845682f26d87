package main

import (
	"bytes"
	"context"
	"log/slog"
	"net/url"
	"regexp"
	"testing"

	"github.com/jarchy/jarchy"
)

func TestSetupLinkOnlyWithoutAdmin(t *testing.T) {
	ctx := context.Background()
	db := openData(t, t.TempDir())
	var logs bytes.Buffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	if err := logSetupLink(ctx, db, "https://news.example.kg", log); err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`url="?(https://news\.example\.kg/newsroom/setup\?token=[A-Za-z0-9_-]+)`).FindStringSubmatch(logs.String())
	if m == nil {
		t.Fatalf("no setup link logged:\n%s", logs.String())
	}
	link, err := url.Parse(m[1])
	if err != nil {
		t.Fatal(err)
	}
	token := link.Query().Get("token")
	if len(token) < 40 {
		t.Fatalf("token %q is too short to be unguessable", token)
	}
	if ok, err := db.SetupTokenValid(ctx, token); err != nil || !ok {
		t.Fatalf("the logged token is not valid: %v %v", ok, err)
	}
	if err := db.RedeemSetupToken(ctx, token, &jarchy.User{Email: "a@example.kg", Name: "Айда", PasswordHash: "x"}); err != nil {
		t.Fatal(err)
	}
	logs.Reset()
	if err := logSetupLink(ctx, db, "https://news.example.kg", log); err != nil {
		t.Fatal(err)
	}
	if logs.Len() != 0 {
		t.Fatalf("a setup link was logged although an admin exists:\n%s", logs.String())
	}
}
