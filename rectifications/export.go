package rectifications

import (
	"context"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"quality/models"
)

// Sheet is the name of the export's only sheet.
const Sheet = "整改清单"

// Columns are the export's header row.
var Columns = []string{"整改编号", "网点编码", "网点", "责任单位", "规则", "问题", "一票否决", "状态", "逾期天数", "到期日", "创建时间", "提交时间", "核验时间"}

// StatusNames are the statuses as the export shows them.
var StatusNames = map[string]string{
	models.RectOpen:      "待整改",
	models.RectSubmitted: "待核验",
	models.RectVerified:  "已核验",
	models.RectWaived:    "已豁免",
	models.RectCancelled: "已撤销",
}

// maxSheetRows is what one sheet holds below its header.
const maxSheetRows = 1_048_575

// errTooManyRows refuses an export longer than one sheet.
var errTooManyRows = &models.ValidationError{Fields: []models.FieldError{{Field: "unit_id", Code: "too_many_rows", Params: map[string]any{"max": maxSheetRows}}}}

// WriteWorkbook writes the whole list f selects in scope (the open list with status=open,
// the overdue list with Overdue) as an .xlsx workbook to w, streamed from the database a
// batch at a time. Every value is a string or number cell, never a formula, whatever the
// text starts with; times are shown in Asia/Shanghai.
func (s *Service) WriteWorkbook(ctx context.Context, scope models.Scope, f Filter, w io.Writer) error {
	today := Today(s.Now())
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", Sheet); err != nil {
		return err
	}
	sw, err := x.NewStreamWriter(Sheet)
	if err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for col, width := range []float64{9, 12, 24, 16, 8, 40, 9, 9, 9, 12, 17, 17, 17} {
		if err := sw.SetColWidth(col+1, col+1, width); err != nil {
			return err
		}
	}
	header := make([]any, len(Columns))
	for i, c := range Columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	row := 1
	err = models.EachRectification(ctx, s.DB, scope, f.modelFilter(today), func(batch []models.Rectification) error {
		for _, r := range batch {
			if row > maxSheetRows {
				return errTooManyRows
			}
			row++
			v := viewOf(r, today)
			critical := ""
			if r.Critical {
				critical = "是"
			}
			var overdue any = ""
			if v.Overdue {
				overdue = v.DaysOverdue
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			vals := []any{int(r.ID), v.Outlet.Code, v.Outlet.Name, v.Assignee.Name, v.RuleRef, v.FindingText, critical,
				StatusNames[r.Status], overdue, r.DueOn.String(), shown(&r.CreatedAt), shown(r.SubmittedAt), shown(r.VerifiedAt)}
			if err := sw.SetRow(cell, vals); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = x.WriteTo(w)
	return err
}

// shown is an instant as a Shanghai wall-clock text, "" when unset.
func shown(t *time.Time) string {
	if t == nil || t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04")
}
