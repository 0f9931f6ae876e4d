package exams_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"quality/exams"
)

// The exam side's defaults, by their literal values as the README states them: a
// constant doubled by mistake fails here, not only in tests that read the constant.
func TestExamDefaultsAreTheDocumentedOnes(t *testing.T) {
	assert.Equal(t, 30*time.Second, exams.DefaultGrace, "a save up to 30 s after the deadline still counts")
	assert.Equal(t, exams.CertificatePolicy{ValidMonths: 24, ExpiringDays: 60}, exams.DefaultCertificatePolicy,
		"an etiquette certificate lasts 24 months and is 'expiring' in its last 60 days")
}
