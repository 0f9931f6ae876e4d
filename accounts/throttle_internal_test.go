package accounts

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// The hash verified for unknown users must be well formed: a parse error would answer
// at once and tell unknown users from wrong passwords by timing.
func TestDummyHashCostsAVerification(t *testing.T) {
	ok, err := VerifyPassword(context.Background(), "anything", dummyHash)
	require.NoError(t, err)
	require.False(t, ok)
	require.Regexp(t, `^\$argon2id\$v=19\$m=19456,t=2,p=1\$`, dummyHash, "the same cost as real hashes")
}

func TestLimitDelay(t *testing.T) {
	l := Limit{Free: 5, Max: 15 * time.Minute, Window: time.Hour}
	for n, want := range map[int]time.Duration{
		0: 0, 1: 0, 5: 0, // the free failures
		6: time.Second, 7: 2 * time.Second, 8: 4 * time.Second, 15: 512 * time.Second,
		16: 15 * time.Minute, 100: 15 * time.Minute, 10_000: 15 * time.Minute, // capped, no overflow
	} {
		require.Equal(t, want, l.delay(n), "failure %d", n)
	}
}

func TestThrottleKeys(t *testing.T) {
	keys := throttleKeys("Alice", "198.51.100.7")
	require.Equal(t, []string{"ua:alice|198.51.100.7", "u:alice", "a:198.51.100.7"}, keys, "user names are case-folded")
	for _, name := range []string{string(make([]byte, 500)), strings.Repeat("张", 40), "ali\xffce"} {
		for _, k := range throttleKeys(name, "2001:db8::1") {
			require.LessOrEqual(t, len(k), 191, "a key fits its column")
			require.True(t, utf8.ValidString(k), "a key is valid UTF-8 for MySQL: %q", k)
		}
	}
}

func TestTruncateKeepsRunes(t *testing.T) {
	require.Equal(t, "ab", truncate("ab", 5))
	require.Equal(t, "浏", truncate("浏览器", 4), "never cuts a rune in half")
	require.Equal(t, "", truncate("浏览器", 2))
}
