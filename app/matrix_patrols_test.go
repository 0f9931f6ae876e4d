package app_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/patrols"
)

// patrolCallers read plans and coverage; patrolPlannerCallers make plans.
var (
	patrolCallers        = []string{admin, inspector, manager}
	patrolPlannerCallers = []string{admin, inspector}
)

// patrolTplCode is the published checklist the matrix's plans use.
const patrolTplCode = "MATRIX-PATROL"

// patrolMatrixRows are the rows of patrol plans, coverage and the settings: admins plan
// for any inspector covering the unit, inspectors for themselves; managers read their
// subtree; a plan of 濂溪区 is a 404 for the inspector of 南昌 and the manager of 东湖区.
// Every staff role reads the settings; only the province's admin changes them.
func patrolMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/patrol-plans", want: only(ok, patrolCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.freshPlan("360402")
				e.freshPlan("360102")
				return "/api/v1/patrol-plans?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[patrols.PlanView]
				res.JSON(t, &list)
				require.NotZero(t, list.Total)
				for _, p := range list.Items {
					assert.True(t, inScope(e, as, e.units[p.UnitCode].Path), "%s sees the plan of %s", as, p.UnitCode)
					assert.Equal(t, p.Coverage.Planned, p.Coverage.Done+p.Coverage.Missed+p.Coverage.Pending)
				}
			}},
		{method: post, route: "/api/v1/patrol-plans", name: "in 360102", want: only(created, patrolPlannerCallers...),
			prep: func(e *env, _ string) (string, any) { return "/api/v1/patrol-plans", e.planBody("360102", "inspector") }},
		{method: post, route: "/api/v1/patrol-plans", name: "in 360402 for the inspector of 南昌", want: only(invalid, patrolPlannerCallers...),
			prep: func(e *env, _ string) (string, any) { return "/api/v1/patrol-plans", e.planBody("360402", "inspector") }},
		{method: get, route: "/api/v1/patrol-plans/:id", name: "in 360102", want: only(ok, patrolCallers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/patrol-plans/:id", e.freshPlan("360102").ID), nil
			}},
		{method: get, route: "/api/v1/patrol-plans/:id", name: "in 360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/patrol-plans/:id", e.freshPlan("360402").ID), nil
			}},
		{method: post, route: "/api/v1/patrol-plans/:id/stops", name: "in 360102", want: only(ok, patrolPlannerCallers...),
			prep: func(e *env, _ string) (string, any) {
				p := e.freshPlan("360102")
				return withID("/api/v1/patrol-plans/:id/stops", p.ID), patrols.StopsInput{Stops: []patrols.StopInput{{OrgUnitID: e.unit("360102-02"), DueOn: inDays(5)}}}
			}},
		{method: post, route: "/api/v1/patrol-plans/:id/stops", name: "in 360402", want: only(ok, admin).but(notFound, inspector),
			prep: func(e *env, _ string) (string, any) {
				p := e.freshPlan("360402")
				return withID("/api/v1/patrol-plans/:id/stops", p.ID), patrols.StopsInput{Stops: []patrols.StopInput{{OrgUnitID: e.unit("360402-02"), DueOn: inDays(5)}}}
			}},
		{method: del, route: "/api/v1/patrol-plans/:id/stops/:stop_id", name: "in 360102", want: only(ok, patrolPlannerCallers...),
			prep: func(e *env, _ string) (string, any) { return e.stopURL(e.freshPlan("360102")), nil }},
		{method: del, route: "/api/v1/patrol-plans/:id/stops/:stop_id", name: "in 360402", want: only(ok, admin).but(notFound, inspector),
			prep: func(e *env, _ string) (string, any) { return e.stopURL(e.freshPlan("360402")), nil }},
		{method: get, route: "/api/v1/patrol-coverage", want: only(ok, patrolCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.freshPlan("360102")
				return "/api/v1/patrol-coverage?from=" + inDays(-1).String() + "&to=" + inDays(30).String(), nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var rep patrols.CoverageReport
				res.JSON(t, &rep)
				require.NotEmpty(t, rep.Branches)
				for _, b := range rep.Branches {
					assert.True(t, inScope(e, as, e.units[b.Code].Path), "%s sees branch %s", as, b.Code)
				}
				assert.NotZero(t, rep.Total.Planned)
			}},
		{method: get, route: "/api/v1/patrol-coverage", name: "without dates", want: only(http.StatusBadRequest, patrolCallers...),
			prep: static("/api/v1/patrol-coverage")},
		{method: get, route: "/api/v1/patrol-coverage.xlsx", want: only(ok, patrolCallers...),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/patrol-coverage.xlsx?from=" + inDays(-1).String() + "&to=" + inDays(30).String(), nil
			}},
		{method: get, route: "/api/v1/settings/inspections", want: only(ok, staff...), prep: static("/api/v1/settings/inspections"),
			check: func(t *testing.T, _ *env, _ string, res response) {
				assert.Contains(t, res.Body, `"statement_working_days":`)
			}},
		{method: put, route: "/api/v1/settings/inspections", want: only(ok, admin), noAudit: "the values it had: nothing changed",
			prep: func(*env, string) (string, any) {
				return "/api/v1/settings/inspections", map[string]int{"statement_working_days": 5}
			}},
		{method: put, route: "/api/v1/settings/inspections", name: "out of range", want: only(invalid, admin),
			prep: func(*env, string) (string, any) {
				return "/api/v1/settings/inspections", map[string]int{"pass_mark": 0}
			}},
	}
}

// inDays is the date n days from today in Shanghai.
func inDays(n int) models.Date {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	return models.DateOf(time.Now().In(loc).AddDate(0, 0, n))
}

// planBody is a plan of the unit with code for the user username, visiting the unit's
// first outlet.
func (e *env) planBody(unitCode, username string) patrols.PlanInput {
	e.patrolTemplate()
	u, err := models.GetUserByUsername(context.Background(), e.db, username)
	require.NoError(e.t, err)
	return patrols.PlanInput{Title: fmt.Sprintf("巡查 %d", uniq()), InspectorID: u.ID, OrgUnitID: e.unit(unitCode), TemplateCode: patrolTplCode,
		StartsOn: inDays(-3), EndsOn: inDays(27), Stops: []patrols.StopInput{{OrgUnitID: e.unit(unitCode + "-01"), DueOn: inDays(10)}}}
}

// freshPlan makes a plan for one request: 东湖区's for the demo inspector, others for a
// province-wide inspector.
func (e *env) freshPlan(unitCode string) *patrols.PlanView {
	e.t.Helper()
	username := "inspector"
	if unitCode != "360102" {
		username = "inspector-36"
		fixtureUser(e, username, models.RoleInspector, "36")
	}
	svc := patrols.NewService(e.db, time.UTC)
	v, err := svc.Create(context.Background(), patrols.Caller{Actor: models.SystemActor, Scope: models.ScopeAll, Admin: models.ScopeAll}, e.planBody(unitCode, username))
	require.NoError(e.t, err)
	return v
}

// stopURL targets the first stop of plan v.
func (e *env) stopURL(v *patrols.PlanView) string {
	require.NotEmpty(e.t, v.Stops)
	return fmt.Sprintf("/api/v1/patrol-plans/%d/stops/%d", v.ID, v.Stops[0].ID)
}

// patrolTemplate publishes the checklist the matrix's plans use, once.
func (e *env) patrolTemplate() {
	var t models.ChecklistTemplate
	err := e.db.Where("code = ?", patrolTplCode).Take(&t).Error
	if err == nil {
		return
	}
	require.True(e.t, errors.Is(err, gorm.ErrRecordNotFound), "%v", err)
	require.NoError(e.t, e.db.Create(&models.ChecklistTemplate{Code: patrolTplCode, Version: 1, Title: "矩阵检查表", Status: models.TemplatePublished, PassMark: 80}).Error)
}
