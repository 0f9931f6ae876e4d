package reports

import (
	"context"
	"errors"
	"time"

	"quality/models"
)

// The home dashboards: four of the ranking's measures over the last twelve months, per
// city company for the provincial office and per branch against its city for a branch
// manager. Each measure is counted as the ranking (or, for new hires, the overdue list)
// counts it, in one query for all months and units (models.*ByMonth).

// Measures of a dashboard.
const (
	// MeasureInspections is the inspection pass rate: of the inspections submitted in
	// the month that scored anything (the inspection dimension's, R7.3), those passed.
	MeasureInspections = "inspections"
	// MeasureRectifications is rectifications closed on time: of those due in the month
	// (neither cancelled nor waived), those whose evidence came by the end of the due
	// day, as the rectification dimension counts them (R7.3).
	MeasureRectifications = "rectifications"
	// MeasureCertification is etiquette certification coverage: of the active
	// front-line staff hired before the month's end, those holding a valid etiquette
	// certificate at that instant, as the certification dimension counts them (R8.3).
	MeasureCertification = "certification"
	// MeasureOverdueHires is the overdue new hires (R8.2): the onboarding-overdue list's
	// count at the month's end, now for the month under way.
	MeasureOverdueHires = "overdue_hires"
)

// MeasureKeys are the measures in the order the dashboards show them.
var MeasureKeys = []string{MeasureInspections, MeasureRectifications, MeasureCertification, MeasureOverdueHires}

// DashboardMonths is how many months a dashboard shows, the month under way last.
const DashboardMonths = 12

// Dashboard is the measures of some org units over DashboardMonths months.
type Dashboard struct {
	// Months are YYYY-MM, oldest first; the last runs until Now.
	Months   []string
	Now      time.Time
	Rows     []DashboardRow
	Measures []Measure
}

// DashboardRow is one line of every chart: a unit's own figures or, when Average, its
// figures as the average of its Branches branches (the city beside a branch).
type DashboardRow struct {
	Unit    models.OrgUnit
	Average bool
	// Branches is how many units of the compared branch's level the average is over.
	Branches int64
}

// Measure is one measure's cells, Cells[row][month] in the order of Rows and Months.
type Measure struct {
	Key   string
	Rate  bool
	Cells [][]Cell
}

// Cell is one unit's figure in one month: Num of Den for a rate, Num for a count.
// Value is in hundredths: the percentage for a rate (Has false without a
// denominator), the count, or the mean count a branch for an average row.
type Cell struct {
	Num, Den int64
	Has      bool
	Value    int64
}

// ProvinceDashboard is the whole province and each city company in code order.
func (s *Service) ProvinceDashboard(ctx context.Context) (*Dashboard, error) {
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	var rows []DashboardRow
	for _, u := range units {
		if u.Level == models.LevelProvince {
			rows = append(rows, DashboardRow{Unit: u})
		}
	}
	for _, u := range units {
		if u.Level == models.LevelCity {
			rows = append(rows, DashboardRow{Unit: u})
		}
	}
	return s.dashboard(ctx, rows)
}

// UnitDashboard is unit id and each unit directly under it in code order: for an
// admin or inspector of one city company, the city and its county branches, as the
// provincial office sees the province and its cities.
func (s *Service) UnitDashboard(ctx context.Context, id uint) (*Dashboard, error) {
	root, err := models.GetOrgUnit(ctx, s.DB, models.ScopeAll, id)
	if err != nil {
		return nil, err
	}
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeOfPaths([]string{root.Path}))
	if err != nil {
		return nil, err
	}
	rows := []DashboardRow{{Unit: *root}}
	for _, u := range units {
		if u.ParentID != nil && *u.ParentID == root.ID {
			rows = append(rows, DashboardRow{Unit: u})
		}
	}
	return s.dashboard(ctx, rows)
}

// BranchDashboard is each of the branches followed by its city company's average
// (the city's own rate, its count per branch); a city company is compared with the
// province's average. Branches are unit ids, in the order given.
func (s *Service) BranchDashboard(ctx context.Context, branches []uint) (*Dashboard, error) {
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	var rows []DashboardRow
	compared := map[uint]bool{}
	for _, id := range branches {
		b, ok := byID[id]
		if !ok {
			continue
		}
		rows = append(rows, DashboardRow{Unit: b})
		c, ok := comparison(b, byID)
		if !ok || compared[c.ID] {
			continue
		}
		compared[c.ID] = true
		row := DashboardRow{Unit: c, Average: true}
		for _, u := range units {
			if u.Level == b.Level && u.ID != c.ID && len(u.Path) > len(c.Path) && u.Path[:len(c.Path)] == c.Path {
				row.Branches++
			}
		}
		rows = append(rows, row)
	}
	return s.dashboard(ctx, rows)
}

// comparison is the unit a branch is compared with: its city company, or the province
// for a city company; none for the province.
func comparison(b models.OrgUnit, byID map[uint]models.OrgUnit) (models.OrgUnit, bool) {
	want := models.LevelCity
	if b.Level == models.LevelCity {
		want = models.LevelProvince
	}
	for _, id := range models.PathIDs(b.Path) {
		if u, ok := byID[id]; ok && u.Level == want && u.ID != b.ID {
			return u, true
		}
	}
	return models.OrgUnit{}, false
}

// dashboardWindows are the windows of the last DashboardMonths months at now, oldest
// first, the last one under way.
func dashboardWindows(now time.Time, loc *time.Location) []Window {
	l := now.In(loc)
	p := Period{Kind: Month, Year: l.Year(), N: int(l.Month())}
	out := make([]Window, DashboardMonths)
	for i := DashboardMonths - 1; i >= 0; i-- {
		w, err := WindowAt(p, now, loc)
		if errors.Is(err, ErrNotStarted) { // now is the month's very first instant
			w.InProgress, w.CutOff = true, now.In(loc)
		}
		out[i] = w
		p = p.Previous()
	}
	return out
}

// dashboard runs the four queries for rows and fills the cells.
func (s *Service) dashboard(ctx context.Context, rows []DashboardRow) (*Dashboard, error) {
	now := s.Now()
	ws := dashboardWindows(now, s.Loc)
	first, last := ws[0], ws[len(ws)-1]
	// One span over all the months: the facts' own instants and due days say the month.
	span := models.RankingSpan{From: first.From, CutOff: last.CutOff, FromDay: first.FromDate(), DayLimit: last.DayLimit(), Offset: last.Offset()}
	d := &Dashboard{Now: now, Rows: rows}
	ends := make([]models.MonthEnd, len(ws))
	for i, w := range ws {
		d.Months = append(d.Months, w.Period.String())
		ends[i] = models.MonthEnd{Month: w.Period.String(), At: w.CutOff, Day: w.DayLimit()}
	}
	roots := make([]models.OrgUnit, 0, len(rows))
	seen := map[uint]bool{}
	for _, r := range rows {
		if !seen[r.Unit.ID] {
			seen[r.Unit.ID] = true
			roots = append(roots, r.Unit)
		}
	}
	rule, err := s.Training.OverdueRule(ctx)
	if err != nil {
		return nil, err
	}
	queries := []func() ([]models.MonthTotal, error){
		func() ([]models.MonthTotal, error) { return models.InspectionPassByMonth(ctx, s.DB, roots, span) },
		func() ([]models.MonthTotal, error) { return models.RectificationsOnTimeByMonth(ctx, s.DB, roots, span) },
		func() ([]models.MonthTotal, error) { return models.CertifiedByMonth(ctx, s.DB, roots, ends) },
		func() ([]models.MonthTotal, error) { return models.OverdueByMonth(ctx, s.DB, roots, rule, ends) },
	}
	// One after the other: at once, the four took twice as long on SQLite.
	for i, key := range MeasureKeys {
		totals, err := queries[i]()
		if err != nil {
			return nil, err
		}
		d.Measures = append(d.Measures, fillMeasure(key, key != MeasureOverdueHires, rows, d.Months, totals))
	}
	return d, nil
}

// fillMeasure lays the totals out by row and month and works out each cell's value.
func fillMeasure(key string, rate bool, rows []DashboardRow, months []string, totals []models.MonthTotal) Measure {
	type at struct {
		unit  uint
		month string
	}
	by := make(map[at]models.MonthTotal, len(totals))
	for _, t := range totals {
		by[at{t.UnitID, t.Month}] = t
	}
	m := Measure{Key: key, Rate: rate, Cells: make([][]Cell, len(rows))}
	for i, r := range rows {
		m.Cells[i] = make([]Cell, len(months))
		for j, month := range months {
			t := by[at{r.Unit.ID, month}]
			m.Cells[i][j] = cellOf(t.Num, t.Den, rate, r)
		}
	}
	return m
}

// cellOf is the value of num (of den): a rate rounded half-up to hundredths of a
// percent (models.PercentOf, as the ranking rounds), a count, or for an average row
// the count divided by its branches, rounded half-up to hundredths. A rate without a
// denominator, and an average over no branch, have no value.
func cellOf(num, den int64, rate bool, r DashboardRow) Cell {
	c := Cell{Num: num, Den: den}
	switch {
	case rate:
		if den > 0 {
			c.Has, c.Value = true, int64(models.PercentOf(num, den))
		}
	case r.Average:
		if r.Branches > 0 {
			c.Has, c.Value = true, (200*num+r.Branches)/(2*r.Branches)
		}
	default:
		c.Has, c.Value = true, 100*num
	}
	return c
}
