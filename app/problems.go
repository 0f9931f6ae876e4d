package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"maps"
	"reflect"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/utils"

	"quality/accounts"
	"quality/models"
	"quality/workbook"
)

// Problem is an RFC 9457 problem document with field errors.
type Problem struct {
	Type      string           `json:"type"`
	Title     string           `json:"title"`
	Status    int              `json:"status"`
	Detail    string           `json:"detail,omitempty"`
	Instance  string           `json:"instance,omitempty"`
	RequestID string           `json:"request_id,omitempty"`
	Errors    []ProblemField   `json:"errors,omitempty"`
	Rows      []ProblemRow     `json:"rows,omitempty"`
	Report    *workbook.Report `json:"report,omitempty"`
	Extra     map[string]any   `json:"-"`
}

// ProblemField is one invalid field with its message in the caller's language.
type ProblemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

// ProblemRow is one invalid cell of an imported workbook.
type ProblemRow struct {
	Row     int    `json:"row"`
	Field   string `json:"field,omitempty"`
	Code    string `json:"code"`
	Message string `json:"message"`
	Value   string `json:"value,omitempty"`
}

// badQueryError is a malformed query or path parameter: 400 with the fields.
type badQueryError struct{ fields []models.FieldError }

func (e *badQueryError) Error() string { return "bad query parameters" }

// malformedError is a body that does not parse: 400.
type malformedError struct{ detail string }

func (e *malformedError) Error() string { return "malformed body: " + e.detail }

// csrfError is any refusal of checkCSRF: 403.
type csrfError struct{ err error }

func (e *csrfError) Error() string { return "csrf: " + e.err.Error() }

// statusError is a plain status with a message key.
type statusError struct {
	status int
	key    string
}

func (e *statusError) Error() string { return e.key }

var (
	errUnauthorized = &statusError{fiber.StatusUnauthorized, "problem.unauthorized"}
	errForbidden    = &statusError{fiber.StatusForbidden, "problem.forbidden"}
)

// errorHandler turns every error into a problem+json response; internals go to the log
// with the request id, never to the client.
func (s *server) errorHandler(c *fiber.Ctx, err error) error {
	lang := language(c)
	p := Problem{Type: "about:blank", Instance: c.Path(), RequestID: requestID(c)}
	if p.RequestID == "" {
		// fasthttp refused the request (body too large) before any middleware ran.
		p.RequestID = utils.UUIDv4()
		c.Set(fiber.HeaderXRequestID, p.RequestID)
		setSecurityHeaders(c)
	}
	t := func(key string, params map[string]any) string { return s.msgs.T(lang, key, params) }
	fields := func(fs []models.FieldError) []ProblemField {
		out := make([]ProblemField, len(fs))
		for i, f := range fs {
			params := f.Params
			if lv, ok := params["level"].(string); ok {
				// Show the level's name ("县分公司"), not its key ("county").
				params = maps.Clone(params)
				params["level"] = t("level."+lv, nil)
			}
			out[i] = ProblemField{Field: f.Field, Code: f.Code, Message: t("field."+f.Code, params)}
		}
		return out
	}

	var (
		fe *fiber.Error
		ve *models.ValidationError
		ce *models.ConflictError
		qe *badQueryError
		me *malformedError
		se *statusError
		te *accounts.ThrottledError
		ie *workbook.ImportError
		xe *csrfError
	)
	switch {
	case errors.As(err, &ve):
		p.Status, p.Title, p.Type = fiber.StatusUnprocessableEntity, t("problem.validation", nil), "urn:quality:problem:validation"
		p.Errors = fields(ve.Fields)
	case errors.As(err, &qe):
		p.Status, p.Title, p.Type = fiber.StatusBadRequest, t("problem.bad_query", nil), "urn:quality:problem:bad-query"
		p.Errors = fields(qe.fields)
	case errors.As(err, &me):
		p.Status, p.Title, p.Detail = fiber.StatusBadRequest, t("problem.malformed_json", nil), me.detail
	case errors.As(err, &ie):
		p.Status, p.Title, p.Type = fiber.StatusUnprocessableEntity, t("problem.import_invalid", nil), "urn:quality:problem:import"
		s.importProblem(lang, &p, ie)
	case errors.Is(err, workbook.ErrBad):
		p.Status, p.Title, p.Type = fiber.StatusUnprocessableEntity, t("problem.validation", nil), "urn:quality:problem:validation"
		p.Errors = fields([]models.FieldError{{Field: "file", Code: "invalid_workbook"}})
	case errors.As(err, &ce):
		p.Status, p.Title, p.Type = fiber.StatusConflict, t("problem.conflict", nil), "urn:quality:problem:conflict"
		p.Errors = fields([]models.FieldError{{Field: ce.Field, Code: ce.Code}})
	case errors.Is(err, models.ErrConflict):
		p.Status, p.Title, p.Type = fiber.StatusConflict, t("problem.conflict", nil), "urn:quality:problem:conflict"
	case errors.Is(err, models.ErrNotFound):
		p.Status, p.Title = fiber.StatusNotFound, t("problem.not_found", nil)
	case errors.Is(err, accounts.ErrNotManageable), errors.Is(err, models.ErrForbidden):
		p.Status, p.Title = fiber.StatusForbidden, t("problem.forbidden", nil)
	case errors.Is(err, accounts.ErrBusy):
		// The login waited too long for a hashing slot: a retry a little later succeeds.
		c.Set(fiber.HeaderRetryAfter, "5")
		p.Status, p.Title = fiber.StatusServiceUnavailable, t("problem.login_busy", nil)
	case errors.Is(err, accounts.ErrBadCredentials):
		p.Status, p.Title = fiber.StatusUnauthorized, t("problem.bad_credentials", nil)
	case errors.As(err, &te):
		secs := int(te.RetryAfter.Seconds())
		c.Set(fiber.HeaderRetryAfter, strconv.Itoa(secs))
		p.Status, p.Title = fiber.StatusTooManyRequests, t("problem.throttled", map[string]any{"seconds": secs})
	case errors.As(err, &xe):
		key := "problem.csrf"
		if errors.Is(xe.err, errCSRFCrossSite) || errors.Is(xe.err, errCSRFNoOrigin) {
			key = "problem.csrf_origin"
		}
		p.Status, p.Title, p.Type = fiber.StatusForbidden, t(key, nil), "urn:quality:problem:csrf"
		// Operators see why: a wrong QUALITY_PUBLIC_URL refuses every form.
		s.log.Warn("csrf refused", "request_id", p.RequestID, "method", c.Method(), "path", c.Path(), "reason", xe.err.Error(),
			"origin", c.Get(fiber.HeaderOrigin), "referer", c.Get(fiber.HeaderReferer))
	case errors.As(err, &se):
		p.Status, p.Title = se.status, t(se.key, nil)
	case errors.As(err, &fe):
		p.Status = fe.Code
		switch fe.Code {
		case fiber.StatusNotFound:
			p.Title = t("problem.route_not_found", nil)
			if isPage(c) {
				p.Title = t("problem.page_not_found", nil)
			}
		case fiber.StatusMethodNotAllowed:
			p.Title = t("problem.method_not_allowed", nil)
		case fiber.StatusRequestEntityTooLarge:
			p.Title = t("problem.too_large", nil)
		case fiber.StatusUnsupportedMediaType:
			p.Title = t("problem.unsupported_media", nil)
		case fiber.StatusBadRequest:
			p.Title = t("problem.bad_request", nil)
		default:
			if fe.Code >= 500 {
				p.Status, p.Title = fiber.StatusInternalServerError, t("problem.internal", nil)
				s.log.Error("request failed", "request_id", p.RequestID, "method", c.Method(), "path", c.Path(), "err", err)
			} else {
				p.Title = fiber.ErrBadRequest.Message
			}
		}
	default:
		p.Status, p.Title = fiber.StatusInternalServerError, t("problem.internal", nil)
		s.log.Error("request failed", "request_id", p.RequestID, "method", c.Method(), "path", c.Path(), "err", err)
	}
	if isPage(c) {
		return s.pageError(c, p)
	}
	return writeProblem(c, p)
}

// importProblem lists an import's row errors in the caller's language.
func (s *server) importProblem(lang string, p *Problem, ie *workbook.ImportError) {
	p.Report = ie.Report
	for _, r := range ie.Report.Errors {
		params := map[string]any{"value": r.Value}
		for k, v := range r.Params {
			params[k] = v
		}
		p.Rows = append(p.Rows, ProblemRow{Row: r.Row, Field: r.Field, Code: r.Code, Value: r.Value,
			Message: s.msgs.T(lang, "field."+r.Code, params)})
	}
}

func writeProblem(c *fiber.Ctx, p Problem) error {
	b, err := json.Marshal(p)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "application/problem+json; charset=utf-8")
	return c.Status(p.Status).Send(b)
}

// bindJSON decodes the body into dst strictly: malformed JSON or data after the value
// is a 400, a field of the wrong type or an unknown field a 422 naming the field, and a
// list beyond its maxItems tag (counted after repeats are dropped) a 422 too
// (models.CheckLists), so no service ever queries with an unbounded list.
func bindJSON(c *fiber.Ctx, dst any) error {
	ct := strings.ToLower(c.Get(fiber.HeaderContentType))
	if !strings.HasPrefix(ct, fiber.MIMEApplicationJSON) {
		return fiber.ErrUnsupportedMediaType
	}
	body := c.Body()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	err := dec.Decode(dst)
	// Only JSON whitespace may follow the value. dec.More alone misses a stray `}` or `]`
	// (`{"seq":2}}`), which it reads as the end of an enclosing value.
	if err == nil && len(bytes.TrimLeft(body[dec.InputOffset():], " \t\r\n")) > 0 {
		return &malformedError{detail: "trailing data after the JSON value"}
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case err == nil:
		return models.CheckLists(dst)
	case errors.As(err, &typeErr):
		code := "invalid_type"
		if typeErr.Type == reflect.TypeFor[models.Date]() {
			code = "invalid_date"
		}
		return &models.ValidationError{Fields: []models.FieldError{{Field: typeErr.Field, Code: code}}}
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return &models.ValidationError{Fields: []models.FieldError{{Field: name, Code: "unknown_field"}}}
	}
	return &malformedError{detail: err.Error()}
}
