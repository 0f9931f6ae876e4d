package org_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/org"
)

// An admin corrects an outlet's position (the far-from-outlet check of inspections);
// both coordinates come together, within bounds, and the change is audited.
func TestUnitLocation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		u := f.unit("360102-01")
		lat, lng := 28.6801, 115.9012
		var before int64
		require.NoError(t, db.Model(&models.AuditEvent{}).Count(&before).Error)
		got, err := f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, u.ID, org.UnitPatch{Lat: &lat, Lng: &lng})
		require.NoError(t, err)
		assert.Equal(t, lat, *got.Lat)
		back := f.unit("360102-01")
		require.NotNil(t, back.Lat)
		assert.Equal(t, lat, *back.Lat)
		assert.Equal(t, lng, *back.Lng)
		var ev models.AuditEvent
		require.NoError(t, db.Order("id DESC").Take(&ev).Error)
		assert.Contains(t, ev.Summary, `"lat"`)
		var after int64
		require.NoError(t, db.Model(&models.AuditEvent{}).Count(&after).Error)
		assert.Equal(t, before+1, after)

		bad := 91.0
		_, err = f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, u.ID, org.UnitPatch{Lat: &bad, Lng: &lng})
		dbtest.RequireFieldError(t, err, "lat", "out_of_range")
		_, err = f.svc.UpdateUnit(f.ctx, actor, models.ScopeAll, u.ID, org.UnitPatch{Lat: &lat})
		dbtest.RequireFieldError(t, err, "lat", "lat_lng_pair")
	})
}
