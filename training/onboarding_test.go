package training_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// onboardingFixture is the plan (courses A for everyone and B for window staff, both
// online, and the onboarding exam; 30 days, window 180) on 2026-06-30 with these hires:
//
//	N1 window 360102-01 2026-05-01  nothing done            overdue 30 days, 0/2
//	N2 window 360102-01 2026-05-10  A, B, exam passed       done
//	N3 installer 360102 2026-05-15  A, exam failed          overdue, 1/1
//	N4 window 360102-01 2026-06-15  nothing                 not yet due
//	N5 window 360102-01 2025-06-01  nothing                 hired before the window
//	N6 marketing 360402-01 2026-04-01 nothing               overdue (another city)
//	N7 window 360102-01 2026-05-01 left                     not active
//	N8 installer 360102 2026-05-31  nothing                 due today: not overdue yet
//	N9 installer 360102 2026-05-30  A, B done (B not his)   exam missing: overdue 1 day
//
// Its svc is on a clock at onboardingToday.
type onboardingFixture struct {
	*fixture
	exam uint
	a, b *models.Course
}

var onboardingToday = time.Date(2026, 6, 30, 10, 0, 0, 0, time.UTC)

func newOnboardingFixture(t *testing.T, db *gorm.DB) *onboardingFixture {
	f := newFixture(t, db)
	_, err := seeds.LoadQuestionBank(f.ctx, db)
	require.NoError(t, err)
	_, err = seeds.LoadExams(f.ctx, db, onboardingToday)
	require.NoError(t, err)
	f.svc = courseService(db, &fakeClock{onboardingToday})
	o := &onboardingFixture{fixture: f}
	list, err := models.ListExams(f.ctx, db, true, models.Page{})
	require.NoError(t, err)
	for _, e := range list.Items {
		if e.Title == seeds.OnboardingExamTitle {
			o.exam = e.ID
		}
	}
	require.NotZero(t, o.exam)
	o.a = publishedCourse(f, o.svc, "公司基础知识", models.CourseBasics, models.ModeOnline)
	o.b = publishedCourse(f, o.svc, "窗口业务", models.CourseTechnical, models.ModeOnline, models.PositionWindow)
	courses := []uint{o.a.ID, o.b.ID}
	_, err = o.svc.SavePlan(f.ctx, actor, training.PlanInput{CourseIDs: &courses, ExamID: &o.exam})
	require.NoError(t, err)

	o.hire("N1", "360102-01", models.PositionWindow, "2026-05-01", models.StatusActive)
	o.hire("N2", "360102-01", models.PositionWindow, "2026-05-10", models.StatusActive, o.a, o.b)
	o.attempt("N2", true)
	o.hire("N3", "360102", models.PositionInstaller, "2026-05-15", models.StatusActive, o.a)
	o.attempt("N3", false)
	o.hire("N4", "360102-01", models.PositionWindow, "2026-06-15", models.StatusActive)
	o.hire("N5", "360102-01", models.PositionWindow, "2025-06-01", models.StatusActive)
	o.hire("N6", "360402-01", models.PositionMarketing, "2026-04-01", models.StatusActive)
	o.hire("N7", "360102-01", models.PositionWindow, "2026-05-01", models.StatusLeft)
	o.hire("N8", "360102", models.PositionInstaller, "2026-05-31", models.StatusActive)
	o.hire("N9", "360102", models.PositionInstaller, "2026-05-30", models.StatusActive, o.a, o.b)
	return o
}

// hire adds an employee hired on date who completed the given courses.
func (o *onboardingFixture) hire(job, unitCode, position, date, status string, done ...*models.Course) {
	o.t.Helper()
	d, err := models.ParseDate(date)
	require.NoError(o.t, err)
	e := &models.Employee{JobNumber: job, Name: "新员工" + job, OrgUnitID: o.unit(unitCode).ID, Position: position,
		HireDate: d, Status: status, Phone: "13900000000"}
	require.NoError(o.t, o.db.Omit("OrgUnit").Create(e).Error)
	o.emp[job] = e.ID
	for _, c := range done {
		require.NoError(o.t, o.db.Omit("Course", "Employee").Create(&models.Completion{CourseID: c.ID, EmployeeID: e.ID,
			At: d.Time().Add(48 * time.Hour), Method: models.CompletedOnline}).Error)
	}
}

// attempt stores a submitted attempt of job at the onboarding exam.
func (o *onboardingFixture) attempt(job string, passed bool) {
	o.t.Helper()
	at := onboardingToday.AddDate(0, 0, -20)
	require.NoError(o.t, o.db.Omit("Exam", "Employee").Create(&models.Attempt{ExamID: o.exam, EmployeeID: *o.id(job), Number: 1,
		Status: models.AttemptSubmitted, StartedAt: at, Deadline: at.Add(30 * time.Minute), SubmittedAt: &at,
		Points: 50, MaxPoints: 100, Passed: passed}).Error)
}

func jobs(rows []training.OverdueRow) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.JobNumber)
	}
	return out
}

func TestOnboardingPlanValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		svc := courseService(db, &fakeClock{onboardingToday})
		p, err := svc.GetPlan(f.ctx)
		require.NoError(t, err)
		assert.Equal(t, training.PlanView{DueDays: 30, WindowDays: 180, Courses: []training.CourseRef{}}, *p, "defaults before any save")

		draft, err := svc.CreateCourse(f.ctx, actor, training.CourseInput{Title: "草稿", Category: models.CourseBasics, Mode: models.ModeOnline})
		require.NoError(t, err)
		zero, short, missing := 0, 20, uint(999999)
		ids := []uint{draft.ID}
		_, err = svc.SavePlan(f.ctx, actor, training.PlanInput{DueDays: &zero, CourseIDs: &ids, ExamID: &missing})
		assert.Equal(t, []string{"due_days:out_of_range", "course_ids:course_not_published", "exam_id:not_found"}, fieldCodes(t, err))
		due := 45
		_, err = svc.SavePlan(f.ctx, actor, training.PlanInput{DueDays: &due, WindowDays: &short})
		assert.Equal(t, []string{"window_days:out_of_range"}, fieldCodes(t, err), "the window must hold the due period")
		assert.Zero(t, f.count(&models.OnboardingPlan{}))

		c := publishedCourse(f, svc, "公司基础知识", models.CourseBasics, models.ModeOnline)
		ids = []uint{c.ID, c.ID}
		p, err = svc.SavePlan(f.ctx, actor, training.PlanInput{DueDays: &due, CourseIDs: &ids})
		require.NoError(t, err)
		assert.True(t, p.Saved)
		assert.Equal(t, 45, p.DueDays)
		require.Len(t, p.Courses, 1, "duplicates dropped")
		window := 365
		p, err = svc.SavePlan(f.ctx, actor, training.PlanInput{WindowDays: &window})
		require.NoError(t, err)
		assert.Equal(t, 45, p.DueDays, "an omitted field keeps its value")
		assert.Equal(t, 365, p.WindowDays)
		assert.Len(t, p.Courses, 1)
		assert.Equal(t, int64(1), f.count(&models.OnboardingPlan{}), "one plan row")
		assert.Equal(t, int64(2), f.count(&models.AuditEvent{}, "entity = ?", "onboarding_plan"))
	})
}

func TestOnboardingProgress(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		o := newOnboardingFixture(t, db)
		progress := func(job string) *training.OnboardingProgress {
			p, err := o.svc.Progress(o.ctx, o.id(job))
			require.NoError(t, err)
			return p
		}
		n1 := progress("N1")
		assert.Equal(t, "2026-05-31", n1.DueDate.String())
		assert.True(t, n1.Tracked)
		assert.False(t, n1.Done)
		assert.True(t, n1.Overdue)
		require.Len(t, n1.Courses, 2)
		assert.False(t, n1.Courses[0].Done)
		require.NotNil(t, n1.Exam)
		assert.False(t, n1.Exam.Passed)

		n2 := progress("N2")
		assert.True(t, n2.Done)
		assert.False(t, n2.Overdue)
		assert.True(t, n2.Courses[0].Done && n2.Courses[1].Done && n2.Exam.Passed)

		n3 := progress("N3")
		require.Len(t, n3.Courses, 1, "course B is for window staff only")
		assert.True(t, n3.Courses[0].Done)
		assert.False(t, n3.Exam.Passed, "a failed attempt does not count")
		assert.True(t, n3.Overdue)

		assert.False(t, progress("N4").Overdue, "not due yet")
		n5 := progress("N5")
		assert.False(t, n5.Tracked)
		assert.False(t, n5.Overdue, "hired before the plan's window")
		assert.False(t, progress("N8").Overdue, "due today")
		assert.True(t, progress("N9").Overdue)

		_, err := o.svc.Progress(o.ctx, nil)
		assert.Equal(t, "no_employee", conflictCode(t, err))
	})
}

func TestOverdueList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		o := newOnboardingFixture(t, db)

		all, err := o.svc.Overdue(o.ctx, models.ScopeAll, training.OverdueFilter{}, models.Page{})
		require.NoError(t, err)
		assert.Equal(t, int64(4), all.Total)
		assert.Equal(t, []string{"N6", "N1", "N3", "N9"}, jobs(all.Items), "earliest hire first")
		assert.Equal(t, "2026-06-30", all.Today.String())
		n1 := all.Items[1]
		assert.Equal(t, training.OverdueRow{EmployeeID: *o.id("N1"), JobNumber: "N1", Name: "新员工N1", Position: models.PositionWindow,
			UnitCode: "360102-01", UnitName: o.unit("360102-01").Name, HireDate: models.Date{Year: 2026, Month: 5, Day: 1},
			DueDate: models.Date{Year: 2026, Month: 5, Day: 31}, DaysOverdue: 30, CoursesDone: 0, CoursesRequired: 2}, n1)
		assert.Equal(t, [3]any{1, 1, false}, [3]any{all.Items[2].CoursesDone, all.Items[2].CoursesRequired, all.Items[2].ExamPassed}, "N3")
		assert.Equal(t, [3]any{1, 1, 1}, [3]any{all.Items[3].CoursesDone, all.Items[3].CoursesRequired, all.Items[3].DaysOverdue}, "N9")

		page, err := o.svc.Overdue(o.ctx, models.ScopeAll, training.OverdueFilter{}, models.Page{Page: 2, PerPage: 3})
		require.NoError(t, err)
		assert.Equal(t, int64(4), page.Total)
		assert.Equal(t, []string{"N9"}, jobs(page.Items))

		// The manager of 东湖区 sees their branch only; 濂溪区 is out of reach.
		mgr := o.scope("360102")
		mine, err := o.svc.Overdue(o.ctx, mgr, training.OverdueFilter{}, models.Page{})
		require.NoError(t, err)
		assert.Equal(t, []string{"N1", "N3", "N9"}, jobs(mine.Items))
		_, err = o.svc.Overdue(o.ctx, mgr, training.OverdueFilter{UnitID: o.unit("360402").ID}, models.Page{})
		assert.ErrorIs(t, err, models.ErrNotFound)
		outlet, err := o.svc.Overdue(o.ctx, models.ScopeAll, training.OverdueFilter{UnitID: o.unit("360102-01").ID}, models.Page{})
		require.NoError(t, err)
		assert.Equal(t, []string{"N1"}, jobs(outlet.Items))

		// Finishing the plan takes N9 off the list; removing the exam from the plan takes N3 off too.
		require.NoError(t, db.Create(&models.Attempt{ExamID: o.exam, EmployeeID: *o.id("N9"), Number: 1, Status: models.AttemptSubmitted,
			StartedAt: onboardingToday, Deadline: onboardingToday, Passed: true}).Error)
		noExam := uint(0)
		_, err = o.svc.SavePlan(o.ctx, actor, training.PlanInput{ExamID: &noExam})
		require.NoError(t, err)
		all, err = o.svc.Overdue(o.ctx, models.ScopeAll, training.OverdueFilter{}, models.Page{})
		require.NoError(t, err)
		assert.Equal(t, []string{"N6", "N1"}, jobs(all.Items))
	})
}

// TestOverdueTodayInBeijing: "today" of the plan is the date in Beijing, not in UTC —
// at 00:30 on 1 July Beijing time (16:30 UTC on 30 June) N1 is 31 days overdue.
func TestOverdueTodayInBeijing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		o := newOnboardingFixture(t, db)
		o.svc.Now = func() time.Time { return time.Date(2026, 6, 30, 16, 30, 0, 0, time.UTC) }
		all, err := o.svc.Overdue(o.ctx, models.ScopeAll, training.OverdueFilter{}, models.Page{})
		require.NoError(t, err)
		assert.Equal(t, "2026-07-01", all.Today.String())
		require.Equal(t, "N1", all.Items[1].JobNumber)
		assert.Equal(t, 31, all.Items[1].DaysOverdue)
	})
}

func TestOverdueWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		o := newOnboardingFixture(t, db)
		var buf bytes.Buffer
		require.NoError(t, o.svc.WriteOverdueWorkbook(o.ctx, o.scope("360102"), training.OverdueFilter{}, &buf))
		x, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x.Close()
		assert.Equal(t, []string{training.OverdueSheet}, x.GetSheetList())
		rows, err := x.GetRows(training.OverdueSheet)
		require.NoError(t, err)
		require.Len(t, rows, 4)
		assert.Equal(t, training.OverdueColumns, rows[0])
		assert.Equal(t, []string{"N1", "新员工N1", "360102-01", o.unit("360102-01").Name, "窗口", "2026-05-01", "2026-05-31", "30", "0", "2", "未通过"}, rows[1])
		assert.Equal(t, "N3", rows[2][0], "job-number order")
		assert.Equal(t, "N9", rows[3][0])

		_, err = o.svc.Overdue(o.ctx, o.scope("360102"), training.OverdueFilter{UnitID: o.unit("360402").ID}, models.Page{})
		assert.ErrorIs(t, err, models.ErrNotFound)
		err = o.svc.WriteOverdueWorkbook(o.ctx, o.scope("360102"), training.OverdueFilter{UnitID: o.unit("360402").ID}, &bytes.Buffer{})
		assert.ErrorIs(t, err, models.ErrNotFound)
	})
}
