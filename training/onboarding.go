package training

import (
	"context"
	"errors"
	"io"
	"slices"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/workbook"
)

// Defaults of a plan that was never saved.
const (
	DefaultDueDays    = 30
	DefaultWindowDays = 180
	maxDueDays        = 365
	maxWindowDays     = 3650
)

// PlanInput changes the onboarding plan; a nil field keeps its value, ExamID 0 removes the exam.
type PlanInput struct {
	DueDays    *int `json:"due_days"`
	WindowDays *int `json:"window_days"`
	// CourseIDs: 50 courses are weeks of onboarding; each is a row of the plan.
	CourseIDs *[]uint `json:"course_ids" maxItems:"50,dedupe"`
	ExamID    *uint   `json:"exam_id"`
}

// CourseRef names a course of the plan.
type CourseRef struct {
	ID        uint     `json:"id"`
	Title     string   `json:"title"`
	Mode      string   `json:"mode"`
	Positions []string `json:"positions"`
}

// ExamRef names the plan's exam.
type ExamRef struct {
	ID    uint   `json:"id"`
	Title string `json:"title"`
}

// PlanView is the onboarding plan with the names of its courses and exam; Saved is
// false while the defaults apply.
type PlanView struct {
	DueDays    int         `json:"due_days"`
	WindowDays int         `json:"window_days"`
	Courses    []CourseRef `json:"courses"`
	Exam       *ExamRef    `json:"exam"`
	Saved      bool        `json:"saved"`
	UpdatedAt  *time.Time  `json:"updated_at"`
}

// plan is the saved plan with its courses and exam loaded.
type plan struct {
	row     models.OnboardingPlan
	saved   bool
	courses []models.Course
	exam    *models.Exam
}

// loadPlan reads the plan row (or the defaults) and what it names.
func (s *Service) loadPlan(ctx context.Context) (*plan, error) {
	p := &plan{row: models.OnboardingPlan{DueDays: DefaultDueDays, WindowDays: DefaultWindowDays, CourseIDs: models.JSONList[uint]{}}}
	row, err := models.GetOnboardingPlan(ctx, s.DB)
	switch {
	case err == nil:
		p.row, p.saved = *row, true
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	if p.courses, err = models.CoursesByID(ctx, s.DB, p.row.CourseIDs); err != nil {
		return nil, err
	}
	if p.row.ExamID != nil {
		e, err := models.GetExam(ctx, s.DB, *p.row.ExamID)
		if err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
		p.exam = e
	}
	return p, nil
}

func (p *plan) view() *PlanView {
	v := &PlanView{DueDays: p.row.DueDays, WindowDays: p.row.WindowDays, Courses: []CourseRef{}, Saved: p.saved}
	if p.saved {
		at := p.row.UpdatedAt
		v.UpdatedAt = &at
	}
	for _, c := range p.courses {
		v.Courses = append(v.Courses, CourseRef{ID: c.ID, Title: c.Title, Mode: c.Mode, Positions: c.Positions})
	}
	if p.exam != nil {
		v.Exam = &ExamRef{ID: p.exam.ID, Title: p.exam.Title}
	}
	return v
}

// required are the plan's courses meant for position.
func (p *plan) required(position string) []models.Course {
	var out []models.Course
	for _, c := range p.courses {
		if c.For(position) {
			out = append(out, c)
		}
	}
	return out
}

// GetPlan returns the onboarding plan.
func (s *Service) GetPlan(ctx context.Context) (*PlanView, error) {
	p, err := s.loadPlan(ctx)
	if err != nil {
		return nil, err
	}
	return p.view(), nil
}

// SavePlan applies in to the plan (creating its row on first save). Courses must be
// published and the exam published.
func (s *Service) SavePlan(ctx context.Context, actor models.Actor, in PlanInput) (*PlanView, error) {
	p, err := s.loadPlan(ctx)
	if err != nil {
		return nil, err
	}
	before := p.row
	row := p.row
	if in.DueDays != nil {
		row.DueDays = *in.DueDays
	}
	if in.WindowDays != nil {
		row.WindowDays = *in.WindowDays
	}
	if in.CourseIDs != nil {
		row.CourseIDs = models.JSONList[uint]{}
		for _, id := range *in.CourseIDs {
			if !slices.Contains(row.CourseIDs, id) {
				row.CourseIDs = append(row.CourseIDs, id)
			}
		}
	}
	if in.ExamID != nil {
		row.ExamID = in.ExamID
		if *in.ExamID == 0 {
			row.ExamID = nil
		}
	}
	ve := &models.ValidationError{}
	if row.DueDays < 1 || row.DueDays > maxDueDays {
		ve.Add("due_days", "out_of_range", "min", 1, "max", maxDueDays)
	}
	if row.WindowDays < row.DueDays || row.WindowDays > maxWindowDays {
		ve.Add("window_days", "out_of_range", "min", row.DueDays, "max", maxWindowDays)
	}
	courses, err := models.CoursesByID(ctx, s.DB, row.CourseIDs)
	if err != nil {
		return nil, err
	}
	if len(courses) != len(row.CourseIDs) {
		ve.Add("course_ids", "not_found")
	}
	for _, c := range courses {
		if c.Status != models.CoursePublished {
			ve.Add("course_ids", "course_not_published")
			break
		}
	}
	if row.ExamID != nil {
		e, err := models.GetExam(ctx, s.DB, *row.ExamID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			ve.Add("exam_id", "not_found")
		case err != nil:
			return nil, err
		case e.Status != models.ExamPublished:
			ve.Add("exam_id", "exam_not_published")
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if p.saved {
			if err := models.UpdateOnboardingPlan(tx, &row); err != nil {
				return err
			}
		} else if err := models.Insert(tx, &row); err != nil {
			return err
		}
		return models.Audit(tx, actor, "update", "onboarding_plan", row.ID, models.Diff(map[string][2]any{
			"due_days": {before.DueDays, row.DueDays}, "window_days": {before.WindowDays, row.WindowDays},
			"course_ids": {before.CourseIDs, row.CourseIDs}, "exam_id": {before.ExamID, row.ExamID},
		}))
	})
	if err != nil {
		return nil, err
	}
	return s.GetPlan(ctx)
}

// CourseProgress is whether one plan course is done.
type CourseProgress struct {
	ID          uint       `json:"id"`
	Title       string     `json:"title"`
	Mode        string     `json:"mode"`
	Done        bool       `json:"done"`
	CompletedAt *time.Time `json:"completed_at"`
}

// ExamProgress is whether the plan's exam is passed.
type ExamProgress struct {
	ID     uint   `json:"id"`
	Title  string `json:"title"`
	Passed bool   `json:"passed"`
}

// OnboardingProgress is one employee's way through the plan. Tracked says the plan
// applies (hired within its window); Overdue, that the due date passed unfinished.
type OnboardingProgress struct {
	EmployeeID uint             `json:"employee_id"`
	HireDate   models.Date      `json:"hire_date"`
	DueDate    models.Date      `json:"due_date"`
	DueDays    int              `json:"due_days"`
	Tracked    bool             `json:"tracked"`
	Courses    []CourseProgress `json:"courses"`
	Exam       *ExamProgress    `json:"exam"`
	Done       bool             `json:"done"`
	Overdue    bool             `json:"overdue"`
}

// addDays is d moved by n days.
func addDays(d models.Date, n int) models.Date { return models.DateOf(d.Time().AddDate(0, 0, n)) }

// dateBefore reports whether date a is before b.
func dateBefore(a, b models.Date) bool { return a.Time().Before(b.Time()) }

// Progress is the onboarding progress of the caller's own employee (nil: none).
func (s *Service) Progress(ctx context.Context, employeeID *uint) (*OnboardingProgress, error) {
	if employeeID == nil {
		return nil, errCourseNoEmployee
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *employeeID)
	if err != nil {
		return nil, err
	}
	p, err := s.loadPlan(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := &OnboardingProgress{EmployeeID: emp.ID, HireDate: emp.HireDate, DueDays: p.row.DueDays,
		DueDate: addDays(emp.HireDate, p.row.DueDays), Courses: []CourseProgress{}, Done: true}
	out.Tracked = emp.Status == models.StatusActive && !dateBefore(emp.HireDate, addDays(today, -p.row.WindowDays))
	req := p.required(emp.Position)
	ids := make([]uint, len(req))
	for i, c := range req {
		ids[i] = c.ID
	}
	done, err := models.CompletionsOf(ctx, s.DB, []uint{emp.ID}, ids)
	if err != nil {
		return nil, err
	}
	for _, c := range req {
		cp := CourseProgress{ID: c.ID, Title: c.Title, Mode: c.Mode}
		for _, d := range done {
			if d.CourseID == c.ID {
				at := d.At
				cp.Done, cp.CompletedAt = true, &at
			}
		}
		out.Done = out.Done && cp.Done
		out.Courses = append(out.Courses, cp)
	}
	if p.exam != nil {
		passed, err := models.PassedExam(ctx, s.DB, p.exam.ID, []uint{emp.ID})
		if err != nil {
			return nil, err
		}
		out.Exam = &ExamProgress{ID: p.exam.ID, Title: p.exam.Title, Passed: passed[emp.ID]}
		out.Done = out.Done && out.Exam.Passed
	}
	out.Overdue = out.Tracked && !out.Done && dateBefore(out.DueDate, today)
	return out, nil
}

// OverdueFilter narrows the overdue list; zero fields do not filter.
type OverdueFilter struct {
	UnitID uint // the unit's subtree; a unit outside the caller's scope is ErrNotFound
}

// OverdueRow is one new hire past the due date with the plan unfinished.
type OverdueRow struct {
	EmployeeID      uint        `json:"employee_id"`
	JobNumber       string      `json:"job_number"`
	Name            string      `json:"name"`
	Position        string      `json:"position"`
	UnitCode        string      `json:"unit_code"`
	UnitName        string      `json:"unit_name"`
	HireDate        models.Date `json:"hire_date"`
	DueDate         models.Date `json:"due_date"`
	DaysOverdue     int         `json:"days_overdue"`
	CoursesDone     int         `json:"courses_done"`
	CoursesRequired int         `json:"courses_required"`
	ExamPassed      bool        `json:"exam_passed"`
}

// OverdueList is one page of the overdue list as of Today.
type OverdueList struct {
	Today   models.Date `json:"today"`
	DueDays int         `json:"due_days"`
	models.List[OverdueRow]
}

// overdueFilter is the models filter of the plan as of today.
func (p *plan) overdueFilter(today models.Date, f OverdueFilter, page models.Page) models.OverdueFilter {
	r := p.rule()
	return models.OverdueFilter{HiredFrom: addDays(today, -r.WindowDays), HiredBefore: addDays(today, -r.DueDays),
		Required: r.Required, ExamID: r.ExamID, UnitID: f.UnitID, Page: page}
}

// rule is what the overdue list applies of the plan: its days, the courses each
// position must complete, its exam.
func (p *plan) rule() models.OnboardingRule {
	r := models.OnboardingRule{WindowDays: p.row.WindowDays, DueDays: p.row.DueDays, Required: map[string][]uint{}}
	for _, pos := range models.Positions {
		for _, c := range p.required(pos) {
			r.Required[pos] = append(r.Required[pos], c.ID)
		}
	}
	if p.exam != nil {
		id := p.exam.ID
		r.ExamID = &id
	}
	return r
}

// OverdueRule is the onboarding plan as the overdue list (Overdue) applies it, for
// counts of that list at other days (the home dashboards).
func (s *Service) OverdueRule(ctx context.Context) (models.OnboardingRule, error) {
	p, err := s.loadPlan(ctx)
	if err != nil {
		return models.OnboardingRule{}, err
	}
	return p.rule(), nil
}

// rows turns overdue employees into rows with what each has done.
func (s *Service) rows(ctx context.Context, p *plan, today models.Date, emps []models.Employee) ([]OverdueRow, error) {
	ids := make([]uint, len(emps))
	for i, e := range emps {
		ids[i] = e.ID
	}
	out := make([]OverdueRow, 0, len(emps))
	done, err := models.CompletionsOf(ctx, s.DB, ids, p.row.CourseIDs)
	if err != nil {
		return nil, err
	}
	passed := map[uint]bool{}
	if p.exam != nil {
		if passed, err = models.PassedExam(ctx, s.DB, p.exam.ID, ids); err != nil {
			return nil, err
		}
	}
	for _, e := range emps {
		due := addDays(e.HireDate, p.row.DueDays)
		r := OverdueRow{EmployeeID: e.ID, JobNumber: e.JobNumber, Name: e.Name, Position: e.Position, HireDate: e.HireDate,
			DueDate: due, DaysOverdue: int(today.Time().Sub(due.Time()).Hours() / 24), ExamPassed: passed[e.ID]}
		if e.OrgUnit != nil {
			r.UnitCode, r.UnitName = e.OrgUnit.Code, e.OrgUnit.Name
		}
		for _, c := range p.required(e.Position) {
			r.CoursesRequired++
			for _, d := range done {
				if d.EmployeeID == e.ID && d.CourseID == c.ID {
					r.CoursesDone++
				}
			}
		}
		out = append(out, r)
	}
	return out, nil
}

// Overdue returns one page of the new hires in scope whose due date has passed with
// the plan unfinished, earliest hire first.
func (s *Service) Overdue(ctx context.Context, scope models.Scope, f OverdueFilter, page models.Page) (*OverdueList, error) {
	p, err := s.loadPlan(ctx)
	if err != nil {
		return nil, err
	}
	today := s.today()
	list, err := models.ListOverdueEmployees(ctx, s.DB, scope, p.overdueFilter(today, f, page))
	if err != nil {
		return nil, err
	}
	rows, err := s.rows(ctx, p, today, list.Items)
	if err != nil {
		return nil, err
	}
	return &OverdueList{Today: today, DueDays: p.row.DueDays, List: models.List[OverdueRow]{Items: rows, Total: list.Total}}, nil
}

// OverdueSheet names the sheet of the overdue workbook.
const OverdueSheet = "入职培训逾期名单"

// overdueColumns are the overdue sheet's columns.
var overdueColumns = []workbook.Column{{Title: "工号", Width: 14}, {Title: "姓名", Width: 10}, {Title: "单位编码", Width: 12},
	{Title: "单位", Width: 28}, {Title: "岗位", Width: 8}, {Title: "入职日期", Kind: workbook.Date, Width: 12},
	{Title: "应完成日期", Kind: workbook.Date, Width: 12}, {Title: "逾期天数", Kind: workbook.Int},
	{Title: "已完成课程", Kind: workbook.Int}, {Title: "应完成课程", Kind: workbook.Int}, {Title: "入职考试"}}

// OverdueColumns are the header of the overdue sheet.
var OverdueColumns = workbook.Titles(overdueColumns)

// WriteOverdueWorkbook writes the whole overdue list in scope (by job number) as an
// .xlsx workbook, streaming rows from the database; the caller gives a buffer, so a
// failure half-way can still become an error response.
func (s *Service) WriteOverdueWorkbook(ctx context.Context, scope models.Scope, f OverdueFilter, w io.Writer) error {
	p, err := s.loadPlan(ctx)
	if err != nil {
		return err
	}
	today := s.today()
	return workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet(OverdueSheet, overdueColumns, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		err = models.EachOverdueEmployee(ctx, s.DB, scope, p.overdueFilter(today, f, models.Page{}), func(batch []models.Employee) error {
			rows, err := s.rows(ctx, p, today, batch)
			if err != nil {
				return err
			}
			for _, r := range rows {
				exam := "未通过"
				if p.exam == nil {
					exam = "—"
				} else if r.ExamPassed {
					exam = "已通过"
				}
				if err := sh.Add(r.JobNumber, r.Name, r.UnitCode, r.UnitName, positionNames[r.Position], r.HireDate.Time(),
					r.DueDate.Time(), r.DaysOverdue, r.CoursesDone, r.CoursesRequired, exam); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
		return sh.Close()
	})
}
