package reports

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// A detail sheet past the row limit continues on the next sheet, header and all.
func TestWorkbookSheetContinues(t *testing.T) {
	db := dbtest.SQLite(t)
	_, err := seeds.LoadRankingFixture(context.Background(), db, nil)
	require.NoError(t, err)
	loc, _ := time.LoadLocation("Asia/Shanghai")
	s := NewService(db, loc)
	s.Now = func() time.Time { return seeds.RankingFixtureNow }
	q3, _ := ParsePeriod("2026-Q3")
	var buf bytes.Buffer
	// Title, header and five rows a sheet: 18 inspections take four sheets.
	_, err = s.writeWorkbook(context.Background(), WorkbookRequest{Period: q3, Level: LevelCounty, Scope: models.ScopeAll}, &buf, nil, 7)
	require.NoError(t, err)
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	total := 0
	for _, name := range []string{"巡查明细", "巡查明细 (2)", "巡查明细 (3)", "巡查明细 (4)"} {
		rows, err := f.GetRows(name)
		require.NoError(t, err, name)
		assert.Equal(t, "提交时间", rows[1][0], name)
		total += len(rows) - 2
	}
	assert.Equal(t, 18, total)
	idx, _ := f.GetSheetIndex("巡查明细 (5)")
	assert.Equal(t, -1, idx)
}
