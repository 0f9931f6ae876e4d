package rectifications_test

import (
	"bytes"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/rectifications"
	"quality/rectifications/rectest"
)

// Overdue is derived from the due date and the day in Shanghai, never stored: due on
// the 10th, a rectification is overdue from midnight of the 11th in Shanghai (16:00 UTC
// on the 10th), and a submitted one is not overdue.
func TestOverdueIsDerived(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		mgr := f.user("mgr-360102", grant{models.RoleManager, "360102"})
		due := date(2026, 3, 10)
		open := f.open("360102-01", due)
		submitted := f.open("360102-02", due)
		f.photo(mgr, submitted.ID)
		_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), submitted.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
		require.NoError(t, err)
		later := f.open("360102-01", date(2026, 3, 20))

		overdue := func() map[uint]int {
			list, err := f.svc.List(f.ctx, models.ScopeAll, rectifications.Filter{Overdue: true})
			require.NoError(t, err)
			out := map[uint]int{}
			for _, v := range list.Items {
				assert.True(t, v.Overdue)
				out[v.ID] = v.DaysOverdue
			}
			assert.EqualValues(t, len(out), list.Total)
			return out
		}

		f.now = time.Date(2026, 3, 10, 15, 59, 59, 0, time.UTC) // 23:59:59 on the 10th in Shanghai
		assert.Empty(t, overdue())
		d, err := f.svc.Get(f.ctx, models.ScopeAll, open.ID)
		require.NoError(t, err)
		assert.False(t, d.Overdue)

		f.now = time.Date(2026, 3, 10, 16, 0, 0, 0, time.UTC) // midnight of the 11th in Shanghai
		assert.Equal(t, map[uint]int{open.ID: 1}, overdue())
		d, err = f.svc.Get(f.ctx, models.ScopeAll, submitted.ID)
		require.NoError(t, err)
		assert.False(t, d.Overdue, "a submitted rectification waits for the inspector, it is not overdue")

		f.now = time.Date(2026, 3, 25, 3, 0, 0, 0, time.UTC)
		assert.Equal(t, map[uint]int{open.ID: 15, later.ID: 5}, overdue())

		// A rejection after the due date makes it overdue at once.
		insp := f.user("insp-3601", grant{models.RoleInspector, "3601"})
		_, err = f.svc.Reject(f.ctx, as(insp, verifierRoute...), submitted.ID, rectifications.ReasonInput{Revision: 2, Reason: "照片不符"})
		require.NoError(t, err)
		assert.Equal(t, map[uint]int{open.ID: 15, later.ID: 5, submitted.ID: 15}, overdue())
	})
}

// The list is cut to the scope (the outlet must lie in the caller's subtree) and
// filtered by unit, status, criticality and period on the creation day or the due date.
func TestListScopeAndFilters(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.open("360102-01", date(2026, 3, 9))                                                                                 // created 03-02
		b := rectest.Open(t, db, "360102-02", rectest.Options{At: day0.AddDate(0, 0, 3), Critical: true, DueOn: date(2026, 3, 8)}) // created 03-05
		c := f.open("360402-01", date(2026, 3, 9))                                                                                 // 九江: outside 南昌
		nanchang := as(f.user("insp-3601", grant{models.RoleInspector, "3601"}), readRoute...)
		branch := as(f.user("mgr-360102", grant{models.RoleManager, "360102"}), readRoute...)
		other := as(f.user("mgr-360402", grant{models.RoleManager, "360402"}), readRoute...)

		ids := func(scope models.Scope, flt rectifications.Filter) []uint {
			t.Helper()
			list, err := f.svc.List(f.ctx, scope, flt)
			require.NoError(t, err)
			out := []uint{}
			for _, v := range list.Items {
				out = append(out, v.ID)
			}
			assert.EqualValues(t, len(out), list.Total)
			return out
		}
		crit := true
		assert.Equal(t, []uint{b.ID, a.ID, c.ID}, ids(models.ScopeAll, rectifications.Filter{}), "earliest due first")
		assert.Equal(t, []uint{b.ID, a.ID}, ids(nanchang.Scope, rectifications.Filter{}))
		assert.Equal(t, []uint{b.ID, a.ID}, ids(branch.Scope, rectifications.Filter{}))
		assert.Equal(t, []uint{c.ID}, ids(other.Scope, rectifications.Filter{}))
		assert.Equal(t, []uint{a.ID}, ids(models.ScopeAll, rectifications.Filter{UnitID: f.unit("360102-01").ID}))
		assert.Equal(t, []uint{c.ID}, ids(models.ScopeAll, rectifications.Filter{UnitID: f.unit("3604").ID}))
		assert.Equal(t, []uint{b.ID}, ids(models.ScopeAll, rectifications.Filter{Critical: &crit}))
		assert.Equal(t, []uint{b.ID, a.ID, c.ID}, ids(models.ScopeAll, rectifications.Filter{Status: models.RectOpen}))
		assert.Empty(t, ids(models.ScopeAll, rectifications.Filter{Status: models.RectVerified}))
		// Period on the creation day (Shanghai), both ends included.
		assert.Equal(t, []uint{b.ID}, ids(models.ScopeAll, rectifications.Filter{From: date(2026, 3, 5), To: date(2026, 3, 5)}))
		assert.Equal(t, []uint{a.ID, c.ID}, ids(models.ScopeAll, rectifications.Filter{To: date(2026, 3, 4)}))
		// Period on the due date.
		assert.Equal(t, []uint{b.ID}, ids(models.ScopeAll, rectifications.Filter{On: "due", To: date(2026, 3, 8)}))
		assert.Equal(t, []uint{a.ID, c.ID}, ids(models.ScopeAll, rectifications.Filter{On: "due", From: date(2026, 3, 9), To: date(2026, 3, 9)}))

		// Out of scope is not found, for a unit filter and for one record.
		_, err := f.svc.List(f.ctx, branch.Scope, rectifications.Filter{UnitID: f.unit("360402").ID})
		isNotFound(t, err)
		_, err = f.svc.Get(f.ctx, nanchang.Scope, c.ID)
		isNotFound(t, err)
		_, err = f.svc.Get(f.ctx, other.Scope, a.ID)
		isNotFound(t, err)
		_, _, err = f.svc.OpenPhoto(f.ctx, other.Scope, a.ID, 1)
		isNotFound(t, err)
		d, err := f.svc.Get(f.ctx, branch.Scope, a.ID)
		require.NoError(t, err)
		assert.Equal(t, "360102-01", d.Outlet.Code)
	})
}

// The export holds the same list; text that looks like a formula stays text.
func TestExport(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := rectest.Open(t, db, "360102-01", rectest.Options{At: day0, DueOn: date(2026, 3, 5), Text: `=HYPERLINK("http://x","点我")`, Critical: true})
		b := f.open("360402-01", date(2026, 3, 30))
		f.now = time.Date(2026, 3, 8, 2, 0, 0, 0, time.UTC)

		read := func(scope models.Scope, flt rectifications.Filter) [][]string {
			var buf bytes.Buffer
			require.NoError(t, f.svc.WriteWorkbook(f.ctx, scope, flt, &buf))
			x, err := excelize.OpenReader(&buf)
			require.NoError(t, err)
			defer x.Close()
			assert.Equal(t, []string{rectifications.Sheet}, x.GetSheetList())
			formula, err := x.GetCellFormula(rectifications.Sheet, "F2")
			require.NoError(t, err)
			assert.Empty(t, formula)
			rows, err := x.GetRows(rectifications.Sheet)
			require.NoError(t, err)
			require.NotEmpty(t, rows)
			assert.Equal(t, rectifications.Columns, rows[0])
			return rows[1:]
		}
		rows := read(models.ScopeAll, rectifications.Filter{Overdue: true})
		require.Len(t, rows, 1)
		assert.Equal(t, []string{strconv.Itoa(int(a.ID)), "360102-01", f.unit("360102-01").Name, f.unit("360102").Name, "R1.2",
			`=HYPERLINK("http://x","点我")`, "是", "待整改", "3", "2026-03-05", "2026-03-02 10:00"}, rows[0], "empty trailing cells are not read back")
		assert.Len(t, read(models.ScopeAll, rectifications.Filter{Status: models.RectOpen}), 2)

		// The overdue row is highlighted, the other not.
		var buf bytes.Buffer
		require.NoError(t, f.svc.WriteWorkbook(f.ctx, models.ScopeAll, rectifications.Filter{Status: models.RectOpen}, &buf))
		x, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x.Close()
		fills := map[string]bool{}
		for _, row := range []int{2, 3} {
			id, err := x.GetCellValue(rectifications.Sheet, fmt.Sprintf("A%d", row))
			require.NoError(t, err)
			style, err := x.GetCellStyle(rectifications.Sheet, fmt.Sprintf("A%d", row))
			require.NoError(t, err)
			st, err := x.GetStyle(style)
			require.NoError(t, err)
			fills[id] = len(st.Fill.Color) > 0
		}
		assert.Equal(t, map[string]bool{idText(a.ID): true, idText(b.ID): false}, fills)
		nanchang := as(f.user("insp-3601", grant{models.RoleInspector, "3601"}), readRoute...)
		assert.Len(t, read(nanchang.Scope, rectifications.Filter{}), 1)
	})
}

func idText(id uint) string { return strconv.FormatUint(uint64(id), 10) }
