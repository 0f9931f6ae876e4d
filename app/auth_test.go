package app_test

import (
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"net/http"
	"regexp"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// TestAuth walks login, sessions, CSRF, logout, the own-password change, throttling
// and a panic inside a write, on one env per engine.
func TestAuth(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		r := newAPIRunner(e)
		t.Run("login", func(t *testing.T) { r.run(t, authLoginCases(t, r)) })
		t.Run("csrf", func(t *testing.T) { r.run(t, authCSRFCases(t, r)) })
		t.Run("logout", func(t *testing.T) { r.run(t, authLogoutCases(t, r)) })
		t.Run("own password", func(t *testing.T) { r.run(t, authPasswordCases(t, r)) })
		t.Run("throttling", func(t *testing.T) { r.run(t, authThrottleCases()) })
		t.Run("panic in a write", func(t *testing.T) { authPanic(t, r) })
	})
}

// authCookie is the cookie name set by a response, or nil.
func authCookie(res response, name string) *http.Cookie {
	for _, c := range (&http.Response{Header: res.Header}).Cookies() {
		if c.Name == name {
			return c
		}
	}
	return nil
}

var authRequestIDRE = regexp.MustCompile(`"request_id":"[^"]*"`)

// authReplay sends GET /api/v1/me with saved cookies and returns the status.
func authReplay(t *testing.T, r *apiRunner, cookies map[string]string) int {
	return apiRaw(r.bind(t), apiRequest(t, "GET", "/api/v1/me", nil, nil), cookies).Code
}

func authLoginCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	login := func(user, pw string) map[string]string { return map[string]string{"username": user, "password": pw} }
	var firstToken, badCredentials string
	return []apiCase{
		{name: "login sets an HttpOnly SameSite=Lax session cookie", as: "~a", method: "POST", url: "/api/v1/auth/login",
			body: login("manager", demoPassword), wantStatus: 200, wantAudit: 1, check: func(t *testing.T, res response) {
				ck := authCookie(res, "quality_session")
				require.NotNil(t, ck, "no session cookie")
				assert.True(t, ck.HttpOnly)
				assert.Equal(t, http.SameSiteLaxMode, ck.SameSite)
				assert.Equal(t, "/", ck.Path)
				assert.True(t, ck.Expires.After(time.Now()))
				assert.GreaterOrEqual(t, len(ck.Value), 43, "at least 256 bits")
				firstToken = ck.Value

				me := apiDecode[struct {
					User      models.User `json:"user"`
					CSRFToken string      `json:"csrf_token"`
				}](t, res)
				assert.Equal(t, "manager", me.User.Username)
				assert.NotEmpty(t, me.CSRFToken)
				csrf := authCookie(res, "csrf_")
				require.NotNil(t, csrf)
				assert.Equal(t, csrf.Value, me.CSRFToken)
				assert.NotContains(t, res.Body, "argon2")

				// The database keeps the token's hash, never the token.
				sum := sha256.Sum256([]byte(ck.Value))
				var n int64
				require.NoError(t, e.db.Model(&models.Session{}).Where("id = ?", hex.EncodeToString(sum[:])).Count(&n).Error)
				assert.EqualValues(t, 1, n)
				require.NoError(t, e.db.Model(&models.Session{}).Where("id = ?", ck.Value).Count(&n).Error)
				assert.Zero(t, n)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"login", "session", "manager"}, []string{ev.Action, ev.Entity, ev.ActorName})
			}},
		{name: "me with the session", as: "~a", method: "GET", url: "/api/v1/me", wantStatus: 200,
			wantBody: []string{`"username":"manager"`, `"csrf_token":"`, `"job_number":"360102001"`}},
		{name: "logging in again gives a new session id", as: "~a", method: "POST", url: "/api/v1/auth/login",
			body: login("manager", demoPassword), wantStatus: 200, wantAudit: 1, check: func(t *testing.T, res response) {
				ck := authCookie(res, "quality_session")
				require.NotNil(t, ck)
				assert.NotEqual(t, firstToken, ck.Value)
			}},
		{name: "unknown user", as: "~b", method: "POST", url: "/api/v1/auth/login", body: login("nobody.here", "some-pass-123"),
			wantStatus: 401, wantBody: []string{"用户名或密码错误"}, check: func(t *testing.T, res response) {
				assert.Nil(t, authCookie(res, "quality_session"))
				badCredentials = authRequestIDRE.ReplaceAllString(res.Body, "")
			}},
		{name: "wrong password answers exactly like an unknown user", as: "~b", method: "POST", url: "/api/v1/auth/login",
			body: login("employee", "wrong-pass-123"), wantStatus: 401, check: func(t *testing.T, res response) {
				assert.Nil(t, authCookie(res, "quality_session"))
				assert.Equal(t, badCredentials, authRequestIDRE.ReplaceAllString(res.Body, ""))
			}},
		{name: "bad credentials in English", as: "~b", method: "POST", url: "/api/v1/auth/login", header: apiEN,
			body: login("nobody.here", "some-pass-123"), wantStatus: 401, wantBody: []string{"Wrong username or password"}},
		{name: "missing fields", as: "~b", method: "POST", url: "/api/v1/auth/login", body: `{}`,
			wantStatus: 422, wantFields: []string{"username:required", "password:required"}},
		{name: "absurdly long password", as: "~b", method: "POST", url: "/api/v1/auth/login",
			body: login("employee", string(make([]byte, 600))), wantStatus: 422, wantFields: []string{"password:too_long"}},
		{name: "login as a form post", as: "~b", method: "POST", url: "/api/v1/auth/login", body: "username=manager&password=" + demoPassword,
			header: map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, wantStatus: 415},
		{name: "the failed attempts gave no session", as: "~b", method: "GET", url: "/api/v1/me", wantStatus: 401, wantBody: []string{"请先登录"}},
	}
}

func authCSRFCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	other := e.login("trainer") // a valid token of another session
	emp := e.employee("360102-01001")
	body := apiNewEmployee("C-0001", e.unit("360102-01"))
	notWritten := func(t *testing.T, res response) {
		p := apiProblemOf(t, res)
		assert.Contains(t, p.Type, "csrf")
		_, ok := apiFindEmployee(t, e.db, "C-0001")
		assert.False(t, ok, "a refused request wrote")
	}
	var before string
	keep := func(t *testing.T, _ response) { before = apiEmployeeTable(t, e.db) }
	same := func(t *testing.T, res response) {
		notWritten(t, res)
		assert.Equal(t, before, apiEmployeeTable(t, e.db))
	}
	forged := "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
	return []apiCase{
		{name: "a GET needs no token", as: "manager", method: "GET", url: "/api/v1/me", csrf: apiCSRFOmit, wantStatus: 200, check: keep},
		{name: "POST without the token", as: "manager", method: "POST", url: "/api/v1/employees", body: body, csrf: apiCSRFOmit,
			wantStatus: 403, wantBody: []string{"安全令牌缺失或已失效"}, check: notWritten},
		{name: "POST without the token in English", as: "manager", method: "POST", url: "/api/v1/employees", body: body, csrf: apiCSRFOmit,
			header: apiEN, wantStatus: 403, wantBody: []string{"Security token missing"}, check: notWritten},
		{name: "POST without the csrf cookie either", as: "manager", method: "POST", url: "/api/v1/employees", body: body,
			csrf: apiCSRFOmit, cookie: map[string]string{"csrf_": ""}, wantStatus: 403, check: notWritten},
		{name: "POST with a wrong token", as: "manager", method: "POST", url: "/api/v1/employees", body: body, csrf: "not-the-token",
			wantStatus: 403, check: notWritten},
		{name: "POST with another session's token", as: "manager", method: "POST", url: "/api/v1/employees", body: body,
			csrf: other.cookies["csrf_"], wantStatus: 403, check: notWritten},
		{name: "POST with a forged cookie and header that match", as: "manager", method: "POST", url: "/api/v1/employees", body: body,
			cookie: map[string]string{"csrf_": forged}, csrf: forged, wantStatus: 403, check: notWritten},
		{name: "PATCH without the token", as: "manager", method: "PATCH", url: "/api/v1/employees/" + strconv.Itoa(int(emp)),
			body: map[string]any{"name": "被篡改"}, csrf: apiCSRFOmit, wantStatus: 403, check: same},
		{name: "DELETE without the token", as: "manager", method: "DELETE", url: "/api/v1/employees/" + strconv.Itoa(int(emp)),
			csrf: apiCSRFOmit, wantStatus: 403, check: same},
		{name: "password change without the token", as: "manager", method: "PUT", url: "/api/v1/me/password",
			body: map[string]any{"current_password": demoPassword, "new_password": "attacker-pass-1"}, csrf: apiCSRFOmit, wantStatus: 403},
		{name: "logout without the token", as: "manager", method: "POST", url: "/api/v1/auth/logout", csrf: apiCSRFOmit, wantStatus: 403},
		{name: "the session survived the refused requests", as: "manager", method: "GET", url: "/api/v1/me", wantStatus: 200},
		{name: "with the token the same POST works", as: "manager", method: "POST", url: "/api/v1/employees", body: body,
			wantStatus: 201, wantAudit: 1},
		{name: "a login carrying no session needs no token", as: "~c", method: "POST", url: "/api/v1/auth/login", csrf: apiCSRFOmit,
			body: map[string]string{"username": "employee", "password": demoPassword}, wantStatus: 200, wantAudit: 1},
	}
}

func authLogoutCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	var saved map[string]string
	return []apiCase{
		{name: "before logout", as: "~a", method: "GET", url: "/api/v1/me", wantStatus: 200,
			check: func(t *testing.T, _ response) { saved = maps.Clone(r.clients["~a"].cookies) }},
		{name: "logout", as: "~a", method: "POST", url: "/api/v1/auth/logout", wantStatus: 204, wantAudit: 1,
			check: func(t *testing.T, res response) {
				ck := authCookie(res, "quality_session")
				require.NotNil(t, ck, "the cookie is not cleared")
				assert.Empty(t, ck.Value)
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"logout", "session", "manager"}, []string{ev.Action, ev.Entity, ev.ActorName})
				sum := sha256.Sum256([]byte(saved["quality_session"]))
				var n int64
				require.NoError(t, e.db.Model(&models.Session{}).Where("id = ?", hex.EncodeToString(sum[:])).Count(&n).Error)
				assert.Zero(t, n, "the session row is still there")
			}},
		{name: "me after logout", as: "~a", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the old cookie is dead", as: "~a", method: "GET", url: "/healthz", wantStatus: 200, check: func(t *testing.T, _ response) {
			assert.Equal(t, 401, authReplay(t, r, saved))
		}},
		{name: "logout without a session", method: "POST", url: "/api/v1/auth/logout", wantStatus: 401},
	}
}

func authPasswordCases(t *testing.T, r *apiRunner) []apiCase {
	e := r.bind(t)
	var saved map[string]string
	change := func(current, next string) map[string]string {
		return map[string]string{"current_password": current, "new_password": next}
	}
	login := func(pw string) map[string]string { return map[string]string{"username": "employee", "password": pw} }
	unchanged := func(t *testing.T, _ response) {
		assert.Equal(t, 200, authReplay(t, r, saved), "a refused change must not end the session")
	}
	return []apiCase{
		{name: "log in", as: "~e", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 200, wantAudit: 1,
			check: func(t *testing.T, _ response) { saved = maps.Clone(r.clients["~e"].cookies) }},
		{name: "wrong current password", as: "~e", method: "PUT", url: "/api/v1/me/password", body: change("not-my-password", "new-pass-456"),
			wantStatus: 422, wantFields: []string{"current_password:wrong_password"}, check: func(t *testing.T, res response) {
				assert.Equal(t, "当前密码不正确", apiMessage(t, res, "current_password"))
				unchanged(t, res)
			}},
		{name: "wrong current password in English", as: "~e", method: "PUT", url: "/api/v1/me/password", header: apiEN,
			body: change("not-my-password", "new-pass-456"), wantStatus: 422, check: func(t *testing.T, res response) {
				assert.Equal(t, "current password is wrong", apiMessage(t, res, "current_password"))
			}},
		{name: "new password too short", as: "~e", method: "PUT", url: "/api/v1/me/password", body: change(demoPassword, "short"),
			wantStatus: 422, wantFields: []string{"new_password:too_short"}, check: unchanged},
		{name: "unknown field", as: "~e", method: "PUT", url: "/api/v1/me/password",
			body:       map[string]string{"current_password": demoPassword, "new_password": "new-pass-456", "username": "admin"},
			wantStatus: 422, wantFields: []string{"username:unknown_field"}, check: unchanged},
		{name: "right current password", as: "~e", method: "PUT", url: "/api/v1/me/password", body: change(demoPassword, "new-pass-456"),
			wantStatus: 204, wantAudit: 1, check: func(t *testing.T, _ response) {
				ev := apiLastAudit(t, e.db)
				assert.Equal(t, []string{"change_password", "user", "employee"}, []string{ev.Action, ev.Entity, ev.ActorName})
			}},
		{name: "the session is over", as: "~e", method: "GET", url: "/api/v1/me", wantStatus: 401, check: func(t *testing.T, _ response) {
			assert.Equal(t, 401, authReplay(t, r, saved))
		}},
		{name: "the other sessions are over too", as: "~c", method: "GET", url: "/api/v1/me", wantStatus: 401},
		{name: "the old password is refused", as: "~e", method: "POST", url: "/api/v1/auth/login", body: login(demoPassword), wantStatus: 401},
		{name: "the new password works", as: "~e", method: "POST", url: "/api/v1/auth/login", body: login("new-pass-456"), wantStatus: 200, wantAudit: 1},
	}
}

// authThrottleCases: after five free failures an account is blocked with a growing
// delay; the block holds even for the right password, and other accounts behind the
// same address still log in.
func authThrottleCases() []apiCase {
	login := func(user, pw string) map[string]string { return map[string]string{"username": user, "password": pw} }
	var cases []apiCase
	for i := 1; i <= 6; i++ {
		cases = append(cases, apiCase{name: "failure " + strconv.Itoa(i), as: "~t", method: "POST", url: "/api/v1/auth/login",
			body: login("inspector", "guess-"+strconv.Itoa(i)), wantStatus: 401})
	}
	retryAfter := func(t *testing.T, res response) {
		secs, err := strconv.Atoi(res.Header.Get("Retry-After"))
		require.NoError(t, err, "Retry-After %q", res.Header.Get("Retry-After"))
		assert.GreaterOrEqual(t, secs, 1)
		assert.LessOrEqual(t, secs, 3)
	}
	return append(cases,
		apiCase{name: "blocked", as: "~t", method: "POST", url: "/api/v1/auth/login", body: login("inspector", "guess-7"),
			wantStatus: 429, wantBody: []string{"登录尝试过于频繁"}, check: retryAfter},
		apiCase{name: "blocked even with the right password", as: "~t", method: "POST", url: "/api/v1/auth/login",
			body: login("inspector", demoPassword), wantStatus: 429, check: retryAfter},
		apiCase{name: "blocked in English", as: "~t", method: "POST", url: "/api/v1/auth/login", header: apiEN,
			body: login("inspector", demoPassword), wantStatus: 429, wantBody: []string{"Too many login attempts"}},
		apiCase{name: "another account behind the same address logs in", as: "~t2", method: "POST", url: "/api/v1/auth/login",
			body: login("trainer", demoPassword), wantStatus: 200, wantAudit: 1},
	)
}

// authPanic makes a real write route panic inside its transaction (a GORM callback of
// this test's database, not a test route): the answer is a 500 problem with a request
// id and nothing of the panic, the transaction is rolled back, and the server goes on.
func authPanic(t *testing.T, r *apiRunner) {
	e := r.bind(t)
	var boom atomic.Bool
	require.NoError(t, e.db.Callback().Create().Before("gorm:create").Register("authtest:panic", func(*gorm.DB) {
		if boom.Load() {
			panic("boom: secret internal detail hunter2")
		}
	}))
	r.client(r.bind(t), "admin") // log in before the callback bites
	unit := map[string]any{"code": "360102-77", "name": "崩溃测试营业厅", "level": "outlet", "parent_id": e.unit("360102")}
	created := func(want int64) func(*testing.T, response) {
		return func(t *testing.T, _ response) {
			var n int64
			require.NoError(t, e.db.Model(&models.OrgUnit{}).Where("code = ?", "360102-77").Count(&n).Error)
			assert.Equal(t, want, n)
		}
	}
	boom.Store(true)
	r.run(t, []apiCase{
		{name: "a panic is a 500 problem", as: "admin", method: "POST", url: "/api/v1/org-units", body: unit,
			wantStatus: 500, wantBody: []string{"服务器内部错误"}, check: func(t *testing.T, res response) {
				for _, s := range []string{"boom", "hunter2", "panic", ".go:"} {
					assert.NotContains(t, res.Body, s)
				}
				assert.NotEmpty(t, apiProblemOf(t, res).RequestID)
				created(0)(t, res)
			}},
	})
	boom.Store(false)
	r.run(t, []apiCase{
		{name: "the server goes on", as: "admin", method: "POST", url: "/api/v1/org-units", body: unit, wantStatus: 201, wantAudit: 1, check: created(1)},
	})
}
