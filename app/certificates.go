package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

func (s *server) verifyCertificate(c *fiber.Ctx) error {
	// Copied: Fiber reuses the buffer. A code of any other length is merely unknown (404).
	code := strings.TrimSpace(strings.Clone(c.Query("code")))
	if code == "" {
		return &badQueryError{fields: []models.FieldError{{Field: "code", Code: "required"}}}
	}
	v, err := s.exams.VerifyCertificate(c.UserContext(), code)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) listCertificates(c *fiber.Ctx) error {
	q := newQuery(c)
	f := exams.CertificateFilter{Status: q.choice("status", models.CertificateStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.exams.ListCertificates(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) myCertificates(c *fiber.Ctx) error {
	q := newQuery(c)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.exams.MyCertificates(c.UserContext(), currentUser(c).EmployeeID, p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) revokeCertificate(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in exams.RevokeInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v, err := s.exams.RevokeCertificate(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(v)
}
