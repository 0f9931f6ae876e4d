package reports_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

// Every number of a branch's line can be recomputed from the rows of its explanation.
func TestExplainRowsAddUpToTheLine(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		fx, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		svc := service(db, seeds.RankingFixtureNow)
		q3, _ := reports.ParsePeriod("2026-Q3")
		for _, code := range []string{"990101", "990102", "990201", "990202", "990301", "990302", "9901", "9902"} {
			ex, err := svc.Explain(ctx, models.ScopeAll, q3, fx.Units[code].ID)
			require.NoError(t, err, code)
			it := ex.Item
			require.Equal(t, code, it.UnitCode)
			var scored, earned, possible, critical int64
			for _, r := range ex.Inspections {
				if r.Scored {
					scored++
					earned += int64(r.Earned)
					possible += int64(r.Possible)
				}
				critical += r.CriticalFailures
			}
			site := it.Dimensions[reports.DimSite]
			assert.Equal(t, site.Count, scored, code)
			assert.Equal(t, site.Facts["earned"], earned, code)
			assert.Equal(t, site.Facts["possible"], possible, code)
			assert.Equal(t, site.Facts["critical_failures"], critical, code)

			var onTime int64
			for _, r := range ex.Rectifications {
				if r.OnTime {
					onTime++
				}
			}
			rect := it.Dimensions[reports.DimRectification]
			assert.Equal(t, rect.Count, int64(len(ex.Rectifications)), code)
			assert.Equal(t, rect.Facts["on_time"], onTime, code)

			var acked, done, front, certified, due, passed int64
			for _, r := range ex.Staff {
				acked += b2i(r.Acknowledged)
				done += b2i(r.CoursesDone)
				front += b2i(r.Frontline)
				certified += b2i(r.Certified)
				due += b2i(r.OnboardingDue)
				passed += b2i(r.PassedOnTime)
			}
			tr := it.Dimensions[reports.DimTraining]
			assert.Equal(t, tr.Count, int64(len(ex.Staff)), code)
			assert.Equal(t, tr.Facts["acknowledged"], acked, code)
			assert.Equal(t, tr.Facts["courses_done"], done, code)
			assert.Equal(t, it.Dimensions[reports.DimCertification].Count, front, code)
			assert.Equal(t, it.Dimensions[reports.DimCertification].Facts["certified"], certified, code)
			assert.Equal(t, it.Dimensions[reports.DimOnboarding].Count, due, code)
			assert.Equal(t, it.Dimensions[reports.DimOnboarding].Facts["passed"], passed, code)

			var surveys int64
			for _, m := range ex.Metrics {
				surveys += m.Surveys
			}
			assert.Equal(t, it.Dimensions[reports.DimTimeliness].Count, int64(len(ex.Metrics)), code)
			assert.Equal(t, it.Dimensions[reports.DimSatisfaction].Count, surveys, code)

			points := critical * int64(reports.DefaultSettings.Deductions.CriticalFailure)
			for _, o := range ex.Outcomes {
				points += int64(o.Points)
			}
			assert.Equal(t, it.Deductions, min(points, int64(reports.DefaultSettings.DeductionCap)), code)
		}

		// Out of scope is not found, as is a unit that is no branch.
		dongHu := models.Scope{Paths: []string{fx.Units["990101"].Path}}
		_, err = svc.Explain(ctx, dongHu, q3, fx.Units["990201"].ID)
		assert.ErrorIs(t, err, models.ErrNotFound)
		_, err = svc.Explain(ctx, dongHu, q3, fx.Units["9901"].ID)
		assert.ErrorIs(t, err, models.ErrNotFound, "the city above one's branch is outside the scope too")
		_, err = svc.Explain(ctx, models.ScopeAll, q3, fx.Units["990101-01"].ID)
		assert.ErrorIs(t, err, models.ErrNotFound, "an outlet is ranked as part of its branch")
		ex, err := svc.Explain(ctx, dongHu, q3, fx.Units["990101"].ID)
		require.NoError(t, err)
		assert.Equal(t, 1, *ex.Item.Rank)
	})
}

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}
