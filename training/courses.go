package training

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"errors"
	"fmt"
	"math/big"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// Service runs the package's work (courses, sessions and attendance, the handbook, the
// onboarding plan and the coverage figures) on its database with an injected clock and
// sign-in code source, so expiry is tested without waiting. "Today" of the onboarding
// plan (R8.2) is the calendar date of Now in Loc, the company's zone.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
	Loc *time.Location
	// NewCode makes a sign-in code; the default is six random digits.
	NewCode func() (string, error)
	// MaxSignInGuesses is how many codes one user may try at one session's sign-in
	// before it refuses them until a new code (0: DefaultSignInGuesses).
	MaxSignInGuesses int
}

// NewService is a service on the wall clock, with days counted in loc, and
// random codes.
func NewService(db *gorm.DB, loc *time.Location) *Service {
	return &Service{DB: db, Now: func() time.Time { return time.Now().UTC() }, Loc: loc, NewCode: randomCode, MaxSignInGuesses: DefaultSignInGuesses}
}

// today is the company's calendar date now.
func (s *Service) today() models.Date { return models.DateOf(s.Now().In(s.Loc)) }

// guessLimit is the bound on sign-in guesses in force.
func (s *Service) guessLimit() int {
	if s.MaxSignInGuesses > 0 {
		return s.MaxSignInGuesses
	}
	return DefaultSignInGuesses
}

// CourseInput creates a draft course or, in an update, replaces its fields.
type CourseInput struct {
	Title     string            `json:"title"`
	Category  string            `json:"category"`                      // basics|etiquette|ethics|technical
	Mode      string            `json:"mode"`                          // face_to_face|online
	Positions []string          `json:"positions" maxItems:"5,dedupe"` // empty: every position; each of models.Positions once
	Materials []models.Material `json:"materials" maxItems:"30"`       // maxMaterials
}

// SessionInput schedules a face-to-face session held by a branch.
type SessionInput struct {
	StartsAt  time.Time `json:"starts_at"`
	EndsAt    time.Time `json:"ends_at"`
	Place     string    `json:"place"`
	OrgUnitID uint      `json:"org_unit_id"`
}

// AttendanceInput names the employee a trainer marks present.
type AttendanceInput struct {
	EmployeeID uint `json:"employee_id"`
}

// CodeInput opens self sign-in for Minutes (0: DefaultCodeMinutes).
type CodeInput struct {
	Minutes int `json:"minutes"`
}

// SignInInput is the code an employee types to sign in.
type SignInInput struct {
	Code string `json:"code"`
}

// SignInCode is an open sign-in code, shown to the trainer alone.
type SignInCode struct {
	SessionID uint      `json:"session_id"`
	Code      string    `json:"code"`
	ExpiresAt time.Time `json:"expires_at"`
}

// CourseView is a course with its sessions (sign-in codes are never shown).
type CourseView struct {
	models.Course
	Sessions []models.CourseSession `json:"sessions"`
}

// Attended is an attendance and the completion it gave.
type Attended struct {
	Attendance models.Attendance `json:"attendance"`
	Completion models.Completion `json:"completion"`
}

// Limits of a course.
const (
	maxMaterials       = 30 // = the maxItems tag of CourseInput.Materials
	maxMaterialText    = 20_000
	maxPlace           = 200
	DefaultCodeMinutes = 10
	maxCodeMinutes     = 240
	// DefaultSignInGuesses bounds the codes a user may try per session and code: five
	// tries in 10^6 codes leave a guesser one chance in 200,000.
	DefaultSignInGuesses = 5
)

// Refusals of course writes.
var (
	errCoursePublished    = &models.ConflictError{Field: "id", Code: "course_published"}
	errCourseNotPublished = &models.ConflictError{Field: "course", Code: "course_not_published"}
	errNotFaceToFace      = &models.ConflictError{Field: "mode", Code: "not_face_to_face"}
	errNotOnline          = &models.ConflictError{Field: "mode", Code: "not_online"}
	errNotForPosition     = &models.ConflictError{Field: "course", Code: "not_target_position"}
	errCourseNoEmployee   = &models.ConflictError{Field: "user", Code: "no_employee"}
	errSignInLocked       = &models.ConflictError{Field: "code", Code: "sign_in_locked"}
)

// randomCode is six digits from crypto/rand.
func randomCode() (string, error) {
	n, err := rand.Int(rand.Reader, big.NewInt(1_000_000))
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%06d", n.Int64()), nil
}

// checkCourse normalises and validates in into c's fields.
func checkCourse(in CourseInput, c *models.Course) error {
	ve := &models.ValidationError{}
	c.Title = strings.TrimSpace(in.Title)
	switch n := utf8.RuneCountInString(c.Title); {
	case n == 0:
		ve.Add("title", "required")
	case n > maxTitle:
		ve.Add("title", "too_long", "max", maxTitle)
	}
	c.Category, c.Mode = in.Category, in.Mode
	if !slices.Contains(models.CourseCategories, c.Category) {
		ve.Add("category", "invalid_choice")
	}
	if !slices.Contains(models.CourseModes, c.Mode) {
		ve.Add("mode", "invalid_choice")
	}
	c.Positions = models.JSONList[string]{}
	for _, p := range in.Positions {
		if !slices.Contains(models.Positions, p) {
			ve.Add("positions", "invalid_choice")
			break
		}
		if !slices.Contains(c.Positions, p) {
			c.Positions = append(c.Positions, p)
		}
	}
	if len(in.Materials) > maxMaterials {
		ve.Add("materials", "too_long", "max", maxMaterials)
	}
	c.Materials = models.JSONList[models.Material]{}
	for i, m := range in.Materials {
		field := fmt.Sprintf("materials[%d]", i)
		m = models.Material{Title: strings.TrimSpace(m.Title), URL: strings.TrimSpace(m.URL), Text: strings.TrimSpace(m.Text)}
		switch n := utf8.RuneCountInString(m.Title); {
		case n == 0:
			ve.Add(field+".title", "required")
		case n > maxTitle:
			ve.Add(field+".title", "too_long", "max", maxTitle)
		}
		if (m.URL == "") == (m.Text == "") {
			ve.Add(field, "url_or_text")
		}
		if m.URL != "" && !webURL(m.URL) {
			ve.Add(field+".url", "invalid")
		}
		if utf8.RuneCountInString(m.Text) > maxMaterialText {
			ve.Add(field+".text", "too_long", "max", maxMaterialText)
		}
		c.Materials = append(c.Materials, m)
	}
	return ve.Err()
}

// webURL accepts absolute http(s) links only: a javascript: link must never reach a page.
func webURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" && len(s) <= 1000
}

// CreateCourse validates in and stores a new draft course.
func (s *Service) CreateCourse(ctx context.Context, actor models.Actor, in CourseInput) (*models.Course, error) {
	c := &models.Course{Status: models.CourseDraft}
	if err := checkCourse(in, c); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, c); err != nil {
			return models.Translate(err, "title")
		}
		return models.Audit(tx, actor, "create", "course", c.ID,
			map[string]any{"title": c.Title, "category": c.Category, "mode": c.Mode, "positions": c.Positions, "materials": len(c.Materials)})
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// UpdateCourse replaces a draft's fields; a published course is a conflict, because
// employees have completed what it said.
func (s *Service) UpdateCourse(ctx context.Context, actor models.Actor, id uint, in CourseInput) (*models.Course, error) {
	c, err := models.GetCourse(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if c.Status != models.CourseDraft {
		return nil, errCoursePublished
	}
	before := *c
	if err := checkCourse(in, c); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.UpdateDraftCourse(tx, c); errors.Is(err, models.ErrStale) {
			return errCoursePublished // published by a parallel request
		} else if err != nil {
			return models.Translate(err, "title")
		}
		return models.Audit(tx, actor, "update", "course", c.ID, models.Diff(map[string][2]any{
			"title": {before.Title, c.Title}, "category": {before.Category, c.Category}, "mode": {before.Mode, c.Mode},
			"positions": {before.Positions, c.Positions}, "materials": {len(before.Materials), len(c.Materials)},
		}))
	})
	if err != nil {
		return nil, err
	}
	return models.GetCourse(ctx, s.DB, id)
}

// PublishCourse publishes a draft that has at least one material.
func (s *Service) PublishCourse(ctx context.Context, actor models.Actor, id uint) (*models.Course, error) {
	c, err := models.GetCourse(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if c.Status != models.CourseDraft {
		return nil, errCoursePublished
	}
	if len(c.Materials) == 0 {
		return nil, &models.ValidationError{Fields: []models.FieldError{{Field: "materials", Code: "required"}}}
	}
	now := s.Now().UTC()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.PublishCourse(tx, id, now); errors.Is(err, models.ErrStale) {
			return errCoursePublished
		} else if err != nil {
			return err
		}
		return models.Audit(tx, actor, "publish", "course", id, map[string]any{"title": c.Title})
	})
	if err != nil {
		return nil, err
	}
	return models.GetCourse(ctx, s.DB, id)
}

// ListCourses returns one page of courses: editors see drafts too, everyone else only
// published courses.
func (s *Service) ListCourses(ctx context.Context, editor bool, f models.CourseFilter) (models.List[models.Course], error) {
	f.PublishedOnly = f.PublishedOnly || !editor
	return models.ListCourses(ctx, s.DB, f)
}

// GetCourse returns a course with its sessions; a draft is ErrNotFound to non-editors.
func (s *Service) GetCourse(ctx context.Context, editor bool, id uint) (*CourseView, error) {
	c, err := models.GetCourse(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if !editor && c.Status != models.CoursePublished {
		return nil, fmt.Errorf("course %d is a draft: %w", id, models.ErrNotFound)
	}
	sessions, err := models.CourseSessions(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	return &CourseView{Course: *c, Sessions: sessions}, nil
}

// CreateSession schedules a session of a face-to-face course in a unit of the caller's scope.
func (s *Service) CreateSession(ctx context.Context, actor models.Actor, scope models.Scope, courseID uint, in SessionInput) (*models.CourseSession, error) {
	c, err := models.GetCourse(ctx, s.DB, courseID)
	if err != nil {
		return nil, err
	}
	if c.Mode != models.ModeFaceToFace {
		return nil, errNotFaceToFace
	}
	ve := &models.ValidationError{}
	sess := &models.CourseSession{CourseID: c.ID, StartsAt: in.StartsAt.UTC(), EndsAt: in.EndsAt.UTC(), Place: strings.TrimSpace(in.Place), OrgUnitID: in.OrgUnitID}
	if in.StartsAt.IsZero() {
		ve.Add("starts_at", "required")
	}
	if in.EndsAt.IsZero() {
		ve.Add("ends_at", "required")
	} else if !in.StartsAt.IsZero() && !sess.EndsAt.After(sess.StartsAt) {
		ve.Add("ends_at", "ends_before_start")
	}
	switch n := utf8.RuneCountInString(sess.Place); {
	case n == 0:
		ve.Add("place", "required")
	case n > maxPlace:
		ve.Add("place", "too_long", "max", maxPlace)
	}
	if in.OrgUnitID == 0 {
		ve.Add("org_unit_id", "required")
	} else if _, err := models.GetOrgUnit(ctx, s.DB, scope, in.OrgUnitID); errors.Is(err, models.ErrNotFound) {
		ve.Add("org_unit_id", "not_found")
	} else if err != nil {
		return nil, err
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, sess); err != nil {
			return models.Translate(err, "org_unit_id")
		}
		return models.Audit(tx, actor, "create", "course_session", sess.ID,
			map[string]any{"course_id": c.ID, "starts_at": sess.StartsAt, "org_unit_id": sess.OrgUnitID, "place": sess.Place})
	})
	if err != nil {
		return nil, err
	}
	return sess, nil
}

// publishedSession loads a session and its course, which must be published.
func (s *Service) publishedSession(ctx context.Context, sessionID uint) (*models.CourseSession, *models.Course, error) {
	sess, err := models.GetCourseSession(ctx, s.DB, sessionID)
	if err != nil {
		return nil, nil, err
	}
	return s.publishedCourse(ctx, sess)
}

// publishedCourse loads the course of session sess, which must be published.
func (s *Service) publishedCourse(ctx context.Context, sess *models.CourseSession) (*models.CourseSession, *models.Course, error) {
	c, err := models.GetCourse(ctx, s.DB, sess.CourseID)
	if err != nil {
		return nil, nil, err
	}
	if c.Status != models.CoursePublished {
		return nil, nil, errCourseNotPublished
	}
	return sess, c, nil
}

// reachOf are the units whose sessions emp may sign in to: a session is for the staff
// of its unit's subtree, so their own unit and every unit above it.
func reachOf(emp *models.Employee) []uint {
	if emp.OrgUnit == nil {
		return []uint{emp.OrgUnitID}
	}
	return models.PathIDs(emp.OrgUnit.Path)
}

// OpenSignIn gives a session a fresh code valid for in.Minutes; a new code replaces
// the previous one.
func (s *Service) OpenSignIn(ctx context.Context, actor models.Actor, sessionID uint, in CodeInput) (*SignInCode, error) {
	minutes := in.Minutes
	if minutes == 0 {
		minutes = DefaultCodeMinutes
	}
	if minutes < 1 || minutes > maxCodeMinutes {
		return nil, &models.ValidationError{Fields: []models.FieldError{{Field: "minutes", Code: "out_of_range", Params: map[string]any{"min": 1, "max": maxCodeMinutes}}}}
	}
	sess, _, err := s.publishedSession(ctx, sessionID)
	if err != nil {
		return nil, err
	}
	code, err := s.NewCode()
	if err != nil {
		return nil, err
	}
	expires := s.Now().UTC().Add(time.Duration(minutes) * time.Minute)
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.SetSignInCode(tx, sess.ID, code, expires); err != nil {
			return err
		}
		// A new code gives everyone their tries back.
		if err := models.ClearSignInGuesses(tx, sess.ID); err != nil {
			return err
		}
		// The code itself stays out of the log.
		return models.Audit(tx, actor, "open_sign_in", "course_session", sess.ID, map[string]any{"expires": expires})
	})
	if err != nil {
		return nil, err
	}
	return &SignInCode{SessionID: sess.ID, Code: code, ExpiresAt: expires}, nil
}

// MarkAttendance records, for a trainer, that an employee of the caller's scope in
// one of the course's positions attended; it completes the course. Marking twice
// returns the first record (created false).
func (s *Service) MarkAttendance(ctx context.Context, actor models.Actor, scope models.Scope, sessionID uint, in AttendanceInput) (*Attended, bool, error) {
	sess, c, err := s.publishedSession(ctx, sessionID)
	if err != nil {
		return nil, false, err
	}
	ve := &models.ValidationError{}
	var emp *models.Employee
	if in.EmployeeID == 0 {
		ve.Add("employee_id", "required")
	} else if emp, err = models.GetEmployee(ctx, s.DB, scope, in.EmployeeID); errors.Is(err, models.ErrNotFound) {
		ve.Add("employee_id", "not_found")
	} else if err != nil {
		return nil, false, err
	} else if emp.Status != models.StatusActive {
		ve.Add("employee_id", "not_active")
	} else if !c.For(emp.Position) {
		ve.Add("employee_id", "not_target_position")
	}
	if err := ve.Err(); err != nil {
		return nil, false, err
	}
	return s.attend(ctx, actor, sess, emp.ID, models.AttendanceByTrainer)
}

// SignIn records the attendance of the caller's own employee (employeeID; nil: none)
// with the session's open code. A session held outside the employee's reach (their
// unit and the units above it) is not found, exactly as a missing one, before any
// guess is counted. A wrong or expired code is a 422 on field code; the guess that
// uses up the caller's tries, and every one after it, is the conflict sign_in_locked
// (409) until the trainer opens a new code or marks the employee present.
func (s *Service) SignIn(ctx context.Context, actor models.Actor, employeeID *uint, sessionID uint, in SignInInput) (*Attended, bool, error) {
	if employeeID == nil {
		return nil, false, errCourseNoEmployee
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *employeeID)
	if err != nil {
		return nil, false, err
	}
	sess, err := models.GetCourseSessionAt(ctx, s.DB, sessionID, reachOf(emp))
	if err != nil {
		return nil, false, err
	}
	sess, c, err := s.publishedCourse(ctx, sess)
	if err != nil {
		return nil, false, err
	}
	if !c.For(emp.Position) {
		return nil, false, errNotForPosition
	}
	code := strings.TrimSpace(in.Code)
	if code == "" {
		return nil, false, codeError("required")
	}
	err = s.checkCode(ctx, actor, sess, code)
	if errors.Is(err, errSignInLocked) {
		// Once the trainer has marked the employee present, the lock no longer matters.
		if done, aerr := s.attended(ctx, sess, emp.ID); aerr == nil {
			return done, false, nil
		}
	}
	if err != nil {
		return nil, false, err
	}
	return s.attend(ctx, actor, sess, emp.ID, models.AttendanceSelf)
}

// checkCode compares code with the session's open code, counting the guess first in
// the database: at most guessLimit codes are ever compared per user and code, however
// many requests arrive at once, and past it even the right code is refused until the
// trainer opens a new one. The guess that uses up the last try is audited once, in the
// transaction that counts it.
func (s *Service) checkCode(ctx context.Context, actor models.Actor, sess *models.CourseSession, code string) error {
	limit := s.guessLimit()
	now := s.Now().UTC()
	var refusal error
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		n, err := models.AddSignInGuess(tx, sess.ID, actor.UserID, now)
		if err != nil {
			return err
		}
		if n > limit {
			return errSignInLocked // rolled back: a refused request is not a guess
		}
		switch {
		case sess.SignInCode == nil || subtle.ConstantTimeCompare([]byte(*sess.SignInCode), []byte(code)) != 1:
			refusal = codeError("sign_in_code_wrong")
		case sess.SignInExpires == nil || !now.Before(*sess.SignInExpires):
			refusal = codeError("sign_in_code_expired")
		default:
			return nil
		}
		if n < limit {
			return nil
		}
		refusal = errSignInLocked
		return models.Audit(tx, actor, "sign_in_locked", "course_session", sess.ID, map[string]any{"guesses": n})
	})
	if err != nil {
		return err
	}
	return refusal
}

func codeError(code string) error {
	return &models.ValidationError{Fields: []models.FieldError{{Field: "code", Code: code}}}
}

// attend writes the attendance and, unless the course is complete already, its
// completion, with their audit events in one transaction. A second attendance at the
// same session returns the first (created false).
func (s *Service) attend(ctx context.Context, actor models.Actor, sess *models.CourseSession, employeeID uint, method string) (*Attended, bool, error) {
	existing := func() (*Attended, bool, error) {
		out, err := s.attended(ctx, sess, employeeID)
		return out, false, err
	}
	if out, _, err := existing(); err == nil {
		return out, false, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, false, err
	}
	now := s.Now().UTC()
	a := &models.Attendance{SessionID: sess.ID, EmployeeID: employeeID, Method: method, At: now}
	if actor.UserID != 0 {
		uid := actor.UserID
		a.ByUserID = &uid
	}
	var comp *models.Completion
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, a); err != nil {
			return models.Translate(err, "employee_id")
		}
		if err := models.Audit(tx, actor, "attend", "attendance", a.ID,
			map[string]any{"session_id": sess.ID, "employee_id": employeeID, "method": method}); err != nil {
			return err
		}
		var err error
		comp, err = s.complete(tx, actor, sess.CourseID, employeeID, models.CompletedAttendance, now)
		return err
	})
	if errors.Is(err, models.ErrConflict) {
		return existing() // a parallel request won
	}
	if err != nil {
		return nil, false, err
	}
	return &Attended{Attendance: *a, Completion: *comp}, true, nil
}

// attended returns the employee's attendance at the session with the completion it
// gave, or ErrNotFound.
func (s *Service) attended(ctx context.Context, sess *models.CourseSession, employeeID uint) (*Attended, error) {
	a, err := models.GetAttendance(ctx, s.DB, sess.ID, employeeID)
	if err != nil {
		return nil, err
	}
	c, err := models.GetCompletion(ctx, s.DB, sess.CourseID, employeeID)
	if err != nil {
		return nil, err
	}
	return &Attended{Attendance: *a, Completion: *c}, nil
}

// complete returns the employee's completion of the course, creating it (and its audit
// event) with tx when there is none.
func (s *Service) complete(tx *gorm.DB, actor models.Actor, courseID, employeeID uint, method string, at time.Time) (*models.Completion, error) {
	if have, err := models.GetCompletion(tx.Statement.Context, tx, courseID, employeeID); err == nil {
		return have, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	c := &models.Completion{CourseID: courseID, EmployeeID: employeeID, At: at, Method: method}
	if err := models.Insert(tx, c); err != nil {
		return nil, models.Translate(err, "course")
	}
	return c, models.Audit(tx, actor, "complete", "completion", c.ID,
		map[string]any{"course_id": courseID, "employee_id": employeeID, "method": method})
}

// CompleteOnline records that the caller's own employee (nil: none) completed a
// published online course meant for their position. It is idempotent: a second call
// returns the first completion (created false).
func (s *Service) CompleteOnline(ctx context.Context, actor models.Actor, employeeID *uint, courseID uint) (*models.Completion, bool, error) {
	if employeeID == nil {
		return nil, false, errCourseNoEmployee
	}
	c, err := models.GetCourse(ctx, s.DB, courseID)
	switch {
	case err != nil:
		return nil, false, err
	case c.Status != models.CoursePublished:
		return nil, false, fmt.Errorf("course %d is a draft: %w", courseID, models.ErrNotFound)
	case c.Mode != models.ModeOnline:
		return nil, false, errNotOnline
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *employeeID)
	if err != nil {
		return nil, false, err
	}
	if !c.For(emp.Position) {
		return nil, false, errNotForPosition
	}
	if have, err := models.GetCompletion(ctx, s.DB, c.ID, emp.ID); err == nil {
		return have, false, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, false, err
	}
	var comp *models.Completion
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		comp, err = s.complete(tx, actor, c.ID, emp.ID, models.CompletedOnline, s.Now().UTC())
		return err
	})
	if errors.Is(err, models.ErrConflict) {
		have, gerr := models.GetCompletion(ctx, s.DB, c.ID, emp.ID)
		return have, false, gerr
	}
	if err != nil {
		return nil, false, err
	}
	return comp, true, nil
}
