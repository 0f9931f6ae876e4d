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
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

// The helpers below (apiCase, apiRunner, apiRaw, ...) are shared by api_test.go,
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

// TestAPI walks the JSON API on one env per engine: employees, lists and injection,
// org units, the audit log, users, and routing with headers.
func TestAPI(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		r := newAPIRunner(newEnv(t, db))
		t.Run("employees", func(t *testing.T) { r.run(t, apiEmployeeCases(t, r)) })
		t.Run("employee validation", func(t *testing.T) { r.run(t, apiValidationCases(t, r)) })
		t.Run("employee lists", func(t *testing.T) { r.run(t, apiListCases(t, r)) })
		t.Run("injection", func(t *testing.T) {
			before := apiEmployeeTable(t, db)
			r.run(t, apiInjectionCases())
			require.Equal(t, before, apiEmployeeTable(t, db), "the employees table changed")
		})
		t.Run("org units", func(t *testing.T) { r.run(t, apiOrgUnitCases(t, r)) })
		t.Run("audit events", func(t *testing.T) { r.run(t, apiAuditCases(t, r)) })
		t.Run("users", func(t *testing.T) { r.run(t, apiUserCases(t, r)) })
		t.Run("routing and headers", func(t *testing.T) { r.run(t, apiRoutingCases(t, r)) })
	})
}

// apiNewEmployee is a valid create body.
func apiNewEmployee(job string, unit uint) map[string]any {
	return map[string]any{"job_number": job, "name": "测试员工", "org_unit_id": unit, "position": "window",
		"hire_date": "2024-03-01", "status": "active", "phone": "13800000001"}
}

func apiEmployeeCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, dh1, lx := e.unit("360102"), e.unit("360102-01"), e.unit("360402")
	// savedAs remembers a created employee's id in vars[key] and checks its row.
	savedAs := func(key string, want map[string]any) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			got := apiDecode[models.Employee](t, res)
			require.NotZero(t, got.ID)
			r.vars[key] = strconv.FormatUint(uint64(got.ID), 10)
			row, ok := apiFindEmployee(t, e.db, want["job_number"].(string))
			require.True(t, ok, "created employee not in the database")
			assert.Equal(t, got.ID, row.ID)
			assert.Equal(t, want["name"], row.Name)
			assert.Equal(t, want["org_unit_id"], row.OrgUnitID)
			assert.Equal(t, want["position"], row.Position)
			assert.Equal(t, want["hire_date"], row.HireDate.String())
			assert.Equal(t, want["phone"], row.Phone)
			ev := apiLastAudit(t, e.db)
			assert.Equal(t, []string{"create", "employee", r.vars[key]}, []string{ev.Action, ev.Entity, ev.EntityID})
		}
	}
	// remember keeps the employee of a response; unchanged checks it was not written since.
	var before models.Employee
	remember := func(t *testing.T, res response) {
		var ok bool
		before, ok = apiFindEmployee(t, e.db, apiDecode[models.Employee](t, res).JobNumber)
		require.True(t, ok)
	}
	unchanged := func(t *testing.T, _ response) {
		var now models.Employee
		require.NoError(t, e.db.Take(&now, before.ID).Error)
		assert.Equal(t, apiEmployeeRow(before), apiEmployeeRow(now))
		assert.True(t, before.UpdatedAt.Equal(now.UpdatedAt), "updated_at moved")
	}
	mgrEmp := apiNewEmployee("T-0001", dh1)
	admEmp := apiNewEmployee("T-0002", lx)
	linked := e.employee("360102001") // the manager's own employee record, linked to a user

	return []apiCase{
		// Create.
		{name: "manager creates an employee in 东湖", as: "manager", method: "POST", url: "/api/v1/employees", body: mgrEmp,
			wantStatus: 201, wantBody: []string{`"job_number":"T-0001"`, `"org_unit":{`}, wantAudit: 1, check: savedAs("emp", mgrEmp)},
		{name: "admin creates an employee in 濂溪", as: "admin", method: "POST", url: "/api/v1/employees", body: admEmp,
			wantStatus: 201, wantAudit: 1, check: savedAs("emp2", admEmp)},
		{name: "duplicate job number", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(mgrEmp, "name", "另一人"),
			wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "已被使用", apiMessage(t, res, "job_number"))
				assert.Contains(t, apiProblemOf(t, res).Type, "conflict")
			}},
		{name: "duplicate job number in English", as: "manager", method: "POST", url: "/api/v1/employees", body: mgrEmp, header: apiEN,
			wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "already taken", apiMessage(t, res, "job_number"))
			}},
		{name: "manager cannot create outside 东湖", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(mgrEmp, "org_unit_id", lx),
			wantStatus: 422, wantFields: []string{"org_unit_id:not_found"}},

		// Read.
		{name: "manager reads the new employee", as: "manager", method: "GET", url: "/api/v1/employees/{emp}",
			wantStatus: 200, wantBody: []string{`"name":"测试员工"`, `"hire_date":"2024-03-01"`}},
		{name: "out of scope looks like nonexistent", as: "manager", method: "GET", url: "/api/v1/employees/{emp2}",
			wantStatus: 404, check: func(t *testing.T, res response) {
				other := apiRaw(r.bind(t), apiRequest(t, "GET", "/api/v1/employees/99999999", nil, nil), r.clients["manager"].cookies)
				assert.Equal(t, 404, other.Code)
				assert.Equal(t, apiProblemOf(t, other).Title, apiProblemOf(t, res).Title)
			}},
		{name: "admin reads 濂溪's employee", as: "admin", method: "GET", url: "/api/v1/employees/{emp2}", wantStatus: 200},
		{name: "id zero", as: "manager", method: "GET", url: "/api/v1/employees/0", wantStatus: 400, wantFields: []string{"id:invalid"}},

		// Partial update.
		{name: "remember before patch", as: "manager", method: "GET", url: "/api/v1/employees/{emp}", wantStatus: 200, check: remember},
		{name: "patch phone keeps the other fields", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"phone": "13900000009"}, wantStatus: 200, wantAudit: 1, check: func(t *testing.T, res response) {
				var now models.Employee
				require.NoError(t, e.db.Take(&now, before.ID).Error)
				assert.Equal(t, "13900000009", now.Phone)
				assert.Equal(t, []any{before.JobNumber, before.Name, before.OrgUnitID, before.Position, before.HireDate, before.Status},
					[]any{now.JobNumber, now.Name, now.OrgUnitID, now.Position, now.HireDate, now.Status})
				got := apiDecode[models.Employee](t, res)
				assert.Equal(t, before.Name, got.Name)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, "update", ev.Action)
				var diff map[string]models.Change
				require.NoError(t, json.Unmarshal([]byte(ev.Summary), &diff))
				assert.Equal(t, []string{"phone"}, slices.Collect(maps.Keys(diff)), "the audit records only what changed")
			}},
		{name: "remember after patch", as: "manager", method: "GET", url: "/api/v1/employees/{emp}", wantStatus: 200, check: remember},
		{name: "patch with an invalid position changes nothing", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"position": "chef", "name": "改名"}, wantStatus: 422, wantFields: []string{"position:invalid_choice"}, check: unchanged},
		{name: "patch to a duplicate job number", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"job_number": "360102001"}, wantStatus: 409, wantFields: []string{"job_number:duplicate"}, check: unchanged},
		{name: "patch moving out of scope", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"org_unit_id": lx}, wantStatus: 422, wantFields: []string{"org_unit_id:not_found"}, check: unchanged},
		{name: "patch with an unknown field", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"salary": 1}, wantStatus: 422, wantFields: []string{"salary:unknown_field"}, check: unchanged},
		{name: "patch another branch's employee", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp2}",
			body: map[string]any{"phone": "13900000000"}, wantStatus: 404},
		{name: "patch moves within scope", as: "manager", method: "PATCH", url: "/api/v1/employees/{emp}",
			body: map[string]any{"org_unit_id": dh, "status": "on_leave"}, wantStatus: 200, wantAudit: 1, wantBody: []string{`"status":"on_leave"`, `"code":"360102"`}},
		{name: "admin patches 濂溪's employee", as: "admin", method: "PATCH", url: "/api/v1/employees/{emp2}",
			body: map[string]any{"name": "改过的名字"}, wantStatus: 200, wantAudit: 1, wantBody: []string{`"name":"改过的名字"`}},

		// Delete.
		{name: "manager cannot delete another branch's employee", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp2}", wantStatus: 404},
		{name: "manager deletes", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp}", wantStatus: 204, wantAudit: 1,
			check: func(t *testing.T, res response) {
				assert.Empty(t, res.Body)
				_, ok := apiFindEmployee(t, e.db, "T-0001")
				assert.False(t, ok, "deleted employee still there")
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"delete", "employee", r.vars["emp"]}, []string{ev.Action, ev.Entity, ev.EntityID})
			}},
		{name: "delete again", as: "manager", method: "DELETE", url: "/api/v1/employees/{emp}", wantStatus: 404},
		{name: "an employee with a user account cannot be deleted", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/employees/%d", linked),
			wantStatus: 409, wantFields: []string{"id:in_use"}, check: func(t *testing.T, _ response) {
				_, ok := apiFindEmployee(t, e.db, "360102001")
				assert.True(t, ok)
			}},
		{name: "admin deletes", as: "admin", method: "DELETE", url: "/api/v1/employees/{emp2}", wantStatus: 204, wantAudit: 1},
	}
}

// apiValidationCases: each invalid field alone gives a 422 naming it, in Chinese by
// default and in English on request; malformed bodies are 400, wrong types 422, other
// media types 415. Nothing is written.
func apiValidationCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh1, lx := e.unit("360102-01"), e.unit("360402")
	good := apiNewEmployee("V-0001", dh1)
	invalid := []struct {
		field, code string
		value       any
		zh, en      string
	}{
		{"job_number", "required", "", "必填", "required"},
		{"job_number", "invalid_job_number", "工号 1", "工号只能包含字母、数字、下划线和连字符，最多 32 位", "letters, digits, _ and - only, up to 32"},
		{"job_number", "invalid_job_number", strings.Repeat("9", 33), "工号只能包含", "letters, digits"},
		{"name", "required", "   ", "必填", "required"},
		{"name", "too_long", strings.Repeat("长", 65), "不能超过 64 个字符", "at most 64 characters"},
		{"org_unit_id", "not_found", apiDrop, "不存在或不在您的管辖范围内", "does not exist or is outside your scope"},
		{"org_unit_id", "not_found", lx, "不存在或不在您的管辖范围内", "does not exist or is outside your scope"},
		{"position", "invalid_choice", "chef", "不是允许的取值", "not an allowed value"},
		{"status", "invalid_choice", "retired", "不是允许的取值", "not an allowed value"},
		{"hire_date", "required", apiDrop, "必填", "required"},
		{"hire_date", "out_of_range", "1949-12-31", "超出允许范围", "out of range"},
		{"hire_date", "out_of_range", "2099-01-01", "超出允许范围", "out of range"},
		{"hire_date", "invalid_date", "2024-02-30", "日期格式不正确，应为 2024-03-01", "invalid date, want 2024-03-01"},
		{"hire_date", "invalid_date", "01/03/2024", "日期格式不正确", "invalid date"},
		{"phone", "invalid_phone", "call me", "电话号码格式不正确", "invalid phone number"},
	}
	var cases []apiCase
	for _, iv := range invalid {
		for _, lang := range []string{"zh", "en"} {
			label := []rune(fmt.Sprint(iv.value))
			if len(label) > 12 {
				label = append(label[:12], '…')
			}
			tc := apiCase{name: fmt.Sprintf("%s %s %s %s", iv.field, iv.code, string(label), lang), as: "manager", method: "POST",
				url: "/api/v1/employees", body: apiWith(good, iv.field, iv.value), wantStatus: 422,
				wantFields: []string{iv.field + ":" + iv.code}}
			want := iv.zh
			if lang == "en" {
				tc.header, want = apiEN, iv.en
			}
			tc.check = func(t *testing.T, res response) {
				p := apiProblemOf(t, res)
				assert.Len(t, p.Errors, 1, "only the invalid field is listed: %s", res.Body)
				assert.Contains(t, apiMessage(t, res, iv.field), want)
				_, ok := apiFindEmployee(t, e.db, "V-0001")
				assert.False(t, ok)
			}
			cases = append(cases, tc)
		}
	}
	plain := map[string]string{"Content-Type": "text/plain"}
	return append(cases, []apiCase{
		{name: "empty object lists every required field", as: "manager", method: "POST", url: "/api/v1/employees", body: `{}`,
			wantStatus: 422, wantFields: []string{"job_number:required", "name:required", "org_unit_id:not_found", "position:invalid_choice", "hire_date:required"}},
		{name: "malformed JSON", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number": "V-0001",`,
			wantStatus: 400, wantBody: []string{"请求体不是有效的 JSON"}},
		{name: "malformed JSON in English", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number"`, header: apiEN,
			wantStatus: 400, wantBody: []string{"The request body is not valid JSON"}},
		{name: "trailing data", as: "manager", method: "POST", url: "/api/v1/employees", body: `{}{}`, wantStatus: 400},
		{name: "empty body", as: "manager", method: "POST", url: "/api/v1/employees", body: ``, wantStatus: 400},
		{name: "wrong type for org_unit_id", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "org_unit_id", "abc"),
			wantStatus: 422, wantFields: []string{"org_unit_id:invalid_type"}},
		{name: "wrong type for name", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "name", 5),
			wantStatus: 422, wantFields: []string{"name:invalid_type"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "类型不正确", apiMessage(t, res, "name"))
			}},
		{name: "wrong type for hire_date", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "hire_date", 20240301),
			wantStatus: 422, wantFields: []string{"hire_date:invalid_type"}},
		{name: "unknown field", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "salary", 9000),
			wantStatus: 422, wantFields: []string{"salary:unknown_field"}},
		{name: "id cannot be chosen", as: "manager", method: "POST", url: "/api/v1/employees", body: apiWith(good, "id", 424242),
			wantStatus: 422, wantFields: []string{"id:unknown_field"}},
		{name: "text/plain body", as: "manager", method: "POST", url: "/api/v1/employees", body: `{"job_number":"V-0001"}`, header: plain,
			wantStatus: 415, wantBody: []string{"请求的内容类型不受支持"}},
		{name: "form body", as: "manager", method: "POST", url: "/api/v1/employees", body: `job_number=V-0001`,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, wantStatus: 415},
		{name: "text/plain patch", as: "manager", method: "PATCH", url: fmt.Sprintf("/api/v1/employees/%d", e.employee("360102-01001")),
			body: `{"name":"x"}`, header: plain, wantStatus: 415},
	}...)
}

// apiListCases: paging, search, subtree filter and sort allow-list, as the manager
// (scope 东湖) and the admin.
func apiListCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, dh1, lx, nc := e.unit("360102"), e.unit("360102-01"), e.unit("360402"), e.unit("3601")
	dongHu := apiSubtreeEmployees(t, e, "360102")
	require.Greater(t, len(dongHu), 10, "fixture too small for paging")
	list := func(t *testing.T, res response) models.List[models.Employee] {
		return apiDecode[models.List[models.Employee]](t, res)
	}
	jobs := func(l models.List[models.Employee]) []string {
		out := make([]string, len(l.Items))
		for i, it := range l.Items {
			out[i] = it.JobNumber
		}
		return out
	}
	// total checks the total and that every item is among want.
	total := func(want []models.Employee) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			l := list(t, res)
			assert.EqualValues(t, len(want), l.Total)
			ids := map[uint]bool{}
			for _, w := range want {
				ids[w.ID] = true
			}
			for _, it := range l.Items {
				assert.True(t, ids[it.ID], "unexpected employee %s", it.JobNumber)
			}
		}
	}
	matching := func(q string) []models.Employee {
		var out []models.Employee
		for _, emp := range dongHu {
			if strings.Contains(emp.Name, q) || strings.Contains(emp.JobNumber, q) {
				out = append(out, emp)
			}
		}
		return out
	}
	var page1 []string
	var asc []string
	name := dongHu[len(dongHu)-1].Name
	return []apiCase{
		{name: "per_page=5 gives 5 items and the total", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.Len(t, l.Items, 5)
				assert.EqualValues(t, len(dongHu), l.Total)
				page1 = jobs(l)
			}},
		{name: "page 2 continues", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5&page=2",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.Len(t, l.Items, 5)
				for _, j := range jobs(l) {
					assert.NotContains(t, page1, j)
				}
			}},
		{name: "a page past the end is empty", as: "manager", method: "GET", url: "/api/v1/employees?per_page=5&page=1000",
			wantStatus: 200, wantBody: []string{`"items":[]`}},
		{name: "default page size", as: "manager", method: "GET", url: "/api/v1/employees", wantStatus: 200,
			check: func(t *testing.T, res response) { assert.Len(t, list(t, res).Items, min(20, len(dongHu))) }},
		{name: "per_page=0", as: "manager", method: "GET", url: "/api/v1/employees?per_page=0", wantStatus: 400, wantFields: []string{"per_page:out_of_range"}},
		{name: "per_page over the maximum", as: "manager", method: "GET", url: "/api/v1/employees?per_page=201", wantStatus: 400, wantFields: []string{"per_page:out_of_range"}},
		{name: "page not a number", as: "manager", method: "GET", url: "/api/v1/employees?page=x", wantStatus: 400, wantFields: []string{"page:out_of_range"}},
		{name: "page not a number in English", as: "manager", method: "GET", url: "/api/v1/employees?page=x", header: apiEN, wantStatus: 400,
			wantBody: []string{"Invalid query parameters", "out of range"}},

		{name: "search by name", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&q=" + url.QueryEscape(name),
			wantStatus: 200, check: total(matching(name))},
		{name: "search by job number", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&q=360102-02",
			wantStatus: 200, check: total(matching("360102-02"))},
		{name: "search does not leave the scope", as: "manager", method: "GET", url: "/api/v1/employees?q=360402", wantStatus: 200, check: total(nil)},
		{name: "admin searches everywhere", as: "admin", method: "GET", url: "/api/v1/employees?per_page=200&q=360402",
			wantStatus: 200, check: total(apiSubtreeEmployees(t, e, "360402"))},
		{name: "% is not a wildcard", as: "manager", method: "GET", url: "/api/v1/employees?q=%25", wantStatus: 200, check: total(nil)},
		{name: "_ is not a wildcard", as: "manager", method: "GET", url: "/api/v1/employees?q=_", wantStatus: 200, check: total(nil)},
		{name: "q too long", as: "manager", method: "GET", url: "/api/v1/employees?q=" + strings.Repeat("a", 65), wantStatus: 400, wantFields: []string{"q:too_long"}},

		{name: "unit_id filters to the subtree", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", dh1),
			wantStatus: 200, check: total(apiSubtreeEmployees(t, e, "360102-01"))},
		{name: "unit_id of the county includes its outlets", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", dh),
			wantStatus: 200, check: total(dongHu)},
		{name: "admin unit_id of the city includes 东湖", as: "admin", method: "GET", url: fmt.Sprintf("/api/v1/employees?per_page=200&unit_id=%d", nc),
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.EqualValues(t, len(apiSubtreeEmployees(t, e, "3601")), l.Total)
				assert.Greater(t, l.Total, int64(len(dongHu)))
			}},
		{name: "unit_id outside the scope", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/employees?unit_id=%d", lx), wantStatus: 404},
		{name: "position filter", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&position=window",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.NotEmpty(t, l.Items)
				for _, it := range l.Items {
					assert.Equal(t, "window", it.Position)
				}
			}},

		{name: "sort by job number", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=job_number",
			wantStatus: 200, check: func(t *testing.T, res response) { asc = jobs(list(t, res)); assert.Len(t, asc, len(dongHu)) }},
		{name: "sort by job number descending", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=-job_number",
			wantStatus: 200, check: func(t *testing.T, res response) {
				desc := jobs(list(t, res))
				slices.Reverse(desc)
				assert.Equal(t, asc, desc)
			}},
		{name: "sort by hire date", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=hire_date",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.True(t, slices.IsSortedFunc(l.Items, func(a, b models.Employee) int { return a.HireDate.Time().Compare(b.HireDate.Time()) }))
			}},
		{name: "sort by hire date descending", as: "manager", method: "GET", url: "/api/v1/employees?per_page=200&sort=-hire_date",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := list(t, res)
				assert.True(t, slices.IsSortedFunc(l.Items, func(a, b models.Employee) int { return b.HireDate.Time().Compare(a.HireDate.Time()) }))
			}},
		{name: "sort outside the allow-list", as: "manager", method: "GET", url: "/api/v1/employees?sort=phone", wantStatus: 400, wantFields: []string{"sort:invalid_choice"}},
	}
}

// apiInjectionCases: SQL in sort, filter and id parameters is a 400 (or, for free text,
// a harmless search); the caller checks the employees table afterwards.
func apiInjectionCases() []apiCase {
	q := url.QueryEscape
	var cases []apiCase
	for _, c := range []struct{ param, value string }{
		{"sort", "name;DROP TABLE employees"},
		{"sort", "name desc, (select 1)"},
		{"sort", "(CASE WHEN 1=1 THEN name ELSE job_number END)"},
		{"unit_id", "1 OR 1=1"},
		{"unit_id", "1) OR (1=1"},
		{"position", "window' OR '1'='1"},
		{"status", "active' OR 1=1 --"},
		{"page", "1;DELETE FROM employees"},
		{"per_page", "5 UNION SELECT * FROM users"},
	} {
		cases = append(cases, apiCase{name: c.param + " " + c.value, as: "admin", method: "GET",
			url: "/api/v1/employees?" + c.param + "=" + q(c.value), wantStatus: 400})
		cases[len(cases)-1].check = func(t *testing.T, res response) {
			p := apiProblemOf(t, res)
			require.Len(t, p.Errors, 1, res.Body)
			assert.Equal(t, c.param, p.Errors[0].Field)
		}
	}
	for _, method := range []string{"GET", "PATCH", "DELETE"} {
		cases = append(cases, apiCase{name: method + " id 1 OR 1=1", as: "admin", method: method, url: "/api/v1/employees/1%20OR%201=1",
			body: map[string]any{"name": "x"}, wantStatus: 400, wantFields: []string{"id:invalid"}})
	}
	return append(cases,
		apiCase{name: "id with a semicolon", as: "admin", method: "DELETE", url: "/api/v1/employees/1;DROP%20TABLE%20employees", wantStatus: 400, wantFields: []string{"id:invalid"}},
		apiCase{name: "negative id", as: "admin", method: "DELETE", url: "/api/v1/employees/-1", wantStatus: 400, wantFields: []string{"id:invalid"}},
		apiCase{name: "free text is only searched for", as: "admin", method: "GET", url: "/api/v1/employees?q=" + q("' OR '1'='1' --"),
			wantStatus: 200, wantBody: []string{`"total":0`}},
		apiCase{name: "free text with a statement", as: "admin", method: "GET", url: "/api/v1/employees?q=" + q("x'; DROP TABLE employees; --"),
			wantStatus: 200, wantBody: []string{`"total":0`}},
		apiCase{name: "org units filter", as: "admin", method: "GET", url: "/api/v1/org-units?parent_id=" + q("1 OR 1=1"), wantStatus: 400, wantFields: []string{"parent_id:invalid"}},
		apiCase{name: "audit filter", as: "admin", method: "GET", url: "/api/v1/audit-events?actor_id=" + q("1 OR 1=1"), wantStatus: 400, wantFields: []string{"actor_id:invalid"}},
		apiCase{name: "the table still answers", as: "admin", method: "GET", url: "/api/v1/employees?per_page=1", wantStatus: 200},
	)
}

func apiOrgUnitCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	dh, xh, nc, lx := e.unit("360102"), e.unit("360103"), e.unit("3601"), e.unit("360402")
	outlet := map[string]any{"code": "360102-09", "name": "东湖区测试营业厅", "level": "outlet", "parent_id": dh,
		"urban": true, "households": 1200, "address": "南昌市东湖区测试路 1 号", "phone": "0791-1234567"}
	unitRow := func(t *testing.T) models.OrgUnit {
		var u models.OrgUnit
		require.NoError(t, e.db.Take(&u, r.vars["unit"]).Error)
		return u
	}
	return []apiCase{
		{name: "manager reads the tree of 东湖 only", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			check: func(t *testing.T, res response) {
				roots := apiDecode[[]*org.TreeNode](t, res)
				require.Len(t, roots, 1)
				assert.Equal(t, "360102", roots[0].Code)
				assert.Equal(t, "东湖区分公司", roots[0].Name)
				var codes []string
				var walk func(ns []*org.TreeNode)
				walk = func(ns []*org.TreeNode) {
					for _, n := range ns {
						codes = append(codes, n.Code)
						walk(n.Children)
					}
				}
				walk(roots)
				assert.ElementsMatch(t, []string{"360102", "360102-01", "360102-02"}, codes)
			}},
		{name: "manager cannot read 濂溪", as: "manager", method: "GET", url: fmt.Sprintf("/api/v1/org-units/%d", lx), wantStatus: 404},
		{name: "admin creates an outlet", as: "admin", method: "POST", url: "/api/v1/org-units", body: outlet, wantStatus: 201, wantAudit: 1,
			check: func(t *testing.T, res response) {
				got := apiDecode[models.OrgUnit](t, res)
				r.vars["unit"] = strconv.FormatUint(uint64(got.ID), 10)
				u := unitRow(t)
				assert.Equal(t, e.units["360102"].Path+r.vars["unit"]+"/", u.Path)
				assert.Equal(t, []any{"360102-09", "东湖区测试营业厅", "outlet", 1200}, []any{u.Code, u.Name, u.Level, u.Households})
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"create", "org_unit", r.vars["unit"]}, []string{ev.Action, ev.Entity, ev.EntityID})
			}},
		{name: "the new outlet shows in the manager's tree", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			wantBody: []string{`"code":"360102-09"`}},
		{name: "duplicate code", as: "admin", method: "POST", url: "/api/v1/org-units", body: outlet, wantStatus: 409, wantFields: []string{"code:duplicate"}},
		{name: "unknown level", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(outlet, "level", "village"),
			wantStatus: 422, wantFields: []string{"level:invalid_choice"}},
		{name: "outlet under a city", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", nc),
			wantStatus: 422, wantFields: []string{"parent_id:wrong_parent_level"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "上级单位必须是县分公司", apiMessage(t, res, "parent_id"))
			}},
		{name: "outlet under a city in English", as: "admin", method: "POST", url: "/api/v1/org-units", header: apiEN,
			body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", nc), wantStatus: 422, check: func(t *testing.T, res response) {
				assert.Equal(t, "parent must be a county branch", apiMessage(t, res, "parent_id"))
			}},
		{name: "no parent", as: "admin", method: "POST", url: "/api/v1/org-units", body: apiWith(apiWith(outlet, "code", "X1"), "parent_id", apiDrop),
			wantStatus: 422, wantFields: []string{"parent_id:required"}},
		{name: "bad code and households", as: "admin", method: "POST", url: "/api/v1/org-units",
			body: apiWith(apiWith(outlet, "code", "东湖 9"), "households", -1), wantStatus: 422, wantFields: []string{"code:invalid_code", "households:out_of_range"}},
		{name: "manager cannot create units", as: "manager", method: "POST", url: "/api/v1/org-units", body: apiWith(outlet, "code", "X2"), wantStatus: 403},

		{name: "rename keeps the rest", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"name": "东湖区测试营业厅（新）"},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				u := unitRow(t)
				assert.Equal(t, []any{"东湖区测试营业厅（新）", "360102-09", 1200, "0791-1234567", dh}, []any{u.Name, u.Code, u.Households, u.Phone, *u.ParentID})
			}},
		{name: "move under a county of the wrong level", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"parent_id": nc},
			wantStatus: 422, wantFields: []string{"parent_id:wrong_parent_level"}},
		{name: "move a county under its own outlet", as: "admin", method: "PATCH", url: fmt.Sprintf("/api/v1/org-units/%d", dh), body: `{"parent_id": {unit}}`,
			wantStatus: 422, wantFields: []string{"parent_id:cycle"}},
		{name: "take an existing code", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"code": "360102-01"},
			wantStatus: 409, wantFields: []string{"code:duplicate"}},
		{name: "move to 西湖", as: "admin", method: "PATCH", url: "/api/v1/org-units/{unit}", body: map[string]any{"parent_id": xh},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, e.units["360103"].Path+r.vars["unit"]+"/", unitRow(t).Path)
			}},
		{name: "the moved outlet left the manager's tree", as: "manager", method: "GET", url: "/api/v1/org-units/tree", wantStatus: 200,
			check: func(t *testing.T, res response) { assert.NotContains(t, res.Body, "360102-09") }},
		{name: "delete a unit with children", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/org-units/%d", dh),
			wantStatus: 409, wantFields: []string{"id:has_children"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "下面还有下级单位，不能删除", apiMessage(t, res, "id"))
			}},
		{name: "delete a unit with employees", as: "admin", method: "DELETE", url: fmt.Sprintf("/api/v1/org-units/%d", e.unit("360102-02")),
			wantStatus: 409, wantFields: []string{"id:has_employees"}},
		{name: "manager cannot delete units", as: "manager", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 403},
		{name: "delete the empty outlet", as: "admin", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 204, wantAudit: 1,
			check: func(t *testing.T, _ response) {
				var n int64
				require.NoError(t, e.db.Model(&models.OrgUnit{}).Where("code = ?", "360102-09").Count(&n).Error)
				assert.Zero(t, n)
			}},
		{name: "delete it again", as: "admin", method: "DELETE", url: "/api/v1/org-units/{unit}", wantStatus: 404},
	}
}

func apiAuditCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	events := func(t *testing.T, res response) models.List[models.AuditEvent] {
		return apiDecode[models.List[models.AuditEvent]](t, res)
	}
	// matches checks the total against the database and every item against the filter.
	matches := func(where map[string]any) func(*testing.T, response) {
		return func(t *testing.T, res response) {
			l := events(t, res)
			var n int64
			require.NoError(t, e.db.Model(&models.AuditEvent{}).Where(where).Count(&n).Error)
			assert.Equal(t, n, l.Total)
			assert.NotZero(t, l.Total)
			for _, ev := range l.Items {
				got := map[string]any{"entity": ev.Entity, "entity_id": ev.EntityID, "action": ev.Action}
				for k, v := range where {
					assert.Equal(t, v, got[k])
				}
			}
		}
	}
	var firstPage []uint64
	return []apiCase{
		{name: "the create of one employee", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=employee&entity_id={emp}&action=create",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				require.EqualValues(t, 1, l.Total)
				assert.Equal(t, "manager", l.Items[0].ActorName)
				assert.NotEmpty(t, l.Items[0].RequestID)
				assert.Contains(t, l.Items[0].Summary, "T-0001")
			}},
		{name: "everything about one employee", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=employee&entity_id={emp}",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				var actions []string
				for _, ev := range l.Items {
					actions = append(actions, ev.Action)
				}
				// Newest first: delete, two updates, create; refused writes left nothing.
				assert.Equal(t, []string{"delete", "update", "update", "create"}, actions)
			}},
		{name: "by action", as: "admin", method: "GET", url: "/api/v1/audit-events?action=delete&per_page=200",
			wantStatus: 200, check: matches(map[string]any{"action": "delete"})},
		{name: "by entity", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=org_unit&action=update",
			wantStatus: 200, check: matches(map[string]any{"entity": "org_unit", "action": "update"})},
		{name: "paged newest first", as: "admin", method: "GET", url: "/api/v1/audit-events?per_page=3",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				assert.Len(t, l.Items, 3)
				assert.Equal(t, e.auditCount(), l.Total)
				for _, ev := range l.Items {
					firstPage = append(firstPage, ev.ID)
				}
				assert.True(t, slices.IsSortedFunc(firstPage, func(a, b uint64) int { return int(b) - int(a) }))
			}},
		{name: "page 2", as: "admin", method: "GET", url: "/api/v1/audit-events?per_page=3&page=2",
			wantStatus: 200, check: func(t *testing.T, res response) {
				l := events(t, res)
				require.Len(t, l.Items, 3)
				assert.Less(t, l.Items[0].ID, firstPage[len(firstPage)-1])
			}},
		{name: "from a date", as: "admin", method: "GET", url: "/api/v1/audit-events?from=2000-01-01&to=2999-01-01&per_page=1",
			wantStatus: 200, check: func(t *testing.T, res response) { assert.Equal(t, e.auditCount(), events(t, res).Total) }},
		{name: "bad from", as: "admin", method: "GET", url: "/api/v1/audit-events?from=yesterday", wantStatus: 400, wantFields: []string{"from:invalid_date"}},
		{name: "entity too long", as: "admin", method: "GET", url: "/api/v1/audit-events?entity=" + strings.Repeat("e", 33), wantStatus: 400, wantFields: []string{"entity:too_long"}},
		{name: "managers cannot read the audit log", as: "manager", method: "GET", url: "/api/v1/audit-events", wantStatus: 403},
	}
}

func apiUserCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	lx := e.unit("360402")
	newUser := map[string]any{"username": "lianxi.mgr", "display_name": "濂溪区经理", "password": demoPassword,
		"grants": []map[string]any{{"role": "manager", "org_unit_id": lx}}}
	var lxCookies map[string]string
	// replay sends GET /api/v1/me with saved cookies: a session ended on the server
	// stays ended whatever the browser still holds.
	replay := func(t *testing.T, cookies map[string]string) int {
		return apiRaw(r.bind(t), apiRequest(t, "GET", "/api/v1/me", nil, nil), cookies).Code
	}
	login := func(pw string) map[string]string { return map[string]string{"username": "lianxi.mgr", "password": pw} }
	return []apiCase{
		{name: "create a user with a grant", as: "admin", method: "POST", url: "/api/v1/users", body: newUser, wantStatus: 201, wantAudit: 1,
			wantBody: []string{`"username":"lianxi.mgr"`, `"role":"manager"`, `"org_unit_name":"濂溪区分公司"`},
			check: func(t *testing.T, res response) {
				assert.NotContains(t, res.Body, "password_hash")
				assert.NotContains(t, res.Body, "argon2")
				u := apiDecode[models.User](t, res)
				r.vars["user"] = strconv.FormatUint(uint64(u.ID), 10)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"create", "user", r.vars["user"]}, []string{ev.Action, ev.Entity, ev.EntityID})
				assert.NotContains(t, ev.Summary, demoPassword)
			}},
		{name: "duplicate username", as: "admin", method: "POST", url: "/api/v1/users", body: newUser, wantStatus: 409, wantFields: []string{"username:duplicate"}},
		{name: "invalid user", as: "admin", method: "POST", url: "/api/v1/users",
			body:       map[string]any{"username": "a", "password": "short", "grants": []map[string]any{{"role": "boss", "org_unit_id": lx}, {"role": "manager", "org_unit_id": 99999999}}},
			wantStatus: 422, wantFields: []string{"username:invalid_username", "password:too_short", "grants[0].role:invalid_choice", "grants[1].org_unit_id:not_found"}},
		{name: "a role cannot be set directly", as: "admin", method: "POST", url: "/api/v1/users", body: apiWith(newUser, "role", "admin"),
			wantStatus: 422, wantFields: []string{"role:unknown_field"}},
		{name: "the new user logs in", as: "~lx", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 200, wantAudit: 1},
		{name: "the new user sees 濂溪 only", as: "~lx", method: "GET", url: "/api/v1/employees?per_page=200", wantStatus: 200,
			check: func(t *testing.T, res response) {
				l := apiDecode[models.List[models.Employee]](t, res)
				assert.EqualValues(t, len(apiSubtreeEmployees(t, e, "360402")), l.Total)
				lxCookies = maps.Clone(r.clients["~lx"].cookies)
			}},
		{name: "admin cannot disable itself", as: "admin", method: "PATCH", url: fmt.Sprintf("/api/v1/users/%d", apiUserID(t, e, "admin")),
			body: map[string]any{"disabled": true}, wantStatus: 422, wantFields: []string{"disabled:cannot_disable_self"}},
		{name: "disable the user", as: "admin", method: "PATCH", url: "/api/v1/users/{user}", body: map[string]any{"disabled": true},
			wantStatus: 200, wantAudit: 1, wantBody: []string{`"disabled":true`}},
		{name: "the disabled user's session is over", as: "~lx", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the disabled user cannot log in", as: "~lx2", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 401},
		{name: "enable the user again", as: "admin", method: "PATCH", url: "/api/v1/users/{user}", body: map[string]any{"disabled": false},
			wantStatus: 200, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, 401, replay(t, lxCookies), "disabling must end the sessions, not only hide them")
			}},
		{name: "log in after enabling", as: "~lx3", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 200, wantAudit: 1},
		{name: "reset with a short password", as: "admin", method: "PUT", url: "/api/v1/users/{user}/password", body: map[string]any{"password": "short"},
			wantStatus: 422, wantFields: []string{"password:too_short"}},
		{name: "reset the password", as: "admin", method: "PUT", url: "/api/v1/users/{user}/password", body: map[string]any{"password": "reset-pass-789"},
			wantStatus: 204, wantAudit: 1, check: func(t *testing.T, _ response) {
				assert.Equal(t, "reset_password", apiLastAudit(t, e.db).Action)
			}},
		{name: "the reset ended the session", as: "~lx3", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the old password no longer works", as: "~lx4", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 401},
		{name: "the new password works", as: "~lx4", method: "POST", url: "/api/v1/auth/login", body: login("reset-pass-789"), wantStatus: 200, wantAudit: 1},
		{name: "managers cannot create users", as: "manager", method: "POST", url: "/api/v1/users", body: apiWith(newUser, "username", "x.mgr"), wantStatus: 403},
	}
}

// apiUserID is the id of the user with username.
func apiUserID(t *testing.T, e *env, username string) uint {
	t.Helper()
	var u models.User
	require.NoError(t, e.db.Where("username = ?", username).Take(&u).Error)
	return u.ID
}

func apiRoutingCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	notFound := func(t *testing.T, res response) {
		assert.Contains(t, []string{"没有这个接口", "未找到该资源"}, apiProblemOf(t, res).Title)
	}
	return []apiCase{
		{name: "healthz", method: "GET", url: "/healthz", wantStatus: 200, wantBody: []string{`"status":"ok"`}},
		{name: "readyz", method: "GET", url: "/readyz", wantStatus: 200, wantBody: []string{`"status":"ok"`}},
		{name: "unknown API route", method: "GET", url: "/api/v1/nothing-here", wantStatus: 404, check: notFound},
		{name: "unknown API route in English", method: "GET", url: "/api/v1/nothing-here", header: apiEN, wantStatus: 404},
		{name: "unknown API route with a session", as: "admin", method: "POST", url: "/api/v1/nothing-here", body: `{}`, wantStatus: 404},
		{name: "unknown version", as: "admin", method: "GET", url: "/api/v2/employees", wantStatus: 404},
		{name: "wrong method", method: "DELETE", url: "/api/v1/auth/login", wantStatus: 405},
		{name: "no session", method: "GET", url: "/api/v1/employees", wantStatus: 401, wantBody: []string{"请先登录"}},
		{name: "no session in English", method: "GET", url: "/api/v1/employees", header: apiEN, wantStatus: 401, wantBody: []string{"Please log in"}},
		{name: "wrong role", as: "employee", method: "GET", url: "/api/v1/employees", wantStatus: 403, wantBody: []string{"您没有权限执行此操作"}},
		{name: "a success carries the headers too", as: "manager", method: "GET", url: "/api/v1/me", wantStatus: 200},
		{name: "a client's request id is not trusted", as: "manager", method: "POST", url: "/api/v1/employees",
			body: apiNewEmployee("R-0001", e.unit("360102-01")), header: map[string]string{"X-Request-Id": strings.Repeat("r", 300)},
			wantStatus: 201, wantAudit: 1, check: func(t *testing.T, res response) {
				rid := res.Header.Get(fiber.HeaderXRequestID)
				assert.LessOrEqual(t, len(rid), 64)
				assert.LessOrEqual(t, len(apiLastAudit(t, e.db).RequestID), 64)
			}},
		{name: "request ids differ", method: "GET", url: "/healthz", wantStatus: 200, check: func(t *testing.T, res response) {
			again := apiRaw(r.bind(t), apiRequest(t, "GET", "/healthz", nil, nil), nil)
			assert.NotEqual(t, res.Header.Get(fiber.HeaderXRequestID), again.Header.Get(fiber.HeaderXRequestID))
		}},
	}
}
