package metrics

import (
	"context"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/workbook"
)

// Sheet names the sheet of the template, the export and the import; HelpSheet the
// filling instructions beside it.
const (
	Sheet     = "服务指标"
	HelpSheet = workbook.HelpSheet
)

// Import limits: a hostile workbook is refused before it costs memory or time.
const (
	// MaxImportRows bounds the data rows of one import: every county branch of the
	// province (about 100) for several years.
	MaxImportRows = 5000
	// MaxImportBytes is the largest upload.
	MaxImportBytes = 10 << 20
	// maxEchoRunes bounds a cell value repeated beside its row error.
	maxEchoRunes = 64
)

// limits suit a sheet of codes and numbers: short cells.
var limits = workbook.Limits{MaxBytes: MaxImportBytes, MaxUnzipped: 20 << 20, MaxPart: 16 << 20, MaxSharedString: 1 << 10, MaxText: 16 << 20}

// columns are the columns of the template, the export and the import: the branch, the
// month, then the counts; a header may also be the column's key.
var columns = func() []workbook.Field {
	cols := []workbook.Field{{Key: "org_unit_code", Title: "单位编码*"}, {Key: "org_unit_name", Title: "单位名称"}, {Key: "month", Title: "月份*"}}
	for _, f := range fields {
		cols = append(cols, workbook.Field{Key: f.Key, Title: f.Title})
	}
	return cols
}()

// Header is the header row of the metrics sheet, in column order.
func Header() []string {
	out := make([]string, len(columns))
	for i, c := range columns {
		out[i] = c.Title
	}
	return out
}

// ImportReport tells what an import did, or would do in a dry run.
type ImportReport = workbook.Report

// Import reads a metrics workbook and creates or replaces, row by row, the row of each
// branch-month in it, all in one transaction and only when every row is valid; dryRun
// checks without writing. Each row names a county branch of by's scope (an unknown
// code and one outside the scope get the same answer), a month not in the future, and
// counts that pass Validate; a branch-month may appear once. A row whose counts are all
// blank (a template row left empty) is skipped. A replaced row is audited with what
// changed; a row equal to the stored one counts as unchanged and writes nothing.
func (s *Service) Import(ctx context.Context, by Caller, r io.Reader, dryRun bool) (*ImportReport, error) {
	rep := &ImportReport{DryRun: dryRun, Errors: []workbook.RowError{}}
	units, err := models.OrgUnitsByCode(ctx, s.DB, by.Scope)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	type key struct {
		unit  uint
		month string
	}
	seen := map[key]int{}
	var rows []*models.ServiceMetric
	err = workbook.ReadTable(r, limits, Sheet, columns, MaxImportRows, rep, func(n int, cell func(string) string) {
		if !slices.ContainsFunc(fields, func(f field) bool { return cell(f.Key) != "" }) {
			return
		}
		rep.Rows++
		bad := func(field, code, value string, params map[string]any) {
			rep.Errors = append(rep.Errors, workbook.RowError{Row: n, Field: field, Code: code, Params: params, Value: value})
		}
		m := &models.ServiceMetric{}
		ok := true
		code := cell("org_unit_code")
		u, found := units[strings.ToUpper(code)]
		switch {
		case code == "":
			bad("org_unit_code", "required", "", nil)
			ok = false
		case !found:
			bad("org_unit_code", "not_found", code, nil)
			ok = false
		case u.Level != models.LevelCounty:
			bad("org_unit_code", "metric_not_county", code, nil)
			ok = false
		default:
			m.OrgUnitID = u.ID
		}
		raw := cell("month")
		ve := &models.ValidationError{}
		if raw == "" {
			ve.Add("month", "required")
		} else {
			m.Month = monthCell(raw)
			checkMonth(ve, "month", m.Month, now)
		}
		complete := true
		for _, f := range fields {
			v := cell(f.Key)
			switch c, isNum := parseCount(v); {
			case v == "":
				ve.Add(f.Key, "required")
				complete = false
			case !isNum:
				ve.Add(f.Key, "metric_not_integer")
				complete = false
			default:
				*f.row(m) = c
			}
		}
		if complete {
			Validate(ve, m)
		}
		for _, fe := range ve.Fields {
			v := cell(fe.Field)
			if fe.Field == "month" {
				v = raw
			}
			bad(fe.Field, fe.Code, v, fe.Params)
		}
		if !ok || len(ve.Fields) > 0 {
			return
		}
		k := key{m.OrgUnitID, m.Month}
		if first, dup := seen[k]; dup {
			bad("org_unit_code", "duplicate_in_file", code+" "+m.Month, map[string]any{"row": first})
			return
		}
		seen[k] = n
		if by.Actor.UserID != 0 {
			m.UpdatedBy = &by.Actor.UserID
		}
		rows = append(rows, m)
	})
	if err != nil {
		return nil, err
	}
	if len(rep.Errors) == 0 && rep.Rows == 0 {
		rep.Errors = append(rep.Errors, workbook.RowError{Row: 2, Code: "empty_sheet"})
	}
	if len(rep.Errors) > 0 {
		slices.SortStableFunc(rep.Errors, func(a, b workbook.RowError) int { return a.Row - b.Row })
		for i := range rep.Errors {
			rep.Errors[i].Value = workbook.Clip(rep.Errors[i].Value, maxEchoRunes)
		}
		return rep, &workbook.ImportError{Report: rep}
	}
	var res outcome
	if dryRun {
		_, res, err = s.writeOnce(ctx, by.Actor, true, rows, true)
	} else {
		_, res, err = s.write(ctx, by.Actor, true, rows)
	}
	if err != nil {
		return nil, err
	}
	rep.Created, rep.Updated, rep.Unchanged = res.created, res.updated, res.unchanged
	return rep, nil
}

// serial2000 is Excel's serial number of 2000-01-01.
const serial2000 = 36526

// monthLayouts are the ways people write a month (or a day of it) in a text cell.
var monthLayouts = []string{"2006-1", "2006/1", "2006.1", "2006年1月", "2006-1-2", "2006/1/2", "2006年1月2日"}

// monthCell reads a month cell as YYYY-MM: text as people write a month, or the
// serial number Excel stores when it took the month typed for a date (from 2000 on:
// a smaller number, such as 5 or 2026.5, is no date anyone typed). Anything else is
// returned as it was, for checkMonth to refuse.
func monthCell(s string) string {
	if f, err := strconv.ParseFloat(s, 64); err == nil && f >= serial2000 && f < 2958466 {
		if t, err := excelize.ExcelDateToTime(f, false); err == nil {
			return monthOf(t)
		}
	}
	for _, layout := range monthLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return monthOf(t)
		}
	}
	return s
}

// help explains each count on the instructions sheet.
var help = map[string]string{
	"work_orders":           "R3.3 当月受理的维修和服务工单总数",
	"responded_24h":         "R3.3 其中 24 小时内响应的工单数，不能大于“工单数”",
	"ordinary_faults":       "R4.1 当月的一般故障数",
	"ordinary_fixed_24h":    "R4.1 其中 24 小时内修复的，不能大于“一般故障数”",
	"major_faults":          "R4.1 当月的重大故障数",
	"major_fixed_72h":       "R4.1 其中 72 小时内修复的，不能大于“重大故障数”",
	"installations":         "R4.2 当月办结的新装数（网络已通达处）",
	"installed_on_time":     "R4.2 其中按时完成的（城区 5 个、农村 10 个工作日内），不能大于“新装数”",
	"restorations":          "R4.2 当月办结的恢复服务数",
	"restored_on_time":      "R4.2 其中 5 个工作日内恢复的，不能大于“恢复服务数”",
	"complaints":            "R3.3 当月的投诉数",
	"complaints_replied_3d": "R4.2 其中 3 个工作日内答复的，不能大于“投诉数”",
	"callbacks_due":         "R5.1 应回访的维修和投诉工单数",
	"callbacks_done_72h":    "R5.1 其中 72 小时内回访的，不能大于“应回访数”",
	"surveys":               "R3.3 当月完成的满意度调查份数",
	"survey_score_sum":      "R3.3 这些调查的得分之和（每份 0–100 分），不能大于“满意度调查数” × 100",
	"subscribers_start":     "R3.4 月初的在网用户数",
	"subscribers_end":       "R3.4 月末的在网用户数",
}

// WriteTemplate writes the import template: the metrics sheet with one row per county
// branch of the scope in code order, code and name filled and the month set to month
// (YYYY-MM, not in the future; "" for the previous month), and the instructions.
func (s *Service) WriteTemplate(ctx context.Context, scope models.Scope, month string, w io.Writer) error {
	if month == "" {
		month = addMonths(monthOf(s.Now()), -1)
	}
	ve := &models.ValidationError{}
	checkMonth(ve, "month", month, s.Now())
	if err := ve.Err(); err != nil {
		return err
	}
	branches, err := s.counties(ctx, scope, "")
	if err != nil {
		return err
	}
	return writeBook(w, func(sh *workbook.Sheet) error {
		for _, b := range branches {
			if err := sh.Add(b.Code, b.Name, month); err != nil {
				return err
			}
		}
		return nil
	})
}

// Export writes the rows of the range as a workbook that imports back unchanged: the
// template's columns, by month, then branch code, read a year of months at a time.
func (s *Service) Export(ctx context.Context, scope models.Scope, in RangeInput, w io.Writer) error {
	sp, err := s.resolve(ctx, scope, in)
	if err != nil {
		return err
	}
	return writeBook(w, func(sh *workbook.Sheet) error {
		for i := 0; i < len(sp.months); i += 12 {
			f := sp.filter
			f.From, f.To = sp.months[i], sp.months[min(i+11, len(sp.months)-1)]
			rows, err := models.ServiceMetricsBetween(ctx, s.DB, scope, f)
			if err != nil {
				return err
			}
			for _, m := range rows {
				v := viewOf(m)
				cells := []any{v.UnitCode, v.UnitName, m.Month}
				for _, f := range fields {
					cells = append(cells, *f.row(&m))
				}
				if err := sh.Add(cells...); err != nil {
					return err
				}
			}
		}
		return nil
	})
}

// writeBook builds a metrics workbook in memory, the rows from fill (as strings and
// numbers, never formulas) and the instructions, then writes it to w, so a failure
// half-way can still become an error response.
func writeBook(w io.Writer, fill func(*workbook.Sheet) error) error {
	book, err := workbook.NewWriter(time.UTC) // no instants: months are text
	if err != nil {
		return err
	}
	defer book.Close()
	cols := []workbook.Column{{Title: columns[0].Title, Width: 12}, {Title: columns[1].Title, Width: 20}, {Title: columns[2].Title, Width: 10}}
	for _, f := range fields {
		cols = append(cols, workbook.Column{Title: f.Title, Kind: workbook.Int, Width: 14})
	}
	sh, err := book.NewSheet(Sheet, cols, workbook.SheetOptions{})
	if err != nil {
		return err
	}
	if err := fill(sh); err != nil {
		return err
	}
	if err := sh.Close(); err != nil {
		return err
	}
	lines := [][2]string{
		{"单位编码*", "县分公司编码；模板已按编码顺序列出您管辖范围内的全部县分公司。只有县分公司填报服务指标"},
		{"单位名称", "仅供核对，导入时不读取"},
		{"月份*", "YYYY-MM，如 2026-05（北京时间的自然月），不能晚于本月"},
	}
	for _, f := range fields {
		lines = append(lines, [2]string{f.Title, help[f.Key]})
	}
	lines = append(lines,
		[2]string{"", "各数量均为 0 到 " + Count(MaxCount).String() + " 之间的整数，“其中”一列不能大于它的总数。"},
		[2]string{"", "一行的各数量全部留空时，该行不导入；否则每个数量都必须填写。"},
		[2]string{"", "同一县分公司同一月份在表中只能出现一次。再次导入同一月份时整行替换，每处修改都记入审计日志；内容相同的行不作修改。"},
		[2]string{"", "导入前可先“试导入”检查；任一行有误则整表不导入。导出的工作簿可修改后直接导入。"},
		[2]string{"", "表头也可以写成英文字段名，如 org_unit_code、month、work_orders。"},
	)
	if err := book.AddHelp(90, lines); err != nil {
		return err
	}
	_, err = book.WriteTo(w)
	return err
}
