package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"github.com/stretchr/testify/require"

	"quality/accounts"
	"quality/models"
)

// adminPageMatrixRows are the rows of the admins' user pages: admins only, like the
// users API; every other role gets 403, a page asked for without a session goes to the
// login form and a form without one is 401. A form that succeeds goes back to the
// user's page (303) with its notice; a refused one shows the form again (422).
func adminPageMatrixRows() []matrixRow {
	page := only(ok, admin).but(seeOther, anon)
	form := only(seeOther, admin)
	// created names the user the create row made, for its redirect.
	var created struct {
		e        *env
		username string
	}
	back := func(done string) func(string) string {
		return func(target string) string {
			id := strings.Split(strings.TrimPrefix(target, "/users/"), "/")[0]
			return "/users/" + id + "?done=" + done
		}
	}
	return []matrixRow{
		{method: get, route: "/users", want: page, redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				fixtureUser(e, "staff-360402", models.RoleManager, "360402")
				return "/users?q=staff-360402&role=manager&status=active", nil
			},
			check: pageShows(`data-username="staff-360402"`, admin)},
		{method: get, route: "/users", name: "status=bogus", want: page.but(http.StatusBadRequest, admin), redirect: toLogin,
			prep: static("/users?status=bogus")},
		{method: get, route: "/users/new", want: page, redirect: toLogin, prep: static("/users/new"),
			check: pageShows(`id="user-form"`, admin)},
		{method: post, route: "/users/new", name: "a new user with a grant", want: form,
			prep: func(e *env, _ string) (string, any) {
				created.e, created.username = e, fmt.Sprintf("mx-new-%d", uniq())
				return "/users/new", formBody{"username": {created.username}, "password": {matrixPassword},
					"role": {models.RoleEmployee}, "org_unit_id": {idStr(e.unit("360102-01"))}}
			},
			redirect: func(string) string {
				u, err := models.GetUserByUsername(context.Background(), created.e.db, created.username)
				require.NoError(created.e.t, err)
				return fmt.Sprintf("/users/%d?done=created", u.ID)
			}},
		{method: post, route: "/users/new", name: "no role", want: only(invalid, admin),
			prep: func(e *env, _ string) (string, any) {
				return "/users/new", formBody{"username": {fmt.Sprintf("mx-bad-%d", uniq())}, "password": {matrixPassword}, "org_unit_id": {idStr(e.unit("36"))}}
			},
			check: pageShows(`href="#role"`, admin)},
		{method: get, route: "/users/:id", want: page, redirect: toLogin,
			prep:  userURL("/users/:id", "staff-360402", models.RoleManager, "360402", nil),
			check: pageShows(`id="grant-form"`, admin)},
		{method: get, route: "/users/:id", name: "nonexistent", want: page.but(notFound, admin), redirect: toLogin,
			prep: static("/users/999999")},
		{method: post, route: "/users/:id/grants", want: form, redirect: back("granted"),
			prep: freshUser("/users/:id/grants", models.RoleEmployee, "360402-01", func(e *env) any {
				return formBody{"role": {models.RoleManager}, "org_unit_id": {idStr(e.unit("360402"))}}
			})},
		{method: post, route: "/users/:id/grants", name: "the grant it holds", want: only(invalid, admin),
			prep: freshUser("/users/:id/grants", models.RoleEmployee, "360402-01", func(e *env) any {
				return formBody{"role": {models.RoleEmployee}, "org_unit_id": {idStr(e.unit("360402-01"))}}
			})},
		{method: post, route: "/users/:id/grants/revoke", want: form, redirect: back("revoked"),
			prep: freshUser("/users/:id/grants/revoke", models.RoleManager, "360402", func(e *env) any {
				return formBody{"role": {models.RoleManager}, "org_unit_id": {idStr(e.unit("360402"))}}
			})},
		{method: post, route: "/users/:id/grants/revoke", name: "a grant it does not hold", want: only(notFound, admin),
			prep: freshUser("/users/:id/grants/revoke", models.RoleManager, "360402", func(e *env) any {
				return formBody{"role": {models.RoleTrainer}, "org_unit_id": {idStr(e.unit("360402"))}}
			})},
		{method: post, route: "/users/:id/status", want: form, redirect: back("disabled"),
			prep: freshUser("/users/:id/status", models.RoleEmployee, "360102-01", func(*env) any { return formBody{"disabled": {"true"}} })},
		{method: post, route: "/users/:id/password", want: form, redirect: back("password"),
			prep: freshUser("/users/:id/password", models.RoleEmployee, "360102-01", func(*env) any { return formBody{"password": {matrixPassword}} })},
		{method: post, route: "/users/:id/password", name: "too short", want: only(invalid, admin),
			prep:  freshUser("/users/:id/password", models.RoleEmployee, "360102-01", func(*env) any { return formBody{"password": {"short"}} }),
			check: pageShows(`href="#new-password"`, admin)},
	}
}

// freshUser makes a new user with role over unitCode for this request alone and
// targets it.
func freshUser(route, role, unitCode string, body func(*env) any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		u, err := accounts.NewService(e.db, accounts.DefaultConfig).CreateUser(context.Background(), models.SystemActor, models.ScopeAll, accounts.UserInput{
			Username: fmt.Sprintf("mx-user-%d", uniq()), Password: matrixPassword,
			Grants: []accounts.GrantInput{{Role: role, OrgUnitID: e.unit(unitCode)}}})
		require.NoError(e.t, err)
		return withID(route, u.ID), body(e)
	}
}
