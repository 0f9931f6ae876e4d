package app

import (
	"fmt"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/accounts"
	"quality/models"
	"quality/patrols"
)

// caseNotices are the outcomes a redirect back to a case may announce.
var caseNotices = []string{"statement", "open", "decision", "close"}

func (s *server) casesPage(c *fiber.Ctx) error {
	q := newQuery(c)
	in := accountability.ListInput{Status: q.choice("status", models.CaseStatuses), AwaitingStatement: q.bool("awaiting_statement"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	in.Page.PerPage = supervisionPerPage
	list, err := s.caseService().List(c.UserContext(), scopeOf(c), in)
	if err != nil {
		return err
	}
	filters := url.Values{}
	if in.Status != "" {
		filters.Set("status", in.Status)
	}
	if in.AwaitingStatement {
		filters.Set("awaiting_statement", "1")
	}
	page := in.Page.Normalize()
	return s.render(c, fiber.StatusOK, "cases", "supervisionweb.cases", fiber.Map{
		"List": list, "Status": in.Status, "Awaiting": in.AwaitingStatement, "Statuses": models.CaseStatuses, "Page": page.Page,
		"HasNext": int64(page.Page*page.PerPage) < list.Total, "Export": listURL("/api/v1/cases.xlsx", filters, 0),
		"Prev": listURL("/cases", filters, page.Page-1), "Next": listURL("/cases", filters, page.Page+1),
	})
}

func (s *server) casePage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	msg, err := s.doneNotice(c, caseNotices, "supervisionweb.case_done_")
	if err != nil {
		return err
	}
	return s.renderCase(c, fiber.StatusOK, id, msg, nil)
}

// caseRefusal is a refused case form: its messages, the person whose decide form was
// refused with what was sent, or the close reason that was sent.
type caseRefusal struct {
	PersonID    uint
	Messages    []string
	Draft       *decisionDraft
	CloseReason string
}

// casePageData is one case's page: the case, each person with the form to decide on
// them, and what the caller may do. Forms show by status and role; the service refuses
// the rest (e.g. a case about oneself, R6.4).
type casePageData struct {
	Case        *accountability.CaseView
	Persons     []casePersonData
	CanAct      bool
	Notice      string
	Errors      []string
	CloseReason string
	Severities  []string
	Outcomes    []string
}

// casePersonData is one person of a case with their decide form.
type casePersonData struct {
	accountability.PersonView
	PenaltyYuan string
	Form        decisionDraft
	Errors      []string
}

// renderCase shows case id with its persons, a notice and a refusal.
func (s *server) renderCase(c *fiber.Ctx, status int, id uint, notice string, ref *caseRefusal) error {
	v, err := s.caseService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	d := casePageData{Case: v, Notice: notice, CanAct: v.Status == models.CaseOpen,
		Severities: accountability.Severities, Outcomes: accountability.Outcomes}
	for _, p := range v.Persons {
		pd := casePersonData{PersonView: p, PenaltyYuan: centsToYuan(p.PenaltyCents),
			// R6.6: the suggested repeat factor comes ticked with its evidence.
			Form: decisionDraft{Aggravating: factorChoices(accountability.AggravatingCodes, p.Suggested),
				Mitigating: factorChoices(accountability.MitigatingCodes, nil)}}
		if ref != nil && ref.PersonID == p.ID {
			pd.Errors = ref.Messages
			if ref.Draft != nil {
				pd.Form = *ref.Draft
			}
		}
		d.Persons = append(d.Persons, pd)
	}
	if ref != nil && ref.PersonID == 0 {
		d.Errors, d.CloseReason = ref.Messages, ref.CloseReason
	}
	return s.render(c, status, "case", "supervisionweb.case", d)
}

func (s *server) statementForm(c *fiber.Ctx) error {
	id, person, err := casePerson(c)
	if err != nil {
		return err
	}
	in := accountability.StatementInput{Statement: strings.Clone(c.FormValue("statement"))}
	_, err = s.caseService().RecordStatement(c.UserContext(), caseCaller(c), id, person, in)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderCase(c, status, id, "", &caseRefusal{PersonID: person, Messages: pe.General})
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

// patrolPageData is one plan's page: its stops with their status, and whether the
// caller is its inspector (who alone starts inspections for its stops).
type patrolPageData struct {
	Plan  *patrols.PlanView
	IsOwn bool
}

func (s *server) patrolPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.patrolService().Get(c.UserContext(), scopeOf(c), id)
	if err != nil {
		return err
	}
	own := v.InspectorID == currentUser(c).ID && accounts.HasRole(currentUser(c), inspectionWriters...)
	return s.render(c, fiber.StatusOK, "patrol", "supervisionweb.patrol", patrolPageData{Plan: v, IsOwn: own})
}
