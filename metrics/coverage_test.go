package metrics_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/metrics"
	"quality/models"
	"quality/models/dbtest"
)

// TestCoverage: every county branch of the range in code order, month by month loaded
// or missing, by default over the 12 months up to the current one.
func TestCoverage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.put("360102", "2026-04", counts(1))
		f.put("360102", "2026-05", counts(1))
		f.put("360103", "2025-06", counts(1))
		f.put("360103", "2025-05", counts(1)) // before the default range
		f.put("360402", "2026-04", counts(1))

		c, err := f.svc.Coverage(f.ctx, models.ScopeAll, metrics.RangeInput{})
		require.NoError(t, err)
		assert.Equal(t, "2025-06", c.From)
		assert.Equal(t, "2026-05", c.To)
		assert.Equal(t, "2026-05", c.Current)
		require.Len(t, c.Months, 12)
		assert.Equal(t, "2025-07", c.Months[1])
		require.Len(t, c.Branches, 100, "every county branch of the province")
		assert.Equal(t, 4, c.Loaded)
		assert.Equal(t, 1200-4, c.Missing)
		assert.Equal(t, []int{1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1}, c.LoadedPerMonth)
		byCode := map[string]metrics.BranchMonths{}
		prev := ""
		for _, b := range c.Branches {
			assert.Less(t, prev, b.Code, "code order")
			prev = b.Code
			byCode[b.Code] = b
		}
		donghu := byCode["360102"]
		assert.Equal(t, "东湖区分公司", donghu.Name)
		assert.Equal(t, "南昌市分公司", donghu.CityName)
		assert.Equal(t, 2, donghu.LoadedCount)
		assert.Equal(t, []bool{false, false, false, false, false, false, false, false, false, false, true, true}, donghu.Loaded)
		assert.Len(t, donghu.Missing, 10)
		assert.Equal(t, "2025-06", donghu.Missing[0])
		assert.Equal(t, []bool{true, false, false, false, false, false, false, false, false, false, false, false}, byCode["360103"].Loaded)
		assert.Equal(t, 0, byCode["360104"].LoadedCount)
		assert.Len(t, byCode["360104"].Missing, 12)

		t.Run("a city's scope and a unit", func(t *testing.T) {
			c, err := f.svc.Coverage(f.ctx, f.city().Scope, metrics.RangeInput{From: "2026-04", To: "2026-05"})
			require.NoError(t, err)
			assert.Len(t, c.Branches, 9, "南昌's county branches only")
			assert.Equal(t, "360102", c.Branches[0].Code)
			assert.Equal(t, []int{1, 1}, c.LoadedPerMonth)
			c, err = f.svc.Coverage(f.ctx, models.ScopeAll, metrics.RangeInput{UnitID: f.unit("360402").ID, From: "2026-04", To: "2026-04"})
			require.NoError(t, err)
			require.Len(t, c.Branches, 1)
			assert.Equal(t, []bool{true}, c.Branches[0].Loaded)
			manager := f.scope("360102")
			c, err = f.svc.Coverage(f.ctx, manager, metrics.RangeInput{To: "2026-04"})
			require.NoError(t, err)
			assert.Equal(t, "2025-05", c.From, "11 months before to")
			require.Len(t, c.Branches, 1)
			assert.Equal(t, "南昌市分公司", c.Branches[0].CityName)
		})
		t.Run("refusals", func(t *testing.T) {
			_, err := f.svc.Coverage(f.ctx, f.city().Scope, metrics.RangeInput{UnitID: f.unit("3604").ID})
			require.ErrorIs(t, err, models.ErrNotFound)
			_, err = f.svc.Coverage(f.ctx, models.ScopeAll, metrics.RangeInput{From: "2026-05", To: "2026-04"})
			dbtest.RequireFieldError(t, err, "to", "metric_to_before_from")
			_, err = f.svc.Coverage(f.ctx, models.ScopeAll, metrics.RangeInput{From: "2016-05", To: "2026-05"})
			dbtest.RequireFieldError(t, err, "from", "metric_range_too_long")
			c, err := f.svc.Coverage(f.ctx, models.ScopeAll, metrics.RangeInput{From: "2016-06", To: "2026-05"})
			require.NoError(t, err, "120 months is the most")
			assert.Len(t, c.Months, 120)
		})
	})
}
