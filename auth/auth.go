// Package auth hashes and checks newsroom passwords with argon2id
// (golang.org/x/crypto/argon2), encoded in the PHC string format that other
// argon2 implementations read and write:
//
//	$argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>
//
// (salt and hash in unpadded standard base64).
package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"

	"golang.org/x/crypto/argon2"
)

// Params are argon2id's cost parameters.
type Params struct {
	Memory  uint32 // KiB
	Time    uint32 // passes
	Threads uint8  // lanes
	SaltLen uint32 // bytes
	KeyLen  uint32 // bytes
}

// Default: 32 MiB, 3 passes, 2 lanes (above OWASP's argon2id minimum of
// 19 MiB, t=2): about 50-100 ms a hash on this project's shared two-core
// machine (BenchmarkHash; 2 passes measured 30-55 ms when quiet), and
// 32 MiB for each login in progress.
var Default = Params{Memory: 32 * 1024, Time: 3, Threads: 2, SaltLen: 16, KeyLen: 32}

// Limits on what a stored hash may ask for, so that a tampered row cannot
// make a login take minutes or gigabytes.
const (
	maxMemory  = 1 << 20 // 1 GiB
	maxTime    = 16
	maxKeyLen  = 128
	maxSaltLen = 128
	minSaltLen = 8
	minKeyLen  = 16
)

// ErrMalformed is returned for a stored hash that is not one Verify reads.
var ErrMalformed = errors.New("auth: malformed password hash")

// Hash returns the encoded argon2id hash of password with Default and a
// fresh random salt.
func Hash(password string) string {
	salt := make([]byte, Default.SaltLen)
	rand.Read(salt) // never fails (crypto/rand, Go 1.24+)
	return HashWith(Default, password, salt)
}

// HashWith returns the encoded argon2id hash of password with p and salt.
func HashWith(p Params, password string, salt []byte) string {
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return encode(p, salt, key)
}

func encode(p Params, salt, key []byte) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// Decode parses an encoded hash into its parameters, salt and key.
func Decode(encoded string) (p Params, salt, key []byte, err error) {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return Params{}, nil, nil, ErrMalformed
	}
	var m, t, threads uint64
	fields := strings.Split(parts[3], ",")
	if len(fields) != 3 {
		return Params{}, nil, nil, ErrMalformed
	}
	for i, f := range fields {
		name, val, ok := strings.Cut(f, "=")
		want := []string{"m", "t", "p"}[i]
		if !ok || name != want || val == "" || (len(val) > 1 && val[0] == '0') {
			return Params{}, nil, nil, ErrMalformed
		}
		n, err := strconv.ParseUint(val, 10, 32)
		if err != nil {
			return Params{}, nil, nil, ErrMalformed
		}
		switch i {
		case 0:
			m = n
		case 1:
			t = n
		default:
			threads = n
		}
	}
	b64 := base64.RawStdEncoding.Strict()
	salt, errS := b64.DecodeString(parts[4])
	key, errK := b64.DecodeString(parts[5])
	if errS != nil || errK != nil {
		return Params{}, nil, nil, ErrMalformed
	}
	if t < 1 || t > maxTime || threads < 1 || threads > 255 || m < 8*threads || m > maxMemory ||
		len(salt) < minSaltLen || len(salt) > maxSaltLen || len(key) < minKeyLen || len(key) > maxKeyLen {
		return Params{}, nil, nil, ErrMalformed
	}
	p = Params{Memory: uint32(m), Time: uint32(t), Threads: uint8(threads), SaltLen: uint32(len(salt)), KeyLen: uint32(len(key))}
	return p, salt, key, nil
}

// Verify reports whether password matches the encoded hash, comparing in
// constant time. A malformed hash is ErrMalformed (and no match).
func Verify(password, encoded string) (bool, error) {
	p, salt, key, err := Decode(encoded)
	if err != nil {
		return false, err
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, p.KeyLen)
	return subtle.ConstantTimeCompare(got, key) == 1, nil
}

// dummyHash is a hash of a random password with Default, made on first
// use: DummyVerify checks against it, so that an unknown user costs as much
// as a wrong password.
var dummyHash = sync.OnceValue(func() string { return Hash(rand.Text()) })

// DummyVerify does the work of Verify with Default and always fails: a
// login for an unknown (or disabled, or passwordless) user calls it so that
// its answer takes as long as a wrong password's.
func DummyVerify(password string) bool {
	Verify(password, dummyHash())
	return false
}
