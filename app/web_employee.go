package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/org"
)

// employeeFormFields are the fields of the employee's edit form.
var employeeFormFields = []formField{
	{"name", "emp-name", "ui.name"},
	{"org_unit_id", "emp-unit", "ui.unit"},
	{"position", "emp-position", "ui.position"},
	{"hire_date", "emp-hire-date", "ui.hire_date"},
	{"status", "emp-status", "ui.status"},
	{"phone", "emp-phone", "employeeweb.phone"},
}

// employeeForm is the edit form as typed.
type employeeForm struct{ Name, OrgUnitID, Position, HireDate, Status, Phone string }

// employeePageData is one employee's record, and the edit form for those who may.
type employeePageData struct {
	Record    *models.EmployeeRecord
	Login     *models.User
	CanEdit   bool
	Form      employeeForm
	Units     []models.OrgUnit
	Positions []string
	Statuses  []string
	Notice    string
	Refusal   *formRefusal
}

func (s *server) employeePage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	notice, err := s.doneNotice(c, []string{"saved"}, "employeeweb.done_")
	if err != nil {
		return err
	}
	return s.renderEmployee(c, fiber.StatusOK, id, nil, notice, nil)
}

// employeeEditForm changes the employee through org.Service.UpdateEmployee, the call of the
// API's PATCH (scope, validation, audit); a refusal shows the record with the form as typed.
func (s *server) employeeEditForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v := func(name string) string { return strings.TrimSpace(strings.Clone(c.FormValue(name))) }
	f := employeeForm{Name: v("name"), OrgUnitID: v("org_unit_id"), Position: v("position"), HireDate: v("hire_date"), Status: v("status"), Phone: v("phone")}
	p := org.EmployeePatch{Name: &f.Name, Position: &f.Position, Status: &f.Status, Phone: &f.Phone}
	var bad []models.FieldError
	if unit, err := strconv.ParseUint(f.OrgUnitID, 10, 32); err == nil {
		u := uint(unit)
		p.OrgUnitID = &u
	} else {
		bad = append(bad, models.FieldError{Field: "org_unit_id", Code: "required"})
	}
	if d, err := models.ParseDate(f.HireDate); err == nil {
		p.HireDate = &d
	} else {
		bad = append(bad, models.FieldError{Field: "hire_date", Code: "invalid_date"})
	}
	if len(bad) > 0 {
		err = &models.ValidationError{Fields: bad}
	} else {
		_, err = s.org.UpdateEmployee(c.UserContext(), actorOf(c), scopeOf(c), id, p)
	}
	if status, r, ok := s.fieldRefusal(c, err, employeeFormFields); ok {
		return s.renderEmployee(c, status, id, &f, "", r)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/employees/%d?done=saved", id), fiber.StatusSeeOther)
}

// renderEmployee shows employee id's record in the caller's scope (404 outside it),
// with the form as typed when typed is not nil.
func (s *server) renderEmployee(c *fiber.Ctx, status int, id uint, typed *employeeForm, notice string, r *formRefusal) error {
	ctx := c.UserContext()
	rec, err := models.GetEmployeeRecord(ctx, s.db, scopeOf(c), id)
	if err != nil {
		return err
	}
	login, err := models.UserOfEmployee(ctx, s.db, id)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	e := rec.Employee
	d := employeePageData{Record: rec, Login: login, Notice: notice, Refusal: r, Positions: models.Positions, Statuses: models.EmployeeStatuses,
		CanEdit: accounts.HasRole(currentUser(c), rosterRole...),
		Form: employeeForm{Name: e.Name, OrgUnitID: strconv.FormatUint(uint64(e.OrgUnitID), 10), Position: e.Position,
			HireDate: e.HireDate.String(), Status: e.Status, Phone: e.Phone}}
	if typed != nil {
		d.Form = *typed
	}
	if d.CanEdit {
		if d.Units, err = models.OrgUnitsInScope(ctx, s.db, scopeOf(c)); err != nil {
			return err
		}
	}
	return s.render(c, status, "employee", "employeeweb.title", d)
}
