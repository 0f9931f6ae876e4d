package accountability_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/models"
	"quality/policy"
	"quality/seeds"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// fixture is a fresh database with the base org tree, a few employees, a clock the
// test moves and a service on it.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	now   time.Time
	svc   *accountability.Service
	seq   int
	insp  *models.User
	actor models.Actor
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	f := &fixture{t: t, ctx: ctx, db: db}
	// Friday 6 March 2026, 10:00 in Shanghai.
	f.now = time.Date(2026, 3, 6, 10, 0, 0, 0, shanghai)
	f.svc = &accountability.Service{DB: db, Policy: policy.NewService(db), Now: func() time.Time { return f.now }}
	f.insp = &models.User{Username: "insp-fixture", DisplayName: "督导员", PasswordHash: "x"}
	require.NoError(t, db.Create(f.insp).Error)
	f.actor = models.Actor{UserID: f.insp.ID, Username: f.insp.Username, IP: "10.0.0.9", RequestID: "req-9"}
	return f
}

// at sets the clock to the given day at 10:00 in Shanghai.
func (f *fixture) at(y int, m time.Month, d int) { f.now = time.Date(y, m, d, 10, 0, 0, 0, shanghai) }

func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

// scope is the scope of the subtrees of the units with codes.
func (f *fixture) scope(codes ...string) models.Scope {
	var s models.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, f.unit(c).Path)
	}
	return s
}

// caller acts with the scope of the units with codes.
func (f *fixture) caller(codes ...string) accountability.Caller {
	return accountability.Caller{Actor: f.actor, Scope: f.scope(codes...)}
}

// staff adds an employee to the unit with code and returns its id.
func (f *fixture) staff(unitCode string) uint {
	f.t.Helper()
	f.seq++
	e := &models.Employee{JobNumber: fmt.Sprintf("T%s-%03d", unitCode, f.seq), Name: fmt.Sprintf("员工%d", f.seq), OrgUnitID: f.unit(unitCode).ID,
		Position: models.PositionWindow, HireDate: models.Date{Year: 2021, Month: 3, Day: 1}, Status: models.StatusActive}
	require.NoError(f.t, f.db.Omit("OrgUnit").Create(e).Error)
	return e.ID
}

// finding inserts a finding of a submitted inspection of the outlet with code (the
// inspection side is not this package's: its rows are made directly).
func (f *fixture) finding(outletCode string, voided bool) uint {
	f.t.Helper()
	f.seq++
	now := time.Now().UTC()
	tpl := &models.ChecklistTemplate{Code: fmt.Sprintf("CASE-T%d", f.seq), Version: 1, Title: "测试检查表", Status: models.TemplatePublished, PassMark: 80}
	require.NoError(f.t, f.db.Create(tpl).Error)
	unit := f.unit(outletCode)
	in := &models.Inspection{ClientID: fmt.Sprintf("case-%d", f.seq), InspectorID: f.insp.ID, TemplateID: tpl.ID, OrgUnitID: unit.ID,
		Status: models.InspectionSubmitted, StartedAt: now, SubmittedAt: &now, Result: models.ResultFail}
	require.NoError(f.t, f.db.Omit("Inspector", "Template", "OrgUnit").Create(in).Error)
	item := &models.InspectionItem{InspectionID: in.ID, Key: "1.1", Section: "公示", Text: "公示服务承诺", RuleRef: "R1.1",
		Response: models.ResponsePassFail, MaxScore: 1, Weight: 1, Outcome: models.OutcomeFail}
	require.NoError(f.t, f.db.Create(item).Error)
	fd := &models.Finding{InspectionID: in.ID, InspectionItemID: item.ID, OrgUnitID: unit.ID, ItemKey: "1.1", RuleRef: "R1.1",
		Text: "未公示服务承诺", FoundAt: now}
	if voided {
		fd.VoidedAt, fd.VoidReason = &now, "误判"
	}
	require.NoError(f.t, f.db.Omit("Inspection", "InspectionItem", "OrgUnit").Create(fd).Error)
	return fd.ID
}

// open opens a complaint case in the unit with code about the employees.
func (f *fixture) open(unitCode string, employees ...uint) *models.AccountabilityCase {
	f.t.Helper()
	c, err := f.svc.Open(f.ctx, f.caller("3601"), accountability.OpenInput{Title: "窗口推诿客户", OrgUnitID: f.unit(unitCode).ID,
		Source: models.CaseFromComplaint, ComplaintRef: "TS-2026-001", Summary: "客户投诉营业员推诿（R2.4）",
		Grounds: []string{models.GroundServiceRules}, EmployeeIDs: employees})
	require.NoError(f.t, err)
	return c
}

// person is the id of the case's person for employee.
func (f *fixture) person(caseID, employee uint) uint {
	f.t.Helper()
	var p models.CasePerson
	require.NoError(f.t, f.db.Where("case_id = ? AND employee_id = ?", caseID, employee).Take(&p).Error)
	return p.ID
}

// decide decides on a person with a warning for a minor act.
func (f *fixture) decide(caseID, employee uint) error {
	_, err := f.svc.Decide(f.ctx, f.caller("3601"), caseID, f.person(caseID, employee), warning)
	return err
}

var warning = accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning, Note: "初次"}

func (f *fixture) audits() int64 {
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}
