package app

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/training"
)

// overduePerPage is the rows of the onboarding overdue page; it pages on beyond them.
const overduePerPage = 50

// onboardingOverduePage lists the new hires of the caller's scope past their onboarding
// due date (R8.2), as GET /api/v1/onboarding/overdue does, with a link to its .xlsx.
func (s *server) onboardingOverduePage(c *fiber.Ctx) error {
	q := newQuery(c)
	f, p := training.OverdueFilter{UnitID: q.uint("unit_id")}, q.page()
	if err := q.err(); err != nil {
		return err
	}
	p.PerPage = overduePerPage
	list, err := s.trainingService().Overdue(c.UserContext(), scopeOf(c), f, p)
	if err != nil {
		return err
	}
	_, units, err := s.unitsByID(c)
	if err != nil {
		return err
	}
	filters := url.Values{}
	if f.UnitID != 0 {
		filters.Set("unit_id", strconv.FormatUint(uint64(f.UnitID), 10))
	}
	page := p.Normalize()
	return s.render(c, fiber.StatusOK, "onboarding_overdue", "trainingweb.overdue", fiber.Map{
		"List": list, "UnitID": f.UnitID, "UnitChoices": unitFilterChoices(units), "Page": page.Page,
		"HasNext": int64(page.Page*page.PerPage) < list.Total, "Export": listURL("/api/v1/onboarding/overdue.xlsx", filters, 0),
		"Prev": listURL("/onboarding/overdue", filters, page.Page-1), "Next": listURL("/onboarding/overdue", filters, page.Page+1),
	})
}
