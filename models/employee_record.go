package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// EmployeeRecord is one employee's file as a manager reads it: the handbook versions
// acknowledged, the courses completed, the exam attempts handed in or open, the
// certificates and the accountability cases naming them — each list newest first.
type EmployeeRecord struct {
	Employee         Employee
	Acknowledgements []RecordAcknowledgement
	Completions      []RecordCompletion
	Attempts         []RecordAttempt
	Certificates     []Certificate
	Cases            []RecordCase
}

// RecordAcknowledgement is one handbook version the employee acknowledged.
type RecordAcknowledgement struct {
	Version string
	Title   string
	At      time.Time
}

// RecordCompletion is one course the employee completed, and how.
type RecordCompletion struct {
	CourseID uint
	Title    string
	Method   string
	At       time.Time
}

// RecordAttempt is one attempt at an exam.
type RecordAttempt struct {
	ID          uint
	ExamTitle   string
	Number      int
	Status      string
	SubmittedAt *time.Time
	Points      int
	MaxPoints   int
	Passed      bool
}

// RecordCase is one accountability case naming the employee, with their decision.
type RecordCase struct {
	CaseID   uint
	Number   string
	Title    string
	Status   string
	Severity string
	Outcome  string
	OpenedAt time.Time
}

// GetEmployeeRecord loads employee id's record if the employee is in scope (else
// ErrNotFound); the cases are those of units in scope.
func GetEmployeeRecord(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*EmployeeRecord, error) {
	e, err := GetEmployee(ctx, db, scope, id)
	if err != nil {
		return nil, err
	}
	r := &EmployeeRecord{Employee: *e}
	q := db.WithContext(ctx)
	if err := q.Table("acknowledgements a").Select("hv.version AS version, hv.title AS title, a.at AS at").
		Joins("JOIN handbook_versions hv ON hv.id = a.version_id").Where("a.employee_id = ?", id).
		Order("a.at DESC, a.id DESC").Scan(&r.Acknowledgements).Error; err != nil {
		return nil, err
	}
	if err := q.Table("completions c").Select("c.course_id AS course_id, co.title AS title, c.method AS method, c.at AS at").
		Joins("JOIN courses co ON co.id = c.course_id").Where("c.employee_id = ?", id).
		Order("c.at DESC, c.id DESC").Scan(&r.Completions).Error; err != nil {
		return nil, err
	}
	if err := q.Table("attempts a").Select("a.id AS id, x.title AS exam_title, a.number AS number, a.status AS status, "+
		"a.submitted_at AS submitted_at, a.points AS points, a.max_points AS max_points, a.passed AS passed").
		Joins("JOIN exams x ON x.id = a.exam_id").Where("a.employee_id = ?", id).
		Order("a.started_at DESC, a.id DESC").Scan(&r.Attempts).Error; err != nil {
		return nil, err
	}
	if err := q.Where("employee_id = ?", id).Order("issued_at DESC, id DESC").Find(&r.Certificates).Error; err != nil {
		return nil, err
	}
	cases := q.Table("case_people p").Select("c.id AS case_id, c.number AS number, c.title AS title, c.status AS status, "+
		"p.severity AS severity, p.outcome AS outcome, c.opened_at AS opened_at").
		Joins("JOIN accountability_cases c ON c.id = p.case_id").Where("p.employee_id = ?", id)
	if err := scope.onUnit(cases, "c.org_unit_id").Order("c.opened_at DESC, c.id DESC").Scan(&r.Cases).Error; err != nil {
		return nil, err
	}
	return r, nil
}
