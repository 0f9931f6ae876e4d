package reports_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/reports"
)

func TestParsePeriod(t *testing.T) {
	for _, tc := range []struct {
		in, prev string
		from, to string // Beijing dates
		months   int
	}{
		{"2026-09", "2026-08", "2026-09-01", "2026-10-01", 1},
		{"2026-01", "2025-12", "2026-01-01", "2026-02-01", 1},
		{"2026-Q3", "2026-Q2", "2026-07-01", "2026-10-01", 3},
		{"2026-Q1", "2025-Q4", "2026-01-01", "2026-04-01", 3},
		{"2026-H1", "2025-H2", "2026-01-01", "2026-07-01", 6},
		{"2026-H2", "2026-H1", "2026-07-01", "2027-01-01", 6},
		{"2026", "2025", "2026-01-01", "2027-01-01", 12},
	} {
		p, err := reports.ParsePeriod(tc.in)
		require.NoError(t, err, tc.in)
		assert.Equal(t, tc.in, p.String())
		assert.Equal(t, tc.prev, p.Previous().String(), tc.in)
		from, to := p.Bounds(shanghai)
		assert.Equal(t, tc.from, from.Format(time.DateOnly), tc.in)
		assert.Equal(t, tc.to, to.Format(time.DateOnly), tc.in)
		assert.Equal(t, 0, from.Hour(), "midnight in Beijing")
		assert.Len(t, p.Months(), tc.months)
	}
	for _, bad := range []string{"2026-Q5", "26-09", "2026-13", "2026-00", "2026-Q0", "2026-H3", "2026-9", "", "2026-Q3 ", "２０２６", "1999", "2026-q3"} {
		_, err := reports.ParsePeriod(bad)
		assert.ErrorIs(t, err, reports.ErrPeriod, "%q", bad)
	}
}

// The quarter boundary lies at midnight Beijing time: 15:30 UTC on 09-30 is Q3, 16:10
// UTC is already Q4.
func TestPeriodBoundaryInBeijing(t *testing.T) {
	q3, _ := reports.ParsePeriod("2026-Q3")
	from, to := q3.Bounds(shanghai)
	in := time.Date(2026, 9, 30, 15, 30, 0, 0, time.UTC)
	out := time.Date(2026, 9, 30, 16, 10, 0, 0, time.UTC)
	assert.True(t, !in.Before(from) && in.Before(to))
	assert.False(t, !out.Before(from) && out.Before(to))

	w, err := reports.WindowAt(q3, time.Date(2026, 8, 15, 4, 0, 0, 0, time.UTC), shanghai)
	require.NoError(t, err)
	assert.True(t, w.InProgress)
	assert.Equal(t, []string{"2026-07", "2026-08"}, w.Months(), "September has not begun")
	assert.Equal(t, "2026-08-15", w.DayLimit().String(), "due days up to yesterday")

	_, err = reports.WindowAt(q3, time.Date(2026, 6, 30, 15, 59, 0, 0, time.UTC), shanghai)
	assert.ErrorIs(t, err, reports.ErrNotStarted)
}
