package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/metrics"
	"quality/models"
	"quality/models/dbtest"
)

const metricsURL = "/api/v1/service-metrics"

// TestMetricsAPI walks the service metrics API on one env per engine: PUT (create,
// unchanged, replace, each refusal), reads, the template, import and its row errors,
// the export that re-imports unchanged, coverage, and hostile workbooks.
func TestMetricsAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		_, err := accounts.NewService(db, accounts.DefaultConfig).CreateUser(context.Background(), models.SystemActor, models.ScopeAll, accounts.UserInput{
			Username: "metrics-city-admin", Password: demoPassword, Grants: []accounts.GrantInput{{Role: models.RoleAdmin, OrgUnitID: e.unit("3601")}}})
		require.NoError(t, err)
		r := newAPIRunner(e)
		r.vars["donghu"], r.vars["lianxi"], r.vars["nanchang"] = idStr(e.unit("360102")), idStr(e.unit("360402")), idStr(e.unit("3601"))
		r.vars["future"] = time.Now().AddDate(0, 2, 0).Format("2006-01")
		r.run(t, metricsAPICases(t, r))
	})
}

// metricBody is a PUT body of metricCounts(1) with key set to v (nil drops it).
func metricBody(key string, v any) map[string]any {
	out := map[string]any{}
	for k, p := range metricCounts(1) {
		out[k] = *p
	}
	if key != "" {
		if v == nil {
			delete(out, key)
		} else {
			out[key] = v
		}
	}
	return out
}

func metricsAPICases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	one := metricsURL + "/{donghu}/2025-05"
	var template, export []byte
	upload := func(content func(*testing.T) []byte) *apiUpload {
		return &apiUpload{field: "file", name: "服务指标.xlsx", content: content}
	}
	raw := func(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }
	filled := func(*testing.T) []byte {
		return metricWorkbook(t, "360102", "2025-06", append([]any{"360103", "西湖区分公司", "2025-06"}, metricRowCounts(3)...))
	}
	bad := func(*testing.T) []byte {
		wrong := metricRowCounts(1)
		wrong[1] = int64(101) // responded within 24 h above the 100 work orders
		return metricBook(t,
			append([]any{"360102", "", "2025-07"}, metricRowCounts(1)...),
			append([]any{"360102", "", "2025-08"}, wrong...),
			append([]any{"360402", "", "2025-07"}, metricRowCounts(1)...),
			append([]any{"360102", "", "2025-07"}, metricRowCounts(2)...),
			append([]any{"360103", "", r.vars["future"]}, metricRowCounts(1)...),
		)
	}
	badFields := []string{"3/responded_24h:metric_above_work_orders", "4/org_unit_code:not_found", "5/org_unit_code:duplicate_in_file", "6/month:metric_future_month"}
	lastSummary := func(t *testing.T, _ response) string {
		ev := apiLastAudit(t, e.db)
		return ev.Summary
	}
	return []apiCase{
		// PUT: create, the same again, a change.
		{name: "create", as: admin, method: "PUT", url: one, body: metricBody("", nil), wantStatus: 200, wantAudit: 1,
			wantBody: []string{`"unit_code":"360102"`, `"month":"2025-05"`, `"responded_24h":90`}},
		{name: "the same again writes nothing", as: admin, method: "PUT", url: one, body: metricBody("", nil), wantStatus: 200},
		{name: "a change is audited with before and after", as: admin, method: "PUT", url: one, body: metricBody("responded_24h", 95), wantStatus: 200, wantAudit: 1,
			check: func(t *testing.T, res response) {
				assert.Contains(t, lastSummary(t, res), `"responded_24h":{"from":90,"to":95}`)
				assert.Equal(t, "update", apiLastAudit(t, e.db).Action)
			}},
		{name: "above its total", as: admin, method: "PUT", url: one, body: metricBody("responded_24h", 101), wantStatus: 422,
			wantFields: []string{"responded_24h:metric_above_work_orders"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "不能大于工单数（100）", apiMessage(t, res, "responded_24h"))
			}},
		{name: "above its total, in English", as: admin, method: "PUT", url: one, body: metricBody("responded_24h", 101), header: apiEN, wantStatus: 422,
			check: func(t *testing.T, res response) {
				assert.Equal(t, "must not exceed work orders (100)", apiMessage(t, res, "responded_24h"))
			}},
		{name: "negative", as: admin, method: "PUT", url: one, body: metricBody("complaints", -1), wantStatus: 422,
			wantFields: []string{"complaints:metric_count_range"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "应为 0 到 100,000,000 之间的整数", apiMessage(t, res, "complaints"))
			}},
		{name: "scores above 100 per survey", as: admin, method: "PUT", url: one, body: metricBody("survey_score_sum", 2001), wantStatus: 422,
			wantFields: []string{"survey_score_sum:metric_score_above_max"}},
		{name: "a count left out", as: admin, method: "PUT", url: one, body: metricBody("surveys", nil), wantStatus: 422, wantFields: []string{"surveys:required"}},
		{name: "a count that is not whole", as: admin, method: "PUT", url: one, body: metricBody("surveys", 1.5), wantStatus: 422, wantFields: []string{"surveys:invalid_type"}},
		{name: "a count too large for any integer", as: admin, method: "PUT", url: one, body: `{"surveys": 1e30}`, wantStatus: 422, wantFields: []string{"surveys:invalid_type"}},
		{name: "an unknown field", as: admin, method: "PUT", url: one, body: metricBody("org_unit_id", 5), wantStatus: 422, wantFields: []string{"org_unit_id:unknown_field"}},
		{name: "trailing data", as: admin, method: "PUT", url: one, body: `{"surveys":1} {}`, wantStatus: 400},
		{name: "a month in the future", as: admin, method: "PUT", url: metricsURL + "/{donghu}/{future}", body: metricBody("", nil), wantStatus: 422,
			wantFields: []string{"month:metric_future_month"}},
		{name: "a malformed month", as: admin, method: "PUT", url: metricsURL + "/{donghu}/2025-5", body: metricBody("", nil), wantStatus: 400,
			wantFields: []string{"month:invalid_month"}},
		{name: "a malformed unit", as: admin, method: "PUT", url: metricsURL + "/abc/2025-05", body: metricBody("", nil), wantStatus: 400,
			wantFields: []string{"unit_id:invalid"}},
		{name: "a city company", as: admin, method: "PUT", url: metricsURL + "/{nanchang}/2025-05", body: metricBody("", nil), wantStatus: 422,
			wantFields: []string{"unit_id:metric_not_county"}},
		{name: "no such unit", as: admin, method: "PUT", url: metricsURL + "/999999/2025-05", body: metricBody("", nil), wantStatus: 404},
		{name: "a manager may not write", as: manager, method: "PUT", url: one, body: metricBody("", nil), wantStatus: 403},
		{name: "a city's admin: another city's branch is not found", as: "metrics-city-admin", method: "PUT", url: metricsURL + "/{lianxi}/2025-05",
			body: metricBody("", nil), wantStatus: 404},
		{name: "a city's admin writes in the city", as: "metrics-city-admin", method: "PUT", url: one, body: metricBody("responded_24h", 96), wantStatus: 200, wantAudit: 1},
		{name: "九江's row for the reads", as: admin, method: "PUT", url: metricsURL + "/{lianxi}/2025-05", body: metricBody("", nil), wantStatus: 200, wantAudit: 1},

		// Reads in the scope.
		{name: "the manager reads the branch", as: manager, method: "GET", url: one, wantStatus: 200, wantBody: []string{`"responded_24h":96`, `"unit_name":"东湖区分公司"`}},
		{name: "the manager does not see 九江", as: manager, method: "GET", url: metricsURL + "/{lianxi}/2025-05", wantStatus: 404},
		{name: "the inspector lists 南昌 only", as: inspector, method: "GET", url: metricsURL + "?from=2025-05&to=2025-05", wantStatus: 200,
			check: func(t *testing.T, res response) {
				list := apiDecode[models.List[metrics.View]](t, res)
				require.Len(t, list.Items, 1)
				assert.Equal(t, "360102", list.Items[0].UnitCode)
			}},
		{name: "the admin lists both", as: admin, method: "GET", url: metricsURL + "?from=2025-05&to=2025-05", wantStatus: 200, wantBody: []string{`"total":2`}},
		{name: "a malformed month filter", as: admin, method: "GET", url: metricsURL + "?from=2025-5&to=may", wantStatus: 400,
			wantFields: []string{"from:invalid_month", "to:invalid_month"}},
		{name: "a malformed unit filter", as: admin, method: "GET", url: metricsURL + "?unit_id=1%20OR%201=1", wantStatus: 400, wantFields: []string{"unit_id:invalid"}},
		{name: "months the wrong way round", as: admin, method: "GET", url: metricsURL + "?from=2025-06&to=2025-05", wantStatus: 422,
			wantFields: []string{"to:metric_to_before_from"}},

		// The template, the import and its refusals.
		{name: "template", as: "metrics-city-admin", method: "GET", url: metricsURL + "/import/template?month=2025-06", wantStatus: 200,
			check: func(t *testing.T, res response) {
				assert.Equal(t, mimeXLSXType, res.Header.Get("Content-Type"))
				template = []byte(res.Body)
				rows := metricSheet(t, template)
				assert.Equal(t, metrics.Header(), rows[0])
				require.Len(t, rows, 10, "南昌's nine county branches")
				assert.Equal(t, []string{"360102", "东湖区分公司", "2025-06"}, rows[1])
			}},
		{name: "template for a future month", as: admin, method: "GET", url: metricsURL + "/import/template?month={future}", wantStatus: 422,
			wantFields: []string{"month:metric_future_month"}},
		{name: "the template as it is: no figures", as: "metrics-city-admin", method: "POST", url: metricsURL + "/import?dry_run=1", wantStatus: 422,
			upload: upload(func(*testing.T) []byte { return template }), wantFields: []string{"2/:empty_sheet"}},
		{name: "dry run", as: admin, method: "POST", url: metricsURL + "/import?dry_run=1", upload: upload(filled), wantStatus: 200,
			wantBody: []string{`"dry_run":true`, `"rows":2`, `"created":2`}},
		{name: "import", as: admin, method: "POST", url: metricsURL + "/import", upload: upload(filled), wantStatus: 200, wantAudit: 2,
			wantBody: []string{`"rows":2`, `"created":2`}},
		{name: "the same file again changes nothing", as: admin, method: "POST", url: metricsURL + "/import", upload: upload(filled), wantStatus: 200,
			wantBody: []string{`"unchanged":2`}},
		{name: "bad rows: every one reported, nothing written", as: "metrics-city-admin", method: "POST", url: metricsURL + "/import", upload: upload(bad),
			wantStatus: 422, wantFields: badFields, check: func(t *testing.T, res response) {
				p := apiProblemOf(t, res)
				assert.Equal(t, "导入文件有误，未写入任何数据", p.Title)
				for _, row := range p.Rows {
					switch row.Code {
					case "metric_above_work_orders":
						assert.Equal(t, "不能大于工单数（100）", row.Message)
						assert.Equal(t, "101", row.Value)
					case "duplicate_in_file":
						assert.Equal(t, "与第 2 行重复", row.Message)
					case "not_found":
						assert.Equal(t, "360402", row.Value, "outside the scope looks like unknown")
					}
				}
				var n int64
				require.NoError(t, e.db.Model(&models.ServiceMetric{}).Where("month = ?", "2025-07").Count(&n).Error)
				assert.Zero(t, n, "not even the good row")
			}},
		{name: "bad rows in English", as: "metrics-city-admin", method: "POST", url: metricsURL + "/import?dry_run=1", upload: upload(bad), header: apiEN,
			wantStatus: 422, wantFields: badFields, wantBody: []string{"must not exceed work orders (100)", "duplicates row 2", "a month in the future"}},
		{name: "an inspector may not import", as: inspector, method: "POST", url: metricsURL + "/import?dry_run=1", upload: upload(filled), wantStatus: 403},
		{name: "dry_run not a boolean", as: admin, method: "POST", url: metricsURL + "/import?dry_run=maybe", upload: upload(filled), wantStatus: 400,
			wantFields: []string{"dry_run:invalid"}},

		// Hostile workbooks: a 4xx, quickly, nothing written.
		{name: "not a workbook", as: admin, method: "POST", url: metricsURL + "/import", upload: upload(raw([]byte("单位编码,月份\n360102,2025-05\n"))),
			wantStatus: 422, wantFields: []string{"file:invalid_workbook"}},
		{name: "larger than the upload limit", as: admin, method: "POST", url: metricsURL + "/import", wantStatus: 413,
			upload: upload(raw(bytes.Repeat([]byte{'x'}, metrics.MaxImportBytes+1)))},
		{name: "more rows than the cap", as: admin, method: "POST", url: metricsURL + "/import?dry_run=1", wantStatus: 422,
			upload: upload(func(t *testing.T) []byte {
				rows := make([][]any, metrics.MaxImportRows+1)
				for i := range rows {
					rows[i] = []any{"360102", "", "2025-05", 1}
				}
				return metricBook(t, rows...)
			}), wantFields: []string{fmt.Sprintf("%d/:too_many_rows", metrics.MaxImportRows+2)}},
		{name: "no file", as: admin, method: "POST", url: metricsURL + "/import", body: `{}`, wantStatus: 422, wantFields: []string{"file:required"}},

		// The export imports back unchanged.
		{name: "export", as: inspector, method: "GET", url: metricsURL + "/export?from=2025-05&to=2025-06", wantStatus: 200,
			check: func(t *testing.T, res response) {
				export = []byte(res.Body)
				var got []string
				for _, row := range metricSheet(t, export)[1:] {
					got = append(got, row[0]+" "+row[2])
				}
				assert.Equal(t, []string{"360102 2025-05", "360102 2025-06", "360103 2025-06"}, got)
			}},
		{name: "the export imported back changes nothing", as: admin, method: "POST", url: metricsURL + "/import", wantStatus: 200,
			upload: upload(func(*testing.T) []byte { return export }), wantBody: []string{`"rows":3`, `"unchanged":3`, `"created":0`, `"updated":0`}},
		{name: "export of another city's branch", as: inspector, method: "GET", url: metricsURL + "/export?unit_id={lianxi}", wantStatus: 404},
		{name: "export over ten years", as: admin, method: "GET", url: metricsURL + "/export?from=2010-01&to=2025-01", wantStatus: 422,
			wantFields: []string{"from:metric_range_too_long"}},

		// Coverage.
		{name: "coverage", as: admin, method: "GET", url: metricsURL + "/coverage?from=2025-05&to=2025-07", wantStatus: 200,
			check: func(t *testing.T, res response) {
				c := apiDecode[metrics.Coverage](t, res)
				assert.Equal(t, []string{"2025-05", "2025-06", "2025-07"}, c.Months)
				require.Len(t, c.Branches, 100)
				assert.Equal(t, "360102", c.Branches[0].Code)
				assert.Equal(t, []bool{true, true, false}, c.Branches[0].Loaded)
				assert.Equal(t, []string{"2025-07"}, c.Branches[0].Missing)
				assert.Equal(t, []int{2, 2, 0}, c.LoadedPerMonth)
			}},
		{name: "coverage of the manager's branch", as: manager, method: "GET", url: metricsURL + "/coverage", wantStatus: 200,
			check: func(t *testing.T, res response) {
				c := apiDecode[metrics.Coverage](t, res)
				require.Len(t, c.Branches, 1)
				assert.Len(t, c.Months, 12)
			}},
		{name: "coverage with a malformed month", as: admin, method: "GET", url: metricsURL + "/coverage?to=2025-13", wantStatus: 400,
			wantFields: []string{"to:invalid_month"}},
	}
}

// mimeXLSXType is the content type of a workbook download.
const mimeXLSXType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// metricRowCounts are metricCounts(n) in column order, as cells.
func metricRowCounts(n int64) []any {
	c := metricCounts(n)
	out := make([]any, len(metricKeys))
	for i, k := range metricKeys {
		out[i] = *c[k]
	}
	return out
}

// TestMetricsPage: the grid of loaded months per county branch, in scope and code
// order with missing months marked; the import form for admins, whose row errors and
// counts show in the page's language; the menu entry for the readers.
func TestMetricsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		last := time.Now().AddDate(0, -1, 0).Format("2006-01")
		e.metricRow("360102") // metricMonth, outside the default range

		page := adm.do(http.MethodGet, "/metrics", nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		for _, s := range []string{`href="/metrics"`, `action="/metrics/import"`, `href="/api/v1/service-metrics/import/template"`,
			`href="/api/v1/service-metrics/export?from=`, "东湖区分公司", "濂溪区分公司", `class="missing"`, "缺报 <strong class=\"error\">1,200</strong>"} {
			assert.Contains(t, page.Body, s)
		}
		assert.Less(t, strings.Index(page.Body, "<td>360102</td>"), strings.Index(page.Body, "<td>360402</td>"), "code order")
		assert.NotContains(t, page.Body, `class="loaded"`)

		// A refused import: every row with its column, value and reason, nothing written.
		wrong := metricRowCounts(1)
		wrong[1] = int64(101)
		bad := metricBook(t, append([]any{"360102", "", last}, wrong...), append([]any{"360102", "", "2025-1x"}, metricRowCounts(1)...))
		mark := e.lastAuditID()
		res := adm.postPage("/metrics", "/metrics/import", url.Values{"dry_run": {"1"}}, "指标.xlsx", bad)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		for _, s := range []string{"导入文件有误", "<td>2</td><td>24小时内响应工单数</td><td>101</td><td class=\"summary\">不能大于工单数（100）</td>",
			"<td>3</td><td>月份</td><td>2025-1x</td>"} {
			assert.Contains(t, res.Body, s)
		}
		adm.cookies["lang"] = "en"
		res = adm.postPage("/metrics", "/metrics/import", url.Values{"dry_run": {"1"}}, "指标.xlsx", bad)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "<td>2</td><td>Responded within 24 h</td><td>101</td><td class=\"summary\">must not exceed work orders (100)</td>")
		assert.Contains(t, res.Body, "month must be YYYY-MM")
		delete(adm.cookies, "lang")
		res = adm.postPage("/metrics", "/metrics/import", nil, "指标.xlsx", []byte("PK not really"))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "不是可读取的 .xlsx 工作簿")
		res = sendRow(adm, http.MethodPost, "/metrics/import", formBody{"dry_run": {"1"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "服务指标工作簿：必填")
		assert.Zero(t, e.auditCountSince(mark))

		// A dry run, then the import: the counts, then the month loaded in the grid.
		good := metricWorkbook(t, "360102", last)
		res = adm.postPage("/metrics", "/metrics/import", url.Values{"dry_run": {"1"}}, "指标.xlsx", good)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "检查通过，尚未写入：共 1 行，将新建 1 行")
		assert.Zero(t, e.auditCountSince(mark))
		res = adm.postPage("/metrics", "/metrics/import", nil, "指标.xlsx", good)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "导入完成：共 1 行，新建 1 行")
		assert.Contains(t, res.Body, `class="loaded" title="`+last)
		assert.Contains(t, res.Body, "缺报 <strong class=\"error\">1,199</strong>")
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// The manager sees the branch alone and no import; a range and a unit filter.
		mgr := e.login(manager)
		page = mgr.do(http.MethodGet, "/metrics?from="+metricMonth+"&to="+metricMonth, nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		assert.Contains(t, page.Body, "东湖区分公司")
		assert.Contains(t, page.Body, `class="loaded" title="`+metricMonth)
		assert.NotContains(t, page.Body, "西湖区分公司")
		assert.NotContains(t, page.Body, `action="/metrics/import"`)
		assert.NotContains(t, page.Body, "import/template")
		assert.Equal(t, http.StatusBadRequest, mgr.do(http.MethodGet, "/metrics?from=2025-1", nil).Code)
		assert.Equal(t, http.StatusForbidden, sendRow(mgr, http.MethodPost, "/metrics/import", uploadBody{"file", "x.xlsx", good}).Code)
		ins := e.login(inspector)
		page = ins.do(http.MethodGet, "/metrics?unit_id="+idStr(e.unit("3601")), nil)
		require.Equal(t, http.StatusOK, page.Code)
		assert.Contains(t, page.Body, "西湖区分公司")
		assert.NotContains(t, page.Body, "濂溪区分公司")

		// No menu entry and no page for the roles that do not read metrics.
		for _, as := range []string{trainer, employee} {
			c := e.login(as)
			assert.NotContains(t, c.do(http.MethodGet, "/", nil).Body, `href="/metrics"`, as)
			assert.Equal(t, http.StatusForbidden, c.do(http.MethodGet, "/metrics", nil).Code, as)
		}
		assert.Contains(t, mgr.do(http.MethodGet, "/", nil).Body, `href="/metrics"`)

		// The page's markup has no inline script.
		assert.NotContains(t, page.Body, "<script>")
		var cov metrics.Coverage
		require.NoError(t, json.Unmarshal([]byte(ins.do(http.MethodGet, metricsURL+"/coverage", nil).Body), &cov))
		assert.Len(t, cov.Branches, 9)
	})
}

// TestMetricCodesHaveMessages: every code the service metrics give has a message in
// both languages, and every column a name for the import page.
func TestMetricCodesHaveMessages(t *testing.T) {
	codes := []string{"invalid_month", "metric_future_month", "metric_count_range", "metric_not_integer", "metric_score_above_max",
		"metric_not_county", "metric_to_before_from", "metric_range_too_long",
		// shared codes the area uses
		"required", "not_found", "duplicate_in_file", "missing_column", "missing_header", "empty_sheet", "too_many_rows", "invalid_workbook"}
	for _, total := range []string{"work_orders", "ordinary_faults", "major_faults", "installations", "restorations", "complaints", "callbacks_due"} {
		codes = append(codes, "metric_above_"+total)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		msgs := map[string]string{}
		files, err := filepath.Glob(filepath.Join("locales", lang+"*.json"))
		require.NoError(t, err)
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(b, &msgs), f)
		}
		for _, c := range codes {
			assert.NotEmpty(t, msgs["field."+c], "%s: no message for field.%s", lang, c)
		}
		for _, k := range append([]string{"org_unit_code", "org_unit_name", "month"}, metricKeys...) {
			assert.NotEmpty(t, msgs["column."+k], "%s: no name for column.%s", lang, k)
		}
	}
}
