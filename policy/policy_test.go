package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/policy"
)

func date(t *testing.T, s string) models.Date {
	t.Helper()
	d, err := models.ParseDate(s)
	require.NoError(t, err)
	return d
}

// National Day 2026: October 1–7 off, Sunday September 27 and Saturday October 10 worked.
func TestStatementDueOnNationalDay(t *testing.T) {
	plain := policy.DefaultPolicy
	cal := policy.DefaultPolicy
	cal.Holidays = []models.Date{date(t, "2026-10-01"), date(t, "2026-10-02"), date(t, "2026-10-03"),
		date(t, "2026-10-04"), date(t, "2026-10-05"), date(t, "2026-10-06"), date(t, "2026-10-07")}
	cal.ExtraWorkdays = []models.Date{date(t, "2026-09-27"), date(t, "2026-10-10")}
	for _, c := range []struct{ opened, plain, cal string }{
		// Sep 27 (Sun, worked), 28, 29, 30, then Oct 8.
		{"2026-09-25", "2026-10-02", "2026-10-08"},
		// The opening day never counts, worked or not: 28, 29, 30, Oct 8, 9.
		{"2026-09-27", "2026-10-02", "2026-10-09"},
		// Oct 8, 9, 10 (Sat, worked), 12, 13.
		{"2026-09-30", "2026-10-07", "2026-10-13"},
		{"2026-10-03", "2026-10-09", "2026-10-13"},
		// After the holidays, Oct 10 still counts: 9, 10, 12, 13, 14.
		{"2026-10-08", "2026-10-15", "2026-10-14"},
		// Far from both lists nothing changes.
		{"2026-03-06", "2026-03-13", "2026-03-13"},
	} {
		assert.Equal(t, c.plain, plain.StatementDueOn(date(t, c.opened)).String(), "no calendar, opened %s", c.opened)
		assert.Equal(t, c.cal, cal.StatementDueOn(date(t, c.opened)).String(), "National Day calendar, opened %s", c.opened)
	}
	assert.False(t, cal.IsWorkingDay(date(t, "2026-10-05")))
	assert.True(t, cal.IsWorkingDay(date(t, "2026-10-10")))
	assert.False(t, cal.IsWorkingDay(date(t, "2026-10-11")))
}
