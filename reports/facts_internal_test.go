package reports

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// The staff tallies of several windows asked together are those of each window asked
// alone, also when the windows differ in the handbook major and in the courses each
// position must have completed. The ranking fixture's hand-computed training scores
// pin the single window; this pins the pass that counts them together.
func TestStaffTalliesTogetherEqualAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		_, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)

		// In Q3: handbook major 9 (Q2 still asks for major 8), and a course for
		// installers only (Q2 asks installers for fewer courses).
		aug := time.Date(2026, 8, 10, 2, 0, 0, 0, time.UTC)
		v2 := models.HandbookVersion{Version: "9.0-rc", Major: 9, Title: "第九版征求意见稿", Body: "…", Status: models.HandbookPublished, PublishedAt: &aug}
		require.NoError(t, db.Create(&v2).Error)
		course := models.Course{Title: "装维规范", Category: "skill", Mode: "online", Status: models.CoursePublished,
			Positions: models.JSONList[string]{models.PositionInstaller}, Materials: models.JSONList[models.Material]{}, PublishedAt: &aug}
		require.NoError(t, db.Create(&course).Error)
		var staff []models.Employee
		require.NoError(t, db.Where("status = ?", models.StatusActive).Order("id").Find(&staff).Error)
		require.NotEmpty(t, staff)
		for i, e := range staff {
			at := aug.Add(time.Duration(i) * 24 * time.Hour) // some before the end of Q3, some after
			if i%2 == 0 {
				require.NoError(t, db.Create(&models.Acknowledgement{EmployeeID: e.ID, VersionID: v2.ID, At: at}).Error)
			}
			if i%3 != 1 {
				require.NoError(t, db.Create(&models.Completion{CourseID: course.ID, EmployeeID: e.ID, At: at, Method: "online"}).Error)
			}
		}

		s := NewService(db, shanghaiForTest(t))
		s.Now = func() time.Time { return seeds.RankingFixtureNow }
		var windows []Window
		for _, name := range []string{"2026-Q3", "2026-Q2", "2026-09", "2026-H1", "2025-Q4"} {
			p, err := ParsePeriod(name)
			require.NoError(t, err)
			w, err := WindowAt(p, s.Now(), s.Loc)
			require.NoError(t, err)
			windows = append(windows, w)
		}
		together, err := s.gatherStaff(ctx, windows)
		require.NoError(t, err)
		for i, w := range windows {
			alone, err := s.gatherStaff(ctx, []Window{w})
			require.NoError(t, err)
			require.Equal(t, alone[0], together[i], w.Period.String())
		}
		require.NotEqual(t, together[0], together[1], "Q3 and Q2 ask for different things")
	})
}

func shanghaiForTest(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return loc
}
