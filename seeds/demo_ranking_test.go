package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/storage"
)

// The demo feeds the ranking: every county branch with an outlet gets at least three
// scored inspections in each quarter of the demo's year (the one in progress too), and
// twelve months of service metrics that keep the rules.
func TestDemoFeedsTheRanking(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 12, 2, 3, 0, 0, 0, time.UTC) // 2026-Q4 has begun two months ago
		require.NoError(t, seeds.Run(ctx, db, seeds.BaseSteps(now), nil))
		_, err := seeds.LoadDemoIn(ctx, db, "demo-pass-1", "3601")
		require.NoError(t, err)
		_, err = seeds.LoadDemoSupervision(ctx, db, storage.NewLocal(t.TempDir()), now)
		require.NoError(t, err)
		n, err := seeds.LoadDemoMetrics(ctx, db, now)
		require.NoError(t, err)
		assert.Equal(t, 100*12, n, "every county branch, twelve months")
		again, err := seeds.LoadDemoMetrics(ctx, db, now)
		require.NoError(t, err)
		assert.Zero(t, again, "a second start loads nothing")

		loc, _ := time.LoadLocation("Asia/Shanghai")
		type key struct {
			county  uint
			quarter string
		}
		counts := map[key]int{}
		var rows []struct {
			County      uint
			SubmittedAt time.Time
		}
		require.NoError(t, db.Table("inspections i").Joins("JOIN org_units o ON o.id = i.org_unit_id").
			Select("o.parent_id AS county, i.submitted_at AS submitted_at").Where("i.possible > 0 AND i.status = ?", models.InspectionSubmitted).Scan(&rows).Error)
		for _, r := range rows {
			l := r.SubmittedAt.In(loc)
			counts[key{r.County, l.Format("2006") + "-Q" + string(rune('0'+(int(l.Month())+2)/3))}]++
		}
		var counties []models.OrgUnit
		require.NoError(t, db.Where("level = ?", models.LevelCounty).Find(&counties).Error)
		require.Len(t, counties, 100)
		for _, c := range counties {
			for _, q := range []string{"2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"} {
				assert.GreaterOrEqual(t, counts[key{c.ID, q}], 3, "%s %s", c.Code, q)
			}
		}

		var metrics []models.ServiceMetric
		require.NoError(t, db.Find(&metrics).Error)
		months := map[string]bool{}
		for _, m := range metrics {
			months[m.Month] = true
			for _, p := range [][2]int64{{m.Responded24h, m.WorkOrders}, {m.OrdinaryFixed24h, m.OrdinaryFaults}, {m.MajorFixed72h, m.MajorFaults},
				{m.InstalledOnTime, m.Installations}, {m.RestoredOnTime, m.Restorations}, {m.ComplaintsReplied, m.Complaints},
				{m.CallbacksDone72h, m.CallbacksDue}} {
				assert.True(t, p[0] >= 0 && p[0] <= p[1], "%d %s: %d of %d", m.OrgUnitID, m.Month, p[0], p[1])
			}
			assert.True(t, m.SurveyScoreSum >= 0 && m.SurveyScoreSum <= 100*m.Surveys)
			assert.True(t, m.SubscribersStart > 0 && m.SubscribersEnd > 0)
		}
		assert.Len(t, months, 12)
		assert.True(t, months["2025-12"] && months["2026-11"], "the twelve complete months before now")
		assert.False(t, months["2026-12"], "the month in progress has no figures yet")
	})
}
