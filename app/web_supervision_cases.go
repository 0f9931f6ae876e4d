package app

import (
	"fmt"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/models"
	"quality/patrols"
)

// caseNotices are the outcomes a redirect back to a case may announce.
var caseNotices = []string{"statement"}

func (s *server) casesPage(c *fiber.Ctx) error {
	q := newQuery(c)
	in := accountability.ListInput{Status: q.choice("status", models.CaseStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	in.Page.PerPage = supervisionPerPage
	list, err := s.caseService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	page := in.Page.Normalize()
	return s.render(c, fiber.StatusOK, "cases", "supervisionweb.cases", fiber.Map{
		"List": list, "Status": in.Status, "Statuses": models.CaseStatuses, "Page": page.Page,
		"HasNext": int64(page.Page*page.PerPage) < list.Total,
	})
}

func (s *server) casePage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	notice := q.choice("done", caseNotices)
	if err := q.err(); err != nil {
		return err
	}
	msg := ""
	if notice != "" {
		msg = s.msgs.T(language(c), "supervisionweb.case_done_"+notice, nil)
	}
	return s.renderCase(c, fiber.StatusOK, id, msg, nil)
}

// renderCase shows case id with its persons, a notice and a refusal's messages.
func (s *server) renderCase(c *fiber.Ctx, status int, id uint, notice string, pe *pageErrors) error {
	v, err := s.caseService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	return s.render(c, status, "case", "supervisionweb.case", fiber.Map{"Case": v, "Notice": notice, "Errors": pe})
}

func (s *server) statementForm(c *fiber.Ctx) error {
	id, person, err := casePerson(c)
	if err != nil {
		return err
	}
	in := accountability.StatementInput{Statement: strings.Clone(c.FormValue("statement"))}
	_, err = s.caseService().RecordStatement(c.UserContext(), caseCaller(c), id, person, in)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderCase(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/cases/%d?done=statement", id), fiber.StatusSeeOther)
}

func (s *server) patrolsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	in := patrols.ListInput{Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	in.Page.PerPage = supervisionPerPage
	list, err := s.patrolService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	page := in.Page.Normalize()
	return s.render(c, fiber.StatusOK, "patrols", "supervisionweb.patrols", fiber.Map{
		"List": list, "Page": page.Page, "HasNext": int64(page.Page*page.PerPage) < list.Total,
	})
}
