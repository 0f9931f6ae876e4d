package app_test

import (
	"bytes"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// exportLink is the .xlsx link of a list page, unescaped.
func exportLink(t *testing.T, body, path string) string {
	t.Helper()
	m := regexp.MustCompile(`href="(` + regexp.QuoteMeta(path) + `[^"]*)"`).FindStringSubmatch(body)
	require.NotNil(t, m, "no link to %s", path)
	return html.UnescapeString(m[1])
}

// xlsxRows counts the rows of the first sheet of a workbook (the header included).
func xlsxRows(t *testing.T, body string) int {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows(f.GetSheetList()[0])
	require.NoError(t, err)
	return len(rows)
}

// TestListPeriodFilters: /inspections and /rectifications take from/to days (both
// included, in Asia/Shanghai) and link their .xlsx export with the same filters.
func TestListPeriodFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		old := e.freshInspection("inspector", "360102-01", submittedInspection, false)
		recent := e.freshInspection("inspector", "360102-01", submittedInspection, false)
		// 2025-03-10 23:30 in Shanghai: the last half hour of the day "to" names.
		require.NoError(t, db.Model(&models.Inspection{}).Where("id = ?", old.ID).
			Update("started_at", time.Date(2025, 3, 10, 15, 30, 0, 0, time.UTC)).Error)
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, "/inspections?status=submitted&from=2025-03-01&to=2025-03-10", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/inspections/%d"`, old.ID))
		assert.NotContains(t, res.Body, fmt.Sprintf(`href="/inspections/%d"`, recent.ID))
		assert.Contains(t, res.Body, `name="from" value="2025-03-01"`)
		// The API's "to" leaves its day out: the link names the day after.
		link := exportLink(t, res.Body, "/api/v1/inspections.xlsx")
		assert.Equal(t, "/api/v1/inspections.xlsx?from=2025-03-01&status=submitted&to=2025-03-11", link)
		res = insp.do(http.MethodGet, link, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, 2, xlsxRows(t, res.Body), "the header and the one inspection of the period")
		res = insp.do(http.MethodGet, "/inspections?to=2025-03-09", nil)
		assert.NotContains(t, res.Body, fmt.Sprintf(`href="/inspections/%d"`, old.ID))
		res = insp.do(http.MethodGet, "/inspections?from=2025-13-01", nil)
		assert.Equal(t, http.StatusBadRequest, res.Code)
		res = insp.do(http.MethodGet, "/inspections", nil)
		assert.Equal(t, "/api/v1/inspections.xlsx", exportLink(t, res.Body, "/api/v1/inspections.xlsx"))

		r := e.openRect("360102-01", models.Date{})
		today := models.DateOf(time.Now().In(shanghaiZone(t))).String()
		res = insp.do(http.MethodGet, "/rectifications?from=2020-01-01&to=2020-01-31", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.NotContains(t, res.Body, fmt.Sprintf(`href="/rectifications/%d"`, r.ID))
		link = exportLink(t, res.Body, "/api/v1/rectifications.xlsx")
		assert.Equal(t, "/api/v1/rectifications.xlsx?from=2020-01-01&to=2020-01-31", link)
		res = insp.do(http.MethodGet, link, nil)
		require.Equal(t, http.StatusOK, res.Code)
		empty := xlsxRows(t, res.Body)
		q := "status=open&from=" + today + "&to=" + today
		res = insp.do(http.MethodGet, "/rectifications?"+q, nil)
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/rectifications/%d"`, r.ID))
		link = exportLink(t, res.Body, "/api/v1/rectifications.xlsx")
		assert.True(t, strings.HasSuffix(link, "?from="+today+"&status=open&to="+today), link)
		res = insp.do(http.MethodGet, link, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, empty+1, xlsxRows(t, res.Body))
		res = insp.do(http.MethodGet, "/rectifications?to=yesterday", nil)
		assert.Equal(t, http.StatusBadRequest, res.Code)
	})
}

// TestPatrolPlanPage: /patrols links each plan to its page, which lists the stops with
// their status; the plan's inspector gets a link that opens the start form with the
// stop and its outlet chosen. Another inspector's stop is not offered (404).
func TestPatrolPlanPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		v := e.freshPlan("360102")
		require.NotEmpty(t, v.Stops)
		stop := v.Stops[0]
		page := fmt.Sprintf("/patrols/%d", v.ID)
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, "/patrols", nil)
		assert.Contains(t, res.Body, `href="`+page+`"`)
		res = insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, stop.UnitName)
		assert.Contains(t, res.Body, "待检查")
		start := fmt.Sprintf("/inspections/new?patrol_stop_id=%d", stop.ID)
		assert.Contains(t, res.Body, `href="`+start+`"`)
		res = e.login(manager).do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.NotContains(t, res.Body, "patrol_stop_id=")

		res = insp.do(http.MethodGet, start, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>`, stop.ID))
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>`, stop.OrgUnitID))
		res = e.login(admin).do(http.MethodGet, start, nil)
		assert.Equal(t, http.StatusNotFound, res.Code, "not the admin's plan")

		// Done: the stop links its inspection instead.
		ins := e.freshInspection("inspector", "360102-01", answeredInspection, false)
		require.NoError(t, db.Model(&models.PatrolStop{}).Where("id = ?", stop.ID).Update("inspection_id", ins.ID).Error)
		res = insp.do(http.MethodGet, page, nil)
		assert.Contains(t, res.Body, "已完成")
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/inspections/%d"`, ins.ID))
		assert.NotContains(t, res.Body, `href="`+start+`"`)
	})
}
