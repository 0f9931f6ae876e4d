package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/apiclient"
	"quality/models/dbtest"
	"quality/seeds"
)

var updateClient = flag.Bool("update", false, "rewrite apiclient/openapi.json and apiclient/client.gen.go from the served document")

// TestOpenAPIClientUpToDate: apiclient/openapi.json is the document the app serves, and
// client.gen.go is what oapi-codegen makes of it with apiclient/oapi-codegen.yaml, so the
// committed client cannot drift from the route table. `go test ./app -run
// TestOpenAPIClientUpToDate -update` rewrites both. The generator is the go.mod tool,
// built from the module cache: no network once `go mod download` has run.
func TestOpenAPIClientUpToDate(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	var served bytes.Buffer
	require.NoError(t, json.Indent(&served, []byte(res.Body), "", "  "))
	served.WriteString("\n")

	dir, err := filepath.Abs("../apiclient")
	require.NoError(t, err)
	spec := filepath.Join(t.TempDir(), "openapi.json")
	require.NoError(t, os.WriteFile(spec, served.Bytes(), 0o644))
	gen := exec.Command("go", "tool", "oapi-codegen", "-config", "oapi-codegen.yaml", spec)
	gen.Dir = dir
	var stderr bytes.Buffer
	gen.Stderr = &stderr
	code, err := gen.Output()
	require.NoError(t, err, "oapi-codegen: %s", stderr.String())

	if *updateClient {
		require.NoError(t, os.WriteFile(filepath.Join(dir, "openapi.json"), served.Bytes(), 0o644))
		require.NoError(t, os.WriteFile(filepath.Join(dir, "client.gen.go"), code, 0o644))
		return
	}
	committed, err := os.ReadFile(filepath.Join(dir, "openapi.json"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(served.Bytes(), committed),
		"apiclient/openapi.json is not the served document: go test ./app -run TestOpenAPIClientUpToDate -update")
	client, err := os.ReadFile(filepath.Join(dir, "client.gen.go"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(code, client),
		"apiclient/client.gen.go is not what oapi-codegen makes of the served document: go test ./app -run TestOpenAPIClientUpToDate -update")
}

// TestOpenAPIClientLogsIn: the generated client, over a real connection with a cookie
// jar as any HTTP client has, is refused a wrong password with a parsed 401 problem, logs
// in, reads GET /api/v1/me with the session cookie, and logs out with the CSRF token the
// document says to send back.
func TestOpenAPIClientLogsIn(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })

	jar, err := cookiejar.New(nil)
	require.NoError(t, err)
	c, err := apiclient.NewClientWithResponses("http://"+ln.Addr().String()+"/", apiclient.WithHTTPClient(&http.Client{Jar: jar}))
	require.NoError(t, err)
	ctx := context.Background()
	user, wrong, right := seeds.AdminUsername, "not-the-password", adminPassword

	refused, err := c.PostApiV1AuthLoginWithResponse(ctx, apiclient.AppLoginInput{Username: &user, Password: &wrong})
	require.NoError(t, err)
	require.Equal(t, http.StatusUnauthorized, refused.StatusCode(), string(refused.Body))
	require.NotNil(t, refused.ApplicationproblemJSON401, "the 401 is not parsed as a problem")
	assert.Equal(t, http.StatusUnauthorized, *refused.ApplicationproblemJSON401.Status)

	login, err := c.PostApiV1AuthLoginWithResponse(ctx, apiclient.AppLoginInput{Username: &user, Password: &right})
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, login.StatusCode(), string(login.Body))
	require.NotNil(t, login.JSON200)
	require.NotNil(t, login.JSON200.CsrfToken)

	me, err := c.GetApiV1MeWithResponse(ctx)
	require.NoError(t, err)
	require.Equal(t, http.StatusOK, me.StatusCode(), string(me.Body))
	require.NotNil(t, me.JSON200)
	require.NotNil(t, me.JSON200.User)
	assert.Equal(t, user, *me.JSON200.User.Username)

	csrf := func(_ context.Context, req *http.Request) error {
		req.Header.Set("X-Csrf-Token", *login.JSON200.CsrfToken)
		return nil
	}
	out, err := c.PostApiV1AuthLogoutWithResponse(ctx, csrf)
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, out.StatusCode(), string(out.Body))
	after, err := c.GetApiV1MeWithResponse(ctx)
	require.NoError(t, err)
	assert.Equal(t, http.StatusUnauthorized, after.StatusCode())
	assert.NotNil(t, after.ApplicationproblemJSON401)
}
