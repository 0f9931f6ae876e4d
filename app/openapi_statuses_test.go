package app_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/stretchr/testify/require"
)

// documentedOp is one operation of the OpenAPI document with the 4xx statuses it lists.
type documentedOp struct {
	method, pattern string
	re              *regexp.Regexp
	codes           map[int]bool
}

// documented4xx is every operation of the document in the order the app matches its
// routes, read once: the document does not depend on the database.
var documented4xx struct {
	once sync.Once
	ops  []documentedOp
}

// checkDocumented fails the test when a request answered a 4xx that the OpenAPI
// document does not list for the operation that served it. Every request of every test
// passes here, so the document names the problem responses routes really give, not a
// guess at them; a status with no operation (an unknown route) is not checked.
func (c *client) checkDocumented(req *http.Request, code int) {
	if code < 400 || code > 499 {
		return
	}
	c.e.t.Helper()
	documented4xx.once.Do(func() { documented4xx.ops = readDocumented4xx(c.e) })
	method := req.Method
	if method == http.MethodHead {
		method = http.MethodGet
	}
	for _, op := range documented4xx.ops {
		if op.method != method || !op.re.MatchString(req.URL.Path) {
			continue
		}
		if !op.codes[code] {
			c.e.t.Errorf("%s %s answered %d, which the OpenAPI document does not list for %s %s", req.Method, req.URL.Path, code, op.method, op.pattern)
		}
		return
	}
}

func readDocumented4xx(e *env) []documentedOp {
	res, err := e.app.Test(httptest.NewRequest(http.MethodGet, "/api/v1/openapi.json", nil), -1)
	require.NoError(e.t, err)
	defer res.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]json.RawMessage
		}
	}
	require.NoError(e.t, json.NewDecoder(res.Body).Decode(&doc))
	var ops []documentedOp
	// GetRoutes keeps the order the routes were added in, which is the order Fiber tries them.
	for _, r := range e.app.GetRoutes(true) {
		item, ok := doc.Paths[fiberParamRE.ReplaceAllString(r.Path, "{$1}")][strings.ToLower(r.Method)]
		if !ok {
			continue // HEAD for a GET, middleware
		}
		codes := map[int]bool{}
		for k := range item.Responses {
			if n, err := strconv.Atoi(k); err == nil {
				codes[n] = true
			}
		}
		// Fiber matches paths case-insensitively and with or without a trailing slash.
		re := regexp.MustCompile("(?i)^" + routeParamRE.ReplaceAllString(regexp.QuoteMeta(r.Path), `[^/]+`) + "/?$")
		ops = append(ops, documentedOp{method: r.Method, pattern: r.Path, re: re, codes: codes})
	}
	return ops
}
