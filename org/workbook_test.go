package org_test

import (
	"archive/zip"
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/org"
)

// cnHeader and enHeader are the two header forms the import accepts (rosterColumns).
var (
	cnHeader = []any{"工号*", "姓名*", "单位编码*", "岗位*", "入职日期*", "状态", "电话"}
	enHeader = []any{"job_number", "name", "org_unit_code", "position", "hire_date", "status", "phone"}
)

// row is one roster row in the order of the headers above; hire may be a string, a
// number or a time.Time (written as a real Excel date).
func row(job, name, code, position string, hire any, statusAndPhone ...string) []any {
	r := []any{job, name, code, position, hire, "", ""}
	for i, s := range statusAndPhone {
		r[5+i] = s
	}
	return r
}

// sheetSpec is one sheet of a test workbook: rows from A1, a nil row left empty.
type sheetSpec struct {
	name string
	rows [][]any
}

// xlsx builds a workbook with the given sheets; time.Time cells get a date format.
func xlsx(t testing.TB, sheets ...sheetSpec) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	require.NoError(t, err)
	for i, s := range sheets {
		if i == 0 {
			require.NoError(t, f.SetSheetName("Sheet1", s.name))
		} else {
			_, err := f.NewSheet(s.name)
			require.NoError(t, err)
		}
		for r, cells := range s.rows {
			if cells == nil {
				continue
			}
			for c, v := range cells {
				if v == nil || v == "" {
					continue
				}
				cell, err := excelize.CoordinatesToCellName(c+1, r+1)
				require.NoError(t, err)
				require.NoError(t, f.SetCellValue(s.name, cell, v))
				if _, ok := v.(time.Time); ok {
					require.NoError(t, f.SetCellStyle(s.name, cell, cell, dateStyle))
				}
			}
		}
	}
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// roster is a one-sheet workbook named like the template's roster sheet.
func roster(t testing.TB, rows ...[]any) []byte {
	return xlsx(t, sheetSpec{org.RosterSheet, rows})
}

// streamRoster writes a header and n generated rows with the stream writer.
func streamRoster(t testing.TB, n int, unitCode string, job func(i int) string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	require.NoError(t, err)
	require.NoError(t, sw.SetRow("A1", cnHeader))
	for i := range n {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(t, sw.SetRow(cell, []any{job(i), "批量员工", unitCode, "窗口", "2024-03-01"}))
	}
	require.NoError(t, sw.Flush())
	var buf bytes.Buffer
	_, err = f.WriteTo(&buf)
	require.NoError(t, err)
	return buf.Bytes()
}

// zipEntry is one file of a hand-made zip: data, or an already deflated stream with
// its CRC-32 and the uncompressed size its header declares (see bomb).
type zipEntry struct {
	name         string
	data         []byte
	deflated     []byte
	crc          uint32
	declaredSize uint64
}

// rezip copies the zip src, replacing or adding entries; entries keep their order.
func rezip(t testing.TB, src []byte, replace ...zipEntry) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	require.NoError(t, err)
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	done := map[string]bool{}
	write := func(e zipEntry) {
		if e.deflated == nil {
			w, err := zw.Create(e.name)
			require.NoError(t, err)
			_, err = w.Write(e.data)
			require.NoError(t, err)
			return
		}
		w, err := zw.CreateRaw(&zip.FileHeader{
			Name: e.name, Method: zip.Deflate, CRC32: e.crc,
			CompressedSize64: uint64(len(e.deflated)), UncompressedSize64: e.declaredSize,
		})
		require.NoError(t, err)
		_, err = w.Write(e.deflated)
		require.NoError(t, err)
	}
	for _, f := range zr.File {
		replaced := false
		for _, e := range replace {
			if e.name == f.Name {
				write(e)
				done[e.name], replaced = true, true
			}
		}
		if replaced {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		data, err := io.ReadAll(rc)
		require.NoError(t, err)
		require.NoError(t, rc.Close())
		write(zipEntry{name: f.Name, data: data})
	}
	for _, e := range replace {
		if !done[e.name] {
			write(e)
		}
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// zipOf makes a zip of the given entries.
func zipOf(t testing.TB, entries ...zipEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.Create(e.name)
		require.NoError(t, err)
		_, err = w.Write(e.data)
		require.NoError(t, err)
	}
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

// sheetXML wraps rows XML in a worksheet.
func sheetXML(rows string) []byte {
	return []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>` +
		rows + `</sheetData></worksheet>`)
}

// rosterWithSheetXML is a real workbook whose only sheet holds the given XML.
func rosterWithSheetXML(t testing.TB, xml []byte) []byte {
	t.Helper()
	return rezip(t, roster(t, cnHeader), zipEntry{name: "xl/worksheets/sheet1.xml", data: xml})
}

// rowErr is the part of an org.RowError the tests compare.
type rowErr struct {
	Row   int
	Field string
	Code  string
}

// requireImportError checks that err is an *org.ImportError whose report lists exactly want.
func requireImportError(t *testing.T, rep *org.ImportReport, err error, want ...rowErr) *org.ImportReport {
	t.Helper()
	var ie *org.ImportError
	require.ErrorAs(t, err, &ie, "want an import error, got %v", err)
	require.NotNil(t, ie.Report)
	if rep != nil {
		require.Same(t, rep, ie.Report)
	}
	got := make([]rowErr, len(ie.Report.Errors))
	for i, e := range ie.Report.Errors {
		got[i] = rowErr{e.Row, e.Field, e.Code}
	}
	require.ElementsMatch(t, want, got)
	require.Zero(t, ie.Report.Created)
	require.Zero(t, ie.Report.Updated)
	return ie.Report
}

// unchanged checks that fn writes no employee and no audit event.
func (f *fixture) unchanged(fn func()) {
	f.t.Helper()
	var before []models.Employee
	require.NoError(f.t, f.db.Order("id").Find(&before).Error)
	mark := f.auditMark()
	fn()
	var after []models.Employee
	require.NoError(f.t, f.db.Order("id").Find(&after).Error)
	require.Equal(f.t, before, after, "no employee may change")
	f.requireNoAudit(mark)
}
