package training

import (
	"context"
	"errors"
	"time"

	"quality/models"
)

// CourseStatus is a published course as one employee sees it.
type CourseStatus struct {
	models.Course
	// ForMe says the course targets the employee's position; Done, that they completed it.
	ForMe bool `json:"for_me"`
	Done  bool `json:"done"`
}

// OpenSession is a session whose sign-in code is open now, for the sign-in form.
type OpenSession struct {
	ID          uint      `json:"id"`
	CourseTitle string    `json:"course_title"`
	Place       string    `json:"place"`
	StartsAt    time.Time `json:"starts_at"`
	Expires     time.Time `json:"expires"`
}

// Overview is one user's training page: their onboarding progress (nil without an
// employee), the published courses and the sessions they may sign in to now.
type Overview struct {
	Progress *OnboardingProgress `json:"progress"`
	Courses  []CourseStatus      `json:"courses"`
	Sessions []OpenSession       `json:"sessions"`
}

// maxOverviewCourses bounds the courses listed on one page.
const maxOverviewCourses = 100

// Overview gathers the training page of the user linked to employeeID (nil: none, who
// sees the courses alone).
func (s *Service) Overview(ctx context.Context, employeeID *uint) (*Overview, error) {
	courses, err := models.ListCourses(ctx, s.DB, models.CourseFilter{PublishedOnly: true, Page: models.Page{PerPage: maxOverviewCourses}})
	if err != nil {
		return nil, err
	}
	out := &Overview{Courses: make([]CourseStatus, len(courses.Items)), Sessions: []OpenSession{}}
	for i, c := range courses.Items {
		out.Courses[i] = CourseStatus{Course: c}
	}
	if employeeID == nil {
		return out, nil
	}
	out.Progress, err = s.Progress(ctx, employeeID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *employeeID)
	if err != nil {
		return nil, err
	}
	ids := make([]uint, len(courses.Items))
	for i, c := range courses.Items {
		ids[i] = c.ID
	}
	done, err := models.CompletionsOf(ctx, s.DB, []uint{emp.ID}, ids)
	if err != nil {
		return nil, err
	}
	completed := map[uint]bool{}
	for _, d := range done {
		completed[d.CourseID] = true
	}
	for i := range out.Courses {
		c := &out.Courses[i]
		c.ForMe, c.Done = c.For(emp.Position), completed[c.ID]
	}
	open, err := models.OpenSignInSessions(ctx, s.DB, s.Now(), reachOf(emp))
	if err != nil {
		return nil, err
	}
	sids := make([]uint, len(open))
	for i, o := range open {
		sids[i] = o.ID
	}
	attended, err := models.AttendedSessions(ctx, s.DB, emp.ID, sids)
	if err != nil {
		return nil, err
	}
	for _, o := range open {
		if o.Course == nil || !o.Course.For(emp.Position) || attended[o.ID] {
			continue
		}
		out.Sessions = append(out.Sessions, OpenSession{ID: o.ID, CourseTitle: o.Course.Title, Place: o.Place,
			StartsAt: o.StartsAt, Expires: *o.SignInExpires})
	}
	return out, nil
}
