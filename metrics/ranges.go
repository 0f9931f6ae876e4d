package metrics

import (
	"context"
	"slices"
	"strings"

	"quality/models"
)

// RangeInput selects county branches and months for a coverage grid or an export:
// the branches under UnitID (0: the whole scope) and the months From..To (YYYY-MM,
// both included). With neither month given it is the 12 months up to the current
// one; with one, the other is the current month (To) or 11 months before To (From).
type RangeInput struct {
	UnitID   uint
	From, To string
}

// span is a checked range: the filter (subtree and months) and every month in it.
type span struct {
	filter models.MetricFilter
	months []string
}

// resolve fills the range's defaults and checks it: months well formed, to not
// before from, at most maxMonths months, the unit in scope (else ErrNotFound).
func (s *Service) resolve(ctx context.Context, scope models.Scope, in RangeInput) (span, error) {
	current := monthOf(s.Now())
	from, to := in.From, in.To
	switch {
	case from == "" && to == "":
		to = current
		from = addMonths(to, -11)
	case to == "":
		to = current
	case from == "":
		if _, err := ParseMonth(to); err == nil {
			from = addMonths(to, -11)
		}
	}
	f, err := s.filter(ctx, scope, in.UnitID, from, to)
	if err != nil {
		return span{}, err
	}
	months := monthsBetween(from, to)
	if len(months) > maxMonths {
		ve := &models.ValidationError{}
		ve.Add("from", "metric_range_too_long", "max", maxMonths)
		return span{}, ve
	}
	return span{filter: f, months: months}, nil
}

// counties lists the county branches of scope under path ("" for all), in code
// order, with the name of each one's city company (ancestors are read province-wide,
// for names only).
func (s *Service) counties(ctx context.Context, scope models.Scope, path string) ([]BranchMonths, error) {
	units, err := models.OrgUnitsInScope(ctx, s.DB, models.ScopeAll)
	if err != nil {
		return nil, err
	}
	cities := map[uint]string{}
	for _, u := range units {
		if u.Level == models.LevelCity {
			cities[u.ID] = u.Name
		}
	}
	out := []BranchMonths{}
	for _, u := range units {
		if u.Level != models.LevelCounty || !scope.Contains(u.Path) || !strings.HasPrefix(u.Path, path) {
			continue
		}
		b := BranchMonths{UnitID: u.ID, Code: u.Code, Name: u.Name}
		for _, id := range models.PathIDs(u.Path) {
			if name, ok := cities[id]; ok {
				b.CityName = name
			}
		}
		out = append(out, b)
	}
	slices.SortFunc(out, func(a, b BranchMonths) int { return strings.Compare(a.Code, b.Code) })
	return out, nil
}

// BranchMonths is one county branch's row of the coverage grid.
type BranchMonths struct {
	UnitID   uint   `json:"unit_id"`
	Code     string `json:"code"`
	Name     string `json:"name"`
	CityName string `json:"city_name"`
	// Loaded tells, month by month as Coverage.Months lists them, whether the branch
	// has a row; Missing lists the months it has none for.
	Loaded      []bool   `json:"loaded"`
	Missing     []string `json:"missing"`
	LoadedCount int      `json:"loaded_count"`
}

// Coverage is which months are loaded for each county branch of a range: the grid the
// provincial office checks before ranking, missing months visible.
type Coverage struct {
	From   string   `json:"from"`
	To     string   `json:"to"`
	Months []string `json:"months"`
	// Current is the current month in the company's zone (its figures may still come).
	Current  string         `json:"current"`
	Branches []BranchMonths `json:"branches"`
	// LoadedPerMonth counts the branches with a row, month by month.
	LoadedPerMonth []int `json:"loaded_per_month"`
	Loaded         int   `json:"loaded"`
	Missing        int   `json:"missing"`
}

// Coverage lists the county branches of the range in code order with the months each
// has a row for and those it lacks.
func (s *Service) Coverage(ctx context.Context, scope models.Scope, in RangeInput) (*Coverage, error) {
	sp, err := s.resolve(ctx, scope, in)
	if err != nil {
		return nil, err
	}
	branches, err := s.counties(ctx, scope, sp.filter.UnderPath)
	if err != nil {
		return nil, err
	}
	have, err := models.ServiceMetricMonths(ctx, s.DB, scope, sp.filter)
	if err != nil {
		return nil, err
	}
	type key struct {
		unit  uint
		month string
	}
	loaded := make(map[key]bool, len(have))
	for _, h := range have {
		loaded[key{h.OrgUnitID, h.Month}] = true
	}
	c := &Coverage{From: sp.months[0], To: sp.months[len(sp.months)-1], Months: sp.months, Current: monthOf(s.Now()),
		Branches: branches, LoadedPerMonth: make([]int, len(sp.months))}
	for i := range c.Branches {
		b := &c.Branches[i]
		b.Loaded, b.Missing = make([]bool, len(sp.months)), []string{}
		for j, m := range sp.months {
			if loaded[key{b.UnitID, m}] {
				b.Loaded[j] = true
				b.LoadedCount++
				c.LoadedPerMonth[j]++
				c.Loaded++
			} else {
				b.Missing = append(b.Missing, m)
				c.Missing++
			}
		}
	}
	return c, nil
}
