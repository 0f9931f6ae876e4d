package app_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// The first "done when": readyz, admin login, the 11 city companies.
func TestAdminSeesElevenCityCompanies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		require.Equal(t, http.StatusOK, e.anon().do(http.MethodGet, "/readyz", nil).Code)
		admin := e.login("admin")
		res := admin.do(http.MethodGet, "/api/v1/org-units?level=city&per_page=50", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var list models.List[models.OrgUnit]
		res.JSON(t, &list)
		require.EqualValues(t, 11, list.Total)
		names := map[string]bool{}
		for _, u := range list.Items {
			names[u.Name] = true
		}
		for _, n := range []string{"南昌市分公司", "九江市分公司", "景德镇市分公司", "萍乡市分公司", "新余市分公司", "鹰潭市分公司",
			"赣州市分公司", "吉安市分公司", "宜春市分公司", "抚州市分公司", "上饶市分公司"} {
			require.True(t, names[n], "missing %s", n)
		}
	})
}
