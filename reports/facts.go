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
// so what comes back is a few rows per unit, whatever the number of facts.
func (s *Service) gather(ctx context.Context, w Window) (*unitFacts, error) {
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
	if err := s.gatherStaff(ctx, w, f); err != nil {
		return nil, err
	}
	certs, err := models.CertifiedByUnit(ctx, db, w.CutOff, w.DayLimit())
	if err != nil {
		return nil, err
	}
	for _, r := range certs {
		t := f.of(r.OrgUnitID)
		t.Frontline, t.Certified = r.Frontline, r.Certified
	}
	dueDays, err := s.onboardingDueDays(ctx)
	if err != nil {
		return nil, err
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

// gatherStaff counts the active staff per unit and position: the handbook version
// current at the cut-off, and for each position the courses meant for it that were
// published by then (R8.1–R8.4).
func (s *Service) gatherStaff(ctx context.Context, w Window, f *unitFacts) error {
	q, err := s.staffRowsQuery(ctx, w)
	if err != nil {
		return err
	}
	f.handbook = q.HandbookMajor > 0
	for _, pos := range models.Positions {
		rows, err := models.StaffTotalsByUnit(ctx, s.DB, models.StaffQuery{Position: pos, HandbookMajor: q.HandbookMajor,
			CourseIDs: q.Courses[pos], End: w.CutOff, HiredBefore: w.DayLimit()})
		if err != nil {
			return err
		}
		for _, r := range rows {
			t := f.of(r.OrgUnitID)
			t.Staff += r.Staff
			t.Acknowledged += r.Acknowledged
			t.CoursesDone += r.CoursesDone
			if pos == models.PositionInstaller {
				t.Installers += r.Staff
			}
		}
	}
	return nil
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
