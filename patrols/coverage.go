package patrols

import (
	"context"
	"io"
	"slices"
	"strings"
	"time"

	"quality/models"
	"quality/workbook"
)

// Stop statuses, derived from the stop and today, never stored.
const (
	StopDone    = "done"
	StopMissed  = "missed"
	StopPending = "pending"
)

// Coverage counts planned visits: Planned = Done + Missed + Pending.
type Coverage struct {
	Planned int `json:"planned"`
	Done    int `json:"done"`
	Missed  int `json:"missed"`
	Pending int `json:"pending"`
}

// StopStatus is done when an inspection covered the stop, missed when its due date is
// before today without one, pending otherwise.
func StopStatus(done bool, due, today models.Date) string {
	switch {
	case done:
		return StopDone
	case due.Time().Before(today.Time()):
		return StopMissed
	}
	return StopPending
}

func (c *Coverage) add(status string) {
	c.Planned++
	switch status {
	case StopDone:
		c.Done++
	case StopMissed:
		c.Missed++
	default:
		c.Pending++
	}
}

// PlanView is a plan with its coverage, and on a single plan its stops.
type PlanView struct {
	models.PatrolPlan
	UnitCode      string     `json:"unit_code"`
	UnitName      string     `json:"unit_name"`
	InspectorName string     `json:"inspector_name"`
	Coverage      Coverage   `json:"coverage"`
	Stops         []StopView `json:"stops,omitempty"`
	Today         string     `json:"today"`
}

// StopView is one stop with its outlet and derived status.
type StopView struct {
	models.PatrolStop
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
	Status   string `json:"status"`
}

func planView(p models.PatrolPlan, stops []models.PatrolStop, today models.Date, withStops bool) PlanView {
	v := PlanView{PatrolPlan: p, Today: today.String()}
	if p.OrgUnit != nil {
		v.UnitCode, v.UnitName = p.OrgUnit.Code, p.OrgUnit.Name
	}
	if p.Inspector != nil {
		v.InspectorName = p.Inspector.DisplayName
	}
	if withStops {
		v.Stops = []StopView{}
	}
	for _, st := range stops {
		status := StopStatus(st.InspectionID != nil, st.DueOn, today)
		v.Coverage.add(status)
		if withStops {
			sv := StopView{PatrolStop: st, Status: status}
			if st.OrgUnit != nil {
				sv.UnitCode, sv.UnitName = st.OrgUnit.Code, st.OrgUnit.Name
			}
			v.Stops = append(v.Stops, sv)
		}
	}
	return v
}

// Get returns plan id of a unit in scope with its stops and coverage.
func (s *Service) Get(ctx context.Context, scope models.Scope, id uint) (*PlanView, error) {
	p, err := models.GetPatrolPlan(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	stops, err := models.PatrolStopsOf(ctx, s.DB, p.ID)
	if err != nil {
		return nil, err
	}
	v := planView(*p, stops, s.today(), true)
	return &v, nil
}

// ListInput filters plans: the unit's subtree, the inspector, periods overlapping
// [From, To].
type ListInput struct {
	UnitID      uint
	InspectorID uint
	From, To    models.Date
	Page        models.Page
}

// List returns one page of the plans of units in scope, each with its coverage.
func (s *Service) List(ctx context.Context, scope models.Scope, in ListInput) (models.List[PlanView], error) {
	out := models.List[PlanView]{Items: []PlanView{}}
	f := models.PatrolFilter{InspectorID: in.InspectorID, From: in.From, To: in.To, Page: in.Page}
	if in.UnitID != 0 {
		u, err := models.GetOrgUnit(ctx, s.DB, scope, in.UnitID)
		if err != nil {
			return out, err
		}
		f.UnderPath = u.Path
	}
	list, err := models.ListPatrolPlans(ctx, s.DB, scope, f)
	if err != nil {
		return out, err
	}
	ids := make([]uint, len(list.Items))
	for i, p := range list.Items {
		ids[i] = p.ID
	}
	stops, err := models.PatrolStopsOf(ctx, s.DB, ids...)
	if err != nil {
		return out, err
	}
	byPlan := map[uint][]models.PatrolStop{}
	for _, st := range stops {
		byPlan[st.PlanID] = append(byPlan[st.PlanID], st)
	}
	today := s.today()
	out.Total = list.Total
	for _, p := range list.Items {
		out.Items = append(out.Items, planView(p, byPlan[p.ID], today, false))
	}
	return out, nil
}

// CoverageInput asks for branch coverage: stops due in [From, To] at outlets under
// UnitID (the whole scope when 0).
type CoverageInput struct {
	UnitID   uint
	From, To models.Date
}

// BranchCoverage is the coverage of one branch (a county branch, or a city company for
// outlets directly under it).
type BranchCoverage struct {
	UnitID   uint   `json:"unit_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	Level    string `json:"level"`
	CityName string `json:"city_name"`
	Coverage
}

// CoverageReport is coverage per branch and in total.
type CoverageReport struct {
	From     models.Date      `json:"from"`
	To       models.Date      `json:"to"`
	Today    models.Date      `json:"today"`
	Branches []BranchCoverage `json:"branches"`
	Total    Coverage         `json:"total"`
}

// BranchCoverage counts the stops due in the period (a stop belongs to the period of
// its due date) by branch: every county branch in scope under the unit is listed, with
// zeros when nothing was planned there.
func (s *Service) BranchCoverage(ctx context.Context, scope models.Scope, in CoverageInput) (*CoverageReport, error) {
	ve := &models.ValidationError{}
	if in.To.Time().Before(in.From.Time()) {
		ve.Add("to", "ends_before_start")
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	under := ""
	if in.UnitID != 0 {
		u, err := models.GetOrgUnit(ctx, s.DB, scope, in.UnitID)
		if err != nil {
			return nil, err
		}
		under = u.Path
	}
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		byID[u.ID] = u
	}
	facts, err := models.PatrolStopFacts(ctx, s.DB, scope, under, in.From, in.To)
	if err != nil {
		return nil, err
	}
	rep := &CoverageReport{From: in.From, To: in.To, Today: s.today(), Branches: []BranchCoverage{}}
	rows := map[uint]*BranchCoverage{}
	row := func(u models.OrgUnit) *BranchCoverage {
		if r, ok := rows[u.ID]; ok {
			return r
		}
		r := &BranchCoverage{UnitID: u.ID, Code: u.Code, Name: u.Name, Level: u.Level}
		for _, id := range models.PathIDs(u.Path) {
			if a := byID[id]; a.Level == models.LevelCity {
				r.CityName = a.Name
			}
		}
		rows[u.ID] = r
		return r
	}
	for _, u := range units {
		if u.Level == models.LevelCounty && scope.Contains(u.Path) && strings.HasPrefix(u.Path, under) {
			row(u)
		}
	}
	for _, f := range facts {
		status := StopStatus(f.Done, f.DueOn, rep.Today)
		rep.Total.add(status)
		if b, ok := branchOf(f.OutletPath, byID); ok {
			row(b).add(status)
		}
	}
	for _, r := range rows {
		rep.Branches = append(rep.Branches, *r)
	}
	slices.SortFunc(rep.Branches, func(a, b BranchCoverage) int { return strings.Compare(a.Code, b.Code) })
	return rep, nil
}

// branchOf is the nearest county above (or at) the outlet with path, else its city.
func branchOf(path string, byID map[uint]models.OrgUnit) (models.OrgUnit, bool) {
	ids := models.PathIDs(path)
	var city *models.OrgUnit
	for i := len(ids) - 1; i >= 0; i-- {
		u, ok := byID[ids[i]]
		if !ok {
			continue
		}
		if u.Level == models.LevelCounty {
			return u, true
		}
		if u.Level == models.LevelCity && city == nil {
			city = &u
		}
	}
	if city != nil {
		return *city, true
	}
	return models.OrgUnit{}, false
}

// CoverageSheet names the sheet of the coverage workbook.
const CoverageSheet = "巡查覆盖率"

// coverageColumns are the coverage sheet's columns: the rate is a number in percent
// (25.00 under 完成率（%）), empty when nothing was planned.
var coverageColumns = []workbook.Column{{Title: "单位编码", Width: 12}, {Title: "单位", Width: 24}, {Title: "所属市公司", Width: 16},
	{Title: "计划", Kind: workbook.Int, Width: 8}, {Title: "已完成", Kind: workbook.Int, Width: 8}, {Title: "漏检", Kind: workbook.Int, Width: 8},
	{Title: "待完成", Kind: workbook.Int, Width: 8}, {Title: "完成率（%）", Kind: workbook.Hundredths, Width: 12}}

// CoverageColumns is the header of the coverage sheet.
var CoverageColumns = workbook.Titles(coverageColumns)

// WriteCoverageWorkbook writes BranchCoverage as an .xlsx workbook with a total row.
func (s *Service) WriteCoverageWorkbook(ctx context.Context, scope models.Scope, in CoverageInput, w io.Writer) error {
	rep, err := s.BranchCoverage(ctx, scope, in)
	if err != nil {
		return err
	}
	// No column holds an instant, so the writer's zone shows nothing.
	return workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(CoverageSheet, coverageColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		for _, r := range append(rep.Branches, BranchCoverage{Name: "合计", Coverage: rep.Total}) {
			var rate any
			if r.Planned > 0 {
				rate = models.PercentOf(int64(r.Done), int64(r.Planned))
			}
			if err := sh.Add(r.Code, r.Name, r.CityName, r.Planned, r.Done, r.Missed, r.Pending, rate); err != nil {
				return err
			}
		}
		return sh.Close()
	})
}

// MyStops counts the stops of the inspector's own plans in scope (the plans list, at
// most MaxPerPage plans) still pending and due within days from today, and those
// missed, by StopStatus.
func (s *Service) MyStops(ctx context.Context, scope models.Scope, inspectorID uint, days int) (due, missed int64, err error) {
	plans, err := s.List(ctx, scope, ListInput{InspectorID: inspectorID, Page: models.Page{PerPage: models.MaxPerPage}})
	if err != nil {
		return 0, 0, err
	}
	mine := map[uint]bool{}
	for _, p := range plans.Items {
		mine[p.ID] = true
		missed += int64(p.Coverage.Missed)
	}
	if len(mine) == 0 {
		return 0, missed, nil
	}
	today := s.today()
	facts, err := models.PatrolStopFacts(ctx, s.DB, scope, "", today, models.DateOf(today.Time().AddDate(0, 0, days-1)))
	if err != nil {
		return 0, 0, err
	}
	for _, f := range facts {
		if mine[f.PlanID] && StopStatus(f.Done, f.DueOn, today) == StopPending {
			due++
		}
	}
	return due, missed, nil
}
