package auth

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"

	"golang.org/x/crypto/argon2"
)

// Vectors of the argon2 reference implementation (as in x/crypto's own
// tests: password "password", salt "somesalt", 24-byte keys), in the PHC
// encoding.
var referenceVectors = []struct {
	p       Params
	encoded string
}{
	{Params{Memory: 64, Time: 1, Threads: 1, SaltLen: 8, KeyLen: 24}, "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7"},
	{Params{Memory: 64, Time: 2, Threads: 1, SaltLen: 8, KeyLen: 24}, "$argon2id$v=19$m=64,t=2,p=1$c29tZXNhbHQ$Bo1ismRVk2qm6+YAYLCmWHDb+j3fjUH3"},
}

func TestReferenceVectors(t *testing.T) {
	for _, v := range referenceVectors {
		if got := HashWith(v.p, "password", []byte("somesalt")); got != v.encoded {
			t.Errorf("HashWith(%+v) = %s, want %s", v.p, got, v.encoded)
		}
		ok, err := Verify("password", v.encoded)
		if err != nil || !ok {
			t.Errorf("Verify(password, %s) = %v, %v; want true", v.encoded, ok, err)
		}
		if ok, err := Verify("passwore", v.encoded); err != nil || ok {
			t.Errorf("Verify(wrong, %s) = %v, %v; want false", v.encoded, ok, err)
		}
		p, salt, _, err := Decode(v.encoded)
		if err != nil || p != v.p || string(salt) != "somesalt" {
			t.Errorf("Decode(%s) = %+v, %q, %v", v.encoded, p, salt, err)
		}
	}
}

// A fresh hash holds what argon2.IDKey gives for its own salt and Default's
// parameters, and encodes again to itself.
func TestHashMatchesArgon2(t *testing.T) {
	for _, pw := range []string{"correct horse battery", "Жарчы-сырсөз-2026", strings.Repeat("x", 1024)} {
		enc := Hash(pw)
		if !strings.HasPrefix(enc, "$argon2id$v=19$m=32768,t=3,p=2$") {
			t.Fatalf("Hash uses unexpected parameters: %s", enc)
		}
		p, salt, key, err := Decode(enc)
		if err != nil {
			t.Fatal(err)
		}
		if p != Default || len(salt) != 16 {
			t.Fatalf("Decode: %+v, salt %d bytes", p, len(salt))
		}
		if want := argon2.IDKey([]byte(pw), salt, 3, 32*1024, 2, 32); !bytes.Equal(key, want) {
			t.Fatalf("key %x, argon2.IDKey gives %x", key, want)
		}
		if again := encode(p, salt, key); again != enc {
			t.Fatalf("round trip: %s != %s", again, enc)
		}
		if ok, err := Verify(pw, enc); !ok || err != nil {
			t.Fatalf("Verify(right) = %v, %v", ok, err)
		}
		if ok, err := Verify(pw+"!", enc); ok || err != nil {
			t.Fatalf("Verify(wrong) = %v, %v", ok, err)
		}
	}
	if Hash("same password") == Hash("same password") {
		t.Fatal("two hashes of one password are equal: the salt is not random")
	}
}

// A hash changed anywhere does not verify.
func TestTamperedHash(t *testing.T) {
	good := referenceVectors[0].encoded
	for _, bad := range []string{
		strings.Replace(good, "ZVrRXqxl", "ZVrRXqxm", 1),         // key
		strings.Replace(good, "c29tZXNhbHQ", "c29tZXNhbHR", 1),   // salt
		strings.Replace(good, "m=64,t=1,p=1", "m=72,t=1,p=1", 1), // memory
		strings.Replace(good, "m=64,t=1,p=1", "m=64,t=2,p=1", 1), // passes
		strings.Replace(good, "m=64,t=1,p=1", "m=64,t=1,p=2", 1), // lanes
	} {
		if ok, _ := Verify("password", bad); ok {
			t.Errorf("tampered hash %s verifies", bad)
		}
	}
}

func TestMalformed(t *testing.T) {
	for _, bad := range []string{
		"",
		"password",
		"$argon2i$v=19$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",       // argon2i
		"$argon2id$v=16$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",      // old version
		"$argon2id$v=19$t=1,m=64,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",      // order
		"$argon2id$v=19$m=064,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",     // leading zero
		"$argon2id$v=19$m=64,t=0,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",      // no pass
		"$argon2id$v=19$m=64,t=1,p=0$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",      // no lane
		"$argon2id$v=19$m=4194304,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7", // 4 GiB
		"$argon2id$v=19$m=64,t=1000,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",   // 1000 passes
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ=$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",     // padding
		"$argon2id$v=19$m=64,t=1,p=1$c2FsdA$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7",           // 4-byte salt
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxl",                              // 6-byte key
		"$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQ$ZVrRXqxlLcWfcXCnMyv0m4Rpvh/bnCi7$",     // extra part
	} {
		ok, err := Verify("password", bad)
		if ok || !errors.Is(err, ErrMalformed) {
			t.Errorf("Verify(%q) = %v, %v; want ErrMalformed", bad, ok, err)
		}
	}
}

func TestDummyVerify(t *testing.T) {
	for _, pw := range []string{"", "password", "correct horse battery"} {
		if DummyVerify(pw) {
			t.Fatalf("DummyVerify(%q) = true", pw)
		}
	}
	p, _, _, err := Decode(dummyHash())
	if err != nil || p != Default {
		t.Fatalf("the dummy hash has %+v, %v; want Default's cost", p, err)
	}
}

// BenchmarkHash measures one hash with Default (the cost of every login,
// and of DummyVerify) and with neighbouring parameters.
func BenchmarkHash(b *testing.B) {
	salt := []byte("0123456789abcdef")
	for _, p := range []Params{
		Default,
		{Memory: 32 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32},
		{Memory: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32},
		{Memory: 64 * 1024, Time: 1, Threads: 2, SaltLen: 16, KeyLen: 32},
		{Memory: 64 * 1024, Time: 2, Threads: 2, SaltLen: 16, KeyLen: 32},
	} {
		b.Run(fmt.Sprintf("m=%dMiB,t=%d,p=%d", p.Memory/1024, p.Time, p.Threads), func(b *testing.B) {
			for b.Loop() {
				HashWith(p, "correct horse battery", salt)
			}
		})
	}
}

// BenchmarkLogin compares a wrong password for a known user with
// DummyVerify for an unknown one: the two should cost the same.
func BenchmarkLogin(b *testing.B) {
	stored := Hash("the right password")
	b.Run("wrong-password", func(b *testing.B) {
		for b.Loop() {
			Verify("a wrong password", stored)
		}
	})
	b.Run("unknown-user", func(b *testing.B) {
		DummyVerify("warm up")
		for b.Loop() {
			DummyVerify("a wrong password")
		}
	})
}
