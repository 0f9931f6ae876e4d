package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Positions of employees; frontline = window, installer, marketing (R8.3).
const (
	PositionWindow    = "window"
	PositionInstaller = "installer"
	PositionMarketing = "marketing"
	PositionManager   = "manager"
	PositionOther     = "other"
)

// Positions lists every position.
var Positions = []string{PositionWindow, PositionInstaller, PositionMarketing, PositionManager, PositionOther}

// Employee statuses. An employee who leaves is archived as `left`, never deleted once
// referenced, because the job number is a natural key.
const (
	StatusActive  = "active"
	StatusOnLeave = "on_leave"
	StatusLeft    = "left"
)

// EmployeeStatuses lists every status.
var EmployeeStatuses = []string{StatusActive, StatusOnLeave, StatusLeft}

// Employee is a member of staff, identified by job number (工号).
type Employee struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	JobNumber string    `gorm:"size:32;not null;uniqueIndex" json:"job_number"`
	Name      string    `gorm:"size:64;not null;index" json:"name"`
	OrgUnitID uint      `gorm:"not null;index;index:idx_employee_ranking,priority:4" json:"org_unit_id"`
	OrgUnit   *OrgUnit  `gorm:"constraint:OnDelete:RESTRICT" json:"org_unit,omitempty"`
	Position  string    `gorm:"size:16;not null;index;index:idx_employee_ranking,priority:2" json:"position"`
	HireDate  Date      `gorm:"not null;index:idx_employee_ranking,priority:3" json:"hire_date"`
	Status    string    `gorm:"size:16;not null;index;index:idx_employee_ranking,priority:1" json:"status"`
	Phone     string    `gorm:"size:32;not null" json:"phone"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// EmployeeFilter selects employees; zero fields do not filter.
type EmployeeFilter struct {
	Q        string // name or job number contains
	UnitID   uint   // the unit's subtree
	Position string
	Status   string
	Sort     string // one of EmployeeSorts
	Page
}

// EmployeeSorts maps the allowed sort keys to ORDER BY clauses; nothing else reaches SQL.
var EmployeeSorts = map[string]string{
	"":            "job_number",
	"job_number":  "job_number",
	"-job_number": "job_number DESC",
	"name":        "name, job_number",
	"-name":       "name DESC, job_number",
	"hire_date":   "hire_date, job_number",
	"-hire_date":  "hire_date DESC, job_number",
}

// ListEmployees returns one page of employees in scope with their units.
func ListEmployees(ctx context.Context, db *gorm.DB, scope Scope, f EmployeeFilter) (List[Employee], error) {
	order, ok := EmployeeSorts[f.Sort]
	if !ok {
		v := &ValidationError{}
		v.Add("sort", "invalid")
		return List[Employee]{}, v
	}
	q := scope.onUnit(db.WithContext(ctx).Model(&Employee{}), "org_unit_id")
	if f.Q != "" {
		q = q.Where("("+likeClause("name")+" OR "+likeClause("job_number")+")", containsPattern(f.Q), containsPattern(f.Q))
	}
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return List[Employee]{}, err
		}
		q = underPath(q, "org_unit_id", root.Path)
	}
	if f.Position != "" {
		q = q.Where("position = ?", f.Position)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	out := List[Employee]{Items: []Employee{}}
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	p := f.Page.Normalize()
	err := q.Preload("OrgUnit").Order(order).Offset(p.Offset()).Limit(p.PerPage).Find(&out.Items).Error
	return out, err
}

// GetEmployee loads one employee in scope or fails with ErrNotFound.
func GetEmployee(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Employee, error) {
	var e Employee
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Preload("OrgUnit").Where("id = ?", id).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("employee %d: %w", id, ErrNotFound)
	}
	return &e, err
}

// EmployeesByJobNumber loads the employees (in any unit) holding the given job numbers.
func EmployeesByJobNumber(ctx context.Context, db *gorm.DB, jobNumbers []string) (map[string]Employee, error) {
	out := make(map[string]Employee, len(jobNumbers))
	for start := 0; start < len(jobNumbers); start += 500 {
		end := min(start+500, len(jobNumbers))
		var batch []Employee
		if err := db.WithContext(ctx).Where("job_number IN ?", jobNumbers[start:end]).Find(&batch).Error; err != nil {
			return nil, err
		}
		for _, e := range batch {
			out[e.JobNumber] = e
		}
	}
	return out, nil
}

// CountEmployeesInUnit counts employees attached directly to a unit.
func CountEmployeesInUnit(tx *gorm.DB, unitID uint) (int64, error) {
	var n int64
	err := tx.Model(&Employee{}).Where("org_unit_id = ?", unitID).Count(&n).Error
	return n, err
}

// eachEmployee runs query again for each batch of 1,000 employees in job-number order
// (keyset paging) and calls fn with the batch, so an export never holds them all.
func eachEmployee(query func() (*gorm.DB, error), fn func([]Employee) error) error {
	const batch = 1000
	after := ""
	for {
		q, err := query()
		if err != nil {
			return err
		}
		var items []Employee
		err = q.Preload("OrgUnit").Where("employees.job_number > ?", after).Order("employees.job_number").Limit(batch).Find(&items).Error
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		if err := fn(items); err != nil {
			return err
		}
		if len(items) < batch {
			return nil
		}
		after = items[len(items)-1].JobNumber
	}
}

// UpdateEmployee writes every column an edit or a roster import may change.
func UpdateEmployee(tx *gorm.DB, e *Employee) error {
	return tx.Model(e).Select("job_number", "name", "org_unit_id", "position", "hire_date", "status", "phone", "updated_at").Updates(e).Error
}

// DeleteEmployee removes employee id (the callers refuse it while anything refers to it).
func DeleteEmployee(tx *gorm.DB, id uint) error {
	return tx.Delete(&Employee{}, id).Error
}

// InsertEmployees adds the employees of a roster import, 200 to a statement (within
// both engines' limits on bound values), filling in their ids.
func InsertEmployees(tx *gorm.DB, es []*Employee) error {
	return tx.Omit(clause.Associations).CreateInBatches(es, 200).Error
}
