package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// The seeded checklists are published base data with the critical items the source
// implies; outlets get stable coordinates; running the step again adds nothing.
func TestLoadChecklists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		require.NoError(t, seeds.Run(ctx, db, seeds.BaseSteps(time.Now()), nil))
		list, err := models.ListTemplates(ctx, db, models.TemplateFilter{Status: models.TemplatePublished})
		require.NoError(t, err)
		titles := map[string]models.ChecklistTemplate{}
		for _, tpl := range list.Items {
			titles[tpl.Code] = tpl
		}
		require.Len(t, titles, 3)
		hall := titles[seeds.HallChecklist]
		assert.Equal(t, "营业厅服务规范检查表", hall.Title)
		assert.Equal(t, "上门服务抽查表", titles[seeds.HomeVisitChecklist].Title)
		assert.Equal(t, "客服热线抽查表", titles[seeds.HotlineChecklist].Title)
		critical := map[string]bool{}
		rules := map[string]bool{}
		for _, it := range hall.Items() {
			rules[it.RuleRef] = true
			if it.Critical {
				critical[it.RuleRef] = true
			}
		}
		for _, r := range []string{"R1.1", "R1.2", "R1.3", "R1.4", "R1.5", "R1.6", "R2.1", "R2.5", "R9.1", "R9.8"} {
			assert.True(t, rules[r], "hall checklist checks %s", r)
		}
		assert.Equal(t, map[string]bool{"R2.4": true, "R9.8": true}, critical, "refusing first-contact responsibility and unposted fees fail the visit")

		outlet, err := models.GetOrgUnitByCode(ctx, db, models.ScopeAll, "360102-01")
		require.NoError(t, err)
		lat, lng, ok := seeds.OutletLocation("360102-01")
		require.True(t, ok)
		require.NotNil(t, outlet.Lat)
		assert.Equal(t, lat, *outlet.Lat)
		assert.Equal(t, lng, *outlet.Lng)
		assert.InDelta(t, 28.68, lat, 0.25, "near 南昌")

		n, err := seeds.LoadChecklists(ctx, db)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}
