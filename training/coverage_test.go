package training_test

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/training"
)

// coverageFixture is ten employees in three branches of two cities and the province
// office, with 1.0 and 1.1 published and five of the eight active staff covered:
//
//	36 province office   P1 other      active
//	360102 东湖 office    D5 installer  active
//	360102-01 八一大道    D1 window     active  acked 1.0
//	                     D2 window     active  acked 1.1
//	                     D3 marketing  active  acked 1.0
//	                     D4 window     on leave, acked 1.0 (not targeted)
//	360103-01 孺子路      X6 window     active  acked 1.0
//	                     X7 window     left (not targeted)
//	360402 濂溪 office    L9 installer  active
//	360402-01 十里        L8 window     active  acked 1.0
func coverageFixture(t *testing.T, db *gorm.DB) *fixture {
	f := newFixture(t, db)
	f.staff("P1", "36", models.PositionOther, models.StatusActive)
	f.staff("D1", "360102-01", models.PositionWindow, models.StatusActive)
	f.staff("D2", "360102-01", models.PositionWindow, models.StatusActive)
	f.staff("D3", "360102-01", models.PositionMarketing, models.StatusActive)
	f.staff("D4", "360102-01", models.PositionWindow, models.StatusOnLeave)
	f.staff("D5", "360102", models.PositionInstaller, models.StatusActive)
	f.staff("X6", "360103-01", models.PositionWindow, models.StatusActive)
	f.staff("X7", "360103-01", models.PositionWindow, models.StatusLeft)
	f.staff("L8", "360402-01", models.PositionWindow, models.StatusActive)
	f.staff("L9", "360402", models.PositionInstaller, models.StatusActive)
	v10 := f.publish("1.0")
	for _, job := range []string{"D1", "D3", "D4", "X6", "L8"} {
		f.ack(job, v10)
	}
	v11 := f.publish("1.1")
	f.ack("D2", v11)
	return f
}

// fig is targeted, acknowledged, pending and percent.
type fig struct {
	targeted, acknowledged, pending int64
	percent                         float64
}

func figOf(f training.Figures) fig { return fig{f.Targeted, f.Acknowledged, f.Pending, f.Percent} }

func unitFigs(c *training.Coverage) map[string]fig {
	out := map[string]fig{}
	for _, u := range c.Units {
		out[u.Code] = figOf(u.Figures)
	}
	return out
}

func positionFigs(c *training.Coverage) map[string]fig {
	out := map[string]fig{}
	for _, p := range c.Positions {
		out[p.Position] = figOf(p.Figures)
	}
	return out
}

func TestCoverageFigures(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := coverageFixture(t, db)

		c, err := f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{})
		require.NoError(t, err)
		assert.Equal(t, "1.1", c.Version.Version)
		assert.Equal(t, fig{8, 5, 3, 62.5}, figOf(c.Total))
		assert.Equal(t, map[string]fig{
			"36":        {8, 5, 3, 62.5},
			"3601":      {5, 4, 1, 80},
			"360102":    {4, 3, 1, 75},
			"360102-01": {3, 3, 0, 100},
			"360103":    {1, 1, 0, 100},
			"360103-01": {1, 1, 0, 100},
			"3604":      {2, 1, 1, 50},
			"360402":    {2, 1, 1, 50},
			"360402-01": {1, 1, 0, 100},
		}, unitFigs(c), "every unit with staff, over its subtree; units without staff are left out")
		assert.Equal(t, "36", c.Units[0].Code, "tree order: the root first")
		assert.Equal(t, map[string]fig{
			models.PositionWindow:    {4, 4, 0, 100},
			models.PositionMarketing: {1, 1, 0, 100},
			models.PositionInstaller: {2, 0, 2, 0},
			models.PositionOther:     {1, 0, 1, 0},
		}, positionFigs(c))
		var order []string
		for _, p := range c.Positions {
			order = append(order, p.Position)
		}
		assert.Equal(t, []string{"window", "installer", "marketing", "other"}, order, "positions in their fixed order")

		// A manager of 东湖 sees 东湖 only; a filter narrows to a subtree, a position, a level.
		c, err = f.svc.GetCoverage(f.ctx, f.scope("360102"), training.CoverageFilter{})
		require.NoError(t, err)
		assert.Equal(t, fig{4, 3, 1, 75}, figOf(c.Total))
		assert.Equal(t, map[string]fig{"360102": {4, 3, 1, 75}, "360102-01": {3, 3, 0, 100}}, unitFigs(c))

		c, err = f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{UnitID: f.unit("3601").ID, Position: models.PositionWindow})
		require.NoError(t, err)
		assert.Equal(t, fig{3, 3, 0, 100}, figOf(c.Total))
		assert.Equal(t, map[string]fig{"3601": {3, 3, 0, 100}, "360102": {2, 2, 0, 100}, "360102-01": {2, 2, 0, 100},
			"360103": {1, 1, 0, 100}, "360103-01": {1, 1, 0, 100}}, unitFigs(c))

		c, err = f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{Level: models.LevelCounty})
		require.NoError(t, err)
		assert.Equal(t, map[string]fig{"360102": {4, 3, 1, 75}, "360103": {1, 1, 0, 100}, "360402": {2, 1, 1, 50}}, unitFigs(c))

		// Out of scope looks like nonexistent.
		_, err = f.svc.GetCoverage(f.ctx, f.scope("360102"), training.CoverageFilter{UnitID: f.unit("360402").ID})
		require.ErrorIs(t, err, models.ErrNotFound)

		// A major version: everyone is pending until they acknowledge 2.0 (or 2.x).
		v20 := f.publish("2.0")
		c, err = f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{})
		require.NoError(t, err)
		assert.Equal(t, fig{8, 0, 8, 0}, figOf(c.Total))
		f.ack("D1", v20)
		f.ack("L9", v20)
		f.ack("D4", v20) // on leave: counts nowhere
		c, err = f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{})
		require.NoError(t, err)
		assert.Equal(t, fig{8, 2, 6, 25}, figOf(c.Total))
		assert.Equal(t, fig{2, 1, 1, 50}, unitFigs(c)["360402"])
		assert.Equal(t, fig{3, 1, 2, 33.3}, unitFigs(c)["360102-01"])
	})
}

func TestCoverageWithoutHandbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, err := f.svc.GetCoverage(f.ctx, models.ScopeAll, training.CoverageFilter{})
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.ListPending(f.ctx, models.ScopeAll, training.CoverageFilter{}, models.Page{})
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.Current(f.ctx, nil)
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

func TestPendingListScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := coverageFixture(t, db)
		jobs := func(scope models.Scope, filter training.CoverageFilter, p models.Page) ([]string, int64) {
			t.Helper()
			l, err := f.svc.ListPending(f.ctx, scope, filter, p)
			require.NoError(t, err)
			var out []string
			for _, e := range l.Items {
				require.NotNil(t, e.OrgUnit, "units are loaded")
				out = append(out, e.JobNumber)
			}
			assert.Equal(t, "1.1", l.Version.Version)
			return out, l.Total
		}
		got, total := jobs(models.ScopeAll, training.CoverageFilter{}, models.Page{})
		assert.Equal(t, []string{"D5", "L9", "P1"}, got)
		assert.EqualValues(t, 3, total)

		got, _ = jobs(f.scope("360102"), training.CoverageFilter{}, models.Page{})
		assert.Equal(t, []string{"D5"}, got, "a manager sees their branch only")
		got, _ = jobs(f.scope("3604"), training.CoverageFilter{}, models.Page{})
		assert.Equal(t, []string{"L9"}, got)
		got, _ = jobs(models.ScopeAll, training.CoverageFilter{Position: models.PositionInstaller}, models.Page{})
		assert.Equal(t, []string{"D5", "L9"}, got)
		got, _ = jobs(models.ScopeAll, training.CoverageFilter{UnitID: f.unit("3601").ID}, models.Page{})
		assert.Equal(t, []string{"D5"}, got)
		got, total = jobs(models.ScopeAll, training.CoverageFilter{}, models.Page{Page: 2, PerPage: 2})
		assert.Equal(t, []string{"P1"}, got, "the second page")
		assert.EqualValues(t, 3, total)
		got, total = jobs(models.Scope{}, training.CoverageFilter{}, models.Page{})
		assert.Empty(t, got, "the empty scope sees no one")
		assert.Zero(t, total)

		_, err := f.svc.ListPending(f.ctx, f.scope("360102"), training.CoverageFilter{UnitID: f.unit("360402").ID}, models.Page{})
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

func TestPendingWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := coverageFixture(t, db)
		// A name that looks like a formula stays text.
		require.NoError(t, db.Model(&models.Employee{}).Where("job_number = ?", "D5").Update("name", "=HYPERLINK(\"x\")").Error)

		var buf bytes.Buffer
		v, err := f.svc.WritePendingWorkbook(f.ctx, models.ScopeAll, training.CoverageFilter{}, &buf)
		require.NoError(t, err)
		assert.Equal(t, "1.1", v.Version)
		x, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x.Close()
		assert.Equal(t, []string{training.PendingSheet}, x.GetSheetList())
		rows, err := x.GetRows(training.PendingSheet)
		require.NoError(t, err)
		require.Len(t, rows, 4)
		assert.Equal(t, training.PendingColumns, rows[0])
		assert.Equal(t, []string{"D5", "=HYPERLINK(\"x\")", "360102", "东湖区分公司", "装维", "2021-03-01", "13800000000"}, rows[1])
		assert.Equal(t, "L9", rows[2][0])
		assert.Equal(t, []string{"P1", "员工P1", "36", "江西省广播电视网络传输有限公司", "其他", "2021-03-01", "13800000000"}, rows[3])
		formula, err := x.GetCellFormula(training.PendingSheet, "B2")
		require.NoError(t, err)
		assert.Empty(t, formula)

		// Scoped like the list.
		buf.Reset()
		_, err = f.svc.WritePendingWorkbook(f.ctx, f.scope("3604"), training.CoverageFilter{}, &buf)
		require.NoError(t, err)
		x2, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x2.Close()
		rows, err = x2.GetRows(training.PendingSheet)
		require.NoError(t, err)
		require.Len(t, rows, 2)
		assert.Equal(t, "L9", rows[1][0])
	})
}
