package policy_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"quality/models"
	"quality/policy"
)

// The supervision policy's defaults, by their literal values as the README states them
// (each is a setting the admin may change): a constant changed by mistake fails here,
// not only in tests that read the constant.
func TestPolicyDefaultsAreTheDocumentedOnes(t *testing.T) {
	assert.Equal(t, policy.Policy{
		RectifyDays:          7,   // a finding is rectified within 7 days (R7.3)
		CriticalRectifyDays:  3,   // a critical one within 3
		ReminderDays:         1,   // the assignee is reminded 1 day before
		ProvinceAfterDays:    7,   // overdue 7 days: escalated to the province
		StatementWorkingDays: 5,   // a person's statement within 5 working days (R6.8)
		RepeatWindowDays:     365, // a repeat finding within a year aggravates (R6.6)
		FarFromOutletMeters:  500,
		PhotoMaxBytes:        8 << 20,
		PassMark:             80,
		Holidays:             []models.Date{},
		ExtraWorkdays:        []models.Date{},
	}, policy.DefaultPolicy)
}
