package patrols_test

import (
	"fmt"
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

func dates(ds []models.Date) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.String()
	}
	return out
}

// TestUpdatePolicyCalendar: the public holidays and extra working days of the statement
// window (R6.8) — a policy stored before them reads them as empty, the settings take
// them checked, sorted and without repeats, audited once per change.
func TestUpdatePolicyCalendar(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		list := func(s ...string) *[]string { return &s }

		// A policy stored before the lists existed keeps working.
		require.NoError(t, models.SaveSetting(db, inspections.PolicyKey, map[string]int{"statement_working_days": 4}, f.adm.Actor.UserID, time.Now()))
		p, err := inspections.LoadPolicy(f.ctx, db)
		require.NoError(t, err)
		assert.Equal(t, 4, p.StatementWorkingDays)
		assert.Equal(t, []models.Date{}, p.Holidays)
		assert.Equal(t, []models.Date{}, p.ExtraWorkdays)

		before := f.audits()
		many := make([]string, patrols.MaxPolicyDates+1)
		for i := range many {
			many[i] = time.Date(2026, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
		_, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{
			Holidays: list("2026-10-01", "2026/10/02", "2026-10-32", "", "0000-01-01"), ExtraWorkdays: &many}, time.Now())
		dbtest.RequireFieldError(t, err, "holidays[1]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[2]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[3]", "invalid_date")
		dbtest.RequireFieldError(t, err, "holidays[4]", "invalid_date")
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_too_many_dates")
		var ve *models.ValidationError
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Fields, 5, "holidays[0] is fine")
		_, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{
			Holidays: list("2026-10-01", "2026-10-10"), ExtraWorkdays: list("2026-10-10")}, time.Now())
		dbtest.RequireFieldError(t, err, "holidays", "settings_date_in_both")
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_date_in_both")
		require.ErrorAs(t, err, &ve)
		assert.Equal(t, "2026-10-10", ve.Fields[0].Params["value"])
		assert.Equal(t, before, f.audits(), "a refusal writes nothing")

		// The National Day calendar, unsorted and repeated.
		p, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{
			Holidays:      list("2026-10-07", "2026-10-01", "2026-10-02", "2026-10-03", "2026-10-04", "2026-10-05", "2026-10-06", "2026-10-01"),
			ExtraWorkdays: list("2026-10-10", "2026-09-27")}, time.Now())
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

		loaded, err := inspections.LoadPolicy(f.ctx, db)
		require.NoError(t, err)
		assert.Equal(t, want, dates(loaded.Holidays))
		assert.Equal(t, 4, loaded.StatementWorkingDays)
		assert.Equal(t, "2026-10-12", loaded.StatementDueOn(models.Date{Year: 2026, Month: 9, Day: 30}).String(), "4 working days: Oct 8, 9, 10, 12")

		// The same dates in another order change nothing and write nothing; a list left
		// out is kept.
		_, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{ExtraWorkdays: list("2026-10-10", "2026-09-27", "2026-10-10")}, time.Now())
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
		five := 5
		p, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{StatementWorkingDays: &five}, time.Now())
		require.NoError(t, err)
		assert.Equal(t, want, dates(p.Holidays))
		assert.Equal(t, before+2, f.audits())

		// A date already a holiday cannot become an extra working day alone either.
		_, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{ExtraWorkdays: list("2026-10-03")}, time.Now())
		dbtest.RequireFieldError(t, err, "extra_workdays", "settings_date_in_both")
		require.ErrorAs(t, err, &ve)
		assert.Len(t, ve.Fields, 1, "holidays were not given")

		// An empty list clears; 200 dates are allowed.
		p, err = patrols.UpdatePolicy(f.ctx, db, f.adm.Actor, models.ScopeAll, patrols.PolicyInput{Holidays: list(), ExtraWorkdays: list(many[:patrols.MaxPolicyDates]...)}, time.Now())
		require.NoError(t, err)
		assert.Empty(t, p.Holidays)
		assert.Len(t, p.ExtraWorkdays, patrols.MaxPolicyDates)
		assert.Equal(t, before+3, f.audits())
		loaded, err = inspections.LoadPolicy(f.ctx, db)
		require.NoError(t, err)
		assert.Equal(t, []models.Date{}, loaded.Holidays)
		assert.Equal(t, fmt.Sprint(many[:patrols.MaxPolicyDates]), fmt.Sprint(dates(loaded.ExtraWorkdays)))
	})
}
