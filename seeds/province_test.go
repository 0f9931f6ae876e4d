package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

// provinceNow is the generator's clock in the tests: 2026-Q4 has begun.
var provinceNow = time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC)

// smallProvince is the generator at a hundredth of its size, so the suite stays quick.
var smallProvince = seeds.ProvinceScale{Outlets: 220, Employees: 3000, Inspections: 1500, Attempts: 6000}

func generate(t *testing.T, db *gorm.DB, seed uint64) seeds.ProvinceCounts {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, seeds.Run(ctx, db, seeds.BaseSteps(provinceNow), nil))
	var steps []string
	n, err := seeds.LoadProvince(ctx, db, smallProvince, seed, provinceNow, func(what string, rows int, took time.Duration) {
		t.Logf("%s: %d rows in %s", what, rows, took)
		steps = append(steps, what)
	})
	require.NoError(t, err)
	assert.Len(t, steps, 9, "every table reports its step")
	return n
}

// The province generator writes what it says, in the shapes the ranking reads, and the
// same seed gives the same data — the same ranking to the last hundredth — on either
// engine; another seed gives another province.
func TestProvinceGenerator(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		n := generate(t, db, 7)
		t.Logf("%+v", n)

		count := func(model any, where ...any) int {
			var c int64
			q := db.Model(model)
			if len(where) > 0 {
				q = q.Where(where[0], where[1:]...)
			}
			require.NoError(t, q.Count(&c).Error)
			return int(c)
		}
		assert.Equal(t, 220, count(&models.OrgUnit{}, "level = ?", models.LevelOutlet), "outlets topped up to the scale")
		assert.Equal(t, n.Employees, count(&models.Employee{}))
		assert.GreaterOrEqual(t, n.Employees, smallProvince.Employees, "every county office staffed, outlets filled up to the scale")
		assert.Equal(t, smallProvince.Inspections, count(&models.Inspection{}, "status = ?", models.InspectionSubmitted))
		assert.Equal(t, n.Items, count(&models.InspectionItem{}))
		assert.Greater(t, n.Items, 20*smallProvince.Inspections, "a full checklist per inspection")
		assert.Equal(t, n.Findings, count(&models.Finding{}))
		assert.Equal(t, n.Findings, n.Rectifications, "a rectification for every finding")
		assert.Equal(t, count(&models.InspectionItem{}, "outcome = ?", models.OutcomeFail), n.Findings, "a finding for every failed item")
		assert.Greater(t, n.Rectifications, smallProvince.Inspections/20, "about one finding in ten inspections")
		assert.Equal(t, n.Attempts, count(&models.Attempt{}))
		assert.InDelta(t, smallProvince.Attempts, n.Attempts, float64(smallProvince.Attempts)/4)
		// The exam-day cohort: one employee in eight has sat no exam, for cmd/examload.
		var free int64
		require.NoError(t, db.Model(&models.Employee{}).Where("status = ? AND id NOT IN (?)", models.StatusActive,
			db.Model(&models.Attempt{}).Select("employee_id")).Count(&free).Error)
		assert.GreaterOrEqual(t, free, int64(smallProvince.Employees/8*9/10))
		assert.Positive(t, n.Certificates)
		assert.Positive(t, n.Cases)
		assert.Equal(t, 100*12, n.Metrics, "twelve months per county branch")
		for _, status := range []string{models.RectOpen, models.RectSubmitted, models.RectVerified, models.RectWaived, models.RectCancelled} {
			assert.Positive(t, count(&models.Rectification{}, "status = ?", status), status)
		}

		// Every inspection's totals are what scoring its items gives (a sample).
		var sample []models.Inspection
		require.NoError(t, db.Order("id").Limit(200).Find(&sample).Error)
		for _, in := range sample {
			var items []models.InspectionItem
			require.NoError(t, db.Where("inspection_id = ?", in.ID).Order("id").Find(&items).Error)
			var tpl models.ChecklistTemplate
			require.NoError(t, db.First(&tpl, in.TemplateID).Error)
			s := inspections.Score(items, tpl.PassMark)
			require.Equal(t, [3]any{s.Earned, s.Possible, s.Result}, [3]any{in.Earned, in.Possible, in.Result}, "inspection %d", in.ID)
		}
		var v2 models.ChecklistTemplate
		require.NoError(t, db.Where("code = ? AND status = ?", "HALL-SERVICE", models.TemplatePublished).First(&v2).Error)
		assert.Equal(t, 2, v2.Version, "the extended hall checklist")
		assert.Len(t, v2.Items(), 26)

		_, err := seeds.LoadProvince(ctx, db, smallProvince, 7, provinceNow, nil)
		require.ErrorIs(t, err, seeds.ErrProvinceHasData, "a second run refuses rather than doubling the province")

		// The same seed on a fresh SQLite database: the same ranking to the last
		// hundredth, whichever engine wrote the first.
		ranking := func(db *gorm.DB) *reports.Ranking {
			svc := reports.NewService(db, time.FixedZone("CST", 8*3600))
			svc.Now = func() time.Time { return provinceNow }
			p, err := reports.ParsePeriod("2026-Q3")
			require.NoError(t, err)
			r, err := svc.Ranking(ctx, p, reports.LevelCounty)
			require.NoError(t, err)
			return r
		}
		first := ranking(db)
		again := dbtest.SQLite(t)
		assert.Equal(t, n, generate(t, again, 7))
		assert.Equal(t, first.Items, ranking(again).Items)
		ranked := 0
		for _, it := range first.Items {
			if it.Rank != nil {
				ranked++
			}
		}
		assert.Greater(t, ranked, 90, "nearly every county branch is ranked")

		other := dbtest.SQLite(t)
		generate(t, other, 8)
		assert.NotEqual(t, first.Items, ranking(other).Items, "another seed, another province")
	})
}
