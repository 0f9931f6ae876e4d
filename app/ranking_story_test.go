package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

// metricsUpload is a metrics workbook with one row for the unit and month: valid, or
// with more responses than work orders.
func metricsUpload(t *testing.T, code, month string, bad bool) uploadBody {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	header := append([]any{"org_unit_code", "month"}, toAny(metricKeys)...)
	vals := []any{code, month, 100, 90, 40, 35, 5, 4, 30, 28, 10, 9, 6, 5, 50, 48, 20, 1800, 5000, 5010}
	if bad {
		vals[3] = 101 // responded_24h above work_orders
	}
	require.NoError(t, f.SetSheetRow("Sheet1", "A1", &header))
	require.NoError(t, f.SetSheetRow("Sheet1", "A2", &vals))
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return uploadBody{"file", "metrics.xlsx", buf.Bytes()}
}

func toAny(s []string) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// The README's story of the ranking, end to end over HTTP: the office imports a month
// of metrics (a bad row refused first), changes a weight, and gets the workbook as a
// job; a branch manager sees the whole ranking but only their own explanation.
func TestRankingStory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		fx, err := seeds.LoadRankingFixture(t.Context(), db, nil)
		require.NoError(t, err)
		adm := e.login(admin)

		// A bad row is refused with its row, column and reason; nothing is written.
		res := sendRow(adm, post, "/api/v1/service-metrics/import", metricsUpload(t, "990302", "2026-09", true))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `"row":2`)
		assert.Contains(t, res.Body, `"field":"responded_24h"`)
		res = sendRow(adm, post, "/api/v1/service-metrics/import", metricsUpload(t, "990302", "2026-09", false))
		require.Equal(t, http.StatusOK, res.Code, res.Body)

		ranking := func(c *client, level string) reports.Ranking {
			res := c.do(get, "/api/v1/rankings?period=2026-Q3&level="+level, nil)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
			var r reports.Ranking
			res.JSON(t, &r)
			return r
		}
		item := func(r reports.Ranking, code string) reports.Item {
			for _, it := range r.Items {
				if it.UnitCode == code {
					return it
				}
			}
			t.Fatalf("no %s", code)
			return reports.Item{}
		}
		r := ranking(adm, "county")
		c2 := item(r, "990302")
		// Rates 90/100, 35/40, 4/5, 28/30, 9/10, 5/6, 48/50: mean 0.885952… → 88.60; 1,800 / 20.
		assert.Equal(t, "88.60", c2.Dimensions[reports.DimTimeliness].Score.String())
		assert.Equal(t, "90.00", c2.Dimensions[reports.DimSatisfaction].Score.String())
		assert.Equal(t, "81.24", item(r, "990101").Composite.String())

		// Weights 40 on site and 5 on timeliness: 甲一 = (40×90 + 15×60 + 10×74 + 10×75 +
		// 10×80 + 5×94.95 + 10×91) / 100 − 1 = 81.7475 − 1 → 80.75.
		res = adm.do(put, "/api/v1/settings/ranking", `{"weights":{"site":40,"timeliness":4}}`)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, "99 is not 100")
		assert.Contains(t, res.Body, "ranking_weights_sum")
		res = adm.do(put, "/api/v1/settings/ranking", `{"weights":{"site":40,"timeliness":5}}`)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		r = ranking(adm, "county")
		assert.Equal(t, 40, r.Weights.Site)
		assert.Equal(t, "80.75", item(r, "990101").Composite.String())

		// The workbook as a job: 202, progress, then the file, equal to the JSON.
		res = adm.do(post, "/api/v1/rankings/exports", map[string]string{"period": "2026-Q3", "level": "county"})
		require.Equal(t, http.StatusAccepted, res.Code, res.Body)
		var job struct {
			ID     uint   `json:"id"`
			Status string `json:"status"`
			File   string `json:"file"`
		}
		res.JSON(t, &job)
		e.exports.Wait()
		res = adm.do(get, fmt.Sprintf("/api/v1/rankings/exports/%d", job.ID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		var view struct {
			Status    string
			Percent   int64
			RowsDone  int64 `json:"rows_done"`
			RowsTotal int64 `json:"rows_total"`
			File      string
		}
		res.JSON(t, &view)
		require.Equal(t, "done", view.Status)
		assert.Equal(t, int64(100), view.Percent)
		file := adm.do(get, view.File, nil)
		require.Equal(t, http.StatusOK, file.Code)
		assert.Contains(t, file.Header.Get("Content-Disposition"), `filename="ranking_2026-Q3.xlsx"`)
		f, err := excelize.OpenReader(strings.NewReader(file.Body))
		require.NoError(t, err)
		defer f.Close()
		rows, err := f.GetRows(reports.SheetCounty)
		require.NoError(t, err)
		found := false
		for _, row := range rows {
			if len(row) > 5 && row[2] == "990101" {
				found = true
				assert.Equal(t, "80.75", row[5])
			}
		}
		assert.True(t, found)

		// The manager of 东湖区 sees every branch's line, but no other branch's rows.
		mgr := e.login(manager)
		assert.Len(t, ranking(mgr, "city").Items, 11+3)
		res = mgr.do(get, fmt.Sprintf("/api/v1/rankings/units/%d?period=2026-Q3", fx.Units["990101"].ID), nil)
		assert.Equal(t, http.StatusNotFound, res.Code)
		res = mgr.do(get, fmt.Sprintf("/api/v1/rankings/exports/%d", job.ID), nil)
		assert.Equal(t, http.StatusNotFound, res.Code, "another's job")
		res = e.login(employee).do(get, "/api/v1/rankings", nil)
		assert.Equal(t, http.StatusForbidden, res.Code)
	})
}
