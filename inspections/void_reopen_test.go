package inspections_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
)

// A void and a reopen of the same inspection at once end as one success and one
// refusal (409), never as a deadlock (a 500 on MySQL): the void wrote the finding and
// then its rectification, the reopen deleted the rectification and then the finding.
// The hooks pause the void after its finding write until the reopen has deleted the
// rectification — or, when the reopen is rightly held back by the void's lock, for a
// moment, after which the void goes on (the wait is not what the test asserts).
func TestVoidAndReopenDoNotDeadlock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.failedInspection()
		target := ins.Findings[0].ID

		voidWrote, reopenDeleted := make(chan struct{}), make(chan struct{})
		var once1, once2 sync.Once
		require.NoError(t, db.Callback().Update().After("gorm:update").Register("test:pause_void", func(tx *gorm.DB) {
			if tx.Statement.Table == "findings" {
				once1.Do(func() {
					close(voidWrote)
					select {
					case <-reopenDeleted:
					case <-time.After(3 * time.Second):
					}
				})
			}
		}))
		require.NoError(t, db.Callback().Delete().After("gorm:delete").Register("test:signal_reopen", func(tx *gorm.DB) {
			if tx.Statement.Table == "rectifications" {
				once2.Do(func() { close(reopenDeleted) })
			}
		}))

		var voidErr, reopenErr error
		var wg sync.WaitGroup
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, voidErr = f.svc.VoidFinding(ctx, f.insp, f.scope, target, inspections.ReasonInput{Reason: "重复记录"})
		}()
		go func() {
			defer wg.Done()
			<-voidWrote
			_, reopenErr = f.svc.Reopen(ctx, f.insp, f.scope, models.Scope{}, ins.ID, inspections.ReasonInput{Reason: "重填"})
		}()
		wg.Wait()

		var ce *models.ConflictError
		for name, err := range map[string]error{"void": voidErr, "reopen": reopenErr} {
			if err != nil {
				assert.True(t, errors.As(err, &ce), "%s: want success or a 409, got %v", name, err)
			}
		}
		assert.True(t, (voidErr == nil) != (reopenErr == nil), "exactly one succeeds: void %v, reopen %v", voidErr, reopenErr)
	})
}
