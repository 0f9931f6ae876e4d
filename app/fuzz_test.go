package app_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"gorm.io/gorm"

	"quality/models/dbtest"
)

// TestWritesRefuseHostileInput walks every write route of the role matrix as the admin
// (who may reach them all), each with its row's
// valid request bent many ways: every field of the body in turn null, of the wrong
// type, empty, negative, huge, a 22,000-character text, a formula, and one field a deep
// or long list; the body
// cut short, with trailing data, not JSON at all; the path's ids zero, negative,
// beyond any integer and not a number. No answer may be a 5xx: a bad input is the
// caller's error and says so. The slowest request is logged (speed is measured, not
// asserted, on this shared machine).
func TestWritesRefuseHostileInput(t *testing.T) {
	if testing.Short() {
		t.Skip("several thousand requests")
	}
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		rows := matrixRows()
		requests := 0
		var slowest time.Duration
		slowestWhat := ""
		// The admin reaches every write; the other roles' refusals come before any
		// body is read, and the role matrix covers them.
		const as = admin
		cl := e.login(as)
		for _, r := range rows {
			if r.method == get || r.ownSession {
				continue
			}
			target, body := r.prep(e, as)
			variants := bodyVariants(body)
			for _, p := range pathVariants(r.route, target) {
				variants = append(variants, variant{"path " + p, p, body})
			}
			for _, v := range variants {
				if v.target == "" {
					v.target = target
				}
				start := time.Now()
				res := sendRow(cl, r.method, v.target, v.body)
				if d := time.Since(start); d > slowest {
					slowest, slowestWhat = d, fmt.Sprintf("%s %s (%s)", r.method, r.route, v.name)
				}
				requests++
				if res.Code >= 500 {
					t.Errorf("%s as %s, %s: %s %s answered %d: %s", r, as, v.name, r.method, v.target, res.Code, clipBody(res.Body))
				}
			}
		}
		t.Logf("%d hostile requests; the slowest took %s: %s", requests, slowest.Round(time.Millisecond), slowestWhat)
	})
}

// variant is one bent request: what was bent, and the target and body to send ("" for
// the row's own target).
type variant struct {
	name   string
	target string
	body   any
}

// hostile are the values each field of a body is replaced with in turn.
var hostile = map[string]any{
	"null":       nil,
	"true":       true,
	"zero":       0,
	"negative":   -1,
	"huge":       1e300,
	"max int":    json.Number("18446744073709551616"),
	"fraction":   0.5,
	"empty text": "",
	// 66,000 bytes of UTF-8: past a MySQL TEXT column's 65,535.
	"long text":     strings.Repeat("长", 22000),
	"formula":       "=HYPERLINK(\"http://x\")",
	"control chars": "a\x00b\x1b[31m",
	"date text":     "2026-02-30",
	"object":        map[string]any{"a": map[string]any{"b": []any{1}}},
	"empty list":    []any{},
	"long list":     longList(20000),
	"deep list":     deepList(200),
}

func longList(n int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = i + 1
	}
	return out
}

func deepList(n int) any {
	var v any = 1
	for range n {
		v = []any{v}
	}
	return v
}

// bodyVariants bends a JSON or form body field by field; uploads and empty bodies get
// the raw variants only.
func bodyVariants(body any) []variant {
	raw := []variant{
		{"no body", "", nil},
		{"not JSON", "", "<xml/>"},
		{"cut short", "", `{"a":`},
		{"trailing data", "", `{}}`},
		{"a list", "", `[1,2]`},
		{"a string", "", `"x"`},
	}
	switch b := body.(type) {
	case formBody:
		var out []variant
		keys := make([]string, 0, len(b))
		for k := range b {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			for _, v := range []string{"", "-1", "99999999999999999999999", "=1+1", "\x00", strings.Repeat("长", 22000)} {
				f := formBody(url.Values(b))
				bent := formBody{}
				for kk, vv := range f {
					bent[kk] = vv
				}
				bent[k] = []string{v}
				out = append(out, variant{"form " + k, "", bent})
			}
		}
		return out
	case uploadBody, nil:
		return raw
	}
	buf, err := json.Marshal(body)
	if err != nil {
		return raw
	}
	var fields map[string]any
	if json.Unmarshal(buf, &fields) != nil {
		return raw
	}
	keys := make([]string, 0, len(fields))
	for k := range fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := raw
	names := make([]string, 0, len(hostile))
	for n := range hostile {
		names = append(names, n)
	}
	sort.Strings(names)
	for i, k := range keys {
		for _, n := range names {
			// The long lists go into one field a row: what they probe (the list
			// bounds, the decoder's depth) does not depend on the field, and each
			// costs a decode of 100 kB.
			if _, large := largeHostile[n]; large && i > 0 {
				continue
			}
			bent := make(map[string]any, len(fields))
			for kk, vv := range fields {
				bent[kk] = vv
			}
			bent[k] = hostile[n]
			out = append(out, variant{k + " " + n, "", bent})
		}
	}
	return out
}

// largeHostile are the hostile values of some size.
var largeHostile = map[string]bool{"long list": true, "deep list": true}

var idInPath = regexp.MustCompile(`/[0-9]+(/|$)`)

// pathVariants are target with its first id bent, for routes with a parameter.
func pathVariants(route, target string) []string {
	if !strings.Contains(route, ":") || !idInPath.MatchString(target) {
		return nil
	}
	var out []string
	for _, id := range []string{"0", "-1", "99999999999999999999999", "abc", "1.5", "%00"} {
		out = append(out, idInPath.ReplaceAllStringFunc(target, func(m string) string {
			end := ""
			if strings.HasSuffix(m, "/") {
				end = "/"
			}
			return "/" + id + end
		}))
	}
	return out
}
