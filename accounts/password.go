// Package accounts holds users, password hashing, login throttling and database sessions.
package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"

	"quality/models"
)

// argon2id parameters: OWASP's second recommended set (19 MiB, 2 passes, 1 lane).
const (
	argonMemory  = 19 * 1024
	argonTime    = 2
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Password length bounds; the upper one keeps hashing cost bounded.
const (
	MinPasswordLen = 8
	MaxPasswordLen = 128
)

// hashSlots bounds concurrent hashing so a login storm on exam morning can take neither
// the memory nor the whole CPU: the rest wait their turn. SECURITY.md's "~2 × cores" is
// the memory bound (19 MiB a slot); half the cores is stricter, and leaves the other half
// to the starts and saves of the examinees already logged in. A hash takes one core
// (one lane) for about 40 ms, so each slot still logs in some 25 people a second.
var hashSlots = make(chan struct{}, max(1, runtime.NumCPU()/2))

// HashPassword returns an argon2id PHC string for password.
func HashPassword(ctx context.Context, password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key, err := derive(ctx, password, salt, argonMemory, argonTime, argonThreads, argonKeyLen)
	if err != nil {
		return "", err
	}
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches the PHC string.
func VerifyPassword(ctx context.Context, password, phc string) (bool, error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("unknown password hash format")
	}
	var version int
	var memory, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, errors.New("unknown argon2 version")
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &memory, &passes, &threads); err != nil {
		return false, errors.New("bad argon2 parameters")
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, errors.New("bad argon2 salt")
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, errors.New("bad argon2 key")
	}
	got, err := derive(ctx, password, salt, memory, passes, threads, uint32(len(want)))
	if err != nil {
		return false, err
	}
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// ErrBusy refuses a login that waited HashWait for a hashing slot: the client has most
// likely given up by then, and hashing for it would only lengthen the queue.
var ErrBusy = errors.New("password hashing busy")

// HashWait bounds the wait for a hashing slot. Fiber v2 gives a handler no context that
// ends when the client goes away, so the request context alone does not bound it.
var HashWait = 20 * time.Second

func derive(ctx context.Context, password string, salt []byte, memory, passes uint32, threads uint8, keyLen uint32) ([]byte, error) {
	select {
	case hashSlots <- struct{}{}:
	default:
		wait := time.NewTimer(HashWait)
		defer wait.Stop()
		select {
		case hashSlots <- struct{}{}:
		case <-wait.C:
			return nil, ErrBusy
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	defer func() { <-hashSlots }()
	return argon2.IDKey([]byte(password), salt, passes, memory, threads, keyLen), nil
}

// CheckPassword validates a new password, adding field errors to v.
func CheckPassword(v *models.ValidationError, field, password string) {
	n := utf8.RuneCountInString(password)
	switch {
	case password == "":
		v.Add(field, "required")
	case n < MinPasswordLen:
		v.Add(field, "too_short", "min", MinPasswordLen)
	case n > MaxPasswordLen:
		v.Add(field, "too_long", "max", MaxPasswordLen)
	}
}

// RandomPassword makes a password for a generated account (the first admin).
func RandomPassword() string {
	b := make([]byte, 15)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return base64.RawURLEncoding.EncodeToString(b)
}
