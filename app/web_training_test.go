package app_test

import (
	"bytes"
	"context"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// csrfField finds the hidden _csrf field of a rendered form.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]+)"`)

// postPageForm posts values as a browser would: the token only in the form's hidden
// field, read from the page at from, not in a header.
func (c *client) postPageForm(from, target string, values url.Values) response {
	return c.postPage(from, target, values, "", nil)
}

// postPage posts a page's form as a browser does: the CSRF token only in the form's
// hidden field (read from the page at from), the values, and with a file name the
// content as the multipart field "file".
func (c *client) postPage(from, target string, values url.Values, fileName string, content []byte) response {
	c.e.t.Helper()
	page := c.do(http.MethodGet, from, nil)
	require.Equal(c.e.t, http.StatusOK, page.Code, page.Body)
	m := csrfField.FindStringSubmatch(page.Body)
	require.NotNil(c.e.t, m, "no _csrf field on %s", from)
	form := url.Values{"_csrf": {m[1]}}
	for k, vs := range values {
		form[k] = vs
	}
	var body io.Reader
	contentType := "application/x-www-form-urlencoded"
	if fileName == "" {
		body = strings.NewReader(form.Encode())
	} else {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, vs := range form {
			for _, v := range vs {
				require.NoError(c.e.t, w.WriteField(k, v))
			}
		}
		fw, err := w.CreateFormFile("file", fileName)
		require.NoError(c.e.t, err)
		_, err = fw.Write(content)
		require.NoError(c.e.t, err)
		require.NoError(c.e.t, w.Close())
		body, contentType = &buf, w.FormDataContentType()
	}
	req := httptest.NewRequest(http.MethodPost, target, body)
	req.Header.Set("Content-Type", contentType)
	res, _ := c.exchange(req)
	return res
}

// auditOf counts the audit events with action since mark (an audit count before).
func (e *env) auditOf(action string, after uint) int64 {
	var n int64
	require.NoError(e.t, e.db.Model(&models.AuditEvent{}).Where("action = ? AND id > ?", action, after).Count(&n).Error)
	return n
}

// lastAuditID is the id of the newest audit event.
func (e *env) lastAuditID() uint {
	var id uint
	require.NoError(e.t, e.db.Model(&models.AuditEvent{}).Select("COALESCE(MAX(id), 0)").Scan(&id).Error)
	return id
}

func TestHandbookPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		svc := training.NewService(db, shanghaiZone(t))
		// A new major version whose Markdown tries to put markup on the page.
		d, err := svc.CreateDraft(ctx, models.SystemActor, training.VersionInput{Version: "2.0", Title: "员工手册 2.0",
			Body: "# 员工手册\n\n## 一、首问负责\n\n首问负责 <script>alert(1)</script>（R2.1）。\n\n- 热情接待\n- 一次告知\n\n| 事项 | 时限 |\n| --- | --- |\n| 故障修复 | 24 小时 |\n"})
		require.NoError(t, err)
		v, err := svc.Publish(ctx, models.SystemActor, d.ID)
		require.NoError(t, err)

		emp := e.login(employee)
		res := emp.do(http.MethodGet, "/handbook", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "<h3>一、首问负责</h3>")
		assert.Contains(t, res.Body, "<li>一次告知</li>")
		assert.Contains(t, res.Body, "<th>事项</th>")
		assert.Contains(t, res.Body, "<td>24 小时</td>")
		assert.NotContains(t, res.Body, "<script>")
		assert.Contains(t, res.Body, "&lt;script&gt;")
		assert.Contains(t, res.Body, "您尚未确认现行版本")
		assert.Contains(t, res.Body, `action="/handbook/acknowledge"`)
		assert.NotContains(t, res.Body, "pending.xlsx", "an employee sees no coverage")

		// The form (token in its hidden field) acknowledges once, with one audit row.
		mark := e.lastAuditID()
		res = emp.postPageForm("/handbook", "/handbook/acknowledge", url.Values{"version_id": {idStr(v.ID)}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/handbook", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("acknowledge", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = emp.do(http.MethodGet, "/handbook", nil)
		assert.Contains(t, res.Body, "您已确认本版本")
		assert.NotContains(t, res.Body, `action="/handbook/acknowledge"`)
		res = sendRow(emp, http.MethodPost, "/handbook/acknowledge", formBody{"version_id": {idStr(v.ID)}})
		assert.Equal(t, http.StatusSeeOther, res.Code)
		assert.Equal(t, int64(1), e.auditCountSince(mark), "acknowledging again writes nothing")

		// A stale or missing version is refused on the page itself, in Chinese.
		res = sendRow(emp, http.MethodPost, "/handbook/acknowledge", formBody{"version_id": {idStr(e.handbookVersion(seeds.HandbookV1Version))}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, `class="error"`)
		res = sendRow(emp, http.MethodPost, "/handbook/acknowledge", formBody{"version_id": {"abc"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)

		// The manager sees the coverage of 东湖区 only, with the pending workbook's link.
		res = e.login(manager).do(http.MethodGet, "/handbook?level=outlet", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `href="/api/v1/handbook/pending.xlsx"`)
		assert.Contains(t, res.Body, "360102-01")
		assert.NotContains(t, res.Body, "360402-01")
	})
}

// auditCountSince counts every audit event after mark.
func (e *env) auditCountSince(mark uint) int64 {
	var n int64
	require.NoError(e.t, e.db.Model(&models.AuditEvent{}).Where("id > ?", mark).Count(&n).Error)
	return n
}

func TestTrainingPageSignIn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login(employee)
		sess := e.freshSession(true)

		res := emp.do(http.MethodGet, "/training", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, seeds.EtiquetteCourseTitle)
		assert.Contains(t, res.Body, `<option value="`+idStr(sess)+`">`)
		assert.Contains(t, res.Body, "入职培训进度")

		// A wrong code shows the reason on the page, in Chinese, and writes no audit row.
		mark := e.lastAuditID()
		res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(sess)}, "code": {"000000"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "签到码不正确")
		assert.Contains(t, res.Body, `action="/training/sign-in"`, "the form is shown again")
		assert.Zero(t, e.auditCountSince(mark))
		res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(sess)}, "code": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)

		// The right code: one attendance, audited once (and the completion it gives, once).
		res = emp.postPageForm("/training", "/training/sign-in", url.Values{"session_id": {idStr(sess)}, "code": {matrixSignInCode}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/training?done=sign_in", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("attend", mark))
		res = emp.do(http.MethodGet, "/training?done=sign_in", nil)
		assert.Contains(t, res.Body, "签到成功")
		assert.NotContains(t, res.Body, `<option value="`+idStr(sess)+`">`, "an attended session is no longer offered")

		// Guessing: the fifth wrong code locks this user out of the session, in Chinese
		// and, with the English switch, in English; the right code is then refused too.
		other := e.freshSession(true)
		mark = e.lastAuditID()
		for i := range 4 {
			res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(other)}, "code": {"00000" + idStr(uint(i))}})
			assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		}
		res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(other)}, "code": {"000009"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "签到码错误次数过多")
		emp.cookies["lang"] = "en"
		res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(other)}, "code": {matrixSignInCode}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "too many wrong codes")
		assert.Equal(t, int64(1), e.auditOf("sign_in_locked", mark))
		assert.Zero(t, e.auditOf("attend", mark))
		delete(emp.cookies, "lang")

		// Online completion through its button; a nonexistent session is a 404 page.
		mark = e.lastAuditID()
		res = sendRow(emp, http.MethodPost, withID("/training/courses/:id/complete", e.course(seeds.BasicsCourseTitle)), formBody{})
		assert.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {"999999"}, "code": {matrixSignInCode}})
		assert.Equal(t, http.StatusNotFound, res.Code)
		assert.Contains(t, res.Body, "<!doctype html>")
	})
}

func TestCertificatePages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		cert := e.demoCertificate("360102-01001")

		res := e.login(employee).do(http.MethodGet, "/certificates", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, cert.Number)
		assert.Contains(t, res.Body, "/verify?code="+cert.Code)
		assert.NotContains(t, res.Body, "即将到期、需复训复考")

		e.expiringCertificates()
		res = e.login(manager).do(http.MethodGet, "/certificates", nil)
		assert.Contains(t, res.Body, "即将到期、需复训复考")
		assert.Contains(t, res.Body, "EXP360102-01")
		assert.NotContains(t, res.Body, "EXP360402-01")

		// The public check, signed out: the masked answer, or a 404 page saying so.
		anonymous := e.anon()
		res = anonymous.do(http.MethodGet, "/verify?code="+cert.Code, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, cert.Number)
		assert.Contains(t, res.Body, "有效")
		res = anonymous.do(http.MethodGet, "/verify?code=nope", nil)
		assert.Equal(t, http.StatusNotFound, res.Code)
		assert.Contains(t, res.Body, "没有与该验证码对应的证书")
		res = anonymous.do(http.MethodGet, "/verify", nil)
		assert.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `href="/verify"`)
	})
}
