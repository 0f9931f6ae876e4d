package accounts

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// ScopeOf is the union of the subtrees where u holds any of roles; a grant on the root
// (the provincial company) sees everything, users without grants included.
func ScopeOf(u *models.User, roles ...string) models.Scope {
	var paths []string
	for _, g := range u.Grants {
		if slices.Contains(roles, g.Role) {
			paths = append(paths, g.UnitPath)
		}
	}
	return models.ScopeOfPaths(paths)
}

// HasRole reports whether u holds any of roles anywhere.
func HasRole(u *models.User, roles ...string) bool {
	for _, g := range u.Grants {
		if slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// GrantInput is one role over one unit in a user create or update.
type GrantInput struct {
	Role      string `json:"role"`
	OrgUnitID uint   `json:"org_unit_id"`
}

// UserInput creates a user. Roles come only through Grants, checked against the
// creator's own scope.
type UserInput struct {
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Password    string `json:"password"`
	EmployeeID  *uint  `json:"employee_id"`
	// EmployeeJobNumber links the employee with this job number, when EmployeeID is
	// not given (the web form picks the employee by job number).
	EmployeeJobNumber string `json:"employee_job_number,omitempty"`
	// Grants: 20 role-and-unit pairs are more than anyone holds; each is a lookup.
	Grants []GrantInput `json:"grants" maxItems:"20,dedupe"`
}

// UserPatch updates a user; nil fields are left alone.
type UserPatch struct {
	DisplayName *string       `json:"display_name"`
	Disabled    *bool         `json:"disabled"`
	EmployeeID  *uint         `json:"employee_id"`
	Grants      *[]GrantInput `json:"grants" maxItems:"20,dedupe"` // as UserInput.Grants
}

var usernameRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{1,63}$`)

// CreateUser validates in and stores a new user; scope is the creator's admin scope.
func (s *Service) CreateUser(ctx context.Context, actor models.Actor, scope models.Scope, in UserInput) (*models.User, error) {
	v := &models.ValidationError{}
	// User names are case-insensitive on every engine (MySQL's collation already is).
	in.Username = strings.ToLower(strings.TrimSpace(in.Username))
	in.DisplayName = strings.TrimSpace(in.DisplayName)
	if in.Username == "" {
		v.Add("username", "required")
	} else if !usernameRE.MatchString(in.Username) {
		v.Add("username", "invalid_username")
	}
	if in.DisplayName == "" {
		in.DisplayName = in.Username
	} else if utf8.RuneCountInString(in.DisplayName) > 64 {
		v.Add("display_name", "too_long", "max", 64)
	}
	CheckPassword(v, "password", in.Password)
	grants := s.checkGrants(ctx, v, scope, in.Grants)
	employeeField := "employee_id"
	if job := strings.TrimSpace(in.EmployeeJobNumber); in.EmployeeID == nil && job != "" {
		employeeField = "employee_job_number"
		found, err := models.EmployeesByJobNumber(ctx, s.DB, []string{job})
		if err != nil {
			return nil, err
		}
		if e, ok := found[job]; ok {
			in.EmployeeID = &e.ID
		} else {
			v.Add(employeeField, "not_found")
		}
	}
	if in.EmployeeID != nil {
		if err := s.checkEmployeeLink(ctx, v, scope, *in.EmployeeID, 0, employeeField); err != nil {
			return nil, err
		}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	hash, err := HashPassword(ctx, in.Password)
	if err != nil {
		return nil, err
	}
	now := s.Clock()
	u := &models.User{Username: in.Username, DisplayName: in.DisplayName, PasswordHash: hash, EmployeeID: in.EmployeeID, PasswordChangedAt: now}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, u); err != nil {
			return models.Translate(err, "username")
		}
		if err := models.ReplaceGrants(tx, u.ID, grants); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "user", u.ID, map[string]any{
			"username": u.Username, "display_name": u.DisplayName, "employee_id": u.EmployeeID, "grants": in.Grants,
		})
	})
	if err != nil {
		return nil, err
	}
	return models.GetUser(ctx, s.DB, models.ScopeAll, u.ID)
}

// ErrNotManageable refuses a change to a user who holds a grant outside the changer's
// scope: a city admin must not take over a provincial account.
var ErrNotManageable = errors.New("user holds grants outside your scope")

// manageableUser loads user id for a change by an admin with the given scope.
func (s *Service) manageableUser(ctx context.Context, scope models.Scope, id uint) (*models.User, error) {
	u, err := models.GetUser(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	for _, g := range u.Grants {
		if !scope.Contains(g.UnitPath) {
			return nil, ErrNotManageable
		}
	}
	return u, nil
}

// UpdateUser applies p to the user id inside scope.
func (s *Service) UpdateUser(ctx context.Context, actor models.Actor, scope models.Scope, id uint, p UserPatch) (*models.User, error) {
	u, err := s.manageableUser(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	v := &models.ValidationError{}
	changes := map[string][2]any{}
	if p.DisplayName != nil {
		name := strings.TrimSpace(*p.DisplayName)
		switch {
		case name == "":
			v.Add("display_name", "required")
		case utf8.RuneCountInString(name) > 64:
			v.Add("display_name", "too_long", "max", 64)
		}
		changes["display_name"] = [2]any{u.DisplayName, name}
		u.DisplayName = name
	}
	if p.Disabled != nil {
		if *p.Disabled && actor.UserID == u.ID {
			v.Add("disabled", "cannot_disable_self")
		}
		changes["disabled"] = [2]any{u.Disabled, *p.Disabled}
		u.Disabled = *p.Disabled
	}
	if p.EmployeeID != nil {
		if err := s.checkEmployeeLink(ctx, v, scope, *p.EmployeeID, u.ID, "employee_id"); err != nil {
			return nil, err
		}
		changes["employee_id"] = [2]any{u.EmployeeID, *p.EmployeeID}
		u.EmployeeID = p.EmployeeID
	}
	var grants []models.Grant
	if p.Grants != nil {
		grants = s.checkGrants(ctx, v, scope, *p.Grants)
		changes["grants"] = [2]any{grantInputs(u.Grants), *p.Grants}
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := models.UpdateUserAccount(tx, u, s.Clock())
		if err != nil {
			return models.Translate(err, "employee_id")
		}
		if p.Grants != nil {
			if err := models.ReplaceGrants(tx, u.ID, grants); err != nil {
				return err
			}
		}
		if u.Disabled {
			// Disabling ends every session at once.
			if err := models.DeleteUserSessions(tx, u.ID); err != nil {
				return err
			}
		}
		return models.Audit(tx, actor, "update", "user", u.ID, models.Diff(changes))
	})
	if err != nil {
		return nil, err
	}
	return models.GetUser(ctx, s.DB, models.ScopeAll, u.ID)
}

// AddGrant gives user id one more grant, through UpdateUser (so audited as an update
// of the grants, before and after). A grant the user holds already is refused.
func (s *Service) AddGrant(ctx context.Context, actor models.Actor, scope models.Scope, id uint, g GrantInput) (*models.User, error) {
	u, err := s.manageableUser(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	grants := grantInputs(u.Grants)
	if slices.Contains(grants, g) {
		v := &models.ValidationError{}
		v.Add("role", "duplicate_grant")
		return nil, v
	}
	grants = append(grants, g)
	u, err = s.UpdateUser(ctx, actor, scope, id, UserPatch{Grants: &grants})
	var ve *models.ValidationError
	if errors.As(err, &ve) {
		// The new grant is the last: its fields are the form's role and unit.
		last := "grants[" + strconv.Itoa(len(grants)-1) + "]."
		for i, f := range ve.Fields {
			ve.Fields[i].Field = strings.TrimPrefix(f.Field, last)
		}
	}
	return u, err
}

// RevokeGrant takes grant g away from user id, through UpdateUser. An admin cannot take
// their own admin grants away: the last of them would leave no one to give it back.
func (s *Service) RevokeGrant(ctx context.Context, actor models.Actor, scope models.Scope, id uint, g GrantInput) (*models.User, error) {
	u, err := s.manageableUser(ctx, scope, id)
	if err != nil {
		return nil, err
	}
	grants := grantInputs(u.Grants)
	i := slices.Index(grants, g)
	if i < 0 {
		return nil, fmt.Errorf("grant %s on unit %d of user %d: %w", g.Role, g.OrgUnitID, id, models.ErrNotFound)
	}
	if actor.UserID == id && g.Role == models.RoleAdmin {
		v := &models.ValidationError{}
		v.Add("role", "cannot_revoke_own_admin")
		return nil, v
	}
	grants = slices.Delete(grants, i, i+1)
	return s.UpdateUser(ctx, actor, scope, id, UserPatch{Grants: &grants})
}

// SetPassword replaces the password of user id inside scope (an admin's reset) and
// ends the user's sessions.
func (s *Service) SetPassword(ctx context.Context, actor models.Actor, scope models.Scope, id uint, password string) error {
	u, err := s.manageableUser(ctx, scope, id)
	if err != nil {
		return err
	}
	return s.storePassword(ctx, actor, u, "password", password, "reset_password")
}

// ChangeOwnPassword checks the current password before storing the new one.
func (s *Service) ChangeOwnPassword(ctx context.Context, actor models.Actor, current, next string) error {
	u, err := models.GetUser(ctx, s.DB, models.ScopeAll, actor.UserID)
	if err != nil {
		return err
	}
	ok, err := VerifyPassword(ctx, current, u.PasswordHash)
	if err != nil {
		return err
	}
	if !ok {
		v := &models.ValidationError{}
		v.Add("current_password", "wrong_password")
		return v
	}
	return s.storePassword(ctx, actor, u, "new_password", next, "change_password")
}

func (s *Service) storePassword(ctx context.Context, actor models.Actor, u *models.User, field, password, action string) error {
	v := &models.ValidationError{}
	CheckPassword(v, field, password)
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := HashPassword(ctx, password)
	if err != nil {
		return err
	}
	return s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		now := s.Clock()
		err := models.SetPasswordHash(tx, u.ID, hash, now)
		if err != nil {
			return err
		}
		if err := models.DeleteUserSessions(tx, u.ID); err != nil {
			return err
		}
		return models.Audit(tx, actor, action, "user", u.ID, nil)
	})
}

// checkGrants validates grant inputs against the granting admin's scope.
func (s *Service) checkGrants(ctx context.Context, v *models.ValidationError, scope models.Scope, in []GrantInput) []models.Grant {
	out := make([]models.Grant, 0, len(in))
	seen := map[GrantInput]bool{}
	for i, g := range in {
		field := "grants[" + strconv.Itoa(i) + "]"
		if !slices.Contains(models.Roles, g.Role) {
			v.Add(field+".role", "invalid_choice")
			continue
		}
		if _, err := models.GetOrgUnit(ctx, s.DB, scope, g.OrgUnitID); err != nil {
			v.Add(field+".org_unit_id", "not_found")
			continue
		}
		if seen[g] {
			continue
		}
		seen[g] = true
		out = append(out, models.Grant{Role: g.Role, OrgUnitID: g.OrgUnitID})
	}
	return out
}

func grantInputs(gs []models.Grant) []GrantInput {
	out := make([]GrantInput, len(gs))
	for i, g := range gs {
		out[i] = GrantInput{Role: g.Role, OrgUnitID: g.OrgUnitID}
	}
	return out
}

// checkEmployeeLink adds an error on field unless employeeID is in scope and not yet
// linked to another user than self.
func (s *Service) checkEmployeeLink(ctx context.Context, v *models.ValidationError, scope models.Scope, employeeID, self uint, field string) error {
	if _, err := models.GetEmployee(ctx, s.DB, scope, employeeID); err != nil {
		if !errors.Is(err, models.ErrNotFound) {
			return err
		}
		v.Add(field, "not_found")
		return nil
	}
	other, err := models.UserOfEmployee(ctx, s.DB, employeeID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return err
	}
	if other != nil && other.ID != self {
		v.Add(field, "duplicate")
	}
	return nil
}
