package app

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/models"
)

// caseService is the case service, on the wall clock in the configured zone, so
// "today" of the statement window is the local date.
func (s *server) caseService() *accountability.Service { return s.cases }

// caseCaller is the caller of a case route: actor, scope and own employee.
func caseCaller(c *fiber.Ctx) accountability.Caller {
	return accountability.Caller{Actor: actorOf(c), Scope: scopeOf(c), EmployeeID: currentUser(c).EmployeeID}
}

// pathUint reads a positive integer path parameter; anything else is a 400.
func pathUint(c *fiber.Ctx, name string) (uint, error) {
	n, err := strconv.ParseUint(c.Params(name), 10, 32)
	if err != nil || n == 0 {
		return 0, &badQueryError{fields: []models.FieldError{{Field: name, Code: "invalid"}}}
	}
	return uint(n), nil
}

// caseList reads the filters of the case list and export.
func (s *server) caseList(c *fiber.Ctx, paged bool) (accountability.ListInput, error) {
	q := newQuery(c)
	in := accountability.ListInput{UnitID: q.uint("unit_id"), From: q.time("from", s.cfg.Location), To: q.time("to", s.cfg.Location),
		Status: q.choice("status", models.CaseStatuses), AwaitingStatement: q.bool("awaiting_statement")}
	if paged {
		in.Page = q.page()
	}
	return in, q.err()
}

func (s *server) listCases(c *fiber.Ctx) error {
	in, err := s.caseList(c, true)
	if err != nil {
		return err
	}
	list, err := s.caseService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadCases(c *fiber.Ctx) error {
	in, err := s.caseList(c, false)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.caseService().WriteWorkbook(c.UserContext(), scopeOf(c), in, &buf); err != nil {
		return err
	}
	return sendFile(c, "问责案件.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) openCase(c *fiber.Ctx) error {
	var in accountability.OpenInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.caseService().Open(c.UserContext(), caseCaller(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *server) getCase(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.caseService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// casePerson reads :id and :person_id.
func casePerson(c *fiber.Ctx) (uint, uint, error) {
	id, err := pathID(c)
	if err != nil {
		return 0, 0, err
	}
	person, err := pathUint(c, "person_id")
	return id, person, err
}

func (s *server) recordStatement(c *fiber.Ctx) error {
	id, person, err := casePerson(c)
	if err != nil {
		return err
	}
	var in accountability.StatementInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.caseService().RecordStatement(c.UserContext(), caseCaller(c), id, person, in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) decideCase(c *fiber.Ctx) error {
	id, person, err := casePerson(c)
	if err != nil {
		return err
	}
	var in accountability.DecisionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.caseService().Decide(c.UserContext(), caseCaller(c), id, person, in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) closeCase(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in accountability.CloseInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.caseService().Close(c.UserContext(), caseCaller(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
