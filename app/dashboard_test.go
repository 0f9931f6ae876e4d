package app_test

import (
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/rectifications/rectest"
	"quality/seeds"
)

// dashCell is one number of a dashboard table.
type dashCell struct{ Text, Link string }

var (
	dashRowRE  = regexp.MustCompile(`<tr><th scope="row">([^<]*)</th>(.*?)</tr>`)
	dashCellRE = regexp.MustCompile(`<td class="num">(?:<a href="([^"]*)">)?([^<]*)`)
)

// dashboard reads the caller's dashboard tables: measure → row name → cells by month,
// oldest first; nil when the home page has none.
func dashboard(t *testing.T, c *client) map[string]map[string][]dashCell {
	t.Helper()
	res := c.do(http.MethodGet, "/", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	if !strings.Contains(res.Body, `id="dashboard"`) {
		return nil
	}
	out := map[string]map[string][]dashCell{}
	for _, key := range []string{"inspections", "rectifications", "certification", "overdue_hires"} {
		start := strings.Index(res.Body, `<figure class="chart card" id="dash-`+key+`"`)
		require.Positive(t, start, key)
		fig := res.Body[start : start+strings.Index(res.Body[start:], "</figure>")]
		assert.Contains(t, fig, `role="img"`)
		assert.Contains(t, fig, `<title id="dash-`+key+`-title">`)
		rows := map[string][]dashCell{}
		for _, m := range dashRowRE.FindAllStringSubmatch(fig, -1) {
			var cells []dashCell
			for _, c := range dashCellRE.FindAllStringSubmatch(m[2], -1) {
				cells = append(cells, dashCell{Text: c[2], Link: html.UnescapeString(c[1])})
			}
			require.Len(t, cells, 12, "%s %s", key, m[1])
			rows[m[1]] = cells
		}
		out[key] = rows
	}
	return out
}

// now and last are a row's month under way and the month before.
func now(cells []dashCell) dashCell  { return cells[11] }
func last(cells []dashCell) dashCell { return cells[10] }

// scoredInspection stores a submitted inspection of outlet scoring earned of 10, at.
func (e *env) scoredInspection(outlet string, at time.Time, result string, possible int) {
	e.t.Helper()
	var inspector models.User
	require.NoError(e.t, e.db.Where("username = ?", "inspector").Take(&inspector).Error)
	at = at.UTC()
	earned := 9
	if result == models.ResultFail {
		earned = 4
	}
	ins := &models.Inspection{ClientID: fmt.Sprintf("dash-%d", uniq()), InspectorID: inspector.ID, TemplateID: e.matrixTemplate().ID,
		OrgUnitID: e.unit(outlet), Status: models.InspectionSubmitted, StartedAt: at, SubmittedAt: &at, Result: result,
		Earned: earned, Possible: possible}
	require.NoError(e.t, e.db.Omit("Inspector", "Template", "OrgUnit").Create(ins).Error)
}

// answeredRect is a rectification of outlet due on due, then set to status with its
// evidence submitted at (none when zero).
func (e *env) answeredRect(outlet string, due models.Date, status string, at time.Time) {
	e.t.Helper()
	r := rectest.Open(e.t, e.db, outlet, rectest.Options{DueOn: due, At: due.Time().AddDate(0, 0, -7)})
	set := map[string]any{"status": status}
	if !at.IsZero() {
		set["submitted_at"] = at.UTC()
	}
	require.NoError(e.t, e.db.Model(&models.Rectification{}).Where("id = ?", r.ID).Updates(set).Error)
}

// TestDashboardByHand: the provincial office sees the province and each city company,
// the manager of 东湖区 their branch against 南昌's average, on a dataset small enough
// to count by hand; months end at midnight in Beijing, not in UTC; employees and
// trainers keep their boards without a dashboard.
func TestDashboardByHand(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		bj, err := time.LoadLocation("Asia/Shanghai")
		require.NoError(t, err)
		l := time.Now().In(bj)
		month := time.Date(l.Year(), l.Month(), 1, 0, 0, 0, 0, bj) // this month's first instant, 16:00 UTC the day before
		lastDay := models.DateOf(month.AddDate(0, 0, -1))          // the last day of last month, over

		// Inspections this month (scored: possible > 0):
		//   东湖区 360102-01: pass at 00:00 Beijing on the 1st (still last month in UTC), fail 1 s later;
		//   西湖区 360103-01: pass → 南昌 2 of 3 passed = 66.67 %, 东湖区 1 of 2 = 50.00 %;
		//   濂溪区 360402-01 (九江): fail → 0 of 1 = 0.00 %; province 2 of 4 = 50.00 %.
		// Not counted: an unscored one (possible 0) in 东湖区 now.
		// Last month: 东湖区 pass at 23:59:59 Beijing on its last day (15:59:59 UTC) → 1 of 1 = 100.00 %.
		e.scoredInspection("360102-01", month, models.ResultPass, 10)
		e.scoredInspection("360102-01", month.Add(time.Second), models.ResultFail, 10)
		e.scoredInspection("360103-01", month.Add(2*time.Second), models.ResultPass, 10)
		e.scoredInspection("360402-01", month.Add(3*time.Second), models.ResultFail, 10)
		e.scoredInspection("360102-01", month.Add(4*time.Second), models.ResultPass, 0)
		e.scoredInspection("360102-01", month.Add(-time.Second), models.ResultPass, 10)

		// Rectifications due on last month's last day (the rectest inspections score nothing):
		//   东湖区: evidence at 23:30 Beijing on the due day → on time; at 00:30 Beijing the next
		//   day (16:30 UTC, still the due day in UTC) → late; one still open → late; one
		//   cancelled → not counted: 1 of 3 = 33.33 % (南昌 the same).
		//   濂溪区: verified, evidence on the due day → 1 of 1 = 100.00 %. Province 2 of 4 = 50.00 %.
		dueEnd := time.Date(lastDay.Year, lastDay.Month, lastDay.Day, 23, 30, 0, 0, bj)
		e.answeredRect("360102-01", lastDay, models.RectSubmitted, dueEnd)
		e.answeredRect("360102-01", lastDay, models.RectSubmitted, dueEnd.Add(time.Hour))
		e.answeredRect("360102-01", lastDay, models.RectOpen, time.Time{})
		e.answeredRect("360102-01", lastDay, models.RectCancelled, time.Time{})
		e.answeredRect("360402-01", lastDay, models.RectVerified, dueEnd.Add(-12*time.Hour))

		ac := e.login(seeds.AdminUsername)
		prov := dashboard(t, ac)
		require.NotNil(t, prov, "the provincial office has a dashboard")
		const province, nanchang, jiujiang, pingxiang = "江西省广播电视网络传输有限公司", "南昌市分公司", "九江市分公司", "萍乡市分公司"
		ins := prov["inspections"]
		require.Len(t, ins, 12, "the province and its 11 city companies")
		assert.Equal(t, "50.00%", now(ins[province]).Text)
		assert.Equal(t, "66.67%", now(ins[nanchang]).Text)
		assert.Equal(t, "0.00%", now(ins[jiujiang]).Text)
		assert.Equal(t, "无数据", now(ins[pingxiang]).Text)
		assert.Equal(t, "100.00%", last(ins[province]).Text, "23:59:59 on the last day in Beijing is last month")
		assert.Equal(t, "100.00%", last(ins[nanchang]).Text)
		assert.Equal(t, fmt.Sprintf("/rankings/%d?period=%s#inspections", e.unit("3601"), l.Format("2006-01")), now(ins[nanchang]).Link)
		assert.Empty(t, now(ins[province]).Link, "the province is no ranked branch")
		rect := prov["rectifications"]
		assert.Equal(t, "50.00%", last(rect[province]).Text)
		assert.Equal(t, "33.33%", last(rect[nanchang]).Text, "evidence at 00:30 Beijing after the due day is late")
		assert.Equal(t, "100.00%", last(rect[jiujiang]).Text)
		// Overdue new hires now: the overdue list's own count, linked to it.
		od := prov["overdue_hires"]
		assert.Equal(t, "/onboarding/overdue", now(od[province]).Link)
		assert.Equal(t, fmt.Sprint(pageTotal(t, ac, "/onboarding/overdue")), strings.ReplaceAll(now(od[province]).Text, ",", ""))
		assert.Equal(t, fmt.Sprint(pageTotal(t, ac, now(od[nanchang]).Link)), now(od[nanchang]).Text)
		assert.Empty(t, last(od[nanchang]).Link, "no list holds last month's overdue")
		assert.Regexp(t, `^\d+\.\d\d%$`, now(prov["certification"][province]).Text)
		// The page behind a figure answers.
		res := ac.do(http.MethodGet, now(ins[nanchang]).Link, nil)
		assert.Equal(t, http.StatusOK, res.Code)

		// The manager of 东湖区: the branch, then 南昌's average (the city's rate; its
		// count per county branch), nothing of other cities.
		mc := e.login(manager)
		br := dashboard(t, mc)
		require.NotNil(t, br)
		const branch, avg = "东湖区分公司", "南昌市分公司平均"
		ins = br["inspections"]
		assert.Len(t, ins, 2)
		assert.Equal(t, "50.00%", now(ins[branch]).Text)
		assert.Equal(t, "66.67%", now(ins[avg]).Text)
		assert.Equal(t, "100.00%", last(ins[branch]).Text)
		assert.Empty(t, now(ins[avg]).Link, "an average has no list")
		assert.Equal(t, "33.33%", last(br["rectifications"][branch]).Text)
		od = br["overdue_hires"]
		assert.Equal(t, fmt.Sprint(pageTotal(t, mc, now(od[branch]).Link)), now(od[branch]).Text)
		assert.Equal(t, fmt.Sprintf("/onboarding/overdue?unit_id=%d", e.unit("360102")), now(od[branch]).Link)
		var counties int64
		for _, u := range e.units {
			if u.Level == models.LevelCounty && strings.HasPrefix(u.Code, "3601") {
				counties++
			}
		}
		var cityOverdue int64
		fmt.Sscan(now(prov["overdue_hires"][nanchang]).Text, &cityOverdue)
		assert.Equal(t, models.Percent((200*cityOverdue+counties)/(2*counties)).String(), now(od[avg]).Text, "南昌's overdue per county branch")
		assert.Equal(t, now(prov["certification"][nanchang]).Text, now(br["certification"][avg]).Text)

		// The inspector over the whole province sees the province's; the one over 南昌
		// sees 南昌 and each of its county branches, with the figures the province's
		// dashboard and the manager's have for them, and no other city.
		assert.NotNil(t, dashboard(t, e.login("inspector2")))
		ic := e.login("inspector")
		city := dashboard(t, ic)
		require.NotNil(t, city, "a city's inspector has a dashboard")
		ins = city["inspections"]
		assert.Len(t, ins, int(counties)+1, "南昌 and its county branches")
		assert.Equal(t, "66.67%", now(ins[nanchang]).Text)
		assert.Equal(t, "50.00%", now(ins[branch]).Text)
		assert.Equal(t, "100.00%", now(ins["西湖区分公司"]).Text)
		assert.NotContains(t, ins, jiujiang)
		assert.Equal(t, last(prov["rectifications"][nanchang]).Text, last(city["rectifications"][nanchang]).Text)
		res = ic.do(http.MethodGet, "/", nil)
		assert.Contains(t, res.Body, "南昌市分公司及下属单位服务指标")
		for _, who := range []string{"employee", "trainer"} {
			assert.Nil(t, dashboard(t, e.login(who)), who)
			assert.NotEmpty(t, homeTiles(t, e.login(who)), who)
		}

		// In English.
		res = ac.do(http.MethodGet, "/lang?to=en", nil)
		require.Equal(t, http.StatusSeeOther, res.Code)
		res = ac.do(http.MethodGet, "/", nil)
		assert.Contains(t, res.Body, "Inspection pass rate")
		assert.Contains(t, res.Body, ">No data<")
		assert.NotContains(t, res.Body, "dashboard.")
	})
}
