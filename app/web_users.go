package app

import (
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
)

// usersPerPage is how many users the list shows at once.
const usersPerPage = 50

// userNotices are the outcomes a redirect back to a user's page may announce.
var userNotices = []string{"created", "granted", "revoked", "disabled", "enabled", "password"}

// formField is a field of a form as its refusal shows it: the service's name for it,
// the id of its input on the page and the catalogue key of its label.
type formField struct{ Name, ID, Label string }

// formRefusal is a refused form: the messages beside each field (by input id) and the
// summary at the top of the page, which links each field.
type formRefusal struct {
	Fields  map[string][]string
	Summary []refusalItem
}

// refusalItem is one line of a refusal's summary; ID is "" for a message that belongs
// to no field of the form.
type refusalItem struct{ ID, Label, Message string }

// fieldRefusal turns a service's refusal of a form with fields into its status and
// messages; other errors are not refusals.
func (s *server) fieldRefusal(c *fiber.Ctx, err error, fields []formField) (int, *formRefusal, bool) {
	status, byField, ok := s.refusalByField(c, err)
	if !ok {
		return 0, nil, false
	}
	lang := language(c)
	r := &formRefusal{Fields: map[string][]string{}}
	for _, f := range fields {
		for _, m := range byField[f.Name] {
			r.Fields[f.ID] = append(r.Fields[f.ID], m)
			r.Summary = append(r.Summary, refusalItem{ID: f.ID, Label: s.msgs.T(lang, f.Label, nil), Message: m})
		}
		delete(byField, f.Name)
	}
	for _, name := range keys(byField) {
		for _, m := range byField[name] {
			r.Summary = append(r.Summary, refusalItem{Label: name, Message: m})
		}
	}
	return status, r, true
}

// usersPageData is the list of users.
type usersPageData struct {
	List       models.List[models.User]
	Filter     models.UserFilter
	Roles      []string
	Statuses   []string
	Prev, Next template.URL
}

func (s *server) usersPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.UserFilter{Q: q.str("q", 64), Role: q.choice("role", models.Roles), Status: q.choice("status", models.UserStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = usersPerPage
	list, err := models.ListUsers(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	params := url.Values{}
	for k, v := range map[string]string{"q": f.Q, "role": f.Role, "status": f.Status} {
		if v != "" {
			params.Set(k, v)
		}
	}
	d := usersPageData{List: list, Filter: f, Roles: models.Roles, Statuses: models.UserStatuses}
	d.Prev, d.Next = pageLinks("/users", params, f.Page.Normalize(), list.Total)
	return s.render(c, fiber.StatusOK, "users", "adminweb.users", d)
}

// userForm is the new-user form as typed; the password is never shown back.
type userForm struct{ JobNumber, Username, DisplayName, Role, OrgUnitID string }

// userFormFields are the new-user form's fields, in the order the form shows them.
var userFormFields = []formField{
	{"employee_job_number", "job_number", "adminweb.user.job_number"},
	{"username", "username", "ui.username"},
	{"display_name", "display_name", "adminweb.user.display_name"},
	{"password", "password", "adminweb.user.initial_password"},
	{"grants[0].role", "role", "ui.role"},
	{"grants[0].org_unit_id", "org_unit_id", "ui.unit"},
}

// newUserData is the new-user page.
type newUserData struct {
	In      userForm
	Units   []models.OrgUnit
	Roles   []string
	Refusal *formRefusal
}

func (s *server) newUserPage(c *fiber.Ctx) error {
	return s.renderNewUser(c, fiber.StatusOK, newUserData{In: userForm{JobNumber: strings.Clone(c.Query("job_number"))}})
}

// createUserForm creates a user for an employee with a first grant through
// accounts.Service.CreateUser, as POST /api/v1/users does.
func (s *server) createUserForm(c *fiber.Ctx) error {
	v := func(name string) string { return strings.TrimSpace(strings.Clone(c.FormValue(name))) }
	in := userForm{JobNumber: v("job_number"), Username: v("username"), DisplayName: v("display_name"), Role: v("role"), OrgUnitID: v("org_unit_id")}
	unit, _ := strconv.ParseUint(in.OrgUnitID, 10, 32) // not a number is unit 0, which the service refuses
	u, err := s.accounts.CreateUser(c.UserContext(), actorOf(c), scopeOf(c), accounts.UserInput{
		Username: in.Username, DisplayName: in.DisplayName, Password: c.FormValue("password"), EmployeeJobNumber: in.JobNumber,
		Grants: []accounts.GrantInput{{Role: in.Role, OrgUnitID: uint(unit)}}})
	if status, r, ok := s.fieldRefusal(c, err, userFormFields); ok {
		return s.renderNewUser(c, status, newUserData{In: in, Refusal: r})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/users/%d?done=created", u.ID), fiber.StatusSeeOther)
}

func (s *server) renderNewUser(c *fiber.Ctx, status int, d newUserData) error {
	units, err := models.OrgUnitsInScope(c.UserContext(), s.db, scopeOf(c))
	if err != nil {
		return err
	}
	d.Units, d.Roles = units, models.Roles
	return s.render(c, status, "user_new", "adminweb.new_user", d)
}

// grantFormFields are the fields of the grant form and of the user page's other forms.
var grantFormFields = []formField{
	{"role", "grant-role", "ui.role"},
	{"org_unit_id", "grant-unit", "ui.unit"},
	{"password", "new-password", "adminweb.user.new_password"},
	{"disabled", "status-button", "ui.status"},
}

// userPageData is one user's page: the account, its grants and the admin's forms.
type userPageData struct {
	User     *models.User
	Employee *models.Employee
	Units    []models.OrgUnit
	Roles    []string
	Grant    accounts.GrantInput // the grant form as typed
	Refusal  *formRefusal
	Notice   string
	Self     bool
}

func (s *server) userPage(c *fiber.Ctx) error {
	notice, err := s.doneNotice(c, userNotices, "adminweb.user.done.")
	if err != nil {
		return err
	}
	return s.renderUser(c, fiber.StatusOK, userPageData{Notice: notice})
}

// readGrant reads the role and unit of a grant or revoke form.
func readGrant(c *fiber.Ctx) accounts.GrantInput {
	unit, _ := strconv.ParseUint(c.FormValue("org_unit_id"), 10, 32)
	return accounts.GrantInput{Role: strings.Clone(c.FormValue("role")), OrgUnitID: uint(unit)}
}

// addGrantForm grants a role on a unit through accounts.Service.AddGrant.
func (s *server) addGrantForm(c *fiber.Ctx) error {
	g := readGrant(c)
	return s.userAction(c, "granted", userPageData{Grant: g}, func(id uint) error {
		_, err := s.accounts.AddGrant(c.UserContext(), actorOf(c), scopeOf(c), id, g)
		return err
	})
}

// revokeGrantForm takes one grant away through accounts.Service.RevokeGrant.
func (s *server) revokeGrantForm(c *fiber.Ctx) error {
	g := readGrant(c)
	return s.userAction(c, "revoked", userPageData{}, func(id uint) error {
		_, err := s.accounts.RevokeGrant(c.UserContext(), actorOf(c), scopeOf(c), id, g)
		return err
	})
}

// userStatusForm disables or enables the account through accounts.Service.UpdateUser;
// disabling ends its sessions.
func (s *server) userStatusForm(c *fiber.Ctx) error {
	disabled, err := strconv.ParseBool(c.FormValue("disabled"))
	if err != nil {
		return &badQueryError{fields: []models.FieldError{{Field: "disabled", Code: "invalid"}}}
	}
	done := "enabled"
	if disabled {
		done = "disabled"
	}
	return s.userAction(c, done, userPageData{}, func(id uint) error {
		_, err := s.accounts.UpdateUser(c.UserContext(), actorOf(c), scopeOf(c), id, accounts.UserPatch{Disabled: &disabled})
		return err
	})
}

// resetPasswordForm sets a new password through accounts.Service.SetPassword, which ends
// the user's sessions.
func (s *server) resetPasswordForm(c *fiber.Ctx) error {
	password := c.FormValue("password")
	return s.userAction(c, "password", userPageData{}, func(id uint) error {
		return s.accounts.SetPassword(c.UserContext(), actorOf(c), scopeOf(c), id, password)
	})
}

// userAction runs one of the user page's forms: back to the page with its notice, or
// the page again with the refusal beside the field and d's typed values.
func (s *server) userAction(c *fiber.Ctx, done string, d userPageData, act func(id uint) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = act(id)
	if status, r, ok := s.fieldRefusal(c, err, grantFormFields); ok {
		d.Refusal = r
		return s.renderUser(c, status, d)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/users/%d?done=%s", id, done), fiber.StatusSeeOther)
}

func (s *server) renderUser(c *fiber.Ctx, status int, d userPageData) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	if d.User, err = models.GetUser(ctx, s.db, scopeOf(c), id); err != nil {
		return err
	}
	if d.User.EmployeeID != nil {
		// An employee outside the admin's scope is not named.
		if d.Employee, err = models.GetEmployee(ctx, s.db, scopeOf(c), *d.User.EmployeeID); err != nil && !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	if d.Units, err = models.OrgUnitsInScope(ctx, s.db, scopeOf(c)); err != nil {
		return err
	}
	d.Roles, d.Self = models.Roles, currentUser(c) != nil && currentUser(c).ID == id
	return s.render(c, status, "user", "adminweb.user.title", d)
}
