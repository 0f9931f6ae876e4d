package app_test

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
)

// SECURITY.md, "Accounts and sessions", CSRF: a token is good for the session that got
// it only, and only until it or its session ends; it travels in the X-Csrf-Token header
// or the form body, never the query string; an unsafe request from another origin is
// refused, the login included.

// csrfSessionMax is the session's absolute timeout the CSRF tests configure: a token
// lives no longer than a session can (QUALITY_SESSION_MAX). A literal, not the setting.
const csrfSessionMax = 3 * time.Hour

// The titles a refused web form shows (zh-CN, the default language).
const (
	csrfPageTitle   = "安全令牌缺失或已失效"
	originPageTitle = "请求不是从本系统的页面发出的"
)

// csrfCall is one variant of an unsafe request: which token goes where, with which
// Origin.
type csrfCall struct {
	name    string
	token   string // "" sends none
	cookie  string // the csrf_ cookie; "" keeps the client's
	inQuery bool   // the token only as ?_csrf=
	origin  string // "" sends siteOrigin
	bare    bool   // neither Origin nor Referer
}

// TestCSRFEveryWrite walks the route table as the role matrix does: every unsafe row,
// sent by a caller it admits, is refused with no token, with another session's valid
// token (planted in the cookie too), with a token older than a session can live, with
// its token only in the query string, and with its own good token from another origin
// or, for a web form, from no stated origin at all.
// The API answers problem+json, a web form a page; nothing is written.
func TestCSRFEveryWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnvWith(t, db, func(cfg *app.Config) { cfg.Sessions.AbsoluteTimeout = csrfSessionMax })
		rows := matrixRows()
		checkMatrixCovers(t, e, rows)
		key := csrfKey(t, e)
		clients := map[string]*client{}
		clientOf := func(as string) *client {
			if clients[as] == nil {
				clients[as] = e.login(as)
			}
			return clients[as]
		}
		writes := 0
		for _, r := range rows {
			if r.method == get {
				continue
			}
			writes++
			if r.want[anon] < 400 {
				// A public write (the logins): no session, so no token; the origin decides.
				target, body := r.prep(e, anon)
				csrfRefused(t, e, r, anon, e.anon(), target, body, csrfCall{name: "from another site", origin: "https://evil.example"}, originPageTitle)
				continue
			}
			as := csrfCaller(r)
			c := clientOf(as)
			other := clientOf(admin)
			if as == admin {
				other = clientOf(manager)
			}
			own := c.cookies["quality_session"]
			require.NotEmpty(t, own)
			expired := app.CSRFTokenIssuedAt(key, own, time.Now().Add(-csrfSessionMax-time.Minute))
			for _, call := range []csrfCall{
				{name: "without a token"},
				{name: "with another session's token", token: other.cookies["csrf_"], cookie: other.cookies["csrf_"]},
				{name: "with an expired token", token: expired, cookie: expired},
				{name: "with the token in the query string", token: c.cookies["csrf_"], inQuery: true},
				{name: "from another site", token: c.cookies["csrf_"], origin: "https://evil.example"},
				// Browsers send Origin on every POST; a form without it is refused even with
				// its own token (an API client's header token needs none).
				{name: "as a form without Origin or Referer", token: c.cookies["csrf_"], bare: true},
			} {
				if call.bare && strings.HasPrefix(r.route, "/api/") {
					continue
				}
				title := csrfPageTitle
				if call.origin != "" || call.bare {
					title = originPageTitle
				}
				target, body := r.prep(e, as)
				csrfRefused(t, e, r, as, c, target, body, call, title)
			}
		}
		require.Greater(t, writes, 100, "the walk found the matrix's writes")
		t.Logf("%d unsafe rows walked", writes)
	})
}

// csrfCaller is the first signed-in caller a row admits (a status below 400), so the
// refusal cannot be the role check's; failing that, the admin.
func csrfCaller(r matrixRow) string {
	for _, as := range callers[1:] {
		if r.want[as] < 400 {
			return as
		}
	}
	return admin
}

// csrfRefused sends one variant of row r as as and checks the refusal: 403, the CSRF
// problem or page, no audit row, no new session.
func csrfRefused(t *testing.T, e *env, r matrixRow, as string, c *client, target string, body any, call csrfCall, pageTitle string) {
	t.Helper()
	req := csrfRequest(t, r.method, target, body, call)
	cookies := map[string]string{}
	for k, v := range c.cookies {
		cookies[k] = v
	}
	if call.cookie != "" {
		cookies["csrf_"] = call.cookie
	}
	before := e.auditCount()
	res := apiRaw(e, req, cookies)
	if !assert.Equal(t, http.StatusForbidden, res.Code, "%s as %s %s: %s %s: %s", r, as, call.name, r.method, target, clipBody(res.Body)) {
		return
	}
	if strings.HasPrefix(target, "/api/") {
		assert.Equal(t, "urn:quality:problem:csrf", apiProblemOf(t, res).Type, "%s as %s %s", r, as, call.name)
	} else {
		assert.Contains(t, res.Body, pageTitle, "%s as %s %s: the page says why", r, as, call.name)
	}
	assert.Equal(t, before, e.auditCount(), "%s as %s %s: written", r, as, call.name)
	for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
		assert.NotEqual(t, "quality_session", ck.Name, "%s as %s %s: a session cookie was set", r, as, call.name)
	}
}

// csrfRequest builds a row's request with call's token where a client puts it: the
// header for JSON and API uploads, the _csrf field for web forms and web uploads, or
// only the query string.
func csrfRequest(t *testing.T, method, target string, body any, call csrfCall) *http.Request {
	t.Helper()
	page := !strings.HasPrefix(target, "/api/")
	inForm, inHeader := "", ""
	switch {
	case call.token == "":
	case call.inQuery:
		sep := "?"
		if strings.Contains(target, "?") {
			sep = "&"
		}
		target += sep + "_csrf=" + url.QueryEscape(call.token)
	case page && body != nil:
		inForm = call.token
	default:
		inHeader = call.token
	}
	var req *http.Request
	switch b := body.(type) {
	case formBody:
		v := url.Values{}
		for k, vs := range b {
			v[k] = vs
		}
		if inForm != "" {
			v.Set("_csrf", inForm)
		}
		req = httptest.NewRequest(method, target, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	case uploadBody:
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		if inForm != "" {
			require.NoError(t, w.WriteField("_csrf", inForm))
		}
		fw, err := w.CreateFormFile(b.field, b.name)
		require.NoError(t, err)
		_, err = io.Copy(fw, bytes.NewReader(b.content))
		require.NoError(t, err)
		require.NoError(t, w.Close())
		req = httptest.NewRequest(method, target, &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
	default:
		if page && body == nil && inHeader != "" {
			// A web form with no fields still posts its one hidden field.
			req = httptest.NewRequest(method, target, strings.NewReader(url.Values{"_csrf": {inHeader}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			inHeader = ""
		} else {
			req = apiRequest(t, method, target, body, nil)
		}
	}
	if inHeader != "" {
		req.Header.Set("X-Csrf-Token", inHeader)
	}
	if !call.bare {
		origin := call.origin
		if origin == "" {
			origin = siteOrigin
		}
		req.Header.Set("Origin", origin)
	}
	return req
}

// csrfKey is the server's CSRF signing key, to forge tokens the server could have made.
func csrfKey(t *testing.T, e *env) string {
	t.Helper()
	var s models.Secret
	require.NoError(t, e.db.Where("name = ?", "csrf").Take(&s).Error)
	return s.Value
}

// TestCSRFTokenLifetime pins how long a token lives: until its session ends, and at
// most as long as a session can (3 h here); a token issued just inside that still works.
func TestCSRFTokenLifetime(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnvWith(t, db, func(cfg *app.Config) { cfg.Sessions.AbsoluteTimeout = csrfSessionMax })
		key := csrfKey(t, e)
		c := e.login(manager)
		own := c.cookies["quality_session"]
		body := map[string]any{"name": "张三"}
		write := func(token string) int {
			req := apiRequest(t, patch, "/api/v1/employees/"+idStr(e.employee("360102001")), body, map[string]string{"X-Csrf-Token": token})
			return apiRaw(e, req, map[string]string{"quality_session": own, "csrf_": token}).Code
		}
		assert.Equal(t, http.StatusForbidden, write(app.CSRFTokenIssuedAt(key, own, time.Now().Add(-3*time.Hour-time.Second))), "issued 3 h 1 s ago")
		assert.Equal(t, http.StatusOK, write(app.CSRFTokenIssuedAt(key, own, time.Now().Add(-3*time.Hour+time.Minute))), "issued 2 h 59 min ago")
		assert.Equal(t, http.StatusForbidden, write(app.CSRFTokenIssuedAt(key+"x", own, time.Now())), "signed with another key")

		// A GET with an expired token in the cookie hands out a fresh one.
		req := httptest.NewRequest(http.MethodGet, "/api/v1/me", nil)
		old := app.CSRFTokenIssuedAt(key, own, time.Now().Add(-4*time.Hour))
		res := apiRaw(e, req, map[string]string{"quality_session": own, "csrf_": old})
		require.Equal(t, http.StatusOK, res.Code)
		var me struct {
			CSRFToken string `json:"csrf_token"`
		}
		res.JSON(t, &me)
		assert.NotEqual(t, old, me.CSRFToken)
		assert.Equal(t, http.StatusOK, write(me.CSRFToken), "the fresh token works")

		// The token dies with its session: after logout and a new login of the same user,
		// the old token is refused.
		tok := c.cookies["csrf_"]
		require.Equal(t, http.StatusNoContent, c.do(http.MethodPost, "/api/v1/auth/logout", nil).Code)
		again := e.login(manager)
		req = apiRequest(t, patch, "/api/v1/employees/"+idStr(e.employee("360102001")), body, map[string]string{"X-Csrf-Token": tok})
		assert.Equal(t, http.StatusForbidden, apiRaw(e, req, map[string]string{"quality_session": again.cookies["quality_session"], "csrf_": tok}).Code,
			"a token of the ended session")
	})
}

// TestCSRFLogin: a login from another site is refused, by Origin or by Referer; the
// login form without either header is refused (browsers send Origin on every POST);
// the JSON login without either is an API client's and works.
func TestCSRFLogin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		form := url.Values{"username": {"manager"}, "password": {demoPassword}, "next": {"/"}}.Encode()
		json := `{"username":"manager","password":"` + demoPassword + `"}`
		cases := []struct {
			name, url, body, contentType string
			header                       map[string]string
			wantStatus                   int
			wantBody                     string
		}{
			{"form from the site", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Origin": siteOrigin}, http.StatusSeeOther, ""},
			{"form from the site by Referer", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Referer": siteOrigin + "/login?next=%2F"}, http.StatusSeeOther, ""},
			{"form from the site, default port spelt out", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Origin": "http://QUALITY.test:80"}, http.StatusSeeOther, ""},
			{"form from another site", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, originPageTitle},
			{"form from another port", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Origin": siteOrigin + ":8443"}, http.StatusForbidden, originPageTitle},
			{"form from a sandboxed frame", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Origin": "null"}, http.StatusForbidden, originPageTitle},
			{"form from another site by Referer", "/login", form, "application/x-www-form-urlencoded", map[string]string{"Referer": "https://evil.example/x"}, http.StatusForbidden, originPageTitle},
			{"form with a foreign Origin and the site's Referer", "/login", form, "application/x-www-form-urlencoded",
				map[string]string{"Origin": "https://evil.example", "Referer": siteOrigin + "/login"}, http.StatusForbidden, originPageTitle},
			{"form without Origin or Referer", "/login", form, "application/x-www-form-urlencoded", nil, http.StatusForbidden, originPageTitle},
			{"form in English from another site", "/login", form, "application/x-www-form-urlencoded",
				map[string]string{"Origin": "https://evil.example", "Cookie": "lang=en"}, http.StatusForbidden, "did not come from this site"},
			{"API from another site", "/api/v1/auth/login", json, "application/json", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "urn:quality:problem:csrf"},
			{"API as text/plain from another site", "/api/v1/auth/login", json, "text/plain", map[string]string{"Origin": "https://evil.example"}, http.StatusForbidden, "urn:quality:problem:csrf"},
			{"API as text/plain without Origin or Referer", "/api/v1/auth/login", json, "text/plain", nil, http.StatusForbidden, "urn:quality:problem:csrf"},
			{"API client without Origin or Referer", "/api/v1/auth/login", json, "application/json", nil, http.StatusOK, `"csrf_token"`},
			{"API from the site", "/api/v1/auth/login", json, "application/json", map[string]string{"Origin": siteOrigin}, http.StatusOK, `"csrf_token"`},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				req := httptest.NewRequest(http.MethodPost, tc.url, strings.NewReader(tc.body))
				req.Header.Set("Content-Type", tc.contentType)
				for k, v := range tc.header {
					req.Header.Set(k, v)
				}
				before := e.auditCount()
				res := apiRaw(e, req, nil)
				require.Equal(t, tc.wantStatus, res.Code, res.Body)
				assert.Contains(t, res.Body, tc.wantBody)
				session := false
				for _, ck := range (&http.Response{Header: res.Header}).Cookies() {
					session = session || ck.Name == "quality_session" && ck.Value != ""
				}
				assert.Equal(t, tc.wantStatus < 400, session, "a session cookie")
				if tc.wantStatus >= 400 {
					assert.Equal(t, before, e.auditCount(), "no login recorded")
				}
			})
		}
	})
}

// TestCSRFPublicOrigin: without QUALITY_PUBLIC_URL the origin is the listen address's
// (a loopback address under each of its names), or, listening on every interface, the
// request's own host; QUALITY_PUBLIC_URL replaces both, and a bad one stops the start.
func TestCSRFPublicOrigin(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		cases := []struct {
			addr, public string
			allowed      []string
			refused      []string
		}{
			{"127.0.0.1:8080", "", []string{"http://127.0.0.1:8080", "http://localhost:8080", "http://[::1]:8080"},
				[]string{"http://127.0.0.1:9090", "https://127.0.0.1:8080", "http://example.com"}},
			{"10.1.2.3:8080", "", []string{"http://10.1.2.3:8080"}, []string{"http://localhost:8080", "http://example.com"}},
			// httptest's requests are for example.com.
			{":8080", "", []string{"http://example.com"}, []string{"http://example.com:8080", "https://example.com", "http://evil.example"}},
			{"0.0.0.0:8080", "https://quality.example.cn:443/", []string{"https://quality.example.cn"},
				[]string{"http://quality.example.cn", "http://example.com", "http://0.0.0.0:8080"}},
		}
		for i, tc := range cases {
			cfg, err := app.ConfigFromEnv()
			require.NoError(t, err)
			cfg.Addr, cfg.PublicURL = tc.addr, tc.public
			a, err := app.New(cfg, app.Deps{DB: db, Log: slog.New(slog.DiscardHandler), Exports: e.exports})
			require.NoError(t, err)
			srv := *e
			srv.app = a
			probe := func(origin string) int {
				// An unknown user: 401 once past the origin check.
				req := apiRequest(t, http.MethodPost, "/api/v1/auth/login",
					map[string]string{"username": fmt.Sprintf("nobody-%d", uniq()), "password": "wrong-pass-1"}, map[string]string{"Origin": origin})
				return apiRaw(&srv, req, nil).Code
			}
			for _, o := range tc.allowed {
				assert.Equal(t, http.StatusUnauthorized, probe(o), "case %d: %s allowed", i, o)
			}
			for _, o := range tc.refused {
				assert.Equal(t, http.StatusForbidden, probe(o), "case %d: %s refused", i, o)
			}
		}
	})
}

// TestCSRFPublicURLSetting: a QUALITY_PUBLIC_URL that is not http(s)://host stops the
// start, naming the variable.
func TestCSRFPublicURLSetting(t *testing.T) {
	for _, bad := range []string{"quality.example.cn", "ftp://quality.example.cn", "https://", "https://user@quality.example.cn"} {
		t.Setenv("QUALITY_PUBLIC_URL", bad)
		_, err := app.ConfigFromEnv()
		assert.ErrorContains(t, err, "QUALITY_PUBLIC_URL", bad)
	}
	t.Setenv("QUALITY_PUBLIC_URL", "https://quality.example.cn")
	cfg, err := app.ConfigFromEnv()
	require.NoError(t, err)
	assert.Equal(t, "https://quality.example.cn", cfg.PublicURL)
}
