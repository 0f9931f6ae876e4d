package app_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"maps"
	"net"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models/dbtest"
)

// openAPIMethods are the keys of an OpenAPI path item that are operations.
var openAPIMethods = []string{"get", "put", "post", "delete", "options", "head", "patch", "trace"}

var fiberParamRE = regexp.MustCompile(`:([A-Za-z0-9_]+)\??`)

// TestOpenAPICoversEveryRoute: the published document lists every registered route,
// documents nothing that is not served, and every operation has a summary and responses.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)

	var doc struct {
		OpenAPI string `json:"openapi"`
		Info    struct{ Title, Version string }
		Paths   map[string]map[string]json.RawMessage
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc), "the document is not JSON")
	assert.True(t, strings.HasPrefix(doc.OpenAPI, "3."), "openapi is %q, want 3.x", doc.OpenAPI)
	assert.NotEmpty(t, doc.Info.Title, "info.title")
	assert.NotEmpty(t, doc.Info.Version, "info.version")

	documented := map[string]bool{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains(openAPIMethods, method) {
				continue // path-level parameters, summary, $ref
			}
			key := strings.ToUpper(method) + " " + path
			documented[key] = true
			var op struct {
				Summary   string
				Responses map[string]json.RawMessage
			}
			if !assert.NoError(t, json.Unmarshal(raw, &op), "%s is not an operation object", key) {
				continue
			}
			assert.NotEmpty(t, strings.TrimSpace(op.Summary), "%s has no summary", key)
			assert.NotEmpty(t, op.Responses, "%s has no responses", key)
		}
	}

	served := map[string]bool{}
	for k := range registeredRoutes(e) {
		method, path, _ := strings.Cut(k, " ")
		served[method+" "+fiberParamRE.ReplaceAllString(path, "{$1}")] = true
	}
	for _, k := range sortedKeys(served) {
		assert.True(t, documented[k], "route %s is not in the OpenAPI document", k)
	}
	for _, k := range sortedKeys(documented) {
		assert.True(t, served[k], "the OpenAPI document lists %s, which is not served", k)
	}
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestOpenAPILintClean checks structurally what Redocly's recommended rules
// (`npx @redocly/cli lint`, see the README) found missing: a server, a licence with a
// URL, at least one 4xx response per operation besides default, each a problem response
// the document defines, and no two path templates one URL could match.
func TestOpenAPILintClean(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	var doc struct {
		Servers []struct{ URL string }
		Info    struct {
			License *struct{ Name, URL string }
		}
		Paths      map[string]map[string]json.RawMessage
		Components struct {
			Responses map[string]struct {
				Description string
				Content     map[string]json.RawMessage
			}
		}
	}
	res.JSON(t, &doc)

	require.NotEmpty(t, doc.Servers, "servers")
	assert.NotEmpty(t, doc.Servers[0].URL, "servers[0].url")
	require.NotNil(t, doc.Info.License, "info.license")
	assert.NotEmpty(t, doc.Info.License.Name, "info.license.name")
	if assert.NotEmpty(t, doc.Info.License.URL, "info.license.url") {
		// The licence URL is relative to the server, which serves it.
		lic := e.anon().do(http.MethodGet, doc.Info.License.URL, nil)
		assert.Equal(t, http.StatusOK, lic.Code, "GET %s", doc.Info.License.URL)
	}

	used := map[string]bool{}
	operationIDs := map[string]string{}
	for path, item := range doc.Paths {
		for method, raw := range item {
			if !slices.Contains(openAPIMethods, method) {
				continue
			}
			key := strings.ToUpper(method) + " " + path
			var op struct {
				OperationID string
				Responses   map[string]struct {
					Ref string `json:"$ref"`
				}
			}
			require.NoError(t, json.Unmarshal(raw, &op), key)
			if other, dup := operationIDs[op.OperationID]; dup {
				t.Errorf("%s and %s share the operationId %q", key, other, op.OperationID)
			}
			operationIDs[op.OperationID] = key
			n4xx := 0
			for code, resp := range op.Responses {
				if resp.Ref != "" {
					name := strings.TrimPrefix(resp.Ref, "#/components/responses/")
					used[name] = true
					r, ok := doc.Components.Responses[name]
					if assert.True(t, ok, "%s %s refers to %s, which is not defined", key, code, resp.Ref) {
						assert.NotEmpty(t, r.Content, "%s has no content", resp.Ref)
					}
				}
				if strings.HasPrefix(code, "4") {
					n4xx++
					assert.NotEmpty(t, resp.Ref, "%s %s is not a shared problem response", key, code)
				}
			}
			assert.NotZero(t, n4xx, "%s lists no 4xx response besides default", key)
		}
	}
	for name := range doc.Components.Responses {
		assert.True(t, used[name], "components.responses.%s is not used", name)
	}

	paths := slices.Sorted(maps.Keys(doc.Paths))
	for i, a := range paths {
		for _, b := range paths[i+1:] {
			assert.False(t, ambiguousPaths(a, b), "%s and %s can match the same URL", a, b)
		}
	}
}

// ambiguousPaths is Redocly's no-ambiguous-paths test: the same number of segments and
// of parameters, and every pair of literal segments equal.
func ambiguousPaths(a, b string) bool {
	pa, pb := strings.Split(a, "/"), strings.Split(b, "/")
	if len(pa) != len(pb) {
		return false
	}
	isVar := func(s string) bool { return strings.HasPrefix(s, "{") && strings.HasSuffix(s, "}") }
	va, vb := 0, 0
	for i := range pa {
		switch {
		case isVar(pa[i]) || isVar(pb[i]):
			if isVar(pa[i]) {
				va++
			}
			if isVar(pb[i]) {
				vb++
			}
		case pa[i] != pb[i]:
			return false
		}
	}
	return va == vb
}

// TestOpenAPIBodyLimitEverywhere: the document lists 413 on every operation because the
// body limit refuses any request, a GET of /healthz too, from its headers, before
// routing. Over a real connection, as in importOverBodyLimit: app.Test cannot.
func TestOpenAPIBodyLimitEverywhere(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	go func() { _ = e.app.Listener(ln) }()
	t.Cleanup(func() { _ = e.app.Shutdown() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	require.NoError(t, err)
	defer conn.Close()
	require.NoError(t, conn.SetDeadline(time.Now().Add(10*time.Second)))
	_, err = fmt.Fprintf(conn, "GET /healthz HTTP/1.1\r\nHost: %s\r\nContent-Length: %d\r\n\r\n", ln.Addr(), 13<<20)
	require.NoError(t, err)
	req, err := http.NewRequest(http.MethodGet, "http://"+ln.Addr().String()+"/healthz", nil)
	require.NoError(t, err)
	res, err := http.ReadResponse(bufio.NewReader(conn), req)
	require.NoError(t, err)
	defer res.Body.Close()
	assert.Equal(t, http.StatusRequestEntityTooLarge, res.StatusCode)
	assert.Equal(t, "application/problem+json; charset=utf-8", res.Header.Get("Content-Type"))
}

// TestOpenAPIAmbiguousPaths: ambiguousPaths flags what Redocly flagged before the moves.
func TestOpenAPIAmbiguousPaths(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"/x/{id}", "/x/import", false}, // different numbers of parameters
		{"/x/{id}", "/x/{code}", true},
		{"/api/v1/certificates/verify/{code}", "/api/v1/certificates/{id}/revoke", true},
		{"/api/v1/rankings/exports/{id}", "/api/v1/rankings/{unit_id}/explain", true},
		{"/api/v1/rankings/exports/{id}", "/api/v1/rankings/units/{unit_id}", false},
		{"/a/{id}/b", "/a/{id}/b/c", false},
	} {
		assert.Equal(t, c.want, ambiguousPaths(c.a, c.b), "%s vs %s", c.a, c.b)
	}
}
