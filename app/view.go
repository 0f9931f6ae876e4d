package app

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/metrics"
	"quality/models"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// view is what every page template gets: the caller, the CSRF token, the language and
// the page's own data.
type view struct {
	Title    string
	Lang     string
	User     *models.User
	CSRF     string
	Path     string
	Data     any
	Problem  *Problem
	msgs     catalog
	location *time.Location
}

// T translates a message key into the page's language.
// doneNotice reads the ?done= notice of a page a form redirected to (one of allowed)
// and translates it as key+notice; "" when there is none.
func (s *server) doneNotice(c *fiber.Ctx, allowed []string, key string) (string, error) {
	q := newQuery(c)
	notice := q.choice("done", allowed)
	if err := q.err(); err != nil || notice == "" {
		return "", err
	}
	return s.msgs.T(language(c), key+notice, nil), nil
}

func (v view) T(key string) string { return v.msgs.T(v.Lang, key, nil) }

// Tn translates a message key whose text holds an {n} placeholder.
func (v view) Tn(key string, n int) string { return v.msgs.T(v.Lang, key, map[string]any{"n": n}) }

// Num writes a count with thousands separators (12,000), as pages show counts.
func (v view) Num(n int) string { return metrics.Count(n).String() }

// Num64 writes a 64-bit count with thousands separators.
func (v view) Num64(n int64) string { return metrics.Count(n).String() }

// Time shows an instant in the display zone (Asia/Shanghai).
func (v view) Time(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(v.location).Format("2006-01-02 15:04")
}

// Has reports whether the user holds any of roles.
func (v view) Has(roles ...string) bool {
	if v.User == nil {
		return false
	}
	for _, g := range v.User.Grants {
		for _, r := range roles {
			if g.Role == r {
				return true
			}
		}
	}
	return false
}

// pages parses each page together with the base layout.
func parsePages() (map[string]*template.Template, error) {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if n == "templates/base.html" {
			continue
		}
		t, err := template.New("base.html").Funcs(template.FuncMap{
			"add":    func(a, b int) int { return a + b },
			"chosen": chosen,
			"dict":   dict,
		}).ParseFS(templateFS, "templates/base.html", n)
		if err != nil {
			return nil, fmt.Errorf("template %s: %w", n, err)
		}
		pages[n[len("templates/"):len(n)-len(".html")]] = t
	}
	return pages, nil
}

// dict makes a map of key, value pairs, to pass a sub-template several values.
func dict(kv ...any) (map[string]any, error) {
	if len(kv)%2 != 0 {
		return nil, fmt.Errorf("dict: odd number of arguments")
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		k, ok := kv[i].(string)
		if !ok {
			return nil, fmt.Errorf("dict: key %v is no string", kv[i])
		}
		m[k] = kv[i+1]
	}
	return m, nil
}

// render executes a page into a buffer first, so a template error is still a clean 500.
func (s *server) render(c *fiber.Ctx, status int, page, titleKey string, data any) error {
	t, ok := s.pages[page]
	if !ok {
		return fmt.Errorf("no page %q", page)
	}
	token, _ := c.Locals(ctxCSRF).(string)
	// The menu shows what the user's roles allow; error pages may come before guard.
	u, err := s.userWithGrants(c)
	if err != nil {
		return err
	}
	v := view{Lang: language(c), User: u, CSRF: token, Path: c.Path(), Data: data, msgs: s.msgs, location: s.cfg.Location}
	v.Title = v.T(titleKey)
	if p, ok := data.(*Problem); ok {
		v.Problem = p
	}
	var buf bytes.Buffer
	if err := t.Execute(&buf, v); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMETextHTMLCharsetUTF8)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(status).Send(buf.Bytes())
}
