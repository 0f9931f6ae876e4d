package app_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

const importURL = "/api/v1/employees/import"

// TestImport walks the roster import as the manager of 东湖 on one env per engine:
// the template, dry run, import, re-import, refused workbooks and size limits.
func TestImport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newAPIRunner(newEnv(t, db))
		t.Run("roster", func(t *testing.T) { r.run(t, importCases(t, r)) })
		t.Run("over the body limit", func(t *testing.T) { importOverBodyLimit(t, r) })
	})
}

// importReport decodes an import's JSON report.
func importReport(t *testing.T, res response) org.ImportReport {
	return apiDecode[org.ImportReport](t, res)
}

func importCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	var template []byte
	// filled is the downloaded template with rows written under its header.
	filled := func(rows ...[]any) func(t *testing.T) []byte {
		return func(t *testing.T) []byte {
			require.NotEmpty(t, template, "the template row must run first")
			f, err := excelize.OpenReader(bytes.NewReader(template))
			require.NoError(t, err)
			defer f.Close()
			for i, row := range rows {
				cell, err := excelize.CoordinatesToCellName(1, i+2)
				require.NoError(t, err)
				require.NoError(t, f.SetSheetRow(org.RosterSheet, cell, &row))
			}
			buf, err := f.WriteToBuffer()
			require.NoError(t, err)
			return buf.Bytes()
		}
	}
	upload := func(content func(*testing.T) []byte) *apiUpload {
		return &apiUpload{field: "file", name: "员工名册.xlsx", content: content}
	}
	raw := func(b []byte) func(*testing.T) []byte { return func(*testing.T) []byte { return b } }
	hired := time.Date(2023, 7, 15, 0, 0, 0, 0, time.UTC)
	good := [][]any{
		{"IMP-001", "导入一", "360102-01", "窗口", "2024-03-01", "在岗", "13800000101"},
		{"IMP-002", "导入二", "360102-02", "营销", hired, "休假", ""},
		{"IMP-003", "导入三", "360102", "installer", "2022/5/6", "", "0791-88886666"},
	}
	goodJobs := []string{"IMP-001", "IMP-002", "IMP-003"}
	absent := func(jobs ...string) func(*testing.T, response) {
		return func(t *testing.T, _ response) {
			for _, j := range jobs {
				_, ok := apiFindEmployee(t, e.db, j)
				assert.False(t, ok, "%s was written", j)
			}
		}
	}
	badRows := [][]any{
		{"IMP-010", "好的一行", "360102-01", "窗口", "2024-03-01"},
		{"IMP-012", "坏的一行", "360402", "厨师", "2024-13-45"},
		{"IMP-011", "好的另一行", "360102-02", "营销", "2024-03-02"},
		{"IMP-010", "重复工号", "360102-01", "窗口", "2024-03-01"},
		{"360402001", "别处的工号", "360102-01", "窗口", "2024-03-01"},
	}
	badFields := []string{"3/org_unit_code:not_found", "3/position:invalid_choice", "3/hire_date:invalid_date",
		"5/job_number:duplicate_in_file", "6/job_number:taken_outside_scope"}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	w, _ := zw.Create("word/document.xml")
	_, _ = io.WriteString(w, "<w:document/>")
	_ = zw.Close()

	return []apiCase{
		{name: "template", as: "manager", method: "GET", url: importURL + "/template", wantStatus: 200,
			check: func(t *testing.T, res response) {
				assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", res.Header.Get(fiber.HeaderContentType))
				assert.True(t, strings.HasPrefix(res.Header.Get(fiber.HeaderContentDisposition), "attachment;"), res.Header.Get(fiber.HeaderContentDisposition))
				template = []byte(res.Body)
				f, err := excelize.OpenReader(bytes.NewReader(template))
				require.NoError(t, err)
				defer f.Close()
				assert.Contains(t, f.GetSheetList(), org.RosterSheet)
				assert.Equal(t, org.RosterSheet, f.GetSheetName(0))
				rows, err := f.GetRows(org.RosterSheet)
				require.NoError(t, err)
				require.Len(t, rows, 1, "the roster sheet holds the header row only")
				assert.Equal(t, []string{"工号*", "姓名*", "单位编码*", "岗位*", "入职日期*", "状态", "电话"}, rows[0])
				// The code list is an export too: only units in the manager's scope.
				codes, err := f.GetRows("单位编码")
				require.NoError(t, err)
				var got []string
				for _, row := range codes[1:] {
					got = append(got, row[0])
				}
				assert.ElementsMatch(t, []string{"360102", "360102-01", "360102-02"}, got)
			}},
		{name: "dry run", as: "manager", method: "POST", url: importURL + "?dry_run=1", upload: upload(filled(good...)), wantStatus: 200,
			check: func(t *testing.T, res response) {
				rep := importReport(t, res)
				assert.Equal(t, org.ImportReport{DryRun: true, Rows: 3, Created: 3, Errors: []org.RowError{}}, rep)
				absent(goodJobs...)(t, res)
			}},
		{name: "dry_run not a boolean", as: "manager", method: "POST", url: importURL + "?dry_run=maybe", upload: upload(filled(good...)),
			wantStatus: 400, wantFields: []string{"dry_run:invalid"}, check: absent(goodJobs...)},
		{name: "import", as: "manager", method: "POST", url: importURL, upload: upload(filled(good...)), wantStatus: 200, wantAudit: 3,
			check: func(t *testing.T, res response) {
				rep := importReport(t, res)
				assert.Equal(t, org.ImportReport{Rows: 3, Created: 3, Errors: []org.RowError{}}, rep)
				want := []struct {
					job, name, unit, position, hired, status, phone string
				}{
					{"IMP-001", "导入一", "360102-01", "window", "2024-03-01", "active", "13800000101"},
					{"IMP-002", "导入二", "360102-02", "marketing", "2023-07-15", "on_leave", ""},
					{"IMP-003", "导入三", "360102", "installer", "2022-05-06", "active", "0791-88886666"},
				}
				for _, w := range want {
					emp, ok := apiFindEmployee(t, e.db, w.job)
					require.True(t, ok, "%s not imported", w.job)
					assert.Equal(t, []any{w.name, e.unit(w.unit), w.position, w.hired, w.status, w.phone},
						[]any{emp.Name, emp.OrgUnitID, emp.Position, emp.HireDate.String(), emp.Status, emp.Phone}, w.job)
					var evs []models.AuditEvent
					require.NoError(t, e.db.Where("entity = ? AND entity_id = ?", "employee", fmt.Sprint(emp.ID)).Find(&evs).Error)
					require.Len(t, evs, 1, "one audit event for %s", w.job)
					assert.Equal(t, []string{"import", "manager"}, []string{evs[0].Action, evs[0].ActorName})
					assert.Contains(t, evs[0].Summary, w.job)
				}
			}},
		{name: "the same file again changes nothing", as: "manager", method: "POST", url: importURL, upload: upload(filled(good...)),
			wantStatus: 200, check: func(t *testing.T, res response) {
				assert.Equal(t, org.ImportReport{Rows: 3, Unchanged: 3, Errors: []org.RowError{}}, importReport(t, res))
			}},
		{name: "one update and one new", as: "manager", method: "POST", url: importURL, wantStatus: 200, wantAudit: 2,
			upload: upload(filled(
				[]any{"IMP-001", "导入一（改）", "360102-01", "窗口", "2024-03-01", "在岗", "13800000101"},
				[]any{"IMP-004", "导入四", "360102-01", "管理", "2021-01-04"},
			)), check: func(t *testing.T, res response) {
				assert.Equal(t, org.ImportReport{Rows: 2, Created: 1, Updated: 1, Errors: []org.RowError{}}, importReport(t, res))
				emp, ok := apiFindEmployee(t, e.db, "IMP-001")
				require.True(t, ok)
				assert.Equal(t, "导入一（改）", emp.Name)
				assert.Equal(t, "13800000101", emp.Phone, "columns not changed stay")
			}},
		{name: "one bad row among good ones writes nothing", as: "manager", method: "POST", url: importURL, upload: upload(filled(badRows...)),
			wantStatus: 422, wantFields: badFields, check: func(t *testing.T, res response) {
				p := apiProblemOf(t, res)
				assert.Contains(t, p.Type, "import")
				assert.Equal(t, "导入文件有误，未写入任何数据", p.Title)
				require.NotNil(t, p.Report)
				assert.Equal(t, 5, p.Report.Rows)
				assert.Zero(t, p.Report.Created)
				for _, row := range p.Rows {
					if row.Code == "duplicate_in_file" {
						assert.Equal(t, "与第 2 行重复", row.Message)
					}
					if row.Field == "hire_date" {
						assert.Equal(t, "2024-13-45", row.Value)
					}
				}
				absent("IMP-010", "IMP-011", "IMP-012")(t, res)
			}},
		{name: "the same in English", as: "manager", method: "POST", url: importURL, upload: upload(filled(badRows...)), header: apiEN,
			wantStatus: 422, wantFields: badFields, wantBody: []string{"The file has errors; nothing was imported", "duplicates row 2"}},
		{name: "a dry run reports the same errors", as: "manager", method: "POST", url: importURL + "?dry_run=true", upload: upload(filled(badRows...)),
			wantStatus: 422, wantFields: badFields},
		{name: "empty roster", as: "manager", method: "POST", url: importURL, upload: upload(filled()),
			wantStatus: 422, wantFields: []string{"2/:empty_sheet"}},
		{name: "a required column missing", as: "manager", method: "POST", url: importURL, wantStatus: 422,
			upload: upload(func(t *testing.T) []byte {
				f := excelize.NewFile()
				defer f.Close()
				require.NoError(t, f.SetSheetRow("Sheet1", "A1", &[]any{"姓名", "单位编码", "岗位", "入职日期"}))
				require.NoError(t, f.SetSheetRow("Sheet1", "A2", &[]any{"无工号", "360102-01", "窗口", "2024-03-01"}))
				buf, err := f.WriteToBuffer()
				require.NoError(t, err)
				return buf.Bytes()
			}), wantFields: []string{"1/job_number:missing_column"}, check: func(t *testing.T, res response) {
				assert.Contains(t, res.Body, "缺少必填列“工号*”")
			}},
		{name: "not a workbook", as: "manager", method: "POST", url: importURL, upload: upload(raw([]byte("工号,姓名\nIMP-020,张三\n"))),
			wantStatus: 422, wantFields: []string{"file:invalid_workbook"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "不是可读取的 .xlsx 工作簿", apiMessage(t, res, "file"))
			}},
		{name: "a zip that is not a workbook", as: "manager", method: "POST", url: importURL, upload: upload(raw(zipped.Bytes())),
			wantStatus: 422, wantFields: []string{"file:invalid_workbook"}},
		{name: "an empty file", as: "manager", method: "POST", url: importURL, upload: upload(raw(nil)),
			wantStatus: 422, wantFields: []string{"file:invalid_workbook"}},
		{name: "missing file field", as: "manager", method: "POST", url: importURL, wantStatus: 422, wantFields: []string{"file:required"},
			upload: &apiUpload{field: "attachment", name: "员工名册.xlsx", content: filled(good...)}},
		{name: "no multipart body at all", as: "manager", method: "POST", url: importURL, body: `{}`, wantStatus: 422, wantFields: []string{"file:required"}},
		{name: "over the roster size limit", as: "manager", method: "POST", url: importURL, wantStatus: 413, wantBody: []string{"上传内容过大"},
			upload: upload(raw(bytes.Repeat([]byte{'x'}, org.MaxRosterBytes+1)))},
		{name: "nothing of the refused uploads was written", as: "manager", method: "GET", url: "/api/v1/employees?q=IMP-&per_page=50",
			wantStatus: 200, wantBody: []string{`"total":4`}},
	}
}

// importOverBodyLimit announces an upload bigger than the server's body limit over a
// real connection: app.Test cannot, because fasthttp refuses it from the headers before
// Fiber sees it. Only the headers are sent, so the refusal cannot race the body.
func importOverBodyLimit(t *testing.T, r *apiRunner) {
	e := r.bind(t)
	c := r.client(e, "manager")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })

	before := e.auditCount()
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	var cookies []string
	for k, v := range c.cookies {
		cookies = append(cookies, k+"="+v)
	}
	_, err = fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: multipart/form-data; boundary=xyz\r\n"+
		"Content-Length: %d\r\nCookie: %s\r\nX-Csrf-Token: %s\r\n\r\n",
		importURL, ln.Addr(), 13<<20, strings.Join(cookies, "; "), c.cookies["csrf_"])
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodPost, "http://"+ln.Addr().String()+importURL, nil)
	require.NoError(t, err)
	hres, err := http.ReadResponse(bufio.NewReader(conn), req)
	require.NoError(t, err)
	defer hres.Body.Close()
	b, err := io.ReadAll(hres.Body)
	require.NoError(t, err)
	res := response{Code: hres.StatusCode, Header: hres.Header, Body: string(b)}

	require.Equal(t, http.StatusRequestEntityTooLarge, res.Code, res.Body)
	apiCheckResponse(t, req, res)
	assert.Equal(t, "上传内容过大", apiProblemOf(t, res).Title)
	assert.Equal(t, before, e.auditCount())
}
