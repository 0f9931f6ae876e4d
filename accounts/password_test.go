package accounts_test

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"quality/accounts"
	"quality/models"
)

// phcRE is the argon2id PHC string with SECURITY.md's parameters, a 16-byte salt and a
// 32-byte key in unpadded base64.
var phcRE = regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)

func TestHashPassword(t *testing.T) {
	ctx := context.Background()
	for _, pw := range []string{"correct-horse-42", "密码是八个汉字啊", strings.Repeat("x", accounts.MaxPasswordLen)} {
		h, err := accounts.HashPassword(ctx, pw)
		require.NoError(t, err)
		require.Regexp(t, phcRE, h)
		require.True(t, strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$"))

		ok, err := accounts.VerifyPassword(ctx, pw, h)
		require.NoError(t, err)
		require.True(t, ok, "round trip of %q", pw)

		ok, err = accounts.VerifyPassword(ctx, pw+"x", h)
		require.NoError(t, err)
		require.False(t, ok, "a wrong password does not verify")
	}

	a, err := accounts.HashPassword(ctx, "same-password")
	require.NoError(t, err)
	b, err := accounts.HashPassword(ctx, "same-password")
	require.NoError(t, err)
	require.NotEqual(t, a, b, "every hash has its own salt")
}

func TestVerifyPasswordRejectsMalformedHashes(t *testing.T) {
	ctx := context.Background()
	good := fixtureHash()
	parts := strings.Split(good, "$")
	for _, tc := range []struct{ name, phc string }{
		{"empty", ""},
		{"bcrypt", "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy"},
		{"plain text", "correct-horse-42"},
		{"argon2i", strings.Replace(good, "$argon2id$", "$argon2i$", 1)},
		{"other version", strings.Replace(good, "$v=19$", "$v=16$", 1)},
		{"bad parameters", strings.Replace(good, "m=19456,t=2,p=1", "m=x,t=2,p=1", 1)},
		{"bad salt", strings.Join([]string{"", parts[1], parts[2], parts[3], "!!!", parts[5]}, "$")},
		{"bad key", strings.Join([]string{"", parts[1], parts[2], parts[3], parts[4], "***"}, "$")},
		{"extra field", good + "$x"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, err := accounts.VerifyPassword(ctx, password, tc.phc)
			require.Error(t, err)
			require.False(t, ok)
		})
	}
}

func TestCheckPassword(t *testing.T) {
	for _, tc := range []struct {
		name, password, code string
	}{
		{"empty", "", "required"},
		{"seven characters", "1234567", "too_short"},
		{"eight characters", "12345678", ""},
		{"eight Chinese characters", "一二三四五六七八", ""},
		{"seven Chinese characters are 21 bytes but too short", "一二三四五六七", "too_short"},
		{"the maximum", strings.Repeat("p", accounts.MaxPasswordLen), ""},
		{"one over the maximum", strings.Repeat("p", accounts.MaxPasswordLen+1), "too_long"},
		{"the maximum in four-byte characters", strings.Repeat("😀", accounts.MaxPasswordLen), ""},
		{"spaces count", "        ", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			v := &models.ValidationError{}
			accounts.CheckPassword(v, "password", tc.password)
			if tc.code == "" {
				require.NoError(t, v.Err())
				return
			}
			require.Len(t, v.Fields, 1)
			require.Equal(t, models.FieldError{Field: "password", Code: tc.code, Params: v.Fields[0].Params}, v.Fields[0])
		})
	}
}

func TestRandomPassword(t *testing.T) {
	seen := map[string]bool{}
	for range 100 {
		p := accounts.RandomPassword()
		require.Len(t, p, 20)
		require.Regexp(t, `^[A-Za-z0-9_-]+$`, p)
		v := &models.ValidationError{}
		accounts.CheckPassword(v, "password", p)
		require.NoError(t, v.Err())
		require.False(t, seen[p])
		seen[p] = true
	}
}
