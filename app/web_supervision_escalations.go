package app

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/rectifications"
)

// escalationsPage lists the reminders and escalations told to units in the caller's
// scope, newest first, as GET /api/v1/escalations does, with its level and period
// filters.
func (s *server) escalationsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := escalationFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = supervisionPerPage
	list, err := s.rectService().ListEscalations(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	filters := escalationQuery(f)
	page := f.Page.Normalize()
	return s.render(c, fiber.StatusOK, "escalations", "supervisionweb.escalations", fiber.Map{
		"List": list, "Filter": f, "Levels": rectifications.EscalationLevels, "From": dateText(f.From), "To": dateText(f.To),
		"Page": page.Page, "HasNext": int64(page.Page*page.PerPage) < list.Total,
		"Prev": listURL("/escalations", filters, page.Page-1), "Next": listURL("/escalations", filters, page.Page+1),
	})
}

// escalationQuery is the query of the escalations page for f (its page left out).
func escalationQuery(f rectifications.EscalationFilter) url.Values {
	v := url.Values{}
	if f.Level != "" {
		v.Set("level", f.Level)
	}
	if f.UnitID != 0 {
		v.Set("unit_id", strconv.FormatUint(uint64(f.UnitID), 10))
	}
	if !f.From.IsZero() {
		v.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		v.Set("to", f.To.String())
	}
	return v
}
