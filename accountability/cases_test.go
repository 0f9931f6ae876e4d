package accountability_test

import (
	"bytes"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/models"
	"quality/models/dbtest"
)

// R6.5 with the one-step rule of Allowed: the severity's own outcome, one step up with
// an aggravating factor, one step down with a mitigating one, never two.
func TestAllowedOutcomes(t *testing.T) {
	const (
		minor, serious, very          = models.SeverityMinor, models.SeveritySerious, models.SeverityVerySerious
		warn, noAwards, circ, penalty = models.OutcomeWarning, models.OutcomeNoAwards, models.OutcomeCirculated, models.OutcomePenalty
	)
	cases := []struct {
		sev, out  string
		agg, mit  bool
		allowed   bool
		rationale string
	}{
		{minor, warn, false, false, true, "R6.5 minor → warning"},
		{serious, noAwards, false, false, true, "R6.5 serious → no awards"},
		{very, circ, false, false, true, "R6.5 very serious → circulated criticism"},
		{very, penalty, false, false, true, "R6.5 very serious → penalty"},
		{minor, noAwards, false, false, false, "no step up without an aggravating factor"},
		{minor, noAwards, true, false, true, "R6.6 one step up"},
		{minor, circ, true, false, false, "never two steps up"},
		{serious, penalty, true, false, true, "R6.6 serious + aggravating → penalty"},
		{serious, warn, false, false, false, "no step down without a mitigating factor"},
		{serious, warn, false, true, true, "R6.7 one step down"},
		{very, warn, false, true, false, "never two steps down"},
		{very, noAwards, false, true, true, "R6.7 very serious + mitigating → no awards"},
		{very, noAwards, true, false, false, "aggravating does not step down"},
		{minor, warn, true, true, true, "both factors keep the severity's own outcome"},
		{"", warn, false, false, false, "unknown severity"},
		{minor, "dismissal", false, false, false, "unknown outcome"},
	}
	for _, c := range cases {
		assert.Equal(t, c.allowed, accountability.Allowed(c.sev, c.out, c.agg, c.mit), "%s: %s → %s", c.rationale, c.sev, c.out)
	}
}

// R6.8: a decision is refused until the statement is recorded or the window has passed;
// the window counts working days only.
func TestStatementRule(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a, b := f.staff("360102-01"), f.staff("360102-01")
		c := f.open("360102", a, b) // Friday 6 March 2026
		// Five working days after Friday: Mon 9 … Fri 13 March (the weekend skipped).
		assert.Equal(t, "2026-03-13", c.StatementDueOn.String())
		assert.Regexp(t, `^WZ-2026-\d{6}$`, c.Number)

		for _, day := range []int{6, 9, 13} {
			f.at(2026, 3, day)
			before := f.audits()
			dbtest.RequireConflict(t, f.decide(c.ID, a), "person_id", "case_statement_pending")
			assert.Equal(t, before, f.audits(), "a refused decision writes no audit row")
		}
		view, err := f.svc.Get(f.ctx, f.scope("3601"), c.ID)
		require.NoError(t, err)
		assert.False(t, view.Persons[0].Decidable)
		assert.Equal(t, "case_statement_pending", view.Persons[0].BlockedCode)

		// b's statement is heard on the 9th: b may be decided at once.
		f.at(2026, 3, 9)
		before := f.audits()
		_, err = f.svc.RecordStatement(f.ctx, f.caller("3601"), c.ID, f.person(c.ID, b), accountability.StatementInput{Statement: "当天系统故障，我已向客户解释。"})
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits())
		_, err = f.svc.RecordStatement(f.ctx, f.caller("3601"), c.ID, f.person(c.ID, b), accountability.StatementInput{Statement: "再次陈述"})
		dbtest.RequireConflict(t, err, "person_id", "case_statement_recorded")
		require.NoError(t, f.decide(c.ID, b))
		assert.Equal(t, before+2, f.audits())

		// a gave no statement: Saturday 14 March is after the window.
		f.at(2026, 3, 14)
		require.NoError(t, f.decide(c.ID, a))
		got, err := models.GetCase(f.ctx, db, models.ScopeAll, c.ID)
		require.NoError(t, err)
		assert.Equal(t, models.CaseDecided, got.Status, "every person decided")
	})
}

// "Today" is the date in Shanghai: 23:30 UTC on the 13th is already the 14th there.
func TestStatementWindowUsesShanghaiDate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		c := f.open("360102", a)
		f.now = time.Date(2026, 3, 13, 15, 30, 0, 0, time.UTC).In(shanghai) // 23:30 on the 13th in Shanghai
		dbtest.RequireConflict(t, f.decide(c.ID, a), "person_id", "case_statement_pending")
		f.now = time.Date(2026, 3, 13, 16, 30, 0, 0, time.UTC).In(shanghai) // 00:30 on the 14th
		require.NoError(t, f.decide(c.ID, a))
	})
}

// Decisions are immutable: a second decision is a 409 and parallel decisions store one.
func TestDecisionsAreImmutable(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a, b := f.staff("360102-01"), f.staff("360102-02")
		c := f.open("360102", a, b)
		f.at(2026, 3, 16)
		require.NoError(t, f.decide(c.ID, a))
		before := f.audits()
		dbtest.RequireConflict(t, f.decide(c.ID, a), "person_id", "case_person_decided")
		assert.Equal(t, before, f.audits())

		// Eight parallel decisions on b: one is stored, the others get 409.
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				in := warning
				in.Note = "并发" + string(rune('A'+i))
				_, errs[i] = f.svc.Decide(f.ctx, f.caller("3601"), c.ID, f.person(c.ID, b), in)
			}()
		}
		wg.Wait()
		okCount := 0
		for _, err := range errs {
			if err == nil {
				okCount++
			} else {
				require.True(t, errors.Is(err, models.ErrConflict), "%v", err)
			}
		}
		assert.Equal(t, 1, okCount)
		assert.Equal(t, before+1, f.audits(), "one audit row for the one stored decision")
		got, err := models.GetCase(f.ctx, db, models.ScopeAll, c.ID)
		require.NoError(t, err)
		assert.Equal(t, models.CaseDecided, got.Status)
		// Nothing is decided once the case is decided or closed.
		dbtest.RequireConflict(t, f.decide(c.ID, b), "person_id", "case_person_decided")
	})
}

func TestDecisionValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		c := f.open("360102", a)
		f.at(2026, 3, 16)
		p := f.person(c.ID, a)
		ev := []accountability.FactorInput{{Code: models.MitApologised, Evidence: "客户书面表示谅解"}}
		bad := []struct {
			in          accountability.DecisionInput
			field, code string
		}{
			{accountability.DecisionInput{Outcome: models.OutcomeWarning}, "severity", "required"},
			{accountability.DecisionInput{Severity: "grave", Outcome: models.OutcomeWarning}, "severity", "invalid_choice"},
			{accountability.DecisionInput{Severity: models.SeverityVerySerious, Outcome: models.OutcomeWarning}, "outcome", "case_outcome_not_allowed"},
			{accountability.DecisionInput{Severity: models.SeverityVerySerious, Outcome: models.OutcomePenalty}, "penalty_cents", "required"},
			{accountability.DecisionInput{Severity: models.SeverityVerySerious, Outcome: models.OutcomePenalty, PenaltyCents: -5}, "penalty_cents", "required"},
			{accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning, PenaltyCents: 100}, "penalty_cents", "must_be_empty"},
			{accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning,
				Aggravating: []accountability.FactorInput{{Code: models.MitApologised, Evidence: "x"}}}, "aggravating[0].code", "invalid_choice"},
			{accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning,
				Mitigating: []accountability.FactorInput{{Code: models.MitApologised}}}, "mitigating[0].evidence", "required"},
			{accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning,
				Mitigating: append(ev, ev...)}, "mitigating[1].code", "duplicate"},
			// R6.5: no leadership responsibility for a minor severity.
			{accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning, LeaderAccountable: true},
				"leader_accountable", "case_leader_not_for_minor"},
		}
		before := f.audits()
		for _, b := range bad {
			_, err := f.svc.Decide(f.ctx, f.caller("3601"), c.ID, p, b.in)
			dbtest.RequireFieldError(t, err, b.field, b.code)
		}
		assert.Equal(t, before, f.audits())
		// R6.7: serious with a mitigating factor may be a warning; R6.5 penalty with an amount.
		got, err := f.svc.Decide(f.ctx, f.caller("3601"), c.ID, p, accountability.DecisionInput{
			Severity: models.SeveritySerious, Outcome: models.OutcomeWarning, Mitigating: ev, LeaderAccountable: true})
		require.NoError(t, err)
		assert.Equal(t, models.OutcomeWarning, got.Outcome)
		assert.True(t, got.LeaderAccountable)
		var stored models.CasePerson
		require.NoError(t, db.Take(&stored, p).Error)
		assert.Equal(t, models.SeveritySerious, stored.Severity)
		assert.True(t, stored.LeaderAccountable, "R6.5: serious may warn the unit head")
		require.Len(t, stored.Mitigating, 1)
		assert.Equal(t, "客户书面表示谅解", stored.Mitigating[0].Evidence)
		require.NotNil(t, stored.DecidedAt)
	})
}

// R6.6 "two or more accountable acts within one year": suggested from the person's
// decided cases opened within the window, not from older or undecided ones.
func TestRepeatInYearSuggested(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a, b, other := f.staff("360102-01"), f.staff("360102-01"), f.staff("360102-02")
		f.at(2024, 6, 3) // older than a year before the new case
		old := f.open("360102", a, other)
		f.at(2024, 6, 20)
		require.NoError(t, f.decide(old.ID, a))
		f.at(2025, 6, 2) // within the year
		recent := f.open("360102", a)
		f.at(2025, 6, 16)
		require.NoError(t, f.decide(recent.ID, a))
		f.at(2025, 9, 1) // undecided: not an act yet
		pending := f.open("360102", b)

		f.at(2026, 3, 6)
		c := f.open("360102", a, b)
		view, err := f.svc.Get(f.ctx, f.scope("3601"), c.ID)
		require.NoError(t, err)
		require.Len(t, view.Persons, 2)
		pa, pb := view.Persons[0], view.Persons[1]
		if pa.EmployeeID != a {
			pa, pb = pb, pa
		}
		require.Len(t, pa.Suggested, 1)
		assert.Equal(t, models.AggRepeat, pa.Suggested[0].Code)
		assert.True(t, pa.Suggested[0].Suggested)
		assert.Equal(t, recent.Number, pa.Suggested[0].Evidence)
		assert.NotContains(t, pa.Suggested[0].Evidence, old.Number)
		assert.Empty(t, pb.Suggested, "b's other case is undecided")
		assert.NotEqual(t, pending.ID, c.ID)

		// The decider keeps it: serious + repeat may go one step up.
		f.at(2026, 3, 16)
		got, err := f.svc.Decide(f.ctx, f.caller("3601"), c.ID, pa.ID, accountability.DecisionInput{
			Severity: models.SeveritySerious, Outcome: models.OutcomePenalty, PenaltyCents: 20000,
			Aggravating: []accountability.FactorInput{{Code: models.AggRepeat, Evidence: recent.Number}}})
		require.NoError(t, err)
		assert.True(t, got.Aggravating[0].Suggested)
		// Decided persons get no suggestion any more.
		view, err = f.svc.Get(f.ctx, f.scope("3601"), c.ID)
		require.NoError(t, err)
		for _, p := range view.Persons {
			if p.EmployeeID == a {
				assert.Empty(t, p.Suggested)
				assert.False(t, p.Decidable)
			}
		}
	})
}

func TestOpenValidationAndScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a, far := f.staff("360102-01"), f.staff("360402-01")
		fd, voided, farFinding := f.finding("360102-01", false), f.finding("360102-02", true), f.finding("360402-01", false)
		me := f.staff("360102-02")
		by := f.caller("3601")
		by.EmployeeID = &me
		base := accountability.OpenInput{Title: "未公示收费标准", OrgUnitID: f.unit("360102").ID, Source: models.CaseFromFinding,
			FindingIDs: []uint{fd}, Summary: "检查发现未公示", Grounds: []string{models.GroundServiceRules}, EmployeeIDs: []uint{a}}
		bad := []struct {
			edit        func(*accountability.OpenInput)
			field, code string
		}{
			{func(in *accountability.OpenInput) { in.Title = "" }, "title", "required"},
			{func(in *accountability.OpenInput) { in.FindingIDs = nil }, "finding_ids", "required"},
			{func(in *accountability.OpenInput) { in.Source = models.CaseFromComplaint }, "complaint_ref", "required"},
			{func(in *accountability.OpenInput) { in.Source = "rumour" }, "source", "invalid_choice"},
			{func(in *accountability.OpenInput) { in.Grounds = []string{"mood"} }, "grounds[0]", "invalid_choice"},
			{func(in *accountability.OpenInput) { in.Grounds = nil }, "grounds", "required"},
			{func(in *accountability.OpenInput) { in.EmployeeIDs = nil }, "employee_ids", "required"},
			{func(in *accountability.OpenInput) { in.EmployeeIDs = []uint{a, a} }, "employee_ids[1]", "duplicate"},
			{func(in *accountability.OpenInput) { in.EmployeeIDs = []uint{far} }, "employee_ids[0]", "not_found"},
			{func(in *accountability.OpenInput) { in.EmployeeIDs = []uint{me} }, "employee_ids[0]", "case_own_case"},
			{func(in *accountability.OpenInput) { in.OrgUnitID = f.unit("360102-02").ID }, "employee_ids[0]", "case_outside_unit"},
			{func(in *accountability.OpenInput) { in.OrgUnitID = f.unit("360402").ID }, "org_unit_id", "not_found"},
			{func(in *accountability.OpenInput) { in.FindingIDs = []uint{voided} }, "finding_ids[0]", "case_finding_voided"},
			{func(in *accountability.OpenInput) { in.FindingIDs = []uint{farFinding} }, "finding_ids[0]", "not_found"},
		}
		before := f.audits()
		for _, b := range bad {
			in := base
			b.edit(&in)
			_, err := f.svc.Open(f.ctx, by, in)
			dbtest.RequireFieldError(t, err, b.field, b.code)
		}
		assert.Equal(t, before, f.audits(), "no audit row for a refused case")

		c, err := f.svc.Open(f.ctx, by, base)
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits(), "one audit row for the case")
		view, err := f.svc.Get(f.ctx, f.scope("360102"), c.ID)
		require.NoError(t, err)
		assert.Equal(t, []uint{fd}, view.FindingIDs)
		_, err = f.svc.Get(f.ctx, f.scope("360402"), c.ID)
		require.ErrorIs(t, err, models.ErrNotFound, "out of scope is not found")
		list, err := f.svc.List(f.ctx, f.scope("360402"), accountability.ListInput{})
		require.NoError(t, err)
		assert.Zero(t, list.Total)
		list, err = f.svc.List(f.ctx, f.scope("36"), accountability.ListInput{UnitID: f.unit("360102-01").ID})
		require.NoError(t, err)
		assert.Zero(t, list.Total, "the case is of the county, not of one outlet under it")
		list, err = f.svc.List(f.ctx, f.scope("36"), accountability.ListInput{UnitID: f.unit("3601").ID, Status: models.CaseOpen})
		require.NoError(t, err)
		assert.EqualValues(t, 1, list.Total)

		// A finding a case uses cannot be deleted (R6: only voided).
		require.Error(t, db.Delete(&models.Finding{}, fd).Error)

		// The caller is a person of the case: they neither record nor decide on themselves.
		c2, err := f.svc.Open(f.ctx, f.caller("3601"), accountability.OpenInput{Title: "经理失职", OrgUnitID: f.unit("360102").ID,
			Source: models.CaseFromComplaint, ComplaintRef: "TS-9", Summary: "失职", Grounds: []string{models.GroundDereliction}, EmployeeIDs: []uint{me, a}})
		require.NoError(t, err)
		_, err = f.svc.RecordStatement(f.ctx, by, c2.ID, f.person(c2.ID, me), accountability.StatementInput{Statement: "自己记录"})
		dbtest.RequireConflict(t, err, "person_id", "case_own_case")
		_, err = f.svc.Close(f.ctx, by, c2.ID, accountability.CloseInput{Reason: "自己结案"})
		dbtest.RequireConflict(t, err, "person_id", "case_own_case")
	})
}

func TestCloseWithoutDecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		c := f.open("360102", a)
		_, err := f.svc.Close(f.ctx, f.caller("3601"), c.ID, accountability.CloseInput{})
		dbtest.RequireFieldError(t, err, "reason", "required")
		before := f.audits()
		got, err := f.svc.Close(f.ctx, f.caller("3601"), c.ID, accountability.CloseInput{Reason: "经核实不属实"})
		require.NoError(t, err)
		assert.Equal(t, models.CaseClosed, got.Status)
		assert.Equal(t, before+1, f.audits())
		_, err = f.svc.Close(f.ctx, f.caller("3601"), c.ID, accountability.CloseInput{Reason: "再次"})
		dbtest.RequireConflict(t, err, "status", "case_not_open")
		f.at(2026, 4, 1)
		dbtest.RequireConflict(t, f.decide(c.ID, a), "status", "case_not_open")
		assert.Equal(t, before+1, f.audits())
	})
}

func TestCaseWorkbook(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		c, err := f.svc.Open(f.ctx, f.caller("3601"), accountability.OpenInput{Title: "=HYPERLINK(\"x\")", OrgUnitID: f.unit("360102").ID,
			Source: models.CaseFromComplaint, ComplaintRef: "+86-791", Summary: "s", Grounds: []string{models.GroundLawPolicy}, EmployeeIDs: []uint{a}})
		require.NoError(t, err)
		f.at(2026, 3, 20)
		_, err = f.svc.Decide(f.ctx, f.caller("3601"), c.ID, f.person(c.ID, a), accountability.DecisionInput{
			Severity: models.SeverityVerySerious, Outcome: models.OutcomePenalty, PenaltyCents: 50050, Note: "@note", LeaderAccountable: true})
		require.NoError(t, err)
		f.open("360102", f.staff("360102-02"))

		var buf bytes.Buffer
		require.NoError(t, f.svc.WriteWorkbook(f.ctx, f.scope("3601"), accountability.ListInput{Status: models.CaseDecided}, &buf))
		x, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x.Close()
		rows, err := x.GetRows(accountability.CasesSheet)
		require.NoError(t, err)
		require.Len(t, rows, 2, "the header and the one decided case")
		assert.Equal(t, accountability.CaseColumns, rows[0])
		assert.Equal(t, c.Number, rows[1][0])
		assert.Equal(t, `=HYPERLINK("x")`, rows[1][1])
		assert.Equal(t, "2026-03-06 10:00", rows[1][8], "opened, in the service's zone")
		assert.Equal(t, []string{"1", "1"}, rows[1][10:12])
		formula, err := x.GetCellFormula(accountability.CasesSheet, "B2")
		require.NoError(t, err)
		assert.Empty(t, formula, "user text is never a formula")
		persons, err := x.GetRows(accountability.PersonsSheet)
		require.NoError(t, err)
		require.Len(t, persons, 2)
		assert.Equal(t, accountability.PersonColumns, persons[0])
		assert.Equal(t, "500.50", persons[1][6])
		assert.Equal(t, "2026-03-20 10:00", persons[1][10], "decided, in the service's zone")
		assert.Equal(t, "追究主要负责人领导责任", persons[1][7])
		assert.Equal(t, "@note", persons[1][11])

		buf.Reset()
		require.NoError(t, f.svc.WriteWorkbook(f.ctx, f.scope("360402"), accountability.ListInput{}, &buf))
		x2, err := excelize.OpenReader(&buf)
		require.NoError(t, err)
		defer x2.Close()
		rows, err = x2.GetRows(accountability.CasesSheet)
		require.NoError(t, err)
		assert.Len(t, rows, 1, "another city's scope sees no case")
	})
}
