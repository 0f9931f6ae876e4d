package app

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/patrols"
)

// patrolService is the patrol service on the wall clock in the configured zone.
func (s *server) patrolService() *patrols.Service { return s.patrols }

// patrolCaller: an admin plans for any inspector, an inspector for themself.
func patrolCaller(c *fiber.Ctx) patrols.Caller {
	return patrols.Caller{Actor: actorOf(c), Scope: scopeOf(c), Admin: accounts.ScopeOf(currentUser(c), models.RoleAdmin)}
}

// dateParam reads a YYYY-MM-DD query parameter.
func (q *query) dateParam(name string, required bool) models.Date {
	v := q.c.Query(name)
	if v == "" {
		if required {
			q.bad(name, "required")
		}
		return models.Date{}
	}
	d, err := models.ParseDate(v)
	if err != nil {
		q.bad(name, "invalid_date")
	}
	return d
}

func (s *server) listPatrolPlans(c *fiber.Ctx) error {
	q := newQuery(c)
	in := patrols.ListInput{UnitID: q.uint("unit_id"), InspectorID: q.uint("inspector_id"), From: q.dateParam("from", false), To: q.dateParam("to", false), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.patrolService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) createPatrolPlan(c *fiber.Ctx) error {
	var in patrols.PlanInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.patrolService().Create(c.UserContext(), patrolCaller(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *server) getPatrolPlan(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.patrolService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) addPatrolStops(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in patrols.StopsInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.patrolService().AddStops(c.UserContext(), patrolCaller(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) removePatrolStop(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	stop, err := pathUint(c, "stop_id")
	if err != nil {
		return err
	}
	v, err := s.patrolService().RemoveStop(c.UserContext(), patrolCaller(c), id, stop)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// coverageInput reads unit_id and the required from/to dates.
func coverageInput(c *fiber.Ctx) (patrols.CoverageInput, error) {
	q := newQuery(c)
	in := patrols.CoverageInput{UnitID: q.uint("unit_id"), From: q.dateParam("from", true), To: q.dateParam("to", true)}
	return in, q.err()
}

func (s *server) patrolCoverage(c *fiber.Ctx) error {
	in, err := coverageInput(c)
	if err != nil {
		return err
	}
	rep, err := s.patrolService().BranchCoverage(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func (s *server) downloadPatrolCoverage(c *fiber.Ctx) error {
	in, err := coverageInput(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.patrolService().WriteCoverageWorkbook(c.UserContext(), scopeOf(c), in, &buf); err != nil {
		return err
	}
	return sendFile(c, "巡查覆盖-"+in.From.String()+"-"+in.To.String()+".xlsx", mimeXLSX, buf.Bytes())
}
