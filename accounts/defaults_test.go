package accounts_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"quality/accounts"
)

// The sign-in defaults, by the literal values the README's security notes give: a
// constant changed by mistake fails here, not only in tests that read the constant.
func TestAuthDefaultsAreTheDocumentedOnes(t *testing.T) {
	assert.Equal(t, accounts.Config{
		IdleTimeout:       2 * time.Hour,
		AbsoluteTimeout:   12 * time.Hour,
		PerAccountAddress: accounts.Limit{Free: 5, Max: 15 * time.Minute, Window: time.Hour},
		PerAccount:        accounts.Limit{Free: 20, Max: time.Minute, Window: time.Hour},
		PerAddress:        accounts.Limit{Free: 200, Max: 5 * time.Minute, Window: time.Hour},
	}, accounts.DefaultConfig)
}
