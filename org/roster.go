package org

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/workbook"
)

// Roster import limits: a hostile workbook is refused before it costs memory.
const (
	MaxRosterRows = 20000
	// MaxRosterBytes is the largest upload (workbook.RosterLimits.MaxBytes).
	MaxRosterBytes = 10 << 20
	// maxEchoRunes bounds a cell value repeated beside its row error.
	maxEchoRunes = 64
)

// RosterSheet is the sheet the template names and the import reads first.
const RosterSheet = "员工名册"

// rosterColumns are the template's columns; a header matches the Chinese title (an
// asterisk marks required) or the English key.
var rosterColumns = []struct{ Key, Title string }{
	{"job_number", "工号*"},
	{"name", "姓名*"},
	{"org_unit_code", "单位编码*"},
	{"position", "岗位*"},
	{"hire_date", "入职日期*"},
	{"status", "状态"},
	{"phone", "电话"},
}

// positionNames and statusNames accept the Chinese labels of the template.
var (
	positionNames = map[string]string{
		"窗口": models.PositionWindow, "营业员": models.PositionWindow, "装维": models.PositionInstaller,
		"安装维护": models.PositionInstaller, "营销": models.PositionMarketing, "管理": models.PositionManager,
		"管理人员": models.PositionManager, "其他": models.PositionOther,
	}
	statusNames = map[string]string{"在岗": models.StatusActive, "休假": models.StatusOnLeave, "离职": models.StatusLeft}
)

// The roster import reports with the workbook package's types.
type (
	// RowError is one problem of one roster row.
	RowError = workbook.RowError
	// ImportReport tells what an import did, or would do in a dry run.
	ImportReport = workbook.Report
	// ImportError is an import refused because of row errors; nothing was written.
	ImportError = workbook.ImportError
)

type rosterRow struct {
	row int
	emp models.Employee
}

// ImportRoster reads an .xlsx roster and creates or updates (by job number) every
// employee in it, all in one transaction and only when every row is valid; dryRun
// checks without writing. Units and existing job numbers must lie in scope.
func (s *Service) ImportRoster(ctx context.Context, actor models.Actor, scope models.Scope, r io.Reader, dryRun bool) (*ImportReport, error) {
	rep := &ImportReport{DryRun: dryRun, Errors: []RowError{}}
	rows, err := readRoster(r, rep)
	if err != nil {
		return nil, err
	}
	if len(rep.Errors) == 0 && len(rows) == 0 {
		rep.Errors = append(rep.Errors, RowError{Row: 2, Field: "", Code: "empty_sheet"})
	}
	units, err := models.OrgUnitsByCode(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	jobNumbers := make([]string, 0, len(rows))
	for _, rr := range rows {
		jobNumbers = append(jobNumbers, strings.ToUpper(strings.TrimSpace(rr.emp.JobNumber)))
	}
	existing, err := models.EmployeesByJobNumber(ctx, s.DB, jobNumbers)
	if err != nil {
		return nil, err
	}
	unitPath := map[uint]string{}
	for _, u := range units {
		unitPath[u.ID] = u.Path
	}

	var creates, updates []*models.Employee
	var befores []models.Employee
	seen := map[string]int{}
	now := s.Now()
	for i := range rows {
		rr := &rows[i]
		e := &rr.emp
		code := ""
		if e.OrgUnit != nil {
			code = e.OrgUnit.Code
		}
		e.OrgUnit = nil
		unit, unitOK := units[strings.ToUpper(code)]
		e.OrgUnitID = unit.ID
		v := &models.ValidationError{}
		checkEmployee(v, e, unitOK, now)
		for _, f := range v.Fields {
			re := RowError{Row: rr.row, Field: f.Field, Code: f.Code, Params: f.Params, Value: cellValue(e, f.Field)}
			if f.Field == "org_unit_id" {
				re.Field, re.Value = "org_unit_code", code
				if code == "" {
					re.Code = "required"
				}
			}
			rep.Errors = append(rep.Errors, re)
		}
		if e.JobNumber == "" {
			continue
		}
		if first, dup := seen[e.JobNumber]; dup {
			rep.Errors = append(rep.Errors, RowError{Row: rr.row, Field: "job_number", Code: "duplicate_in_file", Params: map[string]any{"row": first}, Value: e.JobNumber})
			continue
		}
		seen[e.JobNumber] = rr.row
		old, ok := existing[e.JobNumber]
		switch {
		case !ok:
			creates = append(creates, e)
		case !inScope(unitPath, old.OrgUnitID):
			rep.Errors = append(rep.Errors, RowError{Row: rr.row, Field: "job_number", Code: "taken_outside_scope", Value: e.JobNumber})
		case sameEmployee(&old, e):
			rep.Unchanged++
		default:
			e.ID = old.ID
			e.CreatedAt = old.CreatedAt
			updates = append(updates, e)
			befores = append(befores, old)
		}
	}
	rep.Rows = len(rows)
	slices.SortStableFunc(rep.Errors, func(a, b RowError) int { return a.Row - b.Row })
	if len(rep.Errors) > 0 {
		for i := range rep.Errors {
			rep.Errors[i].Value = workbook.Clip(rep.Errors[i].Value, maxEchoRunes)
		}
		return rep, &ImportError{Report: rep}
	}
	rep.Created, rep.Updated = len(creates), len(updates)
	if dryRun {
		return rep, nil
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		events := make([]*models.AuditEvent, 0, len(creates)+len(updates))
		if len(creates) > 0 {
			if err := models.InsertEmployees(tx, creates); err != nil {
				return models.Translate(err, "job_number")
			}
			for _, e := range creates {
				events = append(events, models.NewAuditEvent(actor, "import", "employee", e.ID, e))
			}
		}
		for i, e := range updates {
			err := models.UpdateEmployee(tx, e)
			if err != nil {
				return models.Translate(err, "job_number")
			}
			events = append(events, models.NewAuditEvent(actor, "import", "employee", e.ID, employeeDiff(&befores[i], e)))
		}
		return models.AuditMany(tx, events)
	})
	if err != nil {
		return nil, err
	}
	return rep, nil
}

// cellValue is what the row said for a field, to show beside its error.
func cellValue(e *models.Employee, field string) string {
	switch field {
	case "job_number":
		return e.JobNumber
	case "name":
		return e.Name
	case "position":
		return e.Position
	case "status":
		return e.Status
	case "phone":
		return e.Phone
	}
	return ""
}

// inScope reports whether a unit id is among the caller's units.
func inScope(unitPath map[uint]string, id uint) bool {
	_, ok := unitPath[id]
	return ok
}

func sameEmployee(a, b *models.Employee) bool {
	return a.Name == b.Name && a.OrgUnitID == b.OrgUnitID && a.Position == b.Position &&
		a.HireDate == b.HireDate && a.Status == b.Status && a.Phone == b.Phone
}

// ErrBadWorkbook means the upload is not a readable .xlsx workbook.
var ErrBadWorkbook = workbook.ErrBad

// readRoster parses the workbook into rows, adding cell-level problems to rep. Units
// are resolved later: a row's unit code waits in emp.OrgUnit.Code.
func readRoster(r io.Reader, rep *ImportReport) ([]rosterRow, error) {
	var cols map[string]int
	var out []rosterRow
	refused := false // a missing column or too many rows: the rows mean nothing
	err := workbook.Each(r, workbook.RosterLimits, RosterSheet, func(n int, cells []string) bool {
		if cols == nil {
			cols = headerColumns(cells)
			for _, c := range rosterColumns {
				if _, ok := cols[c.Key]; !ok && strings.HasSuffix(c.Title, "*") {
					rep.Errors = append(rep.Errors, RowError{Row: n, Field: c.Key, Code: "missing_column", Value: c.Title})
					refused = true
				}
			}
			return !refused
		}
		if len(out) == MaxRosterRows {
			rep.Errors = append(rep.Errors, RowError{Row: n, Code: "too_many_rows", Params: map[string]any{"max": MaxRosterRows}})
			refused = true
			return false
		}
		out = append(out, parseRosterRow(n, cells, cols, rep))
		return true
	})
	if err != nil || refused {
		return nil, err
	}
	if cols == nil {
		rep.Errors = append(rep.Errors, RowError{Row: 1, Code: "missing_header"})
	}
	return out, nil
}

func headerColumns(cells []string) map[string]int {
	keys := make([]string, len(rosterColumns))
	titles := make([]string, len(rosterColumns))
	for i, c := range rosterColumns {
		keys[i], titles[i] = c.Key, c.Title
	}
	return workbook.Columns(cells, keys, titles)
}

func parseRosterRow(n int, cells []string, cols map[string]int, rep *ImportReport) rosterRow {
	get := func(key string) string {
		i, ok := cols[key]
		if !ok || i >= len(cells) {
			return ""
		}
		return strings.TrimSpace(cells[i])
	}
	rr := rosterRow{row: n}
	e := &rr.emp
	e.JobNumber, e.Name, e.Phone = get("job_number"), get("name"), get("phone")
	e.Position = get("position")
	if p, ok := positionNames[e.Position]; ok {
		e.Position = p
	}
	e.Status = get("status")
	if s, ok := statusNames[e.Status]; ok {
		e.Status = s
	}
	if raw := get("hire_date"); raw != "" {
		d, err := parseCellDate(raw)
		if err != nil {
			rep.Errors = append(rep.Errors, RowError{Row: n, Field: "hire_date", Code: "invalid_date", Value: raw})
			d = models.Date{Year: 2000, Month: 1, Day: 1} // reported above; keeps checkEmployee from repeating it
		}
		e.HireDate = d
	}
	if code := get("org_unit_code"); code != "" {
		rr.emp.OrgUnit = &models.OrgUnit{Code: code}
	}
	return rr
}

// parseCellDate reads a date cell: an Excel serial number or common written forms.
func parseCellDate(s string) (models.Date, error) {
	if f, err := strconv.ParseFloat(s, 64); err == nil && f > 0 && f < 2958466 {
		t, err := excelize.ExcelDateToTime(f, false)
		if err != nil {
			return models.Date{}, err
		}
		return models.DateOf(t), nil
	}
	for _, layout := range []string{"2006-01-02", "2006/1/2", "2006-1-2", "2006.1.2", "2006年1月2日"} {
		if t, err := time.Parse(layout, s); err == nil {
			return models.DateOf(t), nil
		}
	}
	return models.Date{}, fmt.Errorf("date %q", s)
}
