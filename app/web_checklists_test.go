package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// provinceInspector signs in an inspector whose grant covers the province: an editor of
// checklist templates, as the admin is.
func (e *env) provinceInspector() *client {
	e.t.Helper()
	fixtureUser(e, "ck-inspector-36", models.RoleInspector, "36")
	c := e.anon()
	res := c.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": "ck-inspector-36", "password": matrixPassword})
	require.Equal(e.t, http.StatusOK, res.Code, res.Body)
	return c
}

// fieldOf is the label of form field name on a page: its input and the messages beside it.
func fieldOf(t *testing.T, body, name string) string {
	t.Helper()
	i := strings.Index(body, `name="`+name+`"`)
	require.GreaterOrEqual(t, i, 0, "no field %s on the page", name)
	j := strings.Index(body[i:], "</label>")
	require.GreaterOrEqual(t, j, 0)
	return body[i : i+j]
}

var versionURLRE = regexp.MustCompile(`^/checklists/(\d+)\?done=([a-z_]+)$`)

// versionOf reads the version a form's redirect leads to.
func versionOf(t *testing.T, e *env, res response, done string) *models.ChecklistTemplate {
	t.Helper()
	require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
	m := versionURLRE.FindStringSubmatch(res.Header.Get("Location"))
	require.NotNil(t, m, res.Header.Get("Location"))
	assert.Equal(t, done, m[2])
	var v models.ChecklistTemplate
	require.NoError(t, e.db.Where("id = ?", m[1]).Take(&v).Error)
	return &v
}

// TestChecklistPagesAuthoring walks an editor (an inspector over the province) through
// the pages: create a draft (blank rows ignored), edit it, publish it, then edit the
// published version, which makes version 2 as a draft and leaves version 1 as it was.
// Every form writes one audit row; a refusal writes none.
func TestChecklistPagesAuthoring(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ed := e.provinceInspector()
		code := fmt.Sprintf("WEBCK%d", uniq())

		// The new form: five blank rows, no script.
		res := ed.do(http.MethodGet, "/checklists/new", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, `name="r4.text"`)
		assert.NotContains(t, res.Body, `name="r5.text"`)
		// No script of its own: only the every-page app.js, which the form does not need.
		assert.Equal(t, 1, strings.Count(res.Body, "<script"))
		assert.Contains(t, res.Body, `<script src="/static/app.js" defer></script>`)

		// Two items typed, three blank rows (section and weight prefilled) ignored.
		form := templateForm(templateBody(code))
		for i := 2; i < 5; i++ {
			form.Set(fmt.Sprintf("r%d.section", i), "一、公示")
			form.Set(fmt.Sprintf("r%d.response", i), "pass_fail")
			form.Set(fmt.Sprintf("r%d.weight", i), "1")
		}
		form.Set("rows", "5")
		mark := e.lastAuditID()
		v1 := versionOf(t, e, ed.postPageForm("/checklists/new", "/checklists/new", form), "created")
		assert.Equal(t, int64(1), e.auditOf("create", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, code, v1.Code)
		assert.Equal(t, models.TemplateDraft, v1.Status)
		require.Len(t, v1.Items(), 2)
		assert.Equal(t, models.ChecklistItem{Key: "1.2", Text: "服务态度", RuleRef: "R9.1", Response: models.ResponseScore, MaxScore: 5, PassScore: 4, Weight: 2, Required: true},
			v1.Items()[1])
		page := fmt.Sprintf("/checklists/%d", v1.ID)

		// The version read-only, with its publish form.
		res = ed.do(http.MethodGet, page+"?done=created", nil)
		require.Equal(t, http.StatusOK, res.Code)
		for _, s := range []string{"一、公示", "公示服务承诺", "R9.1", "评分 0–5", `action="` + page + `/publish"`, `href="` + page + `/edit"`, "已新建检查表"} {
			assert.Contains(t, res.Body, s)
		}

		// Edit the draft: a new title, a third item in a second section.
		res = ed.do(http.MethodGet, page+"/edit", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, fieldOf(t, res.Body, "r1.rule_ref"), `value="R9.1"`)
		assert.Contains(t, res.Body, `name="r6.text"`, "two items and five blank rows")
		form = templateForm(templateBody(""))
		form.Set("title", "营业厅检查表（修订）")
		for k, v := range map[string]string{"section": "二、环境", "key": "2.1", "text": "厅堂整洁", "response": "pass_fail", "weight": "1"} {
			form.Set("r2."+k, v)
		}
		form.Set("rows", "3")
		mark = e.lastAuditID()
		saved := versionOf(t, e, ed.postPageForm(page+"/edit", page+"/edit", form), "saved")
		assert.Equal(t, v1.ID, saved.ID)
		assert.Equal(t, int64(1), e.auditOf("update", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, "营业厅检查表（修订）", saved.Title)
		require.Len(t, saved.Sections, 2)
		assert.Equal(t, "二、环境", saved.Sections[1].Title)

		// Publish.
		mark = e.lastAuditID()
		published := versionOf(t, e, ed.postPageForm(page, page+"/publish", url.Values{}), "published")
		assert.Equal(t, models.TemplatePublished, published.Status)
		assert.Equal(t, int64(1), e.auditOf("publish", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// Editing the published version says it makes version 2, and does.
		res = ed.do(http.MethodGet, page+"/edit", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "保存后生成第 2 版草稿")
		form.Set("title", "营业厅检查表（第二版）")
		mark = e.lastAuditID()
		v2 := versionOf(t, e, ed.postPageForm(page+"/edit", page+"/edit", form), "new_version")
		assert.Equal(t, int64(1), e.auditOf("new_version", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.NotEqual(t, v1.ID, v2.ID)
		assert.Equal(t, 2, v2.Version)
		assert.Equal(t, models.TemplateDraft, v2.Status)
		assert.Equal(t, "营业厅检查表（第二版）", v2.Title)
		again, err := models.GetTemplate(context.Background(), db, v1.ID)
		require.NoError(t, err)
		assert.Equal(t, published.Title, again.Title, "the published version is unchanged")
		assert.Equal(t, published.Sections, again.Sections)
		assert.Equal(t, models.TemplatePublished, again.Status)

		// A second edit of version 1 is refused while version 2 is a draft: on the form,
		// with what was typed, and nothing written.
		form.Set("title", "又一版")
		mark = e.lastAuditID()
		res = ed.postPageForm(page+"/edit", page+"/edit", form)
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "已有未发布的新版本草稿")
		assert.Contains(t, fieldOf(t, res.Body, "title"), `value="又一版"`)
		assert.Zero(t, e.auditCountSince(mark))
		res = ed.do(http.MethodGet, page, nil)
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/checklists/%d"`, v2.ID), "version 1 links to the draft")
	})
}

// TestChecklistFormRefusals: the service's refusals appear beside the field they name,
// in the page's language, with everything typed kept; "more rows" adds five blank rows
// and keeps the rest; nothing is written.
func TestChecklistFormRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ed := e.login(admin)
		form := templateForm(templateBody("WEBBAD"))
		form.Set("r1.rule_ref", "X9")
		form.Set("r0.key", "1.2") // the same key as the next row
		mark := e.lastAuditID()

		res := ed.postPageForm("/checklists/new", "/checklists/new", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		ref := fieldOf(t, res.Body, "r1.rule_ref")
		assert.Contains(t, ref, `value="X9"`)
		assert.Contains(t, ref, "规则编号格式应为")
		assert.NotContains(t, fieldOf(t, res.Body, "r0.rule_ref"), "规则编号格式应为", "only beside the row refused")
		assert.Contains(t, fieldOf(t, res.Body, "r1.key"), "项目编号与 sections[0].items[0] 重复")
		assert.Contains(t, fieldOf(t, res.Body, "title"), `value="临时检查表"`)
		assert.Contains(t, fieldOf(t, res.Body, "code"), `value="WEBBAD"`)

		// The same in English; a number that is not one is refused before the service.
		ed.cookies["lang"] = "en"
		form.Set("r0.weight", "lots")
		res = ed.postPageForm("/checklists/new", "/checklists/new", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, fieldOf(t, res.Body, "r0.weight"), "invalid")
		form.Del("r0.weight")
		form.Set("r0.weight", "1")
		res = ed.postPageForm("/checklists/new", "/checklists/new", form)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, fieldOf(t, res.Body, "r1.rule_ref"), "A rule reference is R1 to R10")

		// More rows: five blank ones after what was typed, which is kept.
		form.Set("more", "1")
		res = ed.postPageForm("/checklists/new", "/checklists/new", form)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, fieldOf(t, res.Body, "r1.rule_ref"), `value="X9"`)
		assert.Contains(t, fieldOf(t, res.Body, "r6.section"), `value="一、公示"`, "blank rows start in the last section")
		assert.NotContains(t, res.Body, `name="r7.text"`)
		assert.Zero(t, e.auditCountSince(mark))
		var n int64
		require.NoError(t, db.Model(&models.ChecklistTemplate{}).Where("code = ?", "WEBBAD").Count(&n).Error)
		assert.Zero(t, n)
	})
}

// TestChecklistPagesReadOnly: who reads and who writes, as the API decides. The
// inspector of 南昌 and the manager of 东湖区 read published versions but not drafts and
// write nothing (403, no audit row); the trainer reads; an employee has no page.
func TestChecklistPagesReadOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		pub, draft := e.freshDraftTemplate(true), e.freshDraftTemplate(false)
		body := templateForm(templateBody(fmt.Sprintf("WEBRO%d", uniq())))
		for _, tc := range []struct {
			name, as, method, url string
			body                  url.Values
			want                  int
			wantBody              string
		}{
			{"city inspector lists", inspector, get, "/checklists?code=" + pub.Code, nil, ok, pub.Title},
			{"city inspector reads published", inspector, get, withID("/checklists/:id", pub.ID), nil, ok, "公示服务承诺"},
			{"city inspector: no draft", inspector, get, withID("/checklists/:id", draft.ID), nil, notFound, ""},
			{"city inspector: no form", inspector, get, "/checklists/new", nil, http.StatusForbidden, ""},
			{"city inspector: no edit form", inspector, get, withID("/checklists/:id/edit", pub.ID), nil, http.StatusForbidden, ""},
			{"city inspector cannot create", inspector, post, "/checklists/new", body, http.StatusForbidden, ""},
			{"city inspector cannot edit", inspector, post, withID("/checklists/:id/edit", pub.ID), body, http.StatusForbidden, ""},
			{"city inspector cannot publish", inspector, post, withID("/checklists/:id/publish", draft.ID), url.Values{}, http.StatusForbidden, ""},
			{"city inspector cannot retire", inspector, post, withID("/checklists/:id/retire", pub.ID), url.Values{}, http.StatusForbidden, ""},
			{"manager reads published", manager, get, withID("/checklists/:id", pub.ID), nil, ok, "公示服务承诺"},
			{"manager: no draft", manager, get, withID("/checklists/:id", draft.ID), nil, notFound, ""},
			{"manager cannot create", manager, post, "/checklists/new", body, http.StatusForbidden, ""},
			{"manager cannot publish", manager, post, withID("/checklists/:id/publish", draft.ID), url.Values{}, http.StatusForbidden, ""},
			{"trainer reads published", trainer, get, withID("/checklists/:id", pub.ID), nil, ok, "公示服务承诺"},
			{"trainer cannot retire", trainer, post, withID("/checklists/:id/retire", pub.ID), url.Values{}, http.StatusForbidden, ""},
			{"employee: no list", employee, get, "/checklists", nil, http.StatusForbidden, ""},
			{"employee: no version", employee, get, withID("/checklists/:id", pub.ID), nil, http.StatusForbidden, ""},
		} {
			t.Run(tc.name, func(t *testing.T) {
				c := e.login(tc.as)
				mark := e.lastAuditID()
				var res response
				if tc.body != nil {
					res = sendRow(c, tc.method, tc.url, formBody(tc.body))
				} else {
					res = c.do(tc.method, tc.url, nil)
				}
				assert.Equal(t, tc.want, res.Code, clipBody(res.Body))
				if tc.wantBody != "" {
					assert.Contains(t, res.Body, tc.wantBody)
				}
				if tc.want == ok {
					assert.NotContains(t, res.Body, "/publish\"", "no write form for a reader")
					assert.NotContains(t, res.Body, "/edit\"")
				}
				assert.Zero(t, e.auditCountSince(mark), "nothing written")
			})
		}
		again, err := models.GetTemplate(context.Background(), db, pub.ID)
		require.NoError(t, err)
		assert.Equal(t, models.TemplatePublished, again.Status)
	})
}
