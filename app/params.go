package app

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

// query reads query parameters, collecting every bad one so the caller gets them all
// in one 400 problem. Values are copied: Fiber reuses its buffers.
type query struct {
	c    *fiber.Ctx
	errs []models.FieldError
}

func newQuery(c *fiber.Ctx) *query { return &query{c: c} }

func (q *query) bad(name, code string) {
	q.errs = append(q.errs, models.FieldError{Field: name, Code: code})
}

func (q *query) str(name string, max int) string {
	v := strings.TrimSpace(strings.Clone(q.c.Query(name)))
	if utf8.RuneCountInString(v) > max {
		q.errs = append(q.errs, models.FieldError{Field: name, Code: "too_long", Params: map[string]any{"max": max}})
		return ""
	}
	return v
}

func (q *query) uint(name string) uint {
	v := q.c.Query(name)
	if v == "" {
		return 0
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		q.bad(name, "invalid")
		return 0
	}
	return uint(n)
}

func (q *query) int(name string, min, max int) int {
	v := q.c.Query(name)
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < min || n > max {
		q.errs = append(q.errs, models.FieldError{Field: name, Code: "out_of_range", Params: map[string]any{"min": min, "max": max}})
		return 0
	}
	return n
}

func (q *query) bool(name string) bool {
	v := q.c.Query(name)
	if v == "" {
		return false
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		q.bad(name, "invalid")
	}
	return b
}

func (q *query) choice(name string, allowed []string) string {
	v := q.c.Query(name)
	if v == "" {
		return ""
	}
	if !slices.Contains(allowed, v) {
		q.bad(name, "invalid_choice")
		return ""
	}
	return strings.Clone(v)
}

// time reads an RFC 3339 instant or a date (midnight in loc).
func (q *query) time(name string, loc *time.Location) time.Time {
	v := q.c.Query(name)
	if v == "" {
		return time.Time{}
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t
	}
	if t, err := time.ParseInLocation(time.DateOnly, v, loc); err == nil {
		return t
	}
	q.bad(name, "invalid_date")
	return time.Time{}
}

func (q *query) page() models.Page {
	return models.Page{Page: q.int("page", 1, 1_000_000), PerPage: q.int("per_page", 1, models.MaxPerPage)}
}

func (q *query) err() error {
	if len(q.errs) == 0 {
		return nil
	}
	return &badQueryError{fields: q.errs}
}

// pathID reads the :id parameter; anything but a positive integer is a 400.
func pathID(c *fiber.Ctx) (uint, error) {
	n, err := strconv.ParseUint(c.Params("id"), 10, 32)
	if err != nil || n == 0 {
		return 0, &badQueryError{fields: []models.FieldError{{Field: "id", Code: "invalid"}}}
	}
	return uint(n), nil
}

func keys[M ~map[string]V, V any](m M) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		if k != "" {
			out = append(out, k)
		}
	}
	slices.Sort(out)
	return out
}
