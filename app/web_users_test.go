package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

// signIn logs username in with password through the API and returns its client.
func (e *env) signIn(username, password string) (*client, int) {
	c := e.anon()
	return c, c.do(post, "/api/v1/auth/login", map[string]string{"username": username, "password": password}).Code
}

// TestUserPages: an admin creates a user for an employee with a first grant, grants
// and revokes, resets the password and disables the account through the pages; a
// refused form keeps what was typed and says why beside each field; every write is in
// the audit log.
func TestUserPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		adm := e.login(admin)
		emp, err := org.NewService(db).CreateEmployee(ctx, models.SystemActor, models.ScopeAll, org.EmployeeInput{JobNumber: "360102T01", Name: "张三",
			OrgUnitID: e.unit("360102-01"), Position: models.PositionWindow, HireDate: models.Date{Year: 2024, Month: 3, Day: 1}})
		require.NoError(t, err)
		home := adm.do(get, "/", nil)
		assert.Contains(t, home.Body, `<a href="/users">用户与授权</a>`)
		assert.NotContains(t, e.login(manager).do(get, "/", nil).Body, `href="/users"`)

		// A refusal: each message beside its field and in the summary; what was typed kept,
		// the password not.
		res := adm.postPageForm("/users/new", "/users/new", url.Values{"job_number": {"NOPE-1"}, "username": {"Bad Name!"},
			"display_name": {"张三"}, "password": {"short1"}, "role": {models.RoleManager}, "org_unit_id": {idStr(e.unit("360102"))}})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		for _, id := range []string{"job_number", "username", "password"} {
			assert.Contains(t, res.Body, `<a href="#`+id+`">`, "summary links %s", id)
		}
		assert.Contains(t, res.Body, `id="job_number" name="job_number" value="NOPE-1"`)
		assert.Contains(t, res.Body, `id="username" name="username" value="Bad Name!"`)
		assert.Contains(t, res.Body, `<option value="manager" selected>`)
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>360102 `, e.unit("360102")))
		assert.NotContains(t, res.Body, "short1")
		assert.Contains(t, res.Body, "用户名只能包含字母")
		adm.cookies["lang"] = "en"
		res = adm.postPageForm("/users/new", "/users/new", url.Values{"username": {"zhang.san"}, "password": {"short1"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "at least 8 characters")
		delete(adm.cookies, "lang")

		// Create, linked to the employee, with a first grant.
		res = adm.postPageForm("/users/new", "/users/new", url.Values{"job_number": {"360102T01"}, "username": {"Zhang.San"},
			"display_name": {"张三（东湖）"}, "password": {"first-pass-123"}, "role": {models.RoleManager}, "org_unit_id": {idStr(e.unit("360102"))}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		u, err := models.GetUserByUsername(ctx, db, "zhang.san")
		require.NoError(t, err)
		assert.Equal(t, fmt.Sprintf("/users/%d?done=created", u.ID), res.Header.Get("Location"))
		require.NotNil(t, u.EmployeeID)
		assert.Equal(t, emp.ID, *u.EmployeeID)
		assert.Equal(t, []string{"manager@360102"}, grantsOf(e, u.ID))
		base := fmt.Sprintf("/users/%d", u.ID)
		page := adm.do(get, base+"?done=created", nil)
		assert.Contains(t, page.Body, "用户已创建")
		assert.Contains(t, page.Body, "360102T01 张三")
		list := adm.do(get, "/users?q=zhang", nil)
		assert.Contains(t, list.Body, `data-username="zhang.san"`)
		assert.Contains(t, list.Body, "分公司经理 · 东湖区分公司")

		// Grant, and a refused grant keeps the choice.
		res = adm.postPageForm(base, base+"/grants", url.Values{"role": {models.RoleInspector}, "org_unit_id": {idStr(e.unit("3601"))}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, base+"?done=granted", res.Header.Get("Location"))
		assert.ElementsMatch(t, []string{"manager@360102", "inspector@3601"}, grantsOf(e, u.ID))
		res = adm.postPageForm(base, base+"/grants", url.Values{"role": {models.RoleInspector}, "org_unit_id": {idStr(e.unit("3601"))}})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `<a href="#grant-role">`)
		assert.Contains(t, res.Body, "该用户已有这个角色和单位的授权")
		assert.Contains(t, res.Body, `<option value="inspector" selected>`)
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>3601 `, e.unit("3601")))
		res = adm.postPageForm(base, base+"/grants", url.Values{"role": {""}, "org_unit_id": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `<a href="#grant-role">`)

		// Revoke.
		res = adm.postPageForm(base, base+"/grants/revoke", url.Values{"role": {models.RoleManager}, "org_unit_id": {idStr(e.unit("360102"))}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, []string{"inspector@3601"}, grantsOf(e, u.ID))

		// Reset the password: the user's session ends, the new password works.
		them, code := e.signIn("zhang.san", "first-pass-123")
		require.Equal(t, ok, code)
		require.Equal(t, ok, them.do(get, "/api/v1/me", nil).Code)
		res = adm.postPageForm(base, base+"/password", url.Values{"password": {"short"}})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `<a href="#new-password">`)
		assert.Equal(t, ok, them.do(get, "/api/v1/me", nil).Code, "a refused reset ends nothing")
		res = adm.postPageForm(base, base+"/password", url.Values{"password": {"second-pass-123"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, http.StatusUnauthorized, them.do(get, "/api/v1/me", nil).Code)
		_, code = e.signIn("zhang.san", "first-pass-123")
		assert.Equal(t, http.StatusUnauthorized, code)
		them, code = e.signIn("zhang.san", "second-pass-123")
		require.Equal(t, ok, code)

		// Disable (the session ends, no sign-in), then enable.
		res = adm.postPageForm(base, base+"/status", url.Values{"disabled": {"true"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, base+"?done=disabled", res.Header.Get("Location"))
		assert.Equal(t, http.StatusUnauthorized, them.do(get, "/api/v1/me", nil).Code)
		_, code = e.signIn("zhang.san", "second-pass-123")
		assert.NotEqual(t, ok, code)
		assert.Contains(t, adm.do(get, "/users?status=disabled", nil).Body, `data-username="zhang.san" class="disabled"`)
		res = adm.postPageForm(base, base+"/status", url.Values{"disabled": {"false"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		_, code = e.signIn("zhang.san", "second-pass-123")
		assert.Equal(t, ok, code)

		// An admin can neither disable themself nor take their own admin grant away.
		me, err := models.GetUserByUsername(ctx, db, admin)
		require.NoError(t, err)
		mine := fmt.Sprintf("/users/%d", me.ID)
		res = adm.postPageForm(mine, mine+"/status", url.Values{"disabled": {"true"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "不能停用自己的账号")
		res = adm.postPageForm(mine, mine+"/grants/revoke", url.Values{"role": {models.RoleAdmin}, "org_unit_id": {idStr(e.unit("36"))}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "不能撤销自己的管理员授权")

		// Every write is in the audit log, by the admin, read on the audit page.
		page = adm.do(get, fmt.Sprintf("/audit?actor=admin&entity=user&entity_id=%d", u.ID), nil)
		var actions []string
		for _, r := range auditPageRows(t, page.Body) {
			actions = append(actions, r.action)
		}
		assert.Equal(t, []string{"update", "update", "reset_password", "update", "update", "create"}, actions)
		assert.Contains(t, page.Body, `<span class="field" data-field="disabled">停用</span>：<span class="from">true</span> → <span class="to">false</span>`)
	})
}

// grantsOf lists a user's grants as role@unit code.
func grantsOf(e *env, id uint) []string {
	u, err := models.GetUser(context.Background(), e.db, models.ScopeAll, id)
	require.NoError(e.t, err)
	codes := map[uint]string{}
	for code, unit := range e.units {
		codes[unit.ID] = code
	}
	out := []string{}
	for _, g := range u.Grants {
		out = append(out, g.Role+"@"+codes[g.OrgUnitID])
	}
	return out
}
