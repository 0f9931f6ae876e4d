package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/reports"
)

// explainRowCap bounds each list of rows the explanation page shows; the count of all
// of them stays beside it (the API and the workbook give every row).
const explainRowCap = 200

// factOrder is the order the page lists each dimension's facts and rates in; a fact
// the engine adds later is listed after them by name.
var factOrder = map[string][]string{
	reports.DimSite:          {"earned", "possible", "passed", "critical_failures", "pass_rate"},
	reports.DimRectification: {"due", "on_time"},
	reports.DimTraining:      {"staff", "acknowledged", "courses_done", "handbook_rate", "courses_rate"},
	reports.DimOnboarding:    {"hires", "passed"},
	reports.DimCertification: {"frontline", "certified"},
	reports.DimSatisfaction: {"score_sum", "complaints", "households", "installers", "subscribers_start", "subscribers_end",
		"households_norm", "complaints_per_1000", "retention", "households_per_installer"},
}

// explainData is one branch's explanation as its page shows it.
type explainData struct {
	Ex   *reports.Explanation
	Row  rankingRow
	Dims []explainDim
	// Deductions are the deduction facts in a fixed order.
	Deductions     []explainFact
	Inspections    capped[reports.ExplainInspection]
	Rectifications capped[reports.ExplainRectification]
	Staff          capped[reports.ExplainStaff]
	Metrics        capped[models.ServiceMetric]
	Outcomes       capped[reports.ExplainOutcome]
	RankURL        string
}

// explainDim is one dimension's numbers: score, weight, the facts and rates behind it,
// and for timeliness its seven rates.
type explainDim struct {
	Key, Score, WeightUsed string
	Weight                 int
	Count                  int64
	Facts                  []explainFact
	Rates                  []explainRate
}

// explainFact is one named number ("" value: nothing to divide by); Pct marks a share
// in per cent.
type explainFact struct {
	Key, Value string
	Pct        bool
}

// percentRates are the rates beside a score that are shares in per cent (the others
// are complaints per 1,000 households and households per installer).
var percentRates = []string{"pass_rate", "handbook_rate", "courses_rate", "retention"}

// explainRate is one timeliness rate: on time of total, and the share.
type explainRate struct {
	Key       string
	On, Total int64
	Rate      string
}

// capped is the first explainRowCap rows of a list with the length of the whole.
type capped[T any] struct {
	Rows  []T
	Total int
}

func capRows[T any](rows []T) capped[T] {
	return capped[T]{Rows: rows[:min(len(rows), explainRowCap)], Total: len(rows)}
}

// More reports whether rows were left out.
func (c capped[T]) More() bool { return c.Total > len(c.Rows) }

// rankingExplainPage shows the rows behind one branch's line, as the API's explanation
// gives them; a branch out of scope, or no branch, is the 404 page.
func (s *server) rankingExplainPage(c *fiber.Ctx) error {
	ex, err := s.explanation(c)
	if err != nil {
		return err
	}
	d := explainData{Ex: ex, Row: s.rankingRowOf(language(c), ex.Item, ex.Period),
		Inspections: capRows(ex.Inspections), Rectifications: capRows(ex.Rectifications), Staff: capRows(ex.Staff),
		Metrics: capRows(ex.Metrics), Outcomes: capRows(ex.Outcomes),
		RankURL: "/rankings?period=" + ex.Period + "&level=" + ex.Level}
	for _, k := range reports.DimensionKeys {
		if dim := ex.Item.Dimensions[k]; dim != nil {
			d.Dims = append(d.Dims, explainDimOf(k, dim))
		}
	}
	for _, k := range []string{"warnings", "no_awards", "circulated_criticism", "penalties", "critical_failures"} {
		d.Deductions = append(d.Deductions, explainFact{Key: k, Value: metricsCount(ex.Item.DeductionFacts[k])})
	}
	return s.render(c, fiber.StatusOK, "ranking_explain", "rankingweb.explain_title", d)
}

// explainDimOf lists dim's facts and rates in factOrder (timeliness: its seven rates).
func explainDimOf(key string, dim *reports.Dimension) explainDim {
	out := explainDim{Key: key, Weight: dim.Weight, Count: dim.Count}
	if dim.Score != nil {
		out.Score = dim.Score.String()
	}
	if dim.WeightUsed != nil {
		out.WeightUsed = dim.WeightUsed.String()
	}
	if key == reports.DimTimeliness {
		for _, r := range reports.TimelinessRates {
			rate := explainRate{Key: r, On: dim.Facts[r], Total: dim.Facts[r+"_total"]}
			if p := dim.Rates[r]; p != nil {
				rate.Rate = p.String()
			}
			out.Rates = append(out.Rates, rate)
		}
		return out
	}
	order := factOrder[key]
	var rest []string
	for k := range dim.Facts {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	for k := range dim.Rates {
		if !slices.Contains(order, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	for _, k := range append(slices.Clone(order), rest...) {
		if v, ok := dim.Facts[k]; ok {
			out.Facts = append(out.Facts, explainFact{Key: k, Value: metricsCount(v)})
		} else if r, ok := dim.Rates[k]; ok {
			f := explainFact{Key: k, Pct: slices.Contains(percentRates, k)}
			if r != nil {
				f.Value = r.String()
			}
			out.Facts = append(out.Facts, f)
		}
	}
	return out
}
