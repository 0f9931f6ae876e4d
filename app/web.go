package app

import (
	"errors"
	"io/fs"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/workbook"
)

// isPage reports whether a request is for the web UI rather than the API.
func isPage(c *fiber.Ctx) bool { return isPagePath(c.Path()) }

// isPagePath reports whether path (or a route's pattern) is a web page, whose errors are
// HTML pages rather than problem+json.
func isPagePath(p string) bool {
	return !strings.HasPrefix(p, "/api/") && p != "/healthz" && p != "/readyz" && !strings.HasPrefix(p, "/static/")
}

// pageError shows a problem as a page: no session goes to the login form, the rest get
// the error page with the same title and field messages the API would give.
func (s *server) pageError(c *fiber.Ctx, p Problem) error {
	if p.Status == fiber.StatusUnauthorized && c.Method() == fiber.MethodGet && c.Path() != "/login" {
		return c.Redirect("/login?next="+url.QueryEscape(c.OriginalURL()), fiber.StatusSeeOther)
	}
	return s.render(c, p.Status, "error", "ui.error", &p)
}

func (s *server) loginPage(c *fiber.Ctx) error {
	if currentUser(c) != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	return s.render(c, fiber.StatusOK, "login", "ui.login", fiber.Map{"Next": safeNext(c.Query("next"))})
}

func (s *server) loginForm(c *fiber.Ctx) error {
	next := safeNext(c.FormValue("next"))
	res, err := s.accounts.Login(c.UserContext(), strings.Clone(c.FormValue("username")), strings.Clone(c.FormValue("password")),
		c.IP(), strings.Clone(c.Get(fiber.HeaderUserAgent)))
	var te *accounts.ThrottledError
	if errors.Is(err, accounts.ErrBadCredentials) || errors.As(err, &te) {
		key := "problem.bad_credentials"
		if te != nil {
			key = "problem.throttled"
		}
		return s.render(c, fiber.StatusUnauthorized, "login", "ui.login", fiber.Map{"Next": next, "Error": s.msgs.T(language(c), key,
			map[string]any{"seconds": retrySeconds(te)})})
	}
	if errors.Is(err, accounts.ErrBusy) {
		// Exam morning: every hashing slot stayed busy; the page asks for a retry.
		c.Set(fiber.HeaderRetryAfter, "5")
		return s.render(c, fiber.StatusServiceUnavailable, "login", "ui.login", fiber.Map{"Next": next,
			"Error": s.msgs.T(language(c), "problem.login_busy", nil)})
	}
	if err != nil {
		return err
	}
	s.setSessionCookie(c, res.Token, res.ExpiresAt)
	// The old session's token, if the cookie holds one, is no good for the new one.
	s.setCSRFCookie(c, s.csrf.New(res.Token), res.ExpiresAt)
	return c.Redirect(next, fiber.StatusSeeOther)
}

func retrySeconds(te *accounts.ThrottledError) int {
	if te == nil {
		return 0
	}
	return int(te.RetryAfter.Seconds())
}

// safeNext keeps a post-login redirect on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.ContainsAny(next, "\\\r\n") {
		return "/"
	}
	return strings.Clone(next)
}

func (s *server) logoutForm(c *fiber.Ctx) error {
	if err := s.accounts.Logout(c.UserContext(), actorOf(c), c.Cookies(sessionCookie)); err != nil {
		return err
	}
	s.clearSessionCookie(c)
	return c.Redirect("/login", fiber.StatusSeeOther)
}

func (s *server) orgPage(c *fiber.Ctx) error {
	tree, err := s.org.Tree(c.UserContext(), scopeOf(c))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "org", "ui.org", tree)
}

func (s *server) employeesPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.EmployeeFilter{Q: q.str("q", 64), UnitID: q.uint("unit_id"), Position: q.choice("position", models.Positions),
		Status: q.choice("status", models.EmployeeStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = 50
	list, err := models.ListEmployees(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	units, err := models.OrgUnitsInScope(c.UserContext(), s.db, scopeOf(c))
	if err != nil {
		return err
	}
	page := f.Page.Normalize()
	return s.render(c, fiber.StatusOK, "employees", "ui.employees", fiber.Map{
		"List": list, "Units": units, "Filter": f, "Positions": models.Positions, "Statuses": models.EmployeeStatuses,
		"Page": page.Page, "HasNext": int64(page.Page*page.PerPage) < list.Total,
	})
}

func (s *server) importPage(c *fiber.Ctx) error {
	return s.render(c, fiber.StatusOK, "import", "ui.import", fiber.Map{})
}

func (s *server) importForm(c *fiber.Ctx) error {
	rep, err := s.importUpload(c, c.FormValue("dry_run") != "")
	var ie *workbook.ImportError
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve):
		return s.render(c, fiber.StatusUnprocessableEntity, "import", "ui.import", fiber.Map{"Error": s.msgs.T(language(c), "field.required", nil)})
	case errors.As(err, &ie):
		var p Problem
		s.importProblem(language(c), &p, ie)
		return s.render(c, fiber.StatusUnprocessableEntity, "import", "ui.import", fiber.Map{"Rows": p.Rows, "Report": ie.Report})
	case errors.Is(err, workbook.ErrBad):
		return s.render(c, fiber.StatusUnprocessableEntity, "import", "ui.import", fiber.Map{"Error": s.msgs.T(language(c), "field.invalid_workbook", nil)})
	case err != nil:
		return err
	}
	return s.render(c, fiber.StatusOK, "import", "ui.import", fiber.Map{"Report": rep})
}

// setLanguage remembers the chosen language in a cookie and goes home.
func (s *server) setLanguage(c *fiber.Ctx) error {
	lang := langZH
	if c.Query("to") == langEN {
		lang = langEN
	}
	c.Cookie(&fiber.Cookie{Name: "lang", Value: lang, Path: "/", SameSite: fiber.CookieSameSiteLaxMode, MaxAge: 365 * 24 * 3600})
	return c.Redirect("/", fiber.StatusSeeOther)
}

// asset serves an embedded file of static/ with its content type, cached for an hour
// by browsers (the style sheet, the scripts, the icon).
func (s *server) asset(name, contentType string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := fs.ReadFile(staticFS, "static/"+name)
		if err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, contentType)
		c.Set(fiber.HeaderCacheControl, "public, max-age=3600")
		return c.Send(b)
	}
}
