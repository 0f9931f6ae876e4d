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
	Staff        int64
	Acknowledged int64
	CoursesDone  int64
}

// StaffQuery asks StaffTotalsByUnit about one position.
type StaffQuery struct {
	Position string
	// HandbookMajor: acknowledged a published version of this major number or later
	// before End; 0 counts nobody (no handbook was current).
	HandbookMajor int
	// CourseIDs must all be completed before End; none counts everybody.
	CourseIDs []uint
	End       time.Time
	// HiredBefore leaves out who joined later: they could not have trained by End.
	HiredBefore Date
}

// StaffTotalsByUnit counts, per unit, the employees active now in q.Position and hired
// before q.HiredBefore, those who
// acknowledged the current major handbook version before q.End, and those who completed
// every course of q.CourseIDs before q.End.
func StaffTotalsByUnit(ctx context.Context, db *gorm.DB, q StaffQuery) ([]StaffTotal, error) {
	end := q.End.UTC()
	cols := []string{"e.org_unit_id AS org_unit_id", "COUNT(*) AS staff"}
	var args []any
	if q.HandbookMajor > 0 {
		cols = append(cols, "SUM(CASE WHEN "+acknowledgedBefore+" THEN 1 ELSE 0 END) AS acknowledged")
		args = append(args, q.HandbookMajor, end)
	}
	if len(q.CourseIDs) > 0 {
		cols = append(cols, "SUM(CASE WHEN (SELECT COUNT(*) FROM completions c WHERE c.employee_id = e.id AND c.course_id IN ? AND c.at < ?) = ? THEN 1 ELSE 0 END) AS courses_done")
		args = append(args, q.CourseIDs, end, len(q.CourseIDs))
	} else {
		cols = append(cols, "COUNT(*) AS courses_done")
	}
	var out []StaffTotal
	err := db.WithContext(ctx).Table("employees e").Select(strings.Join(cols, ", "), args...).
		Where("e.status = ? AND e.position = ? AND e.hire_date < ?", StatusActive, q.Position, q.HiredBefore).Group("e.org_unit_id").Scan(&out).Error
	return out, err
}

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
