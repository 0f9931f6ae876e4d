package app_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

var (
	tableRowRE  = regexp.MustCompile(`(?s)<tr id="rank-[^"]+" data-unit="([^"]+)"[^>]*>(.*?)</tr>`)
	tableCellRE = regexp.MustCompile(`(?s)<td[^>]*>(.*?)</td>`)
	tagRE       = regexp.MustCompile(`<[^>]+>`)
)

// pageRows reads the ranking table of a page: each row's cells as text, by unit code.
func pageRows(body string) (map[string][]string, []string) {
	rows, order := map[string][]string{}, []string{}
	for _, m := range tableRowRE.FindAllStringSubmatch(body, -1) {
		var cells []string
		for _, c := range tableCellRE.FindAllStringSubmatch(m[2], -1) {
			cells = append(cells, strings.TrimSpace(html.UnescapeString(tagRE.ReplaceAllString(c[1], ""))))
		}
		rows[m[1]], order = cells, append(order, m[1])
	}
	return rows, order
}

// wantCells is the line of it the page must show: every number as the JSON writes it.
func wantCells(it reports.Item, county bool) []string {
	dash := func(s string) string {
		if s == "" {
			return "—"
		}
		return s
	}
	rank := ""
	if it.Rank != nil {
		rank = fmt.Sprint(*it.Rank)
	}
	composite := ""
	if it.Composite != nil {
		composite = it.Composite.String()
	}
	out := []string{dash(rank), it.ChangeLabel, it.UnitCode, it.UnitName}
	if county {
		out = append(out, it.CityName)
	}
	out = append(out, dash(composite), fmt.Sprint(it.Deductions))
	for _, k := range reports.DimensionKeys {
		if s := it.Dimensions[k].Score; s != nil {
			out = append(out, s.String())
		} else {
			out = append(out, "无数据")
		}
	}
	var flags []string
	for _, f := range it.Flags {
		flags = append(flags, reports.FlagNames[f])
	}
	return append(out, strings.Join(flags, "、"))
}

// apiRanking is GET /api/v1/rankings for the query.
func apiRanking(t *testing.T, c *client, query string) reports.Ranking {
	t.Helper()
	res := c.do(get, "/api/v1/rankings?"+query, nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	var r reports.Ranking
	res.JSON(t, &r)
	return r
}

// TestRankingWebTable: the page's table is the JSON ranking, cell for cell, at both
// levels; the fixture's hand-worked numbers, ranks, changes and flags are there, the
// unranked branches at the bottom without a rank, each name links to its explanation,
// the chart draws the ranked composites; a manager sees the same circulated table.
func TestRankingWebTable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		fx, err := seeds.LoadRankingFixture(t.Context(), db, nil)
		require.NoError(t, err)
		adm := e.login(admin)
		for _, level := range []string{"county", "city"} {
			q := "period=2026-Q3&level=" + level
			r := apiRanking(t, adm, q)
			page := adm.do(get, "/rankings?"+q, nil)
			require.Equal(t, http.StatusOK, page.Code, page.Body)
			rows, order := pageRows(page.Body)
			require.Len(t, rows, len(r.Items), level)
			var want []string
			for _, it := range r.Items {
				assert.Equal(t, wantCells(it, level == "county"), rows[it.UnitCode], "%s %s", level, it.UnitCode)
				want = append(want, it.UnitCode)
			}
			assert.Equal(t, want, order, "the API's order")
			assert.NotContains(t, page.Body, `class="banner"`, "2026-Q3 is over")
		}

		page := adm.do(get, "/rankings?period=2026-Q3&level=county", nil)
		rows, _ := pageRows(page.Body)
		// The fixture's lines, worked by hand in seeds/rankingfixture.go.
		assert.Equal(t, []string{"1", "▲1", "990101", "甲一区分公司", "甲市分公司", "81.24", "1",
			"90.00", "60.00", "74.00", "75.00", "80.00", "94.95", "91.00", ""}, rows["990101"])
		assert.Equal(t, []string{"2", "新"}, rows["990102"][:2])
		assert.Equal(t, "无数据", rows["990102"][7+3], "甲二 has no onboarding")
		assert.Equal(t, []string{"2", "▼1"}, rows["990201"][:2])
		assert.Equal(t, "81.14", rows["990201"][5])
		assert.Equal(t, []string{"4", "—"}, rows["990202"][:2])
		assert.Equal(t, "20", rows["990202"][6], "deductions capped")
		assert.Equal(t, "样本不足", rows["990202"][14])
		assert.Equal(t, []string{"—", ""}, rows["990301"][:2])
		assert.Equal(t, "58.89", rows["990301"][5])
		assert.Equal(t, "样本不足、不参与排名", rows["990301"][14])
		assert.Equal(t, []string{"无数据", "无数据", "无数据", "无数据", "无数据", "无数据", "无数据"}, rows["990302"][7:14])
		divider := strings.Index(page.Body, `class="divider"`)
		require.Positive(t, divider)
		assert.Less(t, strings.Index(page.Body, `data-unit="990202"`), divider)
		assert.Greater(t, strings.Index(page.Body, `data-unit="990301"`), divider, "不参与排名 at the bottom")
		assert.Contains(t, page.Body, fmt.Sprintf(`<a href="/rankings/%d?period=2026-Q3">甲一区分公司</a>`, fx.Units["990101"].ID))
		// The chart: a bar per ranked branch up to 12, its value beside it.
		assert.Contains(t, page.Body, `<svg viewBox="0 0 420`)
		assert.Contains(t, page.Body, `>1. 甲一区分公司</text>`)
		assert.Contains(t, page.Body, `class="value">81.24</text>`)
		ranked := 0
		for _, it := range apiRanking(t, adm, "period=2026-Q3&level=county").Items {
			if it.Rank != nil {
				ranked++
			}
		}
		require.Positive(t, ranked)
		assert.Equal(t, min(ranked, 12), strings.Count(page.Body, `class="bar"></rect>`))
		assert.Contains(t, page.Body, `action="/rankings/exports"`)
		assert.NotContains(t, page.Body, "<script>")

		// The manager: the circulated table, the same lines.
		mgr := e.login(manager)
		mp := mgr.do(get, "/rankings?period=2026-Q3&level=county", nil)
		require.Equal(t, http.StatusOK, mp.Code)
		mrows, _ := pageRows(mp.Body)
		assert.Equal(t, rows, mrows)
		// Above the table, the manager's own branch, linked to its line, which stands out;
		// the admin, whose scope holds every line, has no such summary.
		require.Contains(t, mrows, "360102")
		assert.Contains(t, mp.Body, `<a href="#rank-360102">东湖区分公司</a>`)
		assert.Contains(t, mp.Body, `<tr id="rank-360102" data-unit="360102" class="mine">`)
		assert.Equal(t, 1, strings.Count(mp.Body, `class="mine"`), "only the manager's branch is theirs")
		assert.Contains(t, mp.Body, `<h3 id="mine-title">本单位</h3>`)
		assert.NotContains(t, page.Body, `id="mine-title"`)
		// An inspector of a city company has its county branches.
		insp := e.login(inspector)
		ip := insp.do(get, "/rankings?period=2026-Q3&level=county", nil)
		require.Equal(t, http.StatusOK, ip.Code)
		assert.Contains(t, ip.Body, `<h3 id="mine-title">管辖范围内的单位</h3>`)
		assert.Greater(t, strings.Count(ip.Body, `class="mine"`), 1)
		assert.NotContains(t, page.Body, `class="mine"`)

		// One city company's county lines, with their province ranks; the other cities'
		// lines are not shown, the choice is kept, and an unknown city shows them all.
		cp := adm.do(get, "/rankings?period=2026-Q3&level=county&city="+url.QueryEscape("甲市分公司"), nil)
		require.Equal(t, http.StatusOK, cp.Code)
		crows, corder := pageRows(cp.Body)
		require.NotEmpty(t, corder)
		for code, cells := range crows {
			assert.Equal(t, "甲市分公司", cells[4], code)
			assert.Equal(t, rows[code], cells, "the line as on the province's table")
		}
		for code, cells := range rows {
			if cells[4] == "甲市分公司" {
				assert.Contains(t, crows, code)
			}
		}
		assert.Less(t, len(crows), len(rows))
		assert.Contains(t, cp.Body, `<option value="甲市分公司" selected>甲市分公司</option>`)
		all, _ := pageRows(adm.do(get, "/rankings?period=2026-Q3&level=county&city=nowhere", nil).Body)
		assert.Equal(t, rows, all)
		assert.NotContains(t, adm.do(get, "/rankings?period=2026-Q3&level=city", nil).Body, `name="city"`, "no city choice at city level")

		// The menu: 排名 for its readers, 排名设置 for the admin.
		home := adm.do(get, "/", nil).Body
		assert.Contains(t, home, `href="/rankings"`)
		assert.Contains(t, home, `href="/settings/ranking"`)
		assert.Contains(t, mgr.do(get, "/", nil).Body, `href="/rankings"`)
		assert.NotContains(t, mgr.do(get, "/", nil).Body, `href="/settings/ranking"`)
		for _, as := range []string{trainer, employee} {
			c := e.login(as)
			assert.NotContains(t, c.do(get, "/", nil).Body, `href="/rankings"`, as)
			assert.Equal(t, http.StatusForbidden, c.do(get, "/rankings", nil).Code, as)
		}
	})
}

// TestRankingWebPeriods: the running quarter carries 进行中 with its cut-off in Beijing
// time; a malformed period, one not begun and a bad level are shown on the page beside
// their field, in the page's language, with 400 and no problem+json.
func TestRankingWebPeriods(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		loc := shanghaiZone(t)
		now := time.Now().In(loc)
		current := fmt.Sprintf("%d-Q%d", now.Year(), (int(now.Month())-1)/3+1)
		r := apiRanking(t, adm, "period="+current)
		require.True(t, r.InProgress)
		page := adm.do(get, "/rankings?period="+current, nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		assert.Contains(t, page.Body, `<p class="banner" role="status"><strong>进行中</strong>`)
		assert.Contains(t, page.Body, r.CutOff.In(loc).Format("2006-01-02 15:"), "the cut-off in Beijing time")
		assert.Contains(t, page.Body, "（北京时间）")

		// The default is the last quarter over, as the API's.
		def := adm.do(get, "/rankings", nil)
		require.Equal(t, http.StatusOK, def.Code)
		assert.Contains(t, def.Body, `name="period" value="`+apiRanking(t, adm, "").Period+`"`)
		assert.NotContains(t, def.Body, `class="banner"`)

		for _, c := range []struct{ query, field, msg string }{
			{"period=2026-Q5", "period", "期间格式应为 2026-09、2026-Q3、2026-H1 或 2026"},
			{"period=26-09", "period", "期间格式应为"},
			{fmt.Sprintf("period=%d", now.Year()+1), "period", "该期间尚未开始"},
			{"period=2026-Q3&level=outlet", "level", "不是允许的取值"},
		} {
			res := adm.do(get, "/rankings?"+c.query, nil)
			require.Equal(t, http.StatusBadRequest, res.Code, c.query)
			assert.Contains(t, res.Header.Get("Content-Type"), "text/html", c.query)
			assert.Contains(t, res.Body, `<span class="error" id="`+c.field+`-error">`+c.msg, c.query)
			assert.NotContains(t, res.Body, `<table class="ranking">`, c.query)
		}
		res := adm.do(get, "/rankings?period=2026-Q5", nil)
		assert.Contains(t, res.Body, `name="period" value="2026-Q5"`, "the period as typed")
		adm.cookies["lang"] = "en"
		res = adm.do(get, "/rankings?period=2026-Q5", nil)
		assert.Equal(t, http.StatusBadRequest, res.Code)
		assert.Contains(t, res.Body, "A period is written 2026-09, 2026-Q3, 2026-H1 or 2026")
	})
}

// TestRankingWebExport: the page's button starts the job the API starts, its page shows
// the progress and refreshes itself until done, then links the API's file, which the
// browser's cookie downloads; another user's job is 404.
func TestRankingWebExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		_, err := seeds.LoadRankingFixture(t.Context(), db, nil)
		require.NoError(t, err)
		adm := e.login(admin)
		mark := e.lastAuditID()
		res := adm.postPageForm("/rankings?period=2026-Q3&level=county", "/rankings/exports", url.Values{"period": {"2026-Q3"}, "level": {"county"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		loc := res.Header.Get("Location")
		require.Regexp(t, `^/rankings/exports/\d+$`, loc)
		id := strings.TrimPrefix(loc, "/rankings/exports/")
		assert.Equal(t, int64(1), e.auditOf("create", mark), "the job is audited as the API's")

		page := adm.do(get, loc, nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		assert.Contains(t, page.Body, "服务水平排名_2026-Q3.xlsx")
		if !strings.Contains(page.Body, "已完成") {
			assert.Contains(t, page.Body, `<meta http-equiv="refresh" content="2">`, "a running job refreshes its page")
		}
		e.exports.Wait()
		page = adm.do(get, loc, nil)
		require.Equal(t, http.StatusOK, page.Code)
		assert.Contains(t, page.Body, "已完成")
		assert.NotContains(t, page.Body, `http-equiv="refresh"`)
		var job struct {
			RowsDone  int64  `json:"rows_done"`
			RowsTotal int64  `json:"rows_total"`
			File      string `json:"file"`
		}
		api := adm.do(get, "/api/v1/rankings/exports/"+id, nil)
		require.Equal(t, http.StatusOK, api.Code)
		require.NoError(t, json.Unmarshal([]byte(api.Body), &job))
		assert.Contains(t, page.Body, fmt.Sprintf("已写行数 %s / %s（100%%）", commas(job.RowsDone), commas(job.RowsTotal)))
		link := "/api/v1/rankings/exports/" + id + "/file"
		assert.Equal(t, link, job.File)
		assert.Contains(t, page.Body, `href="`+link+`" download`)

		// The link works with the session cookie alone.
		file := adm.do(get, link, nil)
		require.Equal(t, http.StatusOK, file.Code, file.Body)
		assert.Contains(t, file.Header.Get("Content-Disposition"), `filename="ranking_2026-Q3.xlsx"`)
		f, err := excelize.OpenReader(strings.NewReader(file.Body))
		require.NoError(t, err)
		defer f.Close()
		sheet, err := f.GetRows(reports.SheetCounty)
		require.NoError(t, err)
		found := false
		for _, row := range sheet {
			if len(row) > 5 && row[2] == "990101" {
				found = true
				assert.Equal(t, "81.24", row[5])
			}
		}
		assert.True(t, found)

		// A job still queued: its page says so and reloads itself every 2 s.
		queued, _ := e.queuedExportJob(admin)
		page = adm.do(get, "/rankings/exports/"+idStr(queued), nil)
		require.Equal(t, http.StatusOK, page.Code)
		assert.Contains(t, page.Body, `<meta http-equiv="refresh" content="2">`)
		assert.Contains(t, page.Body, `<strong class="status-queued">排队中</strong>`)
		assert.NotContains(t, page.Body, "/file\" download")

		// Another's job: 404, on the page and for the file.
		mgr := e.login(manager)
		res = mgr.do(get, loc, nil)
		assert.Equal(t, http.StatusNotFound, res.Code)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
		assert.Equal(t, http.StatusNotFound, mgr.do(get, link, nil).Code)

		// A refused form shows its reasons on the ranking page.
		res = sendRow(adm, post, "/rankings/exports", formBody{"period": {"26-09"}, "level": {"outlet"}})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "期间格式应为")
		assert.Contains(t, res.Body, "不是允许的取值")
		assert.Equal(t, http.StatusForbidden, sendRow(e.login(employee), post, "/rankings/exports", formBody{"period": {"2026-Q3"}, "level": {"county"}}).Code)
	})
}

// commas writes n with thousands separators, as the pages do.
func commas(n int64) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// TestRankingWebExplain: one branch's page shows its line and every dimension's score
// as the API's explanation gives them, with the rows behind them; out of scope, an
// outlet or an unknown unit is the 404 page.
func TestRankingWebExplain(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		fx, err := seeds.LoadRankingFixture(t.Context(), db, nil)
		require.NoError(t, err)
		adm := e.login(admin)
		id := fx.Units["990101"].ID
		api := adm.do(get, fmt.Sprintf("/api/v1/rankings/units/%d?period=2026-Q3", id), nil)
		require.Equal(t, http.StatusOK, api.Code, api.Body)
		var ex reports.Explanation
		api.JSON(t, &ex)

		page := adm.do(get, fmt.Sprintf("/rankings/%d?period=2026-Q3", id), nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		body := page.Body
		assert.Contains(t, body, "甲一区分公司")
		assert.Contains(t, body, "2026-07-01 – 2026-09-30")
		assert.Contains(t, body, "<strong>81.24</strong>")
		for _, k := range reports.DimensionKeys {
			m := regexp.MustCompile(`(?s)<tr data-dim="` + k + `">.*?<strong>([^<]+)</strong>`).FindStringSubmatch(body)
			require.NotNil(t, m, k)
			assert.Equal(t, ex.Item.Dimensions[k].Score.String(), m[1], k)
		}
		assert.Contains(t, body, "得分合计 180 · 可得分合计 200 · 合格次数 3 · 关键项不合格 1 · 合格率 75.00%")
		assert.Contains(t, body, "工单24小时响应 950/1,000 = 95.00%")
		for _, s := range []string{
			fmt.Sprintf("现场检查（%d）", len(ex.Inspections)), fmt.Sprintf("本期到期的整改（%d）", len(ex.Rectifications)),
			fmt.Sprintf("在岗员工（%d）", len(ex.Staff)), fmt.Sprintf("服务指标月份（%d）", len(ex.Metrics)),
			fmt.Sprintf("问责处理结果（%d）", len(ex.Outcomes)),
		} {
			assert.Contains(t, body, s)
		}
		require.NotEmpty(t, ex.Staff)
		assert.Contains(t, body, "<td>"+ex.Staff[0].JobNumber+"</td>")
		// Each list of rows folds under its heading, open while it is short (30 rows at
		// most), so that a city's hundreds of staff do not bury the lists after it.
		for _, n := range []int{len(ex.Inspections), len(ex.Rectifications), len(ex.Staff), len(ex.Metrics), len(ex.Outcomes)} {
			if n == 0 {
				continue
			}
			open := ""
			if n <= 30 {
				open = " open"
			}
			assert.Contains(t, body, fmt.Sprintf(`<details class="rows"%s><summary>逐条记录（%d 条）</summary>`, open, n))
		}
		assert.Contains(t, body, `href="/rankings?period=2026-Q3&amp;level=county"`)

		// A city company's page, its staff folded; the 404s.
		city := adm.do(get, fmt.Sprintf("/rankings/%d?period=2026-Q3", fx.Units["9901"].ID), nil)
		assert.Equal(t, http.StatusOK, city.Code)
		cityStaff := regexp.MustCompile(`在岗员工（(\d+)）`).FindStringSubmatch(city.Body)
		require.NotNil(t, cityStaff)
		n, err := strconv.Atoi(cityStaff[1])
		require.NoError(t, err)
		require.Greater(t, n, 30, "the city has more staff than an open list holds")
		assert.Contains(t, city.Body, fmt.Sprintf(`<details class="rows"><summary>逐条记录（%d 条）</summary>`, n))
		mgr := e.login(manager)
		res := mgr.do(get, fmt.Sprintf("/rankings/%d?period=2026-Q3", id), nil)
		assert.Equal(t, http.StatusNotFound, res.Code, "outside the manager's scope")
		assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
		assert.Equal(t, http.StatusNotFound, adm.do(get, fmt.Sprintf("/rankings/%d?period=2026-Q3", fx.Units["990101-01"].ID), nil).Code)
		assert.Equal(t, http.StatusNotFound, adm.do(get, "/rankings/999999", nil).Code)
		assert.Equal(t, http.StatusBadRequest, adm.do(get, fmt.Sprintf("/rankings/%d?period=2026-Q9", id), nil).Code)
	})
}

// settingsInputPaths are the JSON paths of every field of reports.SettingsInput.
func settingsInputPaths(t reflect.Type, prefix string) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if prefix != "" {
			name = prefix + "." + name
		}
		if et := f.Type.Elem(); et.Kind() == reflect.Struct {
			out = append(out, settingsInputPaths(et, name)...)
		} else {
			out = append(out, name)
		}
	}
	return out
}

// TestRankingWebSettings: the form has every field of reports.SettingsInput; a refusal
// keeps what was typed with each reason beside its field and all at the top, writing
// nothing; a save goes through the API's call (GET /api/v1/settings/ranking changes,
// one audit row) and comes back with a notice; others read the settings, unchanged.
func TestRankingWebSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		page := adm.do(get, "/settings/ranking", nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		paths := settingsInputPaths(reflect.TypeFor[reports.SettingsInput](), "")
		require.Len(t, paths, 18)
		form := settingsForm(reports.DefaultSettings, nil)
		for _, p := range paths {
			assert.Contains(t, page.Body, fmt.Sprintf(`name="%s" value="%s"`, p, form[p][0]), p)
		}

		mark := e.lastAuditID()
		typed := func(change map[string]string) url.Values {
			v := url.Values(settingsForm(reports.DefaultSettings, change))
			return v
		}
		res := adm.postPageForm("/settings/ranking", "/settings/ranking", typed(map[string]string{"weights.site": "40", "weights.timeliness": "4"}))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `name="weights.site" value="40"`)
		assert.Contains(t, res.Body, `name="weights.timeliness" value="4"`)
		assert.Contains(t, res.Body, `<p class="error">各维度权重须为整数且合计 100（现为 99） </p>`, "beside the weights")
		assert.Contains(t, res.Body, `<li><a href="#setting-weights">权重：各维度权重须为整数且合计 100（现为 99）</a></li>`, "in the summary, linked to the weights")

		res = adm.postPageForm("/settings/ranking", "/settings/ranking", typed(map[string]string{"deduction_cap": "abc", "min_inspections": "0", "export_keep_days": ""}))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `name="deduction_cap" value="abc" inputmode="numeric" aria-invalid="true">`)
		assert.Contains(t, res.Body, `<span class="error">应为整数</span>`)
		assert.Contains(t, res.Body, `<li><a href="#setting-export_keep_days">工作簿保留天数：必填</a></li>`)
		assert.Contains(t, res.Body, `id="setting-export_keep_days"`, "the link lands on the field")
		res = adm.postPageForm("/settings/ranking", "/settings/ranking", typed(map[string]string{"min_inspections": "0"}))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `<li><a href="#setting-min_inspections">样本下限（现场检查次数）：超出允许范围</a></li>`)
		assert.Contains(t, res.Body, `name="min_inspections" value="0"`)
		assert.Zero(t, e.auditCountSince(mark), "a refusal writes nothing")

		res = adm.postPageForm("/settings/ranking", "/settings/ranking", typed(map[string]string{"weights.site": "40", "weights.timeliness": "5", "min_inspections": "4"}))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/settings/ranking?done=saved", res.Header.Get("Location"))
		assert.Contains(t, adm.do(get, "/settings/ranking?done=saved", nil).Body, `<p class="ok" role="status">排名设置已保存</p>`)
		var set reports.Settings
		api := adm.do(get, "/api/v1/settings/ranking", nil)
		require.Equal(t, http.StatusOK, api.Code)
		api.JSON(t, &set)
		assert.Equal(t, 40, set.Weights.Site)
		assert.Equal(t, 5, set.Weights.Timeliness)
		assert.Equal(t, 4, set.MinInspections)
		var ev models.AuditEvent
		require.NoError(t, db.Where("id > ?", mark).First(&ev).Error)
		assert.Equal(t, "update", ev.Action)
		assert.Equal(t, "setting", ev.Entity)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		// The same numbers again change nothing and write nothing.
		res = adm.postPageForm("/settings/ranking", "/settings/ranking", typed(map[string]string{"weights.site": "40", "weights.timeliness": "5", "min_inspections": "4"}))
		require.Equal(t, http.StatusSeeOther, res.Code)
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// The others read the numbers without a form; the form is the admin's.
		for _, as := range []string{manager, trainer, inspector} {
			c := e.login(as)
			p := c.do(get, "/settings/ranking", nil)
			require.Equal(t, http.StatusOK, p.Code, as)
			assert.NotContains(t, p.Body, `action="/settings/ranking"`, as)
			assert.Contains(t, p.Body, `data-setting="weights.site">40</td>`, as)
			assert.Equal(t, http.StatusForbidden, sendRow(c, post, "/settings/ranking", formBody(typed(nil))).Code, as)
		}
	})
}

// TestRankingWebLocales: both catalogues of the pages hold the same keys, and every
// key the pages name, literally or built from a code, is in them.
func TestRankingWebLocales(t *testing.T) {
	cat := map[string]map[string]string{}
	for _, lang := range []string{"zh-CN", "en"} {
		b, err := os.ReadFile(filepath.Join("locales", lang+".rankingweb.json"))
		require.NoError(t, err)
		m := map[string]string{}
		require.NoError(t, json.Unmarshal(b, &m))
		cat[lang] = m
	}
	var zh, en []string
	for k := range cat["zh-CN"] {
		zh = append(zh, k)
	}
	for k := range cat["en"] {
		en = append(en, k)
	}
	slices.Sort(zh)
	slices.Sort(en)
	assert.Equal(t, zh, en)

	need := map[string]bool{}
	for _, name := range []string{"rankings", "ranking_export", "ranking_explain", "ranking_settings", "base"} {
		b, err := os.ReadFile(filepath.Join("templates", name+".html"))
		require.NoError(t, err)
		for _, m := range regexp.MustCompile(`"(rankingweb\.[a-z_.]+[a-z_])"`).FindAllStringSubmatch(string(b), -1) {
			need[m[1]] = true
		}
	}
	for _, k := range reports.DimensionKeys {
		need["rankingweb.dim."+k], need["rankingweb.count."+k] = true, true
	}
	for _, k := range reports.TimelinessRates {
		need["rankingweb.rate."+k] = true
	}
	for _, f := range []string{reports.FlagSmallSample, reports.FlagNotRanked} {
		need["rankingweb.flag."+f] = true
	}
	for _, s := range []string{models.ExportQueued, models.ExportRunning, models.ExportDone, models.ExportFailed, models.ExportExpired} {
		need["rankingweb.status."+s] = true
	}
	for _, p := range append(settingsInputPaths(reflect.TypeFor[reports.SettingsInput](), ""), "weights", "deductions") {
		need["rankingweb.setting."+p] = true
	}
	for _, g := range []string{"weights", "deductions", "thresholds"} {
		need["rankingweb.group."+g] = true
	}
	for k := range need {
		for _, lang := range []string{"zh-CN", "en"} {
			assert.NotEmpty(t, cat[lang][k], "%s: no %s", lang, k)
		}
	}
}
