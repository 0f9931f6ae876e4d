package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
)

func (s *server) listUsers(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.UserFilter{Q: q.str("q", 64), Role: q.choice("role", models.Roles), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListUsers(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getUser(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := models.GetUser(c.UserContext(), s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *server) createUser(c *fiber.Ctx) error {
	var in accounts.UserInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u, err := s.accounts.CreateUser(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *server) updateUser(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var p accounts.UserPatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	u, err := s.accounts.UpdateUser(c.UserContext(), actorOf(c), scopeOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *server) resetPassword(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in passwordReset
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if err := s.accounts.SetPassword(c.UserContext(), actorOf(c), scopeOf(c), id, in.Password); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
