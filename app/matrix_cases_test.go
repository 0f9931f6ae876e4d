package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/accountability"
	"quality/models"
	"quality/policy"
)

// caseCallers read and act on accountability cases; trainers and employees never see them.
var caseCallers = []string{admin, inspector, manager}

// caseMatrixRows are the rows of accountability cases (R6): the admin, the inspector of
// 南昌市 and the manager of 东湖区 see and act on the cases of their subtree; a case of
// 濂溪区 (九江) is a 404 for the inspector and the manager, and opening one is a 422 on its
// unit; a decision before the statement or its window is a 409.
func caseMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/cases", want: only(ok, caseCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.freshCase("360402", "360402-01001", false)
				e.freshCase("360102", "360102-01001", false)
				return "/api/v1/cases?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[accountability.CaseRow]
				res.JSON(t, &list)
				require.NotZero(t, list.Total)
				seen := map[string]bool{}
				for _, c := range list.Items {
					u := e.units[c.UnitCode]
					assert.True(t, inScope(e, as, u.Path), "%s sees case %s of %s", as, c.Number, c.UnitCode)
					seen[c.UnitCode] = true
				}
				assert.True(t, seen["360102"])
				assert.Equal(t, as == admin, seen["360402"], "%s and the cases of 濂溪区", as)
			}},
		{method: get, route: "/api/v1/cases", name: "unit_id=360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) { return "/api/v1/cases?unit_id=" + idStr(e.unit("360402")), nil }},
		{method: get, route: "/api/v1/cases", name: "awaiting_statement=1", want: only(ok, caseCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.freshCase("360102", "360102-01001", false)
				heard := e.freshCase("360102", "360102-01001", false)
				require.NoError(e.t, e.db.Model(&models.CasePerson{}).Where("case_id = ?", heard.ID).
					Updates(map[string]any{"statement": "已陈述", "statement_at": time.Now().UTC()}).Error)
				return "/api/v1/cases?awaiting_statement=1&per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[accountability.CaseRow]
				res.JSON(t, &list)
				require.NotEmpty(t, list.Items, "%s sees no case awaiting a statement", as)
				for _, c := range list.Items {
					assert.Equal(t, models.CaseOpen, c.Status)
					var waiting int64
					require.NoError(t, e.db.Model(&models.CasePerson{}).Where("case_id = ? AND statement_at IS NULL AND decided_at IS NULL", c.ID).
						Count(&waiting).Error)
					assert.Positive(t, waiting, "%s: case %s has nobody to hear", as, c.Number)
				}
			}},
		{method: get, route: "/api/v1/cases", name: "awaiting_statement=maybe", want: only(http.StatusBadRequest, caseCallers...),
			prep: static("/api/v1/cases?awaiting_statement=maybe")},
		{method: get, route: "/api/v1/cases.xlsx", want: only(ok, caseCallers...), prep: static("/api/v1/cases.xlsx?status=open")},
		{method: get, route: "/api/v1/cases.xlsx", name: "awaiting_statement=1", want: only(ok, caseCallers...), prep: static("/api/v1/cases.xlsx?awaiting_statement=1")},
		{method: post, route: "/api/v1/cases", name: "in 360102", want: only(created, caseCallers...),
			prep: func(e *env, _ string) (string, any) { return "/api/v1/cases", e.caseBody("360102", "360102-01001") }},
		{method: post, route: "/api/v1/cases", name: "in 360402", want: only(created, admin).but(invalid, inspector, manager),
			prep: func(e *env, _ string) (string, any) { return "/api/v1/cases", e.caseBody("360402", "360402-01001") }},
		{method: get, route: "/api/v1/cases/:id", name: "in 360102", want: only(ok, caseCallers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/cases/:id", e.freshCase("360102", "360102-01001", false).ID), nil
			}},
		{method: get, route: "/api/v1/cases/:id", name: "in 360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/cases/:id", e.freshCase("360402", "360402-01001", false).ID), nil
			}},
		{method: post, route: "/api/v1/cases/:id/persons/:person_id/statement", name: "in 360102", want: only(ok, caseCallers...),
			prep: e360102Person("statement", false, map[string]string{"statement": "我当时在处理另一位客户的业务。"})},
		{method: post, route: "/api/v1/cases/:id/persons/:person_id/statement", name: "in 360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: casePersonURL("360402", "360402-01001", "statement", false, map[string]string{"statement": "陈述"})},
		{method: post, route: "/api/v1/cases/:id/persons/:person_id/decision", name: "window passed", want: only(ok, caseCallers...),
			prep: e360102Person("decision", true, map[string]any{"severity": "minor", "outcome": "warning", "note": "初次违规"})},
		{method: post, route: "/api/v1/cases/:id/persons/:person_id/decision", name: "before the statement (R6.8)", want: only(conflict, caseCallers...),
			prep: e360102Person("decision", false, map[string]any{"severity": "minor", "outcome": "warning"})},
		{method: post, route: "/api/v1/cases/:id/persons/:person_id/decision", name: "in 360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: casePersonURL("360402", "360402-01001", "decision", true, map[string]any{"severity": "minor", "outcome": "warning"})},
		{method: post, route: "/api/v1/cases/:id/close", name: "in 360102", want: only(ok, caseCallers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/cases/:id/close", e.freshCase("360102", "360102-01001", false).ID), map[string]string{"reason": "经核实投诉不属实"}
			}},
		{method: post, route: "/api/v1/cases/:id/close", name: "in 360402", want: only(ok, admin).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/cases/:id/close", e.freshCase("360402", "360402-01001", false).ID), map[string]string{"reason": "不属实"}
			}},
	}
}

func e360102Person(action string, windowPassed bool, body any) func(*env, string) (string, any) {
	return casePersonURL("360102", "360102-01001", action, windowPassed, body)
}

// casePersonURL makes a fresh case for this request and targets its person's action.
func casePersonURL(unitCode, job, action string, windowPassed bool, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		c := e.freshCase(unitCode, job, windowPassed)
		var p models.CasePerson
		require.NoError(e.t, e.db.Where("case_id = ?", c.ID).Take(&p).Error)
		return fmt.Sprintf("/api/v1/cases/%d/persons/%d/%s", c.ID, p.ID, action), body
	}
}

// caseBody is a complaint case in the unit with code about the employee with job.
func (e *env) caseBody(unitCode, job string) accountability.OpenInput {
	return accountability.OpenInput{Title: "窗口推诿客户", OrgUnitID: e.unit(unitCode), Source: models.CaseFromComplaint,
		ComplaintRef: fmt.Sprintf("TS-%d", uniq()), Summary: "客户投诉营业员推诿（R2.4）", Grounds: []string{models.GroundServiceRules},
		EmployeeIDs: []uint{e.employee(job)}}
}

// freshCase opens a case for one request; windowPassed moves its statement window into
// the past, as if it had been opened weeks ago.
func (e *env) freshCase(unitCode, job string, windowPassed bool) *models.AccountabilityCase {
	e.t.Helper()
	svc := accountability.NewService(e.db, policy.NewService(e.db), time.UTC)
	c, err := svc.Open(context.Background(), accountability.Caller{Actor: models.SystemActor, Scope: models.ScopeAll}, e.caseBody(unitCode, job))
	require.NoError(e.t, err)
	if windowPassed {
		due := models.DateOf(time.Now().AddDate(0, 0, -20))
		require.NoError(e.t, e.db.Model(&models.AccountabilityCase{}).Where("id = ?", c.ID).Update("statement_due_on", due).Error)
	}
	return c
}
