package accounts

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestHashWaitIsBounded: a login that cannot get a hashing slot gives up with ErrBusy
// instead of queueing for ever, and leaves the slots as it found them.
func TestHashWaitIsBounded(t *testing.T) {
	phc, err := HashPassword(context.Background(), "correct-horse-42")
	require.NoError(t, err)
	for range cap(hashSlots) {
		hashSlots <- struct{}{}
	}
	defer func(w time.Duration) {
		HashWait = w
		for range cap(hashSlots) {
			<-hashSlots
		}
	}(HashWait)
	HashWait = time.Millisecond

	ok, err := VerifyPassword(context.Background(), "correct-horse-42", phc)
	require.ErrorIs(t, err, ErrBusy)
	require.False(t, ok)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	HashWait = time.Hour
	_, err = VerifyPassword(ctx, "correct-horse-42", phc)
	require.ErrorIs(t, err, context.Canceled)
}
