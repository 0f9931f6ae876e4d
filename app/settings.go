package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/inspections"
	"quality/patrols"
)

func (s *server) getInspectionSettings(c *fiber.Ctx) error {
	p, err := inspections.LoadPolicy(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) putInspectionSettings(c *fiber.Ctx) error {
	var in patrols.PolicyInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := patrols.UpdatePolicy(c.UserContext(), s.db, actorOf(c), scopeOf(c), in, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(p)
}
