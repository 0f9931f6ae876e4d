package reports

import (
	"context"
	"slices"

	"quality/models"
)

// span is what the aggregate queries need of a window.
func (w Window) span() models.RankingSpan {
	return models.RankingSpan{From: w.From, CutOff: w.CutOff, FromDay: w.FromDate(), DayLimit: w.DayLimit(),
		Offset: w.Offset(), Months: w.Months()}
}

// unitFacts are the tallies of the org units facts are recorded on in one window, and
// whether a handbook version was current at its cut-off.
type unitFacts struct {
	byUnit   map[uint]*Tally
	handbook bool
}

func (f *unitFacts) of(id uint) *Tally {
	t, ok := f.byUnit[id]
	if !ok {
		t = &Tally{}
		f.byUnit[id] = t
	}
	return t
}

// gather runs the ranking's aggregate queries for w: each is grouped by org unit in SQL,
// so what comes back is a few rows per unit, whatever the number of facts. The staff
// tallies, asked for several windows at once, are added by addStaff. dueDays is the
// onboarding plan's days from hire to due date, read once for all windows.
func (s *Service) gather(ctx context.Context, w Window, dueDays int) (*unitFacts, error) {
	db, sp := s.DB, w.span()
	f := &unitFacts{byUnit: map[uint]*Tally{}}

	ins, err := models.InspectionTotalsByUnit(ctx, db, sp)
	if err != nil {
		return nil, err
	}
	for _, r := range ins {
		t := f.of(r.OrgUnitID)
		t.Inspections, t.Earned, t.Possible, t.Passed = r.Inspections, r.Earned, r.Possible, r.Passed
	}
	crit, err := models.CriticalFailuresByUnit(ctx, db, sp)
	if err != nil {
		return nil, err
	}
	for _, r := range crit {
		f.of(r.OrgUnitID).CriticalFailures = r.N
	}
	rects, err := models.RectificationTotalsByUnit(ctx, db, sp)
	if err != nil {
		return nil, err
	}
	for _, r := range rects {
		t := f.of(r.OrgUnitID)
		t.RectDue, t.RectOnTime = r.Due, r.OnTime
	}
	certs, err := models.CertifiedByUnit(ctx, db, w.CutOff, w.DayLimit())
	if err != nil {
		return nil, err
	}
	for _, r := range certs {
		t := f.of(r.OrgUnitID)
		t.Frontline, t.Certified = r.Frontline, r.Certified
	}
	hires, err := models.OnboardingByUnit(ctx, db, sp, dueDays)
	if err != nil {
		return nil, err
	}
	for _, r := range hires {
		t := f.of(r.OrgUnitID)
		t.Hires, t.HiresPassed = r.Hires, r.Passed
	}
	metrics, err := models.MetricTotalsByUnit(ctx, db, sp)
	if err != nil {
		return nil, err
	}
	for _, m := range metrics {
		t := f.of(m.OrgUnitID)
		t.MetricMonths = m.Months
		t.Rates = [7]rate{{m.Responded24h, m.WorkOrders}, {m.OrdinaryFixed24h, m.OrdinaryFaults}, {m.MajorFixed72h, m.MajorFaults},
			{m.InstalledOnTime, m.Installations}, {m.RestoredOnTime, m.Restorations}, {m.ComplaintsReplied, m.Complaints},
			{m.CallbacksDone72h, m.CallbacksDue}}
		t.Surveys, t.ScoreSum, t.Complaints = m.Surveys, m.SurveyScoreSum, m.Complaints
		t.SubscribersStart, t.SubscribersEnd = m.SubscribersStart, m.SubscribersEnd
	}
	outcomes, err := models.OutcomesByUnit(ctx, db, sp)
	if err != nil {
		return nil, err
	}
	for _, r := range outcomes {
		t := f.of(r.OrgUnitID)
		switch r.Outcome {
		case models.OutcomeWarning:
			t.Warnings += r.N
		case models.OutcomeNoAwards:
			t.NoAwards += r.N
		case models.OutcomeCirculated:
			t.Circulated += r.N
		case models.OutcomePenalty:
			t.Penalties += r.N
		}
	}
	return f, nil
}

// addStaff adds the window's staff tallies to its facts.
func (f *unitFacts) addStaff(staff staffTallies) {
	f.handbook = staff.handbook
	for _, r := range staff.rows {
		t := f.of(r.OrgUnitID)
		t.Staff += r.Staff
		t.Acknowledged += r.Acknowledged
		t.CoursesDone += r.CoursesDone
		if r.Position == models.PositionInstaller {
			t.Installers += r.Staff
		}
	}
}

// staffTallies are one window's active staff per unit and position (R8.1–R8.4), and
// whether a handbook version was current at its cut-off.
type staffTallies struct {
	rows     []models.StaffTotal
	handbook bool
}

// gatherStaff counts the active staff of each window per unit and position: who had
// acknowledged the handbook version current at the window's cut-off, and who had
// completed the courses meant for their position that were published by then. The
// windows are counted together, in one pass over the employees.
func (s *Service) gatherStaff(ctx context.Context, ws []Window) ([]staffTallies, error) {
	asks := make([]models.StaffWindow, len(ws))
	out := make([]staffTallies, len(ws))
	for i, w := range ws {
		q, err := s.staffRowsQuery(ctx, w)
		if err != nil {
			return nil, err
		}
		asks[i] = models.StaffWindow{HandbookMajor: q.HandbookMajor, Courses: q.Courses, End: w.CutOff, HiredBefore: w.DayLimit()}
		out[i].handbook = q.HandbookMajor > 0
	}
	rows, err := models.StaffTotalsByWindow(ctx, s.DB, asks)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].rows = rows[i]
	}
	return out, nil
}

// branchesOf rolls unit tallies up to the branches above them: every city company and
// county branch gets the sum of the tallies recorded on units of its subtree. units
// must hold every org unit.
func branchesOf(units []models.OrgUnit, f *unitFacts) map[uint]*Tally {
	level := make(map[uint]string, len(units))
	for _, u := range units {
		level[u.ID] = u.Level
	}
	out := map[uint]*Tally{}
	for _, u := range units {
		if u.Level == models.LevelCity || u.Level == models.LevelCounty {
			out[u.ID] = &Tally{}
		}
	}
	path := make(map[uint]string, len(units))
	for _, u := range units {
		path[u.ID] = u.Path
	}
	// Units in id order, so the sums are made in the same order every time.
	ids := make([]uint, 0, len(f.byUnit))
	for id := range f.byUnit {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		for _, a := range models.PathIDs(path[id]) {
			if t, ok := out[a]; ok {
				t.Add(f.byUnit[id])
			}
		}
	}
	return out
}
