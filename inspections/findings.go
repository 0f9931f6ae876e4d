package inspections

import (
	"context"
	"errors"
	"io"
	"strconv"

	"gorm.io/gorm"

	"quality/models"
	"quality/workbook"
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

// The columns of the two exports: times are shown in the service's zone, the score as
// a number (66.67).
var (
	inspectionColumns = []workbook.Column{{Title: "编号", Kind: workbook.ID, Width: 8}, {Title: "单位编码", Width: 12}, {Title: "单位", Width: 20},
		{Title: "检查表", Width: 20}, {Title: "版本", Kind: workbook.ID, Width: 6}, {Title: "检查员", Width: 12},
		{Title: "开始时间", Kind: workbook.DateTime}, {Title: "提交时间", Kind: workbook.DateTime}, {Title: "状态", Width: 8},
		{Title: "得分", Kind: workbook.Hundredths, Width: 8}, {Title: "得分/满分"}, {Title: "结论", Width: 8}, {Title: "否决项不合格"},
		{Title: "距离营业厅(米)", Kind: workbook.Int}, {Title: "远离营业厅"}}
	findingColumns = []workbook.Column{{Title: "编号", Kind: workbook.ID, Width: 8}, {Title: "检查编号", Kind: workbook.ID}, {Title: "单位编码", Width: 12},
		{Title: "单位", Width: 20}, {Title: "项目", Width: 12}, {Title: "规则", Width: 8}, {Title: "内容", Width: 36}, {Title: "说明", Width: 30},
		{Title: "否决项", Width: 8}, {Title: "发现时间", Kind: workbook.DateTime}, {Title: "作废时间", Kind: workbook.DateTime}, {Title: "作废原因", Width: 24}}
)

// InspectionColumns are the header of the inspections export.
var InspectionColumns = workbook.Titles(inspectionColumns)

// FindingColumns are the header of the findings export.
var FindingColumns = workbook.Titles(findingColumns)

var (
	statusNames = map[string]string{models.InspectionDraft: "填写中", models.InspectionSubmitted: "已提交"}
	resultNames = map[string]string{models.ResultPass: "合格", models.ResultFail: "不合格", models.ResultNoScore: "无得分"}
)

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// WriteInspections writes every inspection of the filter in scope as an .xlsx
// workbook, streamed from the database (continued on a next sheet past Excel's row
// limit); the caller gives a buffer, so a failure half-way still becomes an error
// response.
func (s *Service) WriteInspections(ctx context.Context, scope models.Scope, f models.InspectionFilter, w io.Writer) error {
	return workbook.Stream(w, s.Loc, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(InspectionsSheet, inspectionColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		err = models.EachInspection(ctx, s.DB, scope, f, func(batch []models.Inspection) error {
			for _, ins := range batch {
				var code, unit, tmpl, who string
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
				if err := sh.Add(ins.ID, code, unit, tmpl, version, who, ins.StartedAt, ins.SubmittedAt,
					statusNames[ins.Status], ins.Score, strconv.Itoa(ins.Earned)+"/"+strconv.Itoa(ins.Possible), resultNames[ins.Result],
					yesNo(ins.CriticalFailed), ins.DistanceM, yesNo(ins.FarFromOutlet)); err != nil {
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

// WriteFindings writes every finding of the filter in scope as an .xlsx workbook.
func (s *Service) WriteFindings(ctx context.Context, scope models.Scope, f models.FindingFilter, w io.Writer) error {
	return workbook.Stream(w, s.Loc, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(FindingsSheet, findingColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		err = models.EachFinding(ctx, s.DB, scope, f, func(batch []models.Finding) error {
			for _, fd := range batch {
				var code, unit string
				if fd.OrgUnit != nil {
					code, unit = fd.OrgUnit.Code, fd.OrgUnit.Name
				}
				if err := sh.Add(fd.ID, fd.InspectionID, code, unit, fd.ItemKey, fd.RuleRef, fd.Text, fd.Note, yesNo(fd.Critical),
					fd.FoundAt, fd.VoidedAt, fd.VoidReason); err != nil {
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
