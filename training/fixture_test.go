package training_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// actor is who makes the changes in these tests.
var actor = models.Actor{UserID: 0, Username: "trainer", IP: "10.0.0.7", RequestID: "req-7"}

// fixture is a fresh database holding the base org tree and the staff it is given,
// with a training service on it (wall clock, Beijing time).
type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *gorm.DB
	svc *training.Service
	emp map[string]uint // employee id by job number
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	return &fixture{t: t, ctx: ctx, db: db, svc: training.NewService(db, dbtest.Shanghai), emp: map[string]uint{}}
}

// unit loads the unit with code.
func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

// scope is the scope of a caller holding the subtrees of the units with codes.
func (f *fixture) scope(codes ...string) models.Scope {
	var s models.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, f.unit(c).Path)
	}
	return s
}

// staff adds an employee to the unit with code.
func (f *fixture) staff(job, unitCode, position, status string) uint {
	f.t.Helper()
	e := &models.Employee{JobNumber: job, Name: "员工" + job, OrgUnitID: f.unit(unitCode).ID, Position: position,
		HireDate: models.Date{Year: 2021, Month: 3, Day: 1}, Status: status, Phone: "13800000000"}
	require.NoError(f.t, f.db.Omit("OrgUnit").Create(e).Error)
	f.emp[job] = e.ID
	return e.ID
}

// id is the id of the employee with job number job.
func (f *fixture) id(job string) *uint {
	f.t.Helper()
	id, ok := f.emp[job]
	require.True(f.t, ok, "no employee %s", job)
	return &id
}

// publish creates and publishes version number.
func (f *fixture) publish(number string) *models.HandbookVersion {
	f.t.Helper()
	d, err := f.svc.CreateDraft(f.ctx, actor, training.VersionInput{Version: number, Title: "员工手册 " + number,
		Body: fmt.Sprintf("# 员工手册 %s\n\n首问负责（R2.1）。", number)})
	require.NoError(f.t, err)
	v, err := f.svc.Publish(f.ctx, actor, d.ID)
	require.NoError(f.t, err)
	return v
}

// ack acknowledges version v as the employee with job number job.
func (f *fixture) ack(job string, v *models.HandbookVersion) *models.Acknowledgement {
	f.t.Helper()
	a, _, err := f.svc.Acknowledge(f.ctx, actor, f.id(job), training.AckInput{VersionID: v.ID}, "test-agent")
	require.NoError(f.t, err)
	return a
}

// count counts the rows of model matching the optional condition.
func (f *fixture) count(model any, cond ...any) int64 {
	f.t.Helper()
	q := f.db.Model(model)
	if len(cond) > 0 {
		q = q.Where(cond[0], cond[1:]...)
	}
	var n int64
	require.NoError(f.t, q.Count(&n).Error)
	return n
}
