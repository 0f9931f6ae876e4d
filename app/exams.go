package app

import (
	"bytes"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

func (s *server) listQuestions(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.QuestionFilter{Q: q.str("q", 100), Kind: q.choice("kind", models.QuestionKinds),
		Category: q.choice("category", models.QuestionCategories), Difficulty: q.int("difficulty", 1, 3),
		Archived: q.bool("archived"), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListQuestions(c.UserContext(), s.db, f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getQuestion(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q, err := models.GetQuestion(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	return c.JSON(q)
}

func (s *server) createQuestion(c *fiber.Ctx) error {
	var in exams.QuestionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	q, err := s.exams.CreateQuestion(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(q)
}

func (s *server) updateQuestion(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in exams.QuestionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	q, err := s.exams.UpdateQuestion(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(q)
}

func (s *server) archiveQuestion(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.exams.ArchiveQuestion(c.UserContext(), actorOf(c), id); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *server) listExams(c *fiber.Ctx) error {
	q := newQuery(c)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.exams.ListVisible(c.UserContext(), currentUser(c), p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getExam(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, err := s.exams.Visible(c.UserContext(), currentUser(c), id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *server) createExam(c *fiber.Ctx) error {
	var in exams.ExamInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	e, err := s.exams.CreateExam(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(e)
}

func (s *server) updateExam(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in exams.ExamInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	e, err := s.exams.UpdateExam(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *server) publishExam(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, err := s.exams.PublishExam(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(e)
}

func (s *server) setOverride(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in exams.OverrideInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	o, err := s.exams.SetOverride(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(o)
}

func (s *server) startAttempt(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, created, err := s.exams.Start(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id)
	if err != nil {
		return err
	}
	if created {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

func (s *server) getAttempt(c *fiber.Ctx) error {
	v, err := s.callerAttempt(c)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

// callerAttempt is the caller's own attempt :id as its paper shows it (another's, or a
// caller without an employee, is ErrNotFound), for the API and the pages.
func (s *server) callerAttempt(c *fiber.Ctx) (*exams.AttemptView, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	emp := currentUser(c).EmployeeID
	if emp == nil {
		return nil, models.ErrNotFound
	}
	return s.exams.View(c.UserContext(), *emp, id)
}

func (s *server) saveAnswer(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	question, err := strconv.ParseUint(c.Params("question"), 10, 32)
	if err != nil || question == 0 {
		return &badQueryError{fields: []models.FieldError{{Field: "question", Code: "invalid"}}}
	}
	var in exams.SaveInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	res, err := s.exams.Save(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id, uint(question), in)
	if err != nil {
		return err
	}
	return c.JSON(res)
}

func (s *server) submitAttempt(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.exams.Submit(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) exportBank(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.exams.WriteBank(c.UserContext(), true, &buf); err != nil {
		return err
	}
	return sendFile(c, "题库.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) bankTemplate(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := s.exams.WriteBank(c.UserContext(), false, &buf); err != nil {
		return err
	}
	return sendFile(c, "题库导入模板.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) importBank(c *fiber.Ctx) error {
	q := newQuery(c)
	dryRun := q.bool("dry_run")
	if err := q.err(); err != nil {
		return err
	}
	f, err := openUpload(c, "file", 10<<20)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := s.exams.ImportBank(c.UserContext(), actorOf(c), f, dryRun)
	if err != nil {
		return err
	}
	return c.JSON(rep)
}

func (s *server) examAnalysis(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, err := s.exams.AnalyzeExam(c.UserContext(), id)
	if err != nil {
		return err
	}
	return c.JSON(a)
}

func (s *server) examAnalysisXLSX(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	a, err := s.exams.AnalyzeExam(c.UserContext(), id)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := exams.WriteAnalysis(a, &buf); err != nil {
		return err
	}
	return sendFile(c, "试题分析.xlsx", mimeXLSX, buf.Bytes())
}

func (s *server) regradeExam(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	res, err := s.exams.Regrade(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(res)
}
