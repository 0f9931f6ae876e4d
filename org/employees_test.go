package org_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

func TestCreateEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		outlet := f.id("360102-01")
		f.employee("E100", "已有员工", "360102-01")
		hire := models.Date{Year: 2021, Month: 3, Day: 1}
		nextYear := models.DateOf(time.Now().AddDate(1, 1, 0))
		valid := func(mod func(in *org.EmployeeInput)) org.EmployeeInput {
			in := org.EmployeeInput{JobNumber: "E200", Name: "张三", OrgUnitID: outlet, Position: models.PositionWindow, HireDate: hire}
			mod(&in)
			return in
		}
		refused := []struct {
			name  string
			scope models.Scope
			in    org.EmployeeInput
			field string
			code  string
		}{
			{"job number required", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.JobNumber = " " }), "job_number", "required"},
			{"job number with a space", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.JobNumber = "E 200" }), "job_number", "invalid_job_number"},
			{"job number in Chinese", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.JobNumber = "工号1" }), "job_number", "invalid_job_number"},
			{"job number formula", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.JobNumber = "=A1" }), "job_number", "invalid_job_number"},
			{"job number too long", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.JobNumber = strings.Repeat("1", 33) }), "job_number", "invalid_job_number"},
			{"name required", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Name = "  " }), "name", "required"},
			{"name too long", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Name = strings.Repeat("张", 65) }), "name", "too_long"},
			{"no unit", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.OrgUnitID = 0 }), "org_unit_id", "not_found"},
			{"unit does not exist", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.OrgUnitID = 999999 }), "org_unit_id", "not_found"},
			{"unit outside scope", nanchang, valid(func(in *org.EmployeeInput) { in.OrgUnitID = f.id("360402-01") }), "org_unit_id", "not_found"},
			{"position required", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Position = "" }), "position", "invalid_choice"},
			{"position unknown", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Position = "chef" }), "position", "invalid_choice"},
			{"position as a Chinese label", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Position = "窗口" }), "position", "invalid_choice"},
			{"status unknown", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Status = "retired" }), "status", "invalid_choice"},
			{"hire date required", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.HireDate = models.Date{} }), "hire_date", "required"},
			{"hire date before 1950", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.HireDate = models.Date{Year: 1949, Month: 12, Day: 31} }), "hire_date", "out_of_range"},
			{"hire date over a year ahead", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.HireDate = nextYear }), "hire_date", "out_of_range"},
			{"phone with letters", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Phone = "call me" }), "phone", "invalid_phone"},
			{"phone too short", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Phone = "1234" }), "phone", "invalid_phone"},
			{"phone too long", models.ScopeAll, valid(func(in *org.EmployeeInput) { in.Phone = strings.Repeat("1", 33) }), "phone", "invalid_phone"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				e, err := f.svc.CreateEmployee(f.ctx, actor, tc.scope, tc.in)
				require.Nil(t, e)
				dbtest.RequireFieldError(t, err, tc.field, tc.code)
				f.requireNoAudit(mark)
				require.Nil(t, f.employeeByJob(strings.TrimSpace(tc.in.JobNumber)))
			})
		}

		t.Run("every bad field at once", func(t *testing.T) {
			f := f.with(t)
			_, err := f.svc.CreateEmployee(f.ctx, actor, models.ScopeAll, org.EmployeeInput{JobNumber: "a b", Phone: "x"})
			var ve *models.ValidationError
			require.ErrorAs(t, err, &ve)
			fields := map[string]bool{}
			for _, fe := range ve.Fields {
				fields[fe.Field] = true
			}
			require.Equal(t, map[string]bool{"job_number": true, "name": true, "org_unit_id": true, "position": true, "hire_date": true, "phone": true}, fields)
		})

		t.Run("duplicate job number", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			_, err := f.svc.CreateEmployee(f.ctx, actor, nanchang, valid(func(in *org.EmployeeInput) { in.JobNumber = "E100" }))
			dbtest.RequireConflict(t, err, "job_number", "duplicate")
			f.requireNoAudit(mark)
		})

		t.Run("valid", func(t *testing.T) {
			f := f.with(t)
			cases := []org.EmployeeInput{
				valid(func(in *org.EmployeeInput) { in.JobNumber, in.Name = " E201 ", " 李四 " }),
				valid(func(in *org.EmployeeInput) {
					in.JobNumber, in.Name, in.Phone = "360102-01_9", strings.Repeat("张", 64), "+86 (791) 8600-0000"
					in.HireDate, in.Status, in.Position = models.Date{Year: 1950, Month: 1, Day: 1}, models.StatusLeft, models.PositionInstaller
				}),
				valid(func(in *org.EmployeeInput) {
					in.JobNumber, in.HireDate = "E203", models.DateOf(time.Now().AddDate(0, 11, 0))
				}),
			}
			for _, in := range cases {
				mark := f.auditMark()
				e, err := f.svc.CreateEmployee(f.ctx, actor, nanchang, in)
				require.NoError(t, err)
				require.Equal(t, strings.TrimSpace(in.JobNumber), e.JobNumber)
				require.Equal(t, strings.TrimSpace(in.Name), e.Name)
				require.NotNil(t, e.OrgUnit)
				require.Equal(t, "360102-01", e.OrgUnit.Code)
				f.requireOneAudit(mark, "create", "employee", e.ID)

				got, err := models.GetEmployee(f.ctx, db, nanchang, e.ID)
				require.NoError(t, err)
				require.Equal(t, in.HireDate, got.HireDate)
				want := in.Status
				if want == "" {
					want = models.StatusActive
				}
				require.Equal(t, want, got.Status, "an empty status means active")
			}
		})
	})
}

func TestUpdateEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		e := f.employee("E100", "王五", "360102-01")
		f.employee("E101", "赵六", "360102-02")
		far := f.employee("E900", "九江员工", "360402-01")

		refused := []struct {
			name  string
			patch org.EmployeePatch
			field string
			code  string
		}{
			{"empty job number", org.EmployeePatch{JobNumber: new("")}, "job_number", "required"},
			{"bad job number", org.EmployeePatch{JobNumber: new("E/100")}, "job_number", "invalid_job_number"},
			{"empty name", org.EmployeePatch{Name: new(" ")}, "name", "required"},
			{"long name", org.EmployeePatch{Name: new(strings.Repeat("王", 65))}, "name", "too_long"},
			{"bad position", org.EmployeePatch{Position: new("boss")}, "position", "invalid_choice"},
			{"bad status", org.EmployeePatch{Status: new("fired")}, "status", "invalid_choice"},
			{"zero hire date", org.EmployeePatch{HireDate: &models.Date{}}, "hire_date", "required"},
			{"hire date too early", org.EmployeePatch{HireDate: &models.Date{Year: 1900, Month: 1, Day: 1}}, "hire_date", "out_of_range"},
			{"bad phone", org.EmployeePatch{Phone: new("abc12345")}, "phone", "invalid_phone"},
			{"move out of scope", org.EmployeePatch{OrgUnitID: new(f.id("360402-01"))}, "org_unit_id", "not_found"},
			{"move to no unit", org.EmployeePatch{OrgUnitID: new(uint(0))}, "org_unit_id", "not_found"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				got, err := f.svc.UpdateEmployee(f.ctx, actor, nanchang, e.ID, tc.patch)
				require.Nil(t, got)
				dbtest.RequireFieldError(t, err, tc.field, tc.code)
				f.requireNoAudit(mark)
				now := f.employeeByJob("E100")
				require.NotNil(t, now)
				require.Equal(t, "王五", now.Name)
				require.Equal(t, e.OrgUnitID, now.OrgUnitID)
			})
		}

		t.Run("duplicate job number", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			_, err := f.svc.UpdateEmployee(f.ctx, actor, nanchang, e.ID, org.EmployeePatch{JobNumber: new("E101")})
			dbtest.RequireConflict(t, err, "job_number", "duplicate")
			f.requireNoAudit(mark)
			_, err = f.svc.UpdateEmployee(f.ctx, actor, nanchang, e.ID, org.EmployeePatch{JobNumber: new("E900")})
			dbtest.RequireConflict(t, err, "job_number", "duplicate")
		})

		t.Run("out of scope looks like nonexistent", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			_, err := models.GetEmployee(f.ctx, db, nanchang, far.ID)
			require.ErrorIs(t, err, models.ErrNotFound)
			_, err = f.svc.UpdateEmployee(f.ctx, actor, nanchang, far.ID, org.EmployeePatch{Name: new("x")})
			require.ErrorIs(t, err, models.ErrNotFound)
			require.ErrorIs(t, f.svc.DeleteEmployee(f.ctx, actor, nanchang, far.ID), models.ErrNotFound)
			_, err = f.svc.UpdateEmployee(f.ctx, actor, nanchang, 999999, org.EmployeePatch{Name: new("x")})
			require.ErrorIs(t, err, models.ErrNotFound)
			list, err := models.ListEmployees(f.ctx, db, nanchang, models.EmployeeFilter{Q: "E900"})
			require.NoError(t, err)
			require.Zero(t, list.Total)
			f.requireNoAudit(mark)
			require.Equal(t, "九江员工", f.employeeByJob("E900").Name)
		})

		t.Run("every field and a move inside scope", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			hire := models.Date{Year: 2019, Month: 2, Day: 28}
			got, err := f.svc.UpdateEmployee(f.ctx, actor, nanchang, e.ID, org.EmployeePatch{
				JobNumber: new("E100A"), Name: new(" 王五一 "), OrgUnitID: new(f.id("360103-01")), Position: new(models.PositionMarketing),
				HireDate: &hire, Status: new(models.StatusOnLeave), Phone: new("13800000000"),
			})
			require.NoError(t, err)
			require.Equal(t, "360103-01", got.OrgUnit.Code)
			ev := f.requireOneAudit(mark, "update", "employee", e.ID)
			for _, field := range []string{"job_number", "name", "org_unit_id", "position", "hire_date", "status", "phone"} {
				require.Contains(t, ev.Summary, `"`+field+`"`)
			}
			now, err := models.GetEmployee(f.ctx, db, nanchang, e.ID)
			require.NoError(t, err)
			require.Equal(t, "E100A", now.JobNumber)
			require.Equal(t, "王五一", now.Name)
			require.Equal(t, hire, now.HireDate)
			require.Equal(t, models.StatusOnLeave, now.Status)
			require.Equal(t, "13800000000", now.Phone)

			// Clearing the phone writes the empty string rather than skipping it.
			mark = f.auditMark()
			_, err = f.svc.UpdateEmployee(f.ctx, actor, nanchang, e.ID, org.EmployeePatch{Phone: new("")})
			require.NoError(t, err)
			require.Empty(t, f.employeeByJob("E100A").Phone)
			f.requireOneAudit(mark, "update", "employee", e.ID)
		})
	})
}

func TestDeleteEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		plain := f.employee("E100", "王五", "360102-01")
		linked := f.employee("E101", "赵六", "360102-01")
		_, err := accounts.NewService(db, accounts.DefaultConfig).CreateUser(f.ctx, actor, models.ScopeAll, accounts.UserInput{
			Username: "zhaoliu", Password: "zhaoliu-pass-1", EmployeeID: &linked.ID,
			Grants: []accounts.GrantInput{{Role: models.RoleEmployee, OrgUnitID: linked.OrgUnitID}},
		})
		require.NoError(t, err)

		mark := f.auditMark()
		dbtest.RequireConflict(t, f.svc.DeleteEmployee(f.ctx, actor, nanchang, linked.ID), "id", "in_use")
		f.requireNoAudit(mark)
		require.NotNil(t, f.employeeByJob("E101"))

		require.NoError(t, f.svc.DeleteEmployee(f.ctx, actor, nanchang, plain.ID))
		f.requireOneAudit(mark, "delete", "employee", plain.ID)
		require.Nil(t, f.employeeByJob("E100"))
	})
}
