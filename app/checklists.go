package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/inspections"
	"quality/models"
)

var templateStatuses = []string{models.TemplateDraft, models.TemplatePublished, models.TemplateRetired}

// templateEditor reports whether the caller may write templates: an editing role over
// the whole province. Editors also see drafts.
func templateEditor(c *fiber.Ctx) bool {
	u := currentUser(c)
	return u != nil && accounts.ScopeOf(u, templateEditors...).All
}

func (s *server) listTemplates(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.TemplateFilter{Code: q.str("code", 32), Status: q.choice("status", templateStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.inspections.ListTemplates(c.UserContext(), templateEditor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getTemplate(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := s.inspections.GetTemplate(c.UserContext(), templateEditor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *server) createTemplate(c *fiber.Ctx) error {
	var in inspections.TemplateInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	t, err := s.inspections.CreateTemplate(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(t)
}

func (s *server) editTemplate(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in inspections.TemplateInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	t, created, err := s.inspections.EditTemplate(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(t)
}

func (s *server) publishTemplate(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := s.inspections.PublishTemplate(c.UserContext(), actorOf(c), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}

func (s *server) retireTemplate(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	t, err := s.inspections.RetireTemplate(c.UserContext(), actorOf(c), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(t)
}
