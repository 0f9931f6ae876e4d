package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
)

// Over HTTP: the branch's manager uploads a photo and submits, an inspector verifies;
// each write is one audit row, each refusal none, with a coded problem in the caller's
// language.
func TestRectificationHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		r := e.openRect("360102-01", models.Date{})
		mgr, insp := e.login(manager), e.login(inspector)
		base := withID("/api/v1/rectifications/:id", r.ID)

		step := func(cl *client, method, target string, body any, wantCode int, wantAudits int64) response {
			t.Helper()
			before := e.auditCount()
			var res response
			if up, ok := body.(uploadBody); ok {
				res = cl.upload(target, up.field, up.name, up.content)
			} else {
				res = cl.do(method, target, body)
			}
			require.Equal(t, wantCode, res.Code, "%s %s: %s", method, target, res.Body)
			assert.Equal(t, before+wantAudits, e.auditCount(), "%s %s: audit rows", method, target)
			return res
		}

		p := problemOf(t, step(mgr, post, base+"/submit", map[string]any{"revision": 1, "text": "已整改"}, invalid, 0))
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "photos", p.Errors[0].Field)
		assert.Equal(t, "rect_photo_required", p.Errors[0].Code)
		assert.Equal(t, "提交整改材料前须至少上传一张整改照片", p.Errors[0].Message)

		// The photo limit holds as on an inspection: a body over it and the form's overhead
		// is refused before it is read (413), a file over it beside the field (422).
		require.NoError(t, models.SaveSetting(db, policy.PolicyKey, map[string]any{"photo_max_bytes": 10}, 0, time.Now()))
		step(mgr, post, base+"/photos", uploadBody{"file", "big.png", make([]byte, 80<<10)}, http.StatusRequestEntityTooLarge, 0)
		p = problemOf(t, step(mgr, post, base+"/photos", uploadBody{"file", "a.png", pngPhoto(t)}, invalid, 0))
		assert.Equal(t, [2]string{"file", "too_large"}, [2]string{p.Errors[0].Field, p.Errors[0].Code})
		require.NoError(t, db.Where("name = ?", policy.PolicyKey).Delete(&models.Setting{}).Error)

		step(mgr, post, base+"/photos", uploadBody{"file", "a.png", pngPhoto(t)}, created, 1)
		p = problemOf(t, step(mgr, post, base+"/submit", map[string]any{"revision": 1}, invalid, 0))
		assert.Equal(t, "text", p.Errors[0].Field)
		p = problemOf(t, step(insp, post, base+"/verify", map[string]any{"revision": 1}, conflict, 0))
		assert.Equal(t, "rect_not_submitted", p.Errors[0].Code)

		step(mgr, post, base+"/submit", map[string]any{"revision": 1, "text": "已补贴监督电话"}, ok, 1)
		p = problemOf(t, step(mgr, post, base+"/submit", map[string]any{"revision": 1, "text": "再交一次"}, conflict, 0))
		assert.Equal(t, "stale", p.Errors[0].Code, "a stale revision is refused before the state is looked at")
		p = problemOf(t, step(mgr, post, base+"/submit", map[string]any{"revision": 2, "text": "再交一次"}, conflict, 0))
		assert.Equal(t, "rect_not_open", p.Errors[0].Code)
		step(mgr, post, base+"/photos", uploadBody{"file", "b.png", pngPhoto(t)}, conflict, 0)
		step(mgr, post, base+"/verify", map[string]any{"revision": 2}, http.StatusForbidden, 0)
		step(insp, post, base+"/verify", map[string]any{"revision": 2, "extra": 1}, invalid, 0)

		// English on request.
		req := map[string]any{"revision": 2, "text": "x"}
		res := insp.doLang(post, base+"/submit", req, "en")
		assert.Equal(t, http.StatusForbidden, res.Code)
		res = mgr.doLang(post, base+"/submit", req, "en")
		require.Equal(t, conflict, res.Code)
		assert.Contains(t, res.Body, "This rectification is not open")

		res = step(insp, post, base+"/verify", map[string]any{"revision": 2, "note": "复查合格"}, ok, 1)
		var d rectifications.Detail
		res.JSON(t, &d)
		assert.Equal(t, models.RectVerified, d.Status)
		require.Len(t, d.Timeline, 3)
		assert.Equal(t, "inspector", d.Timeline[2].ActorName)
		require.Len(t, d.Photos, 1)

		res = step(mgr, get, base, nil, ok, 0)
		res.JSON(t, &d)
		assert.Equal(t, 3, d.Revision)
	})
}

// A user who manages the branch and inspects the city can submit, but not verify.
func TestRectificationVerifierIsNotTheAssignee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		_, err := accounts.NewService(db, accounts.DefaultConfig).CreateUser(context.Background(), models.SystemActor, models.ScopeAll, accounts.UserInput{
			Username: "both-hats", Password: matrixPassword, Grants: []accounts.GrantInput{
				{Role: models.RoleManager, OrgUnitID: e.unit("360102")}, {Role: models.RoleInspector, OrgUnitID: e.unit("3601")}}})
		require.NoError(t, err)
		both := e.anon()
		require.Equal(t, ok, both.do(post, "/api/v1/auth/login", map[string]string{"username": "both-hats", "password": matrixPassword}).Code)

		r := e.openRect("360102-01", models.Date{})
		base := withID("/api/v1/rectifications/:id", r.ID)
		require.Equal(t, created, both.upload(base+"/photos", "file", "a.png", pngPhoto(t)).Code)
		require.Equal(t, ok, both.do(post, base+"/submit", map[string]any{"revision": 1, "text": "自查整改"}).Code)
		audits := e.auditCount()
		assert.Equal(t, http.StatusForbidden, both.do(post, base+"/verify", map[string]any{"revision": 2}).Code)
		assert.Equal(t, http.StatusForbidden, both.do(post, base+"/reject", map[string]any{"revision": 2, "reason": "x"}).Code)
		assert.Equal(t, audits, e.auditCount())
		assert.Equal(t, ok, e.login(inspector).do(post, base+"/verify", map[string]any{"revision": 2}).Code)
	})
}

// doLang is do with an Accept-Language header.
func (c *client) doLang(method, target string, body any, lang string) response {
	c.e.t.Helper()
	b, err := json.Marshal(body)
	require.NoError(c.e.t, err)
	req := httptest.NewRequest(method, target, bytes.NewReader(b))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", lang)
	return c.send(req)
}
