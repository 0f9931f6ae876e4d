package accounts_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
)

func TestCreateUser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, accounts.DefaultConfig)
		nanchang := f.scope("3601")
		f.user("taken", grant{models.RoleEmployee, "360102-01"})
		linkedEmp := f.employee("E1", "360102-01")
		freeEmp := f.employee("E2", "360102-01")
		farEmp := f.employee("E9", "360402-01")
		linked := f.user("linked", grant{models.RoleEmployee, "360102-01"})
		require.NoError(t, db.Model(&models.User{}).Where("id = ?", linked.ID).Update("employee_id", linkedEmp.ID).Error)

		outlet := f.unitID("360102-01")
		valid := func(mod func(in *accounts.UserInput)) accounts.UserInput {
			in := accounts.UserInput{Username: "newuser", Password: "new-user-pass", Grants: []accounts.GrantInput{{Role: models.RoleEmployee, OrgUnitID: outlet}}}
			mod(&in)
			return in
		}
		refused := []struct {
			name  string
			in    accounts.UserInput
			field string
			code  string
		}{
			{"username required", valid(func(in *accounts.UserInput) { in.Username = "  " }), "username", "required"},
			{"username of one character", valid(func(in *accounts.UserInput) { in.Username = "a" }), "username", "invalid_username"},
			{"username with a space", valid(func(in *accounts.UserInput) { in.Username = "new user" }), "username", "invalid_username"},
			{"username in Chinese", valid(func(in *accounts.UserInput) { in.Username = "张三" }), "username", "invalid_username"},
			{"username starting with a dot", valid(func(in *accounts.UserInput) { in.Username = ".hidden" }), "username", "invalid_username"},
			{"username with an at sign", valid(func(in *accounts.UserInput) { in.Username = "a@b.cn" }), "username", "invalid_username"},
			{"username too long", valid(func(in *accounts.UserInput) { in.Username = strings.Repeat("u", 65) }), "username", "invalid_username"},
			{"display name too long", valid(func(in *accounts.UserInput) { in.DisplayName = strings.Repeat("名", 65) }), "display_name", "too_long"},
			{"password required", valid(func(in *accounts.UserInput) { in.Password = "" }), "password", "required"},
			{"password too short", valid(func(in *accounts.UserInput) { in.Password = "1234567" }), "password", "too_short"},
			{"password too long", valid(func(in *accounts.UserInput) { in.Password = strings.Repeat("p", 129) }), "password", "too_long"},
			{"unknown role", valid(func(in *accounts.UserInput) { in.Grants[0].Role = "superuser" }), "grants[0].role", "invalid_choice"},
			{"grant outside the creator's scope", valid(func(in *accounts.UserInput) {
				in.Grants = append(in.Grants, accounts.GrantInput{Role: models.RoleAdmin, OrgUnitID: f.unitID("36")})
			}), "grants[1].org_unit_id", "not_found"},
			{"grant in another city", valid(func(in *accounts.UserInput) { in.Grants[0].OrgUnitID = f.unitID("3604") }), "grants[0].org_unit_id", "not_found"},
			{"grant on no unit", valid(func(in *accounts.UserInput) { in.Grants[0].OrgUnitID = 0 }), "grants[0].org_unit_id", "not_found"},
			{"employee already linked", valid(func(in *accounts.UserInput) { in.EmployeeID = &linkedEmp.ID }), "employee_id", "duplicate"},
			{"employee outside scope", valid(func(in *accounts.UserInput) { in.EmployeeID = &farEmp.ID }), "employee_id", "not_found"},
			{"employee that does not exist", valid(func(in *accounts.UserInput) { in.EmployeeID = new(uint(999999)) }), "employee_id", "not_found"},
		}
		var users int64
		require.NoError(t, db.Model(&models.User{}).Count(&users).Error)
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				u, err := f.svc.CreateUser(f.ctx, actor, nanchang, tc.in)
				require.Nil(t, u)
				dbtest.RequireFieldError(t, err, tc.field, tc.code)
				f.requireNoAudit(mark)
				var n int64
				require.NoError(t, db.Model(&models.User{}).Count(&n).Error)
				require.Equal(t, users, n)
			})
		}

		t.Run("duplicate username", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			_, err := f.svc.CreateUser(f.ctx, actor, nanchang, valid(func(in *accounts.UserInput) { in.Username = "taken" }))
			var ce *models.ConflictError
			require.ErrorAs(t, err, &ce)
			require.ErrorIs(t, err, models.ErrConflict)
			require.Equal(t, "username", ce.Field)
			require.Equal(t, "duplicate", ce.Code)
			f.requireNoAudit(mark)
		})

		t.Run("valid", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			u, err := f.svc.CreateUser(f.ctx, actor, nanchang, accounts.UserInput{
				Username: " new.user_1 ", Password: "new-user-pass", EmployeeID: &freeEmp.ID,
				Grants: []accounts.GrantInput{
					{Role: models.RoleEmployee, OrgUnitID: outlet},
					{Role: models.RoleEmployee, OrgUnitID: outlet}, // repeated: stored once
					{Role: models.RoleManager, OrgUnitID: f.unitID("360102")},
				},
			})
			require.NoError(t, err)
			require.Equal(t, "new.user_1", u.Username)
			require.Equal(t, "new.user_1", u.DisplayName, "the display name defaults to the user name")
			require.Equal(t, freeEmp.ID, *u.EmployeeID)
			require.Len(t, u.Grants, 2)
			for _, g := range u.Grants {
				require.True(t, nanchang.Contains(g.UnitPath))
			}
			require.Equal(t, models.Scope{Paths: []string{f.units["360102-01"].Path, f.units["360102"].Path}}, accounts.ScopeOf(u, models.RoleEmployee, models.RoleManager))
			require.True(t, accounts.HasRole(u, models.RoleManager))
			require.False(t, accounts.HasRole(u, models.RoleAdmin))
			e := f.requireOneAudit(mark, "create", "user", u.ID)
			require.NotContains(t, e.Summary, "new-user-pass", "the audit never holds the password")
			require.NotContains(t, e.Summary, "argon2")

			_, err = f.svc.Login(f.ctx, "new.user_1", "new-user-pass", ipA, agent)
			require.NoError(t, err)
		})
	})
}

func TestManageableUsers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db, accounts.DefaultConfig)
		nanchang := f.scope("3601")
		cityAdmin := f.user("cityadmin", grant{models.RoleAdmin, "3601"})
		me := models.Actor{UserID: cityAdmin.ID, Username: cityAdmin.Username}
		province := f.user("province", grant{models.RoleTrainer, "36"})
		mixed := f.user("mixed", grant{models.RoleInspector, "3601"}, grant{models.RoleAdmin, "36"})
		jiujiang := f.user("jiujiang", grant{models.RoleEmployee, "360402-01"})
		local := f.user("local", grant{models.RoleEmployee, "360102-01"})

		refused := []struct {
			name string
			id   uint
			want error
		}{
			{"a user with only a province grant is invisible", province.ID, models.ErrNotFound},
			{"a user of another city is invisible", jiujiang.ID, models.ErrNotFound},
			{"a user with a province grant besides a city one", mixed.ID, accounts.ErrNotManageable},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				_, err := f.svc.UpdateUser(f.ctx, me, nanchang, tc.id, accounts.UserPatch{Disabled: new(true)})
				require.ErrorIs(t, err, tc.want)
				_, err = f.svc.UpdateUser(f.ctx, me, nanchang, tc.id, accounts.UserPatch{DisplayName: new("taken over")})
				require.ErrorIs(t, err, tc.want)
				require.ErrorIs(t, f.svc.SetPassword(f.ctx, me, nanchang, tc.id, "attacker-pass-1"), tc.want)
				f.requireNoAudit(mark)
				u, err := models.GetUser(f.ctx, db, models.ScopeAll, tc.id)
				require.NoError(t, err)
				require.False(t, u.Disabled)
				_, err = f.svc.Login(f.ctx, u.Username, password, ipA, agent)
				require.NoError(t, err, "the password is unchanged")
			})
		}

		t.Run("no grant beyond one's own scope", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			grants := []accounts.GrantInput{{Role: models.RoleAdmin, OrgUnitID: f.unitID("36")}}
			_, err := f.svc.UpdateUser(f.ctx, me, nanchang, local.ID, accounts.UserPatch{Grants: &grants})
			dbtest.RequireFieldError(t, err, "grants[0].org_unit_id", "not_found")
			f.requireNoAudit(mark)
		})

		t.Run("no disabling oneself", func(t *testing.T) {
			f := f.with(t)
			_, err := f.svc.UpdateUser(f.ctx, me, nanchang, cityAdmin.ID, accounts.UserPatch{Disabled: new(true)})
			dbtest.RequireFieldError(t, err, "disabled", "cannot_disable_self")
		})

		t.Run("a user inside scope", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			grants := []accounts.GrantInput{{Role: models.RoleManager, OrgUnitID: f.unitID("360103")}}
			u, err := f.svc.UpdateUser(f.ctx, me, nanchang, local.ID, accounts.UserPatch{DisplayName: new(" 本地用户 "), Grants: &grants})
			require.NoError(t, err)
			require.Equal(t, "本地用户", u.DisplayName)
			require.Len(t, u.Grants, 1)
			require.Equal(t, models.RoleManager, u.Grants[0].Role)
			e := f.requireOneAudit(mark, "update", "user", local.ID)
			require.Contains(t, e.Summary, "display_name")
			require.Contains(t, e.Summary, "grants")

			mark = f.auditMark()
			require.NoError(t, f.svc.SetPassword(f.ctx, me, nanchang, local.ID, "local-pass-2"))
			f.requireOneAudit(mark, "reset_password", "user", local.ID)
		})

		t.Run("the province manages everyone", func(t *testing.T) {
			f := f.with(t)
			require.Equal(t, models.ScopeAll, accounts.ScopeOf(mixed, models.RoleAdmin), "a grant on the root sees the province")
			require.Equal(t, nanchang, accounts.ScopeOf(mixed, models.RoleInspector))
			require.True(t, accounts.ScopeOf(mixed, models.RoleEmployee).Empty())
			_, err := f.svc.UpdateUser(f.ctx, me, models.ScopeAll, mixed.ID, accounts.UserPatch{DisplayName: new("省市两级")})
			require.NoError(t, err)
		})
	})
}
