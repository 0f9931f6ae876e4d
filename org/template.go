package org

import (
	"context"
	"io"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
)

// levelNames label org levels in workbooks.
var levelNames = map[string]string{
	models.LevelProvince: "省公司", models.LevelCity: "市公司", models.LevelCounty: "县分公司", models.LevelOutlet: "营业厅",
}

// WriteRosterTemplate writes the roster template: the empty roster sheet, the filling
// instructions and the codes of every unit in scope. The workbook is built in memory
// before anything is written, so a failure can still become an error response.
func WriteRosterTemplate(ctx context.Context, db *gorm.DB, scope models.Scope, w io.Writer) error {
	units, err := models.OrgUnitsInScope(ctx, db, scope)
	if err != nil {
		return err
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", RosterSheet); err != nil {
		return err
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	header := make([]any, len(rosterColumns))
	for i, c := range rosterColumns {
		header[i] = c.Title
	}
	if err := f.SetSheetRow(RosterSheet, "A1", &header); err != nil {
		return err
	}
	if err := f.SetRowStyle(RosterSheet, 1, 1, bold); err != nil {
		return err
	}
	if err := f.SetColWidth(RosterSheet, "A", "G", 16); err != nil {
		return err
	}

	const help = "填写说明"
	if _, err := f.NewSheet(help); err != nil {
		return err
	}
	lines := [][]any{
		{"列", "说明"},
		{"工号*", "员工工号，全省唯一；已存在的工号将按本表更新"},
		{"姓名*", "员工姓名"},
		{"单位编码*", "见“单位编码”工作表，只能填写您管辖范围内的单位"},
		{"岗位*", "窗口、装维、营销、管理、其他（或 window、installer、marketing、manager、other）"},
		{"入职日期*", "日期格式，如 2024-03-01"},
		{"状态", "在岗、休假、离职；留空为在岗"},
		{"电话", "可选"},
		{"", "带 * 的列必填。导入前可先“试导入”检查；任一行有误则整表不导入。"},
	}
	for i, l := range lines {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(help, cell, &l); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(help, "B", "B", 70); err != nil {
		return err
	}

	const codes = "单位编码"
	if _, err := f.NewSheet(codes); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(codes)
	if err != nil {
		return err
	}
	if err := sw.SetColWidth(2, 2, 36); err != nil {
		return err
	}
	if err := sw.SetRow("A1", []any{"单位编码", "单位名称", "层级"}); err != nil {
		return err
	}
	for i, u := range units {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		// Strings are written as string cells, never formulas, whatever they start with.
		if err := sw.SetRow(cell, []any{u.Code, u.Name, levelNames[u.Level]}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}
