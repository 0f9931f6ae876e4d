package app

import (
	"bytes"
	"fmt"
	"mime/multipart"
	"net/url"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/org"
)

func (s *server) listEmployees(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.EmployeeFilter{
		Q: q.str("q", 64), UnitID: q.uint("unit_id"), Position: q.choice("position", models.Positions),
		Status: q.choice("status", models.EmployeeStatuses), Sort: q.choice("sort", keys(models.EmployeeSorts)), Page: q.page(),
	}
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListEmployees(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getEmployee(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, err := models.GetEmployee(c.UserContext(), s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *server) createEmployee(c *fiber.Ctx) error {
	var in org.EmployeeInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	e, err := s.org.CreateEmployee(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *server) updateEmployee(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var p org.EmployeePatch
	if err := bindJSON(c, &p); err != nil {
		return err
	}
	e, err := s.org.UpdateEmployee(c.UserContext(), actorOf(c), scopeOf(c), id, p)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *server) deleteEmployee(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.org.DeleteEmployee(c.UserContext(), actorOf(c), scopeOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *server) rosterTemplate(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.org.WriteRosterTemplate(c.UserContext(), scopeOf(c), &buf); err != nil {
		return err
	}
	return sendFile(c, "员工名册导入模板.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) importRoster(c *fiber.Ctx) error {
	q := newQuery(c)
	dryRun := q.bool("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	rep, err := s.importUpload(c, dryRun)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

// importUpload runs the roster import on the uploaded `file` field.
func (s *server) importUpload(c *fiber.Ctx, dryRun bool) (*org.ImportReport, error) {
	f, err := openUpload(c, "file", org.MaxRosterBytes)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.org.ImportRoster(c.UserContext(), actorOf(c), scopeOf(c), f, dryRun)
}

// openUpload opens the uploaded file of a multipart field: missing is a 422 on the
// field, larger than max a 413.
func openUpload(c *fiber.Ctx, field string, max int64) (multipart.File, error) {
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, &models.ValidationError{Fields: []models.FieldError{{Field: field, Code: "required"}}}
	}
	if fh.Size > max {
		return nil, fiber.ErrRequestEntityTooLarge
	}
	return fh.Open()
}

// sendFile sends a built file as a download; the name is RFC 5987-encoded for Chinese.
func sendFile(c *fiber.Ctx, name, mime string, body []byte) error {
	c.Set(fiber.HeaderContentType, mime)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="download.xlsx"; filename*=UTF-8''%s`, url.PathEscape(name)))
	return c.Send(body)
}
