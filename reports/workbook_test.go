package reports_test

import (
	"bytes"
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
)

// openWorkbook writes the fixture's 2026-Q3 workbook for scope and reopens it.
func openWorkbook(t *testing.T, db *gorm.DB, level string, scope models.Scope) (*excelize.File, reports.WorkbookStats) {
	t.Helper()
	q3, _ := reports.ParsePeriod("2026-Q3")
	var buf bytes.Buffer
	var last [2]int64
	stats, err := service(db, seeds.RankingFixtureNow).WriteWorkbook(context.Background(),
		reports.WorkbookRequest{Period: q3, Level: level, Scope: scope, By: "测试员"}, &buf, func(done, total int64) { last = [2]int64{done, total} })
	require.NoError(t, err)
	assert.Equal(t, last[0], last[1], "the progress ends at the total")
	assert.Equal(t, stats.Total, last[0])
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, stats
}

func TestWorkbookEqualsTheJSON(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		fx, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		// Text a user typed that looks like a formula must arrive as text.
		evil := map[string]string{"unit": `=HYPERLINK("http://evil.example","点我")`, "finding": "+SUM(1,2)", "person": "@SUM(A1)"}
		require.NoError(t, db.Model(&models.OrgUnit{}).Where("code = ?", "990101-01").Update("name", evil["unit"]).Error)
		require.NoError(t, db.Model(&models.Finding{}).Where("org_unit_id = ?", fx.Units["990202-01"].ID).Update("text", evil["finding"]).Error)
		require.NoError(t, db.Model(&models.Employee{}).Where("org_unit_id = ?", fx.Units["990202"].ID).Update("name", evil["person"]).Error)

		f, stats := openWorkbook(t, db, reports.LevelCounty, models.ScopeAll)
		assert.Equal(t, []string{reports.SheetMethod, reports.SheetOverall, reports.SheetCity, reports.SheetCounty, reports.SheetTrend,
			reports.SheetInspections, reports.SheetRectifications, reports.SheetTraining, reports.SheetOutcomes, reports.SheetMetrics}, f.GetSheetList())
		q3, _ := reports.ParsePeriod("2026-Q3")
		svc := service(db, seeds.RankingFixtureNow)
		for _, lv := range []struct{ level, sheet string }{{reports.LevelCity, reports.SheetCity}, {reports.LevelCounty, reports.SheetCounty}, {reports.LevelCounty, reports.SheetOverall}} {
			r, err := svc.Ranking(ctx, q3, lv.level)
			require.NoError(t, err)
			rows, err := f.GetRows(lv.sheet, excelize.Options{RawCellValue: true})
			require.NoError(t, err)
			require.Contains(t, rows[0][0], "2026年第3季度")
			header := rows[1]
			col := func(title string) int {
				i := indexOfString(header, title)
				require.GreaterOrEqual(t, i, 0, "%s has no column %s", lv.sheet, title)
				return i
			}
			body := rows[2:]
			require.Len(t, body, len(r.Items), lv.sheet)
			for i, it := range r.Items {
				row := pad(body[i], len(header))
				assert.Equal(t, it.UnitCode, row[col("单位编码")], lv.sheet)
				if it.Rank == nil {
					assert.Equal(t, "不参与排名", row[col("名次")])
				} else {
					assert.Equal(t, strconv.Itoa(*it.Rank), row[col("名次")], "%s %s", lv.sheet, it.UnitCode)
				}
				assert.Equal(t, it.ChangeLabel, row[col("变化")])
				assert.Equal(t, cellOf(it.Composite), row[col("综合得分")], "%s %s composite", lv.sheet, it.UnitCode)
				assert.Equal(t, strconv.FormatInt(it.Deductions, 10), row[col("扣分")])
				for _, key := range reports.DimensionKeys {
					d := it.Dimensions[key]
					assert.Equal(t, cellOf(d.Score), row[col(reports.DimensionNames[key])], "%s %s %s", lv.sheet, it.UnitCode, key)
					if lv.sheet != reports.SheetOverall {
						assert.Equal(t, strconv.FormatInt(d.Count, 10), row[col(reports.DimensionNames[key]+"计数")], "%s %s %s count", lv.sheet, it.UnitCode, key)
					}
				}
			}
		}
		// Numbers are numbers with formats, not text.
		typ, err := f.GetCellType(reports.SheetCounty, "F3")
		require.NoError(t, err)
		assert.Equal(t, excelize.CellTypeUnset, typ, "a number cell")
		shown, _ := f.GetCellValue(reports.SheetCounty, "F3")
		assert.Equal(t, "81.24", shown)
		charts := 0
		for _, sheet := range []string{reports.SheetCity, reports.SheetTrend} {
			cf, err := f.GetConditionalFormats(sheet)
			require.NoError(t, err)
			if sheet == reports.SheetCity {
				assert.NotEmpty(t, cf, "top and bottom three, data bar")
			}
			charts++
		}
		assert.Equal(t, 2, charts)

		// Detail sheets: every inspection of the period, rows of the right counts.
		assert.Equal(t, int64(18), stats.Rows[reports.SheetInspections], "17 scored (4 + 3 + 8 + 2) and 甲一's all-N/A one")
		assert.Equal(t, int64(6), stats.Rows[reports.SheetCounty])
		assert.Equal(t, int64(3), stats.Rows[reports.SheetCity])
		ins, err := f.GetRows(reports.SheetInspections)
		require.NoError(t, err)
		assert.Len(t, ins, 2+18)
		assert.Equal(t, "2026-09-30 23:30", ins[2+2][0], "Beijing time: the 23:30 one is in Q3")

		// Formula-looking text stays text everywhere.
		for _, sheet := range f.GetSheetList() {
			rows, err := f.GetRows(sheet)
			require.NoError(t, err)
			for r, row := range rows {
				for c, v := range row {
					cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
					formula, err := f.GetCellFormula(sheet, cell)
					require.NoError(t, err)
					require.Empty(t, formula, "%s!%s %q", sheet, cell, v)
				}
			}
		}
		assert.True(t, contains(t, f, reports.SheetInspections, evil["unit"]))
		assert.True(t, contains(t, f, reports.SheetRectifications, evil["finding"]))
		assert.True(t, contains(t, f, reports.SheetOutcomes, evil["person"]))
		props, err := f.GetDocProps()
		require.NoError(t, err)
		assert.Contains(t, props.Title, "2026-Q3")
		method, _ := f.GetRows(reports.SheetMethod)
		text := fmt.Sprint(method)
		for _, w := range []string{"无数据", "样本不足", "不参与排名", "现场服务 30", "已结束", "测试员"} {
			assert.Contains(t, text, w)
		}
	})
}

// A manager's workbook ranks every branch but details only their own.
func TestWorkbookDetailFollowsScope(t *testing.T) {
	db := dbtest.SQLite(t)
	fx, err := seeds.LoadRankingFixture(context.Background(), db, nil)
	require.NoError(t, err)
	f, stats := openWorkbook(t, db, reports.LevelCity, models.Scope{Paths: []string{fx.Units["990201"].Path}})
	assert.Equal(t, int64(6), stats.Rows[reports.SheetCounty], "the ranking is circulated")
	assert.Equal(t, int64(3), stats.Rows[reports.SheetOverall], "the city level opens the workbook")
	assert.Equal(t, int64(8), stats.Rows[reports.SheetInspections], "乙一's eight")
	assert.Equal(t, int64(1), stats.Rows[reports.SheetTraining], "乙一 alone")
	assert.Equal(t, int64(1), stats.Rows[reports.SheetOutcomes])
	assert.Equal(t, int64(2), stats.Rows[reports.SheetMetrics])
	for _, sheet := range []string{reports.SheetInspections, reports.SheetRectifications, reports.SheetOutcomes, reports.SheetMetrics} {
		rows, err := f.GetRows(sheet)
		require.NoError(t, err)
		for _, row := range rows[2:] {
			for _, other := range []string{"甲一", "甲二", "乙二", "丙一"} {
				assert.NotContains(t, strings.Join(row, " "), other, sheet)
			}
		}
	}
}

func indexOfString(list []string, s string) int {
	for i, v := range list {
		if v == s {
			return i
		}
	}
	return -1
}

func pad(row []string, n int) []string {
	for len(row) < n {
		row = append(row, "")
	}
	return row
}

// cellOf is how a score reads back raw from its cell: the number, or 无数据.
func cellOf(p *models.Percent) string {
	if p == nil {
		return "无数据"
	}
	v := strconv.FormatFloat(float64(*p)/100, 'f', -1, 64)
	return v
}

func contains(t *testing.T, f *excelize.File, sheet, text string) bool {
	rows, err := f.GetRows(sheet)
	require.NoError(t, err)
	for _, row := range rows {
		for _, v := range row {
			if v == text {
				return true
			}
		}
	}
	return false
}
