package models_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// A burst of read-then-write transactions must all commit: on SQLite a deferred
// transaction that upgrades its read lock fails with SQLITE_BUSY at once, whatever the
// busy timeout; immediate transactions queue instead (STYLE.md, Persistence).
func TestParallelWritesNeverBusy(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		root := &models.OrgUnit{Code: "36", Name: "省公司", Level: models.LevelProvince}
		require.NoError(t, db.Transaction(func(tx *gorm.DB) error { return models.InsertOrgUnit(tx, root, nil) }))

		const writers = 40
		var wg sync.WaitGroup
		errs := make(chan error, writers)
		for i := range writers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs <- db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
					parent, err := models.GetOrgUnit(ctx, tx, models.ScopeAll, root.ID) // read first…
					if err != nil {
						return err
					}
					u := &models.OrgUnit{Code: fmt.Sprintf("36%02d", i), Name: "市公司", Level: models.LevelCity}
					if err := models.InsertOrgUnit(tx, u, parent); err != nil { // …then write
						return err
					}
					return models.Audit(tx, models.SystemActor, "create", "org_unit", u.ID, nil)
				})
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err)
		}
		var n int64
		require.NoError(t, db.Model(&models.OrgUnit{}).Where("level = ?", models.LevelCity).Count(&n).Error)
		require.EqualValues(t, writers, n)
		require.NoError(t, db.Model(&models.AuditEvent{}).Count(&n).Error)
		require.EqualValues(t, writers, n)
	})
}
