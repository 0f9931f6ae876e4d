package org_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

func TestWriteRosterTemplate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		// A unit name that would be a formula if written carelessly (SECURITY.md: Exports).
		_, err := f.svc.CreateUnit(f.ctx, actor, models.ScopeAll, org.UnitInput{
			Code: "360102-99", Name: `=HYPERLINK("http://evil.example","点我")`, Level: models.LevelOutlet, ParentID: f.ptr("360102"),
		})
		require.NoError(t, err)

		var buf bytes.Buffer
		require.NoError(t, f.svc.WriteRosterTemplate(f.ctx, nanchang, &buf))
		wb, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
		require.NoError(t, err)
		defer wb.Close()

		require.Equal(t, []string{org.RosterSheet, "填写说明", "单位编码"}, wb.GetSheetList())
		rows, err := wb.GetRows(org.RosterSheet)
		require.NoError(t, err)
		require.Len(t, rows, 1, "the roster sheet holds only the header")
		header := make([]string, len(cnHeader))
		for i, h := range cnHeader {
			header[i] = h.(string)
		}
		require.Equal(t, header, rows[0])

		help, err := wb.GetRows("填写说明")
		require.NoError(t, err)
		require.Greater(t, len(help), len(cnHeader))

		codes, err := wb.GetRows("单位编码")
		require.NoError(t, err)
		require.Equal(t, []string{"单位编码", "单位名称", "层级"}, codes[0])
		inScope, err := models.OrgUnitsInScope(f.ctx, db, nanchang)
		require.NoError(t, err)
		want := map[string]string{}
		for _, u := range inScope {
			want[u.Code] = u.Name
		}
		got := map[string]string{}
		for _, r := range codes[1:] {
			require.Len(t, r, 3)
			got[r[0]] = r[1]
		}
		require.Equal(t, want, got, "exactly the units in scope")
		require.Contains(t, got, "3601")
		require.Contains(t, got, "360102-01")
		require.NotContains(t, got, "36")
		require.NotContains(t, got, "3604")
		require.NotContains(t, got, "360402")

		for i, r := range codes {
			if r[0] != "360102-99" {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(2, i+1)
			formula, err := wb.GetCellFormula("单位编码", cell)
			require.NoError(t, err)
			require.Empty(t, formula, "a name starting with = is text, not a formula")
			require.Equal(t, `=HYPERLINK("http://evil.example","点我")`, r[1])
		}

		t.Run("filled in, it imports", func(t *testing.T) {
			f := f.with(t)
			require.NoError(t, wb.SetSheetRow(org.RosterSheet, "A2", &[]any{"T001", "模板一", "360102-01", "窗口", time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), "在岗", "13900000001"}))
			require.NoError(t, wb.SetSheetRow(org.RosterSheet, "A3", &[]any{"T002", "模板二", "360103", "装维", "2023-09-15"}))
			var filled bytes.Buffer
			_, err := wb.WriteTo(&filled)
			require.NoError(t, err)

			mark := f.auditMark()
			rep, err := f.importRoster(nanchang, filled.Bytes(), false)
			require.NoError(t, err)
			require.Equal(t, org.ImportReport{Rows: 2, Created: 2, Errors: []org.RowError{}}, *rep)
			require.Len(t, f.auditSince(mark), 2)
			one := f.employeeByJob("T001")
			require.Equal(t, models.Date{Year: 2024, Month: 3, Day: 1}, one.HireDate)
			require.Equal(t, "13900000001", one.Phone)
			two := f.employeeByJob("T002")
			require.Equal(t, f.id("360103"), two.OrgUnitID)
			require.Equal(t, models.PositionInstaller, two.Position)

			f.unchanged(func() {
				rep, err := f.importRoster(nanchang, filled.Bytes(), false)
				require.NoError(t, err)
				require.Equal(t, 2, rep.Unchanged)
			})
		})

		t.Run("the province's template lists every unit", func(t *testing.T) {
			var buf bytes.Buffer
			require.NoError(t, f.svc.WriteRosterTemplate(f.ctx, models.ScopeAll, &buf))
			wb, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer wb.Close()
			codes, err := wb.GetRows("单位编码")
			require.NoError(t, err)
			require.EqualValues(t, f.count(&models.OrgUnit{}), len(codes)-1)
		})
	})
}
