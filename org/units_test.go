package org_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

func TestCreateUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		city, county := f.ptr("3601"), f.ptr("360102")
		tests := []struct {
			name       string
			scope      models.Scope
			in         org.UnitInput
			field      string
			code       string
			wantDupErr bool
		}{
			{"code required", models.ScopeAll, org.UnitInput{Code: "  ", Name: "x", Level: "county", ParentID: city}, "code", "required", false},
			{"name required", models.ScopeAll, org.UnitInput{Code: "360190", Level: "county", ParentID: city}, "name", "required", false},
			{"name too long", models.ScopeAll, org.UnitInput{Code: "360190", Name: strings.Repeat("区", 101), Level: "county", ParentID: city}, "name", "too_long", false},
			{"address too long", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county", ParentID: city, Address: strings.Repeat("路", 201)}, "address", "too_long", false},
			{"negative households", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county", ParentID: city, Households: -1}, "households", "out_of_range", false},
			{"bad level", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "district", ParentID: city}, "level", "invalid_choice", false},
			{"empty level", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", ParentID: city}, "level", "invalid_choice", false},
			{"code with a space", models.ScopeAll, org.UnitInput{Code: "3601 90", Name: "x", Level: "county", ParentID: city}, "code", "invalid_code", false},
			{"code in Chinese", models.ScopeAll, org.UnitInput{Code: "东湖", Name: "x", Level: "county", ParentID: city}, "code", "invalid_code", false},
			{"code starting with a dash", models.ScopeAll, org.UnitInput{Code: "-360190", Name: "x", Level: "county", ParentID: city}, "code", "invalid_code", false},
			{"code formula", models.ScopeAll, org.UnitInput{Code: "=1+1", Name: "x", Level: "county", ParentID: city}, "code", "invalid_code", false},
			{"code too long", models.ScopeAll, org.UnitInput{Code: strings.Repeat("9", 33), Name: "x", Level: "county", ParentID: city}, "code", "too_long", false},
			{"county without parent", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county"}, "parent_id", "required", false},
			{"county under the province", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county", ParentID: f.ptr("36")}, "parent_id", "wrong_parent_level", false},
			{"county under a county", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county", ParentID: county}, "parent_id", "wrong_parent_level", false},
			{"outlet under a city", models.ScopeAll, org.UnitInput{Code: "360190-01", Name: "x", Level: "outlet", ParentID: city}, "parent_id", "wrong_parent_level", false},
			{"parent does not exist", models.ScopeAll, org.UnitInput{Code: "360190", Name: "x", Level: "county", ParentID: new(uint(999999))}, "parent_id", "not_found", false},
			{"parent outside scope", nanchang, org.UnitInput{Code: "360490", Name: "x", Level: "county", ParentID: f.ptr("3604")}, "parent_id", "not_found", false},
			{"province with a parent", models.ScopeAll, org.UnitInput{Code: "37", Name: "x", Level: "province", ParentID: f.ptr("36")}, "parent_id", "must_be_empty", false},
			{"province from a city scope", nanchang, org.UnitInput{Code: "37", Name: "x", Level: "province"}, "level", "invalid_choice", false},
			{"duplicate code", models.ScopeAll, org.UnitInput{Code: "360102", Name: "x", Level: "county", ParentID: city}, "code", "duplicate", true},
			{"duplicate code of another subtree", nanchang, org.UnitInput{Code: "360402", Name: "x", Level: "county", ParentID: city}, "code", "duplicate", true},
		}
		units := f.count(&models.OrgUnit{})
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				u, err := f.svc.CreateUnit(f.ctx, actor, tc.scope, tc.in)
				require.Nil(t, u)
				if tc.wantDupErr {
					dbtest.RequireConflict(t, err, tc.field, tc.code)
				} else {
					dbtest.RequireFieldError(t, err, tc.field, tc.code)
				}
				f.requireNoAudit(mark)
				require.Equal(t, units, f.count(&models.OrgUnit{}))
			})
		}

		t.Run("county and outlet in a city scope", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			c, err := f.svc.CreateUnit(f.ctx, actor, nanchang, org.UnitInput{
				Code: " 360190 ", Name: " 测试区分公司 ", Level: models.LevelCounty, ParentID: city, Urban: true, Households: 1234, Phone: "0791-1234567",
			})
			require.NoError(t, err)
			require.Equal(t, "360190", c.Code, "code is trimmed")
			require.Equal(t, "测试区分公司", c.Name)
			require.Equal(t, f.unit("3601").ChildPath(c.ID), c.Path)
			require.Equal(t, *city, *c.ParentID)
			f.requireOneAudit(mark, "create", "org_unit", c.ID)

			mark = f.auditMark()
			o, err := f.svc.CreateUnit(f.ctx, actor, nanchang, org.UnitInput{Code: "360190-01", Name: "测试营业厅", Level: models.LevelOutlet, ParentID: &c.ID})
			require.NoError(t, err)
			require.Equal(t, c.ChildPath(o.ID), o.Path)
			require.Equal(t, o.Path, f.unit("360190-01").Path)
			f.requireOneAudit(mark, "create", "org_unit", o.ID)
		})

		t.Run("province with the whole-province scope", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			p, err := f.svc.CreateUnit(f.ctx, actor, models.ScopeAll, org.UnitInput{Code: "37", Name: "另一省", Level: models.LevelProvince})
			require.NoError(t, err)
			require.Nil(t, p.ParentID)
			require.Equal(t, "/"+strconv.FormatUint(uint64(p.ID), 10)+"/", p.Path)
			f.requireOneAudit(mark, "create", "org_unit", p.ID)
		})
	})
}

func TestUpdateUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		donghu := f.unit("360102")
		emp := f.employee("E360102", "东湖员工", "360102-01")

		refused := []struct {
			name  string
			scope models.Scope
			id    uint
			patch org.UnitPatch
			field string
			code  string
		}{
			{"empty name", models.ScopeAll, donghu.ID, org.UnitPatch{Name: new(" ")}, "name", "required"},
			{"bad code", models.ScopeAll, donghu.ID, org.UnitPatch{Code: new("36/01")}, "code", "invalid_code"},
			{"empty code", models.ScopeAll, donghu.ID, org.UnitPatch{Code: new("")}, "code", "required"},
			{"households out of range", models.ScopeAll, donghu.ID, org.UnitPatch{Households: new(100_000_001)}, "households", "out_of_range"},
			{"under itself", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: &donghu.ID}, "parent_id", "cycle"},
			{"under its own outlet", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: f.ptr("360102-01")}, "parent_id", "cycle"},
			{"city under its own county", models.ScopeAll, f.id("3601"), org.UnitPatch{ParentID: f.ptr("360103")}, "parent_id", "cycle"},
			{"county under the province", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: f.ptr("36")}, "parent_id", "wrong_parent_level"},
			{"county under another county", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: f.ptr("360402")}, "parent_id", "wrong_parent_level"},
			{"county under an outlet elsewhere", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: f.ptr("360103-01")}, "parent_id", "wrong_parent_level"},
			{"outlet under a city", models.ScopeAll, f.id("360102-01"), org.UnitPatch{ParentID: f.ptr("3604")}, "parent_id", "wrong_parent_level"},
			{"parent does not exist", models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: new(uint(999999))}, "parent_id", "not_found"},
			{"province moved", models.ScopeAll, f.id("36"), org.UnitPatch{ParentID: f.ptr("3601")}, "parent_id", "not_found"},
			{"move to a city outside scope", nanchang, donghu.ID, org.UnitPatch{ParentID: f.ptr("3604")}, "parent_id", "not_found"},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				before := f.unit("360102-01")
				mark := f.auditMark()
				u, err := f.svc.UpdateUnit(f.ctx, actor, tc.scope, tc.id, tc.patch)
				require.Nil(t, u)
				dbtest.RequireFieldError(t, err, tc.field, tc.code)
				f.requireNoAudit(mark)
				require.Equal(t, before.Path, f.unit("360102-01").Path, "nothing moved")
			})
		}

		t.Run("duplicate code", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			_, err := f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, donghu.ID, org.UnitPatch{Code: new("360103"), Name: new("改名")})
			dbtest.RequireConflict(t, err, "code", "duplicate")
			f.requireNoAudit(mark)
			require.Equal(t, "东湖区分公司", f.unit("360102").Name, "the whole update rolled back")
		})

		t.Run("out of scope looks like nonexistent", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			for _, code := range []string{"3604", "360402", "360402-01", "36"} {
				u := f.unit(code)
				_, err := models.GetOrgUnit(f.ctx, db, nanchang, u.ID)
				require.ErrorIs(t, err, models.ErrNotFound, code)
				_, err = models.GetOrgUnitByCode(f.ctx, db, nanchang, code)
				require.ErrorIs(t, err, models.ErrNotFound, code)
				_, err = f.svc.UpdateUnit(f.ctx, actor, nanchang, u.ID, org.UnitPatch{Name: new("被改名")})
				require.ErrorIs(t, err, models.ErrNotFound, code)
				require.Equal(t, u.Name, f.unit(code).Name)
			}
			_, err := f.svc.UpdateUnit(f.ctx, actor, nanchang, 999999, org.UnitPatch{Name: new("x")})
			require.ErrorIs(t, err, models.ErrNotFound)
			list, err := models.ListOrgUnits(f.ctx, db, nanchang, models.OrgFilter{Q: "3604"})
			require.NoError(t, err)
			require.Zero(t, list.Total, "lists are scoped too")
			f.requireNoAudit(mark)
		})

		t.Run("rename", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			u, err := f.svc.UpdateUnit(f.ctx, actor, nanchang, donghu.ID, org.UnitPatch{Name: new("东湖区新分公司"), Households: new(0), Urban: new(false)})
			require.NoError(t, err)
			require.Equal(t, "东湖区新分公司", u.Name)
			got := f.unit("360102")
			require.Equal(t, "东湖区新分公司", got.Name)
			require.Zero(t, got.Households, "zero is written, not skipped")
			require.False(t, got.Urban)
			require.Equal(t, donghu.Path, got.Path)
			e := f.requireOneAudit(mark, "update", "org_unit", donghu.ID)
			require.Contains(t, e.Summary, "东湖区新分公司")
		})

		t.Run("move a county to another city with its subtree", func(t *testing.T) {
			f := f.with(t)
			jiujiang := f.unit("3604")
			outlet := f.unit("360102-01")
			mark := f.auditMark()
			u, err := f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: &jiujiang.ID})
			require.NoError(t, err)
			wantPath := jiujiang.ChildPath(donghu.ID)
			require.Equal(t, wantPath, u.Path)

			moved := f.unit("360102")
			require.Equal(t, jiujiang.ID, *moved.ParentID)
			require.Equal(t, wantPath, moved.Path)
			require.Equal(t, wantPath+strconv.FormatUint(uint64(outlet.ID), 10)+"/", f.unit("360102-01").Path)
			require.Equal(t, moved.ChildPath(f.id("360102-02")), f.unit("360102-02").Path)
			e := f.requireOneAudit(mark, "update", "org_unit", donghu.ID)
			require.Contains(t, e.Summary, "parent_id")

			// The scopes follow the new paths: the outlet and its staff left 南昌.
			_, err = models.GetOrgUnit(f.ctx, db, nanchang, outlet.ID)
			require.ErrorIs(t, err, models.ErrNotFound)
			_, err = models.GetEmployee(f.ctx, db, nanchang, emp.ID)
			require.ErrorIs(t, err, models.ErrNotFound)
			_, err = models.GetEmployee(f.ctx, db, f.scope("3604"), emp.ID)
			require.NoError(t, err)

			// 九江 now holds the county but cannot hand it to 南昌, which it does not
			// see; the province can move it back.
			_, err = f.svc.UpdateUnit(f.ctx, actor, f.scope("3604"), donghu.ID, org.UnitPatch{ParentID: f.ptr("3601")})
			dbtest.RequireFieldError(t, err, "parent_id", "not_found")
			_, err = f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, donghu.ID, org.UnitPatch{ParentID: f.ptr("3601")})
			require.NoError(t, err)
			require.Equal(t, f.unit("3601").ChildPath(donghu.ID)+strconv.FormatUint(uint64(outlet.ID), 10)+"/", f.unit("360102-01").Path)
		})

		t.Run("move an outlet to another county", func(t *testing.T) {
			f := f.with(t)
			mark := f.auditMark()
			id := f.id("360103-02")
			_, err := f.svc.UpdateUnit(f.ctx, actor, nanchang, id, org.UnitPatch{ParentID: f.ptr("360104")})
			require.NoError(t, err)
			require.Equal(t, f.unit("360104").ChildPath(id), f.unit("360103-02").Path)
			f.requireOneAudit(mark, "update", "org_unit", id)
		})
	})
}

func TestDeleteUnit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		nanchang := f.scope("3601")
		f.employee("E01", "营业员", "360102-01")
		// An empty outlet that someone holds a grant over.
		granted, err := f.svc.CreateUnit(f.ctx, actor, models.ScopeAll, org.UnitInput{Code: "360102-90", Name: "有授权的营业厅", Level: models.LevelOutlet, ParentID: f.ptr("360102")})
		require.NoError(t, err)
		_, err = accounts.NewService(db, accounts.DefaultConfig).CreateUser(f.ctx, actor, models.ScopeAll, accounts.UserInput{
			Username: "granted", Password: "granted-pass-1", Grants: []accounts.GrantInput{{Role: models.RoleManager, OrgUnitID: granted.ID}},
		})
		require.NoError(t, err)

		refused := []struct {
			name  string
			scope models.Scope
			code  string
			check func(t *testing.T, err error)
		}{
			{"with children", models.ScopeAll, "360102", func(t *testing.T, err error) { dbtest.RequireConflict(t, err, "id", "has_children") }},
			{"with employees", models.ScopeAll, "360102-01", func(t *testing.T, err error) { dbtest.RequireConflict(t, err, "id", "has_employees") }},
			{"with a grant", models.ScopeAll, "360102-90", func(t *testing.T, err error) { dbtest.RequireConflict(t, err, "id", "in_use") }},
			{"an empty outlet outside scope", nanchang, "360402-01", func(t *testing.T, err error) { require.ErrorIs(t, err, models.ErrNotFound) }},
			{"a city outside scope", nanchang, "3604", func(t *testing.T, err error) { require.ErrorIs(t, err, models.ErrNotFound) }},
		}
		for _, tc := range refused {
			t.Run(tc.name, func(t *testing.T) {
				f := f.with(t)
				mark := f.auditMark()
				units := f.count(&models.OrgUnit{})
				tc.check(t, f.svc.DeleteUnit(f.ctx, actor, tc.scope, f.id(tc.code)))
				f.requireNoAudit(mark)
				require.Equal(t, units, f.count(&models.OrgUnit{}))
			})
		}
		t.Run("nonexistent", func(t *testing.T) {
			f := f.with(t)
			require.ErrorIs(t, f.svc.DeleteUnit(f.ctx, actor, models.ScopeAll, 999999), models.ErrNotFound)
		})

		t.Run("empty outlet", func(t *testing.T) {
			f := f.with(t)
			id := f.id("360102-02")
			mark := f.auditMark()
			require.NoError(t, f.svc.DeleteUnit(f.ctx, actor, nanchang, id))
			e := f.requireOneAudit(mark, "delete", "org_unit", id)
			require.Contains(t, e.Summary, "360102-02")
			_, err := models.GetOrgUnit(f.ctx, db, models.ScopeAll, id)
			require.ErrorIs(t, err, models.ErrNotFound)
			require.ErrorIs(t, f.svc.DeleteUnit(f.ctx, actor, models.ScopeAll, id), models.ErrNotFound, "deleted once")
		})
	})
}

func TestTreeIsScoped(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		roots, err := f.svc.Tree(f.ctx, f.scope("3601", "360402"))
		require.NoError(t, err)
		require.Len(t, roots, 2)
		require.Equal(t, "3601", roots[0].Code)
		require.Equal(t, "360402", roots[1].Code)
		var walk func(n *org.TreeNode) int
		walk = func(n *org.TreeNode) int {
			c := 1
			for _, ch := range n.Children {
				require.Equal(t, n.ID, *ch.ParentID)
				c += walk(ch)
			}
			return c
		}
		total := walk(roots[0]) + walk(roots[1])
		inScope, err := models.OrgUnitsInScope(f.ctx, db, f.scope("3601", "360402"))
		require.NoError(t, err)
		require.Equal(t, len(inScope), total)

		none, err := f.svc.Tree(f.ctx, models.Scope{})
		require.NoError(t, err)
		require.Empty(t, none, "the zero scope sees nothing")
	})
}

// TestTreeInCodeOrder: each unit's children come in code order, and a unit whose code
// sorts before its parent's (codes are free text) still hangs under its parent.
func TestTreeInCodeOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		parent := f.id("360102")
		for _, code := range []string{"360102-Z9", "0001-EARLY"} {
			_, err := f.svc.CreateUnit(f.ctx, models.SystemActor, models.ScopeAll, org.UnitInput{
				Code: code, Name: "排序营业厅", Level: models.LevelOutlet, ParentID: &parent})
			require.NoError(t, err)
		}
		roots, err := f.svc.Tree(f.ctx, f.scope("360102"))
		require.NoError(t, err)
		require.Len(t, roots, 1, "the early code is no root of its own")
		var codes []string
		for _, ch := range roots[0].Children {
			codes = append(codes, ch.Code)
		}
		require.Equal(t, "0001-EARLY", codes[0])
		require.Equal(t, "360102-Z9", codes[len(codes)-1])
		require.True(t, slices.IsSorted(codes), "children in code order: %v", codes)
	})
}
