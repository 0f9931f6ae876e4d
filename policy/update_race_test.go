package policy_test

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

// TestUpdatePolicyParallelFirstWrite: the first changes of the policy, made at once
// while no settings row exists yet, all succeed and none is lost. On MySQL a locking
// read of a missing row takes only a gap lock, which every writer shares, so their
// inserts deadlocked and all but one failed.
func TestUpdatePolicyParallelFirstWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		set := []func(v int) policy.Input{
			func(v int) policy.Input { return policy.Input{RectifyDays: &v} },
			func(v int) policy.Input { return policy.Input{ReminderDays: &v} },
			func(v int) policy.Input { return policy.Input{ProvinceAfterDays: &v} },
			func(v int) policy.Input { return policy.Input{StatementWorkingDays: &v} },
			func(v int) policy.Input { return policy.Input{RepeatWindowDays: &v} },
			func(v int) policy.Input { return policy.Input{FarFromOutletMeters: &v} },
			func(v int) policy.Input { return policy.Input{PassMark: &v} },
		}
		values := []int{20, 4, 12, 9, 400, 900, 70}
		before := f.audits()
		var wg sync.WaitGroup
		errs := make([]error, len(set))
		start := make(chan struct{})
		for i := range set {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = f.svc.Update(f.ctx, f.admin, models.ScopeAll, set[i](values[i]))
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "change %d", i)
		}
		p, err := f.svc.Load(f.ctx)
		require.NoError(t, err)
		got := []int{p.RectifyDays, p.ReminderDays, p.ProvinceAfterDays, p.StatementWorkingDays, p.RepeatWindowDays, p.FarFromOutletMeters, p.PassMark}
		assert.Equal(t, values, got, "every change is kept")
		assert.Equal(t, before+int64(len(set)), f.audits(), "one audit row per change")
	})
}
