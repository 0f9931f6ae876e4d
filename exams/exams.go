package exams

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// ExamInput creates an exam (a draft) or, in an update, replaces its settings.
type ExamInput struct {
	Title string `json:"title"`
	Kind  string `json:"kind"`
	// Blueprint: 4 categories × 4 difficulties make 16 distinct rules; 50 leaves room.
	Blueprint []models.BlueprintRule `json:"blueprint" maxItems:"50"`
	// Fixed: as many questions as one blueprint rule may draw (200).
	Fixed            []models.FixedItem `json:"fixed" maxItems:"200"`
	TimeLimitMinutes int                `json:"time_limit_minutes"`
	OpensAt          time.Time          `json:"opens_at"`
	ClosesAt         time.Time          `json:"closes_at"`
	PassPercent      int                `json:"pass_percent"`
	AttemptsAllowed  int                `json:"attempts_allowed"`
	CoolOffMinutes   int                `json:"cool_off_minutes"`
	Grading          string             `json:"grading"`
	ShuffleQuestions bool               `json:"shuffle_questions"`
	ShuffleOptions   bool               `json:"shuffle_options"`
	// Positions: each of models.Positions once.
	Positions []string `json:"positions" maxItems:"5,dedupe"`
	// OrgUnitIDs: a full province (about 400 outlets, 100 county branches, 11 cities)
	// fits twice in 1,000; each id is one lookup when the exam is saved and started.
	OrgUnitIDs []uint `json:"org_unit_ids" maxItems:"1000,dedupe"`
}

func (s *Service) checkExam(ctx context.Context, v *models.ValidationError, in *ExamInput) {
	in.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		v.Add("title", "required")
	case n > 200:
		v.Add("title", "too_long", "max", 200)
	}
	if !slices.Contains(models.ExamKinds, in.Kind) {
		v.Add("kind", "invalid_choice")
	}
	if len(in.Blueprint) > 0 && len(in.Fixed) > 0 {
		v.Add("fixed", "blueprint_or_fixed")
	}
	if len(in.Blueprint) == 0 && len(in.Fixed) == 0 {
		v.Add("blueprint", "required")
	}
	for i, r := range in.Blueprint {
		f := "blueprint[" + strconv.Itoa(i) + "]."
		if !slices.Contains(models.QuestionCategories, r.Category) {
			v.Add(f+"category", "invalid_choice")
		}
		if r.Difficulty < 0 || r.Difficulty > 3 {
			v.Add(f+"difficulty", "out_of_range", "min", 0, "max", 3)
		}
		if r.Count < 1 || r.Count > 200 {
			v.Add(f+"count", "out_of_range", "min", 1, "max", 200)
		}
		if r.Points < 1 || r.Points > 100 {
			v.Add(f+"points", "out_of_range", "min", 1, "max", 100)
		}
	}
	seen := map[string]bool{}
	for i, it := range in.Fixed {
		f := "fixed[" + strconv.Itoa(i) + "]."
		if it.Code == "" || seen[it.Code] {
			v.Add(f+"code", "invalid")
		}
		seen[it.Code] = true
		if it.Points < 1 || it.Points > 100 {
			v.Add(f+"points", "out_of_range", "min", 1, "max", 100)
		}
	}
	if in.TimeLimitMinutes < 1 || in.TimeLimitMinutes > 600 {
		v.Add("time_limit_minutes", "out_of_range", "min", 1, "max", 600)
	}
	switch {
	case in.OpensAt.IsZero():
		v.Add("opens_at", "required")
	case in.ClosesAt.IsZero():
		v.Add("closes_at", "required")
	case !in.ClosesAt.After(in.OpensAt):
		v.Add("closes_at", "before_opens_at")
	}
	in.OpensAt, in.ClosesAt = in.OpensAt.UTC(), in.ClosesAt.UTC()
	if in.PassPercent < 1 || in.PassPercent > 100 {
		v.Add("pass_percent", "out_of_range", "min", 1, "max", 100)
	}
	if in.AttemptsAllowed < 0 || in.AttemptsAllowed > 100 {
		v.Add("attempts_allowed", "out_of_range", "min", 0, "max", 100)
	}
	if in.CoolOffMinutes < 0 || in.CoolOffMinutes > 60*24*90 {
		v.Add("cool_off_minutes", "out_of_range", "min", 0, "max", 60*24*90)
	}
	if in.Grading == "" {
		in.Grading = models.GradeHighest
	}
	if in.Grading != models.GradeHighest && in.Grading != models.GradeLast {
		v.Add("grading", "invalid_choice")
	}
	for _, p := range in.Positions {
		if !slices.Contains(models.Positions, p) {
			v.Add("positions", "invalid_choice")
			break
		}
	}
	for _, id := range in.OrgUnitIDs {
		if _, err := models.GetOrgUnit(ctx, s.DB, models.ScopeAll, id); err != nil {
			v.Add("org_unit_ids", "not_found")
			break
		}
	}
}

func (in *ExamInput) apply(e *models.Exam) {
	e.Title, e.Kind, e.Blueprint, e.Fixed = in.Title, in.Kind, in.Blueprint, in.Fixed
	e.TimeLimitMinutes, e.OpensAt, e.ClosesAt, e.PassPercent = in.TimeLimitMinutes, in.OpensAt, in.ClosesAt, in.PassPercent
	e.AttemptsAllowed, e.CoolOffMinutes, e.Grading = in.AttemptsAllowed, in.CoolOffMinutes, in.Grading
	e.ShuffleQuestions, e.ShuffleOptions, e.Positions, e.OrgUnitIDs = in.ShuffleQuestions, in.ShuffleOptions, in.Positions, in.OrgUnitIDs
}

// CreateExam validates in and stores a draft exam.
func (s *Service) CreateExam(ctx context.Context, actor models.Actor, in ExamInput) (*models.Exam, error) {
	v := &models.ValidationError{}
	s.checkExam(ctx, v, &in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := &models.Exam{Status: models.ExamDraft}
	in.apply(e)
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, e); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "exam", e.ID, map[string]any{"title": e.Title, "kind": e.Kind})
	})
	return e, err
}

// UpdateExam replaces an exam's settings. Once an attempt exists only the title, the
// closing time and the attempts allowed may change: the structure is frozen.
func (s *Service) UpdateExam(ctx context.Context, actor models.Actor, id uint, in ExamInput) (*models.Exam, error) {
	e, err := models.GetExam(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	s.checkExam(ctx, v, &in)
	if err := v.Err(); err != nil {
		return nil, err
	}
	next := *e
	in.apply(&next)
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := models.CountAttempts(tx, e.ID)
		if err != nil {
			return err
		}
		if n > 0 {
			frozen := next
			frozen.Title, frozen.ClosesAt, frozen.AttemptsAllowed = e.Title, e.ClosesAt, e.AttemptsAllowed
			if !sameStructure(&frozen, e) {
				return &models.ConflictError{Field: "id", Code: "exam_frozen"}
			}
		}
		if err := models.UpdateExam(tx, &next); err != nil {
			return err
		}
		return models.Audit(tx, actor, "update", "exam", e.ID, map[string]any{"title": next.Title})
	})
	if err != nil {
		return nil, err
	}
	return &next, nil
}

// sameStructure compares two exams field by field through their JSON form. A list
// read back from the database is empty, never nil, while an input may omit it: both
// count as empty, or a title-only update would look structural.
func sameStructure(a, b *models.Exam) bool {
	ja, errA := json.Marshal(emptyLists(*a))
	jb, errB := json.Marshal(emptyLists(*b))
	return errA == nil && errB == nil && string(ja) == string(jb)
}

func emptyLists(e models.Exam) models.Exam {
	if e.Blueprint == nil {
		e.Blueprint = models.JSONList[models.BlueprintRule]{}
	}
	if e.Fixed == nil {
		e.Fixed = models.JSONList[models.FixedItem]{}
	}
	if e.Positions == nil {
		e.Positions = models.JSONList[string]{}
	}
	if e.OrgUnitIDs == nil {
		e.OrgUnitIDs = models.JSONList[uint]{}
	}
	return e
}

// PublishExam opens a draft for attempts; it is refused while a blueprint rule asks for
// more questions than the bank holds.
func (s *Service) PublishExam(ctx context.Context, actor models.Actor, id uint) (*models.Exam, error) {
	e, err := models.GetExam(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if e.Status == models.ExamPublished {
		return e, nil
	}
	pool, err := models.CurrentQuestions(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	if _, err := Draw(e, pool, nil, newRand()); err != nil {
		var pe *PoolError
		if errors.As(err, &pe) {
			v := &models.ValidationError{}
			if pe.Missing != "" {
				v.Add("fixed", "question_missing", "code", pe.Missing)
			} else {
				v.Add("blueprint["+strconv.Itoa(pe.Rule)+"].count", "pool_too_small", "want", pe.Want, "got", pe.Got)
			}
			return nil, v
		}
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.SetExamStatus(tx, e, models.ExamPublished); err != nil {
			return err
		}
		return models.Audit(tx, actor, "publish", "exam", e.ID, nil)
	})
	e.Status = models.ExamPublished
	return e, err
}

// OverrideInput gives one employee extra time or attempts, with a reason.
type OverrideInput struct {
	EmployeeID    uint   `json:"employee_id"`
	ExtraMinutes  int    `json:"extra_minutes"`
	ExtraAttempts int    `json:"extra_attempts"`
	Reason        string `json:"reason"`
}

// SetOverride records (or replaces) an employee's override on an exam.
func (s *Service) SetOverride(ctx context.Context, actor models.Actor, scope models.Scope, examID uint, in OverrideInput) (*models.ExamOverride, error) {
	if _, err := models.GetExam(ctx, s.DB, examID); err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	if _, err := models.GetEmployee(ctx, s.DB, scope, in.EmployeeID); err != nil {
		v.Add("employee_id", "not_found")
	}
	if in.ExtraMinutes < 0 || in.ExtraMinutes > 600 {
		v.Add("extra_minutes", "out_of_range", "min", 0, "max", 600)
	}
	if in.ExtraAttempts < 0 || in.ExtraAttempts > 10 {
		v.Add("extra_attempts", "out_of_range", "min", 0, "max", 10)
	}
	in.Reason = strings.TrimSpace(in.Reason)
	if in.Reason == "" {
		v.Add("reason", "required")
	} else if utf8.RuneCountInString(in.Reason) > 500 {
		v.Add("reason", "too_long", "max", 500)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	o := &models.ExamOverride{ExamID: examID, EmployeeID: in.EmployeeID, ExtraMinutes: in.ExtraMinutes, ExtraAttempts: in.ExtraAttempts, Reason: in.Reason}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.ReplaceOverride(tx, o); err != nil {
			return err
		}
		return models.Audit(tx, actor, "override", "exam", examID, in)
	})
	return o, err
}

// Trainer reports whether a user manages exams (trainers and admins).
func Trainer(u *models.User) bool {
	for _, g := range u.Grants {
		if g.Role == models.RoleTrainer || g.Role == models.RoleAdmin {
			return true
		}
	}
	return false
}

// Visible loads an exam as the user may see it: trainers see every exam, everyone else
// only published exams whose audience includes them (otherwise ErrNotFound).
func (s *Service) Visible(ctx context.Context, u *models.User, id uint) (*models.Exam, error) {
	e, err := models.GetExam(ctx, s.DB, id)
	if err != nil || Trainer(u) {
		return e, err
	}
	mine, err := s.takenBy(ctx, u, []models.Exam{*e})
	if err != nil {
		return nil, err
	}
	if len(mine) == 0 {
		return nil, fmt.Errorf("exam %d: %w", id, models.ErrNotFound)
	}
	return e, nil
}

// ListVisible lists the exams a user may see, newest first.
func (s *Service) ListVisible(ctx context.Context, u *models.User, p models.Page) (models.List[models.Exam], error) {
	if Trainer(u) {
		return models.ListExams(ctx, s.DB, false, p)
	}
	all, err := models.ListExams(ctx, s.DB, true, models.Page{PerPage: models.MaxPerPage})
	if err != nil {
		return all, err
	}
	mine, err := s.takenBy(ctx, u, all.Items)
	return models.List[models.Exam]{Items: mine, Total: int64(len(mine))}, err
}

// takenBy keeps the published exams whose audience includes the user's employee,
// with the employee and every audience unit loaded once, whatever the number of exams.
func (s *Service) takenBy(ctx context.Context, u *models.User, all []models.Exam) ([]models.Exam, error) {
	out := []models.Exam{}
	if u.EmployeeID == nil {
		return out, nil
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *u.EmployeeID)
	if err != nil {
		return out, err
	}
	var ids []uint
	for _, e := range all {
		ids = append(ids, e.OrgUnitIDs...)
	}
	pathOf, err := models.UnitPaths(ctx, s.DB, ids)
	if err != nil {
		return out, err
	}
	for _, e := range all {
		if e.Status != models.ExamPublished {
			continue
		}
		var paths []string
		for _, id := range e.OrgUnitIDs {
			if p, ok := pathOf[id]; ok {
				paths = append(paths, p)
			}
		}
		if InAudience(&e, emp.Position, emp.OrgUnit.Path, paths) {
			out = append(out, e)
		}
	}
	return out, nil
}

// OpenNotPassed counts the exams the user may take (ListVisible, its first page of 50)
// that are published and open at now and that their employee has not passed.
func (s *Service) OpenNotPassed(ctx context.Context, u *models.User, now time.Time) (int64, error) {
	if u.EmployeeID == nil {
		return 0, nil
	}
	list, err := s.ListVisible(ctx, u, models.Page{PerPage: 50})
	if err != nil {
		return 0, err
	}
	var open []uint
	for _, e := range list.Items {
		if e.Status == models.ExamPublished && !now.Before(e.OpensAt) && now.Before(e.ClosesAt) {
			open = append(open, e.ID)
		}
	}
	passed, err := models.PassedExamsOf(ctx, s.DB, *u.EmployeeID, open)
	return int64(len(open) - len(passed)), err
}
