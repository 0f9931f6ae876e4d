package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/metrics"
	"quality/models"
)

// metricCallers read service metrics and their coverage in their subtree; only admins
// write and import them.
var metricCallers = []string{admin, inspector, manager}

// metricMonth is the past month the matrix's rows are for.
const metricMonth = "2025-01"

// metricMatrixRows are the rows of the service metrics (issue 8): the rows of 东湖区
// (360102) are read by the admin, the inspector of 南昌 and the manager of 东湖区;
// those of 濂溪区 (360402, in 九江) only by the admin — a 404 for the others, as if
// they did not exist; every write is the admin's, a 403 for every other role.
func metricMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/service-metrics", want: only(ok, metricCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.metricRow("360102")
				e.metricRow("360402")
				return "/api/v1/service-metrics?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[metrics.View]
				res.JSON(t, &list)
				require.NotZero(t, list.Total)
				codes := map[string]bool{}
				for _, v := range list.Items {
					codes[v.UnitCode] = true
					assert.True(t, inScope(e, as, e.units[v.UnitCode].Path), "%s sees the metrics of %s", as, v.UnitCode)
				}
				assert.True(t, codes["360102"], "%s misses 东湖区", as)
				assert.Equal(t, as == admin, codes["360402"], "%s and 濂溪区", as)
			}},
		{method: get, route: "/api/v1/service-metrics", name: "unit_id=360402", want: only(ok, metricCallers...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/service-metrics?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/service-metrics/:unit_id/:month", name: "360102", want: only(ok, metricCallers...),
			prep: func(e *env, _ string) (string, any) { return e.metricRow("360102"), nil }},
		{method: get, route: "/api/v1/service-metrics/:unit_id/:month", name: "360402, another city's branch", want: only(ok, metricCallers...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) { return e.metricRow("360402"), nil }},
		{method: get, route: "/api/v1/service-metrics/:unit_id/:month", name: "a month without a row", want: only(notFound, metricCallers...),
			prep: func(e *env, _ string) (string, any) { return metricURL(e, "360102", "2001-01"), nil }},
		{method: put, route: "/api/v1/service-metrics/:unit_id/:month", name: "360102", want: only(ok, admin),
			prep: func(e *env, _ string) (string, any) { return metricURL(e, "360102", "2025-02"), metricCounts(3) }},
		{method: put, route: "/api/v1/service-metrics/:unit_id/:month", name: "360402", want: only(ok, admin),
			prep: func(e *env, _ string) (string, any) { return metricURL(e, "360402", "2025-02"), metricCounts(3) }},
		{method: put, route: "/api/v1/service-metrics/:unit_id/:month", name: "a month in the future", want: only(invalid, admin),
			prep: func(e *env, _ string) (string, any) {
				return metricURL(e, "360102", time.Now().AddDate(0, 2, 0).Format("2006-01")), metricCounts(3)
			}},
		{method: get, route: "/api/v1/service-metrics/import/template", want: only(ok, admin), prep: static("/api/v1/service-metrics/import/template"),
			check: func(t *testing.T, _ *env, _ string, res response) {
				rows := metricSheet(t, []byte(res.Body))
				assert.Len(t, rows, 101, "one row per county branch")
			}},
		{method: post, route: "/api/v1/service-metrics/import", name: "360402, dry run", want: only(ok, admin), noAudit: "a dry run",
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/service-metrics/import?dry_run=1", uploadBody{"file", "指标.xlsx", metricWorkbook(e.t, "360402", "2025-03")}
			}},
		{method: get, route: "/api/v1/service-metrics/export", want: only(ok, metricCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.metricRow("360102")
				e.metricRow("360402")
				return "/api/v1/service-metrics/export?from=" + metricMonth + "&to=" + metricMonth, nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				rows := metricSheet(t, []byte(res.Body))
				require.Greater(t, len(rows), 1)
				for _, r := range rows[1:] {
					assert.True(t, inScope(e, as, e.units[r[0]].Path), "%s exports the metrics of %s", as, r[0])
				}
			}},
		{method: get, route: "/api/v1/service-metrics/export", name: "unit_id=360402", want: only(ok, metricCallers...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/service-metrics/export?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/service-metrics/coverage", want: only(ok, metricCallers...),
			prep: func(e *env, _ string) (string, any) {
				e.metricRow("360102")
				return "/api/v1/service-metrics/coverage?from=" + metricMonth + "&to=2025-02", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var c metrics.Coverage
				res.JSON(t, &c)
				require.NotEmpty(t, c.Branches)
				for _, b := range c.Branches {
					assert.True(t, inScope(e, as, e.units[b.Code].Path), "%s sees the coverage of %s", as, b.Code)
				}
			}},
		{method: get, route: "/api/v1/service-metrics/coverage", name: "unit_id=360402", want: only(ok, metricCallers...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/service-metrics/coverage?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/metrics", want: only(ok, metricCallers...).but(seeOther, anon), redirect: toLogin,
			prep: static("/metrics"), check: pageShows("濂溪区分公司", admin)},
		{method: get, route: "/metrics", name: "unit_id=360402", want: only(ok, metricCallers...).but(seeOther, anon).but(notFound, inspector, manager),
			redirect: toLogin, prep: func(e *env, _ string) (string, any) { return "/metrics?unit_id=" + idStr(e.unit("360402")), nil }},
		{method: post, route: "/metrics/import", name: "360402", want: only(ok, admin),
			prep: func(e *env, _ string) (string, any) {
				return "/metrics/import", uploadBody{"file", "指标.xlsx", metricWorkbook(e.t, "360402", "2025-03")}
			}},
	}
}

// metricURL is the URL of the branch-month of the unit with code.
func metricURL(e *env, code, month string) string {
	return "/api/v1/service-metrics/" + idStr(e.unit(code)) + "/" + month
}

// metricRow makes sure the unit with code has a row for metricMonth and returns its URL.
func (e *env) metricRow(code string) string {
	e.t.Helper()
	svc := metrics.NewService(e.db, time.UTC)
	b, err := json.Marshal(metricCounts(1))
	require.NoError(e.t, err)
	var in metrics.Input
	require.NoError(e.t, json.Unmarshal(b, &in))
	_, err = svc.Replace(context.Background(), metrics.Caller{Actor: models.SystemActor, Scope: models.ScopeAll}, e.unit(code), metricMonth, in)
	require.NoError(e.t, err)
	return metricURL(e, code, metricMonth)
}

// metricKeys are the counts in the workbook's column order.
var metricKeys = []string{"work_orders", "responded_24h", "ordinary_faults", "ordinary_fixed_24h", "major_faults", "major_fixed_72h",
	"installations", "installed_on_time", "restorations", "restored_on_time", "complaints", "complaints_replied_3d",
	"callbacks_due", "callbacks_done_72h", "surveys", "survey_score_sum", "subscribers_start", "subscribers_end"}

// metricCounts is a valid month of figures scaled by n, as a PUT body.
func metricCounts(n int64) map[string]*int64 {
	vals := []int64{100, 90, 40, 35, 5, 4, 30, 28, 10, 9, 6, 5, 50, 48, 20, 1800}
	out := map[string]*int64{}
	for i, k := range metricKeys[:len(vals)] {
		v := vals[i] * n
		out[k] = &v
	}
	start, end := int64(168000), 168000+n
	out["subscribers_start"], out["subscribers_end"] = &start, &end
	return out
}

// metricWorkbook is a metrics workbook of one valid row.
func metricWorkbook(t testing.TB, code, month string, more ...[]any) []byte {
	t.Helper()
	c := metricCounts(2)
	first := []any{code, "", month}
	for _, k := range metricKeys {
		first = append(first, *c[k])
	}
	return metricBook(t, append([][]any{first}, more...)...)
}

// metricBook is a metrics workbook with the template's header and rows.
func metricBook(t testing.TB, rows ...[]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	require.NoError(t, x.SetSheetName("Sheet1", metrics.Sheet))
	h := []any{}
	for _, v := range metrics.Header() {
		h = append(h, v)
	}
	require.NoError(t, x.SetSheetRow(metrics.Sheet, "A1", &h))
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(t, err)
		require.NoError(t, x.SetSheetRow(metrics.Sheet, cell, &r))
	}
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	return buf.Bytes()
}

// metricSheet reads the metrics sheet of a downloaded workbook.
func metricSheet(t testing.TB, b []byte) [][]string {
	t.Helper()
	x, err := excelize.OpenReader(bytes.NewReader(b))
	require.NoError(t, err)
	defer x.Close()
	rows, err := x.GetRows(metrics.Sheet)
	require.NoError(t, err)
	require.NotEmpty(t, rows)
	require.True(t, strings.HasPrefix(rows[0][0], "单位编码"), "header %v", rows[0])
	return rows
}
