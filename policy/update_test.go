package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

func dates(ds []models.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// TestUpdatePolicy: only a caller over the whole province changes the policy, each
// field within its range, with one audit row of what changed.
func TestUpdatePolicy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		n := func(v int) *int { return &v }
		before := f.audits()
		_, err := f.svc.Update(f.ctx, f.admin, models.Scope{Paths: []string{"/1/2/"}}, policy.Input{RectifyDays: n(5)})
		require.ErrorIs(t, err, models.ErrForbidden, "a city's scope cannot change the province's policy")
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{RectifyDays: n(0), StatementWorkingDays: n(31)})
		dbtest.RequireFieldError(t, err, "rectify_days", "out_of_range")
		dbtest.RequireFieldError(t, err, "statement_working_days", "out_of_range")
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{CriticalRectifyDays: n(10)})
		dbtest.RequireFieldError(t, err, "critical_rectify_days", "patrol_critical_days")
		assert.Equal(t, before, f.audits())

		p, err := f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{StatementWorkingDays: n(3), RectifyDays: n(7)})
		require.NoError(t, err)
		assert.Equal(t, 3, p.StatementWorkingDays)
		assert.Equal(t, before+1, f.audits(), "one audit row")
		var ev models.AuditEvent
		require.NoError(t, db.Order("id DESC").Take(&ev).Error)
		assert.Equal(t, "setting", ev.Entity)
		assert.JSONEq(t, `{"changes":{"statement_working_days":{"from":5,"to":3}}}`, ev.Summary, "only the changed field")
		loaded, err := f.svc.Load(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, 3, loaded.StatementWorkingDays)
		assert.Equal(t, policy.DefaultPolicy.RepeatWindowDays, loaded.RepeatWindowDays)

		// The same values again change nothing and write nothing.
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{StatementWorkingDays: n(3)})
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
	})
}

// TestUpdatePolicyCalendar: the public holidays and extra working days of the statement
// window (R6.8) — a policy stored before them reads them as empty, the settings take
// them checked, sorted and without repeats, audited once per change.
func TestUpdatePolicyCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		list := func(s ...string) *[]string { return &s }

		// A policy stored before the lists existed keeps working.
		require.NoError(t, models.SaveSetting(db, policy.PolicyKey, map[string]int{"statement_working_days": 4}, f.admin.UserID, time.Now()))
		p, err := f.svc.Load(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, 4, p.StatementWorkingDays)
		assert.Equal(t, []models.Date{}, p.Holidays)
		assert.Equal(t, []models.Date{}, p.ExtraWorkdays)

		before := f.audits()
		many := make([]string, policy.MaxDates+1)
		for i := range many {
			many[i] = time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{
			Holidays: list("2026-10-01", "2026/10/02", "2026-10-32", "", "0000-01-01"), ExtraWorkdays: &many})
		dbtest.RequireFieldError(t, err, "holidays[1]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[2]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[3]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[4]", "invalid_date")
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_too_many_dates")
		var ve *models.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Fields, 5, "holidays[0] is fine")
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{
			Holidays: list("2026-10-01", "2026-10-10"), ExtraWorkdays: list("2026-10-10")})
		dbtest.RequireFieldError(t, err, "holidays", "settings_date_in_both")
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_date_in_both")
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "2026-10-10", ve.Fields[0].Params["value"])
		assert.Equal(t, before, f.audits(), "a refusal writes nothing")

		// The National Day calendar, unsorted and repeated.
		p, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{
			Holidays:      list("2026-10-07", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-01"),
			ExtraWorkdays: list("2026-10-10", "2026-09-27")})
		require.NoError(t, err)
		want := []string{"2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-07"}
		assert.Equal(t, want, dates(p.Holidays))
		assert.Equal(t, []string{"2026-09-27", "2026-10-10"}, dates(p.ExtraWorkdays))
		assert.Equal(t, before+1, f.audits(), "one audit row for both lists")
		var ev models.AuditEvent
		require.NoError(t, db.Order("id DESC").Take(&ev).Error)
		assert.Equal(t, "setting", ev.Entity)
		assert.JSONEq(t, `{"changes":{
			"holidays":{"from":[],"to":["2026-10-01","2026-10-02","2026-10-03","2026-10-04","2026-10-05","2026-10-06","2026-10-07"]},
			"extra_workdays":{"from":[],"to":["2026-09-27","2026-10-10"]}}}`, ev.Summary)

		loaded, err := f.svc.Load(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, want, dates(loaded.Holidays))
		assert.Equal(t, 4, loaded.StatementWorkingDays)
		assert.Equal(t, "2026-10-12", loaded.StatementDueOn(models.Date{Year: 2026, Month: 9, Day: 30}).String(), "4 working days: Oct 8, 9, 10, 12")

		// The same dates in another order change nothing and write nothing; a list left
		// out is kept.
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{ExtraWorkdays: list("2026-10-10", "2026-09-27", "2026-10-10")})
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
		five := 5
		p, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{StatementWorkingDays: &five})
		require.NoError(t, err)
		assert.Equal(t, want, dates(p.Holidays))
		assert.Equal(t, before+2, f.audits())

		// A date already a holiday cannot become an extra working day alone either.
		_, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{ExtraWorkdays: list("2026-10-03")})
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_date_in_both")
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Fields, 1, "holidays were not given")

		// An empty list clears; 200 dates are allowed.
		p, err = f.svc.Update(f.ctx, f.admin, models.ScopeAll, policy.Input{Holidays: list(), ExtraWorkdays: list(many[:policy.MaxDates]...)})
		require.NoError(t, err)
		assert.Empty(t, p.Holidays)
		assert.Len(t, p.ExtraWorkdays, policy.MaxDates)
		assert.Equal(t, before+3, f.audits())
		loaded, err = f.svc.Load(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, []models.Date{}, loaded.Holidays)
		assert.Equal(t, fmt.Sprint(many[:policy.MaxDates]), fmt.Sprint(dates(loaded.ExtraWorkdays)))
	})
}
