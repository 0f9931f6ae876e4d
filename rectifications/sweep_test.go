package rectifications_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
)

// shanghaiNoon is noon of a day in Shanghai.
func shanghaiNoon(d models.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 12, 0, 0, 0, dbtest.Shanghai)
}

func (f *fixture) escalateAuditCount() int64 {
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Where("action = ? AND actor_name = ?", "escalate", "system").Count(&n).Error)
	return n
}

// Reminder before the due date, city company after it, province ProvinceAfterDays after
// it; each once, each with one audit row; nothing for a rectification no longer open.
func TestSweepLevels(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		due := date(2026, 3, 10)
		r := f.open("360102-01", due)
		done := f.open("360102-02", due)
		mgr := f.user("mgr-360102", grant{models.RoleManager, "360102"})
		f.photo(mgr, done.ID)
		_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), done.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
		require.NoError(t, err)

		sweep := func(day models.Date) []string {
			t.Helper()
			got, err := f.sweepAt(shanghaiNoon(day))
			require.NoError(t, err)
			var out []string
			for _, e := range got.Escalations {
				require.Equal(t, r.ID, e.RectificationID, "only the open one escalates")
				out = append(out, e.Level)
			}
			return out
		}
		assert.Empty(t, sweep(date(2026, 3, 8)), "two days before: too early for the reminder (ReminderDays 1)")
		assert.Equal(t, []string{models.EscalateReminder}, sweep(date(2026, 3, 9)))
		assert.Empty(t, sweep(date(2026, 3, 9)), "once per level")
		assert.Empty(t, sweep(date(2026, 3, 10)), "the due day itself is not overdue")
		assert.Equal(t, []string{models.EscalateCity}, sweep(date(2026, 3, 11)))
		assert.Empty(t, sweep(date(2026, 3, 16)))
		assert.Equal(t, []string{models.EscalateProvince}, sweep(date(2026, 3, 17)), "seven days after the due date")
		assert.Empty(t, sweep(date(2026, 4, 30)))
		assert.EqualValues(t, 3, f.escalateAuditCount())

		es, err := models.RectificationEscalations(f.ctx, db, r.ID)
		require.NoError(t, err)
		require.Len(t, es, 3)
		assert.Equal(t, f.unit("360102").ID, es[0].NotifiedUnitID, "the reminder goes to the branch")
		assert.Equal(t, f.unit("3601").ID, es[1].NotifiedUnitID, "then the city company")
		assert.Equal(t, f.unit("36").ID, es[2].NotifiedUnitID, "then the provincial office")
		d, err := f.svc.Get(f.ctx, models.ScopeAll, r.ID)
		require.NoError(t, err)
		assert.Len(t, d.Escalations, 3)
		assert.Len(t, d.Timeline, 1, "escalations are logged apart from the status timeline")
	})
}

// The days are settings, not constants; a late first sweep sends the levels due, not a
// reminder whose window has passed.
func TestSweepPolicyFromSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		p := policy.DefaultPolicy
		p.ReminderDays, p.ProvinceAfterDays = 3, 2
		require.NoError(t, models.SaveSetting(db, policy.PolicyKey, p, 0, f.now))
		early := f.open("360102-01", date(2026, 3, 10))
		late := f.open("360102-02", date(2026, 3, 1))

		got, err := f.sweepAt(shanghaiNoon(date(2026, 3, 7)))
		require.NoError(t, err)
		levels := map[uint][]string{}
		for _, e := range got.Escalations {
			levels[e.RectificationID] = append(levels[e.RectificationID], e.Level)
		}
		assert.Equal(t, map[uint][]string{
			early.ID: {models.EscalateReminder},
			late.ID:  {models.EscalateCity, models.EscalateProvince},
		}, levels)
		assert.Equal(t, map[string]int{models.EscalateReminder: 1, models.EscalateCity: 1, models.EscalateProvince: 1}, got.Count())
	})
}

// Several instances sweeping at once: each level is reached once, and every sweep ends
// without error.
func TestSweepParallel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		const n = 12
		for i := range n {
			outlet := "360102-01"
			if i%2 == 1 {
				outlet = "360402-01"
			}
			f.open(outlet, date(2026, 3, 1))
		}
		now := shanghaiNoon(date(2026, 3, 20))
		const sweepers = 4
		results := make([]rectifications.Swept, sweepers)
		errs := make([]error, sweepers)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i := range sweepers {
			wg.Go(func() {
				<-start
				results[i], errs[i] = f.sweepAt(now)
			})
		}
		close(start)
		wg.Wait()
		total := 0
		for i := range sweepers {
			require.NoError(t, errs[i])
			total += len(results[i].Escalations)
		}
		assert.Equal(t, 2*n, total, "city and province once each, however many sweeps")
		var rows int64
		require.NoError(t, db.Model(&models.Escalation{}).Count(&rows).Error)
		assert.EqualValues(t, 2*n, rows)
		assert.EqualValues(t, 2*n, f.escalateAuditCount(), "one audit row per escalation, none for a lost race")
		again, err := f.sweepAt(now)
		require.NoError(t, err)
		assert.Empty(t, again.Escalations)
	})
}

// A city company sees what was escalated to it, the province everything, a branch its
// reminders.
func TestEscalationList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nc := f.open("360102-01", date(2026, 3, 1))
		jj := f.open("360402-01", date(2026, 3, 1))
		soon := f.open("360102-02", date(2026, 3, 21))
		_, err := f.sweepAt(shanghaiNoon(date(2026, 3, 20)))
		require.NoError(t, err)

		list := func(scope models.Scope, flt rectifications.EscalationFilter) map[string][]uint {
			t.Helper()
			l, err := f.svc.ListEscalations(f.ctx, scope, flt)
			require.NoError(t, err)
			assert.EqualValues(t, len(l.Items), l.Total)
			out := map[string][]uint{}
			for _, e := range l.Items {
				assert.Equal(t, e.NotifiedUnitID, e.NotifiedUnit.ID)
				assert.Equal(t, e.RectificationID, e.Rectification.ID)
				out[e.Level+"@"+e.NotifiedUnit.Code] = append(out[e.Level+"@"+e.NotifiedUnit.Code], e.RectificationID)
			}
			return out
		}
		all := list(models.ScopeAll, rectifications.EscalationFilter{})
		assert.ElementsMatch(t, []uint{nc.ID, jj.ID}, all["province@36"])
		assert.Equal(t, []uint{nc.ID}, all["city@3601"])
		assert.Equal(t, []uint{jj.ID}, all["city@3604"])
		assert.Equal(t, []uint{soon.ID}, all["reminder@360102"])

		city := as(f.user("insp-3601", grant{models.RoleInspector, "3601"}), readRoute...)
		assert.Equal(t, map[string][]uint{"city@3601": {nc.ID}, "reminder@360102": {soon.ID}}, list(city.Scope, rectifications.EscalationFilter{}))
		assert.Equal(t, map[string][]uint{"city@3601": {nc.ID}}, list(city.Scope, rectifications.EscalationFilter{Level: models.EscalateCity}))
		branch := as(f.user("mgr-360102", grant{models.RoleManager, "360102"}), readRoute...)
		assert.Equal(t, map[string][]uint{"reminder@360102": {soon.ID}}, list(branch.Scope, rectifications.EscalationFilter{}))
		assert.Equal(t, map[string][]uint{"city@3604": {jj.ID}},
			list(models.ScopeAll, rectifications.EscalationFilter{UnitID: f.unit("3604").ID}))
		_, err = f.svc.ListEscalations(f.ctx, branch.Scope, rectifications.EscalationFilter{UnitID: f.unit("3601").ID})
		isNotFound(t, err)
	})
}
