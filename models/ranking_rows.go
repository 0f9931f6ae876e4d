package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The rows behind the ranking's numbers, for one branch's explanation and the
// workbook's detail sheets: each query keeps the rows of the unit subtree under (a path
// already checked against the scope, "" for all) inside scope, and is read a batch at a
// time in id order (keyset paging), never as one slice of every row.

// RowsFilter selects the rows behind a ranking.
type RowsFilter struct {
	Scope Scope
	// Under limits to a subtree ("" for the whole scope).
	Under string
	Span  RankingSpan
}

// where adds the subtree and scope conditions on the path column of a joined unit.
func (f RowsFilter) where(q *gorm.DB, pathColumn string) *gorm.DB {
	q = f.Scope.onPath(q, pathColumn)
	if f.Under != "" {
		q = q.Where(pathColumn+" LIKE ?", f.Under+"%")
	}
	return q
}

// eachRowOf is eachByID over a query of rows (a Select into T), ascending by idColumn.
func eachRowOf[T any](query func() *gorm.DB, idColumn string, id func(*T) uint, fn func([]T) error) error {
	return eachByID(func() (*gorm.DB, error) { return query(), nil }, idColumn, false, id, fn)
}

// InspectionRow is one submitted inspection of a period as the ranking counts it.
type InspectionRow struct {
	ID               uint
	SubmittedAt      time.Time
	OutletID         uint
	OutletPath       string
	OutletCode       string
	OutletName       string
	Inspector        string
	TemplateCode     string
	TemplateVersion  int
	TemplateTitle    string
	Earned           int
	Possible         int
	Score            *Percent
	Result           string
	CriticalFailures int64
}

// EachInspectionRow calls fn with the inspections submitted in [From, CutOff) of f,
// scored or not (those with possible = 0 count for no score), with their outlet,
// inspector, template version and critical failures (findings not voided).
func EachInspectionRow(ctx context.Context, db *gorm.DB, f RowsFilter, fn func([]InspectionRow) error) error {
	query := func() *gorm.DB {
		q := db.WithContext(ctx).Table("inspections i").
			Joins("JOIN org_units u ON u.id = i.org_unit_id").
			Joins("JOIN users usr ON usr.id = i.inspector_id").
			// LEFT JOIN (template_id is a NOT NULL foreign key, so the same rows): with
			// an inner join MariaDB reads the four-row templates table through a join
			// buffer, which loses the id order, and sorts the whole period per page of
			// 1,000 (0.47 s a page, 20 s for the yearly workbook; 28 ms with this).
			Joins("LEFT JOIN checklist_templates t ON t.id = i.template_id").
			Select("i.id AS id, i.submitted_at AS submitted_at, i.org_unit_id AS outlet_id, u.path AS outlet_path, u.code AS outlet_code, "+
				"u.name AS outlet_name, COALESCE(NULLIF(usr.display_name, ''), usr.username) AS inspector, t.code AS template_code, "+
				"t.version AS template_version, t.title AS template_title, i.earned AS earned, i.possible AS possible, i.score AS score, "+
				"i.result AS result, (SELECT COUNT(*) FROM findings fd WHERE fd.inspection_id = i.id AND fd.critical = ? AND fd.voided_at IS NULL) AS critical_failures", true).
			Where("i.status = ? AND i.submitted_at >= ? AND i.submitted_at < ?", InspectionSubmitted, f.Span.From.UTC(), f.Span.CutOff.UTC())
		return f.where(q, "u.path")
	}
	return eachRowOf(query, "i.id", func(r *InspectionRow) uint { return r.ID }, fn)
}

// CountInspectionRows counts the rows EachInspectionRow gives.
func CountInspectionRows(ctx context.Context, db *gorm.DB, f RowsFilter) (int64, error) {
	var n int64
	q := db.WithContext(ctx).Table("inspections i").Joins("JOIN org_units u ON u.id = i.org_unit_id").
		Where("i.status = ? AND i.submitted_at >= ? AND i.submitted_at < ?", InspectionSubmitted, f.Span.From.UTC(), f.Span.CutOff.UTC())
	err := f.where(q, "u.path").Count(&n).Error
	return n, err
}

// RectificationRow is one rectification as the ranking and its tracking sheet show it.
type RectificationRow struct {
	ID           uint
	OutletCode   string
	OutletName   string
	AssigneeID   uint
	AssigneePath string
	RuleRef      string
	Text         string
	Critical     bool
	CreatedAt    time.Time
	DueOn        Date
	Status       string
	SubmittedAt  *time.Time
	VerifiedAt   *time.Time
	// Counted: due in the period and neither cancelled nor waived; OnTime: answered by
	// the end of the due day and now submitted or verified.
	Counted bool
	OnTime  bool
}

// rectificationRows is the query of the rectifications due in the span or, with
// openToo, still open and made before the cut-off, of assignees under f.
func rectificationRows(ctx context.Context, db *gorm.DB, f RowsFilter, openToo bool) *gorm.DB {
	s := f.Span
	counted := "(rectifications.due_on >= ? AND rectifications.due_on < ? AND rectifications.status NOT IN ('" + RectCancelled + "', '" + RectWaived + "'))"
	q := db.WithContext(ctx).Model(&Rectification{}).
		Joins("JOIN org_units a ON a.id = rectifications.assignee_unit_id").
		Joins("JOIN org_units o ON o.id = rectifications.org_unit_id").
		Joins("JOIN findings fd ON fd.id = rectifications.finding_id").
		Select("rectifications.id AS id, o.code AS outlet_code, o.name AS outlet_name, a.id AS assignee_id, a.path AS assignee_path, "+
			"fd.rule_ref AS rule_ref, fd.text AS text, rectifications.critical AS critical, rectifications.created_at AS created_at, "+
			"rectifications.due_on AS due_on, rectifications.status AS status, rectifications.submitted_at AS submitted_at, "+
			"rectifications.verified_at AS verified_at, CASE WHEN "+counted+" THEN 1 ELSE 0 END AS counted, "+
			"CASE WHEN "+counted+" AND "+rectificationOnTime(db, s.Offset)+" THEN 1 ELSE 0 END AS on_time",
			s.FromDay, s.DayLimit, s.FromDay, s.DayLimit)
	if openToo {
		q = q.Where("((rectifications.due_on >= ? AND rectifications.due_on < ?) OR (rectifications.status = ? AND rectifications.created_at < ?))",
			s.FromDay, s.DayLimit, RectOpen, s.CutOff.UTC())
	} else {
		q = rankedRectifications(q, s)
	}
	return f.where(q, "a.path")
}

// EachRectificationRow calls fn with the rectifications due in the period (the ranking
// counts those not cancelled or waived) or, with openToo, also those still open that were
// made before the cut-off, of assignee branches under f.
func EachRectificationRow(ctx context.Context, db *gorm.DB, f RowsFilter, openToo bool, fn func([]RectificationRow) error) error {
	return eachRowOf(func() *gorm.DB { return rectificationRows(ctx, db, f, openToo) }, "rectifications.id",
		func(r *RectificationRow) uint { return r.ID }, fn)
}

// CountRectificationRows counts the rows EachRectificationRow gives.
func CountRectificationRows(ctx context.Context, db *gorm.DB, f RowsFilter, openToo bool) (int64, error) {
	var n int64
	err := db.Table("(?) r", rectificationRows(ctx, db, f, openToo)).Count(&n).Error
	return n, err
}

// StaffRow is one active employee as the training, onboarding and certification scores
// count them.
type StaffRow struct {
	ID        uint
	JobNumber string
	Name      string
	UnitID    uint
	UnitPath  string
	UnitName  string
	Position  string
	HireDate  Date
	// Acknowledged the current major handbook version, completed every course meant for
	// the position, and (front-line staff) held a valid etiquette certificate, all by the
	// period's end.
	Acknowledged bool
	CoursesDone  bool
	Certified    bool
	// Due says the onboarding due date falls in the period; PassedOnTime that the
	// onboarding exam was passed by then.
	Due          bool
	PassedOnTime bool
}

// StaffRowsQuery is what EachStaffRow needs besides the filter: the handbook's current
// major number (0: none), the courses each position must complete, the onboarding plan's
// days to the due date.
type StaffRowsQuery struct {
	HandbookMajor int
	Courses       map[string][]uint
	DueDays       int
}

// EachStaffRow calls fn with the employees active now and hired before the span's day
// limit, in units under f, with what each contributes to the training, onboarding and
// certification scores.
func EachStaffRow(ctx context.Context, db *gorm.DB, f RowsFilter, q StaffRowsQuery, fn func([]StaffRow) error) error {
	end := f.Span.CutOff.UTC()
	cols := []string{"e.id AS id", "e.job_number AS job_number", "e.name AS name", "e.org_unit_id AS unit_id", "u.path AS unit_path",
		"u.name AS unit_name", "e.position AS position", "e.hire_date AS hire_date"}
	var args []any
	if q.HandbookMajor > 0 {
		cols = append(cols, "CASE WHEN "+acknowledgedBefore+" THEN 1 ELSE 0 END AS acknowledged")
		args = append(args, q.HandbookMajor, end)
	}
	var done []string
	for _, pos := range Positions {
		ids := q.Courses[pos]
		if len(ids) == 0 {
			done = append(done, "WHEN ? THEN 1")
			args = append(args, pos)
			continue
		}
		done = append(done, "WHEN ? THEN CASE WHEN (SELECT COUNT(*) FROM completions c WHERE c.employee_id = e.id AND c.course_id IN ? AND c.at < ?) = ? THEN 1 ELSE 0 END")
		args = append(args, pos, ids, end, len(ids))
	}
	cols = append(cols, "CASE e.position "+strings.Join(done, " ")+" ELSE 0 END AS courses_done")
	cols = append(cols, "CASE WHEN e.position IN ? AND "+certifiedAt+" THEN 1 ELSE 0 END AS certified")
	args = append(args, FrontlinePositions, end, end, end)
	first := DateOf(f.Span.FromDay.Time().AddDate(0, 0, -q.DueDays))
	limit := DateOf(f.Span.DayLimit.Time().AddDate(0, 0, -q.DueDays))
	cols = append(cols, "CASE WHEN e.hire_date >= ? AND e.hire_date < ? THEN 1 ELSE 0 END AS due",
		"CASE WHEN e.hire_date >= ? AND e.hire_date < ? AND "+passedOnboardingBy(db, q.DueDays, f.Span.Offset)+" THEN 1 ELSE 0 END AS passed_on_time")
	args = append(args, first, limit, first, limit)
	query := func() *gorm.DB {
		sel := db.WithContext(ctx).Table("employees e").Joins("JOIN org_units u ON u.id = e.org_unit_id").Select(strings.Join(cols, ", "), args...).
			Where("e.status = ? AND e.hire_date < ?", StatusActive, f.Span.DayLimit)
		return f.where(sel, "u.path")
	}
	return eachRowOf(query, "e.id", func(r *StaffRow) uint { return r.ID }, fn)
}

// OutcomeRow is one decided accountability outcome of a period.
type OutcomeRow struct {
	ID         uint // the case person
	CaseID     uint
	CaseNumber string
	CaseTitle  string
	UnitID     uint
	UnitPath   string
	UnitName   string
	JobNumber  string
	Name       string
	Severity   string
	Outcome    string
	DecidedAt  time.Time
}

func outcomeRows(ctx context.Context, db *gorm.DB, f RowsFilter) *gorm.DB {
	q := db.WithContext(ctx).Table("case_people p").Joins("JOIN accountability_cases c ON c.id = p.case_id").
		Joins("JOIN org_units u ON u.id = c.org_unit_id").Joins("JOIN employees e ON e.id = p.employee_id").
		Select("p.id AS id, c.id AS case_id, c.number AS case_number, c.title AS case_title, c.org_unit_id AS unit_id, u.path AS unit_path, "+
			"u.name AS unit_name, e.job_number AS job_number, e.name AS name, p.severity AS severity, p.outcome AS outcome, p.decided_at AS decided_at").
		Where("p.decided_at >= ? AND p.decided_at < ? AND p.outcome <> ''", f.Span.From.UTC(), f.Span.CutOff.UTC())
	return f.where(q, "u.path")
}

// EachOutcomeRow calls fn with the persons decided in [From, CutOff) in cases of units
// under f.
func EachOutcomeRow(ctx context.Context, db *gorm.DB, f RowsFilter, fn func([]OutcomeRow) error) error {
	return eachRowOf(func() *gorm.DB { return outcomeRows(ctx, db, f) }, "p.id", func(r *OutcomeRow) uint { return r.ID }, fn)
}

// CountOutcomeRows counts the rows EachOutcomeRow gives.
func CountOutcomeRows(ctx context.Context, db *gorm.DB, f RowsFilter) (int64, error) {
	var n int64
	err := db.Table("(?) r", outcomeRows(ctx, db, f)).Count(&n).Error
	return n, err
}

// MetricRow is one month of one county's service metrics, with the county.
type MetricRow struct {
	ServiceMetric
	UnitPath string
	UnitCode string
	UnitName string
}

func metricRows(ctx context.Context, db *gorm.DB, f RowsFilter) *gorm.DB {
	months := f.Span.Months
	if len(months) == 0 {
		months = []string{""}
	}
	q := db.WithContext(ctx).Table("service_metrics").Joins("JOIN org_units u ON u.id = service_metrics.org_unit_id").
		Select("service_metrics.*, u.path AS unit_path, u.code AS unit_code, u.name AS unit_name").
		Where("service_metrics.month IN ?", months)
	return f.where(q, "u.path")
}

// EachMetricRow calls fn with the metric months of the span of counties under f.
func EachMetricRow(ctx context.Context, db *gorm.DB, f RowsFilter, fn func([]MetricRow) error) error {
	return eachRowOf(func() *gorm.DB { return metricRows(ctx, db, f) }, "service_metrics.id", func(r *MetricRow) uint { return r.ID }, fn)
}

// CountMetricRows counts the rows EachMetricRow gives.
func CountMetricRows(ctx context.Context, db *gorm.DB, f RowsFilter) (int64, error) {
	var n int64
	err := db.Table("(?) r", metricRows(ctx, db, f)).Count(&n).Error
	return n, err
}
