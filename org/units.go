// Package org holds the rules of the organisation: org units (R3: province → city →
// county → outlet) and employees, with the roster import.
package org

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// UnitInput creates an org unit.
type UnitInput struct {
	Code       string `json:"code"`
	Name       string `json:"name"`
	Level      string `json:"level"`
	ParentID   *uint  `json:"parent_id"`
	Urban      bool   `json:"urban"`
	Households int    `json:"households"`
	Address    string `json:"address"`
	Phone      string `json:"phone"`
	// Lat and Lng locate an outlet (degrees), for the far-from-outlet check.
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

// UnitPatch updates an org unit; nil fields are left alone. Changing ParentID moves
// the unit with its subtree.
type UnitPatch struct {
	Code       *string `json:"code"`
	Name       *string `json:"name"`
	ParentID   *uint   `json:"parent_id"`
	Urban      *bool   `json:"urban"`
	Households *int    `json:"households"`
	Address    *string `json:"address"`
	Phone      *string `json:"phone"`
	// Lat and Lng set an outlet's position (both together).
	Lat *float64 `json:"lat"`
	Lng *float64 `json:"lng"`
}

var codeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)

// CreateUnit validates in and stores a unit under its parent, which must be in scope and
// exactly one level up.
func (s *Service) CreateUnit(ctx context.Context, actor models.Actor, scope models.Scope, in UnitInput) (*models.OrgUnit, error) {
	v := &models.ValidationError{}
	u := &models.OrgUnit{Level: in.Level, Urban: in.Urban}
	setText(v, "code", &u.Code, strings.ToUpper(in.Code), 32, true)
	setText(v, "name", &u.Name, in.Name, 100, true)
	setText(v, "address", &u.Address, in.Address, 200, false)
	setText(v, "phone", &u.Phone, in.Phone, 32, false)
	if u.Code != "" && !codeRE.MatchString(u.Code) {
		v.Add("code", "invalid_code")
	}
	checkHouseholds(v, in.Households)
	u.Households = in.Households
	checkLocation(v, in.Lat, in.Lng)
	u.Lat, u.Lng = in.Lat, in.Lng
	depth := models.LevelIndex(in.Level)
	if depth < 0 {
		v.Add("level", "invalid_choice")
	}
	var parent *models.OrgUnit
	switch {
	case depth == 0 && in.ParentID != nil:
		v.Add("parent_id", "must_be_empty")
	case depth == 0 && !scope.All:
		v.Add("level", "invalid_choice")
	case depth > 0 && in.ParentID == nil:
		v.Add("parent_id", "required")
	case depth > 0:
		p, err := models.GetOrgUnit(ctx, s.DB, scope, *in.ParentID)
		if err != nil {
			v.Add("parent_id", "not_found")
		} else if models.LevelIndex(p.Level) != depth-1 {
			v.Add("parent_id", "wrong_parent_level", "level", models.Levels[depth-1])
		}
		parent = p
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertOrgUnit(tx, u, parent); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "org_unit", u.ID, u)
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// UpdateUnit applies p to unit id inside scope.
func (s *Service) UpdateUnit(ctx context.Context, actor models.Actor, scope models.Scope, id uint, p UnitPatch) (*models.OrgUnit, error) {
	u, err := models.GetOrgUnit(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	before := *u
	v := &models.ValidationError{}
	if p.Code != nil {
		setText(v, "code", &u.Code, strings.ToUpper(*p.Code), 32, true)
		if u.Code != "" && !codeRE.MatchString(u.Code) {
			v.Add("code", "invalid_code")
		}
	}
	if p.Name != nil {
		setText(v, "name", &u.Name, *p.Name, 100, true)
	}
	if p.Address != nil {
		setText(v, "address", &u.Address, *p.Address, 200, false)
	}
	if p.Phone != nil {
		setText(v, "phone", &u.Phone, *p.Phone, 32, false)
	}
	if p.Urban != nil {
		u.Urban = *p.Urban
	}
	if p.Households != nil {
		checkHouseholds(v, *p.Households)
		u.Households = *p.Households
	}
	if p.Lat != nil || p.Lng != nil {
		checkLocation(v, p.Lat, p.Lng)
		u.Lat, u.Lng = p.Lat, p.Lng
	}
	var newParent *models.OrgUnit
	if p.ParentID != nil && (u.ParentID == nil || *u.ParentID != *p.ParentID) {
		np, err := models.GetOrgUnit(ctx, s.DB, scope, *p.ParentID)
		switch {
		case err != nil || u.ParentID == nil:
			v.Add("parent_id", "not_found")
		case strings.HasPrefix(np.Path, u.Path):
			v.Add("parent_id", "cycle")
		case models.LevelIndex(np.Level) != models.LevelIndex(u.Level)-1:
			v.Add("parent_id", "wrong_parent_level", "level", models.Levels[models.LevelIndex(u.Level)-1])
		default:
			newParent = np
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if newParent != nil {
			if err := models.MoveOrgSubtree(tx, u, newParent); err != nil {
				return err
			}
		}
		err := models.UpdateOrgUnit(tx, u)
		if err != nil {
			return models.Translate(err, "code")
		}
		return models.Audit(tx, actor, "update", "org_unit", u.ID, models.Diff(map[string][2]any{
			"code": {before.Code, u.Code}, "name": {before.Name, u.Name}, "parent_id": {before.ParentID, u.ParentID},
			"urban": {before.Urban, u.Urban}, "households": {before.Households, u.Households},
			"address": {before.Address, u.Address}, "phone": {before.Phone, u.Phone},
			"lat": {before.Lat, u.Lat}, "lng": {before.Lng, u.Lng},
		}))
	})
	if err != nil {
		return nil, err
	}
	return u, nil
}

// checkLocation accepts no position or a whole one within the Earth's bounds.
func checkLocation(v *models.ValidationError, lat, lng *float64) {
	switch {
	case lat == nil && lng == nil:
	case lat == nil || lng == nil:
		v.Add("lat", "lat_lng_pair")
	case !(*lat >= -90 && *lat <= 90):
		v.Add("lat", "out_of_range", "min", -90, "max", 90)
	case !(*lng >= -180 && *lng <= 180):
		v.Add("lng", "out_of_range", "min", -180, "max", 180)
	}
}

// DeleteUnit removes a unit in scope that has no children, staff or grants; otherwise
// it is a conflict.
func (s *Service) DeleteUnit(ctx context.Context, actor models.Actor, scope models.Scope, id uint) error {
	u, err := models.GetOrgUnit(ctx, s.DB, scope, id)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if n, err := models.CountOrgChildren(tx, u.ID); err != nil {
			return err
		} else if n > 0 {
			return &models.ConflictError{Field: "id", Code: "has_children"}
		}
		if n, err := models.CountEmployeesInUnit(tx, u.ID); err != nil {
			return err
		} else if n > 0 {
			return &models.ConflictError{Field: "id", Code: "has_employees"}
		}
		if err := models.DeleteOrgUnit(tx, u.ID); err != nil {
			return models.Translate(err, "id")
		}
		return models.Audit(tx, actor, "delete", "org_unit", u.ID, map[string]string{"code": u.Code, "name": u.Name})
	})
}

// TreeNode is an org unit with its children, for the tree view.
type TreeNode struct {
	models.OrgUnit
	Children []*TreeNode `json:"children"`
}

// Tree returns the units in scope as a forest: one root per scope subtree, each
// unit's children in code order.
func (s *Service) Tree(ctx context.Context, scope models.Scope) ([]*TreeNode, error) {
	units, err := models.OrgUnitsInScope(ctx, s.DB, scope)
	if err != nil {
		return nil, err
	}
	byID := make(map[uint]*TreeNode, len(units))
	for _, u := range units {
		byID[u.ID] = &TreeNode{OrgUnit: u, Children: []*TreeNode{}}
	}
	// Linked in a second pass: codes are free text, so a child's code may sort before
	// its parent's, and the parent must be known by then.
	roots := []*TreeNode{}
	for _, u := range units { // in code order, so each list of children is too
		n := byID[u.ID]
		if u.ParentID != nil {
			if p, ok := byID[*u.ParentID]; ok {
				p.Children = append(p.Children, n)
				continue
			}
		}
		roots = append(roots, n)
	}
	return roots, nil
}

// setText trims s into *dst, checking presence and length in characters.
func setText(v *models.ValidationError, field string, dst *string, s string, max int, required bool) {
	s = strings.TrimSpace(s)
	switch {
	case s == "" && required:
		v.Add(field, "required")
	case utf8.RuneCountInString(s) > max:
		v.Add(field, "too_long", "max", max)
	}
	*dst = s
}

func checkHouseholds(v *models.ValidationError, n int) {
	if n < 0 || n > 100_000_000 {
		v.Add("households", "out_of_range", "min", 0, "max", 100_000_000)
	}
}
