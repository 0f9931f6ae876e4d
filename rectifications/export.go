package rectifications

import (
	"context"
	"io"

	"quality/models"
	"quality/workbook"
)

// Sheet is the name of the export's sheet (continued on 整改清单 (2) past Excel's row
// limit).
const Sheet = "整改清单"

// columns are the export's columns: days overdue a number, empty when not overdue;
// the due day a date; instants shown in the company's zone.
var columns = []workbook.Column{{Title: "整改编号", Kind: workbook.ID, Width: 9}, {Title: "网点编码", Width: 12}, {Title: "网点", Width: 24},
	{Title: "责任单位", Width: 16}, {Title: "规则", Width: 8}, {Title: "问题", Width: 40}, {Title: "一票否决", Width: 9}, {Title: "状态", Width: 9},
	{Title: "逾期天数", Kind: workbook.Int, Width: 9}, {Title: "到期日", Kind: workbook.Date, Width: 12}, {Title: "创建时间", Kind: workbook.DateTime, Width: 17},
	{Title: "提交时间", Kind: workbook.DateTime, Width: 17}, {Title: "核验时间", Kind: workbook.DateTime, Width: 17}}

// Columns are the export's header row.
var Columns = workbook.Titles(columns)

// StatusNames are the statuses as the export shows them.
var StatusNames = map[string]string{
	models.RectOpen:      "待整改",
	models.RectSubmitted: "待核验",
	models.RectVerified:  "已核验",
	models.RectWaived:    "已豁免",
	models.RectCancelled: "已撤销",
}

// WriteWorkbook writes the whole list f selects in scope (the open list with status=open,
// the overdue list with Overdue) as an .xlsx workbook to w, streamed from the database a
// batch at a time; overdue rows are highlighted. Nothing reaches w unless the whole
// workbook is written, so a failure can still become an error response.
func (s *Service) WriteWorkbook(ctx context.Context, scope models.Scope, f Filter, w io.Writer) error {
	today := s.Today()
	return workbook.Stream(w, s.Loc, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(Sheet, columns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		err = models.EachRectification(ctx, s.DB, scope, s.modelFilter(f, today), func(batch []models.Rectification) error {
			for _, r := range batch {
				v := viewOf(r, today)
				critical := ""
				if r.Critical {
					critical = "是"
				}
				add := sh.Add
				var overdue any
				if v.Overdue {
					overdue, add = v.DaysOverdue, sh.AddMarked
				}
				if err := add(r.ID, v.Outlet.Code, v.Outlet.Name, v.Assignee.Name, v.RuleRef, v.FindingText, critical,
					StatusNames[r.Status], overdue, r.DueOn.Time(), r.CreatedAt, r.SubmittedAt, r.VerifiedAt); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return sh.Close()
	})
}
