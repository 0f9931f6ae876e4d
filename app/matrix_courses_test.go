package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/seeds"
	"quality/training"
)

// courseEditors write courses, hold sessions and set the onboarding plan.
var courseEditors = []string{admin, trainer}

// matrixSignInCode is the code the matrix's sessions open for self sign-in.
const matrixSignInCode = "135790"

// courseMatrixRows are the rows of courses and onboarding: everyone signed in reads the
// published courses and completes online ones with their own employee (the admin has
// none: 409); trainers and admins write, hold sessions and mark attendance; staff see
// the overdue new hires of their subtree only (the manager and the inspector never see
// 濂溪区, and asking for it is a 404). The demo employees of the trainer, inspector and
// manager hold positions the etiquette course is not meant for (409 on sign-in).
func courseMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/courses", prep: static("/api/v1/courses?per_page=200"), want: signedIn(ok),
			check: func(t *testing.T, _ *env, as string, res response) {
				var list models.List[models.Course]
				res.JSON(t, &list)
				assert.GreaterOrEqual(t, list.Total, int64(3), "%s: the seeded courses", as)
				for _, c := range list.Items {
					if as != admin && as != trainer {
						assert.Equal(t, models.CoursePublished, c.Status, "%s sees draft %s", as, c.Title)
					}
				}
			}},
		{method: get, route: "/api/v1/courses/:id", name: "published", want: signedIn(ok),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id", e.course(seeds.EtiquetteCourseTitle)), nil
			}},
		{method: get, route: "/api/v1/courses/:id", name: "draft", want: signedIn(notFound).but(ok, courseEditors...),
			prep: freshCourseDraft("/api/v1/courses/:id", nil)},
		{method: post, route: "/api/v1/courses", want: only(created, courseEditors...),
			prep: func(*env, string) (string, any) { return "/api/v1/courses", newCourseBody() }},
		{method: post, route: "/api/v1/courses", name: "invalid", want: only(invalid, courseEditors...),
			prep: func(*env, string) (string, any) {
				return "/api/v1/courses", map[string]any{"title": "", "category": "basics", "mode": "online"}
			}},
		{method: put, route: "/api/v1/courses/:id", name: "draft", want: only(ok, courseEditors...),
			prep: freshCourseDraft("/api/v1/courses/:id", newCourseBody())},
		{method: put, route: "/api/v1/courses/:id", name: "published", want: only(conflict, courseEditors...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id", e.course(seeds.BasicsCourseTitle)), newCourseBody()
			}},
		{method: post, route: "/api/v1/courses/:id/publish", want: only(ok, courseEditors...),
			prep: freshCourseDraft("/api/v1/courses/:id/publish", nil)},
		{method: post, route: "/api/v1/courses/:id/sessions", want: only(created, courseEditors...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id/sessions", e.course(seeds.EtiquetteCourseTitle)), sessionBody(e)
			}},
		{method: post, route: "/api/v1/courses/:id/complete", name: "online, first", want: signedIn(created).but(conflict, admin),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id/complete", e.course(seeds.BasicsCourseTitle)), nil
			}},
		{method: post, route: "/api/v1/courses/:id/complete", name: "online, again", want: signedIn(ok).but(conflict, admin), noAudit: "a repeat answers the stored completion",
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id/complete", e.course(seeds.BasicsCourseTitle)), nil
			}},
		{method: post, route: "/api/v1/courses/:id/complete", name: "face-to-face", want: signedIn(conflict),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/courses/:id/complete", e.course(seeds.EtiquetteCourseTitle)), nil
			}},

		{method: post, route: "/api/v1/sessions/:id/attendance", want: only(created, courseEditors...),
			// The employee's first attendance also completes the course: its completion is audited too.
			auditsAs: map[string]int64{admin: 2},
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/sessions/:id/attendance", e.freshSession(false)), map[string]any{"employee_id": e.employee("360102-01001")}
			}},
		{method: post, route: "/api/v1/sessions/:id/sign-in-code", want: only(created, courseEditors...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/sessions/:id/sign-in-code", e.freshSession(false)), map[string]any{"minutes": 5}
			}},
		// The session is held at 东湖区: the trainer's (province) and the inspector's (南昌市)
		// employees work above it, so for them it does not exist (404); the manager's
		// employee works there but not in a position the course is for (409).
		{method: post, route: "/api/v1/sessions/:id/sign-in", name: "valid code", want: signedIn(conflict).but(created, employee).but(notFound, trainer, inspector),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/sessions/:id/sign-in", e.freshSession(true)), map[string]any{"code": matrixSignInCode}
			}},
		{method: post, route: "/api/v1/sessions/:id/sign-in", name: "wrong code", want: signedIn(conflict).but(invalid, employee).but(notFound, trainer, inspector),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/sessions/:id/sign-in", e.freshSession(true)), map[string]any{"code": "000000"}
			}},

		{method: get, route: "/api/v1/onboarding/plan", prep: static("/api/v1/onboarding/plan"), want: only(ok, staff...),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var p training.PlanView
				res.JSON(t, &p)
				assert.Equal(t, 30, p.DueDays)
				require.NotNil(t, p.Exam)
				assert.Equal(t, seeds.OnboardingExamTitle, p.Exam.Title)
				assert.Len(t, p.Courses, 2)
			}},
		{method: put, route: "/api/v1/onboarding/plan", want: only(ok, courseEditors...),
			prep: func(*env, string) (string, any) { return "/api/v1/onboarding/plan", map[string]any{"due_days": 30} }},
		{method: get, route: "/api/v1/me/onboarding", prep: static("/api/v1/me/onboarding"), want: signedIn(ok).but(conflict, admin),
			check: func(t *testing.T, _ *env, as string, res response) {
				var p training.OnboardingProgress
				res.JSON(t, &p)
				assert.Len(t, p.Courses, 2, "%s: both plan courses", as)
			}},
		{method: get, route: "/api/v1/onboarding/overdue", name: "every row is in scope", want: only(ok, staff...),
			prep: func(e *env, _ string) (string, any) {
				e.overdueHires()
				return "/api/v1/onboarding/overdue?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list training.OverdueList
				res.JSON(t, &list)
				var codes []string
				for _, r := range list.Items {
					codes = append(codes, r.UnitCode)
					assert.True(t, inScope(e, as, e.units[r.UnitCode].Path), "%s sees overdue %s of %s", as, r.JobNumber, r.UnitCode)
				}
				assert.Contains(t, codes, "360102-01", "%s: the 东湖区 new hire", as)
				if as == admin || as == trainer {
					assert.Contains(t, codes, "360402-01", "%s: the 濂溪区 new hire", as)
				}
			}},
		{method: get, route: "/api/v1/onboarding/overdue", name: "unit_id=360402", want: only(ok, staff...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/onboarding/overdue?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/onboarding/overdue.xlsx", name: "every row is in scope", want: only(ok, staff...),
			prep: func(e *env, _ string) (string, any) {
				e.overdueHires()
				return "/api/v1/onboarding/overdue.xlsx", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				x, err := excelize.OpenReader(strings.NewReader(res.Body))
				require.NoError(t, err)
				defer x.Close()
				rows, err := x.GetRows(training.OverdueSheet)
				require.NoError(t, err)
				require.Greater(t, len(rows), 1, "%s: no rows", as)
				for _, r := range rows[1:] {
					assert.True(t, inScope(e, as, e.units[r[2]].Path), "%s exports overdue %s of %s", as, r[0], r[2])
				}
			}},
		{method: get, route: "/api/v1/onboarding/overdue.xlsx", name: "unit_id=360402", want: only(ok, staff...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/onboarding/overdue.xlsx?unit_id=" + idStr(e.unit("360402")), nil
			}},
	}
}

// course returns the id of the course with title.
func (e *env) course(title string) uint {
	var c models.Course
	require.NoError(e.t, e.db.Where("title = ?", title).Order("id").Take(&c).Error, "course %s", title)
	return c.ID
}

func newCourseBody() training.CourseInput {
	return training.CourseInput{Title: fmt.Sprintf("矩阵课程 %d", uniq()), Category: models.CourseTechnical, Mode: models.ModeOnline,
		Materials: []models.Material{{Title: "讲义", Text: "首问负责（R2.1）。"}}}
}

// freshCourseDraft makes a draft course for this request alone and targets it.
func freshCourseDraft(route string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		c, err := training.NewService(e.db, shanghaiZone(e.t)).CreateCourse(context.Background(), models.SystemActor, newCourseBody())
		require.NoError(e.t, err)
		return withID(route, c.ID), body
	}
}

// sessionBody is a session of tomorrow at 东湖区.
func sessionBody(e *env) training.SessionInput {
	start := time.Now().UTC().Add(24 * time.Hour).Truncate(time.Hour)
	return training.SessionInput{StartsAt: start, EndsAt: start.Add(2 * time.Hour), Place: "东湖区分公司会议室", OrgUnitID: e.unit("360102")}
}

// freshSession makes a session of the etiquette course for this request alone, with
// matrixSignInCode open for ten minutes when open is set.
func (e *env) freshSession(open bool) uint {
	ctx := context.Background()
	svc := training.NewService(e.db, shanghaiZone(e.t))
	svc.NewCode = func() (string, error) { return matrixSignInCode, nil }
	s, err := svc.CreateSession(ctx, models.SystemActor, models.ScopeAll, e.course(seeds.EtiquetteCourseTitle), sessionBody(e))
	require.NoError(e.t, err)
	if open {
		_, err := svc.OpenSignIn(ctx, models.SystemActor, s.ID, training.CodeInput{})
		require.NoError(e.t, err)
	}
	return s.ID
}

// overdueHires makes sure a window clerk of 360102-01 and one of 360402-01, hired 60
// days ago with nothing of the plan done, exist.
func (e *env) overdueHires() {
	hired := models.DateOf(time.Now().In(time.FixedZone("CST", 8*3600)).AddDate(0, 0, -60))
	for _, code := range []string{"360102-01", "360402-01"} {
		job := "OVD" + code
		var n int64
		require.NoError(e.t, e.db.Model(&models.Employee{}).Where("job_number = ?", job).Count(&n).Error)
		if n > 0 {
			continue
		}
		require.NoError(e.t, e.db.Omit("OrgUnit").Create(&models.Employee{JobNumber: job, Name: "逾期新员工", OrgUnitID: e.unit(code),
			Position: models.PositionWindow, HireDate: hired, Status: models.StatusActive, Phone: "13700000000"}).Error)
	}
}
