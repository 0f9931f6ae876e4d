package workbook_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/workbook"
)

type hundredths int64

func TestWriterSheets(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	w, err := workbook.NewWriter(loc)
	require.NoError(t, err)
	defer w.Close()
	w.SetRowLimit(6) // title, header and four rows a part
	cols := []workbook.Column{{Title: "名称"}, {Title: "数量", Kind: workbook.Int}, {Title: "得分", Kind: workbook.Hundredths},
		{Title: "合格率", Kind: workbook.Percent}, {Title: "提交时间", Kind: workbook.DateTime}}
	s, err := w.NewSheet("巡查明细", cols, workbook.SheetOptions{Title: "2026年第3季度"})
	require.NoError(t, err)
	at := time.Date(2026, 9, 30, 15, 30, 0, 0, time.UTC) // 23:30 in Beijing
	score := hundredths(9026)
	for i := range 10 {
		require.NoError(t, s.Add("=HYPERLINK(\"http://x\")", 1234+i, score, &score, at))
	}
	require.NoError(t, s.Add("无分", nil, "无数据", (*hundredths)(nil), time.Time{}))
	require.NoError(t, s.Close())
	var buf bytes.Buffer
	_, err = w.WriteTo(&buf)
	require.NoError(t, err)

	file := bytes.Clone(buf.Bytes())
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	assert.Equal(t, []string{"巡查明细", "巡查明细 (2)", "巡查明细 (3)"}, f.GetSheetList(), "11 rows, 4 a part")
	for _, sheet := range f.GetSheetList() {
		rows, err := f.GetRows(sheet)
		require.NoError(t, err)
		assert.Equal(t, "2026年第3季度", rows[0][0])
		assert.Equal(t, []string{"名称", "数量", "得分", "合格率", "提交时间"}, rows[1])
		formula, err := f.GetCellFormula(sheet, "A3")
		require.NoError(t, err)
		assert.Empty(t, formula, "text is never a formula")
	}
	v, _ := f.GetCellValue("巡查明细", "A3")
	assert.Equal(t, `=HYPERLINK("http://x")`, v)
	for cell, want := range map[string]string{"B3": "1,234", "C3": "90.26", "D3": "90.26%", "E3": "2026-09-30 23:30"} {
		v, _ := f.GetCellValue("巡查明细", cell)
		assert.Equal(t, want, v, cell)
	}
	raw, _ := f.GetCellValue("巡查明细", "D3", excelize.Options{RawCellValue: true})
	assert.Equal(t, "0.9026", raw, "a share is stored as a number")
	typ, _ := f.GetCellType("巡查明细", "C3")
	assert.NotEqual(t, excelize.CellTypeSharedString, typ)
	last, _ := f.GetRows("巡查明细 (3)")
	assert.Equal(t, []string{"无分", "", "无数据"}, last[len(last)-1])
	// The first sheet opens, and only it is selected (no SetActiveSheet pass over
	// the streamed sheets).
	assert.Equal(t, 0, f.GetActiveSheetIndex())
	zr, err := zip.NewReader(bytes.NewReader(file), int64(len(file)))
	require.NoError(t, err)
	for i := range f.GetSheetList() {
		part, err := zr.Open(fmt.Sprintf("xl/worksheets/sheet%d.xml", i+1))
		require.NoError(t, err)
		x, err := io.ReadAll(part)
		require.NoError(t, err)
		selected := bytes.Contains(x, []byte(`tabSelected="1"`)) || bytes.Contains(x, []byte(`tabSelected="true"`))
		assert.Equal(t, i == 0, selected, "sheet %d", i+1)
	}
	panes, err := f.GetPanes("巡查明细")
	require.NoError(t, err)
	assert.True(t, panes.Freeze)
	assert.Equal(t, 2, panes.YSplit)
}

// TestStreamMeasuredNumbers: Stream writes nothing when filling fails; a float (or a
// pointer to one) is a number cell shown to two places in any column, a whole number in
// a Decimal column is shown whole, an ID without separators, and a nil pointer is an
// empty cell.
func TestStreamMeasuredNumbers(t *testing.T) {
	var out bytes.Buffer
	require.Error(t, workbook.Stream(&out, time.UTC, func(w *workbook.Writer) error {
		s, err := w.NewSheet("试题分析", []workbook.Column{{Title: "a"}}, workbook.SheetOptions{})
		require.NoError(t, err)
		require.NoError(t, s.Add("x"))
		return fmt.Errorf("the query failed half-way")
	}))
	assert.Zero(t, out.Len(), "nothing reaches the caller")

	d := -0.123456
	require.NoError(t, workbook.Stream(&out, time.UTC, func(w *workbook.Writer) error {
		s, err := w.NewSheet("试题分析", []workbook.Column{{Title: "区分度", Kind: workbook.Decimal}, {Title: "规则"}, {Title: "人数", Kind: workbook.Decimal}, {Title: "编号", Kind: workbook.ID}}, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		if err := s.Add(&d, 0.8333, 20, 12345); err != nil {
			return err
		}
		if err := s.Add((*float64)(nil), nil, nil); err != nil {
			return err
		}
		return s.Close()
	}))
	f, err := excelize.OpenReader(&out)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("试题分析")
	require.NoError(t, err)
	assert.Equal(t, []string{"-0.12", "0.83", "20", "12345"}, rows[1], "an id has no thousands separator")
	assert.Len(t, rows, 2, "the all-empty row is no row")
	raw, _ := f.GetCellValue("试题分析", "A2", excelize.Options{RawCellValue: true})
	assert.Equal(t, "-0.123456", raw, "the cell keeps every digit")
	typ, _ := f.GetCellType("试题分析", "B2")
	assert.NotEqual(t, excelize.CellTypeSharedString, typ, "a float in a text column is still a number")
}
