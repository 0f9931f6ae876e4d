package app_test

import (
	"bytes"
	"fmt"
	"maps"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

// inspProblem decodes a problem+json body.
func inspProblem(t *testing.T, res response) struct {
	Status int
	Errors []struct{ Field, Code, Message string }
} {
	t.Helper()
	var p struct {
		Status int
		Errors []struct{ Field, Code, Message string }
	}
	res.JSON(t, &p)
	return p
}

// hasProblemField reports whether a problem names field with code (and a translated message).
func hasProblemField(t *testing.T, res response, field, code string) {
	t.Helper()
	for _, f := range inspProblem(t, res).Errors {
		if f.Field == field && f.Code == code {
			assert.NotEqual(t, "field."+code, f.Message, "no message for field.%s", code)
			return
		}
	}
	t.Errorf("problem %s has no %s: %s", res.Body, field, code)
}

// The whole inspection over HTTP: a template written and published, an inspection
// started twice with one id, answers under revisions, photos sniffed by content, an
// idempotent submit, the findings and the exports. Every write leaves one audit row,
// every refusal none.
func TestInspectionOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm, insp, mgr := e.login(admin), e.login(inspector), e.login(manager)
		audits := e.auditCount()
		expectAudits := func(n int64, what string) {
			t.Helper()
			audits += n
			assert.Equal(t, audits, e.auditCount(), what)
		}

		// A template: field-by-field 422, then a draft, published.
		body := templateBody("HTTP-T")
		body.Sections[0].Items[1].RuleRef = "第二条"
		res := adm.do(http.MethodPost, "/api/v1/checklist-templates", body)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "sections[0].items[1].rule_ref", "invalid_rule_ref")
		expectAudits(0, "a refused template writes nothing")
		res = insp.do(http.MethodPost, "/api/v1/checklist-templates", templateBody("HTTP-T"))
		require.Equal(t, http.StatusForbidden, res.Code, "a city's inspector does not write templates")
		res = adm.do(http.MethodPost, "/api/v1/checklist-templates", templateBody("HTTP-T"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var tpl models.ChecklistTemplate
		res.JSON(t, &tpl)
		expectAudits(1, "create template")
		res = adm.do(http.MethodPost, fmt.Sprintf("/api/v1/checklist-templates/%d/publish", tpl.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		expectAudits(1, "publish")

		// Start: 201, the same request again 200 with the same record, another body 409.
		start := map[string]any{"client_id": "phone-1-0001", "template_id": tpl.ID, "org_unit_id": e.unit("360102-01"), "lat": 28.68, "lng": 115.86}
		res = insp.do(http.MethodPost, "/api/v1/inspections", start)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var v inspections.InspectionView
		res.JSON(t, &v)
		require.Len(t, v.Items, 2)
		expectAudits(1, "start")
		res = insp.do(http.MethodPost, "/api/v1/inspections", start)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var again inspections.InspectionView
		res.JSON(t, &again)
		assert.Equal(t, v.ID, again.ID)
		start["org_unit_id"] = e.unit("360102-02")
		res = insp.do(http.MethodPost, "/api/v1/inspections", start)
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		hasProblemField(t, res, "client_id", "idempotency_mismatch")
		expectAudits(0, "retries write nothing")

		// Answers: a stale revision is 409; the item key may hold a dot.
		itemURL := fmt.Sprintf("/api/v1/inspections/%d/items/1.1", v.ID)
		res = insp.do(http.MethodPut, itemURL, map[string]any{"outcome": "fail", "note": "=HYPERLINK(\"http://x\")", "rev": 0})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		expectAudits(1, "save answer")
		res = insp.do(http.MethodPut, itemURL, map[string]any{"outcome": "pass", "rev": 0})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		hasProblemField(t, res, "revision", "stale")
		res = insp.do(http.MethodPut, fmt.Sprintf("/api/v1/inspections/%d/items/1.2", v.ID), map[string]any{"outcome": "pass", "points": 9, "rev": 0})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "points", "out_of_range")
		res = adm.do(http.MethodPut, itemURL, map[string]any{"outcome": "pass", "rev": 1})
		require.Equal(t, http.StatusForbidden, res.Code, "only the inspector who started it answers")
		expectAudits(0, "refused answers write nothing")

		// Submit refuses with a field per item while answers or evidence are missing.
		submitURL := fmt.Sprintf("/api/v1/inspections/%d/submit", v.ID)
		res = insp.do(http.MethodPost, submitURL, map[string]string{"confirmation": "张督导"})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "items[1.2].outcome", "unanswered")
		hasProblemField(t, res, "items[1.1].photos", "evidence_photo_required")

		// Photos: judged by content, not by name.
		photoURL := itemURL + "/photos"
		res = insp.upload(photoURL, "file", "现场.jpg", []byte("<html><script>alert(1)</script></html>"))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "file", "photo_type")
		res = insp.upload(photoURL, "other", "a.png", testPNG(t))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "file", "required")
		expectAudits(0, "refused uploads write nothing")
		var photos int64
		require.NoError(t, db.Model(&models.Photo{}).Count(&photos).Error)
		assert.Zero(t, photos)
		png := testPNG(t)
		res = insp.upload(photoURL, "file", "现场.png", png)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var photo models.Photo
		res.JSON(t, &photo)
		assert.Equal(t, "image/png", photo.MIME)
		expectAudits(1, "photo")

		// Served as an attachment, only within scope.
		res = mgr.do(http.MethodGet, fmt.Sprintf("/api/v1/photos/%d", photo.ID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, string(png), res.Body)
		assert.Equal(t, "image/png", res.Header.Get("Content-Type"))
		assert.True(t, strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment"))
		assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))

		// A policy limit below the photo's size refuses it clearly.
		require.NoError(t, models.SaveSetting(db, policy.PolicyKey, map[string]any{"photo_max_bytes": 10}, 0, v.StartedAt))
		res = insp.upload(photoURL, "file", "big.png", png)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		hasProblemField(t, res, "file", "too_large")
		require.NoError(t, db.Where("name = ?", policy.PolicyKey).Delete(&models.Setting{}).Error)

		// Twenty submits at once: one effect.
		res = insp.do(http.MethodPut, fmt.Sprintf("/api/v1/inspections/%d/items/1.2", v.ID), map[string]any{"outcome": "pass", "points": 5, "rev": 0})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		expectAudits(1, "save answer")
		var wg sync.WaitGroup
		codes := make([]int, 20)
		for i := range codes {
			// One client each: a client's cookie jar is not shared between goroutines.
			cl := &client{e: e, cookies: maps.Clone(insp.cookies)}
			wg.Add(1)
			go func() {
				defer wg.Done()
				codes[i] = cl.do(http.MethodPost, submitURL, map[string]string{"confirmation": "张督导"}).Code
			}()
		}
		wg.Wait()
		for _, c := range codes {
			assert.Equal(t, http.StatusOK, c)
		}
		expectAudits(1, "twenty submits, one audit row")
		res = mgr.do(http.MethodGet, fmt.Sprintf("/api/v1/inspections/%d", v.ID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		res.JSON(t, &v)
		// Earned 5·0 + 2·5 = 10 of 5 + 10 = 15: 66.67 %, below the pass mark of 80.
		require.NotNil(t, v.Score)
		assert.Equal(t, "66.67", v.Score.String())
		assert.Equal(t, models.ResultFail, v.Result)
		require.Len(t, v.Findings, 1)
		assert.Equal(t, []uint{photo.ID}, v.Items[0].PhotoIDs)

		// The manager of 东湖区 sees the finding; deleting it is refused, voiding works.
		res = mgr.do(http.MethodGet, "/api/v1/findings?rule_ref=R1.1&critical=false", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var fl models.List[models.Finding]
		res.JSON(t, &fl)
		require.EqualValues(t, 1, fl.Total)
		res = insp.do(http.MethodDelete, fmt.Sprintf("/api/v1/findings/%d", fl.Items[0].ID), nil)
		require.Equal(t, http.StatusConflict, res.Code)
		hasProblemField(t, res, "id", "finding_delete_use_void")
		expectAudits(0, "a refused delete writes nothing")

		// Exports: the note that looks like a formula is text.
		for _, c := range []struct{ url, sheet, header string }{
			{"/api/v1/findings.xlsx?unit_id=" + fmt.Sprint(e.unit("360102")), inspections.FindingsSheet, "规则"},
			{"/api/v1/inspections.xlsx?status=submitted", inspections.InspectionsSheet, "得分"},
		} {
			res = mgr.do(http.MethodGet, c.url, nil)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
			x, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
			require.NoError(t, err)
			rows, err := x.GetRows(c.sheet)
			require.NoError(t, err)
			require.Len(t, rows, 2, c.url)
			assert.Contains(t, rows[0], c.header)
			if c.sheet == inspections.FindingsSheet {
				assert.Equal(t, "=HYPERLINK(\"http://x\")", rows[1][7])
				formula, err := x.GetCellFormula(c.sheet, "H2")
				require.NoError(t, err)
				assert.Empty(t, formula, "user text is never a formula")
			} else {
				assert.Equal(t, "66.67", rows[1][9])
				assert.Equal(t, "不合格", rows[1][11])
			}
			x.Close()
		}

		// Reopen needs a reason (in both languages) and is audited.
		reopenURL := fmt.Sprintf("/api/v1/inspections/%d/reopen", v.ID)
		res = insp.do(http.MethodPost, reopenURL, map[string]string{})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		hasProblemField(t, res, "reason", "required")
		res = adm.do(http.MethodPost, reopenURL, map[string]string{"reason": "照片拍错了位置"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		expectAudits(1, "reopen")
		res.JSON(t, &v)
		assert.Equal(t, models.InspectionDraft, v.Status)
		assert.Empty(t, v.Findings)
	})
}
