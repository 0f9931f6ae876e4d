package org

import (
	"context"
	"io"
	"time"

	"quality/models"
	"quality/workbook"
)

// levelNames label org levels in workbooks.
var levelNames = map[string]string{
	models.LevelProvince: "省公司", models.LevelCity: "市公司", models.LevelCounty: "县分公司", models.LevelOutlet: "营业厅",
}

// WriteRosterTemplate writes the roster template: the empty roster sheet, the filling
// instructions and the codes of every unit in scope. Nothing is written before the
// workbook is whole, so a failure can still become an error response.
func (s *Service) WriteRosterTemplate(ctx context.Context, scope models.Scope, w io.Writer) error {
	units, err := models.OrgUnitsInScope(ctx, s.DB, scope)
	if err != nil {
		return err
	}
	roster := make([]workbook.Column, len(rosterColumns))
	for i, c := range rosterColumns {
		roster[i] = workbook.Column{Title: c.Title, Width: 16}
	}
	return workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(RosterSheet, roster, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		if err := sh.Close(); err != nil {
			return err
		}

		if err := x.AddHelp(70, [][2]string{
			{"工号*", "员工工号，全省唯一；已存在的工号将按本表更新"},
			{"姓名*", "员工姓名"},
			{"单位编码*", "见“单位编码”工作表，只能填写您管辖范围内的单位"},
			{"岗位*", "窗口、装维、营销、管理、其他（或 window、installer、marketing、manager、other）"},
			{"入职日期*", "日期格式，如 2024-03-01"},
			{"状态", "在岗、休假、离职；留空为在岗"},
			{"电话", "可选"},
			{"", "带 * 的列必填。导入前可先“试导入”检查；任一行有误则整表不导入。"},
		}); err != nil {
			return err
		}

		codes, err := x.NewSheet("单位编码", []workbook.Column{{Title: "单位编码", Width: 14}, {Title: "单位名称", Width: 36}, {Title: "层级"}}, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		for _, u := range units {
			if err := codes.Add(u.Code, u.Name, levelNames[u.Level]); err != nil {
				return err
			}
		}
		return codes.Close()
	})
}
