package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// TestOrgUnitPage: the admin opens 东湖区八一大道营业厅 from the tree (its units in code
// order), changes its households, address, phone, rural and position — saved and audited
// as the API's PATCH is — and a bad number or a latitude beyond 90 is refused beside its
// field, linked from the summary, with what was typed kept and nothing written; the
// manager reads the same tree without links and is refused the form.
func TestOrgUnitPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		id := e.unit("360102-01")
		target := fmt.Sprintf("/org/%d", id)

		tree := adm.do(http.MethodGet, "/org", nil)
		require.Equal(t, http.StatusOK, tree.Code)
		assert.Contains(t, tree.Body, fmt.Sprintf(`<a href="%s">东湖区八一大道营业厅</a>`, target), "the tree links the unit's page")
		assert.Contains(t, tree.Body, fmt.Sprintf(`<a class="edit" href="/org/%d">修改本单位</a>`, e.unit("360102")), "a unit with children links its page beside its summary")
		var codes []string
		for _, m := range regexp.MustCompile(`<small>(36[0-9-]*) · `).FindAllStringSubmatch(tree.Body, -1) {
			codes = append(codes, m[1])
		}
		require.NotEmpty(t, codes)
		assert.Equal(t, "36", codes[0])
		assert.Less(t, slices.Index(codes, "3601"), slices.Index(codes, "3604"), "南昌 before 九江: code order")
		assert.Less(t, slices.Index(codes, "360102-01"), slices.Index(codes, "360102-02"))

		page := adm.do(http.MethodGet, target, nil)
		require.Equal(t, http.StatusOK, page.Code, page.Body)
		assert.Contains(t, page.Body, `id="unit-form"`)
		assert.Contains(t, page.Body, `id="unit-lat"`, "an outlet has a position")

		form := url.Values{"households": {"12,345"}, "urban": {"false"}, "address": {"南昌市八一大道 100 号"}, "phone": {"0791-86001234"},
			"lat": {"28.6829"}, "lng": {"115.8922"}}
		mark := e.lastAuditID()
		res := adm.postPageForm(target, target, form)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, target+"?done=saved", res.Header.Get("Location"))
		var u models.OrgUnit
		require.NoError(t, db.Where("id = ?", id).Take(&u).Error)
		assert.Equal(t, 12345, u.Households)
		assert.False(t, u.Urban)
		assert.Equal(t, "南昌市八一大道 100 号", u.Address)
		assert.Equal(t, "0791-86001234", u.Phone)
		require.NotNil(t, u.Lat)
		assert.Equal(t, 28.6829, *u.Lat)
		var ev models.AuditEvent
		require.NoError(t, db.Where("id > ?", mark).Take(&ev).Error)
		assert.Equal(t, int64(1), e.auditCountSince(mark), "one audit row, as the PATCH writes")
		assert.Equal(t, "update", ev.Action)
		assert.Equal(t, "org_unit", ev.Entity)
		var diff map[string]any
		require.NoError(t, json.Unmarshal([]byte(ev.Summary), &diff), ev.Summary)
		assert.Contains(t, diff, "households")
		assert.Contains(t, diff, "lat")

		saved := adm.do(http.MethodGet, target+"?done=saved", nil)
		assert.Contains(t, saved.Body, "单位信息已保存")
		assert.Contains(t, saved.Body, `value="12345"`)
		assert.Contains(t, saved.Body, `<dd data-field="households">12,345</dd>`, "counts with thousands separators")

		// Refused: a word for a number, a latitude off the Earth.
		mark = e.lastAuditID()
		bad := url.Values{"households": {"很多"}, "urban": {"true"}, "address": {"改过的地址"}, "phone": {"0791-1"}, "lat": {"28.6829"}, "lng": {"115.8922"}}
		res = adm.postPageForm(target, target, bad)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `href="#unit-households"`, "the summary links the field")
		assert.Contains(t, res.Body, "应为整数")
		assert.Contains(t, res.Body, `value="很多"`, "what was typed is kept")
		assert.Contains(t, res.Body, `value="改过的地址"`)
		bad.Set("households", "100")
		bad.Set("lat", "91")
		res = adm.postPageForm(target, target, bad)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `href="#unit-lat"`)
		assert.Contains(t, res.Body, "超出允许范围")
		assert.Contains(t, res.Body, `value="91"`)
		bad.Set("lat", "北纬28")
		res = adm.postPageForm(target, target, bad)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "应为数字")
		bad.Set("lat", "")
		res = adm.postPageForm(target, target, bad)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code, "half a position")
		assert.Contains(t, res.Body, `href="#unit-lat"`)
		assert.Zero(t, e.auditCountSince(mark), "a refusal changes nothing")
		require.NoError(t, db.Where("id = ?", id).Take(&u).Error)
		assert.Equal(t, "南昌市八一大道 100 号", u.Address)

		// A county has no position on its form.
		county := adm.do(http.MethodGet, fmt.Sprintf("/org/%d", e.unit("360102")), nil)
		require.Equal(t, http.StatusOK, county.Code)
		assert.NotContains(t, county.Body, `id="unit-lat"`)

		// The manager reads the tree, without links, and may not edit.
		mgr := e.login(manager)
		mt := mgr.do(http.MethodGet, "/org", nil)
		require.Equal(t, http.StatusOK, mt.Code)
		assert.Contains(t, mt.Body, "东湖区八一大道营业厅")
		assert.NotContains(t, mt.Body, `<a href="/org/`)
		assert.Equal(t, http.StatusForbidden, mgr.do(http.MethodGet, target, nil).Code)
		mark = e.lastAuditID()
		res = sendRow(mgr, http.MethodPost, target, formBody(form))
		assert.Equal(t, http.StatusForbidden, res.Code)
		assert.Zero(t, e.auditCountSince(mark))
	})
}
