package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// The seeded courses and plan, and demo completions that leave the overdue list with
// both finished and overdue new hires.
func TestLoadCoursesAndDemoTraining(t *testing.T) {
	ctx := context.Background()
	db := dbtest.SQLite(t)
	now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadQuestionBank(ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadExams(ctx, db, now)
	require.NoError(t, err)
	n, err := seeds.LoadCourses(ctx, db)
	require.NoError(t, err)
	assert.Equal(t, 3, n)
	n, err = seeds.LoadCourses(ctx, db)
	require.NoError(t, err)
	assert.Zero(t, n, "a second load does nothing")

	svc := training.NewService(db, time.UTC)
	svc.Now = func() time.Time { return now }
	plan, err := svc.GetPlan(ctx)
	require.NoError(t, err)
	assert.Equal(t, 30, plan.DueDays)
	require.Len(t, plan.Courses, 2)
	assert.Equal(t, []string{seeds.BasicsCourseTitle, seeds.EthicsCourseTitle}, []string{plan.Courses[0].Title, plan.Courses[1].Title})
	require.NotNil(t, plan.Exam)
	assert.Equal(t, seeds.OnboardingExamTitle, plan.Exam.Title)

	_, err = seeds.LoadDemoIn(ctx, db, "demo-pass-123", "3601")
	require.NoError(t, err)
	made, err := seeds.LoadDemoTraining(ctx, db, now)
	require.NoError(t, err)
	assert.Positive(t, made)
	made, err = seeds.LoadDemoTraining(ctx, db, now)
	require.NoError(t, err)
	assert.Zero(t, made, "a second load does nothing")

	list, err := svc.Overdue(ctx, models.ScopeAll, training.OverdueFilter{}, models.Page{PerPage: models.MaxPerPage})
	require.NoError(t, err)
	assert.Positive(t, list.Total, "some new hires are overdue")
	var partly int
	for _, r := range list.Items {
		if r.CoursesDone == r.CoursesRequired && !r.ExamPassed {
			partly++
		}
	}
	assert.Positive(t, partly, "some finished the courses but not the exam")
	var passed int64
	require.NoError(t, db.Model(&models.Attempt{}).Where("exam_id = ? AND passed = ?", plan.Exam.ID, true).Count(&passed).Error)
	assert.Positive(t, passed, "some passed the onboarding exam and are off the list")
}
