package exams_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

// A wrong key is fixed after attempts were graded: regrading applies the fixed key,
// keeps the earlier score, reports what changed, and leaves alone a question whose new
// version changed its options (that is a different question, not a key fix).
func TestRegradeAfterAKeyFix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		in := fixedInput()
		in.PassPercent = 50
		e := f.exam(in)

		v, _ := f.start(clerk, e.ID)
		byCode := f.byCode(v)
		// The clerk answers S1 with 12345 (the standard says so; the bank's key says 10000)
		// and M1 wrongly; T1 right; F1 blank: 10 of 40 points, failed.
		require.NoError(t, f.save(clerk, v.ID, byCode["S1"].ID, 1, []int{2}, ""))
		require.NoError(t, f.save(clerk, v.ID, byCode["M1"].ID, 1, []int{1}, ""))
		require.NoError(t, f.save(clerk, v.ID, byCode["T1"].ID, 1, []int{0}, ""))
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Equal(t, 10, f.attempt(v.ID).Points)
		require.False(t, f.attempt(v.ID).Passed)

		// The trainer fixes S1's key (a new version: the old one was used) and rewrites
		// M1 with other options (not a key fix).
		s1 := bank["S1"]
		_, err = f.svc.UpdateQuestion(f.ctx, trainer, s1.ID, exams.QuestionInput{Kind: s1.Kind, Category: s1.Category,
			Difficulty: s1.Difficulty, Stem: s1.Stem, Options: s1.Options, Answer: []int{2}, Explanation: "应为 12345。", Rule: s1.Rule})
		require.NoError(t, err)
		m1 := bank["M1"]
		_, err = f.svc.UpdateQuestion(f.ctx, trainer, m1.ID, exams.QuestionInput{Kind: m1.Kind, Category: m1.Category,
			Difficulty: m1.Difficulty, Stem: m1.Stem, Options: []string{"收费标准", "员工工资", "服务热线", "办理流程"}, Answer: []int{1, 3},
			Explanation: "另一道题", Rule: m1.Rule})
		require.NoError(t, err)

		res, err := f.svc.Regrade(f.ctx, trainer, e.ID)
		require.NoError(t, err)
		require.Equal(t, &exams.RegradeResult{Attempts: 1, Changed: 1, Passed: 1}, res)
		a := f.attempt(v.ID)
		require.Equal(t, 20, a.Points)
		require.True(t, a.Passed)
		var kept models.Regrade
		require.NoError(t, db.Where("attempt_id = ?", v.ID).Take(&kept).Error)
		require.Equal(t, 10, kept.OldPoints)
		require.False(t, kept.OldPassed)
		require.Equal(t, 20, kept.NewPoints)
		require.EqualValues(t, 1, f.audits("regrade", "exam", e.ID))

		// Regrading again changes nothing (and says so).
		res, err = f.svc.Regrade(f.ctx, trainer, e.ID)
		require.NoError(t, err)
		require.Equal(t, &exams.RegradeResult{Attempts: 1}, res)
		require.EqualValues(t, 1, f.count(&models.Regrade{}, "attempt_id = ?", v.ID))
	})
}
