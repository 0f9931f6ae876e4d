package app

import (
	"errors"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
)

// Locals keys.
type ctxKey int

const (
	ctxUser ctxKey = iota
	ctxSession
	ctxScope
	ctxCSRF
)

// sessionCookie names the session cookie.
const sessionCookie = "quality_session"

func requestID(c *fiber.Ctx) string {
	if v, ok := c.Locals("requestid").(string); ok {
		return v
	}
	return ""
}

// currentUser is the logged-in user, or nil.
func currentUser(c *fiber.Ctx) *models.User {
	u, _ := c.Locals(ctxUser).(*models.User)
	return u
}

// scopeOf is the scope the route's roles give the caller (set by guard).
func scopeOf(c *fiber.Ctx) models.Scope {
	s, _ := c.Locals(ctxScope).(models.Scope)
	return s
}

// actorOf identifies the caller for the audit log.
func actorOf(c *fiber.Ctx) models.Actor {
	a := models.Actor{IP: c.IP(), RequestID: requestID(c)}
	if u := currentUser(c); u != nil {
		a.UserID, a.Username = u.ID, u.Username
	}
	return a
}

func (s *server) accessLog(c *fiber.Ctx) error {
	start := time.Now()
	if err := c.Next(); err != nil {
		// Render the error here, as Fiber's logger does, so the log shows the final status.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	status := c.Response().StatusCode()
	attrs := []any{"method", c.Method(), "path", c.Path(), "status", status,
		"ms", time.Since(start).Milliseconds(), "request_id", requestID(c), "ip", c.IP()}
	if u := currentUser(c); u != nil {
		attrs = append(attrs, "user", u.Username)
	}
	s.log.Info("request", attrs...)
	return nil
}

// securityHeaders sets the headers every response carries (SECURITY.md, Headers).
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

// setSecurityHeaders is securityHeaders without the chain, also for responses made
// before any middleware ran. Images may be blob: URLs: the previews the inspection
// page's script makes of photos waiting in the browser.
func setSecurityHeaders(c *fiber.Ctx) {
	h := &c.Response().Header
	h.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(self), microphone=(), geolocation=(self)")
	if c.Protocol() == "https" {
		h.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
	}
	if strings.HasPrefix(c.Path(), "/api/") {
		h.Set(fiber.HeaderCacheControl, "no-store")
	}
}

// loadSession resolves the session cookie, if any, to the current user; it never
// refuses a request itself: guard decides.
func (s *server) loadSession(c *fiber.Ctx) error {
	token := c.Cookies(sessionCookie)
	if token == "" {
		return c.Next()
	}
	// Grants are left to guard and render: the autosave path never needs them.
	sess, err := s.accounts.Resolve(c.UserContext(), token)
	switch {
	case errors.Is(err, accounts.ErrNoSession):
		s.clearSessionCookie(c)
	case err != nil:
		return err
	default:
		c.Locals(ctxUser, sess.User)
		c.Locals(ctxSession, sess.ID)
	}
	return c.Next()
}

func (s *server) setSessionCookie(c *fiber.Ctx, token string, expires time.Time) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: token, Path: "/", Expires: expires,
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c),
	})
}

func (s *server) clearSessionCookie(c *fiber.Ctx) {
	c.Cookie(&fiber.Cookie{
		Name: sessionCookie, Value: "", Path: "/", Expires: time.Unix(1, 0),
		HTTPOnly: true, SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c),
	})
}

func (s *server) secure(c *fiber.Ctx) bool { return s.cfg.SecureCookies || c.Protocol() == "https" }

// guard enforces a route's access rule: public, any logged-in user, or one of its roles,
// and stores the scope those roles give the caller.
func (s *server) guard(r route) fiber.Handler {
	return func(c *fiber.Ctx) error {
		if r.Access == public {
			return c.Next()
		}
		u := currentUser(c)
		if u == nil {
			return errUnauthorized
		}
		if r.Access == owner {
			return c.Next()
		}
		u, err := s.userWithGrants(c)
		if err != nil {
			return err
		}
		roles := r.Roles
		if r.Access == anyUser {
			// Any session will do; a user without grants sees an empty scope.
			roles = models.Roles
		} else if !accounts.HasRole(u, roles...) {
			return errForbidden
		}
		c.Locals(ctxScope, accounts.ScopeOf(u, roles...))
		return c.Next()
	}
}

// userWithGrants is the current user (or nil) with grants, loaded on first need.
func (s *server) userWithGrants(c *fiber.Ctx) (*models.User, error) {
	u := currentUser(c)
	if u == nil {
		return nil, nil
	}
	return u, s.accounts.LoadGrants(c.UserContext(), u)
}
