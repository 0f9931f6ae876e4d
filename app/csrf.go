package app

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// SECURITY.md, "Accounts and sessions", CSRF (ASVS V3/V4): a token is bound to the
// session that received it, travels only in the X-Csrf-Token header or the form body,
// and every unsafe request (the login form included) comes from the public origin.

const (
	csrfCookie = "csrf_"
	csrfHeader = "X-Csrf-Token"
	csrfField  = "_csrf"
)

// Reasons for a CSRF refusal; the log shows them, the client sees problem.csrf or
// problem.csrf_origin.
var (
	errCSRFMissing   = errors.New("token missing")
	errCSRFInvalid   = errors.New("token invalid, expired or of another session")
	errCSRFCrossSite = errors.New("origin is not the public origin")
	errCSRFNoOrigin  = errors.New("form without Origin or Referer")
)

// csrfTokens makes and checks signed, time-limited CSRF tokens bound to one session,
// so every instance accepts every other's without shared storage.
type csrfTokens struct {
	key []byte
	ttl time.Duration
	now func() time.Time
}

func newCSRFTokens(key string, ttl time.Duration) *csrfTokens {
	return &csrfTokens{key: []byte(key), ttl: ttl, now: time.Now}
}

// New returns random bits, the issue time and an HMAC over both and the session
// cookie's value, which the token never reveals.
func (t *csrfTokens) New(session string) string {
	b := make([]byte, 16+8, 16+8+32)
	if _, err := rand.Read(b[:16]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	binary.BigEndian.PutUint64(b[16:], uint64(t.now().Unix()))
	return base64.RawURLEncoding.EncodeToString(append(b, t.mac(b, session)...))
}

func (t *csrfTokens) mac(b []byte, session string) []byte {
	m := hmac.New(sha256.New, t.key)
	m.Write(b[:24])
	m.Write([]byte(session))
	return m.Sum(nil)
}

// Valid reports whether token was issued to session less than ttl ago. A token dies
// with its session too: the next session has another cookie.
func (t *csrfTokens) Valid(token, session string) bool {
	b, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(b) != 16+8+32 || session == "" {
		return false
	}
	if !hmac.Equal(t.mac(b, session), b[24:]) {
		return false
	}
	issued := time.Unix(int64(binary.BigEndian.Uint64(b[16:24])), 0)
	return t.now().Sub(issued) < t.ttl
}

// checkCSRF runs after loadSession. Safe requests of a session get a token (the
// cookie's while it is valid); unsafe ones must not come from another origin and, with
// a session, must carry a token of that session.
func (s *server) checkCSRF(c *fiber.Ctx) error {
	session := ""
	if currentUser(c) != nil {
		session = c.Cookies(sessionCookie)
	}
	switch c.Method() {
	case fiber.MethodGet, fiber.MethodHead, fiber.MethodOptions, fiber.MethodTrace:
		if session != "" {
			token := c.Cookies(csrfCookie)
			if !s.csrf.Valid(token, session) {
				token = s.csrf.New(session)
				s.setCSRFCookie(c, token, s.csrf.now().Add(s.csrf.ttl))
			}
			c.Locals(ctxCSRF, strings.Clone(token))
			c.Vary(fiber.HeaderCookie)
		}
		return c.Next()
	}
	stated, same := s.requestOrigin(c)
	if stated && !same {
		return &csrfError{errCSRFCrossSite}
	}
	header := c.Get(csrfHeader)
	if session != "" {
		token := header
		if token == "" {
			token = csrfFromBody(c)
		}
		if token == "" {
			return &csrfError{errCSRFMissing}
		}
		if !s.csrf.Valid(token, session) {
			return &csrfError{errCSRFInvalid}
		}
		// A page rendered for this request (a form with field errors) keeps the token.
		c.Locals(ctxCSRF, strings.Clone(token))
	}
	// With neither Origin nor Referer (a non-browser client: browsers send Origin on
	// every POST), the request must be one no page of another site can send without a
	// CORS preflight, which this server never grants: a token in the X-Csrf-Token
	// header, or a body that is not a form (the JSON login). A form, the login form
	// included, without either header is refused.
	if !stated && header == "" && corsSafelisted(c) {
		return &csrfError{errCSRFNoOrigin}
	}
	return c.Next()
}

// csrfFromBody is the _csrf field of a form body; never the query string, which ends
// up in logs and history (fasthttp's FormValue would read it first).
func csrfFromBody(c *fiber.Ctx) string {
	ct := c.Request().Header.ContentType()
	switch {
	case bytes.HasPrefix(ct, []byte(fiber.MIMEApplicationForm)):
		return string(c.Request().PostArgs().Peek(csrfField))
	case bytes.HasPrefix(ct, []byte(fiber.MIMEMultipartForm)):
		if f, err := c.MultipartForm(); err == nil && len(f.Value[csrfField]) > 0 {
			return f.Value[csrfField][0]
		}
	}
	return ""
}

// requestOrigin reports whether an unsafe request states where it comes from (its
// Origin, or without one its Referer) and whether that is the public origin.
func (s *server) requestOrigin(c *fiber.Ctx) (stated, same bool) {
	if o := c.Get(fiber.HeaderOrigin); o != "" {
		return true, s.fromPublicOrigin(c, o)
	}
	if r := c.Get(fiber.HeaderReferer); r != "" {
		return true, s.fromPublicOrigin(c, r)
	}
	return false, false
}

// corsSafelisted reports a request another site's page can send without a preflight:
// no body type, or one of the three a plain form can have.
func corsSafelisted(c *fiber.Ctx) bool {
	ct := strings.ToLower(strings.TrimSpace(strings.SplitN(c.Get(fiber.HeaderContentType), ";", 2)[0]))
	switch ct {
	case "", fiber.MIMEApplicationForm, fiber.MIMEMultipartForm, fiber.MIMETextPlain:
		return true
	}
	return false
}

// fromPublicOrigin reports whether the origin of u (an Origin or a Referer) is one the
// product is served from; with no configured origin, the request's own host decides.
func (s *server) fromPublicOrigin(c *fiber.Ctx, u string) bool {
	o, ok := originOf(u)
	if !ok {
		return false // "null" and anything else that is not scheme://host
	}
	if len(s.origins) == 0 {
		own, ok := originOf(c.Protocol() + "://" + c.Hostname())
		return ok && o == own
	}
	for _, p := range s.origins {
		if o == p {
			return true
		}
	}
	return false
}

// originOf is the normalised scheme://host[:port] of an absolute http(s) URL, without
// the scheme's default port.
func originOf(raw string) (string, bool) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || u.Host == "" || u.User != nil {
		return "", false
	}
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", false
	}
	host := strings.ToLower(u.Host)
	if port := u.Port(); (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		host = strings.ToLower(u.Hostname())
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	return scheme + "://" + host, true
}

// publicOrigins are the origins the product's pages are served from: that of
// QUALITY_PUBLIC_URL, or, unset, of the listen address (a loopback address with its
// other loopback names). nil when the server listens on every interface without a
// public URL: then each request's own Host is its origin.
func publicOrigins(cfg Config) ([]string, error) {
	if cfg.PublicURL != "" {
		o, ok := originOf(cfg.PublicURL)
		if !ok {
			return nil, fmt.Errorf("QUALITY_PUBLIC_URL=%q: want http(s)://host[:port]", cfg.PublicURL)
		}
		return []string{o}, nil
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return nil, nil
	}
	switch host {
	case "", "0.0.0.0", "::":
		return nil, nil
	case "127.0.0.1", "localhost", "::1":
		return []string{"http://127.0.0.1:" + port, "http://localhost:" + port, "http://[::1]:" + port}, nil
	}
	o, ok := originOf("http://" + net.JoinHostPort(host, port))
	if !ok {
		return nil, nil
	}
	return []string{o}, nil
}

func (s *server) setCSRFCookie(c *fiber.Ctx, token string, expires time.Time) {
	// Readable by scripts (not HttpOnly): clients send it back in X-Csrf-Token.
	c.Cookie(&fiber.Cookie{Name: csrfCookie, Value: token, Path: "/", Expires: expires,
		SameSite: fiber.CookieSameSiteLaxMode, Secure: s.secure(c)})
}
