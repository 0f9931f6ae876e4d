package app

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

func (s *server) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (s *server) readyz(c *fiber.Ctx) error {
	ctx, cancel := context.WithTimeout(c.UserContext(), 2*time.Second)
	defer cancel()
	if err := models.Ping(ctx, s.db); err != nil {
		return writeProblem(c, Problem{Type: "about:blank", Status: fiber.StatusServiceUnavailable,
			Title: s.msgs.T(language(c), "problem.unavailable", nil), Detail: "database unreachable", RequestID: requestID(c)})
	}
	return c.JSON(fiber.Map{"status": "ok"})
}
