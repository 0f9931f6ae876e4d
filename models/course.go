package models

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Course categories (R8.2 company basics, R8.3 etiquette, R8.4 ethics, and technical skills).
const (
	CourseBasics    = "basics"
	CourseEtiquette = "etiquette"
	CourseEthics    = "ethics"
	CourseTechnical = "technical"
)

// CourseCategories lists every category.
var CourseCategories = []string{CourseBasics, CourseEtiquette, CourseEthics, CourseTechnical}

// Course modes: R8 "training is face-to-face and online".
const (
	ModeFaceToFace = "face_to_face"
	ModeOnline     = "online"
)

// CourseModes lists every mode.
var CourseModes = []string{ModeFaceToFace, ModeOnline}

// Course statuses: a draft can change; a published course is taken and never edited.
const (
	CourseDraft     = "draft"
	CoursePublished = "published"
)

// Ways a course is completed, and attendance is taken.
const (
	CompletedOnline     = "online"
	CompletedAttendance = "attendance"
	AttendanceByTrainer = "trainer"
	AttendanceSelf      = "self"
)

// Material is one item of a course's materials: a link or a text.
type Material struct {
	Title string `json:"title"`
	URL   string `json:"url,omitempty"`
	Text  string `json:"text,omitempty"`
}

// Course is a training course for some positions (none: everyone).
type Course struct {
	ID        uint             `gorm:"primaryKey" json:"id"`
	Title     string           `gorm:"size:200;not null" json:"title"`
	Category  string           `gorm:"size:16;not null;index" json:"category"`
	Mode      string           `gorm:"size:16;not null" json:"mode"`
	Status    string           `gorm:"size:16;not null;index" json:"status"`
	Positions JSONList[string] `gorm:"not null" json:"positions"`
	// Materials can be long texts: MEDIUMTEXT, since TEXT stops at 64 KB on MySQL.
	Materials   JSONList[Material] `gorm:"type:mediumtext;not null" json:"materials"`
	PublishedAt *time.Time         `json:"published_at"`
	CreatedAt   time.Time          `json:"created_at"`
	UpdatedAt   time.Time          `json:"updated_at"`
}

// For reports whether the course targets employees in position.
func (c *Course) For(position string) bool {
	if len(c.Positions) == 0 {
		return true
	}
	for _, p := range c.Positions {
		if p == position {
			return true
		}
	}
	return false
}

// CourseSession is one face-to-face meeting of a course, held by a branch. SignInCode
// is set while a trainer has opened self sign-in, until SignInExpires.
type CourseSession struct {
	ID            uint       `gorm:"primaryKey" json:"id"`
	CourseID      uint       `gorm:"not null;index" json:"course_id"`
	Course        *Course    `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	StartsAt      time.Time  `gorm:"not null" json:"starts_at"`
	EndsAt        time.Time  `gorm:"not null" json:"ends_at"`
	Place         string     `gorm:"size:200;not null" json:"place"`
	OrgUnitID     uint       `gorm:"not null;index" json:"org_unit_id"`
	OrgUnit       *OrgUnit   `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	SignInCode    *string    `gorm:"size:16" json:"-"`
	SignInExpires *time.Time `json:"sign_in_expires"`
	CreatedAt     time.Time  `json:"created_at"`
}

// Attendance records that an employee attended a session, marked by a trainer or by
// the employee's own sign-in; ByUserID is the login that recorded it.
type Attendance struct {
	ID         uint           `gorm:"primaryKey" json:"id"`
	SessionID  uint           `gorm:"not null;uniqueIndex:ux_attendance" json:"session_id"`
	Session    *CourseSession `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	EmployeeID uint           `gorm:"not null;uniqueIndex:ux_attendance;index" json:"employee_id"`
	Employee   *Employee      `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Method     string         `gorm:"size:16;not null" json:"method"`
	At         time.Time      `gorm:"not null" json:"at"`
	ByUserID   *uint          `json:"by_user_id"`
}

// Completion records that an employee completed a course, online or by attendance.
type Completion struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	CourseID   uint      `gorm:"not null;uniqueIndex:ux_completion;index:idx_completion_employee,priority:2" json:"course_id"`
	Course     *Course   `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	EmployeeID uint      `gorm:"not null;uniqueIndex:ux_completion;index:idx_completion_employee,priority:1" json:"employee_id"`
	Employee   *Employee `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	At         time.Time `gorm:"not null;index:idx_completion_employee,priority:3" json:"at"`
	Method     string    `gorm:"size:16;not null" json:"method"`
}

// OnboardingPlan is what a new hire must finish within DueDays of the hire date (R8.2):
// the courses and the onboarding exam. Only staff hired within the last WindowDays are
// held to it, so long-serving staff, hired before any plan existed, are not "overdue".
// There is one row.
type OnboardingPlan struct {
	ID         uint           `gorm:"primaryKey" json:"id"`
	DueDays    int            `gorm:"not null" json:"due_days"`
	WindowDays int            `gorm:"not null" json:"window_days"`
	CourseIDs  JSONList[uint] `gorm:"not null" json:"course_ids"`
	ExamID     *uint          `json:"exam_id"`
	UpdatedAt  time.Time      `json:"updated_at"`
}

// CourseFilter selects courses; zero fields do not filter.
type CourseFilter struct {
	PublishedOnly bool
	Category      string
	Mode          string
	Page
}

// GetCourse loads one course or fails with ErrNotFound.
func GetCourse(ctx context.Context, db *gorm.DB, id uint) (*Course, error) {
	var c Course
	err := db.WithContext(ctx).Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("course %d: %w", id, ErrNotFound)
	}
	return &c, err
}

// ListCourses returns one page of courses, newest first.
func ListCourses(ctx context.Context, db *gorm.DB, f CourseFilter) (List[Course], error) {
	q := db.WithContext(ctx).Model(&Course{})
	if f.PublishedOnly {
		q = q.Where("status = ?", CoursePublished)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Mode != "" {
		q = q.Where("mode = ?", f.Mode)
	}
	return pageOf[Course](q, f.Page, "id DESC")
}

// CoursesByID loads the courses with the given ids, in id order; missing ids are left out.
func CoursesByID(ctx context.Context, db *gorm.DB, ids []uint) ([]Course, error) {
	out := []Course{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Where("id IN ?", ids).Order("id").Find(&out).Error
	return out, err
}

// GetCourseSession loads one session or fails with ErrNotFound.
func GetCourseSession(ctx context.Context, db *gorm.DB, id uint) (*CourseSession, error) {
	var s CourseSession
	err := db.WithContext(ctx).Where("id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("course session %d: %w", id, ErrNotFound)
	}
	return &s, err
}

// GetCourseSessionAt loads a session held at one of unitIDs or fails with ErrNotFound,
// whether it does not exist or is held elsewhere: the scope is in the WHERE, so a
// session out of reach looks exactly like a missing one.
func GetCourseSessionAt(ctx context.Context, db *gorm.DB, id uint, unitIDs []uint) (*CourseSession, error) {
	var s CourseSession
	err := db.WithContext(ctx).Where("id = ? AND org_unit_id IN ?", id, unitIDs).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("course session %d at units %v: %w", id, unitIDs, ErrNotFound)
	}
	return &s, err
}

// CourseSessions returns a course's sessions by start time.
func CourseSessions(ctx context.Context, db *gorm.DB, courseID uint) ([]CourseSession, error) {
	out := []CourseSession{}
	err := db.WithContext(ctx).Where("course_id = ?", courseID).Order("starts_at, id").Find(&out).Error
	return out, err
}

// SetSignInCode stores a session's sign-in code and when it stops being accepted.
func SetSignInCode(tx *gorm.DB, sessionID uint, code string, expires time.Time) error {
	return tx.Model(&CourseSession{}).Where("id = ?", sessionID).
		Updates(map[string]any{"sign_in_code": code, "sign_in_expires": expires}).Error
}

// GetAttendance loads an employee's attendance at a session or fails with ErrNotFound.
func GetAttendance(ctx context.Context, db *gorm.DB, sessionID, employeeID uint) (*Attendance, error) {
	var a Attendance
	err := db.WithContext(ctx).Where("session_id = ? AND employee_id = ?", sessionID, employeeID).Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("attendance of employee %d at session %d: %w", employeeID, sessionID, ErrNotFound)
	}
	return &a, err
}

// GetCompletion loads an employee's completion of a course or fails with ErrNotFound.
func GetCompletion(ctx context.Context, db *gorm.DB, courseID, employeeID uint) (*Completion, error) {
	var c Completion
	err := db.WithContext(ctx).Where("course_id = ? AND employee_id = ?", courseID, employeeID).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("completion of course %d by employee %d: %w", courseID, employeeID, ErrNotFound)
	}
	return &c, err
}

// CompletionsOf returns the completions of the given employees among the given courses.
func CompletionsOf(ctx context.Context, db *gorm.DB, employeeIDs, courseIDs []uint) ([]Completion, error) {
	out := []Completion{}
	if len(employeeIDs) == 0 || len(courseIDs) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Where("employee_id IN ? AND course_id IN ?", employeeIDs, courseIDs).Find(&out).Error
	return out, err
}

// PassedExam returns the ids among employeeIDs who have a passed, submitted attempt at exam.
func PassedExam(ctx context.Context, db *gorm.DB, examID uint, employeeIDs []uint) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(employeeIDs) == 0 {
		return out, nil
	}
	var ids []uint
	err := db.WithContext(ctx).Model(&Attempt{}).Distinct("employee_id").
		Where("exam_id = ? AND status = ? AND passed = ? AND employee_id IN ?", examID, AttemptSubmitted, true, employeeIDs).
		Pluck("employee_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// GetOnboardingPlan loads the plan row, or fails with ErrNotFound when none was saved.
func GetOnboardingPlan(ctx context.Context, db *gorm.DB) (*OnboardingPlan, error) {
	var ps []OnboardingPlan
	if err := db.WithContext(ctx).Order("id").Limit(1).Find(&ps).Error; err != nil {
		return nil, err
	}
	if len(ps) == 0 {
		return nil, fmt.Errorf("onboarding plan: %w", ErrNotFound)
	}
	return &ps[0], nil
}

// OverdueFilter selects the new hires who have not finished the onboarding plan in time.
type OverdueFilter struct {
	HiredFrom   Date // hired on or after (the plan's window)
	HiredBefore Date // and before: their due date has passed
	// Required are the plan courses each position must complete.
	Required map[string][]uint
	ExamID   *uint
	UnitID   uint // the unit's subtree; outside the scope it is ErrNotFound
	Page
}

// overdue is the active staff in scope matching f who have not finished.
func overdue(ctx context.Context, db *gorm.DB, scope Scope, f OverdueFilter) (*gorm.DB, error) {
	q := scope.onUnit(db.WithContext(ctx).Model(&Employee{}), "employees.org_unit_id").
		Where("employees.status = ? AND employees.hire_date >= ? AND employees.hire_date < ?", StatusActive, f.HiredFrom, f.HiredBefore)
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		q = underPath(q, "employees.org_unit_id", root.Path)
	}
	cond, args := unfinishedBefore(f.Required, f.ExamID, "")
	return q.Where(cond, args...), nil
}

// unfinishedBefore is the condition "employee employees has not finished the onboarding
// plan" — per position, fewer completions of its required courses than required, or no
// passed attempt at the exam — counting, when before is not "", only what was done
// before the instant of that SQL expression (the dashboard's month ends).
func unfinishedBefore(required map[string][]uint, examID *uint, before string) (string, []any) {
	doneBy, passedBy := "", ""
	if before != "" {
		doneBy, passedBy = " AND c.at < "+before, " AND a.submitted_at < "+before
	}
	var conds []string
	var args []any
	for _, p := range Positions {
		var unfinished []string
		var pargs []any
		if ids := required[p]; len(ids) > 0 {
			unfinished = append(unfinished, "(SELECT COUNT(*) FROM completions c WHERE c.employee_id = employees.id AND c.course_id IN ?"+doneBy+") < ?")
			pargs = append(pargs, ids, len(ids))
		}
		if examID != nil {
			unfinished = append(unfinished, "NOT EXISTS (SELECT 1 FROM attempts a WHERE a.employee_id = employees.id AND a.exam_id = ? AND a.status = ? AND a.passed = ?"+passedBy+")")
			pargs = append(pargs, *examID, AttemptSubmitted, true)
		}
		if len(unfinished) == 0 {
			continue
		}
		conds = append(conds, "(employees.position = ? AND ("+strings.Join(unfinished, " OR ")+"))")
		args = append(append(args, p), pargs...)
	}
	if len(conds) == 0 {
		return "1 = 0", nil
	}
	return "(" + strings.Join(conds, " OR ") + ")", args
}

// ListOverdueEmployees returns one page of the overdue new hires in scope with their
// units, earliest hire first.
func ListOverdueEmployees(ctx context.Context, db *gorm.DB, scope Scope, f OverdueFilter) (List[Employee], error) {
	q, err := overdue(ctx, db, scope, f)
	if err != nil {
		return List[Employee]{}, err
	}
	return pageOf[Employee](q.Preload("OrgUnit"), f.Page, "employees.hire_date, employees.job_number")
}

// EachOverdueEmployee calls fn with every overdue employee of ListOverdueEmployees
// (f.Page is ignored) in job-number order, a batch at a time.
func EachOverdueEmployee(ctx context.Context, db *gorm.DB, scope Scope, f OverdueFilter, fn func([]Employee) error) error {
	return eachEmployee(func() (*gorm.DB, error) { return overdue(ctx, db, scope, f) }, fn)
}

// SignInGuess counts the sign-in codes one user has tried at one session since the
// trainer last opened a code; past the service's limit the user's sign-in is refused.
type SignInGuess struct {
	SessionID   uint      `gorm:"primaryKey;autoIncrement:false"`
	UserID      uint      `gorm:"primaryKey;autoIncrement:false"`
	Guesses     int       `gorm:"not null"`
	LastGuessAt time.Time `gorm:"not null"`
}

// AddSignInGuess counts one guess of userID at sessionID in a single atomic upsert
// (parallel guesses from several instances all count) and returns the new count. Run
// it in a transaction so the count read back is this guess's own: the upsert holds the
// row until commit.
func AddSignInGuess(tx *gorm.DB, sessionID, userID uint, now time.Time) (int, error) {
	err := tx.Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "session_id"}, {Name: "user_id"}},
		DoUpdates: clause.Assignments(map[string]any{
			"guesses":       gorm.Expr("guesses + 1"),
			"last_guess_at": now,
		}),
	}).Create(&SignInGuess{SessionID: sessionID, UserID: userID, Guesses: 1, LastGuessAt: now}).Error
	if err != nil {
		return 0, err
	}
	var g SignInGuess
	if err := tx.Where("session_id = ? AND user_id = ?", sessionID, userID).Take(&g).Error; err != nil {
		return 0, err
	}
	return g.Guesses, nil
}

// ClearSignInGuesses forgets every count of a session: a new code starts afresh.
func ClearSignInGuesses(tx *gorm.DB, sessionID uint) error {
	return tx.Where("session_id = ?", sessionID).Delete(&SignInGuess{}).Error
}

// OpenSignInSessions returns the sessions held at one of unitIDs, of published courses,
// whose sign-in code is still accepted at now, with their courses, soonest start first.
func OpenSignInSessions(ctx context.Context, db *gorm.DB, now time.Time, unitIDs []uint) ([]CourseSession, error) {
	out := []CourseSession{}
	err := db.WithContext(ctx).Preload("Course").
		Where("sign_in_expires > ? AND course_id IN (SELECT id FROM courses WHERE status = ?)", now.UTC(), CoursePublished).
		Where("org_unit_id IN ?", unitIDs).
		Order("starts_at, id").Limit(100).Find(&out).Error
	return out, err
}

// AttendedSessions returns which of sessionIDs the employee has attended.
func AttendedSessions(ctx context.Context, db *gorm.DB, employeeID uint, sessionIDs []uint) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(sessionIDs) == 0 {
		return out, nil
	}
	var ids []uint
	err := db.WithContext(ctx).Model(&Attendance{}).Where("employee_id = ? AND session_id IN ?", employeeID, sessionIDs).
		Pluck("session_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}

// UpdateDraftCourse writes the editable columns of c while it is a draft; ErrStale when
// it was published meanwhile.
func UpdateDraftCourse(tx *gorm.DB, c *Course) error {
	res := tx.Model(c).Where("status = ?", CourseDraft).
		Select("title", "category", "mode", "positions", "materials", "updated_at").Updates(c)
	return staleUnlessOne(res, "course", c.ID)
}

// PublishCourse publishes draft course id at now; ErrStale when it is no draft any more.
func PublishCourse(tx *gorm.DB, id uint, now time.Time) error {
	res := tx.Model(&Course{}).Where("id = ? AND status = ?", id, CourseDraft).
		Updates(map[string]any{"status": CoursePublished, "published_at": now, "updated_at": now})
	return staleUnlessOne(res, "course", id)
}

// UpdateOnboardingPlan writes the plan's settings.
func UpdateOnboardingPlan(tx *gorm.DB, p *OnboardingPlan) error {
	return tx.Model(p).Select("due_days", "window_days", "course_ids", "exam_id", "updated_at").Updates(p).Error
}
