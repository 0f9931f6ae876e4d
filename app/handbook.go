package app

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/training"
)

func (s *server) currentHandbook(c *fiber.Ctx) error {
	v, err := s.trainingService().Current(c.UserContext(), currentUser(c).EmployeeID)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) acknowledgeHandbook(c *fiber.Ctx) error {
	var in training.AckInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	// Copied: Fiber reuses the header buffer after the handler returns.
	agent := string(c.Request().Header.UserAgent())
	a, created, err := s.trainingService().Acknowledge(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, in, agent)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(a)
}

func (s *server) listHandbookVersions(c *fiber.Ctx) error {
	q := newQuery(c)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListHandbookVersions(c.UserContext(), s.db, p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getHandbookVersion(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := models.GetHandbookVersion(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) createHandbookDraft(c *fiber.Ctx) error {
	var in training.VersionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.trainingService().CreateDraft(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(v)
}

func (s *server) updateHandbookDraft(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.VersionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.trainingService().UpdateDraft(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) publishHandbook(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.trainingService().Publish(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// coverageFilter reads unit_id and position.
func coverageFilter(q *query) training.CoverageFilter {
	return training.CoverageFilter{UnitID: q.uint("unit_id"), Position: q.choice("position", models.Positions)}
}

func (s *server) handbookCoverage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := coverageFilter(q)
	f.Level = q.choice("level", models.Levels)
	if err := q.err(); err != nil {
		return err
	}
	cov, err := s.trainingService().GetCoverage(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(cov)
}

func (s *server) listHandbookPending(c *fiber.Ctx) error {
	q := newQuery(c)
	f, p := coverageFilter(q), q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.trainingService().ListPending(c.UserContext(), scopeOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadHandbookPending(c *fiber.Ctx) error {
	q := newQuery(c)
	f := coverageFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	v, err := s.trainingService().WritePendingWorkbook(c.UserContext(), scopeOf(c), f, &buf)
	if err != nil {
		return err
	}
	return sendFile(c, "员工手册未确认名单-v"+v.Version+".xlsx", mimeXLSX, buf.Bytes())
}
