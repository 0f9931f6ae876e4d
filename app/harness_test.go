package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
	"quality/storage"
)

// siteOrigin is the test server's public origin (QUALITY_PUBLIC_URL): the client
// sends it as Origin on unsafe requests, as a browser on the product's pages does.
const siteOrigin = "http://quality.test"

// Passwords of the test fixture.
const (
	adminPassword = "admin-pass-123"
	demoPassword  = "demo-pass-123"
)

// env is one test server on a fresh database holding the base org tree, the question
// bank with the two seeded exams (published, open this year and next), the admin and
// the demo staff of 东湖区 (360102) and 濂溪区 (360402, in 九江, outside every demo
// user's scope but the province's), with one user per role (seeds.DemoUsers):
// trainer (province), inspector (南昌市 3601), manager (东湖区 360102), employee
// (东湖区八一大道营业厅 360102-01, linked to employee 360102-01001).
type env struct {
	t     testing.TB
	db    *gorm.DB
	app   *fiber.App
	units map[string]models.OrgUnit // by code
	// exports runs the ranking workbook jobs the requests start.
	exports *reports.Exporter
}

// envData is what every env's database starts with, loaded once per engine and copied
// into each test's database: loading it took about four seconds a test under -race.
var envData = &dbtest.Fixture{Load: func(ctx context.Context, db *gorm.DB) error {
	if err := seeds.Run(ctx, db, seeds.BaseSteps(time.Now().UTC()), nil); err != nil {
		return err
	}
	if _, _, err := seeds.EnsureAdmin(ctx, db, adminPassword); err != nil {
		return err
	}
	// Staff of 东湖区 (the manager's branch) and 濂溪区 (another city's branch) only:
	// enough for every scope case, small enough for -race on SQLite.
	_, err := seeds.LoadDemoIn(ctx, db, demoPassword, "360102", "360402")
	return err
}}

func TestMain(m *testing.M) {
	code := m.Run()
	envData.Close()
	os.Exit(code)
}

func newEnv(t testing.TB, db *gorm.DB) *env {
	t.Helper()
	return newEnvWith(t, db, nil)
}

// newEnvWith is newEnv with the configuration changed by edit first.
func newEnvWith(t testing.TB, db *gorm.DB, edit func(*app.Config)) *env {
	t.Helper()
	ctx := context.Background()
	envData.CopyInto(t, db)
	cfg, err := app.ConfigFromEnv()
	require.NoError(t, err)
	cfg.PublicURL = siteOrigin
	if edit != nil {
		edit(&cfg)
	}
	// The workbook jobs write under a folder of the test and are waited for before the
	// database closes.
	exports := reports.NewExporter(reports.NewService(db, cfg.Location), storage.NewLocal(t.TempDir()), slog.New(slog.DiscardHandler))
	t.Cleanup(exports.Wait)
	a, err := app.New(cfg, app.Deps{DB: db, Log: slog.New(slog.DiscardHandler), Exports: exports})
	require.NoError(t, err)
	units, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	require.NoError(t, err)
	return &env{t: t, db: db, app: a, units: units, exports: exports}
}

// unit returns the id of the unit with code.
func (e *env) unit(code string) uint {
	u, ok := e.units[code]
	require.True(e.t, ok, "no unit %s", code)
	return u.ID
}

// employee returns the id of the employee with job number.
func (e *env) employee(job string) uint {
	m, err := models.EmployeesByJobNumber(context.Background(), e.db, []string{job})
	require.NoError(e.t, err)
	emp, ok := m[job]
	require.True(e.t, ok, "no employee %s", job)
	return emp.ID
}

// auditCount counts audit events, for "every write leaves one audit row" checks.
func (e *env) auditCount() int64 {
	var n int64
	require.NoError(e.t, e.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}

// client is a browser-like caller: it keeps cookies, sends the CSRF header on unsafe
// requests (send) and, on every unsafe request, the site's Origin (exchange).
type client struct {
	e       *env
	cookies map[string]string
}

func (e *env) anon() *client { return &client{e: e, cookies: map[string]string{}} }

// login logs username in (the demo password unless it is admin) and returns its client.
func (e *env) login(username string) *client {
	e.t.Helper()
	pw := demoPassword
	if username == seeds.AdminUsername {
		pw = adminPassword
	}
	c := e.anon()
	res := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": username, "password": pw})
	require.Equal(e.t, http.StatusOK, res.Code, "login %s: %s", username, res.Body)
	return c
}

// response is what a request returned.
type response struct {
	Code   int
	Header http.Header
	Body   string
}

// JSON decodes the body into v.
func (r response) JSON(t testing.TB, v any) {
	t.Helper()
	require.NoError(t, json.Unmarshal([]byte(r.Body), v), r.Body)
}

// do sends body as JSON (nil sends nothing; a string is sent raw).
func (c *client) do(method, url string, body any) response {
	c.e.t.Helper()
	var r io.Reader
	ct := ""
	switch b := body.(type) {
	case nil:
	case string:
		r, ct = strings.NewReader(b), fiber.MIMEApplicationJSON
	case []byte:
		r, ct = bytes.NewReader(b), fiber.MIMEApplicationJSON
	default:
		buf, err := json.Marshal(b)
		require.NoError(c.e.t, err)
		r, ct = bytes.NewReader(buf), fiber.MIMEApplicationJSON
	}
	req := httptest.NewRequest(method, url, r)
	if ct != "" {
		req.Header.Set("Content-Type", ct)
	}
	return c.send(req)
}

// upload posts a multipart form with one file field.
func (c *client) upload(url, field, name string, content []byte) response {
	c.e.t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, name)
	require.NoError(c.e.t, err)
	_, err = fw.Write(content)
	require.NoError(c.e.t, err)
	require.NoError(c.e.t, w.Close())
	req := httptest.NewRequest(http.MethodPost, url, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	return c.send(req)
}

// send sends req with the client's cookies and the CSRF header, as an API client does,
// and keeps the cookies the reply sets.
func (c *client) send(req *http.Request) response {
	c.e.t.Helper()
	if tok := c.cookies["csrf_"]; tok != "" && req.Method != http.MethodGet && req.Method != http.MethodHead {
		req.Header.Set("X-Csrf-Token", tok)
	}
	r, cookies := c.exchange(req)
	for _, ck := range cookies {
		if ck.MaxAge < 0 || ck.Value == "" {
			delete(c.cookies, ck.Name)
		} else {
			c.cookies[ck.Name] = ck.Value
		}
	}
	return r
}

// exchange sends req with the client's cookies (and, on an unsafe request without
// Origin or Referer, Origin: siteOrigin) and reads the reply and the cookies it sets.
func (c *client) exchange(req *http.Request) (response, []*http.Cookie) {
	c.e.t.Helper()
	if req.Method != http.MethodGet && req.Method != http.MethodHead && req.Header.Get("Origin") == "" && req.Header.Get("Referer") == "" {
		req.Header.Set("Origin", siteOrigin)
	}
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.e.app.Test(req, -1)
	require.NoError(c.e.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(c.e.t, err)
	c.checkDocumented(req, res.StatusCode)
	return response{Code: res.StatusCode, Header: res.Header, Body: string(body)}, res.Cookies()
}
