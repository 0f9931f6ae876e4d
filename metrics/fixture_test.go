package metrics_test

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/metrics"
	"quality/models"
	"quality/seeds"
)

// fixture is a fresh database holding the base org tree, with the service on a clock
// stopped at 2026-05-11 09:00 in Shanghai: May 2026 is the current month.
type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *gorm.DB
	svc *metrics.Service
	now time.Time
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	f := &fixture{t: t, ctx: ctx, db: db, now: time.Date(2026, 5, 11, 9, 0, 0, 0, loc)}
	f.svc = &metrics.Service{DB: db, Now: func() time.Time { return f.now }}
	return f
}

// province is an admin over the whole province.
var province = metrics.Caller{Actor: models.Actor{UserID: 7, Username: "province-admin"}, Scope: models.ScopeAll}

// city is an admin over 南昌 (3601).
func (f *fixture) city() metrics.Caller {
	return metrics.Caller{Actor: models.Actor{UserID: 8, Username: "city-admin"}, Scope: f.scope("3601")}
}

func (f *fixture) scope(codes ...string) models.Scope {
	var s models.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, f.unit(c).Path)
	}
	return s
}

func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

// counts is a valid month of figures, scaled by n.
func counts(n int64) map[string]int64 {
	return map[string]int64{
		"work_orders": 100 * n, "responded_24h": 90 * n, "ordinary_faults": 40 * n, "ordinary_fixed_24h": 35 * n,
		"major_faults": 5 * n, "major_fixed_72h": 4 * n, "installations": 30 * n, "installed_on_time": 28 * n,
		"restorations": 10 * n, "restored_on_time": 9 * n, "complaints": 6 * n, "complaints_replied_3d": 5 * n,
		"callbacks_due": 50 * n, "callbacks_done_72h": 48 * n, "surveys": 20 * n, "survey_score_sum": 1800 * n,
		"subscribers_start": 168000, "subscribers_end": 168000 + n,
	}
}

// with is c with key set to v.
func with(c map[string]int64, key string, v int64) map[string]int64 {
	out := maps.Clone(c)
	out[key] = v
	return out
}

// input is the PUT body holding c.
func input(t *testing.T, c map[string]int64) metrics.Input {
	t.Helper()
	b, err := json.Marshal(c)
	require.NoError(t, err)
	var in metrics.Input
	require.NoError(t, json.Unmarshal(b, &in))
	return in
}

// put stores c for the unit with code and month as the province's admin.
func (f *fixture) put(code, month string, c map[string]int64) *metrics.View {
	f.t.Helper()
	v, err := f.svc.Replace(f.ctx, province, f.unit(code).ID, month, input(f.t, c))
	require.NoError(f.t, err)
	return v
}

// keys are the JSON keys of the counts in workbook order.
var keys = []string{"work_orders", "responded_24h", "ordinary_faults", "ordinary_fixed_24h", "major_faults", "major_fixed_72h",
	"installations", "installed_on_time", "restorations", "restored_on_time", "complaints", "complaints_replied_3d",
	"callbacks_due", "callbacks_done_72h", "surveys", "survey_score_sum", "subscribers_start", "subscribers_end"}

// row is a sheet row for code and month with the counts c in column order.
func row(code, month string, c map[string]int64) []any {
	out := []any{code, "", month}
	for _, k := range keys {
		out = append(out, c[k])
	}
	return out
}

// book is a metrics workbook with header and rows.
func book(t *testing.T, header []string, rows ...[]any) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	require.NoError(t, x.SetSheetName("Sheet1", metrics.Sheet))
	h := make([]any, len(header))
	for i, v := range header {
		h[i] = v
	}
	require.NoError(t, x.SetSheetRow(metrics.Sheet, "A1", &h))
	for i, r := range rows {
		cell, err := excelize.CoordinatesToCellName(1, i+2)
		require.NoError(t, err)
		require.NoError(t, x.SetSheetRow(metrics.Sheet, cell, &r))
	}
	var buf bytes.Buffer
	require.NoError(t, x.Write(&buf))
	return buf.Bytes()
}

// stored loads the row of the unit with code for month, or nil.
func (f *fixture) stored(code, month string) *models.ServiceMetric {
	f.t.Helper()
	var ms []models.ServiceMetric
	require.NoError(f.t, f.db.Where("org_unit_id = ? AND month = ?", f.unit(code).ID, month).Find(&ms).Error)
	if len(ms) == 0 {
		return nil
	}
	return &ms[0]
}

// audits are the service metric audit events after id, oldest first.
func (f *fixture) audits(after uint64) []models.AuditEvent {
	f.t.Helper()
	var evs []models.AuditEvent
	require.NoError(f.t, f.db.Where("entity = ? AND id > ?", "service_metric", after).Order("id").Find(&evs).Error)
	return evs
}

// lastAudit is the id of the newest audit event.
func (f *fixture) lastAudit() uint64 {
	f.t.Helper()
	var ev models.AuditEvent
	err := f.db.Order("id DESC").Take(&ev).Error
	if err != nil {
		return 0
	}
	return ev.ID
}

func (f *fixture) count() int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(&models.ServiceMetric{}).Count(&n).Error)
	return n
}
