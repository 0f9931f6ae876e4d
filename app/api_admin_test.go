package app_test

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/org"
)

func apiOrgUnitCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, xh, nc, lx := e.unit("360102"), e.unit("360103"), e.unit("3601"), e.unit("360402")
	outlet := map[string]any{"code": "360102-09", "name": "东湖区测试营业厅", "level": "outlet", "parent_id": dh,
		"urban": true, "households": 1200, "address": "南昌市东湖区测试路 1 号", "phone": "0791-1234567"}
	unitRow := func(t *testing.T) models.OrgUnit {
		var u models.OrgUnit
		require.NoError(t, e.db.Take(&u, r.vars["unit"]).Error)
		return u
	}
	return []apiCase{
		{name: "manager reads the tree of 东湖 only", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			check: func(t *testing.T, res response) {
				roots := apiDecode[[]*org.TreeNode](t, res)
				require.Len(t, roots, 1)
				assert.Equal(t, "360102", roots[0].Code)
				assert.Equal(t, "东湖区分公司", roots[0].Name)
				var codes []string
				var walk func(ns []*org.TreeNode)
				walk = func(ns []*org.TreeNode) {
					for _, n := range ns {
						codes = append(codes, n.Code)
						walk(n.Children)
					}
				}
				walk(roots)
				assert.ElementsMatch(t, []string{"360102", "360102-01", "360102-02"}, codes)
			}},
		{name: "manager cannot read 濂溪", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/org-units/%d", lx), wantStatus: 404},
		{name: "admin creates an outlet", as: "admin", method: "POST", url: "/api/v1/org-units", body: outlet, wantStatus: 201, wantAudit: 1,
			check: func(t *testing.T, res response) {
				got := apiDecode[models.OrgUnit](t, res)
				r.vars["unit"] = strconv.FormatUint(uint64(got.ID), 10)
				u := unitRow(t)
				assert.Equal(t, e.units["360102"].Path+r.vars["unit"]+"/", u.Path)
				assert.Equal(t, []any{"360102-09", "东湖区测试营业厅", "outlet", 1200}, []any{u.Code, u.Name, u.Level, u.Households})
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"create", "org_unit", r.vars["unit"]}, []string{ev.Action, ev.Entity, ev.EntityID})
			}},
		{name: "the new outlet shows in the manager's tree", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			wantBody: []string{`"code":"360102-09"`}},
		{name: "duplicate code", as: "admin", method: "POST", url: "/api/v1/org-units", body: outlet, wantStatus: 409, wantFields: []string{"code:duplicate"}},
		{name: "unknown level", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(outlet, "level", "village"),
			wantStatus: 422, wantFields: []string{"level:invalid_choice"}},
		{name: "outlet under a city", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", nc),
			wantStatus: 422, wantFields: []string{"parent_id:wrong_parent_level"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "上级单位必须是县分公司", apiMessage(t, res, "parent_id"))
			}},
		{name: "outlet under a city in English", as: "admin", method: "POST", url: "/api/v1/org-units", header: apiEN,
			body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", nc), wantStatus: 422, check: func(t *testing.T, res response) {
				assert.Equal(t, "parent must be a county branch", apiMessage(t, res, "parent_id"))
			}},
		{name: "no parent", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", apiDrop),
			wantStatus: 422, wantFields: []string{"parent_id:required"}},
		{name: "bad code and households", as: "admin", method: "POST", url: "/api/v1/org-units",
			body: apiWith(apiWith(outlet, "code", "东湖 9"), "households", -1), wantStatus: 422, wantFields: []string{"code:invalid_code", "households:out_of_range"}},
		{name: "manager cannot create units", as: "manager", method: "POST", url: "/api/v1/org-units", body: apiWith(outlet, "code", "X2"), wantStatus: 403},

		{name: "rename keeps the rest", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"name": "东湖区测试营业厅（新）"},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				u := unitRow(t)
				assert.Equal(t, []any{"东湖区测试营业厅（新）", "360102-09", 1200, "0791-1234567", dh}, []any{u.Name, u.Code, u.Households, u.Phone, *u.ParentID})
			}},
		{name: "move under a county of the wrong level", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"parent_id": nc},
			wantStatus: 422, wantFields: []string{"parent_id:wrong_parent_level"}},
		{name: "move a county under its own outlet", as: "admin", method: "PATCH", url: fmt.Sprintf("/api/v1/org-units/%d", dh), body: `{"parent_id": {unit}}`,
			wantStatus: 422, wantFields: []string{"parent_id:cycle"}},
		{name: "take an existing code", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"code": "360102-01"},
			wantStatus: 409, wantFields: []string{"code:duplicate"}},
		{name: "move to 西湖", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"parent_id": xh},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, e.units["360103"].Path+r.vars["unit"]+"/", unitRow(t).Path)
			}},
		{name: "the moved outlet left the manager's tree", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			check: func(t *testing.T, res response) { assert.NotContains(t, res.Body, "360102-09") }},
		{name: "delete a unit with children", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/org-units/%d", dh),
			wantStatus: 409, wantFields: []string{"id:has_children"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "下面还有下级单位，不能删除", apiMessage(t, res, "id"))
			}},
		{name: "delete a unit with employees", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/org-units/%d", e.unit("360102-02")),
			wantStatus: 409, wantFields: []string{"id:has_employees"}},
		{name: "manager cannot delete units", as: "manager", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 403},
		{name: "delete the empty outlet", as: "admin", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 204, wantAudit: 1,
			check: func(t *testing.T, _ response) {
				var n int64
				require.NoError(t, e.db.Model(&models.OrgUnit{}).Where("code = ?", "360102-09").Count(&n).Error)
				assert.Zero(t, n)
			}},
		{name: "delete it again", as: "admin", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 404},
	}
}

func apiAuditCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	events := func(t *testing.T, res response) models.List[models.AuditEvent] {
		return apiDecode[models.List[models.AuditEvent]](t, res)
	}
	// matches checks the total against the database and every item against the filter.
	matches := func(where map[string]any) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			l := events(t, res)
			var n int64
			require.NoError(t, e.db.Model(&models.AuditEvent{}).Where(where).Count(&n).Error)
			assert.Equal(t, n, l.Total)
			assert.NotZero(t, l.Total)
			for _, ev := range l.Items {
				got := map[string]any{"entity": ev.Entity, "entity_id": ev.EntityID, "action": ev.Action}
				for k, v := range where {
					assert.Equal(t, v, got[k])
				}
			}
		}
	}
	var firstPage []uint64
	return []apiCase{
		{name: "the create of one employee", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=employee&entity_id={emp}&action=create",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				require.EqualValues(t, 1, l.Total)
				assert.Equal(t, "manager", l.Items[0].ActorName)
				assert.NotEmpty(t, l.Items[0].RequestID)
				assert.Contains(t, l.Items[0].Summary, "T-0001")
			}},
		{name: "everything about one employee", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=employee&entity_id={emp}",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				var actions []string
				for _, ev := range l.Items {
					actions = append(actions, ev.Action)
				}
				// Newest first: delete, two updates, create; refused writes left nothing.
				assert.Equal(t, []string{"delete", "update", "update", "create"}, actions)
			}},
		{name: "by action", as: "admin", method: "GET", url: "/api/v1/audit-events?action=delete&per_page=200",
			wantStatus: 200, check: matches(map[string]any{"action": "delete"})},
		{name: "by entity", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=org_unit&action=update",
			wantStatus: 200, check: matches(map[string]any{"entity": "org_unit", "action": "update"})},
		{name: "paged newest first", as: "admin", method: "GET", url: "/api/v1/audit-events?per_page=3",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				assert.Len(t, l.Items, 3)
				assert.Equal(t, e.auditCount(), l.Total)
				for _, ev := range l.Items {
					firstPage = append(firstPage, ev.ID)
				}
				assert.True(t, slices.IsSortedFunc(firstPage, func(a, b uint64) int { return int(b) - int(a) }))
			}},
		{name: "page 2", as: "admin", method: "GET", url: "/api/v1/audit-events?per_page=3&page=2",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				require.Len(t, l.Items, 3)
				assert.Less(t, l.Items[0].ID, firstPage[len(firstPage)-1])
			}},
		{name: "from a date", as: "admin", method: "GET", url: "/api/v1/audit-events?from=2000-01-01&to=2999-01-01&per_page=1",
			wantStatus: 200, check: func(t *testing.T, res response) { assert.Equal(t, e.auditCount(), events(t, res).Total) }},
		{name: "bad from", as: "admin", method: "GET", url: "/api/v1/audit-events?from=yesterday", wantStatus: 400, wantFields: []string{"from:invalid_date"}},
		{name: "entity too long", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=" + strings.Repeat("e", 33), wantStatus: 400, wantFields: []string{"entity:too_long"}},
		{name: "managers cannot read the audit log", as: "manager", method: "GET", url: "/api/v1/audit-events", wantStatus: 403},
	}
}

func apiUserCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	lx := e.unit("360402")
	newUser := map[string]any{"username": "lianxi.mgr", "display_name": "濂溪区经理", "password": demoPassword,
		"grants": []map[string]any{{"role": "manager", "org_unit_id": lx}}}
	var lxCookies map[string]string
	// replay sends GET /api/v1/me with saved cookies: a session ended on the server
	// stays ended whatever the browser still holds.
	replay := func(t *testing.T, cookies map[string]string) int {
		return apiRaw(r.bind(t), apiRequest(t, "GET", "/api/v1/me", nil, nil), cookies).Code
	}
	login := func(pw string) map[string]string { return map[string]string{"username": "lianxi.mgr", "password": pw} }
	return []apiCase{
		{name: "create a user with a grant", as: "admin", method: "POST", url: "/api/v1/users", body: newUser, wantStatus: 201, wantAudit: 1,
			wantBody: []string{`"username":"lianxi.mgr"`, `"role":"manager"`, `"org_unit_name":"濂溪区分公司"`},
			check: func(t *testing.T, res response) {
				assert.NotContains(t, res.Body, "password_hash")
				assert.NotContains(t, res.Body, "argon2")
				u := apiDecode[models.User](t, res)
				r.vars["user"] = strconv.FormatUint(uint64(u.ID), 10)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"create", "user", r.vars["user"]}, []string{ev.Action, ev.Entity, ev.EntityID})
				assert.NotContains(t, ev.Summary, demoPassword)
			}},
		{name: "duplicate username", as: "admin", method: "POST", url: "/api/v1/users", body: newUser, wantStatus: 409, wantFields: []string{"username:duplicate"}},
		{name: "invalid user", as: "admin", method: "POST", url: "/api/v1/users",
			body:       map[string]any{"username": "a", "password": "short", "grants": []map[string]any{{"role": "boss", "org_unit_id": lx}, {"role": "manager", "org_unit_id": 99999999}}},
			wantStatus: 422, wantFields: []string{"username:invalid_username", "password:too_short", "grants[0].role:invalid_choice", "grants[1].org_unit_id:not_found"}},
		{name: "a role cannot be set directly", as: "admin", method: "POST", url: "/api/v1/users", body: apiWith(newUser, "role", "admin"),
			wantStatus: 422, wantFields: []string{"role:unknown_field"}},
		{name: "the new user logs in", as: "~lx", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 200, wantAudit: 1},
		{name: "the new user sees 濂溪 only", as: "~lx", method: "GET", url: "/api/v1/employees?per_page=200", wantStatus: 200,
			check: func(t *testing.T, res response) {
				l := apiDecode[models.List[models.Employee]](t, res)
				assert.EqualValues(t, len(apiSubtreeEmployees(t, e, "360402")), l.Total)
				lxCookies = maps.Clone(r.clients["~lx"].cookies)
			}},
		{name: "admin cannot disable itself", as: "admin", method: "PATCH", url: fmt.Sprintf("/api/v1/users/%d", apiUserID(t, e, "admin")),
			body: map[string]any{"disabled": true}, wantStatus: 422, wantFields: []string{"disabled:cannot_disable_self"}},
		{name: "disable the user", as: "admin", method: "PATCH", url: "/api/v1/users/{user}", body: map[string]any{"disabled": true},
			wantStatus: 200, wantAudit: 1, wantBody: []string{`"disabled":true`}},
		{name: "the disabled user's session is over", as: "~lx", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the disabled user cannot log in", as: "~lx2", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 401},
		{name: "enable the user again", as: "admin", method: "PATCH", url: "/api/v1/users/{user}", body: map[string]any{"disabled": false},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, 401, replay(t, lxCookies), "disabling must end the sessions, not only hide them")
			}},
		{name: "log in after enabling", as: "~lx3", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 200, wantAudit: 1},
		{name: "reset with a short password", as: "admin", method: "PUT", url: "/api/v1/users/{user}/password", body: map[string]any{"password": "short"},
			wantStatus: 422, wantFields: []string{"password:too_short"}},
		{name: "reset the password", as: "admin", method: "PUT", url: "/api/v1/users/{user}/password", body: map[string]any{"password": "reset-pass-789"},
			wantStatus: 204, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, "reset_password", apiLastAudit(t, e.db).Action)
			}},
		{name: "the reset ended the session", as: "~lx3", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the old password no longer works", as: "~lx4", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 401},
		{name: "the new password works", as: "~lx4", method: "POST", url: "/api/v1/auth/login", body: login("reset-pass-789"), wantStatus: 200, wantAudit: 1},
		{name: "managers cannot create users", as: "manager", method: "POST", url: "/api/v1/users", body: apiWith(newUser, "username", "x.mgr"), wantStatus: 403},
	}
}

// apiUserID is the id of the user with username.
func apiUserID(t *testing.T, e *env, username string) uint {
	t.Helper()
	var u models.User
	require.NoError(t, e.db.Where("username = ?", username).Take(&u).Error)
	return u.ID
}

func apiRoutingCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	notFound := func(t *testing.T, res response) {
		assert.Contains(t, []string{"没有这个接口", "未找到该资源"}, apiProblemOf(t, res).Title)
	}
	return []apiCase{
		{name: "healthz", method: "GET", url: "/healthz", wantStatus: 200, wantBody: []string{`"status":"ok"`}},
		{name: "readyz", method: "GET", url: "/readyz", wantStatus: 200, wantBody: []string{`"status":"ok"`}},
		{name: "unknown API route", method: "GET", url: "/api/v1/nothing-here", wantStatus: 404, check: notFound},
		{name: "unknown API route in English", method: "GET", url: "/api/v1/nothing-here", header: apiEN, wantStatus: 404},
		{name: "unknown API route with a session", as: "admin", method: "POST", url: "/api/v1/nothing-here", body: `{}`, wantStatus: 404},
		{name: "unknown version", as: "admin", method: "GET", url: "/api/v2/employees", wantStatus: 404},
		{name: "wrong method", method: "DELETE", url: "/api/v1/auth/login", wantStatus: 405},
		{name: "no session", method: "GET", url: "/api/v1/employees", wantStatus: 401, wantBody: []string{"请先登录"}},
		{name: "no session in English", method: "GET", url: "/api/v1/employees", header: apiEN, wantStatus: 401, wantBody: []string{"Please log in"}},
		{name: "wrong role", as: "employee", method: "GET", url: "/api/v1/employees", wantStatus: 403, wantBody: []string{"您没有权限执行此操作"}},
		{name: "a success carries the headers too", as: "manager", method: "GET", url: "/api/v1/me", wantStatus: 200},
		{name: "a client's request id is not trusted", as: "manager", method: "POST", url: "/api/v1/employees",
			body: apiNewEmployee("R-0001", e.unit("360102-01")), header: map[string]string{"X-Request-Id": strings.Repeat("r", 300)},
			wantStatus: 201, wantAudit: 1, check: func(t *testing.T, res response) {
				rid := res.Header.Get(fiber.HeaderXRequestID)
				assert.LessOrEqual(t, len(rid), 64)
				assert.LessOrEqual(t, len(apiLastAudit(t, e.db).RequestID), 64)
			}},
		{name: "request ids differ", method: "GET", url: "/healthz", wantStatus: 200, check: func(t *testing.T, res response) {
			again := apiRaw(r.bind(t), apiRequest(t, "GET", "/healthz", nil, nil), nil)
			assert.NotEqual(t, res.Header.Get(fiber.HeaderXRequestID), again.Header.Get(fiber.HeaderXRequestID))
		}},
	}
}
