package app

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/training"
)

// trainingService is the training service, on the wall clock in the configured zone, so
// "today" of the onboarding plan is the local date.
func (s *server) trainingService() *training.Service { return s.training }

// courseEditor reports whether the caller sees and writes drafts.
func courseEditor(c *fiber.Ctx) bool { return accounts.HasRole(currentUser(c), courseEditors...) }

// sendWritten answers 201 when a write made something, 200 when it returned an earlier record.
func sendWritten(c *fiber.Ctx, made bool, v any) error {
	if made {
		c.Status(fiber.StatusCreated)
	}
	return c.JSON(v)
}

func (s *server) listCourses(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.CourseFilter{Category: q.choice("category", models.CourseCategories), Mode: q.choice("mode", models.CourseModes), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.trainingService().ListCourses(c.UserContext(), courseEditor(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) getCourse(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.trainingService().GetCourse(c.UserContext(), courseEditor(c), id)
	if err != nil {
		return err
	}
	return c.JSON(v)
}

func (s *server) createCourse(c *fiber.Ctx) error {
	var in training.CourseInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	course, err := s.trainingService().CreateCourse(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(course)
}

func (s *server) updateCourse(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.CourseInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	course, err := s.trainingService().UpdateCourse(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.JSON(course)
}

func (s *server) publishCourse(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	course, err := s.trainingService().PublishCourse(c.UserContext(), actorOf(c), id)
	if err != nil {
		return err
	}
	return c.JSON(course)
}

func (s *server) createSession(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.SessionInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	sess, err := s.trainingService().CreateSession(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sess)
}

func (s *server) completeCourse(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	comp, made, err := s.trainingService().CompleteOnline(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id)
	if err != nil {
		return err
	}
	return sendWritten(c, made, comp)
}

func (s *server) markAttendance(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.AttendanceInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	a, made, err := s.trainingService().MarkAttendance(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if err != nil {
		return err
	}
	return sendWritten(c, made, a)
}

func (s *server) openSignIn(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.CodeInput
	if len(c.Body()) > 0 {
		if err := bindJSON(c, &in); err != nil {
			return err
		}
	}
	code, err := s.trainingService().OpenSignIn(c.UserContext(), actorOf(c), id, in)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(code)
}

func (s *server) signIn(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	var in training.SignInInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	a, made, err := s.trainingService().SignIn(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id, in)
	if err != nil {
		return err
	}
	return sendWritten(c, made, a)
}

func (s *server) getOnboardingPlan(c *fiber.Ctx) error {
	p, err := s.trainingService().GetPlan(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) saveOnboardingPlan(c *fiber.Ctx) error {
	var in training.PlanInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	p, err := s.trainingService().SavePlan(c.UserContext(), actorOf(c), in)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) myOnboarding(c *fiber.Ctx) error {
	p, err := s.trainingService().Progress(c.UserContext(), currentUser(c).EmployeeID)
	if err != nil {
		return err
	}
	return c.JSON(p)
}

func (s *server) listOverdue(c *fiber.Ctx) error {
	q := newQuery(c)
	f, p := training.OverdueFilter{UnitID: q.uint("unit_id")}, q.page()
	if err := q.err(); err != nil {
		return err
	}
	list, err := s.trainingService().Overdue(c.UserContext(), scopeOf(c), f, p)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

func (s *server) downloadOverdue(c *fiber.Ctx) error {
	q := newQuery(c)
	f := training.OverdueFilter{UnitID: q.uint("unit_id")}
	if err := q.err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := s.trainingService().WriteOverdueWorkbook(c.UserContext(), scopeOf(c), f, &buf); err != nil {
		return err
	}
	return sendFile(c, "入职培训逾期名单.xlsx", mimeXLSX, buf.Bytes())
}
