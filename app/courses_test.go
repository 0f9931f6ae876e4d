package app_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// TestCourseFlow walks R8.2–R8.4 through the API: a trainer publishes an online and a
// face-to-face course, the demo window clerk completes one online and signs in to a
// session of the other with the code the trainer opened, sees their onboarding
// progress, and the manager downloads the overdue list of their branch.
func TestCourseFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr, emp, mgr := e.login(trainer), e.login(employee), e.login(manager)

		// The trainer writes an online course for window staff and publishes it.
		res := tr.do(http.MethodPost, "/api/v1/courses", training.CourseInput{Title: "窗口业务流程", Category: models.CourseTechnical,
			Mode: models.ModeOnline, Positions: []string{models.PositionWindow},
			Materials: []models.Material{{Title: "流程图", URL: "https://example.com/flow.pdf"}}})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var online models.Course
		res.JSON(t, &online)
		assert.Equal(t, models.CourseDraft, online.Status)
		assert.Equal(t, http.StatusNotFound, emp.do(http.MethodGet, withID("/api/v1/courses/:id", online.ID), nil).Code, "drafts are hidden")
		res = tr.do(http.MethodPost, withID("/api/v1/courses/:id/publish", online.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)

		// The clerk completes it once; a retry returns the same completion and writes nothing.
		before := e.auditCount()
		res = emp.do(http.MethodPost, withID("/api/v1/courses/:id/complete", online.ID), nil)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var first models.Completion
		res.JSON(t, &first)
		res = emp.do(http.MethodPost, withID("/api/v1/courses/:id/complete", online.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var again models.Completion
		res.JSON(t, &again)
		assert.Equal(t, first.ID, again.ID)
		assert.Equal(t, before+1, e.auditCount(), "one audit event for one completion")

		// A session of the etiquette course; the trainer opens a code, the clerk signs in.
		etiquette := e.course(seeds.EtiquetteCourseTitle)
		res = tr.do(http.MethodPost, withID("/api/v1/courses/:id/sessions", etiquette), sessionBody(e))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var sess models.CourseSession
		res.JSON(t, &sess)
		res = tr.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in-code", sess.ID), nil)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var code training.SignInCode
		res.JSON(t, &code)
		require.Len(t, code.Code, 6)
		res = emp.do(http.MethodGet, withID("/api/v1/courses/:id", etiquette), nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.NotContains(t, res.Body, code.Code, "the code is never shown to employees")

		wrong := "000000"
		if code.Code == wrong {
			wrong = "111111"
		}
		res = emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess.ID), map[string]string{"code": wrong})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		var p app.Problem
		res.JSON(t, &p)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "code", p.Errors[0].Field)
		assert.Equal(t, "签到码不正确", p.Errors[0].Message)
		res = emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess.ID), map[string]string{"code": code.Code})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var att training.Attended
		res.JSON(t, &att)
		assert.Equal(t, models.AttendanceSelf, att.Attendance.Method)
		assert.Equal(t, etiquette, att.Completion.CourseID)

		// The clerk's onboarding progress: the seeded plan's two courses and the exam.
		res = emp.do(http.MethodGet, "/api/v1/me/onboarding", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var prog training.OnboardingProgress
		res.JSON(t, &prog)
		require.Len(t, prog.Courses, 2)
		assert.Equal(t, seeds.BasicsCourseTitle, prog.Courses[0].Title)
		require.NotNil(t, prog.Exam)
		assert.False(t, prog.Done)

		// The trainer adds the online course to the plan.
		res = tr.do(http.MethodGet, "/api/v1/onboarding/plan", nil)
		require.Equal(t, http.StatusOK, res.Code)
		var plan training.PlanView
		res.JSON(t, &plan)
		ids := []uint{online.ID}
		for _, c := range plan.Courses {
			ids = append(ids, c.ID)
		}
		res = tr.do(http.MethodPut, "/api/v1/onboarding/plan", map[string]any{"course_ids": ids})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res.JSON(t, &plan)
		assert.Len(t, plan.Courses, 3)
		assert.Equal(t, 30, plan.DueDays)
		res = tr.do(http.MethodPut, "/api/v1/onboarding/plan", map[string]any{"due_days": 0})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)

		// The manager's overdue list and its workbook hold 东湖区's new hire, never 濂溪区's.
		e.overdueHires()
		res = mgr.do(http.MethodGet, "/api/v1/onboarding/overdue?unit_id="+idStr(e.unit("360102-01")), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var list training.OverdueList
		res.JSON(t, &list)
		var jobs []string
		for _, r := range list.Items {
			jobs = append(jobs, r.JobNumber)
			if r.JobNumber == "OVD360102-01" {
				assert.Equal(t, 3, r.CoursesRequired, "window staff take all three courses")
				assert.Equal(t, 0, r.CoursesDone)
			}
		}
		assert.Contains(t, jobs, "OVD360102-01")
		assert.Equal(t, http.StatusBadRequest, mgr.do(http.MethodGet, "/api/v1/onboarding/overdue?unit_id=abc", nil).Code)

		res = mgr.do(http.MethodGet, "/api/v1/onboarding/overdue.xlsx", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		x, err := excelize.OpenReader(strings.NewReader(res.Body))
		require.NoError(t, err)
		defer x.Close()
		assert.Equal(t, []string{training.OverdueSheet}, x.GetSheetList())
		rows, err := x.GetRows(training.OverdueSheet)
		require.NoError(t, err)
		require.NotEmpty(t, rows)
		assert.Equal(t, training.OverdueColumns, rows[0])
		var found bool
		for _, r := range rows[1:] {
			assert.True(t, strings.HasPrefix(r[2], "360102"), "the manager's workbook holds %s of %s", r[0], r[2])
			if r[0] == "OVD360102-01" {
				found = true
				assert.Equal(t, []string{"窗口", "0", "3", "未通过"}, []string{r[4], r[8], r[9], r[10]})
			}
		}
		assert.True(t, found, "the 东湖区 new hire is in the workbook")
	})
}
