package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// employeePageMatrixRows: an employee's record for the staff of their scope (404
// outside it), its edit form for the roster's keepers (admin, manager) in scope.
func employeePageMatrixRows() []matrixRow {
	page := func(job string) func(*env, string) (string, any) {
		return func(e *env, _ string) (string, any) { return fmt.Sprintf("/employees/%d", e.employee(job)), nil }
	}
	edit := func(job string) func(*env, string) (string, any) {
		return func(e *env, _ string) (string, any) {
			id := e.employee(job)
			return fmt.Sprintf("/employees/%d", id), e.employeeForm(id, nil)
		}
	}
	readers := only(ok, staff...).but(seeOther, anon)
	return []matrixRow{
		{method: get, route: "/employees/:id", name: "东湖区 clerk", want: readers, redirect: toLogin,
			prep: page("360102-01001"), check: pageShows("员工档案", staff...)},
		{method: get, route: "/employees/:id", name: "濂溪区 clerk, another city", want: readers.but(notFound, inspector, manager),
			redirect: toLogin, prep: page("360402-01001")},
		{method: post, route: "/employees/:id", name: "东湖区 clerk", want: only(seeOther, admin, manager), prep: edit("360102-01001"),
			redirect: func(target string) string { return target + "?done=saved" }},
		{method: post, route: "/employees/:id", name: "濂溪区 clerk, another city", want: only(seeOther, admin).but(notFound, manager),
			prep: edit("360402-01001"), redirect: func(target string) string { return target + "?done=saved" }},
	}
}

// employeeForm is the edit form of employee id as stored, with change typed over.
func (e *env) employeeForm(id uint, change map[string]string) formBody {
	var emp models.Employee
	require.NoError(e.t, e.db.Where("id = ?", id).Take(&emp).Error)
	f := formBody{"name": {emp.Name}, "org_unit_id": {fmt.Sprint(emp.OrgUnitID)}, "position": {emp.Position},
		"hire_date": {emp.HireDate.String()}, "status": {emp.Status}, "phone": {emp.Phone}}
	for k, v := range change {
		f[k] = []string{v}
	}
	return f
}

// TestEmployeeRecordPage: the manager opens a clerk's record from the staff list — unit,
// position, hire date, the handbook version acknowledged, courses, attempts,
// certificates and cases — changes the phone and position (audited, as the API's
// PATCH), and a bad date or a unit outside the branch is refused beside its field with
// what was typed kept; a trainer reads the record without the form.
func TestEmployeeRecordPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		mgr := e.login(manager)
		id := e.employee("360102-01001")
		cert := e.employeeCertificate()
		list := mgr.do(http.MethodGet, "/employees?q=360102-01001", nil)
		require.Equal(t, http.StatusOK, list.Code)
		assert.Contains(t, list.Body, fmt.Sprintf(`<a href="/employees/%d">360102-01001</a>`, id), "the staff list links the record")

		page := mgr.do(http.MethodGet, fmt.Sprintf("/employees/%d", id), nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		assert.Contains(t, page.Body, "东湖区八一大道营业厅（360102-01）")
		assert.Contains(t, page.Body, "员工手册确认")
		assert.Contains(t, page.Body, cert.Number, "the certificate is listed")
		assert.Contains(t, page.Body, `id="employee-form"`)

		target := fmt.Sprintf("/employees/%d", id)
		mark := e.lastAuditID()
		res := mgr.postPageForm(target, target, url.Values(e.employeeForm(id, map[string]string{"phone": "0791-86000000", "position": models.PositionMarketing})))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, target+"?done=saved", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var emp models.Employee
		require.NoError(t, db.Where("id = ?", id).Take(&emp).Error)
		assert.Equal(t, "0791-86000000", emp.Phone)
		assert.Equal(t, models.PositionMarketing, emp.Position)

		mark = e.lastAuditID()
		res = mgr.postPageForm(target, target, url.Values(e.employeeForm(id, map[string]string{"hire_date": "2026-02-30", "name": "改名测试"})))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `href="#emp-hire-date"`, "the summary links the field")
		assert.Contains(t, res.Body, `value="改名测试"`, "what was typed is kept")
		res = mgr.postPageForm(target, target, url.Values(e.employeeForm(id, map[string]string{"org_unit_id": fmt.Sprint(e.unit("360402"))})))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `href="#emp-unit"`)
		assert.Zero(t, e.auditCountSince(mark), "a refusal changes nothing")

		tr := e.login(trainer).do(http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, tr.Code)
		assert.False(t, strings.Contains(tr.Body, `id="employee-form"`), "the trainer reads the record only")
	})
}
