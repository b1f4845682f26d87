package main

import (
	"context"
	"net"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jarchy/jarchy"
	"github.com/jarchy/jarchy/auth"
	"github.com/jarchy/jarchy/sqlite"
)

// openData opens the SQLite store of a data folder the CLI wrote.
func openData(t *testing.T, data string) *sqlite.DB {
	t.Helper()
	db, err := sqlite.Open(context.Background(), filepath.Join(data, "jarchy.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func TestUserAddAndList(t *testing.T) {
	data := t.TempDir()
	code, out, errs := runCLI(t, "Сырсөз-жарчы-1\nsecond line ignored\n", "user", "add", "--data", data,
		"--email", " Aida@Example.KG", "--name", "Айда Бекова", "--role", "admin", "--lang", "ru")
	if code != 0 || out != "added user 1 aida@example.kg (admin)\n" {
		t.Fatalf("user add: code %d, stdout %q, stderr %q", code, out, errs)
	}
	db := openData(t, data)
	u, err := db.UserByEmail(context.Background(), "aida@example.kg")
	if err != nil {
		t.Fatal(err)
	}
	if u.Name != "Айда Бекова" || u.Role != jarchy.RoleAdmin || u.Lang != jarchy.Russian || u.Disabled {
		t.Fatalf("stored user: %+v", u)
	}
	if ok, err := auth.Verify("Сырсөз-жарчы-1", u.PasswordHash); !ok || err != nil {
		t.Fatalf("the stored hash does not verify the password from stdin: %v %v (%s)", ok, err, u.PasswordHash)
	}
	if code, _, _ := runCLI(t, "another-password\r\n", "user", "add", "--data", data, "--email", "bolot@example.kg", "--name", "Болот", "--role", "author"); code != 0 {
		t.Fatalf("second user add: code %d", code)
	}
	code, out, errs = runCLI(t, "", "user", "list", "--data", data)
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.HasPrefix(lines[0], "ID") ||
		!strings.Contains(lines[1], "aida@example.kg") || !strings.Contains(lines[1], "admin") || !strings.Contains(lines[1], "active") ||
		!strings.Contains(lines[2], "bolot@example.kg") || !strings.Contains(lines[2], "author") || !strings.Contains(lines[2], " ky ") {
		t.Fatalf("user list: code %d, stdout:\n%s\nstderr %q", code, out, errs)
	}
	b, err := db.UserByEmail(context.Background(), "bolot@example.kg")
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := auth.Verify("another-password", b.PasswordHash); !ok {
		t.Fatal("a password line ending in CRLF kept its CR")
	}
}

func TestUserAddRefuses(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCLI(t, "long-enough-pw\n", "user", "add", "--data", data, "--email", "a@example.kg", "--name", "A", "--role", "editor"); code != 0 {
		t.Fatalf("first add: %s", errs)
	}
	for _, tc := range []struct {
		stdin string
		args  []string
		want  string
	}{
		{"", []string{"--email", "b@example.kg", "--name", "B", "--role", "author"}, "no password"},
		{"\n", []string{"--email", "b@example.kg", "--name", "B", "--role", "author"}, "no password"},
		{"short\n", []string{"--email", "b@example.kg", "--name", "B", "--role", "author"}, "at least 10 characters"},
		{strings.Repeat("p", 2000), []string{"--email", "b@example.kg", "--name", "B", "--role", "author"}, "longer than 1024 bytes"},
		{"long-enough-pw\n", []string{"--email", "A@example.kg", "--name", "B", "--role", "author"}, "another user has the email"},
		{"long-enough-pw\n", []string{"--email", "b@example.kg", "--name", "B", "--role", "boss"}, "unknown role"},
		{"long-enough-pw\n", []string{"--email", "not-an-email", "--name", "B", "--role", "author"}, "not an email address"},
		{"long-enough-pw\n", []string{"--email", "b@example.kg", "--name", "", "--role", "author"}, "name is required"},
	} {
		code, _, errs := runCLI(t, tc.stdin, append([]string{"user", "add", "--data", data}, tc.args...)...)
		if code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("user add %q with stdin %.20q: code %d, stderr %q; want 1 and %q", tc.args, tc.stdin, code, errs, tc.want)
		}
	}
	users, err := openData(t, data).Users(context.Background())
	if err != nil || len(users) != 1 {
		t.Fatalf("refused adds left users: %v %v", users, err)
	}
	if code, _, _ := runCLI(t, "", "user", "frobnicate"); code != 2 {
		t.Errorf("unknown user command: code %d, want 2", code)
	}
}

func TestUserDisableEndsSessions(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCLI(t, "long-enough-pw\n", "user", "add", "--data", data, "--email", "a@example.kg", "--name", "A", "--role", "editor"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	db := openData(t, data)
	ctx := context.Background()
	u, err := db.UserByEmail(ctx, "a@example.kg")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateSession(ctx, &jarchy.Session{ID: "browser", UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	code, out, errs := runCLI(t, "", "user", "disable", "--data", data, "--email", "A@example.kg")
	if code != 0 || !strings.Contains(out, "disabled a@example.kg") {
		t.Fatalf("disable: code %d, %q %q", code, out, errs)
	}
	if _, err := db.SessionByToken(ctx, "browser"); !jarchy.IsNotFound(err) {
		t.Fatalf("session of a disabled user: %v, want not found", err)
	}
	if _, out, _ := runCLI(t, "", "user", "list", "--data", data); !strings.Contains(out, "disabled") {
		t.Fatalf("list does not show the disabled state:\n%s", out)
	}
	if code, _, errs := runCLI(t, "", "user", "disable", "--data", data, "--email", "nobody@example.kg"); code != 1 || !strings.Contains(errs, "no user with email") {
		t.Fatalf("disable unknown: code %d, %q", code, errs)
	}
	if code, _, _ := runCLI(t, "", "user", "enable", "--data", data, "--email", "a@example.kg"); code != 0 {
		t.Fatal("enable failed")
	}
	if u, _ = db.User(ctx, u.ID); u.Disabled {
		t.Fatal("enable left the user disabled")
	} // Every account change is audited as the command line's.
	l, err := db.AuditLog(ctx, jarchy.AuditFilter{Kind: "user", TargetID: u.ID})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range l.Entries {
		got = append(got, e.ActorName+" "+e.Action)
	}
	if strings.Join(got, ", ") != "cli user.enable, cli user.disable, cli user.add" {
		t.Errorf("audit log of the CLI's changes: %v", got)
	}
}

func TestUserPassword(t *testing.T) {
	data := t.TempDir()
	if code, _, errs := runCLI(t, "first-password\n", "user", "add", "--data", data, "--email", "a@example.kg", "--name", "A", "--role", "author"); code != 0 {
		t.Fatalf("add: %s", errs)
	}
	db := openData(t, data)
	ctx := context.Background()
	u, _ := db.UserByEmail(ctx, "a@example.kg")
	if err := db.CreateSession(ctx, &jarchy.Session{ID: "browser", UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if code, _, errs := runCLI(t, "too-short\n", "user", "password", "--data", data, "--email", "a@example.kg"); code != 1 || !strings.Contains(errs, "at least 10") {
		t.Fatalf("short new password: code %d, %q", code, errs)
	}
	code, out, errs := runCLI(t, "second-password\n", "user", "password", "--data", data, "--email", "a@example.kg")
	if code != 0 || !strings.Contains(out, "changed the password of a@example.kg") {
		t.Fatalf("password: code %d, %q %q", code, out, errs)
	}
	u, _ = db.UserByEmail(ctx, "a@example.kg")
	if ok, _ := auth.Verify("second-password", u.PasswordHash); !ok {
		t.Fatal("the new password does not verify")
	}
	if ok, _ := auth.Verify("first-password", u.PasswordHash); ok {
		t.Fatal("the old password still verifies")
	}
	if _, err := db.SessionByToken(ctx, "browser"); !jarchy.IsNotFound(err) {
		t.Fatalf("session after a password change: %v, want not found", err)
	}
}

// TestDBCommandsNeedNoMediaStorage: the commands that touch no media bytes
// work while the media storage is down (here an S3 endpoint nobody listens on).
func TestDBCommandsNeedNoMediaStorage(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	down := "http://" + ln.Addr().String()
	ln.Close()
	data := t.TempDir()
	s3 := []string{"--data", data, "--media-s3-endpoint", down, "--media-s3-bucket", "photos", "--media-s3-region", "us-east-1"}
	for _, args := range [][]string{
		{"user", "list"},
		{"export"},
		{"comments", "export"},
		{"reindex"},
	} {
		cmd := append(append([]string{}, args...), s3...)
		if args[0] == "export" || args[0] == "comments" {
			cmd = append(cmd, "-")
		}
		if code, _, stderr := runCLI(t, "", cmd...); code != 0 {
			t.Errorf("jarchy %s: exit code %d, want 0; stderr:\n%s", strings.Join(args, " "), code, stderr)
		}
	}
}
