package app_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
)

// Callers beyond the demo roles: a user with no grant at all, and an admin of one city.
func TestUnusualScopes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		for _, in := range []accounts.UserInput{
			{Username: "nogrant", Password: demoPassword},
			{Username: "cityadmin", Password: demoPassword, Grants: []accounts.GrantInput{{Role: models.RoleAdmin, OrgUnitID: e.unit("3601")}}},
		} {
			_, err := accounts.NewService(db, accounts.DefaultConfig).CreateUser(ctx, models.SystemActor, models.ScopeAll, in)
			require.NoError(t, err)
		}

		// Without grants: a session, an empty world, and a way out.
		ng := e.login("nogrant")
		require.Equal(t, http.StatusOK, ng.do(http.MethodGet, "/api/v1/me", nil).Code)
		var units models.List[models.OrgUnit]
		res := ng.do(http.MethodGet, "/api/v1/org-units", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res.JSON(t, &units)
		require.Zero(t, units.Total)
		require.Equal(t, http.StatusNotFound, ng.do(http.MethodGet, fmt.Sprintf("/api/v1/org-units/%d", e.unit("36")), nil).Code)
		require.Equal(t, http.StatusForbidden, ng.do(http.MethodGet, "/api/v1/employees", nil).Code)
		require.Equal(t, http.StatusNoContent, ng.do(http.MethodPost, "/api/v1/auth/logout", nil).Code)

		// An admin of 南昌: the city's staff and units only, no province-wide audit log,
		// and no hold over an account with a provincial grant.
		ca := e.login("cityadmin")
		var staff models.List[models.Employee]
		res = ca.do(http.MethodGet, "/api/v1/employees?q=360402", nil)
		require.Equal(t, http.StatusOK, res.Code)
		res.JSON(t, &staff)
		require.Zero(t, staff.Total)
		require.Equal(t, http.StatusNotFound, ca.do(http.MethodGet, fmt.Sprintf("/api/v1/org-units/%d", e.unit("360402")), nil).Code)
		require.Equal(t, http.StatusForbidden, ca.do(http.MethodGet, "/api/v1/audit-events", nil).Code)
		require.Equal(t, http.StatusForbidden, ca.do(http.MethodGet, "/audit", nil).Code)

		trainer, err := models.GetUserByUsername(ctx, db, "trainer") // holds a provincial grant
		require.NoError(t, err)
		require.Equal(t, http.StatusNotFound, ca.do(http.MethodPatch, fmt.Sprintf("/api/v1/users/%d", trainer.ID), map[string]any{"disabled": true}).Code)
		manager, err := models.GetUserByUsername(ctx, db, "manager") // 东湖区, inside 南昌
		require.NoError(t, err)
		res = ca.do(http.MethodPatch, fmt.Sprintf("/api/v1/users/%d", manager.ID), map[string]any{"display_name": "东湖区经理"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = ca.do(http.MethodPost, "/api/v1/users", map[string]any{"username": "x.escalate", "password": demoPassword,
			"grants": []map[string]any{{"role": "admin", "org_unit_id": e.unit("36")}}})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, "a city admin must not grant the province: %s", res.Body)
	})
}

// User names and job numbers mean the same on both engines whatever their case
// (MySQL's collation ignores case; SQLite's does not, so the code normalises).
func TestCaseInsensitiveKeys(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		c := e.anon()
		res := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": "Manager", "password": demoPassword})
		require.Equal(t, http.StatusOK, res.Code, res.Body)

		body := func(job string) map[string]any {
			return map[string]any{"job_number": job, "name": "李明", "org_unit_id": e.unit("360102-01"), "position": "window", "hire_date": "2024-03-01"}
		}
		res = c.do(http.MethodPost, "/api/v1/employees", body("t-0001x"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var emp models.Employee
		res.JSON(t, &emp)
		require.Equal(t, "T-0001X", emp.JobNumber)
		res = c.do(http.MethodPost, "/api/v1/employees", body("T-0001X"))
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
	})
}
