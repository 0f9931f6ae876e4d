package app_test

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// TestInspectionPageReopenVoidFollowUp: a submitted inspection offers its inspector a
// reopen form, a void form per finding and a 复查 link that starts a follow-up at the
// same outlet (issue 4 points 5–7); the manager gets none of them. Each form writes one
// audit row, none on refusal.
func TestInspectionPageReopenVoidFollowUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		v := e.freshInspection("inspector", "360102-01", submittedInspection, true)
		require.Len(t, v.Findings, 1)
		f := v.Findings[0]
		page := fmt.Sprintf("/inspections/%d", v.ID)
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		follow := fmt.Sprintf("/inspections/new?follow_up_of=%d", f.ID)
		for _, s := range []string{`action="` + page + `/reopen"`, fmt.Sprintf(`action="/findings/%d/void"`, f.ID), `href="` + follow + `"`} {
			assert.Contains(t, res.Body, s)
		}
		res = e.login(manager).do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.NotContains(t, res.Body, `/reopen"`)
		assert.NotContains(t, res.Body, `/void"`)
		assert.NotContains(t, res.Body, "follow_up_of=")

		// 复查: the form comes with the finding, its outlet and its checklist chosen.
		res = insp.do(http.MethodGet, follow, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, fmt.Sprintf(`name="follow_up_of" value="%d"`, f.ID))
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>`, e.unit("360102-01")))
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>`, e.matrixTemplate().ID))
		clientID := hidden(t, res.Body, `action="/inspections"`, "client_id")
		mark := e.lastAuditID()
		// Another outlet is refused: a follow-up re-checks the finding's own outlet.
		res = insp.postPageForm(follow, "/inspections", url.Values{"client_id": {clientID}, "template_id": {idStr(e.matrixTemplate().ID)},
			"org_unit_id": {idStr(e.unit("360102-02"))}, "follow_up_of": {idStr(f.ID)}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "复查问题：")
		assert.Zero(t, e.auditCountSince(mark))
		res = insp.postPageForm(follow, "/inspections", url.Values{"client_id": {clientID}, "template_id": {idStr(e.matrixTemplate().ID)},
			"org_unit_id": {idStr(e.unit("360102-01"))}, "follow_up_of": {idStr(f.ID)}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var fu models.Inspection
		require.NoError(t, db.Where("client_id = ?", clientID).Take(&fu).Error)
		require.NotNil(t, fu.FollowUpOf)
		assert.Equal(t, f.ID, *fu.FollowUpOf)
		res = insp.do(http.MethodGet, res.Header.Get("Location"), nil)
		assert.Contains(t, res.Body, fmt.Sprintf("复查问题 #%d", f.ID))

		// Reopen: a reason is required; with one, the inspection is a draft again.
		other := e.freshInspection("inspector", "360102-01", submittedInspection, true)
		opage := fmt.Sprintf("/inspections/%d", other.ID)
		mark = e.lastAuditID()
		res = insp.postPageForm(opage, opage+"/reopen", url.Values{"reason": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "原因：必填")
		assert.Zero(t, e.auditCountSince(mark))
		res = insp.postPageForm(opage, opage+"/reopen", url.Values{"reason": {"m1 误判，重新填写"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, opage+"?done=reopened", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("reopen", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var got models.Inspection
		require.NoError(t, db.Take(&got, other.ID).Error)
		assert.Equal(t, models.InspectionDraft, got.Status)
		res = insp.do(http.MethodGet, opage+"?done=reopened", nil)
		assert.Contains(t, res.Body, "检查已退回")
		assert.Contains(t, res.Body, `action="`+opage+`/submit"`)

		// Void: a reason is required; with one, the finding is void and its open
		// rectification cancelled; a second void is refused.
		void := fmt.Sprintf("/findings/%d/void", f.ID)
		mark = e.lastAuditID()
		res = insp.postPageForm(page, void, url.Values{"reason": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "原因：必填")
		assert.Zero(t, e.auditCountSince(mark))
		res = insp.postPageForm(page, void, url.Values{"reason": {"收费标准其实贴在门外"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, fmt.Sprintf("%s?done=voided#finding-%d", page, f.ID), res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("void", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var gotF models.Finding
		require.NoError(t, db.Take(&gotF, f.ID).Error)
		require.NotNil(t, gotF.VoidedAt)
		var r models.Rectification
		require.NoError(t, db.Where("finding_id = ?", f.ID).Take(&r).Error)
		assert.Equal(t, models.RectCancelled, r.Status)
		res = insp.do(http.MethodGet, page+"?done=voided", nil)
		assert.Contains(t, res.Body, "问题已作废")
		assert.Contains(t, res.Body, "已作废：收费标准其实贴在门外")
		assert.NotContains(t, res.Body, `action="`+void+`"`)
		assert.NotContains(t, res.Body, `href="`+follow+`"`)
		mark = e.lastAuditID()
		res = sendRow(insp, http.MethodPost, void, formBody{"reason": {"再作废一次"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "该问题已作废")
		// Its rectification has moved on (cancelled): reopening is refused on the page.
		res = insp.postPageForm(page, page+"/reopen", url.Values{"reason": {"重填"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "有整改已经推进")
		assert.Zero(t, e.auditCountSince(mark))
	})
}

// TestStartFormOptionalGPS: the start form loads geo.js (an external script the CSP
// allows, no inline script) with hidden lat/lng fields; a position sent with the form
// is kept and flagged when far from the outlet; half a position is refused; no
// position is fine.
func TestStartFormOptionalGPS(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		res := e.anon().do(http.MethodGet, "/static/geo.js", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/javascript")
		assert.Contains(t, res.Body, "navigator.geolocation")

		insp := e.login(inspector)
		res = insp.do(http.MethodGet, "/inspections/new?county="+idStr(e.unit("360102")), nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `<script src="/static/geo.js"></script>`)
		assert.NotContains(t, res.Body, "<script>", "no inline script (CSP)")
		assert.Contains(t, res.Header.Get("Content-Security-Policy"), "script-src 'self'")
		assert.Contains(t, res.Body, `name="lat" id="geo-lat"`)

		// The outlet at 八一广场 (28.6737, 115.9096); the start about 11 km away.
		lat, lng := 28.6737, 115.9096
		require.NoError(t, db.Model(&models.OrgUnit{}).Where("id = ?", e.unit("360102-01")).Updates(map[string]any{"lat": lat, "lng": lng}).Error)
		start := func(extra url.Values) (response, string) {
			id := fmt.Sprintf("web-gps-%d", uniq())
			form := url.Values{"client_id": {id}, "template_id": {idStr(e.matrixTemplate().ID)}, "org_unit_id": {idStr(e.unit("360102-01"))}}
			for k, v := range extra {
				form[k] = v
			}
			return insp.postPageForm("/inspections/new", "/inspections", form), id
		}
		e.matrixTemplate()
		mark := e.lastAuditID()
		res, _ = start(url.Values{"lat": {"28.6737"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "位置：")
		res, _ = start(url.Values{"lat": {"abc"}, "lng": {"115.9"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Zero(t, e.auditCountSince(mark))

		res, far := start(url.Values{"lat": {"28.7700"}, "lng": {"115.9096"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		var ins models.Inspection
		require.NoError(t, db.Where("client_id = ?", far).Take(&ins).Error)
		require.NotNil(t, ins.Lat)
		assert.InDelta(t, 28.77, *ins.Lat, 1e-9)
		assert.True(t, ins.FarFromOutlet)
		require.NotNil(t, ins.DistanceM)
		assert.InDelta(t, 10700, *ins.DistanceM, 300)
		res = insp.do(http.MethodGet, res.Header.Get("Location"), nil)
		assert.Contains(t, res.Body, "开始检查时的位置离营业厅较远")

		res, near := start(url.Values{"lat": {"28.6738"}, "lng": {"115.9097"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		ins = models.Inspection{}
		require.NoError(t, db.Where("client_id = ?", near).Take(&ins).Error)
		assert.False(t, ins.FarFromOutlet)

		res, none := start(nil)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		ins = models.Inspection{}
		require.NoError(t, db.Where("client_id = ?", none).Take(&ins).Error)
		assert.Nil(t, ins.Lat)
		assert.Nil(t, ins.DistanceM)
	})
}
