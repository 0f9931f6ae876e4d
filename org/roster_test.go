package org_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

// importRoster runs ImportRoster on data as the tester.
func (f *fixture) importRoster(scope models.Scope, data []byte, dryRun bool) (*org.ImportReport, error) {
	return f.svc.ImportRoster(f.ctx, actor, scope, bytes.NewReader(data), dryRun)
}

func TestImportRosterCreatesAndUpdates(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		file := roster(t,
			cnHeader,
			row("R001", "张一", "360102-01", "窗口", "2024-03-01"),
			row("R002", "张二", "360102-02", "装维", "2024/3/2", "休假", "13800000002"),
			nil, // a blank row is skipped
			row("R003", " 张三 ", "360103", "营销", "2024年3月3日", "离职"),
			row("R004", "张四", "3601", "管理", time.Date(2023, 7, 15, 0, 0, 0, 0, time.UTC), "在岗"),
			row("R005", "张五", "360102-01", "other", 45352, "active"), // a bare serial number: 2024-03-01
			row("R006", "张六", "360102-01", "安装维护", "2024.3.6"),
		)
		want := map[string]struct {
			name, unit, position, status, phone string
			hire                                models.Date
		}{
			"R001": {"张一", "360102-01", models.PositionWindow, models.StatusActive, "", models.Date{Year: 2024, Month: 3, Day: 1}},
			"R002": {"张二", "360102-02", models.PositionInstaller, models.StatusOnLeave, "13800000002", models.Date{Year: 2024, Month: 3, Day: 2}},
			"R003": {"张三", "360103", models.PositionMarketing, models.StatusLeft, "", models.Date{Year: 2024, Month: 3, Day: 3}},
			"R004": {"张四", "3601", models.PositionManager, models.StatusActive, "", models.Date{Year: 2023, Month: 7, Day: 15}},
			"R005": {"张五", "360102-01", models.PositionOther, models.StatusActive, "", models.Date{Year: 2024, Month: 3, Day: 1}},
			"R006": {"张六", "360102-01", models.PositionInstaller, models.StatusActive, "", models.Date{Year: 2024, Month: 3, Day: 6}},
		}

		t.Run("dry run writes nothing", func(t *testing.T) {
			f := f.with(t)
			f.unchanged(func() {
				rep, err := f.importRoster(nanchang, file, true)
				require.NoError(t, err)
				require.Equal(t, org.ImportReport{DryRun: true, Rows: 6, Created: 6, Errors: []org.RowError{}}, *rep)
			})
			require.Zero(t, f.count(&models.Employee{}))
		})

		t.Run("valid rows are created", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			rep, err := f.importRoster(nanchang, file, false)
			require.NoError(t, err)
			require.Equal(t, org.ImportReport{Rows: 6, Created: 6, Errors: []org.RowError{}}, *rep)
			events := f.auditSince(mark)
			require.Len(t, events, 6, "one audit event per employee")
			ids := map[string]bool{}
			for _, ev := range events {
				require.Equal(t, "import", ev.Action)
				require.Equal(t, "employee", ev.Entity)
				ids[ev.EntityID] = true
			}
			for job, w := range want {
				e := f.employeeByJob(job)
				require.NotNil(t, e, job)
				require.True(t, ids[fmt.Sprint(e.ID)], "audit event for %s", job)
				require.Equal(t, w.name, e.Name, job)
				require.Equal(t, f.id(w.unit), e.OrgUnitID, job)
				require.Equal(t, w.position, e.Position, job)
				require.Equal(t, w.status, e.Status, job)
				require.Equal(t, w.phone, e.Phone, job)
				require.Equal(t, w.hire, e.HireDate, job)
			}
		})

		t.Run("re-import is unchanged", func(t *testing.T) {
			f := f.with(t)
			f.unchanged(func() {
				rep, err := f.importRoster(nanchang, file, false)
				require.NoError(t, err)
				require.Equal(t, org.ImportReport{Rows: 6, Unchanged: 6, Errors: []org.RowError{}}, *rep)
			})
		})

		t.Run("a changed name is one update", func(t *testing.T) {
			f := f.with(t)
			changed := roster(t,
				cnHeader,
				row("R001", "张一", "360102-01", "窗口", "2024-03-01"),
				row("R002", "张二改", "360102-02", "装维", "2024/3/2", "休假", "13800000002"),
				row("R003", "张三", "360103", "营销", "2024年3月3日", "离职"),
			)
			mark := f.auditMark()
			rep, err := f.importRoster(nanchang, changed, false)
			require.NoError(t, err)
			require.Equal(t, org.ImportReport{Rows: 3, Updated: 1, Unchanged: 2, Errors: []org.RowError{}}, *rep)
			e := f.employeeByJob("R002")
			require.Equal(t, "张二改", e.Name)
			ev := f.requireOneAudit(mark, "import", "employee", e.ID)
			require.Contains(t, ev.Summary, "张二改")
			require.Contains(t, ev.Summary, `"name"`)
			require.NotContains(t, ev.Summary, `"position"`, "only the changed field is in the summary")
		})

		t.Run("English header, columns in another order, real dates, first sheet", func(t *testing.T) {
			f := f.with(t)
			file := xlsx(t, sheetSpec{"Sheet1", [][]any{
				{"phone", "hire_date", "备注", "name", " job_number ", "position", "org_unit_code", "status"},
				{"0791-88888888", time.Date(2022, 2, 28, 0, 0, 0, 0, time.UTC), "ignored", "李一", "R101", "marketing", "360111-01", ""},
				{"", time.Date(2020, 1, 31, 0, 0, 0, 0, time.UTC), "", "李二", "R102", "window", "360111-02", "on_leave"},
			}})
			mark := f.auditMark()
			rep, err := f.importRoster(nanchang, file, false)
			require.NoError(t, err)
			require.Equal(t, 2, rep.Created)
			require.Len(t, f.auditSince(mark), 2)
			e := f.employeeByJob("R101")
			require.Equal(t, "李一", e.Name)
			require.Equal(t, "0791-88888888", e.Phone)
			require.Equal(t, models.Date{Year: 2022, Month: 2, Day: 28}, e.HireDate)
			require.Equal(t, f.id("360111-01"), e.OrgUnitID)
			require.Equal(t, models.StatusOnLeave, f.employeeByJob("R102").Status)
		})

		t.Run("the roster sheet is found by name, headers without asterisks", func(t *testing.T) {
			f := f.with(t)
			file := xlsx(t,
				sheetSpec{"说明", [][]any{{"工号", "姓名"}, {"X1", "not a roster"}}},
				sheetSpec{org.RosterSheet, [][]any{
					{"工号", "姓名", "单位编码", "岗位", "入职日期"},
					row("R201", "王一", "360102-01", "窗口", "2021-05-05"),
				}},
			)
			rep, err := f.importRoster(nanchang, file, false)
			require.NoError(t, err)
			require.Equal(t, 1, rep.Created)
			require.NotNil(t, f.employeeByJob("R201"))
			require.Nil(t, f.employeeByJob("X1"))
		})

		t.Run("six hundred rows in batches, then unchanged", func(t *testing.T) {
			f := f.with(t)
			file := streamRoster(t, 600, "360104-01", func(i int) string { return fmt.Sprintf("B%05d", i) })
			mark := f.auditMark()
			rep, err := f.importRoster(nanchang, file, false)
			require.NoError(t, err)
			require.Equal(t, 600, rep.Created)
			require.Len(t, f.auditSince(mark), 600)
			f.unchanged(func() {
				rep, err := f.importRoster(nanchang, file, false)
				require.NoError(t, err)
				require.Equal(t, 600, rep.Unchanged)
			})
		})
	})
}

func TestImportRosterRefusesBadFiles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		f.employee("E900", "九江员工", "360402-01")
		f.employee("E100", "南昌员工", "360102-01")
		good := func(job string) []any { return row(job, "好员工", "360102-01", "窗口", "2024-03-01") }

		tests := []struct {
			name string
			file []byte
			want []rowErr
		}{
			{
				name: "one bad row among many: every bad row, nothing written",
				file: roster(t,
					cnHeader,
					good("G01"),
					row("G02", "坏岗位", "360102-01", "厨师", "2024-03-01"),
					good("G03"),
					nil,
					row("G05", "坏日期", "360102-01", "窗口", "2024-02-30", "", "call me"),
					row("", "无工号", "360102-01", "窗口", "2024-03-01"),
					row("G07", "", "", "", ""),
					row("G08", "坏状态", "360102-01", "窗口", "1900-01-01", "退休"),
					row("G 09", strings.Repeat("名", 65), "999999", "窗口", "2024-03-01"),
					good("G10"),
				),
				want: []rowErr{
					{3, "position", "invalid_choice"},
					{6, "hire_date", "invalid_date"},
					{6, "phone", "invalid_phone"},
					{7, "job_number", "required"},
					{8, "name", "required"},
					{8, "org_unit_code", "required"},
					{8, "position", "invalid_choice"},
					{8, "hire_date", "required"},
					{9, "status", "invalid_choice"},
					{9, "hire_date", "out_of_range"},
					{10, "job_number", "invalid_job_number"},
					{10, "name", "too_long"},
					{10, "org_unit_code", "not_found"},
				},
			},
			{
				name: "duplicate job number inside the file",
				file: roster(t, cnHeader, good("D1"), good("D2"), good("D1"), good("D2"), good("D1")),
				want: []rowErr{{4, "job_number", "duplicate_in_file"}, {5, "job_number", "duplicate_in_file"}, {6, "job_number", "duplicate_in_file"}},
			},
			{
				name: "unit code outside the importer's scope",
				file: roster(t, cnHeader, good("S1"), row("S2", "九江人", "360402-01", "窗口", "2024-03-01"), row("S3", "省公司", "36", "管理", "2024-03-01")),
				want: []rowErr{{3, "org_unit_code", "not_found"}, {4, "org_unit_code", "not_found"}},
			},
			{
				name: "job number taken outside scope",
				file: roster(t, cnHeader, good("S1"), good("E900"), good("E100")),
				want: []rowErr{{3, "job_number", "taken_outside_scope"}},
			},
			{
				name: "unreadable dates",
				file: roster(t, cnHeader, row("T1", "x", "360102-01", "窗口", "yesterday"), row("T2", "x", "360102-01", "窗口", "2024-13-01"), row("T3", "x", "360102-01", "窗口", "-5")),
				want: []rowErr{{2, "hire_date", "invalid_date"}, {3, "hire_date", "invalid_date"}, {4, "hire_date", "invalid_date"}},
			},
			{
				name: "missing required columns",
				file: roster(t, []any{"工号*", "姓名*", "单位编码*", "状态"}, good("M1")),
				want: []rowErr{{1, "position", "missing_column"}, {1, "hire_date", "missing_column"}},
			},
			{
				name: "a header below blank rows is still the header",
				file: roster(t, nil, nil, []any{"工号*", "姓名*"}, good("M1")),
				want: []rowErr{{3, "org_unit_code", "missing_column"}, {3, "position", "missing_column"}, {3, "hire_date", "missing_column"}},
			},
			{
				name: "header only",
				file: roster(t, cnHeader),
				want: []rowErr{{2, "", "empty_sheet"}},
			},
			{
				name: "empty sheet",
				file: roster(t),
				want: []rowErr{{1, "", "missing_header"}},
			},
		}
		for _, tc := range tests {
			for _, dryRun := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s dry=%v", tc.name, dryRun), func(t *testing.T) {
					f := f.with(t)
					f.unchanged(func() {
						rep, err := f.importRoster(nanchang, tc.file, dryRun)
						got := requireImportError(t, rep, err, tc.want...)
						require.Equal(t, dryRun, got.DryRun)
					})
				})
			}
		}

		t.Run("error details", func(t *testing.T) {
			f := f.with(t)
			rep, err := f.importRoster(nanchang, roster(t, cnHeader, good("D1"), row("D1", "x", "360402-01", "窗口", "someday")), false)
			requireImportError(t, rep, err, rowErr{3, "org_unit_code", "not_found"}, rowErr{3, "hire_date", "invalid_date"}, rowErr{3, "job_number", "duplicate_in_file"})
			byField := map[string]org.RowError{}
			for _, e := range rep.Errors {
				byField[e.Field] = e
			}
			require.Equal(t, "360402-01", byField["org_unit_code"].Value)
			require.Equal(t, "someday", byField["hire_date"].Value)
			require.Equal(t, "D1", byField["job_number"].Value)
			require.Equal(t, 2, byField["job_number"].Params["row"], "points at the first occurrence")
			require.Equal(t, 2, rep.Rows)
			require.Contains(t, err.Error(), "3 row errors")
		})

		t.Run("the whole province may import anywhere", func(t *testing.T) {
			f := f.with(t)
			rep, err := f.importRoster(models.ScopeAll, roster(t, cnHeader, good("E900"), row("P1", "九江人", "360402-01", "窗口", "2024-03-01")), true)
			require.NoError(t, err)
			require.Equal(t, 1, rep.Created)
			require.Equal(t, 1, rep.Updated, "E900 moves to 东湖 and is renamed")
		})
	})
}

func TestImportRosterRowLimit(t *testing.T) {
	// One row more than allowed, written once for both engines.
	file := streamRoster(t, org.MaxRosterRows+1, "360102-01", func(i int) string { return fmt.Sprintf("L%06d", i) })
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		start := time.Now()
		f.unchanged(func() {
			rep, err := f.importRoster(models.ScopeAll, file, false)
			// The error is on the row after the last allowed one: MaxRosterRows rows pass.
			requireImportError(t, rep, err, rowErr{org.MaxRosterRows + 2, "", "too_many_rows"})
			require.Equal(t, org.MaxRosterRows, rep.Errors[0].Params["max"])
		})
		elapsed := time.Since(start)
		t.Logf("refusal of %d rows: %s", org.MaxRosterRows+1, elapsed)
	})
}
