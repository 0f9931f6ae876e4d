package exams_test

import (
	"testing"

	"gorm.io/gorm"

	"quality/models/dbtest"
)

// A question archived after publishing leaves the fixed paper short: starting is a
// clear 409, not a server error.
func TestStartWhenThePoolShrank(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(fixedInput())
		if err := f.svc.ArchiveQuestion(f.ctx, trainer, bank["S1"].ID); err != nil {
			t.Fatal(err)
		}
		_, _, err := f.svc.Start(f.ctx, as(clerk), f.emp(clerk), e.ID)
		dbtest.RequireConflict(t, err, "exam", "pool_exhausted")
	})
}
