package patrols_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/patrols"
)

// TestUpdatePolicyParallelFirstWrite: the first changes of the policy, made at once
// while no settings row exists yet, all succeed and none is lost. On MySQL a locking
// read of a missing row takes only a gap lock, which every writer shares, so their
// inserts deadlocked and all but one failed.
func TestUpdatePolicyParallelFirstWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		set := []func(v int) patrols.PolicyInput{
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{RectifyDays: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{ReminderDays: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{ProvinceAfterDays: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{StatementWorkingDays: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{RepeatWindowDays: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{FarFromOutletMeters: &v} },
			func(v int) patrols.PolicyInput { return patrols.PolicyInput{PassMark: &v} },
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
				_, errs[i] = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, set[i](values[i]), time.Now())
			}()
		}
		close(start)
		wg.Wait()
		for i, err := range errs {
			require.NoError(t, err, "change %d", i)
		}
		p, err := inspections.LoadPolicy(f.ctx, db)
		require.NoError(t, err)
		got := []int{p.RectifyDays, p.ReminderDays, p.ProvinceAfterDays, p.StatementWorkingDays, p.RepeatWindowDays, p.FarFromOutletMeters, p.PassMark}
		assert.Equal(t, values, got, "every change is kept")
		assert.Equal(t, before+int64(len(set)), f.audits(), "one audit row per change")
	})
}
