package reports_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"quality/reports"
)

// The ranking's defaults, by the literal values issue 8 gives them: a constant changed
// by mistake fails here, not only in tests that read the constant.
func TestRankingDefaultsAreTheIssuesOnes(t *testing.T) {
	assert.Equal(t, reports.Settings{
		Weights:                     reports.Weights{Site: 30, Rectification: 15, Training: 10, Onboarding: 10, Certification: 10, Timeliness: 15, Satisfaction: 10},
		Deductions:                  reports.DeductionPoints{Warning: 1, NoAwards: 2, Circulated: 3, Penalty: 5, CriticalFailure: 1},
		DeductionCap:                20,
		MinRankedWeight:             60,
		MinInspections:              3,
		HouseholdsPerInstallerUrban: 4500, // R3.1
		HouseholdsPerInstallerRural: 2000, // R3.1
		ExportKeepDays:              7,
	}, reports.DefaultSettings)
}
