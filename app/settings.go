package app

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/policy"
)

func (s *server) getInspectionSettings(c *fiber.Ctx) error {
	p, err := policy.Load(c.UserContext(), s.db)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) putInspectionSettings(c *fiber.Ctx) error {
	var in policy.Input
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := policy.Update(c.UserContext(), s.db, actorOf(c), scopeOf(c), in, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(p)
}
