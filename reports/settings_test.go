package reports_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
)

func TestUpdateSettings(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		actor := models.Actor{Username: "admin", RequestID: "test"}
		now := time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)
		n := func(v int) *int { return &v }
		svc := reports.NewService(db, shanghai)

		s, err := svc.LoadSettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, reports.DefaultSettings, s, "nothing stored: the defaults")
		assert.Equal(t, 100, s.Weights.Sum())

		// Weights that do not sum to 100 are refused, field by field; nothing is written.
		_, err = svc.UpdateSettings(ctx, actor, models.ScopeAll, reports.SettingsInput{Weights: &reports.WeightsInput{Site: n(40)}}, now)
		dbtest.RequireFieldError(t, err, "weights", "ranking_weights_sum")
		_, err = svc.UpdateSettings(ctx, actor, models.ScopeAll, reports.SettingsInput{Weights: &reports.WeightsInput{Site: n(-5)},
			DeductionCap: n(1000)}, now)
		dbtest.RequireFieldError(t, err, "weights.site", "out_of_range")
		dbtest.RequireFieldError(t, err, "deduction_cap", "out_of_range")
		var audits int64
		require.NoError(t, db.Model(&models.AuditEvent{}).Where("entity = ?", "setting").Count(&audits).Error)
		assert.Zero(t, audits)

		// A valid change: moved weight, one audit row with before and after.
		got, err := svc.UpdateSettings(ctx, actor, models.ScopeAll, reports.SettingsInput{
			Weights: &reports.WeightsInput{Site: n(40), Timeliness: n(5)}, DeductionCap: n(15)}, now)
		require.NoError(t, err)
		assert.Equal(t, 40, got.Weights.Site)
		assert.Equal(t, 5, got.Weights.Timeliness)
		assert.Equal(t, 15, got.DeductionCap)
		s, err = svc.LoadSettings(ctx)
		require.NoError(t, err)
		assert.Equal(t, got, s)
		var ev models.AuditEvent
		require.NoError(t, db.Where("entity = ? AND entity_id = ?", "setting", reports.SettingsKey).Take(&ev).Error)
		var summary struct {
			Changes map[string]models.Change `json:"changes"`
		}
		require.NoError(t, json.Unmarshal([]byte(ev.Summary), &summary))
		assert.Equal(t, map[string]models.Change{"weights.site": {From: 30.0, To: 40.0}, "weights.timeliness": {From: 15.0, To: 5.0},
			"deduction_cap": {From: 20.0, To: 15.0}}, summary.Changes)

		// The same again changes nothing and writes nothing.
		_, err = svc.UpdateSettings(ctx, actor, models.ScopeAll, reports.SettingsInput{Weights: &reports.WeightsInput{Site: n(40)}}, now)
		require.NoError(t, err)
		require.NoError(t, db.Model(&models.AuditEvent{}).Where("entity = ?", "setting").Count(&audits).Error)
		assert.Equal(t, int64(1), audits)

		// Only the province changes the ranking's settings.
		_, err = svc.UpdateSettings(ctx, actor, models.Scope{Paths: []string{"/1/2/"}}, reports.SettingsInput{DeductionCap: n(10)}, now)
		assert.ErrorIs(t, err, models.ErrForbidden)
	})
}
