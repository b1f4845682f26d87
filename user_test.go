package jarchy_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/jarchy/jarchy"
)

func TestValidPassword(t *testing.T) {
	for _, tc := range []struct {
		pw, key string
	}{
		{"", "err.password_short"},
		{"123456789", "err.password_short"},
		{"сырсөз-123", ""},                  // 10 runes, 16 bytes
		{"сырсөз-12", "err.password_short"}, // 9 runes, more than 10 bytes
		{"1234567890", ""},
		{strings.Repeat("p", jarchy.MaxPasswordLen), ""},
		{strings.Repeat("p", jarchy.MaxPasswordLen+1), "err.too_long"},
		{"password\x00xyz", "err.utf8"},
		{"password\xffxyz", "err.utf8"},
	} {
		err := jarchy.ValidPassword(tc.pw)
		var je *jarchy.Error
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("ValidPassword(%.20q) = %v, want ok", tc.pw, err)
		case tc.key != "" && (!errors.As(err, &je) || je.MessageKey != tc.key || je.Field != "password"):
			t.Errorf("ValidPassword(%.20q) = %v, want %s", tc.pw, err, tc.key)
		}
	}
}

func TestUserNormalize(t *testing.T) {
	u := jarchy.User{Email: " \u200fAida@EXAMPLE.kg\n", Name: "\u202eАйда ", Role: jarchy.RoleAuthor}
	u.Normalize()
	if u.Email != "aida@example.kg" || u.Name != "Айда" || u.Lang != jarchy.Kyrgyz {
		t.Fatalf("Normalize: %+v", u)
	}
	if err := u.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestNewSessionToken(t *testing.T) {
	a, b := jarchy.NewSessionToken(), jarchy.NewSessionToken()
	if len(a) != 43 || a == b || strings.ContainsAny(a, "+/=") {
		t.Fatalf("tokens %q, %q: want 43 distinct base64url characters", a, b)
	}
	if got := jarchy.HashToken("fixed-token"); got != "648f312cf893d191028cba09f60f8ffe95624c9ef2d40a0c2f0db0e356e37e0f" {
		t.Fatalf("HashToken = %s", got)
	}
}
