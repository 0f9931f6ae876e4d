package app_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

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
