package app

import (
	"context"
	"fmt"
	"net/url"

	"quality/accounts"
	"quality/metrics"
	"quality/models"
	"quality/reports"
)

// The home page's dashboard (issue 9 §3): the provincial office (an admin or inspector
// over the whole province) sees the province and each city company, a city company's
// admin or inspector the city and each of its branches, a branch manager their branch
// against its city's average, over the last twelve months of four
// measures (reports.MeasureKeys). Each measure is a chart drawn here as SVG (this
// month's bar and the months' line) with a table of the same numbers, each number
// linked to the list of the records it counts where the caller may open one.

// dashboardMaxBranches bounds the branches a manager with several grants sees.
const dashboardMaxBranches = 4

// dashboardSections are where a measure's records are listed on a ranking
// explanation page (/rankings/:unit_id, the rows behind the ranking's numbers).
var dashboardSections = map[string]string{
	reports.MeasureInspections:    "inspections",
	reports.MeasureRectifications: "rectifications",
	reports.MeasureCertification:  "staff",
}

// dashboardView is the dashboard as the home page draws it.
type dashboardView struct {
	// Title names what the rows are: the province and its cities, a city and its
	// branches, or branches against their city's average.
	Title  string
	Months []string
	// Current is the month under way, counted up to Now.
	Current string
	Now     string
	Figures []dashboardFigure
}

// dashboardFigure is one measure: its chart and its table.
type dashboardFigure struct {
	Key   string
	Chart *barChart
	Rows  []dashboardRow
}

// dashboardRow is one unit's line of a figure's table.
type dashboardRow struct {
	Name  string
	Cells []dashboardCell
}

// dashboardCell is one month's figure: the value, what it is made of (2/3), and
// the list behind it.
type dashboardCell struct {
	Text, Detail, Link string
}

// homeDashboard is the caller's dashboard, or nil when they have none (employees and
// trainers). An admin or inspector sees the unit they oversee and the units under it
// (the provincial office: the province and its cities); a manager, their branches
// against their city's average.
func (s *server) homeDashboard(ctx context.Context, u *models.User, lang string) (*dashboardView, error) {
	rs := s.rankingService()
	var d *reports.Dashboard
	var err error
	var title string
	overseen, oversees := overseenUnit(u)
	switch branches := managedUnits(u); {
	case accounts.ScopeOf(u, models.RoleAdmin, models.RoleInspector).All:
		d, err = rs.ProvinceDashboard(ctx)
		title = s.msgs.T(lang, "dashboard.province", nil)
	case oversees:
		d, err = rs.UnitDashboard(ctx, overseen.OrgUnitID)
		if err == nil {
			title = s.msgs.T(lang, "dashboard.subtree", map[string]any{"unit": d.Rows[0].Unit.Name})
		}
	case len(branches) > 0:
		d, err = rs.BranchDashboard(ctx, branches)
		title = s.msgs.T(lang, "dashboard.branch", nil)
	default:
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	v := s.dashboardViewOf(u, lang, d)
	v.Title = title
	return v, nil
}

// overseenUnit is the broadest of the caller's admin and inspector grants.
func overseenUnit(u *models.User) (models.Grant, bool) {
	var best models.Grant
	found := false
	for _, g := range u.Grants {
		if (g.Role == models.RoleAdmin || g.Role == models.RoleInspector) && g.UnitPath != "" &&
			(!found || len(g.UnitPath) < len(best.UnitPath)) {
			best, found = g, true
		}
	}
	return best, found
}

// managedUnits are the units of the caller's manager grants, at most
// dashboardMaxBranches.
func managedUnits(u *models.User) []uint {
	var out []uint
	for _, g := range u.Grants {
		if g.Role == models.RoleManager && len(out) < dashboardMaxBranches {
			out = append(out, g.OrgUnitID)
		}
	}
	return out
}

// dashboardViewOf writes the numbers of d in lang and draws the charts.
func (s *server) dashboardViewOf(u *models.User, lang string, d *reports.Dashboard) *dashboardView {
	v := &dashboardView{Months: d.Months, Current: d.Months[len(d.Months)-1],
		Now: d.Now.In(s.cfg.Location).Format("2006-01-02 15:04")}
	ranked := accounts.ScopeOf(u, rankingReaders...)
	staff := accounts.ScopeOf(u, staffRoles...)
	for _, m := range d.Measures {
		f := dashboardFigure{Key: m.Key}
		scale := dashboardScale(m)
		var data []chartDatum
		for i, r := range d.Rows {
			name := r.Unit.Name
			if r.Average {
				name = s.msgs.T(lang, "dashboard.average_of", map[string]any{"unit": r.Unit.Name})
			}
			row := dashboardRow{Name: name}
			datum := chartDatum{Label: name, Muted: r.Average}
			if r.Unit.Level == models.LevelProvince && !r.Average {
				// The company's full name does not fit the chart's label column.
				datum.Label = s.msgs.T(lang, "dashboard.whole_province", nil)
			}
			for j, c := range m.Cells[i] {
				cell := dashboardCell{Text: s.dashboardValue(lang, m, r, c)}
				if m.Rate && c.Has {
					cell.Detail = metrics.Count(c.Num).String() + "/" + metrics.Count(c.Den).String()
				}
				cell.Link = dashboardLink(m.Key, r, d.Months[j], j == len(d.Months)-1, ranked, staff)
				row.Cells = append(row.Cells, cell)
				frac := -1.0
				if c.Has {
					frac = float64(c.Value) / scale
				}
				datum.Trend = append(datum.Trend, frac)
			}
			last := m.Cells[i][len(d.Months)-1]
			datum.Value = row.Cells[len(row.Cells)-1].Text
			if last.Has {
				datum.Frac = float64(last.Value) / scale
			}
			f.Rows = append(f.Rows, row)
			data = append(data, datum)
		}
		f.Chart = drawBars(dashboardGeometry, data)
		v.Figures = append(v.Figures, f)
	}
	return v
}

// dashboardScale is the value a full bar stands for: 100 % for a rate, the largest
// count of the measure (at least 1) for a count.
func dashboardScale(m reports.Measure) float64 {
	if m.Rate {
		return 10000
	}
	top := int64(100)
	for _, row := range m.Cells {
		for _, c := range row {
			top = max(top, c.Value)
		}
	}
	return float64(top)
}

// dashboardValue writes a cell: a percentage with two decimals (66.67%), a count
// with thousands separators, an average count with two decimals, or 无数据.
func (s *server) dashboardValue(lang string, m reports.Measure, r reports.DashboardRow, c reports.Cell) string {
	switch {
	case !c.Has:
		return s.msgs.T(lang, "dashboard.no_data", nil)
	case m.Rate:
		return models.Percent(c.Value).String() + "%"
	case r.Average:
		return models.Percent(c.Value).String()
	}
	return metrics.Count(c.Num).String()
}

// dashboardLink is the list a cell counts, "" when there is none the caller may open:
// for the three ranking measures, the ranking explanation of the month for a city
// company or county branch in the caller's ranking scope (the rows the measure counts);
// for overdue new hires, the overdue list of the unit, for the month under way only.
// An average has no list of its own.
func dashboardLink(key string, r reports.DashboardRow, month string, current bool, ranked, staff models.Scope) string {
	if r.Average {
		return ""
	}
	if key == reports.MeasureOverdueHires {
		if !current || !staff.Contains(r.Unit.Path) {
			return ""
		}
		if r.Unit.Level == models.LevelProvince {
			return "/onboarding/overdue"
		}
		return fmt.Sprintf("/onboarding/overdue?unit_id=%d", r.Unit.ID)
	}
	if (r.Unit.Level != models.LevelCity && r.Unit.Level != models.LevelCounty) || !ranked.Contains(r.Unit.Path) {
		return ""
	}
	return fmt.Sprintf("/rankings/%d?%s#%s", r.Unit.ID, url.Values{"period": {month}}.Encode(), dashboardSections[key])
}
