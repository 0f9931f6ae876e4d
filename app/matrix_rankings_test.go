package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/reports"
)

// rankCallers see the rankings (a ranking is circulated to every admin, inspector and
// manager); employees and trainers see none.
var rankCallers = []string{admin, inspector, manager}

// rankingMatrixRows are the rows of the ranking (issue 8): both levels' tables for every
// reader, whatever their scope; one branch's explanation and a workbook's detail only
// in scope; a workbook job only for the one who asked.
func rankingMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/rankings", name: "county level", want: only(ok, rankCallers...),
			prep: static("/api/v1/rankings?period=2026-Q3&level=county"),
			check: func(t *testing.T, e *env, as string, res response) {
				var r reports.Ranking
				res.JSON(t, &r)
				assert.Equal(t, "2026-Q3", r.Period)
				codes := map[string]bool{}
				for _, it := range r.Items {
					codes[it.UnitCode] = true
				}
				assert.Len(t, r.Items, 100, "%s sees every county branch", as)
				assert.True(t, codes["360402"], "%s sees another city's branch in the ranking", as)
			}},
		{method: get, route: "/api/v1/rankings", name: "city level by default period", want: only(ok, rankCallers...),
			prep: static("/api/v1/rankings?level=city"),
			check: func(t *testing.T, _ *env, as string, res response) {
				var r reports.Ranking
				res.JSON(t, &r)
				assert.Len(t, r.Items, 11)
				assert.Equal(t, "quarter", r.Kind)
			}},
		{method: get, route: "/api/v1/rankings", name: "2026-Q5", want: only(http.StatusBadRequest, rankCallers...),
			prep: static("/api/v1/rankings?period=2026-Q5")},
		{method: get, route: "/api/v1/rankings", name: "level outlet", want: only(http.StatusBadRequest, rankCallers...),
			prep: static("/api/v1/rankings?period=2026-09&level=outlet")},
		{method: get, route: "/api/v1/rankings/units/:unit_id", name: "360102, the manager's branch", want: only(ok, rankCallers...),
			prep: func(e *env, _ string) (string, any) {
				return fmt.Sprintf("/api/v1/rankings/units/%d?period=2026-Q3", e.unit("360102")), nil
			}},
		{method: get, route: "/api/v1/rankings/units/:unit_id", name: "360402, another city's branch", want: only(ok, rankCallers...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return fmt.Sprintf("/api/v1/rankings/units/%d?period=2026-Q3", e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/rankings/units/:unit_id", name: "3601, the city above the manager", want: only(ok, rankCallers...).but(notFound, manager),
			prep: func(e *env, _ string) (string, any) {
				return fmt.Sprintf("/api/v1/rankings/units/%d?period=2026-Q3", e.unit("3601")), nil
			}},
		{method: get, route: "/api/v1/rankings/export", want: only(ok, rankCallers...),
			prep: static("/api/v1/rankings/export?period=2026-Q3&level=city"),
			check: func(t *testing.T, e *env, as string, res response) {
				assert.Contains(t, res.Header.Get("Content-Disposition"), "filename*=UTF-8''%E6%9C%8D%E5%8A%A1%E6%B0%B4%E5%B9%B3%E6%8E%92%E5%90%8D_2026-Q3.xlsx")
				f, err := excelize.OpenReader(strings.NewReader(res.Body))
				require.NoError(t, err)
				defer f.Close()
				rows, err := f.GetRows(reports.SheetCounty)
				require.NoError(t, err)
				assert.Len(t, rows, 2+100, "the ranking is circulated")
				ins, err := f.GetRows(reports.SheetTraining)
				require.NoError(t, err)
				for _, r := range ins[2:] {
					assert.True(t, inScope(e, as, e.units[r[0]].Path), "%s's training sheet shows %s", as, r[0])
				}
			}},
		{method: post, route: "/api/v1/rankings/exports", want: only(http.StatusAccepted, rankCallers...),
			prep: func(*env, string) (string, any) {
				return "/api/v1/rankings/exports", map[string]string{"period": "2026-09", "level": "county"}
			}},
		{method: post, route: "/api/v1/rankings/exports", name: "bad period and level", want: only(invalid, rankCallers...),
			prep: func(*env, string) (string, any) {
				return "/api/v1/rankings/exports", map[string]string{"period": "26-09", "level": "outlet"}
			}},
		{method: get, route: "/api/v1/rankings/exports/:id", name: "one's own job", want: only(ok, rankCallers...),
			prep: func(e *env, as string) (string, any) {
				return withID("/api/v1/rankings/exports/:id", e.exportJob(as, false)), nil
			}},
		{method: get, route: "/api/v1/rankings/exports/:id", name: "another's job", want: only(notFound, rankCallers...).but(ok, admin),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/rankings/exports/:id", e.exportJob(admin, false)), nil
			}},
		{method: get, route: "/api/v1/rankings/exports/:id/file", name: "one's own, done", want: only(ok, rankCallers...),
			prep: func(e *env, as string) (string, any) {
				return withID("/api/v1/rankings/exports/:id/file", e.exportJob(as, true)), nil
			}},
		{method: get, route: "/api/v1/rankings/exports/:id/file", name: "another's", want: only(notFound, rankCallers...).but(ok, admin),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/rankings/exports/:id/file", e.exportJob(admin, true)), nil
			}},
		{method: get, route: "/api/v1/settings/ranking", want: only(ok, staff...), prep: static("/api/v1/settings/ranking")},
		{method: put, route: "/api/v1/settings/ranking", want: only(ok, admin), noAudit: "the values it had: nothing changed",
			prep: func(*env, string) (string, any) {
				return "/api/v1/settings/ranking", map[string]any{"min_inspections": 3}
			}},
	}
}

// exportJob makes a workbook job of 2026-09 for the user as (the admin for anon and the
// roles that see no ranking), finished when done.
func (e *env) exportJob(as string, done bool) uint {
	if as == anon || as == employee || as == trainer {
		as = admin
	}
	ctx := context.Background()
	u, err := models.GetUserByUsername(ctx, e.db, as)
	require.NoError(e.t, err)
	scope := models.ScopeAll
	if as != admin {
		scope = models.Scope{Paths: []string{e.units[scopeRoot[as]].Path}}
	}
	// A job of its own per request: another period each time, so none is handed back.
	period := fmt.Sprintf("2026-%02d", 1+uniq()%11)
	j, err := e.exports.Request(ctx, models.Actor{UserID: u.ID, Username: u.Username}, scope, reports.ExportInput{Period: period, Level: "city"})
	require.NoError(e.t, err)
	if done && j.Status != models.ExportDone {
		require.NoError(e.t, e.exports.Run(ctx, j.ID))
	}
	return j.ID
}
