package browser_test

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models/dbtest"
)

// axeSource is axe-core 4.14.1 (MPL-2.0, testdata/axe-LICENSE), the accessibility
// checker the sweep runs on every page.
//
//go:embed testdata/axe.min.js
var axeSource string

// sweepUsers are the demo's users, one per role and scope, and the anonymous visitor;
// "@en" reads the pages in English.
var sweepUsers = []string{"", "admin", "trainer", "inspector", "inspector2", "manager", "employee", "manager@en"}

// notCrawled are the pages a crawl from the home page cannot reach, each with the test
// that opens it instead.
var notCrawled = map[string]string{
	"/rankings/exports/{id}": "reached only by starting a download (POST); TestRankingWeb in app opens it",
}

// keyPages are written as screenshots at both widths.
var keyPages = []string{"/", "/exams", "/inspections", "/inspections/{id}", "/rectifications", "/rectifications/{id}",
	"/rankings", "/rankings/{unit_id}", "/patrols/{id}", "/cases/{id}", "/employees", "/audit", "/metrics", "/login"}

// TestEveryPage opens every page of the route table as each role that may, following
// the links a user would from the home page, at 390 px and at 1,280 px: no horizontal
// scroll, no console error, no failed request and no serious or critical axe-core
// violation. Then every page of the route table must have been opened by someone.
// SQLite alone: the pages are the same on both engines, the flows prove the engines.
func TestEveryPage(t *testing.T) {
	s := newSite(t, dbtest.SQLite(t))
	routes := pageRoutes(t, s.url)
	opened := map[string][]string{} // route → who opened it
	for _, user := range sweepUsers {
		who := user
		if who == "" {
			who = "anonymous"
		}
		tb := s.open(desktop)
		start := "/"
		name, english := strings.CutSuffix(user, "@en")
		if name == "" {
			start = "/login"
		} else {
			tb.login(name)
		}
		if english {
			tb.visit("/lang?to=en")
			require.Equal(t, "en", get(tb, chromedp.Evaluate[string](`document.documentElement.lang`)))
		}
		tb.problems()
		for _, r := range tb.crawl(start, routes) {
			opened[r] = append(opened[r], who)
		}
	}
	for _, r := range routes {
		if _, ok := notCrawled[r.Path]; ok {
			continue
		}
		assert.NotEmpty(t, opened[r.Path], "no user reached %s from the home page", r.Path)
	}
	var lines []string
	for p, who := range opened {
		lines = append(lines, fmt.Sprintf("%s: %s", p, strings.Join(who, ", ")))
	}
	sort.Strings(lines)
	t.Logf("pages opened (%d of %d):\n%s", len(opened), len(routes), strings.Join(lines, "\n"))
}

// pageRoute is one HTML page of the route table.
type pageRoute struct {
	Path string // as the OpenAPI document writes it: /inspections/{id}
	re   *regexp.Regexp
}

var paramRe = regexp.MustCompile(`\{[^}]+\}`)

// pageRoutes reads the HTML pages from the OpenAPI document, which is built from the
// route table.
func pageRoutes(t *testing.T, base string) []pageRoute {
	t.Helper()
	res, err := http.Get(base + "/api/v1/openapi.json")
	require.NoError(t, err)
	defer res.Body.Close()
	var doc struct {
		Paths map[string]map[string]struct {
			Tags      []string `json:"tags"`
			Responses map[string]struct {
				Content map[string]any `json:"content"`
			} `json:"responses"`
		} `json:"paths"`
	}
	require.NoError(t, json.NewDecoder(res.Body).Decode(&doc))
	var out []pageRoute
	for p, ops := range doc.Paths {
		get, ok := ops["get"]
		if !ok || !slices.Contains(get.Tags, "ui") {
			continue
		}
		if _, html := get.Responses["200"].Content["text/html"]; !html {
			continue
		}
		out = append(out, pageRoute{Path: p, re: regexp.MustCompile("^" + paramRe.ReplaceAllString(quoteAround(p), `[^/]+`) + "$")})
	}
	// Fixed paths before patterns: /exams/manage is not /exams/{id}.
	sort.Slice(out, func(i, j int) bool {
		pi, pj := strings.Count(out[i].Path, "{"), strings.Count(out[j].Path, "{")
		if pi != pj {
			return pi < pj
		}
		return out[i].Path < out[j].Path
	})
	require.NotEmpty(t, out)
	return out
}

// quoteAround quotes p for a regular expression, leaving its {params} as they are.
func quoteAround(p string) string {
	var b strings.Builder
	last := 0
	for _, m := range paramRe.FindAllStringIndex(p, -1) {
		b.WriteString(regexp.QuoteMeta(p[last:m[0]]))
		b.WriteString(p[m[0]:m[1]])
		last = m[1]
	}
	b.WriteString(regexp.QuoteMeta(p[last:]))
	return b.String()
}

func routeOf(routes []pageRoute, path string) (string, bool) {
	for _, r := range routes {
		if r.re.MatchString(path) {
			return r.Path, true
		}
	}
	return "", false
}

// crawl opens start and every page reachable from it by links, one page per route
// (the first link found), and checks each at both widths. It returns the routes
// opened.
func (tb *tab) crawl(start string, routes []pageRoute) []string {
	tb.t.Helper()
	seen := map[string]bool{}
	var opened []string
	queue := []string{start}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		u, err := url.Parse(p)
		require.NoError(tb.t, err)
		route, ok := routeOf(routes, u.Path)
		if !ok || seen[route] {
			continue
		}
		seen[route] = true
		opened = append(opened, route)
		for _, link := range tb.check(p, route) {
			queue = append(queue, link)
		}
	}
	return opened
}

// check opens path and checks it at 1,280 and at 390 px, returning the same-origin
// links of the page.
func (tb *tab) check(path, route string) []string {
	tb.t.Helper()
	tb.resize(desktop)
	tb.visit(path)
	links := get(tb, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("a[href]")).map(a => a.href)`))
	for _, vp := range []viewport{desktop, phone} {
		tb.resize(vp)
		where := fmt.Sprintf("%s (%s)", path, route)
		overflow := get(tb, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`))
		if overflow > 1 {
			tb.t.Errorf("%s scrolls sideways by %d px at %s px: %s", where, overflow, vp.Name, strings.Join(tb.overflowing(), "; "))
		}
		if vp == desktop {
			// On a desktop a table is laid out as one: no style meant for phones leaks in.
			broken := get(tb, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("main table")).filter(t => getComputedStyle(t).display !== "table").map(t => t.className + ": " + getComputedStyle(t).display)`))
			assert.Empty(tb.t, broken, "%s at %s px: tables not laid out as tables", where, vp.Name)
		} else {
			// On a phone a card's value stays one piece beside its label, however many
			// pieces it is made of (text and a badge, a link and a note).
			split := get(tb, chromedp.Evaluate[int](`Array.from(document.querySelectorAll("main table.stacked td")).filter(td => getComputedStyle(td).display === "flex" && td.childNodes.length > 1).length`))
			assert.Zero(tb.t, split, "%s at %s px: card values split into pieces", where, vp.Name)
		}
		for _, v := range tb.axe() {
			tb.t.Errorf("%s at %s px: axe %s", where, vp.Name, v)
		}
		tb.noProblems(where)
		if slices.Contains(keyPages, route) {
			tb.shot(strings.ReplaceAll(strings.Trim(route, "/"), "/", "_") + "_" + tb.user)
		}
	}
	var out []string
	for _, l := range links {
		u, err := url.Parse(l)
		if err != nil || !strings.HasPrefix(l, tb.s.url+"/") {
			continue
		}
		if strings.HasPrefix(u.Path, "/api/") || strings.HasPrefix(u.Path, "/static/") || u.Path == "/lang" {
			continue
		}
		out = append(out, u.RequestURI())
	}
	return out
}

// axe runs axe-core on the page and returns its serious and critical violations.
func (tb *tab) axe() []string {
	tb.t.Helper()
	type violation struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []string `json:"target"`
		} `json:"nodes"`
	}
	loaded := get(tb, chromedp.Evaluate[bool](`typeof window.axe === "object"`))
	if !loaded {
		get(tb, chromedp.Evaluate[chromedp.Void](axeSource))
	}
	vs := get(tb, chromedp.Evaluate[[]violation](`axe.run(document, {resultTypes: ["violations"]}).then(r => r.violations)`, chromedp.EvalAwaitPromise))
	var out []string
	for _, v := range vs {
		if v.Impact != "serious" && v.Impact != "critical" {
			continue
		}
		var targets []string
		for i, n := range v.Nodes {
			if i == 3 {
				targets = append(targets, fmt.Sprintf("… %d in all", len(v.Nodes)))
				break
			}
			targets = append(targets, strings.Join(n.Target, " "))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s — %s", v.ID, v.Impact, v.Help, strings.Join(targets, "; ")))
	}
	return out
}

// overflowing names the outermost elements that stick out of the viewport on the right.
func (tb *tab) overflowing() []string {
	tb.t.Helper()
	return get(tb, chromedp.Evaluate[[]string](`(() => {
		const w = document.documentElement.clientWidth, out = [];
		for (const el of document.querySelectorAll("body *")) {
			const r = el.getBoundingClientRect();
			if (r.right > w + 1 && !(el.parentElement && el.parentElement.getBoundingClientRect().right > w + 1)) {
				out.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + String(el.className).split(" ").join(".") : "") + " " + Math.round(r.right) + "px");
			}
			if (out.length === 5) break;
		}
		return out;
	})()`))
}
