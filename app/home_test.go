package app_test

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/storage"
)

// homeTile is one tile as the home page shows it.
type homeTile struct {
	Link  string
	Value string
}

var tileRE = regexp.MustCompile(`id="tile-(\w+)" href="([^"]*)">\s*<strong[^>]*>([^<]*)</strong>`)

// homeTiles reads the tiles of the caller's home page.
func homeTiles(t *testing.T, c *client) map[string]homeTile {
	t.Helper()
	res := c.do(http.MethodGet, "/", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	out := map[string]homeTile{}
	for _, m := range tileRE.FindAllStringSubmatch(res.Body, -1) {
		out[m[1]] = homeTile{Link: html.UnescapeString(m[2]), Value: m[3]}
	}
	return out
}

// n is a tile's count.
func (h homeTile) n(t *testing.T) int64 {
	t.Helper()
	v, err := strconv.ParseInt(h.Value, 10, 64)
	require.NoError(t, err, h.Value)
	return v
}

// apiTotal is the total of a JSON list.
func apiTotal(t *testing.T, c *client, url string) int64 {
	t.Helper()
	res := c.do(http.MethodGet, url, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	var l struct {
		Total int64 `json:"total"`
	}
	res.JSON(t, &l)
	return l.Total
}

var listTotalRE = regexp.MustCompile(`id="list-total">(\d+)<`)

// pageTotal is the total a list page shows.
func pageTotal(t *testing.T, c *client, url string) int64 {
	t.Helper()
	res := c.do(http.MethodGet, url, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	m := listTotalRE.FindStringSubmatch(res.Body)
	require.NotNil(t, m, "%s shows no total", url)
	v, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	return v
}

// api is the API list of a page link, one row a page.
func api(link string) string {
	if strings.Contains(link, "?") {
		return "/api/v1" + link + "&per_page=1"
	}
	return "/api/v1" + link + "?per_page=1"
}

// TestHomeBoards: each role sees its own tiles and no others', and each count is what
// the list behind its link holds, in the same scope (manager over 东湖区, inspector over
// 南昌), on the demo supervision data plus a few fresh records.
func TestHomeBoards(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		// The demo's supervision of the harness's two cities, not the province's year.
		_, err := seeds.LoadDemoSupervision(context.Background(), db, storage.NewLocal(t.TempDir()), time.Now(), "3601", "3604")
		require.NoError(t, err)
		e.freshInspection(inspector, "360102-01", draftInspection, false)
		// A draft in the inspector's scope that is not theirs.
		e.freshInspection(seeds.AdminUsername, "360102-01", draftInspection, false)
		e.freshFinding("360102-01") // an open rectification of 东湖区
		e.freshCase("360102", "360102-01001", false)
		heard := e.freshCase("360102", "360102-01001", false) // open, its person heard
		require.NoError(t, db.Model(&models.CasePerson{}).Where("case_id = ?", heard.ID).
			Updates(map[string]any{"statement": "已陈述", "statement_at": time.Now().UTC()}).Error)
		e.freshPlan("360102")
		e.openRect("360102-02", models.Date{Year: 2025, Month: 1, Day: 1}) // escalated to the province now
		_, err = e.rectSvc().Sweep(context.Background())
		require.NoError(t, err)

		mine := []string{"handbook", "exams", "my_certs"}
		roleTiles := map[string][]string{
			manager:             {"rect_open", "rect_overdue", "cases_statement", "staff_handbook", "onboarding_overdue", "certs_expiring"},
			inspector:           {"stops_due", "stops_missed", "drafts", "rect_submitted"},
			seeds.AdminUsername: {"admin_rect_overdue", "escalations", "cases_open"},
			"trainer":           {"exam_drafts", "coverage"},
			"employee":          mine,
		}
		boards := map[string]map[string]homeTile{}
		for user, want := range roleTiles {
			got := homeTiles(t, e.login(user))
			boards[user] = got
			for _, id := range want {
				assert.Contains(t, got, id, "%s sees %s", user, id)
			}
			for other, tiles := range roleTiles {
				if other == user || other == "employee" {
					continue
				}
				for _, id := range tiles {
					assert.NotContains(t, got, id, "%s does not see %s", user, id)
				}
			}
		}

		// Manager (东湖区): each count is the total of the same list on the API.
		mc := e.login(manager)
		mb := boards[manager]
		assert.Positive(t, mb["rect_open"].n(t))
		for id, url := range map[string]string{
			"rect_open":          "/api/v1/rectifications?status=open&per_page=1",
			"rect_overdue":       "/api/v1/rectifications?overdue=true&per_page=1",
			"staff_handbook":     "/api/v1/handbook/pending?per_page=1",
			"onboarding_overdue": "/api/v1/onboarding/overdue?per_page=1",
			"certs_expiring":     "/api/v1/certificates?status=expiring&per_page=1",
		} {
			assert.Equal(t, apiTotal(t, mc, url), mb[id].n(t), id)
		}
		assert.Equal(t, "/rectifications?status=open", mb["rect_open"].Link)
		// The fresh case has a statement pending, the heard one not: the tile counts
		// what its list shows, on the page and on the API, fewer than the open cases.
		assert.Equal(t, "/cases?awaiting_statement=1", mb["cases_statement"].Link)
		assert.Positive(t, mb["cases_statement"].n(t))
		assert.Equal(t, pageTotal(t, mc, mb["cases_statement"].Link), mb["cases_statement"].n(t))
		assert.Equal(t, apiTotal(t, mc, api(mb["cases_statement"].Link)), mb["cases_statement"].n(t))
		assert.Less(t, mb["cases_statement"].n(t), apiTotal(t, mc, "/api/v1/cases?status=open&per_page=1"))
		assert.Equal(t, "/onboarding/overdue", mb["onboarding_overdue"].Link)
		assert.Equal(t, pageTotal(t, mc, mb["onboarding_overdue"].Link), mb["onboarding_overdue"].n(t))
		// The page behind a link answers for the manager.
		for _, id := range roleTiles[manager] {
			res := mc.do(http.MethodGet, mb[id].Link, nil)
			assert.Equal(t, http.StatusOK, res.Code, mb[id].Link)
		}

		// Inspector (南昌).
		ic := e.login(inspector)
		ib := boards[inspector]
		// Drafts: the inspector's own, not the admin's in the same scope.
		assert.Positive(t, ib["drafts"].n(t))
		assert.Equal(t, "/inspections?inspector=me&status=draft", ib["drafts"].Link)
		assert.Equal(t, apiTotal(t, ic, api(ib["drafts"].Link)), ib["drafts"].n(t))
		assert.Equal(t, pageTotal(t, ic, ib["drafts"].Link), ib["drafts"].n(t))
		assert.Less(t, ib["drafts"].n(t), apiTotal(t, ic, "/api/v1/inspections?status=draft&per_page=1"))
		assert.Equal(t, apiTotal(t, ic, "/api/v1/rectifications?status=submitted&per_page=1"), ib["rect_submitted"].n(t))
		var me models.User
		require.NoError(t, db.Where("username = ?", inspector).Take(&me).Error)
		res := ic.do(http.MethodGet, fmt.Sprintf("/api/v1/patrol-plans?inspector_id=%d&per_page=200", me.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var plans struct {
			Items []struct {
				ID       uint `json:"id"`
				Coverage struct {
					Missed int64 `json:"missed"`
				} `json:"coverage"`
			} `json:"items"`
		}
		res.JSON(t, &plans)
		require.NotEmpty(t, plans.Items)
		var missed, due int64
		for _, p := range plans.Items {
			missed += p.Coverage.Missed
			res := ic.do(http.MethodGet, fmt.Sprintf("/api/v1/patrol-plans/%d", p.ID), nil)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
			var v struct {
				Today string `json:"today"`
				Stops []struct {
					DueOn  string `json:"due_on"`
					Status string `json:"status"`
				} `json:"stops"`
			}
			res.JSON(t, &v)
			today, err := time.Parse(time.DateOnly, v.Today)
			require.NoError(t, err)
			last := today.AddDate(0, 0, 6).Format(time.DateOnly)
			for _, st := range v.Stops {
				if st.Status == "pending" && st.DueOn <= last {
					due++
				}
			}
		}
		assert.Equal(t, missed, ib["stops_missed"].n(t))
		assert.Equal(t, due, ib["stops_due"].n(t))
		assert.Positive(t, due+missed, "the demo and the fresh plan give the inspector stops")
		for _, id := range roleTiles[inspector] {
			res := ic.do(http.MethodGet, ib[id].Link, nil)
			assert.Equal(t, http.StatusOK, res.Code, ib[id].Link)
		}

		// Admin (the province): escalations to the province of the last 7 days, and
		// the open cases, as their pages and the API list them.
		ac := e.login(seeds.AdminUsername)
		ab := boards[seeds.AdminUsername]
		from := models.DateOf(e.rectSvc().Today().Time().AddDate(0, 0, -6)).String()
		assert.Equal(t, "/escalations?from="+from+"&level=province", ab["escalations"].Link)
		assert.Positive(t, ab["escalations"].n(t))
		assert.Equal(t, pageTotal(t, ac, ab["escalations"].Link), ab["escalations"].n(t))
		assert.Equal(t, apiTotal(t, ac, api(ab["escalations"].Link)), ab["escalations"].n(t))
		assert.Less(t, ab["escalations"].n(t), apiTotal(t, ac, "/api/v1/escalations?per_page=1"), "the reminders and city levels are not the province's")
		assert.Equal(t, pageTotal(t, ac, ab["cases_open"].Link), ab["cases_open"].n(t))
		assert.Equal(t, apiTotal(t, ac, api(ab["cases_open"].Link)), ab["cases_open"].n(t))
		for _, id := range roleTiles[seeds.AdminUsername] {
			res := ac.do(http.MethodGet, ab[id].Link, nil)
			assert.Equal(t, http.StatusOK, res.Code, ab[id].Link)
		}
	})
}

// TestHomeWithoutEmployeeInEnglish: the admin has no employee, so no personal tiles;
// the page renders in English with the English labels.
func TestHomeWithoutEmployeeInEnglish(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ac := e.login(seeds.AdminUsername)
		got := homeTiles(t, ac)
		assert.NotContains(t, got, "handbook")
		assert.Contains(t, got, "cases_open")
		res := ac.do(http.MethodGet, "/lang?to=en", nil)
		require.Equal(t, http.StatusSeeOther, res.Code)
		res = ac.do(http.MethodGet, "/", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "Overdue rectifications")
		assert.Contains(t, res.Body, "Open accountability cases")
		assert.NotContains(t, res.Body, "home.")
	})
}
