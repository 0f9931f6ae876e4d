package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/policy"
)

func (s *server) getInspectionSettings(c *fiber.Ctx) error {
	p, err := s.policy.Load(c.UserContext())
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
	p, err := s.policy.Update(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}
