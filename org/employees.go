package org

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// EmployeeInput creates an employee.
type EmployeeInput struct {
	JobNumber string      `json:"job_number"`
	Name      string      `json:"name"`
	OrgUnitID uint        `json:"org_unit_id"`
	Position  string      `json:"position"`
	HireDate  models.Date `json:"hire_date"`
	Status    string      `json:"status"`
	Phone     string      `json:"phone"`
}

// EmployeePatch updates an employee; nil fields are left alone.
type EmployeePatch struct {
	JobNumber *string      `json:"job_number"`
	Name      *string      `json:"name"`
	OrgUnitID *uint        `json:"org_unit_id"`
	Position  *string      `json:"position"`
	HireDate  *models.Date `json:"hire_date"`
	Status    *string      `json:"status"`
	Phone     *string      `json:"phone"`
}

var (
	jobNumberRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	phoneRE     = regexp.MustCompile(`^[0-9+()\- ]{5,32}$`)
)

// checkEmployee normalises and validates e; unitFound says whether its unit is in scope.
func checkEmployee(v *models.ValidationError, e *models.Employee, unitFound bool, now time.Time) {
	// Job numbers are case-insensitive on every engine (MySQL's collation already is).
	e.JobNumber = strings.ToUpper(strings.TrimSpace(e.JobNumber))
	e.Name = strings.TrimSpace(e.Name)
	e.Phone = strings.TrimSpace(e.Phone)
	switch {
	case e.JobNumber == "":
		v.Add("job_number", "required")
	case !jobNumberRE.MatchString(e.JobNumber):
		v.Add("job_number", "invalid_job_number")
	}
	setText(v, "name", &e.Name, e.Name, 64, true)
	if !unitFound {
		v.Add("org_unit_id", "not_found")
	}
	if !slices.Contains(models.Positions, e.Position) {
		v.Add("position", "invalid_choice")
	}
	if e.Status == "" {
		e.Status = models.StatusActive
	}
	if !slices.Contains(models.EmployeeStatuses, e.Status) {
		v.Add("status", "invalid_choice")
	}
	switch {
	case e.HireDate.IsZero():
		v.Add("hire_date", "required")
	case e.HireDate.Year < 1950 || e.HireDate.Time().After(now.AddDate(1, 0, 0)):
		v.Add("hire_date", "out_of_range")
	}
	if e.Phone != "" && !phoneRE.MatchString(e.Phone) {
		v.Add("phone", "invalid_phone")
	}
}

// CreateEmployee validates in and stores a new employee in a unit inside scope.
func (s *Service) CreateEmployee(ctx context.Context, actor models.Actor, scope models.Scope, in EmployeeInput) (*models.Employee, error) {
	e := &models.Employee{JobNumber: in.JobNumber, Name: in.Name, OrgUnitID: in.OrgUnitID, Position: in.Position,
		HireDate: in.HireDate, Status: in.Status, Phone: in.Phone}
	unit, err := s.unitInScope(ctx, scope, in.OrgUnitID)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	checkEmployee(v, e, unit != nil, s.Now())
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, e); err != nil {
			return models.Translate(err, "job_number")
		}
		return models.Audit(tx, actor, "create", "employee", e.ID, e)
	})
	if err != nil {
		return nil, err
	}
	e.OrgUnit = unit
	return e, nil
}

// UpdateEmployee applies p to employee id inside scope; a move must stay inside scope.
func (s *Service) UpdateEmployee(ctx context.Context, actor models.Actor, scope models.Scope, id uint, p EmployeePatch) (*models.Employee, error) {
	e, err := models.GetEmployee(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	before := *e
	if p.JobNumber != nil {
		e.JobNumber = *p.JobNumber
	}
	if p.Name != nil {
		e.Name = *p.Name
	}
	if p.Position != nil {
		e.Position = *p.Position
	}
	if p.HireDate != nil {
		e.HireDate = *p.HireDate
	}
	if p.Status != nil {
		e.Status = *p.Status
	}
	if p.Phone != nil {
		e.Phone = *p.Phone
	}
	unit := e.OrgUnit
	if p.OrgUnitID != nil && *p.OrgUnitID != e.OrgUnitID {
		if unit, err = s.unitInScope(ctx, scope, *p.OrgUnitID); err != nil {
			return nil, err
		}
		e.OrgUnitID = *p.OrgUnitID
	}
	v := &models.ValidationError{}
	checkEmployee(v, e, unit != nil, s.Now())
	if err := v.Err(); err != nil {
		return nil, err
	}
	e.OrgUnit = nil
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := models.UpdateEmployee(tx, e)
		if err != nil {
			return models.Translate(err, "job_number")
		}
		return models.Audit(tx, actor, "update", "employee", e.ID, employeeDiff(&before, e))
	})
	if err != nil {
		return nil, err
	}
	e.OrgUnit = unit
	return e, nil
}

// DeleteEmployee removes an employee in scope who has no user account; staff who leave
// are normally archived with status `left` instead.
func (s *Service) DeleteEmployee(ctx context.Context, actor models.Actor, scope models.Scope, id uint) error {
	e, err := models.GetEmployee(ctx, s.DB, scope, id)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Checked here rather than left to the foreign key: SQLite reports a RESTRICT
		// violation as SQLITE_CONSTRAINT_TRIGGER, which the driver does not translate.
		if _, err := models.UserOfEmployee(ctx, tx, e.ID); err == nil {
			return &models.ConflictError{Field: "id", Code: "in_use"}
		} else if !isNotFound(err) {
			return err
		}
		if err := models.DeleteEmployee(tx, e.ID); err != nil {
			return models.Translate(err, "id")
		}
		return models.Audit(tx, actor, "delete", "employee", e.ID, map[string]string{"job_number": e.JobNumber, "name": e.Name})
	})
}

func employeeDiff(a, b *models.Employee) map[string]models.Change {
	return models.Diff(map[string][2]any{
		"job_number": {a.JobNumber, b.JobNumber}, "name": {a.Name, b.Name}, "org_unit_id": {a.OrgUnitID, b.OrgUnitID},
		"position": {a.Position, b.Position}, "hire_date": {a.HireDate, b.HireDate}, "status": {a.Status, b.Status},
		"phone": {a.Phone, b.Phone},
	})
}

// unitInScope loads a unit in scope, or returns nil (not an error) when it is not there.
func (s *Service) unitInScope(ctx context.Context, scope models.Scope, id uint) (*models.OrgUnit, error) {
	if id == 0 {
		return nil, nil
	}
	u, err := models.GetOrgUnit(ctx, s.DB, scope, id)
	if err != nil {
		if isNotFound(err) {
			return nil, nil
		}
		return nil, err
	}
	return u, nil
}
