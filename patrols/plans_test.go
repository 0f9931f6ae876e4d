package patrols_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/patrols"
	"quality/seeds"
)

const tplCode = "PATROL-TEST"

type fixture struct {
	t    *testing.T
	ctx  context.Context
	db   *gorm.DB
	now  time.Time
	svc  *patrols.Service
	insp *models.User // inspector over 南昌市 (3601)
	adm  patrols.Caller
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	f := &fixture{t: t, ctx: ctx, db: db, now: time.Date(2026, 5, 11, 9, 0, 0, 0, loc)}
	f.svc = &patrols.Service{DB: db, Now: func() time.Time { return f.now }}
	require.NoError(t, db.Create(&models.ChecklistTemplate{Code: tplCode, Version: 1, Title: "营业厅检查", Status: models.TemplatePublished, PassMark: 80}).Error)
	f.insp = f.user("insp-3601", models.RoleInspector, "3601")
	f.adm = patrols.Caller{Actor: models.Actor{UserID: 1, Username: "admin"}, Scope: models.ScopeAll, Admin: models.ScopeAll}
	return f
}

func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

func (f *fixture) user(name, role, unitCode string) *models.User {
	f.t.Helper()
	u := &models.User{Username: name, DisplayName: name, PasswordHash: "x", Grants: []models.Grant{{Role: role, OrgUnitID: f.unit(unitCode).ID}}}
	require.NoError(f.t, f.db.Create(u).Error)
	return u
}

func (f *fixture) inspector() patrols.Caller {
	return patrols.Caller{Actor: models.Actor{UserID: f.insp.ID, Username: f.insp.Username}, Scope: models.Scope{Paths: []string{f.unit("3601").Path}}}
}

func d(s string) models.Date {
	v, err := models.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return v
}

func (f *fixture) plan(stops ...patrols.StopInput) patrols.PlanInput {
	return patrols.PlanInput{Title: "五月巡查", InspectorID: f.insp.ID, OrgUnitID: f.unit("360102").ID, TemplateCode: tplCode,
		StartsOn: d("2026-05-01"), EndsOn: d("2026-05-31"), Stops: stops}
}

func (f *fixture) stop(code, due string) patrols.StopInput {
	return patrols.StopInput{OrgUnitID: f.unit(code).ID, DueOn: d(due)}
}

func (f *fixture) audits() int64 {
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}

// cover marks a stop done as the inspection side does at submit.
func (f *fixture) cover(planID uint, code string) {
	f.t.Helper()
	var st models.PatrolStop
	require.NoError(f.t, f.db.Where("plan_id = ? AND org_unit_id = ?", planID, f.unit(code).ID).Take(&st).Error)
	now := time.Now().UTC()
	in := &models.Inspection{ClientID: "cover-" + code, InspectorID: f.insp.ID, TemplateID: 1, OrgUnitID: st.OrgUnitID, PatrolStopID: &st.ID,
		Status: models.InspectionSubmitted, StartedAt: now, SubmittedAt: &now, Result: models.ResultPass}
	var tpl models.ChecklistTemplate
	require.NoError(f.t, f.db.Where("code = ?", tplCode).Take(&tpl).Error)
	in.TemplateID = tpl.ID
	require.NoError(f.t, f.db.Omit("Inspector", "Template", "OrgUnit").Create(in).Error)
	covered, err := models.CoverPatrolStop(f.db, st.ID, in.ID)
	require.NoError(f.t, err)
	require.True(f.t, covered)
}

func TestCreatePlanValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		other := f.user("insp-3604", models.RoleInspector, "3604")
		trainer := f.user("trainer-x", models.RoleTrainer, "36")
		adminElsewhere := f.inspector()
		adminElsewhere.Admin = models.Scope{Paths: []string{f.unit("3604").Path}}
		bad := []struct {
			by          patrols.Caller
			edit        func(*patrols.PlanInput)
			field, code string
		}{
			{f.adm, func(in *patrols.PlanInput) { in.Title = "" }, "title", "required"},
			{f.adm, func(in *patrols.PlanInput) { in.TemplateCode = "NOPE" }, "template_code", "patrol_template_unknown"},
			{f.adm, func(in *patrols.PlanInput) { in.EndsOn = d("2026-04-01") }, "ends_on", "ends_before_start"},
			{f.adm, func(in *patrols.PlanInput) { in.InspectorID = trainer.ID }, "inspector_id", "patrol_not_inspector"},
			{f.adm, func(in *patrols.PlanInput) { in.InspectorID = other.ID }, "inspector_id", "patrol_not_covered"},
			{f.inspector(), func(in *patrols.PlanInput) { in.InspectorID = other.ID }, "inspector_id", "patrol_not_self"},
			// An admin of 九江 is only an inspector in 南昌: there they plan for themselves alone.
			{adminElsewhere, func(in *patrols.PlanInput) { in.InspectorID = other.ID }, "inspector_id", "patrol_not_self"},
			{f.inspector(), func(in *patrols.PlanInput) { in.OrgUnitID = f.unit("360402").ID }, "org_unit_id", "not_found"},
			{f.adm, func(in *patrols.PlanInput) { in.Stops = nil }, "stops", "required"},
			{f.adm, func(in *patrols.PlanInput) { in.Stops = []patrols.StopInput{f.stop("360102", "2026-05-10")} }, "stops[0].org_unit_id", "patrol_not_outlet"},
			{f.adm, func(in *patrols.PlanInput) { in.Stops = []patrols.StopInput{f.stop("360402-01", "2026-05-10")} }, "stops[0].org_unit_id", "patrol_outside_unit"},
			{f.adm, func(in *patrols.PlanInput) { in.Stops = []patrols.StopInput{f.stop("360102-01", "2026-06-01")} }, "stops[0].due_on", "patrol_outside_period"},
			{f.adm, func(in *patrols.PlanInput) {
				in.Stops = []patrols.StopInput{f.stop("360102-01", "2026-05-10"), f.stop("360102-01", "2026-05-12")}
			}, "stops[1].org_unit_id", "duplicate"},
		}
		before := f.audits()
		for _, b := range bad {
			in := f.plan(f.stop("360102-01", "2026-05-20"))
			b.edit(&in)
			_, err := f.svc.Create(f.ctx, b.by, in)
			dbtest.RequireFieldError(t, err, b.field, b.code)
		}
		assert.Equal(t, before, f.audits(), "no audit row for a refused plan")

		// An inspector plans for themself; an admin for an inspector whose scope covers it.
		v, err := f.svc.Create(f.ctx, f.inspector(), f.plan(f.stop("360102-01", "2026-05-20")))
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
		assert.Equal(t, patrols.Coverage{Planned: 1, Pending: 1}, v.Coverage)
		_, err = f.svc.Create(f.ctx, f.adm, f.plan(f.stop("360102-02", "2026-05-20")))
		require.NoError(t, err)
		// Out of scope looks like nonexistent.
		_, err = f.svc.Get(f.ctx, models.Scope{Paths: []string{f.unit("3604").Path}}, v.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

func TestStopsAddAndRemove(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db) // today 11 May
		in := f.plan(f.stop("360102-01", "2026-05-05"), f.stop("360102-02", "2026-05-20"))
		in.OrgUnitID = f.unit("3601").ID
		v, err := f.svc.Create(f.ctx, f.adm, in)
		require.NoError(t, err)
		before := f.audits()
		_, err = f.svc.AddStops(f.ctx, f.adm, v.ID, patrols.StopsInput{Stops: []patrols.StopInput{f.stop("360102-01", "2026-05-25")}})
		dbtest.RequireFieldError(t, err, "stops[0].org_unit_id", "duplicate")
		third := f.unit("360103-01")
		_, err = f.svc.AddStops(f.ctx, f.adm, v.ID, patrols.StopsInput{Stops: []patrols.StopInput{{OrgUnitID: third.ID, DueOn: d("2026-05-10")}}})
		dbtest.RequireFieldError(t, err, "stops[0].due_on", "patrol_due_in_past")
		assert.Equal(t, before, f.audits())
		got, err := f.svc.AddStops(f.ctx, f.adm, v.ID, patrols.StopsInput{Stops: []patrols.StopInput{{OrgUnitID: third.ID, DueOn: d("2026-05-11")}}})
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
		assert.Equal(t, patrols.Coverage{Planned: 3, Missed: 1, Pending: 2}, got.Coverage)

		// Another inspector in scope may read but not change the plan.
		other := f.user("insp-36b", models.RoleInspector, "3601")
		by := patrols.Caller{Actor: models.Actor{UserID: other.ID}, Scope: f.inspector().Scope}
		_, err = f.svc.AddStops(f.ctx, by, v.ID, patrols.StopsInput{Stops: []patrols.StopInput{f.stop("360102-02", "2026-05-22")}})
		require.ErrorIs(t, err, models.ErrForbidden)

		stopOf := func(code string) uint {
			for _, s := range got.Stops {
				if s.UnitCode == code {
					return s.ID
				}
			}
			t.Fatalf("no stop %s", code)
			return 0
		}
		_, err = f.svc.RemoveStop(f.ctx, f.adm, v.ID, stopOf("360102-01"))
		dbtest.RequireConflict(t, err, "stop_id", "patrol_stop_passed")
		f.cover(v.ID, "360102-02")
		_, err = f.svc.RemoveStop(f.ctx, f.adm, v.ID, stopOf("360102-02"))
		dbtest.RequireConflict(t, err, "stop_id", "patrol_stop_covered")
		assert.Equal(t, before+1, f.audits())
		got, err = f.svc.RemoveStop(f.ctx, f.inspector(), v.ID, stopOf(third.Code))
		require.NoError(t, err)
		assert.Equal(t, before+2, f.audits())
		assert.Equal(t, patrols.Coverage{Planned: 2, Done: 1, Missed: 1}, got.Coverage)

		// After the period nothing is added.
		f.now = f.now.AddDate(0, 1, 0)
		_, err = f.svc.AddStops(f.ctx, f.adm, v.ID, patrols.StopsInput{Stops: []patrols.StopInput{{OrgUnitID: third.ID, DueOn: d("2026-05-31")}}})
		dbtest.RequireConflict(t, err, "plan_id", "patrol_plan_ended")
	})
}

// Coverage per plan and per branch with a fixed clock: done, missed (due before today
// without an inspection), pending (due today or later).
func TestCoverage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db) // today 11 May
		p1, err := f.svc.Create(f.ctx, f.adm, f.plan(f.stop("360102-01", "2026-05-05"), f.stop("360102-02", "2026-05-11")))
		require.NoError(t, err)
		in := f.plan(f.stop("360402-01", "2026-05-04"), f.stop("360402-02", "2026-05-06"))
		in.OrgUnitID = f.unit("360402").ID
		in.InspectorID = f.user("insp-36", models.RoleInspector, "36").ID
		p2, err := f.svc.Create(f.ctx, f.adm, in)
		require.NoError(t, err)
		f.cover(p2.ID, "360402-01")
		// A stop due outside the asked period does not count.
		in.Stops = []patrols.StopInput{f.stop("360402-01", "2026-05-29")}
		_, err = f.svc.Create(f.ctx, f.adm, in)
		require.NoError(t, err)

		list, err := f.svc.List(f.ctx, models.ScopeAll, patrols.ListInput{UnitID: f.unit("3601").ID})
		require.NoError(t, err)
		require.EqualValues(t, 1, list.Total)
		assert.Equal(t, patrols.Coverage{Planned: 2, Missed: 1, Pending: 1}, list.Items[0].Coverage)
		assert.Equal(t, p1.ID, list.Items[0].ID)

		rep, err := f.svc.BranchCoverage(f.ctx, models.ScopeAll, patrols.CoverageInput{From: d("2026-05-01"), To: d("2026-05-15")})
		require.NoError(t, err)
		assert.Equal(t, patrols.Coverage{Planned: 4, Done: 1, Missed: 2, Pending: 1}, rep.Total)
		byCode := map[string]patrols.Coverage{}
		for _, b := range rep.Branches {
			byCode[b.Code] = b.Coverage
		}
		assert.Equal(t, patrols.Coverage{Planned: 2, Missed: 1, Pending: 1}, byCode["360102"])
		assert.Equal(t, patrols.Coverage{Planned: 2, Done: 1, Missed: 1}, byCode["360402"])
		assert.Contains(t, byCode, "360103", "a branch without plans is listed with zeros")
		assert.Zero(t, byCode["360103"].Planned)

		// The manager of 东湖区 sees only their branch.
		rep, err = f.svc.BranchCoverage(f.ctx, models.Scope{Paths: []string{f.unit("360102").Path}}, patrols.CoverageInput{From: d("2026-05-01"), To: d("2026-05-31")})
		require.NoError(t, err)
		require.Len(t, rep.Branches, 1)
		assert.Equal(t, "360102", rep.Branches[0].Code)
		_, err = f.svc.BranchCoverage(f.ctx, models.Scope{Paths: []string{f.unit("360102").Path}}, patrols.CoverageInput{UnitID: f.unit("360402").ID, From: d("2026-05-01"), To: d("2026-05-31")})
		require.ErrorIs(t, err, models.ErrNotFound)

		// The next day the pending stop due on the 11th is missed.
		f.now = f.now.AddDate(0, 0, 1)
		rep, err = f.svc.BranchCoverage(f.ctx, models.ScopeAll, patrols.CoverageInput{UnitID: f.unit("3601").ID, From: d("2026-05-01"), To: d("2026-05-15")})
		require.NoError(t, err)
		assert.Equal(t, patrols.Coverage{Planned: 2, Missed: 2}, rep.Total)

		var buf bytes.Buffer
		require.NoError(t, f.svc.WriteCoverageWorkbook(f.ctx, models.ScopeAll, patrols.CoverageInput{From: d("2026-05-01"), To: d("2026-05-15")}, &buf))
		x, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x.Close()
		rows, err := x.GetRows(patrols.CoverageSheet)
		require.NoError(t, err)
		assert.Equal(t, patrols.CoverageColumns, rows[0])
		last := rows[len(rows)-1]
		assert.Equal(t, []string{"", "合计", "", "4", "1", "3", "0", "25.00"}, last)
	})
}
