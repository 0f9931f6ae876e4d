package seeds_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// TestOrgUnitsInCodeOrder: the province's units come in code order, each after its
// parent (by path, which holds row ids, 赣州 /1/107/ came before 南昌 /1/2/).
func TestOrgUnitsInCodeOrder(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		_, err := seeds.LoadBase(ctx, db)
		require.NoError(t, err)
		units, err := models.OrgUnitsInScope(ctx, db, models.ScopeAll)
		require.NoError(t, err)
		require.Len(t, units, 271)
		codes := make([]string, len(units))
		seen := map[uint]bool{}
		for i, u := range units {
			codes[i] = u.Code
			if u.ParentID != nil {
				assert.True(t, seen[*u.ParentID], "%s comes after its parent", u.Code)
			}
			seen[u.ID] = true
		}
		assert.True(t, slices.IsSorted(codes), strings.Join(codes[:12], " "))
	})
}
