package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Roles. Each grant binds a role to an org unit: the role applies in that unit's subtree.
const (
	RoleAdmin     = "admin"
	RoleTrainer   = "trainer"
	RoleInspector = "inspector"
	RoleManager   = "manager"
	RoleEmployee  = "employee"
)

// Roles lists every role.
var Roles = []string{RoleAdmin, RoleTrainer, RoleInspector, RoleManager, RoleEmployee}

// User is a login, usually linked to an employee.
type User struct {
	ID                uint       `gorm:"primaryKey" json:"id"`
	Username          string     `gorm:"size:64;not null;uniqueIndex" json:"username"`
	DisplayName       string     `gorm:"size:64;not null" json:"display_name"`
	PasswordHash      string     `gorm:"size:255;not null" json:"-"`
	EmployeeID        *uint      `gorm:"uniqueIndex" json:"employee_id"`
	Employee          *Employee  `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Disabled          bool       `gorm:"not null" json:"disabled"`
	PasswordChangedAt time.Time  `json:"password_changed_at"`
	LastLoginAt       *time.Time `json:"last_login_at"`
	CreatedAt         time.Time  `json:"created_at"`
	UpdatedAt         time.Time  `json:"updated_at"`
	Grants            []Grant    `gorm:"foreignKey:UserID;constraint:OnDelete:CASCADE" json:"grants"`
}

// Grant gives a user a role over an org unit's subtree.
type Grant struct {
	ID        uint     `gorm:"primaryKey" json:"-"`
	UserID    uint     `gorm:"not null;uniqueIndex:ux_grant" json:"-"`
	Role      string   `gorm:"size:16;not null;uniqueIndex:ux_grant" json:"role"`
	OrgUnitID uint     `gorm:"not null;uniqueIndex:ux_grant;index" json:"org_unit_id"`
	OrgUnit   *OrgUnit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// UnitPath is filled on load for scope checks; it is not a column.
	UnitPath string `gorm:"-" json:"-"`
	UnitName string `gorm:"-" json:"org_unit_name,omitempty"`
}

// UserFilter selects users; zero fields do not filter.
type UserFilter struct {
	Q    string
	Role string
	// Status is "active" or "disabled".
	Status string
	Page
}

// User statuses a list may filter by.
const (
	UserActive   = "active"
	UserDisabled = "disabled"
)

// UserStatuses lists the statuses of UserFilter.
var UserStatuses = []string{UserActive, UserDisabled}

// ListUsers returns one page of users (with grants) having a grant inside scope, or,
// for the whole province, every user.
func ListUsers(ctx context.Context, db *gorm.DB, scope Scope, f UserFilter) (List[User], error) {
	q := db.WithContext(ctx).Model(&User{})
	if !scope.All || f.Role != "" {
		sub := db.Model(&Grant{}).Select("user_id")
		sub = scope.onUnit(sub, "org_unit_id")
		if f.Role != "" {
			sub = sub.Where("role = ?", f.Role)
		}
		q = q.Where("id IN (?)", sub)
	}
	if f.Q != "" {
		q = q.Where("("+likeClause("username")+" OR "+likeClause("display_name")+")", containsPattern(f.Q), containsPattern(f.Q))
	}
	switch f.Status {
	case UserActive:
		q = q.Where("disabled = ?", false)
	case UserDisabled:
		q = q.Where("disabled = ?", true)
	}
	out := List[User]{Items: []User{}}
	if err := q.Count(&out.Total).Error; err != nil {
		return out, err
	}
	p := f.Page.Normalize()
	// The employee (for the list's job number) is not part of the JSON.
	if err := q.Preload("Employee").Order("username").Offset(p.Offset()).Limit(p.PerPage).Find(&out.Items).Error; err != nil {
		return out, err
	}
	for i := range out.Items {
		if err := LoadGrants(ctx, db, &out.Items[i]); err != nil {
			return out, err
		}
	}
	return out, nil
}

// GetUser loads a user by id with grants; scope limits to users with a grant in it.
func GetUser(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*User, error) {
	q := db.WithContext(ctx).Where("id = ?", id)
	if !scope.All {
		q = q.Where("id IN (?)", scope.onUnit(db.Model(&Grant{}).Select("user_id"), "org_unit_id"))
	}
	var u User
	err := q.Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("user %d: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &u, LoadGrants(ctx, db, &u)
}

// GetUserByUsername loads an enabled or disabled user by login name with grants.
func GetUserByUsername(ctx context.Context, db *gorm.DB, username string) (*User, error) {
	var u User
	err := db.WithContext(ctx).Where("username = ?", username).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("user %q: %w", username, ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	return &u, LoadGrants(ctx, db, &u)
}

// LoadGrants fills u.Grants with unit paths and names; afterwards u.Grants is non-nil,
// also for a user without grants, so nil means "not loaded yet".
func LoadGrants(ctx context.Context, db *gorm.DB, u *User) error {
	type row struct {
		Grant
		Path string
		Name string
	}
	var rows []row
	err := db.WithContext(ctx).Table("grants").
		Select("grants.*, org_units.path AS path, org_units.name AS name").
		Joins("JOIN org_units ON org_units.id = grants.org_unit_id").
		Where("grants.user_id = ?", u.ID).Order("grants.id").Scan(&rows).Error
	if err != nil {
		return err
	}
	u.Grants = make([]Grant, len(rows))
	for i, r := range rows {
		g := r.Grant
		g.UnitPath, g.UnitName = r.Path, r.Name
		u.Grants[i] = g
	}
	return nil
}

// ReplaceGrants swaps the user's grants inside tx.
func ReplaceGrants(tx *gorm.DB, userID uint, grants []Grant) error {
	if err := tx.Where("user_id = ?", userID).Delete(&Grant{}).Error; err != nil {
		return err
	}
	for i := range grants {
		grants[i].ID = 0
		grants[i].UserID = userID
	}
	if len(grants) == 0 {
		return nil
	}
	return translate(tx.Omit("OrgUnit").Create(&grants).Error, "grants")
}

// UsersWithRoles lists the users holding any of roles somewhere (id, login and display
// name only), by login, at most limit of them: the suggestions of a user filter.
func UsersWithRoles(ctx context.Context, db *gorm.DB, roles []string, limit int) ([]User, error) {
	out := []User{}
	sub := db.Model(&Grant{}).Select("user_id").Where("role IN ?", roles)
	err := db.WithContext(ctx).Select("id", "username", "display_name").Where("id IN (?)", sub).
		Order("username").Limit(limit).Find(&out).Error
	return out, err
}

// displayNames maps user ids to their display names as their accounts show them now;
// an id without a user (deleted, or never one) is left out.
func displayNames(ctx context.Context, db *gorm.DB, ids []uint) (map[uint]string, error) {
	names := map[uint]string{}
	if len(ids) == 0 {
		return names, nil
	}
	var users []User
	if err := db.WithContext(ctx).Select("id", "display_name").Where("id IN ?", ids).Find(&users).Error; err != nil {
		return names, err
	}
	for _, u := range users {
		names[u.ID] = u.DisplayName
	}
	return names, nil
}

// UserOfEmployee returns the user linked to an employee, or ErrNotFound.
func UserOfEmployee(ctx context.Context, db *gorm.DB, employeeID uint) (*User, error) {
	var u User
	err := db.WithContext(ctx).Where("employee_id = ?", employeeID).Take(&u).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("user of employee %d: %w", employeeID, ErrNotFound)
	}
	return &u, err
}

// SetLastLogin records a sign-in of u at now.
func SetLastLogin(tx *gorm.DB, u *User, now time.Time) error {
	return tx.Model(u).Update("last_login_at", now).Error
}

// UpdateUserAccount writes u's display name, disabled flag and employee.
func UpdateUserAccount(tx *gorm.DB, u *User, now time.Time) error {
	return tx.Model(&User{}).Where("id = ?", u.ID).
		Select("display_name", "disabled", "employee_id", "updated_at").
		Updates(map[string]any{"display_name": u.DisplayName, "disabled": u.Disabled, "employee_id": u.EmployeeID, "updated_at": now}).Error
}

// SetPasswordHash replaces user id's password hash, changed at now.
func SetPasswordHash(tx *gorm.DB, id uint, hash string, now time.Time) error {
	return tx.Model(&User{}).Where("id = ?", id).
		Updates(map[string]any{"password_hash": hash, "password_changed_at": now, "updated_at": now}).Error
}
