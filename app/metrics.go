package app

import (
	"bytes"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/metrics"
	"quality/models"
)

// metricService is the service metrics service on the wall clock in the configured zone.
func (s *server) metricService() *metrics.Service { return s.metrics }

// metricCaller writes with the scope the route's role gives (an admin's subtrees).
func metricCaller(c *fiber.Ctx) metrics.Caller {
	return metrics.Caller{Actor: actorOf(c), Scope: scopeOf(c)}
}

// month reads a YYYY-MM query parameter; "" when absent.
func (q *query) month(name string) string {
	v := q.c.Query(name)
	if v == "" {
		return ""
	}
	if _, err := metrics.ParseMonth(v); err != nil {
		q.bad(name, "invalid_month")
		return ""
	}
	return strings.Clone(v)
}

// metricKey reads the :unit_id and :month of a branch-month; malformed is a 400.
func metricKey(c *fiber.Ctx) (uint, string, error) {
	unit, err := pathUint(c, "unit_id")
	if err != nil {
		return 0, "", err
	}
	month := c.Params("month")
	if _, err := metrics.ParseMonth(month); err != nil {
		return 0, "", &badQueryError{fields: []models.FieldError{{Field: "month", Code: "invalid_month"}}}
	}
	return unit, strings.Clone(month), nil
}

// metricRangeOf reads unit_id, from and to.
func metricRangeOf(c *fiber.Ctx) (metrics.RangeInput, error) {
	q := newQuery(c)
	in := metrics.RangeInput{UnitID: q.uint("unit_id"), From: q.month("from"), To: q.month("to")}
	return in, q.err()
}

func (s *server) listServiceMetrics(c *fiber.Ctx) error {
	q := newQuery(c)
	in := metrics.ListInput{UnitID: q.uint("unit_id"), From: q.month("from"), To: q.month("to"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.metricService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getServiceMetric(c *fiber.Ctx) error {
	unit, month, err := metricKey(c)
	if err != nil {
		return err
	}
	v, err := s.metricService().Get(c.UserContext(), scopeOf(c), unit, month)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) putServiceMetric(c *fiber.Ctx) error {
	unit, month, err := metricKey(c)
	if err != nil {
		return err
	}
	var in metrics.Input
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.metricService().Replace(c.UserContext(), metricCaller(c), unit, month, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) metricTemplate(c *fiber.Ctx) error {
	q := newQuery(c)
	month := q.month("month")
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.metricService().WriteTemplate(c.UserContext(), scopeOf(c), month, &buf); err != nil {
		return err
	}
	return sendFile(c, "服务指标导入模板.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) importServiceMetrics(c *fiber.Ctx) error {
	q := newQuery(c)
	dryRun := q.bool("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.metricImportUpload(c, dryRun)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// metricImportUpload runs the service metrics import on the uploaded `file` field.
func (s *server) metricImportUpload(c *fiber.Ctx, dryRun bool) (*metrics.ImportReport, error) {
	f, err := openUpload(c, "file", metrics.MaxImportBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.metricService().Import(c.UserContext(), metricCaller(c), f, dryRun)
}

func (s *server) exportServiceMetrics(c *fiber.Ctx) error {
	in, err := metricRangeOf(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.metricService().Export(c.UserContext(), scopeOf(c), in, &buf); err != nil {
		return err
	}
	return sendFile(c, "服务指标.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) serviceMetricCoverage(c *fiber.Ctx) error {
	in, err := metricRangeOf(c)
	if err != nil {
		return err
	}
	cov, err := s.metricService().Coverage(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(cov)
}
