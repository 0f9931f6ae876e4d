package app_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/stretchr/testify/require"

	"quality/models/dbtest"
)

// A panic in a handler becomes a 500 problem with a request id and nothing of the
// panic or its stack; the server goes on serving.
func TestPanicIsA500ProblemWithoutInternals(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	e.app.Get("/api/v1/test-panic", func(c *fiber.Ctx) error { panic("secret internal detail: db password hunter2") })

	res := e.anon().do(http.MethodGet, "/api/v1/test-panic", nil)
	require.Equal(t, http.StatusInternalServerError, res.Code)
	require.Equal(t, "application/problem+json; charset=utf-8", res.Header.Get("Content-Type"))
	require.NotContains(t, res.Body, "hunter2")
	require.NotContains(t, res.Body, "goroutine")
	var p map[string]any
	res.JSON(t, &p)
	require.EqualValues(t, 500, p["status"])
	require.NotEmpty(t, p["request_id"])
	require.Equal(t, res.Header.Get("X-Request-Id"), p["request_id"])

	require.Equal(t, http.StatusOK, e.anon().do(http.MethodGet, "/healthz", nil).Code)
	require.Equal(t, http.StatusNotFound, e.anon().do(http.MethodGet, "/api/v1/nothing-here", nil).Code)
}

func TestUnknownRouteIsProblemJSON(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.anon().do(http.MethodGet, "/api/v1/nothing-here", nil)
	require.Equal(t, http.StatusNotFound, res.Code)
	var p map[string]any
	require.NoError(t, json.Unmarshal([]byte(res.Body), &p))
	require.Equal(t, "没有这个接口", p["title"])
}

// An unknown page answers the page 页面不存在 (404), not the API's "没有这个接口", to a
// visitor and to a signed-in user; the icon browsers ask for by themselves is there,
// and every page links it.
func TestUnknownPageAndFavicon(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	for name, c := range map[string]*client{"anonymous": e.anon(), "manager": e.login(manager)} {
		res := c.do(http.MethodGet, "/no-such-page", nil)
		require.Equal(t, http.StatusNotFound, res.Code, name)
		require.Contains(t, res.Header.Get("Content-Type"), "text/html", name)
		require.Contains(t, res.Body, "页面不存在", name)
		require.NotContains(t, res.Body, "没有这个接口", name)
	}
	for _, path := range []string{"/favicon.ico", "/static/favicon.svg"} {
		res := e.anon().do(http.MethodGet, path, nil)
		require.Equal(t, http.StatusOK, res.Code, path)
		require.Equal(t, "image/svg+xml", res.Header.Get("Content-Type"), path)
		require.Contains(t, res.Body, "<svg", path)
	}
	res := e.anon().do(http.MethodGet, "/login", nil)
	require.Contains(t, res.Body, `<link rel="icon" href="/static/favicon.svg"`)
}
