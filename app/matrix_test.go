package app_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

// SECURITY.md, "Access control" and "Tests with figures" 5: every registered route,
// asked by every kind of caller, answers exactly the status its rule says, and what a
// caller sees is cut to their org subtree. Out of scope looks like nonexistent (404);
// a role the route does not admit at all is 403; no session is 401.

// The callers: no session, then one login per role. The usernames are the callers'
// names (seeds.AdminUsername and seeds.DemoUsers).
const (
	anon      = "anon"
	admin     = "admin"     // admin over the province
	trainer   = "trainer"   // trainer over the province
	inspector = "inspector" // inspector over 南昌市 (3601)
	manager   = "manager"   // manager over 东湖区 (360102)
	employee  = "employee"  // employee at 东湖区八一大道营业厅 (360102-01)
)

var callers = []string{anon, admin, trainer, inspector, manager, employee}

// scopeRoot is the unit whose subtree each signed-in caller sees through anyUser routes
// and, for the roles a route admits, through that route.
var scopeRoot = map[string]string{admin: "36", trainer: "36", inspector: "3601", manager: "360102", employee: "360102-01"}

var (
	staff  = []string{admin, trainer, inspector, manager} // employees: read
	roster = []string{admin, manager}                     // employees: write and import
)

// matrixPassword is the password of the fixture users the matrix creates; resets set it
// again, so no row depends on another having run.
const matrixPassword = "matrix-pass-123"

// statuses is the expected status for every caller.
type statuses map[string]int

// everyone expects code from every caller, anon included.
func everyone(code int) statuses {
	s := statuses{}
	for _, c := range callers {
		s[c] = code
	}
	return s
}

// signedIn expects 401 from anon and code from every signed-in caller.
func signedIn(code int) statuses { return everyone(code).but(http.StatusUnauthorized, anon) }

// only expects 401 from anon, code from the listed roles and 403 from every other role.
func only(code int, roles ...string) statuses {
	return everyone(http.StatusForbidden).but(http.StatusUnauthorized, anon).but(code, roles...)
}

// but returns a copy of s in which the listed callers expect code instead.
func (s statuses) but(code int, who ...string) statuses {
	out := make(statuses, len(s))
	for k, v := range s {
		out[k] = v
	}
	for _, w := range who {
		out[w] = code
	}
	return out
}

// uploadBody is a row body sent as a multipart form with one file.
type uploadBody struct {
	field, name string
	content     []byte
}

// formBody is a row body sent as an URL-encoded form, as the web UI's forms are.
type formBody url.Values

// matrixRow is one request of the matrix, made once by every caller.
type matrixRow struct {
	method, route string // the route exactly as registered
	name          string // what this request shows, when the route has several rows
	// prep builds the concrete URL and body (a JSON value, a raw string, a form or an
	// upload); it is called once per caller, so writes get a fresh target each time.
	prep func(e *env, as string) (target string, body any)
	want statuses
	// check looks at a successful (2xx) response, e.g. that a list is cut to the scope.
	check func(t *testing.T, e *env, as string, res response)
	// redirect is where a 3xx answer must point, given the request URL.
	redirect func(target string) string
	// ownSession marks rows that end or replace the caller's own session (password
	// change, login, logout): they run after every other row of the caller, in table order.
	ownSession bool
	// noAudit says why a write this row makes, when it succeeds, writes no audit row
	// (a dry run, a preview, a repeat answered from the stored result); every other
	// successful write must add exactly its audit rows (audits, default one), and a read
	// or a refused request none.
	noAudit string
	// auditsAs is, for a caller whose successful write adds other than one audit row
	// (nor none, as noAudit says), how many it adds.
	auditsAs map[string]int64
}

// auditRows is how many audit rows the row's request as caller as must have added,
// answered code: a read and a refusal none, a successful write exactly its own.
func (r matrixRow) auditRows(as string, code int) int64 {
	n, special := r.auditsAs[as]
	switch {
	case r.method == get || code >= 400:
		return 0
	case special:
		return n
	case r.noAudit != "":
		return 0
	}
	return 1
}

func (r matrixRow) key() string { return r.method + " " + r.route }

func (r matrixRow) String() string {
	if r.name == "" {
		return r.key()
	}
	return r.key() + " [" + r.name + "]"
}

func TestRouteRoleMatrix(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		start := time.Now()
		e := newEnv(t, db)
		rows := matrixRows()
		checkMatrixCovers(t, e, rows)

		ordered := make([]matrixRow, 0, len(rows))
		for _, last := range []bool{false, true} {
			for _, r := range rows {
				if r.ownSession == last {
					ordered = append(ordered, r)
				}
			}
		}

		requests := 0
		for _, as := range callers {
			// One login per role; anon gets a fresh client per request, so that a login row
			// cannot sign it in for the rows after it.
			var c *client
			if as != anon {
				c = e.login(as)
			}
			for _, r := range ordered {
				cl := c
				if as == anon {
					cl = e.anon()
				}
				target, body := r.prep(e, as)
				if !routeMatches(r.route, target) {
					t.Errorf("%s: prep built %s, which is not this route", r, target)
					continue
				}
				audited := e.auditCount()
				res := sendRow(cl, r.method, target, body)
				requests++
				if want := r.want[as]; res.Code != want {
					t.Errorf("%s as %s: %s %s answered %d, want %d: %s", r, as, r.method, target, res.Code, want, clipBody(res.Body))
					continue
				}
				if got, want := e.auditCount()-audited, r.auditRows(as, res.Code); got != want {
					t.Errorf("%s as %s: %s %s answered %d and wrote %d audit rows, want %d", r, as, r.method, target, res.Code, got, want)
				}
				switch {
				case res.Code >= 300 && res.Code < 400:
					if r.redirect == nil {
						t.Errorf("%s as %s: answered %d but the row expects no redirect", r, as, res.Code)
					} else {
						assert.Equal(t, r.redirect(target), res.Header.Get("Location"), "%s as %s: redirect", r, as)
					}
				case res.Code < 300 && r.check != nil:
					r.check(t, e, as, res)
				}
			}
			if c != nil {
				// The last row was a logout: the session must be gone.
				assert.Equal(t, http.StatusUnauthorized, c.do(http.MethodGet, "/api/v1/me", nil).Code, "%s is still signed in after logout", as)
			}
		}
		t.Logf("%d rows × %d callers = %d requests in %s", len(rows), len(callers), requests, time.Since(start).Round(time.Millisecond))
	})
}

// matrixRows is the matrix: for each route, who gets which status. Ids name records of
// the fixture: employee 360102001 (manager's branch 东湖区) and 360402001 (濂溪区, in
// 九江: another city's branch); fresh records are made per caller for writes.
func matrixRows() []matrixRow {
	rows := []matrixRow{
		// System: public.
		{method: get, route: "/healthz", prep: static("/healthz"), want: everyone(ok)},
		{method: get, route: "/readyz", prep: static("/readyz"), want: everyone(ok)},
		{method: get, route: "/api/v1/openapi.json", prep: static("/api/v1/openapi.json"), want: everyone(ok),
			check: func(t *testing.T, _ *env, _ string, res response) {
				assert.Contains(t, res.Body, `"openapi":"3.`)
			}},

		// Accounts (the rows that end a session are at the end of the table).
		{method: get, route: "/api/v1/me", prep: static("/api/v1/me"), want: signedIn(ok),
			check: func(t *testing.T, _ *env, as string, res response) {
				var me struct{ User models.User }
				res.JSON(t, &me)
				assert.Equal(t, as, me.User.Username)
			}},

		// Org units: any signed-in user reads inside their scope; only admins write.
		{method: get, route: "/api/v1/org-units", name: "q=360402, another city's branch", want: signedIn(ok),
			prep:  static("/api/v1/org-units?q=360402"),
			check: wantTotal(map[string]bool{admin: true, trainer: true})},
		{method: get, route: "/api/v1/org-units", name: "q=360102, the manager's branch", want: signedIn(ok),
			prep: static("/api/v1/org-units?q=360102"),
			check: func(t *testing.T, e *env, as string, res response) {
				list := orgUnitList(t, res)
				assert.NotZero(t, list.Total, "%s sees no unit of 东湖区", as)
				if as == employee {
					// Only their own outlet: not the branch, not the sibling outlet.
					require.Len(t, list.Items, 1)
					assert.Equal(t, "360102-01", list.Items[0].Code)
				}
			}},
		{method: get, route: "/api/v1/org-units", name: "every unit is in scope", want: signedIn(ok),
			prep: static("/api/v1/org-units?per_page=200"),
			check: func(t *testing.T, e *env, as string, res response) {
				list := orgUnitList(t, res)
				for _, u := range list.Items {
					assert.True(t, inScope(e, as, u.Path), "%s sees unit %s outside %s", as, u.Code, scopeRoot[as])
				}
				var n int64
				require.NoError(t, e.db.Model(&models.OrgUnit{}).Where("path LIKE ?", e.units[scopeRoot[as]].Path+"%").Count(&n).Error)
				assert.Equal(t, n, list.Total, "%s: total is not the size of the scope", as)
			}},
		{method: get, route: "/api/v1/org-units", name: "under=360402", want: signedIn(ok).but(notFound, inspector, manager, employee),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/org-units?under=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/org-units/tree", want: signedIn(ok),
			prep: static("/api/v1/org-units/tree"),
			check: func(t *testing.T, _ *env, as string, res response) {
				var roots []org.TreeNode
				res.JSON(t, &roots)
				require.Len(t, roots, 1, "%s: one root per grant", as)
				assert.Equal(t, scopeRoot[as], roots[0].Code)
			}},
		{method: get, route: "/api/v1/org-units/:id", name: "360102-01, the employee's outlet", want: signedIn(ok),
			prep: unitURL("/api/v1/org-units/:id", "360102-01")},
		{method: get, route: "/api/v1/org-units/:id", name: "360102-02, a sibling outlet", want: signedIn(ok).but(notFound, employee),
			prep: unitURL("/api/v1/org-units/:id", "360102-02")},
		{method: get, route: "/api/v1/org-units/:id", name: "360102, the manager's branch", want: signedIn(ok).but(notFound, employee),
			prep: unitURL("/api/v1/org-units/:id", "360102")},
		{method: get, route: "/api/v1/org-units/:id", name: "360402, another city's branch", want: signedIn(ok).but(notFound, inspector, manager, employee),
			prep: unitURL("/api/v1/org-units/:id", "360402")},
		{method: get, route: "/api/v1/org-units/:id", name: "nonexistent", want: signedIn(notFound),
			prep: static("/api/v1/org-units/999999")},
		{method: post, route: "/api/v1/org-units", name: "under 360102", want: only(created, admin),
			prep: newUnitBody("360102")},
		{method: post, route: "/api/v1/org-units", name: "under 360402", want: only(created, admin),
			prep: newUnitBody("360402")},
		{method: patch, route: "/api/v1/org-units/:id", name: "in 360102", want: only(ok, admin),
			prep: freshUnit("/api/v1/org-units/:id", "360102", map[string]string{"name": "矩阵改名营业厅"})},
		{method: patch, route: "/api/v1/org-units/:id", name: "in 360402", want: only(ok, admin),
			prep: freshUnit("/api/v1/org-units/:id", "360402", map[string]string{"name": "矩阵改名营业厅"})},
		{method: del, route: "/api/v1/org-units/:id", name: "in 360102", want: only(noContent, admin),
			prep: freshUnit("/api/v1/org-units/:id", "360102", nil)},
		{method: del, route: "/api/v1/org-units/:id", name: "in 360402", want: only(noContent, admin),
			prep: freshUnit("/api/v1/org-units/:id", "360402", nil)},

		// Employees: staff read inside their scope; admins and managers write.
		{method: get, route: "/api/v1/employees", name: "q=360402, another city's branch", want: only(ok, staff...),
			prep:  static("/api/v1/employees?q=360402"),
			check: wantTotal(map[string]bool{admin: true, trainer: true})},
		{method: get, route: "/api/v1/employees", name: "q=360102, the manager's branch", want: only(ok, staff...),
			prep:  static("/api/v1/employees?q=360102"),
			check: wantTotal(map[string]bool{admin: true, trainer: true, inspector: true, manager: true})},
		{method: get, route: "/api/v1/employees", name: "every employee is in scope", want: only(ok, staff...),
			prep: static("/api/v1/employees?per_page=200"),
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[models.Employee]
				res.JSON(t, &list)
				require.NotZero(t, list.Total)
				for _, m := range list.Items {
					require.NotNil(t, m.OrgUnit)
					assert.True(t, inScope(e, as, m.OrgUnit.Path), "%s sees employee %s of %s", as, m.JobNumber, m.OrgUnit.Code)
				}
			}},
		{method: get, route: "/api/v1/employees", name: "unit_id=360402", want: only(ok, staff...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/employees?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/employees/import/template", want: only(ok, roster...),
			prep: static("/api/v1/employees/import/template"),
			check: func(t *testing.T, _ *env, as string, res response) {
				codes := templateUnitCodes(t, res)
				assert.Contains(t, codes, "360102-01")
				if as == manager {
					for _, c := range codes {
						assert.True(t, strings.HasPrefix(c, "360102"), "the manager's template offers unit %s", c)
					}
				} else {
					assert.Contains(t, codes, "360402-01")
				}
			}},
		{method: post, route: "/api/v1/employees/import", name: "into 360102-01", want: only(ok, roster...),
			prep: rosterUpload("360102-01", false),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var rep org.ImportReport
				res.JSON(t, &rep)
				assert.Equal(t, 1, rep.Created)
			}},
		{method: post, route: "/api/v1/employees/import", name: "into 360402-01, dry run", want: only(ok, roster...).but(invalid, manager), noAudit: "a dry run",
			prep: rosterUpload("360402-01", true)},
		{method: get, route: "/api/v1/employees/:id", name: "360102001, the manager's branch", want: only(ok, staff...),
			prep: employeeURL("360102001")},
		{method: get, route: "/api/v1/employees/:id", name: "360402001, another city's branch", want: only(ok, staff...).but(notFound, inspector, manager),
			prep: employeeURL("360402001")},
		{method: get, route: "/api/v1/employees/:id", name: "nonexistent", want: only(notFound, staff...),
			prep: static("/api/v1/employees/999999")},
		{method: post, route: "/api/v1/employees", name: "into 360102-01", want: only(created, roster...),
			prep: newEmployeeBody("360102-01")},
		{method: post, route: "/api/v1/employees", name: "into 360402-01", want: only(created, roster...).but(invalid, manager),
			prep: newEmployeeBody("360402-01")},
		{method: patch, route: "/api/v1/employees/:id", name: "in 360102", want: only(ok, roster...),
			prep: freshEmployee("/api/v1/employees/:id", "360102", func(*env) any { return map[string]string{"name": "矩阵改名"} })},
		{method: patch, route: "/api/v1/employees/:id", name: "in 360402", want: only(ok, roster...).but(notFound, manager),
			prep: freshEmployee("/api/v1/employees/:id", "360402", func(*env) any { return map[string]string{"name": "矩阵改名"} })},
		{method: patch, route: "/api/v1/employees/:id", name: "move 360102 → 360402", want: only(ok, roster...).but(invalid, manager),
			prep: freshEmployee("/api/v1/employees/:id", "360102", func(e *env) any { return map[string]uint{"org_unit_id": e.unit("360402")} })},
		{method: del, route: "/api/v1/employees/:id", name: "in 360102", want: only(noContent, roster...),
			prep: freshEmployee("/api/v1/employees/:id", "360102", nil)},
		{method: del, route: "/api/v1/employees/:id", name: "in 360402", want: only(noContent, roster...).but(notFound, manager),
			prep: freshEmployee("/api/v1/employees/:id", "360402", nil)},

		// Users: admins only.
		{method: get, route: "/api/v1/users", name: "q=staff-360402", want: only(ok, admin),
			prep: func(e *env, _ string) (string, any) {
				fixtureUser(e, "staff-360402", models.RoleManager, "360402")
				return "/api/v1/users?q=staff-360402", nil
			},
			check: wantTotal(map[string]bool{admin: true})},
		{method: get, route: "/api/v1/users", name: "role=manager", want: only(ok, admin),
			prep: static("/api/v1/users?role=manager&per_page=200"),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var list models.List[models.User]
				res.JSON(t, &list)
				require.NotZero(t, list.Total)
				for _, u := range list.Items {
					assert.True(t, slices.ContainsFunc(u.Grants, func(g models.Grant) bool { return g.Role == models.RoleManager }), "%s is no manager", u.Username)
				}
			}},
		{method: get, route: "/api/v1/users/:id", name: "manager of 360102", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-360102", models.RoleManager, "360102", nil)},
		{method: get, route: "/api/v1/users/:id", name: "manager of 360402", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-360402", models.RoleManager, "360402", nil)},
		// A new account before it is given a role: the province admin must still see it.
		{method: get, route: "/api/v1/users/:id", name: "user without grants", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-nogrant", "", "", nil)},
		{method: get, route: "/api/v1/users/:id", name: "nonexistent", want: only(notFound, admin),
			prep: static("/api/v1/users/999999")},
		{method: post, route: "/api/v1/users", want: only(created, admin),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/users", accounts.UserInput{Username: fmt.Sprintf("matrix-user-%d", uniq()), Password: matrixPassword,
					Grants: []accounts.GrantInput{{Role: models.RoleEmployee, OrgUnitID: e.unit("360102-01")}}}
			}},
		{method: patch, route: "/api/v1/users/:id", name: "manager of 360102", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-360102", models.RoleManager, "360102", map[string]string{"display_name": "东湖经理（改）"})},
		{method: patch, route: "/api/v1/users/:id", name: "manager of 360402", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-360402", models.RoleManager, "360402", map[string]string{"display_name": "濂溪经理（改）"})},
		{method: patch, route: "/api/v1/users/:id", name: "user without grants", want: only(ok, admin),
			prep: userURL("/api/v1/users/:id", "staff-nogrant", "", "", map[string]string{"display_name": "新员工（改）"})},
		{method: put, route: "/api/v1/users/:id/password", name: "manager of 360102", want: only(noContent, admin),
			prep: userURL("/api/v1/users/:id/password", "staff-360102", models.RoleManager, "360102", map[string]string{"password": matrixPassword})},
		{method: put, route: "/api/v1/users/:id/password", name: "manager of 360402", want: only(noContent, admin),
			prep: userURL("/api/v1/users/:id/password", "staff-360402", models.RoleManager, "360402", map[string]string{"password": matrixPassword})},

		// Web UI: the same rules; a page asked for without a session sends to the login form.
		{method: get, route: "/", prep: static("/"), want: signedIn(ok).but(seeOther, anon), redirect: toLogin},
		{method: get, route: "/login", prep: static("/login"), want: everyone(seeOther).but(ok, anon), redirect: redirectTo("/")},
		{method: get, route: "/lang", prep: static("/lang?to=zh-CN"), want: everyone(seeOther), redirect: redirectTo("/")},
		{method: get, route: "/static/app.css", prep: static("/static/app.css"), want: everyone(ok)},
		{method: get, route: "/static/app.js", prep: static("/static/app.js"), want: everyone(ok)},
		{method: get, route: "/static/favicon.svg", prep: static("/static/favicon.svg"), want: everyone(ok)},
		{method: get, route: "/favicon.ico", prep: static("/favicon.ico"), want: everyone(ok)},
		{method: get, route: "/static/license.txt", prep: static("/static/license.txt"), want: everyone(ok)},
		{method: get, route: "/org", prep: static("/org"), want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			check: pageShows("360402-01", admin, trainer)},
		{method: get, route: "/employees", name: "q=3604", want: only(ok, staff...).but(seeOther, anon), redirect: toLogin,
			prep: static("/employees?q=3604"), check: pageShows("360402001", admin, trainer)},
		{method: get, route: "/employees", name: "unit_id=360402", want: only(ok, staff...).but(seeOther, anon).but(notFound, inspector, manager),
			redirect: toLogin, prep: func(e *env, _ string) (string, any) {
				return "/employees?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/employees/import", prep: static("/employees/import"), want: only(ok, roster...).but(seeOther, anon), redirect: toLogin},
		{method: post, route: "/employees/import", name: "into 360102-01", want: only(ok, roster...),
			prep: webRosterUpload("360102-01")},
		{method: post, route: "/employees/import", name: "into 360402-01", want: only(ok, roster...).but(invalid, manager),
			prep: webRosterUpload("360402-01")},
		{method: get, route: "/audit", prep: static("/audit"), want: only(ok, admin).but(seeOther, anon), redirect: toLogin},

		// Audit log: admins only.
		{method: get, route: "/api/v1/audit-events", want: only(ok, admin),
			prep:  static("/api/v1/audit-events"),
			check: wantTotal(map[string]bool{admin: true})},

		// Rows on the caller's own session run last, in this order: the password change ends
		// every session, each login opens a new one and each logout ends it (so the logins
		// run without a session). Anon signs in as a fixture user; the others sign in again
		// as themselves.
		{method: put, route: "/api/v1/me/password", ownSession: true, want: signedIn(noContent),
			// The new password is the old one, so the logins below need not know the order.
			prep: func(_ *env, as string) (string, any) {
				pw := passwordOf(as)
				return "/api/v1/me/password", map[string]string{"current_password": pw, "new_password": pw}
			}},
		{method: post, route: "/api/v1/auth/login", ownSession: true, want: everyone(ok),
			prep: func(e *env, as string) (string, any) {
				return "/api/v1/auth/login", map[string]string{"username": loginName(e, as), "password": passwordOf(as)}
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var me struct {
					User      models.User
					CSRFToken string `json:"csrf_token"`
				}
				res.JSON(t, &me)
				assert.NotEmpty(t, me.CSRFToken)
				assert.Equal(t, loginName(e, as), me.User.Username)
			}},
		{method: post, route: "/api/v1/auth/logout", ownSession: true, prep: static("/api/v1/auth/logout"), want: signedIn(noContent)},
		{method: post, route: "/login", ownSession: true, want: everyone(seeOther), redirect: redirectTo("/org"),
			prep: func(e *env, as string) (string, any) {
				return "/login", formBody{"username": {loginName(e, as)}, "password": {passwordOf(as)}, "next": {"/org"}}
			}},
		{method: post, route: "/logout", ownSession: true, prep: static("/logout"), want: signedIn(seeOther), redirect: redirectTo("/login")},
	}
	// One file per area beyond the foundation.
	rows = append(rows, examMatrixRows()...)
	rows = append(rows, trainingMatrixRows()...)
	rows = append(rows, certificateMatrixRows()...)
	rows = append(rows, courseMatrixRows()...)
	rows = append(rows, checklistMatrixRows()...)
	rows = append(rows, caseMatrixRows()...)
	rows = append(rows, patrolMatrixRows()...)
	rows = append(rows, rectificationMatrixRows()...)
	rows = append(rows, trainingPageMatrixRows()...)
	rows = append(rows, trainerPageMatrixRows()...)
	rows = append(rows, supervisionPageMatrixRows()...)
	rows = append(rows, checklistPageMatrixRows()...)
	rows = append(rows, metricMatrixRows()...)
	rows = append(rows, rankingMatrixRows()...)
	rows = append(rows, rankingPageMatrixRows()...)
	rows = append(rows, inspectionSettingsMatrixRows()...)
	rows = append(rows, employeePageMatrixRows()...)
	rows = append(rows, adminPageMatrixRows()...)
	rows = append(rows, orgPageMatrixRows()...)
	rows = append(rows, analysisPageMatrixRows()...)
	return rows
}

// static is a prep that always targets the same URL with no body.
func static(target string) func(*env, string) (string, any) {
	return func(*env, string) (string, any) { return target, nil }
}

// Methods and statuses the rows use.
const (
	get, post, put, patch, del  = http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete
	ok, created, noContent      = http.StatusOK, http.StatusCreated, http.StatusNoContent
	seeOther, notFound, invalid = http.StatusSeeOther, http.StatusNotFound, http.StatusUnprocessableEntity
	conflict                    = http.StatusConflict
)

// sendRow sends body as JSON, as a form or as an upload, whichever it is.
func sendRow(cl *client, method, target string, body any) response {
	switch b := body.(type) {
	case uploadBody:
		return cl.upload(target, b.field, b.name, b.content)
	case formBody:
		req := httptest.NewRequest(method, target, strings.NewReader(url.Values(b).Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return cl.send(req)
	}
	return cl.do(method, target, body)
}

// checkMatrixCovers fails naming every registered route without a row and every row
// whose route is not registered. HEAD twins of GET routes and middleware are skipped.
func checkMatrixCovers(t *testing.T, e *env, rows []matrixRow) {
	t.Helper()
	registered := registeredRoutes(e)
	covered := map[string]bool{}
	for _, r := range rows {
		covered[r.key()] = true
		for _, c := range callers {
			if _, ok := r.want[c]; !ok {
				t.Errorf("row %s has no expected status for %s", r, c)
			}
		}
		if !registered[r.key()] {
			t.Errorf("row %s names a route that is not registered", r)
		}
	}
	var missing []string
	for k := range registered {
		if !covered[k] {
			missing = append(missing, k)
		}
	}
	sort.Strings(missing)
	for _, k := range missing {
		t.Errorf("route %s has no row in the matrix", k)
	}
}

// registeredRoutes is "METHOD path" of every route of the app, without middleware
// (USE) and without the HEAD routes Fiber adds beside GET routes.
func registeredRoutes(e *env) map[string]bool {
	all := e.app.GetRoutes(true)
	gets := map[string]bool{}
	for _, r := range all {
		if r.Method == http.MethodGet {
			gets[r.Path] = true
		}
	}
	out := map[string]bool{}
	for _, r := range all {
		if r.Method == "USE" || (r.Method == http.MethodHead && gets[r.Path]) {
			continue
		}
		out[r.Method+" "+r.Path] = true
	}
	return out
}

var routeParamRE = regexp.MustCompile(`:[A-Za-z0-9_]+`)

// routeMatches reports whether target (its path) is served by the route pattern.
func routeMatches(pattern, target string) bool {
	path, _, _ := strings.Cut(target, "?")
	re := "^" + routeParamRE.ReplaceAllString(regexp.QuoteMeta(pattern), `[^/]+`) + "$"
	return regexp.MustCompile(re).MatchString(path)
}

// loginName is whom the caller signs in as on the login rows: anon uses a fixture user.
func loginName(e *env, as string) string {
	if as == anon {
		fixtureUser(e, "staff-360402", models.RoleManager, "360402")
		return "staff-360402"
	}
	return as
}

// toLogin is where a page asked for without a session sends the browser.
func toLogin(target string) string { return "/login?next=" + url.QueryEscape(target) }

// redirectTo is a redirect to a fixed place.
func redirectTo(place string) func(string) string { return func(string) string { return place } }

// pageShows checks that a page mentions text for the listed callers and for no one else.
func pageShows(text string, who ...string) func(*testing.T, *env, string, response) {
	return func(t *testing.T, _ *env, as string, res response) {
		if slices.Contains(who, as) {
			assert.Contains(t, res.Body, text, "%s should see %s", as, text)
		} else {
			assert.NotContains(t, res.Body, text, "%s must not see %s", as, text)
		}
	}
}

// passwordOf is the caller's password.
func passwordOf(as string) string {
	switch as {
	case admin:
		return adminPassword
	case anon:
		return matrixPassword
	}
	return demoPassword
}

// inScope reports whether a unit path lies in the caller's scope.
func inScope(e *env, as, path string) bool {
	return strings.HasPrefix(path, e.units[scopeRoot[as]].Path)
}

var matrixSeq atomic.Int64

// uniq is a number no other row or caller gets, for unique codes and names.
func uniq() int64 { return matrixSeq.Add(1) }

func idStr(id uint) string { return strconv.FormatUint(uint64(id), 10) }

func withID(route string, id uint) string { return strings.Replace(route, ":id", idStr(id), 1) }

func unitURL(route, code string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) { return withID(route, e.unit(code)), nil }
}

func employeeURL(job string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) { return withID("/api/v1/employees/:id", e.employee(job)), nil }
}

// newUnitBody is a new outlet under the county with parentCode.
func newUnitBody(parentCode string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		parent := e.unit(parentCode)
		return "/api/v1/org-units", org.UnitInput{Code: fmt.Sprintf("%s-N%d", parentCode, uniq()), Name: "矩阵新营业厅",
			Level: models.LevelOutlet, ParentID: &parent, Households: 1000}
	}
}

// freshUnit makes a new outlet under parentCode for this request alone and targets it.
func freshUnit(route, parentCode string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		parent := e.unit(parentCode)
		u, err := org.NewService(e.db).CreateUnit(context.Background(), models.SystemActor, models.ScopeAll, org.UnitInput{
			Code: fmt.Sprintf("%s-M%d", parentCode, uniq()), Name: "矩阵营业厅", Level: models.LevelOutlet, ParentID: &parent})
		require.NoError(e.t, err)
		return withID(route, u.ID), body
	}
}

func newEmployeeBody(unitCode string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		return "/api/v1/employees", map[string]any{"job_number": fmt.Sprintf("%sC%d", unitCode, uniq()), "name": "矩阵新员工",
			"org_unit_id": e.unit(unitCode), "position": models.PositionWindow, "hire_date": "2024-03-01"}
	}
}

// freshEmployee makes a new employee in unitCode for this request alone and targets it.
func freshEmployee(route, unitCode string, body func(*env) any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		emp, err := org.NewService(e.db).CreateEmployee(context.Background(), models.SystemActor, models.ScopeAll, org.EmployeeInput{
			JobNumber: fmt.Sprintf("%sF%d", unitCode, uniq()), Name: "矩阵员工", OrgUnitID: e.unit(unitCode),
			Position: models.PositionInstaller, HireDate: models.Date{Year: 2020, Month: 5, Day: 1}})
		require.NoError(e.t, err)
		var b any
		if body != nil {
			b = body(e)
		}
		return withID(route, emp.ID), b
	}
}

// rosterUpload is a one-row roster workbook with a new job number in unitCode.
func rosterUpload(unitCode string, dryRun bool) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		f := excelize.NewFile()
		defer f.Close()
		require.NoError(e.t, f.SetSheetName("Sheet1", org.RosterSheet))
		for i, row := range [][]any{
			{"job_number", "name", "org_unit_code", "position", "hire_date"},
			{fmt.Sprintf("%sI%d", unitCode, uniq()), "矩阵导入", unitCode, "窗口", "2023-07-01"},
		} {
			require.NoError(e.t, f.SetSheetRow(org.RosterSheet, fmt.Sprintf("A%d", i+1), &row))
		}
		var buf bytes.Buffer
		require.NoError(e.t, f.Write(&buf))
		return "/api/v1/employees/import?dry_run=" + strconv.FormatBool(dryRun), uploadBody{"file", "roster.xlsx", buf.Bytes()}
	}
}

// webRosterUpload is rosterUpload through the web form (no dry run).
func webRosterUpload(unitCode string) func(*env, string) (string, any) {
	return func(e *env, as string) (string, any) {
		_, body := rosterUpload(unitCode, false)(e, as)
		return "/employees/import", body
	}
}

// fixtureUser returns the id of username, creating it on first use with role over the
// unit with unitCode (no grant when role is empty) and matrixPassword.
func fixtureUser(e *env, username, role, unitCode string) uint {
	ctx := context.Background()
	if u, err := models.GetUserByUsername(ctx, e.db, username); err == nil {
		return u.ID
	} else if !errors.Is(err, models.ErrNotFound) {
		require.NoError(e.t, err)
	}
	in := accounts.UserInput{Username: username, Password: matrixPassword}
	if role != "" {
		in.Grants = []accounts.GrantInput{{Role: role, OrgUnitID: e.unit(unitCode)}}
	}
	u, err := accounts.NewService(e.db, accounts.DefaultConfig).CreateUser(ctx, models.SystemActor, models.ScopeAll, in)
	require.NoError(e.t, err)
	return u.ID
}

func userURL(route, username, role, unitCode string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		return withID(route, fixtureUser(e, username, role, unitCode)), body
	}
}

// wantTotal checks a list's total: above zero for the callers in some, zero for the rest.
func wantTotal(some map[string]bool) func(*testing.T, *env, string, response) {
	return func(t *testing.T, _ *env, as string, res response) {
		var list struct{ Total int64 }
		res.JSON(t, &list)
		if some[as] {
			assert.NotZero(t, list.Total, "%s should see some", as)
		} else {
			assert.Zero(t, list.Total, "%s should see none", as)
		}
	}
}

func orgUnitList(t *testing.T, res response) models.List[models.OrgUnit] {
	var list models.List[models.OrgUnit]
	res.JSON(t, &list)
	return list
}

// templateUnitCodes reads the unit codes the roster template offers.
func templateUnitCodes(t *testing.T, res response) []string {
	f, err := excelize.OpenReader(strings.NewReader(res.Body))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("单位编码")
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	var codes []string
	for _, r := range rows[1:] {
		if len(r) > 0 {
			codes = append(codes, r[0])
		}
	}
	return codes
}

func clipBody(s string) string {
	if len(s) > 300 {
		return s[:300] + "…"
	}
	return s
}
