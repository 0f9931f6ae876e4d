package models

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"
)

// The home dashboards' aggregates (package reports): the ranking's own measures, each
// as one query over all the months shown, counted per org unit and month in an inner
// query and summed up to the units asked for (a city company and everything under it,
// by the org path) in the outer one. So a dashboard of twelve months and a dozen units
// is four queries, whatever the number of facts.

// MonthTotal is one measure of one unit in one month (YYYY-MM): Num out of Den for a
// rate, Num alone for a count.
type MonthTotal struct {
	UnitID uint
	Month  string
	Num    int64
	Den    int64
}

// MonthEnd is the instant a month's state is read at: the start of the next month, or
// now for the month under way; Day is its local day (the first day that is not over).
type MonthEnd struct {
	Month string
	At    time.Time
	Day   Date
}

// localMonth is the SQL expression of the month (YYYY-MM), in the zone offset seconds
// east of UTC, of a column holding a UTC instant.
func localMonth(db *gorm.DB, column string, offset int) string {
	if DialectOf(db) == MySQL {
		return fmt.Sprintf("DATE_FORMAT(DATE_ADD(%s, INTERVAL %d SECOND), '%%Y-%%m')", column, offset)
	}
	return fmt.Sprintf("strftime('%%Y-%%m', %s, '%+d seconds')", column, offset)
}

// dateMonth is the SQL expression of the month (YYYY-MM) of a DATE column.
func dateMonth(db *gorm.DB, column string) string {
	if DialectOf(db) == MySQL {
		return "DATE_FORMAT(" + column + ", '%Y-%m')"
	}
	return "strftime('%Y-%m', " + column + ")"
}

// rollUp sums an inner query of (org_unit_id, month, num, den) rows up to the units
// roots: each root gets the rows of the units of its subtree. SQL groups the rows by
// unit and month (a few thousand at most); the subtrees are summed here, from each
// unit's path (joined by id), against the roots' paths the caller already holds:
// joined in SQL by the path's LIKE, the roll-up took 40 of the 50 ms of the
// certification measure on the demo province.
func rollUp(ctx context.Context, db *gorm.DB, inner *gorm.DB, roots []OrgUnit) ([]MonthTotal, error) {
	out := []MonthTotal{}
	if len(roots) == 0 {
		return out, nil
	}
	var rows []struct {
		Path     string
		Month    string
		Num, Den int64
	}
	if err := db.WithContext(ctx).Table("(?) t", inner).Joins("JOIN org_units u ON u.id = t.org_unit_id").
		Select("u.path AS path, t.month AS month, SUM(t.num) AS num, SUM(t.den) AS den").
		Group("u.path, t.month").Scan(&rows).Error; err != nil {
		return nil, err
	}
	type key struct {
		unit  uint
		month string
	}
	sums := map[key]*MonthTotal{}
	for _, r := range rows {
		for _, root := range roots {
			if root.Path == "" || !strings.HasPrefix(r.Path, root.Path) {
				continue
			}
			k := key{root.ID, r.Month}
			if sums[k] == nil {
				sums[k] = &MonthTotal{UnitID: root.ID, Month: r.Month}
			}
			sums[k].Num += r.Num
			sums[k].Den += r.Den
		}
	}
	for _, t := range sums {
		out = append(out, *t)
	}
	slices.SortFunc(out, func(a, b MonthTotal) int {
		if a.UnitID != b.UnitID {
			return cmp.Compare(a.UnitID, b.UnitID)
		}
		return strings.Compare(a.Month, b.Month)
	})
	return out, nil
}

// monthEnds is the derived table m(month, at, day, hired_from, hired_before) of ends;
// hiredFrom and hiredBefore, when not nil, give the last two columns of each end.
func monthEnds(db *gorm.DB, ends []MonthEnd, hiredFrom, hiredBefore func(Date) Date) *gorm.DB {
	at, day := "?", "?"
	if DialectOf(db) == MySQL {
		// A parameter in a select list is text to MySQL; the comparisons want types.
		at, day = "CAST(? AS DATETIME(6))", "CAST(? AS DATE)"
	}
	parts := make([]string, len(ends))
	var args []any
	for i, e := range ends {
		parts[i] = "SELECT ? AS month, " + at + " AS at, " + day + " AS day, " + day + " AS hired_from, " + day + " AS hired_before"
		from, before := e.Day, e.Day
		if hiredFrom != nil {
			from, before = hiredFrom(e.Day), hiredBefore(e.Day)
		}
		args = append(args, e.Month, e.At.UTC(), e.Day, from, before)
	}
	return db.Raw(strings.Join(parts, " UNION ALL "), args...)
}

// InspectionPassByMonth is the inspection pass rate of each root per month of the span:
// Num of the Den inspections the ranking scores (scoredInspections: submitted in
// [From, CutOff), possible > 0) passed, by the local month of submission.
func InspectionPassByMonth(ctx context.Context, db *gorm.DB, roots []OrgUnit, s RankingSpan) ([]MonthTotal, error) {
	inner := scoredInspections(db.Model(&Inspection{}), s).
		Select("inspections.org_unit_id AS org_unit_id, "+localMonth(db, "inspections.submitted_at", s.Offset)+" AS month, "+
			"SUM(CASE WHEN inspections.result = ? THEN 1 ELSE 0 END) AS num, COUNT(*) AS den", ResultPass).
		Group("inspections.org_unit_id, month")
	return rollUp(ctx, db, inner, roots)
}

// RectificationsOnTimeByMonth is, per root and month of the due date, the Den
// rectifications the ranking counts (due on the days [FromDay, DayLimit), neither
// cancelled nor waived; assigned to a unit of the root) and the Num of them answered on
// time (rectificationOnTime).
func RectificationsOnTimeByMonth(ctx context.Context, db *gorm.DB, roots []OrgUnit, s RankingSpan) ([]MonthTotal, error) {
	inner := rankedRectifications(db.Model(&Rectification{}), s).
		Select("rectifications.assignee_unit_id AS org_unit_id, " + dateMonth(db, "rectifications.due_on") + " AS month, " +
			"SUM(CASE WHEN " + rectificationOnTime(db, s.Offset) + " THEN 1 ELSE 0 END) AS num, COUNT(*) AS den").
		Group("rectifications.assignee_unit_id, month")
	return rollUp(ctx, db, inner, roots)
}

// CertifiedByMonth is, per root and month, the Den active front-line staff (R8.3)
// hired before the month end's day and the Num of them holding an etiquette certificate
// valid at its instant: CertifiedByUnit at each end (ends in ascending order).
//
// Counted in three parts, each a few hundred rows: the staff hired before the first
// end's day (in every month), those hired since (per month), and the holders, from the
// certificates; an EXISTS per employee and month read 25,000 rows for the demo
// province, several times slower.
func CertifiedByMonth(ctx context.Context, db *gorm.DB, roots []OrgUnit, ends []MonthEnd) ([]MonthTotal, error) {
	if len(ends) == 0 {
		return []MonthTotal{}, nil
	}
	day0 := ends[0].Day
	frontline := "e.status = ? AND e.position IN ?"
	before := db.Table("employees e").Select("e.org_unit_id AS org_unit_id, COUNT(*) AS n").
		Where(frontline+" AND e.hire_date < ?", StatusActive, FrontlinePositions, day0).Group("e.org_unit_id")
	staff := db.Table("(?) b", before).Joins("CROSS JOIN (?) m", monthEnds(db, ends, nil, nil)).
		Select("b.org_unit_id AS org_unit_id, m.month AS month, 0 AS num, b.n AS den")
	hired := db.Table("employees e").Joins("JOIN (?) m ON e.hire_date < m.day", monthEnds(db, ends, nil, nil)).
		Select("e.org_unit_id AS org_unit_id, m.month AS month, 0 AS num, COUNT(*) AS den").
		Where(frontline+" AND e.hire_date >= ?", StatusActive, FrontlinePositions, day0).Group("e.org_unit_id, m.month")
	// CROSS JOIN: from the certificates out, not from every employee (see rollUp).
	holders := db.Table("certificates c").Joins("CROSS JOIN employees e ON e.id = c.employee_id").
		Joins("CROSS JOIN (?) m ON e.hire_date < m.day AND "+validCertificateAt("m.at"), monthEnds(db, ends, nil, nil)).
		Select("e.org_unit_id AS org_unit_id, m.month AS month, COUNT(DISTINCT e.id) AS num, 0 AS den").
		Where("c.kind = ? AND "+frontline, ExamEtiquette, StatusActive, FrontlinePositions).Group("e.org_unit_id, m.month")
	return rollUp(ctx, db, db.Raw("? UNION ALL ? UNION ALL ?", staff, hired, holders), roots)
}

// OnboardingRule is the onboarding plan as the overdue list applies it on a day: hired
// on or after day − WindowDays and before day − DueDays, and not finished.
type OnboardingRule struct {
	WindowDays, DueDays int
	Required            map[string][]uint
	ExamID              *uint
}

// OverdueByMonth counts, per root and month, the new hires the overdue list
// (ListOverdueEmployees) would have listed at the month end: active, due before its
// day, and not finished by its instant. For the month under way (its end is now) that
// is the list's own total.
func OverdueByMonth(ctx context.Context, db *gorm.DB, roots []OrgUnit, r OnboardingRule, ends []MonthEnd) ([]MonthTotal, error) {
	if len(ends) == 0 {
		return []MonthTotal{}, nil
	}
	shift := func(n int) func(Date) Date {
		return func(d Date) Date { return DateOf(d.Time().AddDate(0, 0, -n)) }
	}
	cond, args := unfinishedBefore(r.Required, r.ExamID, "m.at")
	inner := db.Table("employees").
		Joins("JOIN (?) m ON employees.hire_date >= m.hired_from AND employees.hire_date < m.hired_before",
			monthEnds(db, ends, shift(r.WindowDays), shift(r.DueDays))).
		Select("employees.org_unit_id AS org_unit_id, m.month AS month, COUNT(*) AS num, 0 AS den").
		// The widest hire dates of all the ends, so the engine reads only recent hires
		// before it joins them to the months (MariaDB ran the unfinished test on all).
		Where("employees.status = ? AND employees.hire_date >= ? AND employees.hire_date < ?", StatusActive,
			shift(r.WindowDays)(ends[0].Day), shift(r.DueDays)(ends[len(ends)-1].Day)).Where(cond, args...).
		Group("employees.org_unit_id, m.month")
	return rollUp(ctx, db, inner, roots)
}
