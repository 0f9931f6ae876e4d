package inspections

import (
	"context"
	"errors"
	"io"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
)

// VoidFinding voids a finding with a reason (it was wrong, or is moot) and cancels its
// rectification while that is still open or submitted; a verified or waived one
// stays as it was. A decision that rests on the finding stays as it was too (R6): the
// finding is kept, marked void, never deleted.
func (s *Service) VoidFinding(ctx context.Context, actor models.Actor, scope models.Scope, id uint, in ReasonInput) (*models.Finding, error) {
	f, err := models.GetFinding(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	reason, err := reasonText(in)
	if err != nil {
		return nil, err
	}
	if f.VoidedAt != nil {
		return nil, errFindingVoided
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The inspection's row first, as Submit and Reopen take it: a reopen deletes the
		// rectification and then the finding, the void writes them the other way round,
		// so without it the two deadlocked on MySQL.
		if _, err := models.LockInspection(tx, f.InspectionID); err != nil {
			return err
		}
		now := s.now()
		if err := models.VoidFinding(tx, f, actor.UserID, reason, now); errors.Is(err, models.ErrStale) {
			return errFindingVoided // voided by a parallel request
		} else if err != nil {
			return err
		}
		summary := map[string]any{"reason": reason}
		r, err := models.RectificationOf(ctx, tx, f.ID)
		if err != nil {
			return err
		}
		if cancelled, err := s.Rects.Cancel(tx, r, actor, now, reason); err != nil {
			return err
		} else if cancelled {
			summary["rectification_cancelled"] = r.ID
		}
		return models.Audit(tx, actor, "void", "finding", f.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return f, nil
}

// DeleteFinding refuses, always: a finding is part of a submitted inspection, which is
// read-only, and one used by an accountability case must survive its decision (R6,
// issue 4 point 7). A wrong finding is voided with a reason instead; the refusal says
// which applies.
func (s *Service) DeleteFinding(ctx context.Context, scope models.Scope, id uint) error {
	f, err := models.GetFinding(ctx, s.DB, scope, id)
	if err != nil {
		return err
	}
	used, err := models.FindingInCase(ctx, s.DB, f.ID)
	if err != nil {
		return err
	}
	if used {
		return errFindingInCase
	}
	return errFindingDeleteUseVoid
}

// Export sheets and their columns.
const (
	InspectionsSheet = "检查记录"
	FindingsSheet    = "问题清单"
)

// InspectionColumns are the columns of the inspections export.
var InspectionColumns = []string{"编号", "单位编码", "单位", "检查表", "版本", "检查员", "开始时间", "提交时间", "状态", "得分", "得分/满分", "结论", "否决项不合格", "距离营业厅(米)", "远离营业厅"}

// FindingColumns are the columns of the findings export.
var FindingColumns = []string{"编号", "检查编号", "单位编码", "单位", "项目", "规则", "内容", "说明", "否决项", "发现时间", "作废时间", "作废原因"}

// maxSheetRows is the most data rows one sheet holds under its header.
const maxSheetRows = 1_048_575

var errTooManyRows = &models.ValidationError{Fields: []models.FieldError{{Field: "unit_id", Code: "too_many_rows", Params: map[string]any{"max": maxSheetRows}}}}

var (
	statusNames = map[string]string{models.InspectionDraft: "填写中", models.InspectionSubmitted: "已提交"}
	resultNames = map[string]string{models.ResultPass: "合格", models.ResultFail: "不合格", models.ResultNoScore: "无得分"}
)

// sheet is a streaming sheet with a bold header.
type sheet struct {
	x   *excelize.File
	sw  *excelize.StreamWriter
	row int
}

func newSheet(name string, columns []string) (*sheet, error) {
	x := excelize.NewFile()
	if err := x.SetSheetName("Sheet1", name); err != nil {
		x.Close()
		return nil, err
	}
	sw, err := x.NewStreamWriter(name)
	if err != nil {
		x.Close()
		return nil, err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		x.Close()
		return nil, err
	}
	header := make([]any, len(columns))
	for i, c := range columns {
		header[i] = excelize.Cell{StyleID: bold, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		x.Close()
		return nil, err
	}
	return &sheet{x: x, sw: sw, row: 1}, nil
}

// add writes one row. Values from users are string cells, never formulas, whatever
// they start with (= + - @ or a tab): the stream writer writes a string as text.
func (s *sheet) add(vals []any) error {
	if s.row > maxSheetRows {
		return errTooManyRows
	}
	s.row++
	cell, _ := excelize.CoordinatesToCellName(1, s.row)
	return s.sw.SetRow(cell, vals)
}

func (s *sheet) finish(w io.Writer) error {
	if err := s.sw.Flush(); err != nil {
		return err
	}
	_, err := s.x.WriteTo(w)
	return err
}

func timeText(t *time.Time, loc *time.Location) string {
	if t == nil {
		return ""
	}
	return t.In(loc).Format("2006-01-02 15:04")
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// WriteInspections writes every inspection of the filter in scope as an .xlsx
// workbook, streamed from the database; the caller gives a buffer, so a failure
// half-way still becomes an error response.
func (s *Service) WriteInspections(ctx context.Context, scope models.Scope, f models.InspectionFilter, w io.Writer) error {
	sh, err := newSheet(InspectionsSheet, InspectionColumns)
	if err != nil {
		return err
	}
	defer sh.x.Close()
	err = models.EachInspection(ctx, s.DB, scope, f, func(batch []models.Inspection) error {
		for _, ins := range batch {
			var code, unit, tmpl, who, score, dist string
			version := 0
			if ins.OrgUnit != nil {
				code, unit = ins.OrgUnit.Code, ins.OrgUnit.Name
			}
			if ins.Template != nil {
				tmpl, version = ins.Template.Title, ins.Template.Version
			}
			if ins.Inspector != nil {
				who = ins.Inspector.DisplayName
			}
			if ins.Score != nil {
				score = ins.Score.String()
			}
			if ins.DistanceM != nil {
				dist = strconv.Itoa(*ins.DistanceM)
			}
			started := ins.StartedAt
			vals := []any{ins.ID, code, unit, tmpl, version, who, timeText(&started, s.Loc), timeText(ins.SubmittedAt, s.Loc),
				statusNames[ins.Status], score, strconv.Itoa(ins.Earned) + "/" + strconv.Itoa(ins.Possible), resultNames[ins.Result],
				yesNo(ins.CriticalFailed), dist, yesNo(ins.FarFromOutlet)}
			if err := sh.add(vals); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return sh.finish(w)
}

// WriteFindings writes every finding of the filter in scope as an .xlsx workbook.
func (s *Service) WriteFindings(ctx context.Context, scope models.Scope, f models.FindingFilter, w io.Writer) error {
	sh, err := newSheet(FindingsSheet, FindingColumns)
	if err != nil {
		return err
	}
	defer sh.x.Close()
	err = models.EachFinding(ctx, s.DB, scope, f, func(batch []models.Finding) error {
		for _, fd := range batch {
			var code, unit string
			if fd.OrgUnit != nil {
				code, unit = fd.OrgUnit.Code, fd.OrgUnit.Name
			}
			found := fd.FoundAt
			vals := []any{fd.ID, fd.InspectionID, code, unit, fd.ItemKey, fd.RuleRef, fd.Text, fd.Note, yesNo(fd.Critical),
				timeText(&found, s.Loc), timeText(fd.VoidedAt, s.Loc), fd.VoidReason}
			if err := sh.add(vals); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return sh.finish(w)
}
