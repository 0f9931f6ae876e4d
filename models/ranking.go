package models

import (
	"context"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The ranking's aggregates (package reports): each is one grouped query over the facts
// of a period, summed by the org unit the facts are recorded on, so the ranking rolls
// the few hundred unit totals up to branches instead of loading the rows themselves.

// RankingSpan is what the aggregates need of a period: the instants [From, CutOff), the
// days [FromDay, DayLimit) in the company's zone (Offset seconds east of UTC), and the
// months (YYYY-MM) that have begun.
type RankingSpan struct {
	From, CutOff      time.Time
	FromDay, DayLimit Date
	Offset            int
	Months            []string
}

// localDate is the SQL expression of the calendar day, in the zone offset seconds east
// of UTC, of a column holding a UTC instant.
func localDate(db *gorm.DB, column string, offset int) string {
	if DialectOf(db) == MySQL {
		return fmt.Sprintf("DATE(DATE_ADD(%s, INTERVAL %d SECOND))", column, offset)
	}
	return fmt.Sprintf("date(%s, '%+d seconds')", column, offset)
}

// addDays is the SQL expression of a DATE column plus n days.
func addDays(db *gorm.DB, column string, n int) string {
	if DialectOf(db) == MySQL {
		return fmt.Sprintf("DATE_ADD(%s, INTERVAL %d DAY)", column, n)
	}
	return fmt.Sprintf("date(%s, '%+d days')", column, n)
}

// InspectionTotal sums the scored inspections of one outlet.
type InspectionTotal struct {
	OrgUnitID   uint
	Inspections int64
	Earned      int64
	Possible    int64
	Passed      int64
}

// InspectionTotalsByUnit sums, per outlet, the inspections submitted in [From, CutOff)
// that scored anything (possible > 0): how many, Σearned, Σpossible, how many passed.
func InspectionTotalsByUnit(ctx context.Context, db *gorm.DB, s RankingSpan) ([]InspectionTotal, error) {
	var out []InspectionTotal
	err := scoredInspections(db.WithContext(ctx).Model(&Inspection{}), s).
		Select("org_unit_id, COUNT(*) AS inspections, SUM(earned) AS earned, SUM(possible) AS possible, "+
			"SUM(CASE WHEN result = ? THEN 1 ELSE 0 END) AS passed", ResultPass).
		Group("org_unit_id").Scan(&out).Error
	return out, err
}

// scoredInspections keeps the inspections the inspection score counts: submitted in
// [From, CutOff) and scoring anything (possible > 0).
func scoredInspections(q *gorm.DB, s RankingSpan) *gorm.DB {
	return q.Where("inspections.status = ? AND inspections.submitted_at >= ? AND inspections.submitted_at < ? AND inspections.possible > 0",
		InspectionSubmitted, s.From.UTC(), s.CutOff.UTC())
}

// UnitCount is a count of facts recorded on one org unit.
type UnitCount struct {
	OrgUnitID uint
	N         int64
}

// CriticalFailuresByUnit counts, per outlet, the failed critical items (findings not
// voided) of the inspections submitted in [From, CutOff).
func CriticalFailuresByUnit(ctx context.Context, db *gorm.DB, s RankingSpan) ([]UnitCount, error) {
	var out []UnitCount
	err := db.WithContext(ctx).Table("findings f").Joins("JOIN inspections i ON i.id = f.inspection_id").
		Select("i.org_unit_id AS org_unit_id, COUNT(*) AS n").
		Where("f.critical = ? AND f.voided_at IS NULL AND i.status = ? AND i.submitted_at >= ? AND i.submitted_at < ?",
			true, InspectionSubmitted, s.From.UTC(), s.CutOff.UTC()).
		Group("i.org_unit_id").Scan(&out).Error
	return out, err
}

// RectificationTotal counts one assignee branch's rectifications due in the span.
type RectificationTotal struct {
	OrgUnitID uint
	Due       int64
	OnTime    int64
}

// rectificationOnTime is the condition "evidence came by the end of the due day and the
// rectification is now submitted or verified"; a follow-up inspection's verification
// counts as its evidence when none was submitted.
func rectificationOnTime(db *gorm.DB, offset int) string {
	return "rectifications.status IN ('" + RectSubmitted + "', '" + RectVerified + "') AND " +
		localDate(db, "COALESCE(rectifications.submitted_at, rectifications.verified_at)", offset) + " <= rectifications.due_on"
}

// RectificationTotalsByUnit counts, per assignee unit, the rectifications due on the
// days [FromDay, DayLimit), leaving out the cancelled and the waived, and those of them
// answered on time (rectificationOnTime).
func RectificationTotalsByUnit(ctx context.Context, db *gorm.DB, s RankingSpan) ([]RectificationTotal, error) {
	var out []RectificationTotal
	err := rankedRectifications(db.WithContext(ctx).Model(&Rectification{}), s).
		Select("assignee_unit_id AS org_unit_id, COUNT(*) AS due, SUM(CASE WHEN " + rectificationOnTime(db, s.Offset) + " THEN 1 ELSE 0 END) AS on_time").
		Group("assignee_unit_id").Scan(&out).Error
	return out, err
}

// rankedRectifications keeps the rectifications the rectification score counts.
func rankedRectifications(q *gorm.DB, s RankingSpan) *gorm.DB {
	return q.Where("rectifications.due_on >= ? AND rectifications.due_on < ? AND rectifications.status NOT IN ?",
		s.FromDay, s.DayLimit, []string{RectCancelled, RectWaived})
}

// HandbookMajorAt is the major number of the handbook version current at t (the last
// published before it), 0 when none was.
func HandbookMajorAt(ctx context.Context, db *gorm.DB, t time.Time) (int, error) {
	var vs []HandbookVersion
	err := db.WithContext(ctx).Where("status = ? AND published_at < ?", HandbookPublished, t.UTC()).
		Order("published_at DESC, id DESC").Limit(1).Find(&vs).Error
	if err != nil || len(vs) == 0 {
		return 0, err
	}
	return vs[0].Major, nil
}

// CoursesPublishedBefore lists the courses published before t, by id.
func CoursesPublishedBefore(ctx context.Context, db *gorm.DB, t time.Time) ([]Course, error) {
	var out []Course
	err := db.WithContext(ctx).Where("status = ? AND published_at < ?", CoursePublished, t.UTC()).Order("id").Find(&out).Error
	return out, err
}

// StaffTotal counts one unit's active staff of one position and how many of them had
// acknowledged the handbook and completed their courses in time.
type StaffTotal struct {
	OrgUnitID    uint
	Position     string
	Staff        int64
	Acknowledged int64
	CoursesDone  int64
}

// StaffWindow asks StaffTotalsByWindow about one window.
type StaffWindow struct {
	// HandbookMajor: acknowledged a published version of this major number or later
	// before End; 0 counts nobody (no handbook was current).
	HandbookMajor int
	// Courses are, per position, the courses to complete before End; none counts
	// everybody of the position.
	Courses map[string][]uint
	End     time.Time
	// HiredBefore leaves out who joined later: they could not have trained by End.
	HiredBefore Date
}

// StaffTotalsByWindow counts, for each window and per unit and position, the employees
// active now and hired before HiredBefore, those who acknowledged the window's major
// handbook version before End, and those who completed every course of their position
// before End; the i-th slice answers ws[i].
//
// All windows are counted in one pass over the employees. What each employee did is
// asked once, as a time (their first acknowledgement of a major, the moment they
// completed the last course of a list), and compared with each window's End: the four
// windows of a workbook cost one query instead of twenty (one per window and
// position). The inner query keeps a LIMIT so that neither engine merges it into the
// grouped one, which would run each employee's subqueries once per window again.
func StaffTotalsByWindow(ctx context.Context, db *gorm.DB, ws []StaffWindow) ([][]StaffTotal, error) {
	if len(ws) == 0 {
		return nil, nil
	}
	var inner clauses
	ackCol := map[int]string{}     // major → column of the first acknowledgement
	doneCol := map[string]string{} // course list → column of its completion
	hiredBefore := ws[0].HiredBefore
	for _, w := range ws {
		if w.HiredBefore.Time().After(hiredBefore.Time()) {
			hiredBefore = w.HiredBefore
		}
		if _, ok := ackCol[w.HandbookMajor]; w.HandbookMajor > 0 && !ok {
			ackCol[w.HandbookMajor] = fmt.Sprintf("ack_at%d", len(ackCol))
			inner.add("(SELECT MIN(a.at) FROM acknowledgements a JOIN handbook_versions hv ON hv.id = a.version_id"+
				" WHERE a.employee_id = e.id AND hv.status = 'published' AND hv.major >= ?) AS "+ackCol[w.HandbookMajor], w.HandbookMajor)
		}
		for _, pos := range Positions {
			ids := w.Courses[pos]
			key := fmt.Sprint(ids)
			if _, ok := doneCol[key]; len(ids) == 0 || ok {
				continue
			}
			doneCol[key] = fmt.Sprintf("done_at%d", len(doneCol))
			// Completions are unique per course and employee: all of ids are done when
			// COUNT(*) is their number, at the latest of them.
			inner.add("(SELECT CASE WHEN COUNT(*) = ? THEN MAX(c.at) END FROM completions c"+
				" WHERE c.employee_id = e.id AND c.course_id IN ?) AS "+doneCol[key], len(ids), ids)
		}
	}
	var outer clauses
	outer.add("x.org_unit_id")
	outer.add("x.position")
	for _, w := range ws {
		end := w.End.UTC()
		outer.add("SUM(CASE WHEN x.hire_date < ? THEN 1 ELSE 0 END)", w.HiredBefore)
		if w.HandbookMajor > 0 {
			outer.add("SUM(CASE WHEN x.hire_date < ? AND x."+ackCol[w.HandbookMajor]+" < ? THEN 1 ELSE 0 END)", w.HiredBefore, end)
		} else {
			outer.add("0")
		}
		// Each position is held to its own list; a position with none counts all.
		var done clauses
		for _, pos := range Positions {
			if ids := w.Courses[pos]; len(ids) > 0 {
				done.add("(x.position = ? AND x."+doneCol[fmt.Sprint(ids)]+" < ?)", pos, end)
			} else {
				done.add("x.position = ?", pos)
			}
		}
		outer.add("SUM(CASE WHEN x.hire_date < ? AND ("+done.join(" OR ")+") THEN 1 ELSE 0 END)", append([]any{w.HiredBefore}, done.args...)...)
	}
	inner.add("e.org_unit_id")
	inner.add("e.position")
	inner.add("e.hire_date")
	noMerge := "LIMIT -1"
	if DialectOf(db) == MySQL {
		noMerge = "LIMIT 18446744073709551615"
	}
	stmt := "SELECT " + outer.join(", ") + " FROM (SELECT " + inner.join(", ") + " FROM employees e WHERE e.status = ? AND e.hire_date < ? " +
		noMerge + ") x GROUP BY x.org_unit_id, x.position ORDER BY x.org_unit_id, x.position"
	args := append(append(outer.args, inner.args...), StatusActive, hiredBefore)

	rows, err := db.WithContext(ctx).Raw(stmt, args...).Rows()
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := make([][]StaffTotal, len(ws))
	for rows.Next() {
		var unit uint
		var pos string
		counts := make([]int64, 3*len(ws))
		dest := []any{&unit, &pos}
		for i := range counts {
			dest = append(dest, &counts[i])
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, err
		}
		for i := range ws {
			if c := counts[3*i:]; c[0] > 0 {
				out[i] = append(out[i], StaffTotal{OrgUnitID: unit, Position: pos, Staff: c[0], Acknowledged: c[1], CoursesDone: c[2]})
			}
		}
	}
	return out, rows.Err()
}

// clauses are pieces of SQL with their arguments, in the order they are written.
type clauses struct {
	sql  []string
	args []any
}

func (c *clauses) add(sql string, args ...any) {
	c.sql = append(c.sql, sql)
	c.args = append(c.args, args...)
}

func (c *clauses) join(sep string) string { return strings.Join(c.sql, sep) }

// acknowledgedBefore is "employee e acknowledged a published version of major ? or
// later before ?".
const acknowledgedBefore = "EXISTS (SELECT 1 FROM acknowledgements a JOIN handbook_versions hv ON hv.id = a.version_id" +
	" WHERE a.employee_id = e.id AND hv.status = 'published' AND hv.major >= ? AND a.at < ?)"

// FrontlinePositions are the positions R8.3's etiquette certification is for.
var FrontlinePositions = []string{PositionWindow, PositionInstaller, PositionMarketing}

// CertifiedTotal counts one unit's active front-line staff and those certified.
type CertifiedTotal struct {
	OrgUnitID uint
	Frontline int64
	Certified int64
}

// certifiedAt is "employee e held an etiquette certificate valid at ?" (issued before,
// expiring after, not revoked by then); it takes the instant three times.
var certifiedAt = certifiedAtExpr("?")

// certifiedAtExpr is certifiedAt at the instant of the SQL expression at (a parameter,
// or a column of the dashboard's months).
func certifiedAtExpr(at string) string {
	return "EXISTS (SELECT 1 FROM certificates c WHERE c.employee_id = e.id AND " + validCertificateAt(at) + ")"
}

// validCertificateAt is "certificate c is an etiquette certificate valid at the
// instant at": issued before, expiring after, not revoked by then.
func validCertificateAt(at string) string {
	return "c.kind = '" + ExamEtiquette + "' AND c.issued_at < " + at + " AND c.expires_at > " + at +
		" AND (c.revoked_at IS NULL OR c.revoked_at >= " + at + ")"
}

// CertifiedByUnit counts, per unit, the active front-line staff (R8.3) hired before
// hiredBefore and those of them holding an etiquette certificate valid at t.
func CertifiedByUnit(ctx context.Context, db *gorm.DB, t time.Time, hiredBefore Date) ([]CertifiedTotal, error) {
	t = t.UTC()
	var out []CertifiedTotal
	err := db.WithContext(ctx).Table("employees e").
		Select("e.org_unit_id AS org_unit_id, COUNT(*) AS frontline, SUM(CASE WHEN "+certifiedAt+" THEN 1 ELSE 0 END) AS certified", t, t, t).
		Where("e.status = ? AND e.position IN ? AND e.hire_date < ?", StatusActive, FrontlinePositions, hiredBefore).Group("e.org_unit_id").Scan(&out).Error
	return out, err
}

// OnboardingTotal counts one unit's new hires due in the span and those who passed.
type OnboardingTotal struct {
	OrgUnitID uint
	Hires     int64
	Passed    int64
}

// passedOnboardingBy is "employee e passed an onboarding exam by the end of the day
// hire_date + dueDays" (in the zone of offset).
func passedOnboardingBy(db *gorm.DB, dueDays, offset int) string {
	return "EXISTS (SELECT 1 FROM attempts a JOIN exams x ON x.id = a.exam_id WHERE a.employee_id = e.id AND x.kind = '" + ExamOnboarding +
		"' AND a.status = '" + AttemptSubmitted + "' AND a.passed = 1 AND " + localDate(db, "a.submitted_at", offset) + " <= " + addDays(db, "e.hire_date", dueDays) + ")"
}

// OnboardingByUnit counts, per unit, the active employees whose onboarding due date
// (hire date + dueDays, R8.2) falls on the days [FromDay, DayLimit), and those of them
// who passed an onboarding exam by the end of that day.
func OnboardingByUnit(ctx context.Context, db *gorm.DB, s RankingSpan, dueDays int) ([]OnboardingTotal, error) {
	var out []OnboardingTotal
	err := onboardingHires(db.WithContext(ctx).Table("employees e"), s, dueDays).
		Select("e.org_unit_id AS org_unit_id, COUNT(*) AS hires, SUM(CASE WHEN " + passedOnboardingBy(db, dueDays, s.Offset) + " THEN 1 ELSE 0 END) AS passed").
		Group("e.org_unit_id").Scan(&out).Error
	return out, err
}

// onboardingHires keeps the active employees (as e) whose due date falls in the span.
func onboardingHires(q *gorm.DB, s RankingSpan, dueDays int) *gorm.DB {
	first := DateOf(s.FromDay.Time().AddDate(0, 0, -dueDays))
	limit := DateOf(s.DayLimit.Time().AddDate(0, 0, -dueDays))
	return q.Where("e.status = ? AND e.hire_date >= ? AND e.hire_date < ?", StatusActive, first, limit)
}

// MetricTotal sums one county's service metrics over the span's months; SubscribersStart
// is that of its first month with data and SubscribersEnd that of its last.
type MetricTotal struct {
	OrgUnitID         uint
	Months            int64
	WorkOrders        int64
	Responded24h      int64 `gorm:"column:responded_24h"`
	OrdinaryFaults    int64
	OrdinaryFixed24h  int64 `gorm:"column:ordinary_fixed_24h"`
	MajorFaults       int64
	MajorFixed72h     int64 `gorm:"column:major_fixed_72h"`
	Installations     int64
	InstalledOnTime   int64
	Restorations      int64
	RestoredOnTime    int64
	Complaints        int64
	ComplaintsReplied int64
	CallbacksDue      int64
	CallbacksDone72h  int64 `gorm:"column:callbacks_done_72h"`
	Surveys           int64
	SurveyScoreSum    int64
	SubscribersStart  int64
	SubscribersEnd    int64
}

// MetricTotalsByUnit sums the service metrics of the span's months per unit.
func MetricTotalsByUnit(ctx context.Context, db *gorm.DB, s RankingSpan) ([]MetricTotal, error) {
	var out []MetricTotal
	if len(s.Months) == 0 {
		return out, nil
	}
	sums := []string{"work_orders", "responded_24h", "ordinary_faults", "ordinary_fixed_24h", "major_faults", "major_fixed_72h",
		"installations", "installed_on_time", "restorations", "restored_on_time", "complaints", "complaints_replied_3d",
		"callbacks_due", "callbacks_done_72h", "surveys", "survey_score_sum"}
	aliases := map[string]string{"complaints_replied_3d": "complaints_replied"}
	cols := []string{"m.org_unit_id AS org_unit_id", "COUNT(*) AS months"}
	for _, c := range sums {
		alias := c
		if a, ok := aliases[c]; ok {
			alias = a
		}
		cols = append(cols, "SUM(m."+c+") AS "+alias)
	}
	cols = append(cols, "SUM(CASE WHEN m.month = f.first_month THEN m.subscribers_start ELSE 0 END) AS subscribers_start",
		"SUM(CASE WHEN m.month = f.last_month THEN m.subscribers_end ELSE 0 END) AS subscribers_end")
	bounds := db.Table("service_metrics").Select("org_unit_id, MIN(month) AS first_month, MAX(month) AS last_month").
		Where("month IN ?", s.Months).Group("org_unit_id")
	err := db.WithContext(ctx).Table("service_metrics m").Joins("JOIN (?) f ON f.org_unit_id = m.org_unit_id", bounds).
		Select(strings.Join(cols, ", ")).Where("m.month IN ?", s.Months).Group("m.org_unit_id").Scan(&out).Error
	return out, err
}

// OutcomeCount counts the decided outcomes of one kind in the cases of one unit.
type OutcomeCount struct {
	OrgUnitID uint
	Outcome   string
	N         int64
}

// OutcomesByUnit counts, per case unit and outcome, the persons decided in [From, CutOff).
func OutcomesByUnit(ctx context.Context, db *gorm.DB, s RankingSpan) ([]OutcomeCount, error) {
	var out []OutcomeCount
	err := db.WithContext(ctx).Table("case_people p").Joins("JOIN accountability_cases c ON c.id = p.case_id").
		Select("c.org_unit_id AS org_unit_id, p.outcome AS outcome, COUNT(*) AS n").
		Where("p.decided_at >= ? AND p.decided_at < ? AND p.outcome <> ''", s.From.UTC(), s.CutOff.UTC()).
		Group("c.org_unit_id, p.outcome").Scan(&out).Error
	return out, err
}
