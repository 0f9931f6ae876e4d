package app

import (
	"errors"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/metrics"
	"quality/models"
	"quality/reports"
)

// rankingsPageData is the ranking page: the pickers as typed with their messages, and
// unless a picker was refused the ranking, its rows as shown and its chart.
type rankingsPageData struct {
	Period, Level string
	// City shows only the county branches of one city company (by its name, as the
	// rows carry it; their ranks stay the province's); Cities are the choices, in code
	// order.
	City    string
	Cities  []string
	Periods []periodChoice
	Levels  []string
	// Errors are the pickers' messages by field (period, level); Summary all of them.
	Errors  map[string]string
	Ranking *reports.Ranking
	Ranked  []rankingRow
	// Unranked are the branches listed as 不参与排名, at the bottom without a rank.
	Unranked []rankingRow
	// Mine are the caller's own branches of a ranking that holds others too (a branch
	// manager's), shown above the table with a link to their line in it.
	Mine  []rankingRow
	Dims  []string
	Chart *barChart
}

// periodChoice is one suggestion of the period picker.
type periodChoice struct{ Value, Label string }

// rankingRow is one branch's line as the page shows it: each number as the JSON
// API writes it.
type rankingRow struct {
	Item        reports.Item
	Rank        string
	Change      string
	ChangeClass string
	Composite   string
	Cells       []rankingCell
	Flags       []string
	Link        string
	Mine        bool
}

// rankingCell is one dimension's score ("" is 无数据) and the rows it rests on.
type rankingCell struct {
	Key   string
	Score string
	Count int64
}

// recentPeriods are the periods the picker suggests at now: this and the five months
// before, this and the four quarters before, this and the two halves before, this and
// the two years before.
func recentPeriods(now time.Time, loc *time.Location) []periodChoice {
	l := now.In(loc)
	var out []periodChoice
	add := func(p reports.Period, n int) {
		for range n {
			out = append(out, periodChoice{Value: p.String(), Label: p.Label()})
			p = p.Previous()
		}
	}
	m := int(l.Month())
	add(reports.Period{Kind: reports.Quarter, Year: l.Year(), N: (m-1)/3 + 1}, 5)
	add(reports.Period{Kind: reports.Month, Year: l.Year(), N: m}, 6)
	add(reports.Period{Kind: reports.Half, Year: l.Year(), N: (m-1)/6 + 1}, 3)
	add(reports.Period{Kind: reports.Year, Year: l.Year()}, 3)
	return out
}

// rankingsPage shows the ranking the API gives for the pickers; a refused picker is
// shown beside the field on the page itself (400), not as the API's problem.
func (s *server) rankingsPage(c *fiber.Ctx) error {
	d := rankingsPageData{Period: strings.Clone(c.Query("period")), Level: strings.Clone(c.Query("level")), City: strings.Clone(c.Query("city"))}
	p, level, err := s.rankingQuery(c)
	var qe *badQueryError
	if errors.As(err, &qe) {
		d.Errors = s.pickerErrors(language(c), qe.fields)
		return s.renderRankings(c, fiber.StatusBadRequest, d)
	}
	if err != nil {
		return err
	}
	r, err := s.rankingService().Ranking(c.UserContext(), p, level)
	if err != nil {
		return err
	}
	d.Period, d.Level, d.Ranking = p.String(), level, r
	// The ranking is circulated to every reader (R10); the explanation behind a row
	// follows scope, so only the caller's own branches link to it.
	units, err := models.OrgUnitsInScope(c.UserContext(), s.db, scopeOf(c))
	if err != nil {
		return err
	}
	inScope := make(map[uint]bool, len(units))
	for _, u := range units {
		inScope[u.ID] = true
	}
	all := !slices.ContainsFunc(r.Items, func(it reports.Item) bool { return !inScope[it.UnitID] })
	d.Cities = citiesOf(r.Items)
	if level != reports.LevelCounty || !slices.Contains(d.Cities, d.City) {
		d.City = ""
	}
	lang := language(c)
	for _, it := range r.Items {
		row := s.rankingRowOf(lang, it, r.Period)
		if !inScope[it.UnitID] {
			row.Link = ""
		} else if !all {
			row.Mine = true
			d.Mine = append(d.Mine, row)
		}
		if d.City != "" && it.CityName != d.City {
			continue
		}
		if it.Rank == nil {
			d.Unranked = append(d.Unranked, row)
		} else {
			d.Ranked = append(d.Ranked, row)
		}
	}
	d.Chart = chartOf(d.Ranked)
	return s.renderRankings(c, fiber.StatusOK, d)
}

// citiesOf are the city companies of county lines, in the order of their first
// county's code (a county's code begins with its city's).
func citiesOf(items []reports.Item) []string {
	first := map[string]string{}
	for _, it := range items {
		if f, ok := first[it.CityName]; it.CityName != "" && (!ok || it.UnitCode < f) {
			first[it.CityName] = it.UnitCode
		}
	}
	out := slices.Collect(maps.Keys(first))
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(first[a], first[b]) })
	return out
}

// pickerErrors are the messages of refused pickers or form fields, by field.
func (s *server) pickerErrors(lang string, fields []models.FieldError) map[string]string {
	out := map[string]string{}
	for _, f := range fields {
		if _, seen := out[f.Field]; !seen {
			out[f.Field] = s.msgs.T(lang, "field."+f.Code, f.Params)
		}
	}
	return out
}

func (s *server) renderRankings(c *fiber.Ctx, status int, d rankingsPageData) error {
	d.Periods = recentPeriods(time.Now(), s.cfg.Location)
	d.Levels = []string{reports.LevelCounty, reports.LevelCity}
	d.Dims = reports.DimensionKeys
	if d.Level == "" {
		d.Level = reports.LevelCounty
	}
	return s.render(c, status, "rankings", "rankingweb.title", d)
}

// rankingRowOf is it as the table shows it in lang.
func (s *server) rankingRowOf(lang string, it reports.Item, period string) rankingRow {
	row := rankingRow{Item: it, Change: it.ChangeLabel, Rank: "—", Composite: "—",
		Link: fmt.Sprintf("/rankings/%d?%s", it.UnitID, url.Values{"period": {period}}.Encode())}
	if it.Rank != nil {
		row.Rank = fmt.Sprint(*it.Rank)
	}
	if it.Composite != nil {
		row.Composite = it.Composite.String()
	}
	switch {
	case it.Rank == nil:
	case it.Change == nil:
		row.ChangeClass = "new"
	case *it.Change > 0:
		row.ChangeClass = "up"
	case *it.Change < 0:
		row.ChangeClass = "down"
	default:
		row.ChangeClass = "same"
	}
	for _, k := range reports.DimensionKeys {
		cell := rankingCell{Key: k}
		if dim := it.Dimensions[k]; dim != nil {
			cell.Count = dim.Count
			if dim.Score != nil {
				cell.Score = dim.Score.String()
			}
		}
		row.Cells = append(row.Cells, cell)
	}
	for _, f := range it.Flags {
		row.Flags = append(row.Flags, s.msgs.T(lang, "rankingweb.flag."+f, nil))
	}
	return row
}

// rankingChartMax is how many ranked branches the ranking's chart draws.
const rankingChartMax = 12

// chartOf draws the composites of the first rankingChartMax ranked rows; nil when none.
func chartOf(rows []rankingRow) *barChart {
	var data []chartDatum
	for _, r := range rows {
		if len(data) == rankingChartMax {
			break
		}
		if r.Item.Composite == nil {
			continue
		}
		data = append(data, chartDatum{Label: r.Rank + ". " + r.Item.UnitName, Value: r.Composite, Frac: float64(*r.Item.Composite) / 10000})
	}
	if len(data) == 0 {
		return nil
	}
	c := drawBars(rankingGeometry, data)
	c.Total = len(rows)
	return c
}

// rankingExportForm starts the workbook job through the service the API uses and
// goes to its progress page; a refused period or level is shown on the ranking page.
func (s *server) rankingExportForm(c *fiber.Ctx) error {
	in := reports.ExportInput{Period: strings.Clone(c.FormValue("period")), Level: strings.Clone(c.FormValue("level"))}
	j, err := s.requestExport(c, in)
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		return s.renderRankings(c, fiber.StatusUnprocessableEntity, rankingsPageData{Period: in.Period, Level: in.Level,
			Errors: s.pickerErrors(language(c), ve.Fields)})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/rankings/exports/%d", j.ID), fiber.StatusSeeOther)
}

// rankingExportData is a workbook job as its progress page shows it.
type rankingExportData struct {
	Job exportView
	// Refresh: the job is queued or running, so the page reloads itself.
	Refresh  bool
	RankURL  string
	Expired  bool
	Failed   bool
	Finished bool
}

// rankingExportPage shows the caller's own job; another's is 404, as in the API.
func (s *server) rankingExportPage(c *fiber.Ctx) error {
	j, err := s.callerExport(c)
	if err != nil {
		return err
	}
	v := viewOfExport(j)
	d := rankingExportData{Job: v, Refresh: j.Status == models.ExportQueued || j.Status == models.ExportRunning,
		RankURL: "/rankings?" + url.Values{"period": {j.Period}, "level": {j.Level}}.Encode(),
		Expired: j.Status == models.ExportExpired, Failed: j.Status == models.ExportFailed, Finished: j.Status == models.ExportDone}
	return s.render(c, fiber.StatusOK, "ranking_export", "rankingweb.export_title", d)
}

// metricsCount writes a count with thousands separators.
func metricsCount(n int64) string { return metrics.Count(n).String() }

// Day is the calendar day of t in the display zone.
func (v view) Day(t time.Time) string { return t.In(v.location).Format(time.DateOnly) }

// LastDay is the last day of a period ending (exclusive) at t.
func (v view) LastDay(t time.Time) string {
	return t.In(v.location).AddDate(0, 0, -1).Format(time.DateOnly)
}
