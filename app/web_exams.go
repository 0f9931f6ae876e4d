package app

import (
	"errors"
	"fmt"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

func (s *server) examsPage(c *fiber.Ctx) error {
	return s.renderExams(c, fiber.StatusOK, "")
}

// renderExams is the exam list with, for an employee, where they stand with each exam
// (passed, attempts left, the cool-off's end) and 开始 only where a start can succeed.
func (s *server) renderExams(c *fiber.Ctx, status int, refusal string) error {
	u := currentUser(c)
	list, err := s.exams.ListVisible(c.UserContext(), u, models.Page{PerPage: 50})
	if err != nil {
		return err
	}
	standings := map[uint]exams.Standing{}
	if u.EmployeeID != nil && !exams.Trainer(u) {
		if standings, err = s.exams.Standings(c.UserContext(), *u.EmployeeID, list.Items); err != nil {
			return err
		}
	}
	return s.render(c, status, "exams", "ui.exams", fiber.Map{"List": list, "Standings": standings, "Error": refusal,
		// Only a login tied to an employee sits an exam; an administrator's alone does not.
		"Examinee": u.EmployeeID != nil})
}

// startExamForm starts or resumes an attempt and goes to its paper; a refusal (closed,
// no attempts left, cooling off) shows the exam list with the reason.
func (s *server) startExamForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, _, err := s.exams.Start(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id)
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		return s.renderExams(c, fiber.StatusConflict, s.msgs.T(language(c), "field."+ce.Code, nil))
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/attempts/%d", v.ID), fiber.StatusSeeOther)
}

func (s *server) attemptPage(c *fiber.Ctx) error {
	v, err := s.callerAttempt(c)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "attempt", "ui.attempt", v)
}

// submitAttemptForm hands the paper in once the examinee has confirmed (confirmed=1,
// which the page's script sets after asking); without it, the confirmation page says
// how many questions are unanswered and asks, so a stray press never submits.
func (s *server) submitAttemptForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if c.FormValue("confirmed") != "1" {
		v, err := s.callerAttempt(c)
		if err != nil {
			return err
		}
		if v.Status != models.AttemptOpen {
			return c.Redirect(fmt.Sprintf("/attempts/%d", id), fiber.StatusSeeOther)
		}
		return s.render(c, fiber.StatusOK, "attempt_confirm", "ui.confirm_submit_title", v)
	}
	if _, err := s.exams.Submit(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/attempts/%d", id), fiber.StatusSeeOther)
}

// chosen reports whether a saved answer picked option id, for the paper's inputs.
func chosen(a *exams.SavedAnswer, id int) bool {
	if a == nil {
		return false
	}
	for _, c := range a.Choices {
		if c == id {
			return true
		}
	}
	return false
}
