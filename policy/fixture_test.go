package policy_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/policy"
)

// fixture is a migrated database, the policy service on it and the provincial admin
// who changes the policy.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	svc   *policy.Service
	admin models.Actor
}

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	return &fixture{t: t, ctx: context.Background(), db: db, svc: policy.NewService(db), admin: models.Actor{UserID: 1, Username: "admin"}}
}

// audits counts the audit log's rows.
func (f *fixture) audits() int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}
