package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/app"
	"quality/models/dbtest"
)

// TestEdgesTrailingJSON: SECURITY.md "Bodies are strict": a body is one JSON value, so
// anything but whitespace after it is a 400 problem on every route that reads one (all
// of them share bindJSON); whitespace after the value is accepted.
func TestEdgesTrailingJSON(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	emp, tr, insp := e.login(employee), e.login(trainer), e.login(inspector)
	sess := e.freshSession(true)
	cases := []struct {
		name   string
		as     *client
		method string
		url    string
		body   string
	}{
		{"a closing brace too many", emp, http.MethodPut, "/api/v1/attempts/1/answers/1", `{"seq":2}}`},
		{"a word after the object", insp, http.MethodPost, "/api/v1/cases", `{"title":"a"} x`},
		{"closing brackets", tr, http.MethodPost, "/api/v1/exams", `{"org_unit_ids":[1]}]]`},
		{"two objects", emp, http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess), `{"code":"000000"}{"code":"111111"}`},
		{"a second value after whitespace", tr, http.MethodPut, "/api/v1/onboarding/plan", "{\"due_days\":30}\n 1"},
		{"login, before any session", e.anon(), http.MethodPost, "/api/v1/auth/login", `{"username":"admin","password":"x"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.as.do(tc.method, tc.url, tc.body)
			require.Equal(t, http.StatusBadRequest, res.Code, res.Body)
			assert.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
			var p app.Problem
			res.JSON(t, &p)
			assert.Equal(t, http.StatusBadRequest, p.Status)
			assert.Equal(t, "请求体不是有效的 JSON", p.Title)
		})
	}

	// Whitespace after the value is not data: the body is read, the wrong code refused.
	res := emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess), "{\"code\":\"000000\"} \r\n\t")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
}
