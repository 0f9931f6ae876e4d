package app_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
)

// The helpers below (apiCase, apiRunner, apiRaw, ...) are shared by api_test.go,
// api_admin_test.go,
// auth_test.go and import_test.go.

// apiCSRFOmit in apiCase.csrf sends an unsafe request without the X-Csrf-Token header.
const apiCSRFOmit = "-"

// apiCase is one row of a scenario table: who sends which request and what must follow.
// Every response is also checked for the security headers, a request id, and (for
// errors) a problem+json body in the caller's language.
type apiCase struct {
	name string
	// as is the username to log in as (the demo password, or admin's); "" is an
	// anonymous caller and "~x" a separate anonymous client x that keeps its cookies
	// (for logging in through the table).
	as     string
	method string
	url    string            // {key} placeholders are filled from the runner's vars
	body   any               // nil, raw JSON string ({key} filled), []byte, or a value sent as JSON
	header map[string]string // extra request headers; a Content-Type here replaces JSON
	cookie map[string]string // cookies replacing the client's for this request only ("" drops one)
	csrf   string            // "": the client's token, as a browser sends it; apiCSRFOmit: none; else this value
	upload *apiUpload        // a multipart file upload instead of body

	wantStatus int
	wantBody   []string // substrings of the body
	// wantFields are "field:code" pairs of the problem's errors, or "row/field:code"
	// of an import problem's rows.
	wantFields []string
	wantAudit  int64 // audit events added: 0 for reads and for every refused write
	check      func(t *testing.T, res response)
}

// apiUpload is a multipart form with one file; content is built when the row runs, so
// it may use what earlier rows fetched.
type apiUpload struct {
	field, name string
	content     func(t *testing.T) []byte
}

// apiRunner runs scenario tables in order on one env, so later rows see earlier writes.
type apiRunner struct {
	e       *env
	clients map[string]*client
	vars    map[string]string
}

func newAPIRunner(e *env) *apiRunner {
	return &apiRunner{e: e, clients: map[string]*client{}, vars: map[string]string{}}
}

// bind is the env reporting to t, so a failing helper stops the right subtest.
func (r *apiRunner) bind(t *testing.T) *env {
	ec := *r.e
	ec.t = t
	return &ec
}

// client returns the caller as, logging in on first use (before any audit count).
func (r *apiRunner) client(e *env, as string) *client {
	c, ok := r.clients[as]
	if !ok {
		if as == "" || strings.HasPrefix(as, "~") {
			c = e.anon()
		} else {
			c = e.login(as)
		}
		r.clients[as] = c
	}
	return &client{e: e, cookies: c.cookies}
}

var apiPlaceholderRE = regexp.MustCompile(`\{[a-z0-9_]+\}`)

func (r *apiRunner) fill(t *testing.T, s string) string {
	t.Helper()
	for k, v := range r.vars {
		s = strings.ReplaceAll(s, "{"+k+"}", v)
	}
	require.False(t, apiPlaceholderRE.MatchString(s), "unfilled placeholder in %q", s)
	return s
}

func (r *apiRunner) run(t *testing.T, cases []apiCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { r.runOne(t, tc) })
	}
}

func (r *apiRunner) runOne(t *testing.T, tc apiCase) {
	e := r.bind(t)
	c := r.client(e, tc.as)
	body := tc.body
	if s, ok := body.(string); ok {
		body = r.fill(t, s)
	}
	var req *http.Request
	if tc.upload != nil {
		req = apiMultipart(t, tc.method, r.fill(t, tc.url), tc.upload.field, tc.upload.name, tc.upload.content(t))
		for k, v := range tc.header {
			req.Header.Set(k, v)
		}
	} else {
		req = apiRequest(t, tc.method, r.fill(t, tc.url), body, tc.header)
	}
	before := e.auditCount()
	var res response
	if tc.csrf == "" && tc.cookie == nil {
		res = c.send(req)
	} else {
		cookies := maps.Clone(c.cookies)
		for k, v := range tc.cookie {
			if v == "" {
				delete(cookies, k)
			} else {
				cookies[k] = v
			}
		}
		switch tc.csrf {
		case "":
			if tok := cookies["csrf_"]; tok != "" {
				req.Header.Set("X-Csrf-Token", tok)
			}
		case apiCSRFOmit:
		default:
			req.Header.Set("X-Csrf-Token", tc.csrf)
		}
		res = apiRaw(e, req, cookies)
	}
	require.Equal(t, tc.wantStatus, res.Code, "%s %s: %s", tc.method, req.URL, res.Body)
	for _, s := range tc.wantBody {
		assert.Contains(t, res.Body, s)
	}
	apiCheckResponse(t, req, res)
	if len(tc.wantFields) > 0 {
		got := apiProblemFields(apiProblemOf(t, res))
		for _, f := range tc.wantFields {
			assert.Contains(t, got, f, "problem fields")
		}
	}
	assert.Equal(t, tc.wantAudit, e.auditCount()-before, "audit events written")
	if tc.check != nil {
		tc.check(t, res)
	}
}

// apiRequest builds a request like the harness's client.do, with extra headers.
func apiRequest(t testing.TB, method, target string, body any, header map[string]string) *http.Request {
	t.Helper()
	var rd io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		rd, ct = strings.NewReader(b), fiber.MIMEApplicationJSON
	case []byte:
		rd, ct = bytes.NewReader(b), fiber.MIMEApplicationJSON
	default:
		buf, err := json.Marshal(b)
		require.NoError(t, err)
		rd, ct = bytes.NewReader(buf), fiber.MIMEApplicationJSON
	}
	req := httptest.NewRequest(method, target, rd)
	if ct != "" {
		req.Header.Set(fiber.HeaderContentType, ct)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return req
}

// apiMultipart builds a multipart form request with one file field.
func apiMultipart(t testing.TB, method, target, field, name string, content []byte) *http.Request {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, name)
	require.NoError(t, err)
	_, err = fw.Write(content)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	req := httptest.NewRequest(method, target, &buf)
	req.Header.Set(fiber.HeaderContentType, w.FormDataContentType())
	return req
}

// apiRaw sends req with exactly these cookies and the headers it already has: no
// automatic CSRF header, and the response's cookies are kept by nobody.
func apiRaw(e *env, req *http.Request, cookies map[string]string) response {
	e.t.Helper()
	for k, v := range cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := e.app.Test(req, -1)
	require.NoError(e.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(e.t, err)
	return response{Code: res.StatusCode, Header: res.Header, Body: string(body)}
}

// apiCheckResponse checks what every response promises: security headers, a request
// id, no-store on the API, and errors as problem+json in the caller's language.
func apiCheckResponse(t *testing.T, req *http.Request, res response) {
	t.Helper()
	assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
	assert.Contains(t, res.Header.Get("Content-Security-Policy"), "frame-ancestors 'none'")
	rid := res.Header.Get(fiber.HeaderXRequestID)
	assert.NotEmpty(t, rid, "request id header")
	if strings.HasPrefix(req.URL.Path, "/api/") {
		assert.Equal(t, "no-store", res.Header.Get(fiber.HeaderCacheControl))
	}
	if res.Code < 400 {
		return
	}
	p := apiProblemOf(t, res)
	assert.Equal(t, res.Code, p.Status, "problem status")
	assert.Equal(t, rid, p.RequestID, "problem request_id is the header's")
	assert.NotContains(t, res.Body, "goroutine")
	apiEN := strings.HasPrefix(req.Header.Get("Accept-Language"), "en")
	texts := []string{p.Title}
	for _, f := range p.Errors {
		texts = append(texts, f.Message)
	}
	for _, r := range p.Rows {
		texts = append(texts, r.Message)
	}
	for _, s := range texts {
		assert.NotEmpty(t, s)
		assert.Equal(t, !apiEN, apiHasHan(s), "language of %q (Accept-Language %q)", s, req.Header.Get("Accept-Language"))
	}
}

func apiHasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// apiProblemOf decodes a problem+json response.
func apiProblemOf(t *testing.T, res response) app.Problem {
	t.Helper()
	require.True(t, strings.HasPrefix(res.Header.Get(fiber.HeaderContentType), "application/problem+json"),
		"content type %q of %d %s", res.Header.Get(fiber.HeaderContentType), res.Code, res.Body)
	var p app.Problem
	res.JSON(t, &p)
	return p
}

// apiProblemFields lists a problem's errors as "field:code" and rows as "row/field:code".
func apiProblemFields(p app.Problem) []string {
	var out []string
	for _, f := range p.Errors {
		out = append(out, f.Field+":"+f.Code)
	}
	for _, r := range p.Rows {
		out = append(out, fmt.Sprintf("%d/%s:%s", r.Row, r.Field, r.Code))
	}
	return out
}

// apiMessage is the message of the problem's error on field.
func apiMessage(t *testing.T, res response, field string) string {
	t.Helper()
	for _, f := range apiProblemOf(t, res).Errors {
		if f.Field == field {
			return f.Message
		}
	}
	t.Fatalf("no error on %s in %s", field, res.Body)
	return ""
}

func apiDecode[T any](t *testing.T, res response) T {
	t.Helper()
	var v T
	res.JSON(t, &v)
	return v
}

// apiSubtreeEmployees loads every employee of the unit with code and its subtree, straight from the database.
func apiSubtreeEmployees(t *testing.T, e *env, code string) []models.Employee {
	t.Helper()
	var out []models.Employee
	require.NoError(t, e.db.Where("org_unit_id IN (SELECT id FROM org_units WHERE path LIKE ?)", e.units[code].Path+"%").
		Order("id").Find(&out).Error)
	return out
}

// apiFindEmployee loads the employee with job number, reporting whether it exists.
func apiFindEmployee(t *testing.T, db *gorm.DB, job string) (models.Employee, bool) {
	t.Helper()
	var emps []models.Employee
	require.NoError(t, db.Where("job_number = ?", job).Find(&emps).Error)
	if len(emps) == 0 {
		return models.Employee{}, false
	}
	return emps[0], true
}

// apiEmployeeTable is the whole employees table as text, to prove a request changed nothing.
func apiEmployeeTable(t *testing.T, db *gorm.DB) string {
	t.Helper()
	var emps []models.Employee
	require.NoError(t, db.Order("id").Find(&emps).Error)
	var b strings.Builder
	for _, e := range emps {
		b.WriteString(apiEmployeeRow(e) + "\n")
	}
	return b.String()
}

func apiEmployeeRow(e models.Employee) string {
	return fmt.Sprintf("%d|%s|%s|%d|%s|%s|%s|%s", e.ID, e.JobNumber, e.Name, e.OrgUnitID, e.Position, e.HireDate, e.Status, e.Phone)
}

// apiLastAudit is the newest audit event.
func apiLastAudit(t *testing.T, db *gorm.DB) models.AuditEvent {
	t.Helper()
	var ev models.AuditEvent
	require.NoError(t, db.Order("id DESC").Take(&ev).Error)
	return ev
}

// apiWith copies an input with key set to v, or removed when v is apiDrop.
func apiWith(in map[string]any, key string, v any) map[string]any {
	out := maps.Clone(in)
	if v == apiDrop {
		delete(out, key)
	} else {
		out[key] = v
	}
	return out
}

type apiDropT struct{}

func (apiDropT) String() string { return "absent" }

var apiDrop = apiDropT{}

var apiEN = map[string]string{"Accept-Language": "en"}
