package accountability_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/models"
	"quality/models/dbtest"
)

// The R6.6 suggestion names only the earlier cases the caller may see: a case of
// another branch (the person worked there before) is neither listed nor cited, while
// a caller whose scope holds both cases still gets it.
func TestRepeatSuggestionStaysInScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		f.at(2025, 9, 1)
		earlier := f.open("360102", a) // 南昌
		f.at(2025, 9, 15)
		require.NoError(t, f.decide(earlier.ID, a))
		// The employee moves to 九江 and a case is opened there.
		require.NoError(t, db.Model(&models.Employee{}).Where("id = ?", a).Update("org_unit_id", f.unit("360402-01").ID).Error)
		f.at(2026, 3, 6)
		jj := f.caller("3604")
		c, err := f.svc.Open(f.ctx, jj, accountability.OpenInput{Title: "窗口推诿客户", OrgUnitID: f.unit("360402").ID,
			Source: models.CaseFromComplaint, ComplaintRef: "TS-2026-009", Summary: "客户投诉营业员推诿（R2.4）",
			Grounds: []string{models.GroundServiceRules}, EmployeeIDs: []uint{a}})
		require.NoError(t, err)

		view, err := f.svc.Get(f.ctx, f.scope("3604"), c.ID)
		require.NoError(t, err)
		require.Len(t, view.Persons, 1)
		assert.Empty(t, view.Persons[0].PriorCases, "another city's case is not shown")
		assert.Empty(t, view.Persons[0].Suggested, "nor cited as evidence")

		// The province sees both cases and is offered the factor.
		view, err = f.svc.Get(f.ctx, f.scope("36"), c.ID)
		require.NoError(t, err)
		require.Len(t, view.Persons[0].Suggested, 1)
		assert.Equal(t, earlier.Number, view.Persons[0].Suggested[0].Evidence)

		// A decision in 九江 that names the factor itself is not marked as the system's.
		f.at(2026, 3, 16)
		got, err := f.svc.Decide(f.ctx, jj, c.ID, view.Persons[0].ID, accountability.DecisionInput{
			Severity: models.SeverityMinor, Outcome: models.OutcomeWarning,
			Aggravating: []accountability.FactorInput{{Code: models.AggRepeat, Evidence: "本人陈述"}}})
		require.NoError(t, err)
		assert.False(t, got.Aggravating[0].Suggested)
	})
}

// A case's grounds are a short allow-list: a long list is refused at once with one
// error, not checked element by element (quadratic, and one error per element).
func TestOpenRefusesLongGroundsList(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		a := f.staff("360102-01")
		grounds := make([]string, 20000)
		for i := range grounds {
			grounds[i] = models.GroundServiceRules
		}
		start := f.audits()
		_, err := f.svc.Open(f.ctx, f.caller("3601"), accountability.OpenInput{Title: "t", OrgUnitID: f.unit("360102").ID,
			Source: models.CaseFromComplaint, ComplaintRef: "TS-1", Summary: "s", Grounds: grounds, EmployeeIDs: []uint{a}})
		var ve *models.ValidationError
		require.True(t, errors.As(err, &ve), "got %v", err)
		require.Equal(t, 1, len(ve.Fields), "one error for the list")
		assert.Equal(t, "grounds", ve.Fields[0].Field)
		assert.Equal(t, "case_too_many", ve.Fields[0].Code)
		assert.Equal(t, start, f.audits())
	})
}
