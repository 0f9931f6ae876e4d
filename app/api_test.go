package app_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// TestAPI walks the JSON API on one env per engine: employees, lists and injection,
// org units, the audit log, users, and routing with headers.
func TestAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newAPIRunner(newEnv(t, db))
		t.Run("employees", func(t *testing.T) { r.run(t, apiEmployeeCases(t, r)) })
		t.Run("employee validation", func(t *testing.T) { r.run(t, apiValidationCases(t, r)) })
		t.Run("employee lists", func(t *testing.T) { r.run(t, apiListCases(t, r)) })
		t.Run("injection", func(t *testing.T) {
			before := apiEmployeeTable(t, db)
			r.run(t, apiInjectionCases())
			require.Equal(t, before, apiEmployeeTable(t, db), "the employees table changed")
		})
		t.Run("org units", func(t *testing.T) { r.run(t, apiOrgUnitCases(t, r)) })
		t.Run("audit events", func(t *testing.T) { r.run(t, apiAuditCases(t, r)) })
		t.Run("users", func(t *testing.T) { r.run(t, apiUserCases(t, r)) })
		t.Run("routing and headers", func(t *testing.T) { r.run(t, apiRoutingCases(t, r)) })
	})
}

// apiNewEmployee is a valid create body.
func apiNewEmployee(job string, unit uint) map[string]any {
	return map[string]any{"job_number": job, "name": "测试员工", "org_unit_id": unit, "position": "window",
		"hire_date": "2024-03-01", "status": "active", "phone": "13800000001"}
}

func apiEmployeeCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, dh1, lx := e.unit("360102"), e.unit("360102-01"), e.unit("360402")
	// savedAs remembers a created employee's id in vars[key] and checks its row.
	savedAs := func(key string, want map[string]any) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			got := apiDecode[models.Employee](t, res)
			require.NotZero(t, got.ID)
			r.vars[key] = strconv.FormatUint(uint64(got.ID), 10)
			row, ok := apiFindEmployee(t, e.db, want["job_number"].(string))
			require.True(t, ok, "created employee not in the database")
			assert.Equal(t, got.ID, row.ID)
			assert.Equal(t, want["name"], row.Name)
			assert.Equal(t, want["org_unit_id"], row.OrgUnitID)
			assert.Equal(t, want["position"], row.Position)
			assert.Equal(t, want["hire_date"], row.HireDate.String())
			assert.Equal(t, want["phone"], row.Phone)
			ev := apiLastAudit(t, e.db)
			assert.Equal(t, []string{"create", "employee", r.vars[key]}, []string{ev.Action, ev.Entity, ev.EntityID})
		}
	}
	// remember keeps the employee of a response; unchanged checks it was not written since.
	var before models.Employee
	remember := func(t *testing.T, res response) {
		var ok bool
		before, ok = apiFindEmployee(t, e.db, apiDecode[models.Employee](t, res).JobNumber)
		require.True(t, ok)
	}
	unchanged := func(t *testing.T, _ response) {
		var now models.Employee
		require.NoError(t, e.db.Take(&now, before.ID).Error)
		assert.Equal(t, apiEmployeeRow(before), apiEmployeeRow(now))
		assert.True(t, before.UpdatedAt.Equal(now.UpdatedAt), "updated_at moved")
	}
	mgrEmp := apiNewEmployee("T-0001", dh1)
	admEmp := apiNewEmployee("T-0002", lx)
	linked := e.employee("360102001") // the manager's own employee record, linked to a user

	return []apiCase{
		// Create.
		{name: "manager creates an employee in 东湖", as: "manager", method: "POST", url: "/api/v1/employees", body: mgrEmp,
			wantStatus: 201, wantBody: []string{`"job_number":"T-0001"`, `"org_unit":{`}, wantAudit: 1, check: savedAs("emp", mgrEmp)},
		{name: "admin creates an employee in 濂溪", as: "admin", method: "POST", url: "/api/v1/employees", body: admEmp,
			wantStatus: 201, wantAudit: 1, check: savedAs("emp2", admEmp)},
		{name: "duplicate job number", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(mgrEmp, "name", "另一人"),
			wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "已被使用", apiMessage(t, res, "job_number"))
				assert.Contains(t, apiProblemOf(t, res).Type, "conflict")
			}},
		{name: "duplicate job number in English", as: "manager", method: "POST", url: "/api/v1/employees", body: mgrEmp, header: apiEN,
			wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "already taken", apiMessage(t, res, "job_number"))
			}},
		{name: "manager cannot create outside 东湖", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(mgrEmp, "org_unit_id", lx),
			wantStatus: 422, wantFields: []string{"org_unit_id:not_found"}},

		// Read.
		{name: "manager reads the new employee", as: "manager", method: "GET", url: "/api/v1/employees/{emp}",
			wantStatus: 200, wantBody: []string{`"name":"测试员工"`, `"hire_date":"2024-03-01"`}},
		{name: "out of scope looks like nonexistent", as: "manager", method: "GET", url: "/api/v1/employees/{emp2}",
			wantStatus: 404, check: func(t *testing.T, res response) {
				other := apiRaw(r.bind(t), apiRequest(t, "GET", "/api/v1/employees/99999999", nil, nil), r.clients["manager"].cookies)
				assert.Equal(t, 404, other.Code)
				assert.Equal(t, apiProblemOf(t, other).Title, apiProblemOf(t, res).Title)
			}},
		{name: "admin reads 濂溪's employee", as: "admin", method: "GET", url: "/api/v1/employees/{emp2}", wantStatus: 200},
		{name: "id zero", as: "manager", method: "GET", url: "/api/v1/employees/0", wantStatus: 400, wantFields: []string{"id:invalid"}},

		// Partial update.
		{name: "remember before patch", as: "manager", method: "GET", url: "/api/v1/employees/{emp}", wantStatus: 200, check: remember},
		{name: "patch phone keeps the other fields", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"phone": "13900000009"}, wantStatus: 200, wantAudit: 1, check: func(t *testing.T, res response) {
				var now models.Employee
				require.NoError(t, e.db.Take(&now, before.ID).Error)
				assert.Equal(t, "13900000009", now.Phone)
				assert.Equal(t, []any{before.JobNumber, before.Name, before.OrgUnitID, before.Position, before.HireDate, before.Status},
					[]any{now.JobNumber, now.Name, now.OrgUnitID, now.Position, now.HireDate, now.Status})
				got := apiDecode[models.Employee](t, res)
				assert.Equal(t, before.Name, got.Name)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, "update", ev.Action)
				var diff map[string]models.Change
				require.NoError(t, json.Unmarshal([]byte(ev.Summary), &diff))
				assert.Equal(t, []string{"phone"}, slices.Collect(maps.Keys(diff)), "the audit records only what changed")
			}},
		{name: "remember after patch", as: "manager", method: "GET", url: "/api/v1/employees/{emp}", wantStatus: 200, check: remember},
		{name: "patch with an invalid position changes nothing", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"position": "chef", "name": "改名"}, wantStatus: 422, wantFields: []string{"position:invalid_choice"}, check: unchanged},
		{name: "patch to a duplicate job number", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"job_number": "360102001"}, wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: unchanged},
		{name: "patch moving out of scope", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"org_unit_id": lx}, wantStatus: 422, wantFields: []string{"org_unit_id:not_found"}, check: unchanged},
		{name: "patch with an unknown field", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"salary": 1}, wantStatus: 422, wantFields: []string{"salary:unknown_field"}, check: unchanged},
		{name: "patch another branch's employee", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp2}",
			body: map[string]any{"phone": "13900000000"}, wantStatus: 404},
		{name: "patch moves within scope", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"org_unit_id": dh, "status": "on_leave"}, wantStatus: 200, wantAudit: 1, wantBody: []string{`"status":"on_leave"`, `"code":"360102"`}},
		{name: "admin patches 濂溪's employee", as: "admin", method: "PATCH", url: "/api/v1/employees/{emp2}",
			body: map[string]any{"name": "改过的名字"}, wantStatus: 200, wantAudit: 1, wantBody: []string{`"name":"改过的名字"`}},

		// Delete.
		{name: "manager cannot delete another branch's employee", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp2}", wantStatus: 404},
		{name: "manager deletes", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp}", wantStatus: 204, wantAudit: 1,
			check: func(t *testing.T, res response) {
				assert.Empty(t, res.Body)
				_, ok := apiFindEmployee(t, e.db, "T-0001")
				assert.False(t, ok, "deleted employee still there")
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"delete", "employee", r.vars["emp"]}, []string{ev.Action, ev.Entity, ev.EntityID})
			}},
		{name: "delete again", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp}", wantStatus: 404},
		{name: "an employee with a user account cannot be deleted", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/employees/%d", linked),
			wantStatus: 409, wantFields: []string{"id:in_use"}, check: func(t *testing.T, _ response) {
				_, ok := apiFindEmployee(t, e.db, "360102001")
				assert.True(t, ok)
			}},
		{name: "admin deletes", as: "admin", method: "DELETE", url: "/api/v1/employees/{emp2}", wantStatus: 204, wantAudit: 1},
	}
}

// apiValidationCases: each invalid field alone gives a 422 naming it, in Chinese by
// default and in English on request; malformed bodies are 400, wrong types 422, other
// media types 415. Nothing is written.
func apiValidationCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh1, lx := e.unit("360102-01"), e.unit("360402")
	good := apiNewEmployee("V-0001", dh1)
	invalid := []struct {
		field, code string
		value       any
		zh, en      string
	}{
		{"job_number", "required", "", "必填", "required"},
		{"job_number", "invalid_job_number", "工号 1", "工号只能包含字母、数字、下划线和连字符，最多 32 位", "letters, digits, _ and - only, up to 32"},
		{"job_number", "invalid_job_number", strings.Repeat("9", 33), "工号只能包含", "letters, digits"},
		{"name", "required", "   ", "必填", "required"},
		{"name", "too_long", strings.Repeat("长", 65), "不能超过 64 个字符", "at most 64 characters"},
		{"org_unit_id", "not_found", apiDrop, "不存在或不在您的管辖范围内", "does not exist or is outside your scope"},
		{"org_unit_id", "not_found", lx, "不存在或不在您的管辖范围内", "does not exist or is outside your scope"},
		{"position", "invalid_choice", "chef", "不是允许的取值", "not an allowed value"},
		{"status", "invalid_choice", "retired", "不是允许的取值", "not an allowed value"},
		{"hire_date", "required", apiDrop, "必填", "required"},
		{"hire_date", "out_of_range", "1949-12-31", "超出允许范围", "out of range"},
		{"hire_date", "out_of_range", "2099-01-01", "超出允许范围", "out of range"},
		{"hire_date", "invalid_date", "2024-02-30", "日期格式不正确，应为 2024-03-01", "invalid date, want 2024-03-01"},
		{"hire_date", "invalid_date", "01/03/2024", "日期格式不正确", "invalid date"},
		{"phone", "invalid_phone", "call me", "电话号码格式不正确", "invalid phone number"},
	}
	var cases []apiCase
	for _, iv := range invalid {
		for _, lang := range []string{"zh", "en"} {
			label := []rune(fmt.Sprint(iv.value))
			if len(label) > 12 {
				label = append(label[:12], '…')
			}
			tc := apiCase{name: fmt.Sprintf("%s %s %s %s", iv.field, iv.code, string(label), lang), as: "manager", method: "POST",
				url: "/api/v1/employees", body: apiWith(good, iv.field, iv.value), wantStatus: 422,
				wantFields: []string{iv.field + ":" + iv.code}}
			want := iv.zh
			if lang == "en" {
				tc.header, want = apiEN, iv.en
			}
			tc.check = func(t *testing.T, res response) {
				p := apiProblemOf(t, res)
				assert.Len(t, p.Errors, 1, "only the invalid field is listed: %s", res.Body)
				assert.Contains(t, apiMessage(t, res, iv.field), want)
				_, ok := apiFindEmployee(t, e.db, "V-0001")
				assert.False(t, ok)
			}
			cases = append(cases, tc)
		}
	}
	plain := map[string]string{"Content-Type": "text/plain"}
	return append(cases, []apiCase{
		{name: "empty object lists every required field", as: "manager", method: "POST", url: "/api/v1/employees", body: `{}`,
			wantStatus: 422, wantFields: []string{"job_number:required", "name:required", "org_unit_id:not_found", "position:invalid_choice", "hire_date:required"}},
		{name: "malformed JSON", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number": "V-0001",`,
			wantStatus: 400, wantBody: []string{"请求体不是有效的 JSON"}},
		{name: "malformed JSON in English", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number"`, header: apiEN,
			wantStatus: 400, wantBody: []string{"The request body is not valid JSON"}},
		{name: "trailing data", as: "manager", method: "POST", url: "/api/v1/employees", body: `{}{}`, wantStatus: 400},
		{name: "empty body", as: "manager", method: "POST", url: "/api/v1/employees", body: ``, wantStatus: 400},
		{name: "wrong type for org_unit_id", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "org_unit_id", "abc"),
			wantStatus: 422, wantFields: []string{"org_unit_id:invalid_type"}},
		{name: "wrong type for name", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "name", 5),
			wantStatus: 422, wantFields: []string{"name:invalid_type"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "类型不正确", apiMessage(t, res, "name"))
			}},
		{name: "wrong type for hire_date", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "hire_date", 20240301),
			wantStatus: 422, wantFields: []string{"hire_date:invalid_type"}},
		{name: "unknown field", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "salary", 9000),
			wantStatus: 422, wantFields: []string{"salary:unknown_field"}},
		{name: "id cannot be chosen", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "id", 424242),
			wantStatus: 422, wantFields: []string{"id:unknown_field"}},
		{name: "text/plain body", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number":"V-0001"}`, header: plain,
			wantStatus: 415, wantBody: []string{"请求的内容类型不受支持"}},
		{name: "form body", as: "manager", method: "POST", url: "/api/v1/employees", body: `job_number=V-0001`,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, wantStatus: 415},
		{name: "text/plain patch", as: "manager", method: "PATCH", url: fmt.Sprintf("/api/v1/employees/%d", e.employee("360102-01001")),
			body: `{"name":"x"}`, header: plain, wantStatus: 415},
	}...)
}

// apiListCases: paging, search, subtree filter and sort allow-list, as the manager
// (scope 东湖) and the admin.
func apiListCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, dh1, lx, nc := e.unit("360102"), e.unit("360102-01"), e.unit("360402"), e.unit("3601")
	dongHu := apiSubtreeEmployees(t, e, "360102")
	require.Greater(t, len(dongHu), 10, "fixture too small for paging")
	list := func(t *testing.T, res response) models.List[models.Employee] {
		return apiDecode[models.List[models.Employee]](t, res)
	}
	jobs := func(l models.List[models.Employee]) []string {
		out := make([]string, len(l.Items))
		for i, it := range l.Items {
			out[i] = it.JobNumber
		}
		return out
	}
	// total checks the total and that every item is among want.
	total := func(want []models.Employee) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			l := list(t, res)
			assert.EqualValues(t, len(want), l.Total)
			ids := map[uint]bool{}
			for _, w := range want {
				ids[w.ID] = true
			}
			for _, it := range l.Items {
				assert.True(t, ids[it.ID], "unexpected employee %s", it.JobNumber)
			}
		}
	}
	matching := func(q string) []models.Employee {
		var out []models.Employee
		for _, emp := range dongHu {
			if strings.Contains(emp.Name, q) || strings.Contains(emp.JobNumber, q) {
				out = append(out, emp)
			}
		}
		return out
	}
	var page1 []string
	var asc []string
	name := dongHu[len(dongHu)-1].Name
	return []apiCase{
		{name: "per_page=5 gives 5 items and the total", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.Len(t, l.Items, 5)
				assert.EqualValues(t, len(dongHu), l.Total)
				page1 = jobs(l)
			}},
		{name: "page 2 continues", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5&page=2",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.Len(t, l.Items, 5)
				for _, j := range jobs(l) {
					assert.NotContains(t, page1, j)
				}
			}},
		{name: "a page past the end is empty", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5&page=1000",
			wantStatus: 200, wantBody: []string{`"items":[]`}},
		{name: "default page size", as: "manager", method: "GET", url: "/api/v1/employees", wantStatus: 200,
			check: func(t *testing.T, res response) { assert.Len(t, list(t, res).Items, min(20, len(dongHu))) }},
		{name: "per_page=0", as: "manager", method: "GET", url: "/api/v1/employees?per_page=0", wantStatus: 400, wantFields: []string{"per_page:out_of_range"}},
		{name: "per_page over the maximum", as: "manager", method: "GET", url: "/api/v1/employees?per_page=201", wantStatus: 400, wantFields: []string{"per_page:out_of_range"}},
		{name: "page not a number", as: "manager", method: "GET", url: "/api/v1/employees?page=x", wantStatus: 400, wantFields: []string{"page:out_of_range"}},
		{name: "page not a number in English", as: "manager", method: "GET", url: "/api/v1/employees?page=x", header: apiEN, wantStatus: 400,
			wantBody: []string{"Invalid query parameters", "out of range"}},

		{name: "search by name", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&q=" + url.QueryEscape(name),
			wantStatus: 200, check: total(matching(name))},
		{name: "search by job number", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&q=360102-02",
			wantStatus: 200, check: total(matching("360102-02"))},
		{name: "search does not leave the scope", as: "manager", method: "GET", url: "/api/v1/employees?q=360402", wantStatus: 200, check: total(nil)},
		{name: "admin searches everywhere", as: "admin", method: "GET", url: "/api/v1/employees?per_page=200&q=360402",
			wantStatus: 200, check: total(apiSubtreeEmployees(t, e, "360402"))},
		{name: "% is not a wildcard", as: "manager", method: "GET", url: "/api/v1/employees?q=%25", wantStatus: 200, check: total(nil)},
		{name: "_ is not a wildcard", as: "manager", method: "GET", url: "/api/v1/employees?q=_", wantStatus: 200, check: total(nil)},
		{name: "q too long", as: "manager", method: "GET", url: "/api/v1/employees?q=" + strings.Repeat("a", 65), wantStatus: 400, wantFields: []string{"q:too_long"}},

		{name: "unit_id filters to the subtree", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", dh1),
			wantStatus: 200, check: total(apiSubtreeEmployees(t, e, "360102-01"))},
		{name: "unit_id of the county includes its outlets", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", dh),
			wantStatus: 200, check: total(dongHu)},
		{name: "admin unit_id of the city includes 东湖", as: "admin", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", nc),
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.EqualValues(t, len(apiSubtreeEmployees(t, e, "3601")), l.Total)
				assert.Greater(t, l.Total, int64(len(dongHu)))
			}},
		{name: "unit_id outside the scope", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?unit_id=%d", lx), wantStatus: 404},
		{name: "position filter", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&position=window",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.NotEmpty(t, l.Items)
				for _, it := range l.Items {
					assert.Equal(t, "window", it.Position)
				}
			}},

		{name: "sort by job number", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=job_number",
			wantStatus: 200, check: func(t *testing.T, res response) { asc = jobs(list(t, res)); assert.Len(t, asc, len(dongHu)) }},
		{name: "sort by job number descending", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=-job_number",
			wantStatus: 200, check: func(t *testing.T, res response) {
				desc := jobs(list(t, res))
				slices.Reverse(desc)
				assert.Equal(t, asc, desc)
			}},
		{name: "sort by hire date", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=hire_date",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.True(t, slices.IsSortedFunc(l.Items, func(a, b models.Employee) int { return a.HireDate.Time().Compare(b.HireDate.Time()) }))
			}},
		{name: "sort by hire date descending", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=-hire_date",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.True(t, slices.IsSortedFunc(l.Items, func(a, b models.Employee) int { return b.HireDate.Time().Compare(a.HireDate.Time()) }))
			}},
		{name: "sort outside the allow-list", as: "manager", method: "GET", url: "/api/v1/employees?sort=phone", wantStatus: 400, wantFields: []string{"sort:invalid_choice"}},
	}
}

// apiInjectionCases: SQL in sort, filter and id parameters is a 400 (or, for free text,
// a harmless search); the caller checks the employees table afterwards.
func apiInjectionCases() []apiCase {
	q := url.QueryEscape
	var cases []apiCase
	for _, c := range []struct{ param, value string }{
		{"sort", "name;DROP TABLE employees"},
		{"sort", "name desc, (select 1)"},
		{"sort", "(CASE WHEN 1=1 THEN name ELSE job_number END)"},
		{"unit_id", "1 OR 1=1"},
		{"unit_id", "1) OR (1=1"},
		{"position", "window' OR '1'='1"},
		{"status", "active' OR 1=1 --"},
		{"page", "1;DELETE FROM employees"},
		{"per_page", "5 UNION SELECT * FROM users"},
	} {
		cases = append(cases, apiCase{name: c.param + " " + c.value, as: "admin", method: "GET",
			url: "/api/v1/employees?" + c.param + "=" + q(c.value), wantStatus: 400})
		cases[len(cases)-1].check = func(t *testing.T, res response) {
			p := apiProblemOf(t, res)
			require.Len(t, p.Errors, 1, res.Body)
			assert.Equal(t, c.param, p.Errors[0].Field)
		}
	}
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		cases = append(cases, apiCase{name: method + " id 1 OR 1=1", as: "admin", method: method, url: "/api/v1/employees/1%20OR%201=1",
			body: map[string]any{"name": "x"}, wantStatus: 400, wantFields: []string{"id:invalid"}})
	}
	return append(cases,
		apiCase{name: "id with a semicolon", as: "admin", method: "DELETE", url: "/api/v1/employees/1;DROP%20TABLE%20employees", wantStatus: 400, wantFields: []string{"id:invalid"}},
		apiCase{name: "negative id", as: "admin", method: "DELETE", url: "/api/v1/employees/-1", wantStatus: 400, wantFields: []string{"id:invalid"}},
		apiCase{name: "free text is only searched for", as: "admin", method: "GET", url: "/api/v1/employees?q=" + q("' OR '1'='1' --"),
			wantStatus: 200, wantBody: []string{`"total":0`}},
		apiCase{name: "free text with a statement", as: "admin", method: "GET", url: "/api/v1/employees?q=" + q("x'; DROP TABLE employees; --"),
			wantStatus: 200, wantBody: []string{`"total":0`}},
		apiCase{name: "org units filter", as: "admin", method: "GET", url: "/api/v1/org-units?parent_id=" + q("1 OR 1=1"), wantStatus: 400, wantFields: []string{"parent_id:invalid"}},
		apiCase{name: "audit filter", as: "admin", method: "GET", url: "/api/v1/audit-events?actor_id=" + q("1 OR 1=1"), wantStatus: 400, wantFields: []string{"actor_id:invalid"}},
		apiCase{name: "the table still answers", as: "admin", method: "GET", url: "/api/v1/employees?per_page=1", wantStatus: 200},
	)
}
