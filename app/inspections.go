package app

import (
	"bytes"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/inspections"
	"quality/models"
)

// inspectionService is the inspections service over the app's database and file storage.
func (s *server) inspectionService() *inspections.Service { return s.inspections }

var (
	inspectionStatuses = []string{models.InspectionDraft, models.InspectionSubmitted}
	inspectionResults  = []string{models.ResultPass, models.ResultFail, models.ResultNoScore}
)

// inspectorMe is the one value of the inspector filter: the caller's own inspections.
var inspectorMe = []string{"me"}

// inspectorOf reads the inspector filter: the caller's user id for inspector=me, else 0.
func inspectorOf(q *query) uint {
	if q.choice("inspector", inspectorMe) == "" {
		return 0
	}
	return currentUser(q.c).ID
}

func inspectionFilter(q *query, loc *time.Location) models.InspectionFilter {
	return models.InspectionFilter{UnitID: q.uint("unit_id"), From: q.time("from", loc), To: q.time("to", loc),
		Status: q.choice("status", inspectionStatuses), Result: q.choice("result", inspectionResults), TemplateCode: q.str("template", 32),
		InspectorID: inspectorOf(q)}
}

// optBool reads an optional boolean filter: nil when absent.
func optBool(q *query, name string) *bool {
	if q.c.Query(name) == "" {
		return nil
	}
	b := q.bool(name)
	return &b
}

func findingFilter(q *query, loc *time.Location) models.FindingFilter {
	return models.FindingFilter{UnitID: q.uint("unit_id"), From: q.time("from", loc), To: q.time("to", loc),
		RuleRef: q.str("rule_ref", 16), Critical: optBool(q, "critical"), Voided: optBool(q, "voided")}
}

func (s *server) listInspections(c *fiber.Ctx) error {
	q := newQuery(c)
	f := inspectionFilter(q, s.cfg.Location)
	f.Page = q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListInspections(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadInspections(c *fiber.Ctx) error {
	q := newQuery(c)
	f := inspectionFilter(q, s.cfg.Location)
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.inspectionService().WriteInspections(c.UserContext(), scopeOf(c), f, &buf); err != nil {
		return err
	}
	return sendFile(c, "检查记录.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) startInspection(c *fiber.Ctx) error {
	var in inspections.StartInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, created, err := s.inspectionService().Start(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

func (s *server) getInspection(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.inspectionService().View(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// itemKey reads the :key parameter (copied: Fiber reuses its buffers); a key no item
// can have is not found.
func itemKey(c *fiber.Ctx) (string, error) {
	k := strings.Clone(c.Params("key"))
	if k == "" || len(k) > 16 {
		return "", fmt.Errorf("item %q: %w", k, models.ErrNotFound)
	}
	return k, nil
}

func (s *server) saveInspectionItem(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	key, err := itemKey(c)
	if err != nil {
		return err
	}
	var in inspections.SaveItemInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	it, err := s.inspectionService().SaveItem(c.UserContext(), actorOf(c), scopeOf(c), id, key, in)
	if err != nil {
		return err
	}
	return c.JSON(it)
}

// uploadInspectionPhoto takes one photo of item key (uploadedPhoto), with the time
// the device says it was taken.
func (s *server) uploadInspectionPhoto(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	key, err := itemKey(c)
	if err != nil {
		return err
	}
	f, err := s.uploadedPhoto(c, "file", false)
	if err != nil {
		return err
	}
	defer f.Close()
	var capturedAt *time.Time
	if v := c.FormValue("captured_at"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			return &models.ValidationError{Fields: []models.FieldError{{Field: "captured_at", Code: "invalid_date"}}}
		}
		capturedAt = &t
	}
	p, err := s.inspectionService().AddPhoto(c.UserContext(), actorOf(c), scopeOf(c), id, key, f, capturedAt)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *server) submitInspection(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in inspections.SubmitInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.inspectionService().Submit(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) reopenInspection(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in inspections.ReasonInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	adminScope := accounts.ScopeOf(currentUser(c), models.RoleAdmin)
	v, err := s.inspectionService().Reopen(c.UserContext(), actorOf(c), scopeOf(c), adminScope, id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// downloadPhoto serves a photo only to a caller whose scope holds its unit, as an
// attachment of its sniffed type, never rendered in the page.
func (s *server) downloadPhoto(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, r, err := s.inspectionService().OpenPhoto(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	defer r.Close()
	body, err := io.ReadAll(r)
	if err != nil {
		return fmt.Errorf("read photo %d: %w", id, err)
	}
	ext := ".jpg"
	if p.MIME == "image/png" {
		ext = ".png"
	}
	c.Set(fiber.HeaderContentType, p.MIME)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="photo-%d%s"`, p.ID, ext))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	return c.Send(body)
}

func (s *server) listFindings(c *fiber.Ctx) error {
	q := newQuery(c)
	f := findingFilter(q, s.cfg.Location)
	f.Page = q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListFindings(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadFindings(c *fiber.Ctx) error {
	q := newQuery(c)
	f := findingFilter(q, s.cfg.Location)
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.inspectionService().WriteFindings(c.UserContext(), scopeOf(c), f, &buf); err != nil {
		return err
	}
	return sendFile(c, "问题清单.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) getFinding(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	f, err := models.GetFinding(c.UserContext(), s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

func (s *server) voidFinding(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in inspections.ReasonInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	f, err := s.inspectionService().VoidFinding(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(f)
}

func (s *server) deleteFinding(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.inspectionService().DeleteFinding(c.UserContext(), scopeOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}
