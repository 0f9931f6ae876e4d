package org_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/org"
	"quality/seeds"
)

// actor is who makes the changes in these tests.
var actor = models.Actor{Username: "tester", IP: "10.0.0.1", RequestID: "req-1"}

// fixture is a fresh database holding the base org tree (seeds.LoadBase).
type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *gorm.DB
	svc *org.Service
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	return &fixture{t: t, ctx: ctx, db: db, svc: org.NewService(db)}
}

// unit loads the unit with code as it is now.
func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

// id is the id of the unit with code.
func (f *fixture) id(code string) uint { return f.unit(code).ID }

// ptr returns a pointer to the id of the unit with code.
func (f *fixture) ptr(code string) *uint { id := f.id(code); return &id }

// scope is the scope of a caller holding the subtrees of the units with codes.
func (f *fixture) scope(codes ...string) models.Scope {
	var s models.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, f.unit(c).Path)
	}
	return s
}

// employee creates an employee with the whole-province scope (one audit event).
func (f *fixture) employee(job, name, unitCode string) *models.Employee {
	f.t.Helper()
	e, err := f.svc.CreateEmployee(f.ctx, actor, models.ScopeAll, org.EmployeeInput{
		JobNumber: job, Name: name, OrgUnitID: f.id(unitCode), Position: models.PositionWindow,
		HireDate: models.Date{Year: 2020, Month: 5, Day: 6},
	})
	require.NoError(f.t, err)
	return e
}

// employeeByJob loads an employee by job number, or nil when there is none.
func (f *fixture) employeeByJob(job string) *models.Employee {
	f.t.Helper()
	m, err := models.EmployeesByJobNumber(f.ctx, f.db, []string{job})
	require.NoError(f.t, err)
	if e, ok := m[job]; ok {
		return &e
	}
	return nil
}

func (f *fixture) count(model any) int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(model).Count(&n).Error)
	return n
}

// auditMark is the id of the newest audit event, to find the events written after it.
func (f *fixture) auditMark() uint64 {
	f.t.Helper()
	var id uint64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Select("COALESCE(MAX(id), 0)").Scan(&id).Error)
	return id
}

// auditSince returns the audit events written after mark, oldest first.
func (f *fixture) auditSince(mark uint64) []models.AuditEvent {
	f.t.Helper()
	var events []models.AuditEvent
	require.NoError(f.t, f.db.Where("id > ?", mark).Order("id").Find(&events).Error)
	return events
}

// requireNoAudit checks that nothing was audited since mark.
func (f *fixture) requireNoAudit(mark uint64) {
	f.t.Helper()
	require.Empty(f.t, f.auditSince(mark), "a refused write must leave no audit event")
}

// requireOneAudit checks that exactly one audit event was written since mark, with
// the given action, entity and entity id, and returns it.
func (f *fixture) requireOneAudit(mark uint64, action, entity string, id uint) models.AuditEvent {
	f.t.Helper()
	events := f.auditSince(mark)
	require.Len(f.t, events, 1, "audit events since %d", mark)
	e := events[0]
	require.Equal(f.t, action, e.Action)
	require.Equal(f.t, entity, e.Entity)
	require.Equal(f.t, strconv.FormatUint(uint64(id), 10), e.EntityID)
	require.Equal(f.t, actor.Username, e.ActorName)
	require.Equal(f.t, actor.IP, e.IP)
	require.Equal(f.t, actor.RequestID, e.RequestID)
	return e
}

// with returns the fixture bound to a subtest's t, so that its checks fail that subtest.
func (f *fixture) with(t *testing.T) *fixture {
	c := *f
	c.t = t
	return &c
}
