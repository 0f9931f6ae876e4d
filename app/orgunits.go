package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/org"
)

func (s *server) listOrgUnits(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.OrgFilter{
		Level: q.choice("level", models.Levels), ParentID: q.uint("parent_id"), Under: q.uint("under"),
		Q: q.str("q", 100), Page: q.page(),
	}
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListOrgUnits(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) orgTree(c *fiber.Ctx) error {
	tree, err := s.org.Tree(c.UserContext(), scopeOf(c))
	if err != nil {
		return err
	}
	return c.JSON(tree)
}

func (s *server) getOrgUnit(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	u, err := models.GetOrgUnit(c.UserContext(), s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *server) createOrgUnit(c *fiber.Ctx) error {
	var in org.UnitInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	u, err := s.org.CreateUnit(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(u)
}

func (s *server) updateOrgUnit(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var p org.UnitPatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	u, err := s.org.UpdateUnit(c.UserContext(), actorOf(c), scopeOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(u)
}

func (s *server) deleteOrgUnit(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.org.DeleteUnit(c.UserContext(), actorOf(c), scopeOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
