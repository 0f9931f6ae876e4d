package app

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
)

type loginInput struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type passwordChange struct {
	CurrentPassword string `json:"current_password"`
	NewPassword     string `json:"new_password"`
}

type passwordReset struct {
	Password string `json:"password"`
}

// meResponse is the caller's identity; CSRFToken goes into the X-Csrf-Token header of
// every unsafe request.
type meResponse struct {
	User      *models.User     `json:"user"`
	Employee  *models.Employee `json:"employee"`
	CSRFToken string           `json:"csrf_token"`
}

func (s *server) login(c *fiber.Ctx) error {
	var in loginInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	v := &models.ValidationError{}
	if strings.TrimSpace(in.Username) == "" {
		v.Add("username", "required")
	}
	if in.Password == "" {
		v.Add("password", "required")
	} else if len(in.Password) > 4*accounts.MaxPasswordLen {
		v.Add("password", "too_long", "max", accounts.MaxPasswordLen)
	}
	if err := v.Err(); err != nil {
		return err
	}
	res, err := s.accounts.Login(c.UserContext(), in.Username, in.Password, c.IP(), strings.Clone(c.Get(fiber.HeaderUserAgent)))
	if err != nil {
		return err
	}
	s.setSessionCookie(c, res.Token, res.ExpiresAt)
	// A token of the new session, in the cookie and in the body for clients that
	// cannot read cookies.
	token := s.csrf.New(res.Token)
	s.setCSRFCookie(c, token, res.ExpiresAt)
	c.Locals(ctxUser, res.User)
	return s.renderMe(c, res.User, token)
}

func (s *server) logout(c *fiber.Ctx) error {
	if err := s.accounts.Logout(c.UserContext(), actorOf(c), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}

func (s *server) me(c *fiber.Ctx) error {
	token, _ := c.Locals(ctxCSRF).(string)
	return s.renderMe(c, currentUser(c), token)
}

func (s *server) renderMe(c *fiber.Ctx, u *models.User, csrfToken string) error {
	out := meResponse{User: u, CSRFToken: csrfToken}
	if u.EmployeeID != nil {
		e, err := models.GetEmployee(c.UserContext(), s.db, models.ScopeAll, *u.EmployeeID)
		if err != nil {
			return err
		}
		out.Employee = e
	}
	return c.JSON(out)
}

func (s *server) changePassword(c *fiber.Ctx) error {
	var in passwordChange
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	if err := s.accounts.ChangeOwnPassword(c.UserContext(), actorOf(c), in.CurrentPassword, in.NewPassword); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.SendStatus(fiber.StatusNoContent)
}
