package app

import (
	"bytes"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/rectifications"
)

// rectService is the rectification service over the app's database and file storage
// (the one the inspections' photos use, so one picture is stored once).
func (s *server) rectService() *rectifications.Service { return s.rectifications }

// rectCaller is the caller of a rectification write, with the grants the rules on who
// may do what need.
func (s *server) rectCaller(c *fiber.Ctx) (rectifications.Caller, error) {
	u, err := s.userWithGrants(c)
	if err != nil {
		return rectifications.Caller{}, err
	}
	return rectifications.Caller{Actor: actorOf(c), User: u, Scope: scopeOf(c)}, nil
}

// rectDate reads an optional YYYY-MM-DD day.
func rectDate(q *query, name string) models.Date {
	v := q.str(name, 10)
	if v == "" {
		return models.Date{}
	}
	d, err := models.ParseDate(v)
	if err != nil {
		q.bad(name, "invalid_date")
	}
	return d
}

// rectFilter reads the list's and the export's filters, every value from an allow-list.
func rectFilter(q *query) rectifications.Filter {
	f := rectifications.Filter{UnitID: q.uint("unit_id"), Status: q.choice("status", models.RectificationStatuses),
		Overdue: q.bool("overdue"), From: rectDate(q, "from"), To: rectDate(q, "to"), On: q.choice("period_on", rectifications.PeriodFields)}
	if q.c.Query("critical") != "" {
		b := q.bool("critical")
		f.Critical = &b
	}
	return f
}

func (s *server) listRectifications(c *fiber.Ctx) error {
	q := newQuery(c)
	f := rectFilter(q)
	f.Page = q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.rectService().List(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadRectifications(c *fiber.Ctx) error {
	q := newQuery(c)
	f := rectFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.rectService().WriteWorkbook(c.UserContext(), scopeOf(c), f, &buf); err != nil {
		return err
	}
	name := "整改清单"
	if f.Overdue {
		name = "逾期整改清单"
	}
	return sendFile(c, name+"-"+time.Now().In(s.cfg.Location).Format("20060102")+".xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) getRectification(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d, err := s.rectService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (s *server) uploadRectificationPhoto(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	who, err := s.rectCaller(c)
	if err != nil {
		return err
	}
	file, err := s.uploadedPhoto(c, "file", false)
	if err != nil {
		return err
	}
	defer file.Close()
	p, err := s.rectService().AddPhoto(c.UserContext(), who, id, file)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (s *server) downloadRectificationPhoto(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	photoID, err := strconv.ParseUint(c.Params("photo"), 10, 32)
	if err != nil || photoID == 0 {
		return &badQueryError{fields: []models.FieldError{{Field: "photo", Code: "invalid"}}}
	}
	p, f, err := s.rectService().OpenPhoto(c.UserContext(), scopeOf(c), id, uint(photoID))
	if err != nil {
		return err
	}
	// Read whole (photos are bounded by the policy) so the file is closed here.
	body, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return err
	}
	ext := ".jpg"
	if p.MIME == "image/png" {
		ext = ".png"
	}
	name := fmt.Sprintf("rectification-%d-photo-%d%s", id, p.ID, ext)
	c.Set(fiber.HeaderContentType, p.MIME)
	c.Set(fiber.HeaderContentDisposition, fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(name)))
	c.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	c.Set(fiber.HeaderCacheControl, "private, no-store")
	return c.Send(body)
}

// rectMove runs one transition with the body bound to in.
func rectMove[T any](s *server, c *fiber.Ctx, move func(svc *rectifications.Service, who rectifications.Caller, id uint, in T) (*rectifications.Detail, error)) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in T
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	who, err := s.rectCaller(c)
	if err != nil {
		return err
	}
	svc := s.rectService()
	d, err := move(svc, who, id, in)
	if err != nil {
		return err
	}
	return c.JSON(d)
}

func (s *server) submitRectification(c *fiber.Ctx) error {
	return rectMove(s, c, func(svc *rectifications.Service, who rectifications.Caller, id uint, in rectifications.EvidenceInput) (*rectifications.Detail, error) {
		return svc.Submit(c.UserContext(), who, id, in)
	})
}

func (s *server) verifyRectification(c *fiber.Ctx) error {
	return rectMove(s, c, func(svc *rectifications.Service, who rectifications.Caller, id uint, in rectifications.VerifyInput) (*rectifications.Detail, error) {
		return svc.Verify(c.UserContext(), who, id, in)
	})
}

func (s *server) rejectRectification(c *fiber.Ctx) error {
	return rectMove(s, c, func(svc *rectifications.Service, who rectifications.Caller, id uint, in rectifications.ReasonInput) (*rectifications.Detail, error) {
		return svc.Reject(c.UserContext(), who, id, in)
	})
}

func (s *server) waiveRectification(c *fiber.Ctx) error {
	return rectMove(s, c, func(svc *rectifications.Service, who rectifications.Caller, id uint, in rectifications.ReasonInput) (*rectifications.Detail, error) {
		return svc.Waive(c.UserContext(), who, id, in)
	})
}

// escalationFilter reads the filters of the escalation list and page.
func escalationFilter(q *query) rectifications.EscalationFilter {
	return rectifications.EscalationFilter{Level: q.choice("level", rectifications.EscalationLevels), UnitID: q.uint("unit_id"),
		From: rectDate(q, "from"), To: rectDate(q, "to"), Page: q.page()}
}

func (s *server) listEscalations(c *fiber.Ctx) error {
	q := newQuery(c)
	f := escalationFilter(q)
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.rectService().ListEscalations(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}
