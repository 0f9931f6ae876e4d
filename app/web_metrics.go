package app

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/metrics"
	"quality/models"
	"quality/workbook"
)

// metricsPageData is the service metrics page: the coverage grid of the filter, the
// choices of the filter, and the outcome of an import (its counts, or every row that
// refused it).
type metricsPageData struct {
	Coverage *metrics.Coverage
	// Years head the grid's month columns, MonthLabels name them ("05").
	Years       []yearSpan
	MonthLabels []string
	Units       []models.OrgUnit
	UnitID      uint
	ExportURL   string
	CanImport   bool
	Summary     string
	Rows        []importRow
	Error       string
}

// yearSpan is one year over the grid's month columns.
type yearSpan struct {
	Year string
	Span int
}

func (s *server) metricsPage(c *fiber.Ctx) error {
	in, err := metricRangeOf(c)
	if err != nil {
		return err
	}
	return s.renderMetrics(c, fiber.StatusOK, in, metricsPageData{})
}

// renderMetrics shows the coverage of in with d's import outcome.
func (s *server) renderMetrics(c *fiber.Ctx, status int, in metrics.RangeInput, d metricsPageData) error {
	ctx, scope := c.UserContext(), s.readerScope(c)
	cov, err := s.metricService().Coverage(ctx, scope, in)
	if err != nil {
		return err
	}
	units, err := models.OrgUnitsInScope(ctx, s.db, scope)
	if err != nil {
		return err
	}
	for _, u := range units {
		if u.Level == models.LevelProvince || u.Level == models.LevelCity {
			d.Units = append(d.Units, u)
		}
	}
	slices.SortFunc(d.Units, func(a, b models.OrgUnit) int { return strings.Compare(a.Code, b.Code) })
	d.Coverage, d.UnitID = cov, in.UnitID
	for _, m := range cov.Months {
		year, mon := m[:4], m[5:]
		if n := len(d.Years); n > 0 && d.Years[n-1].Year == year {
			d.Years[n-1].Span++
		} else {
			d.Years = append(d.Years, yearSpan{Year: year, Span: 1})
		}
		d.MonthLabels = append(d.MonthLabels, mon)
	}
	v := url.Values{"from": {cov.From}, "to": {cov.To}}
	if in.UnitID != 0 {
		v.Set("unit_id", strconv.FormatUint(uint64(in.UnitID), 10))
	}
	d.ExportURL = "/api/v1/service-metrics/export?" + v.Encode()
	d.CanImport = accounts.HasRole(currentUser(c), metricWriters...)
	return s.render(c, status, "metrics", "metrics.title", d)
}

// readerScope is the scope the caller reads metrics in: on the import form's route
// the guard set the writers' scope, and the page still shows all the caller reads.
func (s *server) readerScope(c *fiber.Ctx) models.Scope {
	return accounts.ScopeOf(currentUser(c), metricReaders...)
}

// metricsImportForm imports a workbook through the same service as the API and shows
// the outcome on the page in its language: the counts, or row, column, value and
// reason of every refused row.
func (s *server) metricsImportForm(c *fiber.Ctx) error {
	lang := language(c)
	rep, err := s.metricImportUpload(c, c.FormValue("dry_run") != "")
	var ie *workbook.ImportError
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ie):
		var p Problem
		s.importProblem(lang, &p, ie)
		rows := make([]importRow, len(p.Rows))
		for i, r := range p.Rows {
			rows[i] = importRow{Row: r.Row, Field: s.msgs.T(lang, "column."+r.Field, nil), Value: r.Value, Message: r.Message}
		}
		return s.renderMetrics(c, fiber.StatusUnprocessableEntity, metrics.RangeInput{}, metricsPageData{Rows: rows})
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		f := ve.Fields[0]
		return s.renderMetrics(c, fiber.StatusUnprocessableEntity, metrics.RangeInput{}, metricsPageData{
			Error: s.fieldMessage(lang, s.msgs.T(lang, "metrics.file", nil), f.Code, f.Params)})
	case errors.Is(err, workbook.ErrBad):
		return s.renderMetrics(c, fiber.StatusUnprocessableEntity, metrics.RangeInput{}, metricsPageData{Error: s.msgs.T(lang, "field.invalid_workbook", nil)})
	case err != nil:
		return err
	}
	key := "metrics.import_ok"
	if rep.DryRun {
		key = "metrics.dry_run_ok"
	}
	return s.renderMetrics(c, fiber.StatusOK, metrics.RangeInput{}, metricsPageData{Summary: s.msgs.T(lang, key, map[string]any{
		"rows": metrics.Count(rep.Rows), "created": metrics.Count(rep.Created), "updated": metrics.Count(rep.Updated), "unchanged": metrics.Count(rep.Unchanged)})})
}
