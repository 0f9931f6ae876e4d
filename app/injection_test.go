package app_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models/dbtest"
)

// sqlPayloads are what an attacker puts in a parameter.
var sqlPayloads = []string{
	"1 OR 1=1",
	"1) OR (1=1",
	"x' OR '1'='1' --",
	"1;DROP TABLE employees",
	"name desc, (SELECT 1)",
}

// openAPIParam is a parameter of the published document.
type openAPIParam struct {
	Name   string `json:"name"`
	In     string `json:"in"`
	Schema struct {
		Type string `json:"type"`
	} `json:"schema"`
}

// TestInjectionEveryParameter is SECURITY.md test 7 for every route at once: the
// OpenAPI document names each query and path parameter of every route, and a caller the
// route allows sends SQL in each of them. An integer parameter (every id, page, unit) must answer
// 400; a text parameter may answer anything but a 500; and afterwards nothing in the
// database has changed — no row in any table, no audit event.
func TestInjectionEveryParameter(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		// Each request goes to the first of these whom the route's roles allow, so the
		// parameter is parsed rather than refused by the role check.
		var callers []*client
		for _, u := range []string{"admin", "inspector", "manager", "trainer", "employee"} {
			callers = append(callers, e.login(u))
		}
		res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
		require.Equal(t, http.StatusOK, res.Code)
		var doc struct {
			Paths map[string]map[string]json.RawMessage
		}
		res.JSON(t, &doc)
		before := tableCounts(t, db)

		paths := make([]string, 0, len(doc.Paths))
		for p := range doc.Paths {
			paths = append(paths, p)
		}
		sort.Strings(paths)
		sent := 0
		for _, path := range paths {
			for method, raw := range doc.Paths[path] {
				if !slices.Contains(openAPIMethods, method) || path == "/logout" || path == "/api/v1/auth/logout" {
					continue // logging the admin out would end the walk
				}
				var op struct{ Parameters []openAPIParam }
				require.NoError(t, json.Unmarshal(raw, &op))
				for _, target := range op.Parameters {
					for _, payload := range sqlPayloads {
						u := injectURL(path, op.Parameters, target, payload)
						var res response
						for _, c := range callers {
							if res = c.do(strings.ToUpper(method), u, map[string]any{}); res.Code != http.StatusForbidden {
								break
							}
						}
						sent++
						label := strings.ToUpper(method) + " " + u
						assert.NotEqual(t, http.StatusInternalServerError, res.Code, "%s: %s", label, res.Body)
						if target.Schema.Type == "integer" {
							assert.Equal(t, http.StatusBadRequest, res.Code, "%s: an integer parameter holding SQL: %s", label, res.Body)
						}
					}
				}
			}
		}
		t.Logf("%d requests with SQL in a parameter", sent)
		assert.Equal(t, before, tableCounts(t, db), "a table changed")
	})
}

// injectURL fills path's parameters with 1, target with payload, and adds a query
// parameter when target is one.
func injectURL(path string, params []openAPIParam, target openAPIParam, payload string) string {
	for _, p := range params {
		if p.In != "path" {
			continue
		}
		v := "1"
		if p == target {
			v = payload
		}
		path = strings.ReplaceAll(path, "{"+p.Name+"}", url.PathEscape(v))
	}
	if target.In == "query" {
		path += "?" + url.Values{target.Name: {payload}}.Encode()
	}
	return path
}

// tableCounts counts the rows of every table but the ones that grow by themselves while
// requests are served (sessions are touched, failed logins counted).
func tableCounts(t *testing.T, db *gorm.DB) map[string]int64 {
	t.Helper()
	tables, err := db.Migrator().GetTables()
	require.NoError(t, err)
	counts := map[string]int64{}
	for _, table := range tables {
		if table == "sessions" || table == "login_throttles" {
			continue
		}
		var n int64
		require.NoError(t, db.Table(table).Count(&n).Error)
		counts[table] = n
	}
	return counts
}
