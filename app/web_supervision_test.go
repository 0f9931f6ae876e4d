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

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
)

// postPageUpload posts a photo as a browser's multipart form does: the CSRF token only
// in the form's hidden field, read from the page at from.
func (c *client) postPageUpload(from, target string, content []byte) response {
	return c.postPage(from, target, nil, "现场.png", content)
}

// hidden reads the value of the first hidden field name on a page after marker.
func hidden(t *testing.T, body, marker, name string) string {
	t.Helper()
	i := strings.Index(body, marker)
	require.GreaterOrEqual(t, i, 0, "no %q on the page", marker)
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body[i:])
	require.NotNil(t, m, "no hidden %s after %q", name, marker)
	return m[1]
}

// webChecklist is a published checklist with a critical item (c1), a score item (s1,
// 0..5, failing below 4) and an item needing a note and a photo when failed (e1).
func (e *env) webChecklist() *models.ChecklistTemplate {
	e.t.Helper()
	ctx := context.Background()
	t, err := e.templates().CreateTemplate(ctx, models.SystemActor, models.ScopeAll, inspections.TemplateInput{Code: fmt.Sprintf("WEB%d", uniq()),
		Title: "网页检查表", Sections: []inspections.SectionInput{
			{Title: "一、首问负责", Items: []inspections.ItemInput{
				{Key: "c1", Text: "不推诿客户", RuleRef: "R2.4", Guidance: "观察窗口接待", Response: models.ResponsePassFail, Weight: 1, Critical: true, Required: true}}},
			{Title: "二、公示与环境", Items: []inspections.ItemInput{
				{Key: "s1", Text: "服务态度", RuleRef: "R9.1", Response: models.ResponseScore, MaxScore: 5, PassScore: 4, Weight: 2, Required: true},
				{Key: "e1", Text: "公示收费标准", RuleRef: "R1.3", Response: models.ResponsePassFail, Weight: 5, Required: true, EvidenceOnFail: true}}},
		}})
	require.NoError(e.t, err)
	t, err = e.templates().PublishTemplate(ctx, models.SystemActor, models.ScopeAll, t.ID)
	require.NoError(e.t, err)
	return t
}

// TestInspectionPagesFlow walks an inspector's visit on the pages: start (a double
// click gives one inspection), answer, a stale answer refused with the current one
// shown, refusals listed per item, a real PNG, submit; then the result as the list and
// the branch manager see it. Every form writes one audit row, none on refusal.
func TestInspectionPagesFlow(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tpl := e.webChecklist()
		insp := e.login(inspector)

		// Start: the form carries a server-made client id; posting it twice (a double
		// click) gives the one inspection and one audit row.
		res := insp.do(http.MethodGet, "/inspections/new?county="+idStr(e.unit("360102")), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, e.units["360102-01"].Name)
		assert.NotContains(t, res.Body, e.units[outOfScope].Name)
		clientID := hidden(t, res.Body, `action="/inspections"`, "client_id")
		require.True(t, strings.HasPrefix(clientID, "web-"), clientID)
		start := url.Values{"client_id": {clientID}, "template_id": {idStr(tpl.ID)}, "org_unit_id": {idStr(e.unit("360102-01"))}}
		mark := e.lastAuditID()
		first := insp.postPageForm("/inspections/new", "/inspections", start)
		require.Equal(t, http.StatusSeeOther, first.Code, first.Body)
		again := insp.postPageForm("/inspections/new", "/inspections", start)
		require.Equal(t, http.StatusSeeOther, again.Code, again.Body)
		assert.Equal(t, first.Header.Get("Location"), again.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var ins models.Inspection
		require.NoError(t, db.Where("client_id = ?", clientID).Take(&ins).Error)
		page := fmt.Sprintf("/inspections/%d", ins.ID)
		require.Equal(t, page, first.Header.Get("Location"))

		// Another city's outlet is refused on the form, field by field, with nothing written.
		mark = e.lastAuditID()
		res = insp.postPageForm("/inspections/new", "/inspections", url.Values{"client_id": {"web-x1"}, "template_id": {idStr(tpl.ID)}, "org_unit_id": {idStr(e.unit(outOfScope))}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "营业厅：不存在或不在您的管辖范围内")
		assert.Zero(t, e.auditCountSince(mark))

		// The fill page: sections, guidance, rule refs, one form with every item's fields
		// and photo (TestInspectionOneFormSavesChanged posts it; here the single-item
		// routes a page loaded before it still posts to).
		res = insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		for _, s := range []string{"一、首问负责", "二、公示与环境", "观察窗口接待", "R2.4", `action="` + page + `/items"`, `name="items[e1][photo]"`,
			`enctype="multipart/form-data"`, `accept="image/*"`, `formaction="` + page + `/submit"`} {
			assert.Contains(t, res.Body, s)
		}
		rev := hidden(t, res.Body, `id="item-e1"`, "items[e1][rev]")
		mark = e.lastAuditID()
		res = insp.postPageForm(page, page+"/items/e1", url.Values{"outcome": {"fail"}, "note": {"收费标准未张贴"}, "rev": {rev}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=saved#item-e1", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("save_item", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// The same rev again is stale: refused, the page shows the message and the answer
		// saved first, and nothing is overwritten or audited.
		mark = e.lastAuditID()
		res = insp.postPageForm(page, page+"/items/e1", url.Values{"outcome": {"pass"}, "note": {"已张贴"}, "rev": {rev}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "已被他人修改")
		assert.Contains(t, res.Body, "收费标准未张贴")
		assert.Zero(t, e.auditCountSince(mark))
		it, err := models.GetInspectionItem(context.Background(), db, ins.ID, "e1")
		require.NoError(t, err)
		assert.Equal(t, models.OutcomeFail, it.Outcome)
		assert.Equal(t, "收费标准未张贴", it.Note)

		// Submit too early: every unanswered item and the missing photo are listed on
		// their items, in Chinese; nothing is written.
		res = insp.postPageForm(page, page+"/submit", url.Values{"confirmation": {"张稽核"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "必答项尚未作答")
		assert.Contains(t, res.Body, "不合格项须至少上传一张照片")
		// The summary at the top links every item it names, in checklist order, and
		// the page opens at the first of them.
		summary := between(t, res.Body, `id="error-summary"`, "</div>")
		links := regexp.MustCompile(`href="#item-([^"]+)"`).FindAllStringSubmatch(summary, -1)
		require.NotEmpty(t, links)
		assert.Contains(t, summary, `<a href="#item-e1">e1</a>：不合格项须至少上传一张照片`)
		firstItem := between(t, res.Body, `id="item-`+links[0][1]+`"`, "</section>")
		assert.Contains(t, firstItem, " autofocus>")
		assert.Equal(t, 1, strings.Count(res.Body, " autofocus>"))
		assert.Zero(t, e.auditCountSince(mark))

		// A real PNG through the item's multipart form (token in the form only).
		res = insp.postPageUpload(page, page+"/items/e1/photos", testPNG(t))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("add_photo", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		// Not a picture: refused on the item, nothing stored.
		mark = e.lastAuditID()
		res = insp.postPageUpload(page, page+"/items/e1/photos", []byte("<html>not a photo</html>"))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "只接受 JPEG 或 PNG 照片")
		assert.Zero(t, e.auditCountSince(mark))

		// Answer the rest: the critical item fails, the score item gets 3 of 5.
		res = insp.do(http.MethodGet, page, nil)
		res = insp.postPageForm(page, page+"/items/c1", url.Values{"outcome": {"fail"}, "rev": {hidden(t, res.Body, `id="item-c1"`, "items[c1][rev]")}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		res = insp.do(http.MethodGet, page, nil)
		res = insp.postPageForm(page, page+"/items/s1", url.Values{"outcome": {"pass"}, "points": {"3"}, "rev": {hidden(t, res.Body, `id="item-s1"`, "items[s1][rev]")}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)

		mark = e.lastAuditID()
		res = insp.postPageForm(page, page+"/submit", url.Values{"confirmation": {"张稽核"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=submitted", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("submit", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// Read-only now: score (6 of 16 → 37.50), 不合格, the critical failure, the
		// findings with their rectifications, the photo through the authorised route.
		res = insp.do(http.MethodGet, page+"?done=submitted", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "检查已提交")
		assert.Contains(t, res.Body, "37.50")
		assert.Contains(t, res.Body, `<strong class="error">不合格</strong>`)
		assert.Contains(t, res.Body, "否决项不合格")
		// A failed item says 不合格 once: the answer of a pass/fail item is the failure;
		// a score item below its mark shows its points and the failure.
		for key, want := range map[string]string{"e1": `<span class="error">不合格</span>`, "s1": "3 / 5"} {
			answer := between(t, between(t, res.Body, `id="item-`+key+`"`, "</section>"), "当前答案", "</p>")
			assert.Equal(t, 1, strings.Count(answer, "不合格"), "%s: %s", key, answer)
			assert.Contains(t, answer, want, key)
		}
		assert.NotContains(t, res.Body, `action="`+page+`/items`, "a submitted inspection has no answer form")
		assert.NotContains(t, res.Body, page+`/submit"`)
		assert.NotContains(t, res.Body, "/static/inspection.js")
		assert.Equal(t, 3, strings.Count(res.Body, `href="/rectifications/`), "c1, s1 and e1 failed")
		photo := regexp.MustCompile(`<img src="(/api/v1/photos/\d+)"`).FindStringSubmatch(res.Body)
		require.NotNil(t, photo, "no thumbnail")

		// The list, with the score to two decimals and the failure marked.
		res = insp.do(http.MethodGet, "/inspections?result=fail", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, page)
		assert.Contains(t, res.Body, "<td>37.50</td>")
		assert.Contains(t, res.Body, `<span class="error">不合格</span>`)
		res = insp.do(http.MethodGet, "/inspections?result=pass", nil)
		assert.NotContains(t, res.Body, `href="`+page+`"`)

		// The manager of 东湖区 reads it and its photo; no forms for them.
		mgr := e.login(manager)
		res = mgr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "37.50")
		res = mgr.do(http.MethodGet, photo[1], nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, "image/png", res.Header.Get("Content-Type"))

		// Answering a submitted inspection is refused on the page.
		mark = e.lastAuditID()
		res = sendRow(insp, http.MethodPost, page+"/items/e1", formBody{"outcome": {"pass"}, "rev": {"9"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "检查已提交，答案不能再修改")
		assert.Zero(t, e.auditCountSince(mark))
	})
}

// TestInspectionPagesScopeAndLanguage: another city's inspection is a 404 page to the
// inspector of 南昌; a refusal is shown in English when the page is switched.
func TestInspectionPagesScopeAndLanguage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		other := e.freshInspection(admin, outOfScope, draftInspection, false)
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, fmt.Sprintf("/inspections/%d", other.ID), nil)
		assert.Equal(t, http.StatusNotFound, res.Code)
		assert.Contains(t, res.Header.Get("Content-Type"), "text/html")
		assert.NotContains(t, res.Body, e.units[outOfScope].Name)

		own := e.freshInspection("inspector", "360102-01", draftInspection, false)
		insp.cookies["lang"] = "en"
		res = sendRow(insp, http.MethodPost, fmt.Sprintf("/inspections/%d/submit", own.ID), formBody{"confirmation": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "Confirmation：required")
		assert.Contains(t, res.Body, "See the problems marked on the items below")
	})
}

// TestRectificationPages: the branch manager answers with a photo and a text, a stale
// revision shows the message, the inspector verifies; overdue is highlighted; each
// form writes one audit row and none on refusal.
func TestRectificationPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		r := e.openRect("360102-01", models.Date{})
		late := e.openRect("360102-01", models.Date{Year: 2025, Month: 1, Day: 1})
		page := fmt.Sprintf("/rectifications/%d", r.ID)

		mgr := e.login(manager)
		res := mgr.do(http.MethodGet, "/rectifications?overdue=true", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/rectifications/%d"`, late.ID))
		assert.NotContains(t, res.Body, fmt.Sprintf(`href="%s"`, page), "not overdue")
		assert.Regexp(t, `<strong class="error">逾期 \d+ 天</strong>`, res.Body)

		// Submitting without a photo is refused on the page.
		res = mgr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		rev := hidden(t, res.Body, `action="`+page+`/submit"`, "revision")
		mark := e.lastAuditID()
		res = mgr.postPageForm(page, page+"/submit", url.Values{"revision": {rev}, "text": {"已张贴"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "提交整改材料前须至少上传一张整改照片")
		assert.Contains(t, res.Body, ">已张贴</textarea>", "the refusal gives back the text")
		assert.Zero(t, e.auditCountSince(mark))

		res = mgr.postPageUpload(page, page+"/photos", pngPhoto(t))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=photo", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		mark = e.lastAuditID()
		res = mgr.postPageForm(page, page+"/submit", url.Values{"revision": {rev}, "text": {"已张贴收费标准"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("submit", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = mgr.do(http.MethodGet, page, nil)
		assert.Contains(t, res.Body, "已张贴收费标准")
		assert.Contains(t, res.Body, fmt.Sprintf(`/api/v1/rectifications/%d/photos/`, r.ID))
		assert.NotContains(t, res.Body, `action="`+page+`/verify"`, "the manager does not judge")

		// The inspector judges: a stale revision shows the message, nothing changes.
		insp := e.login(inspector)
		res = insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		current := hidden(t, res.Body, `action="`+page+`/verify"`, "revision")
		mark = e.lastAuditID()
		res = insp.postPageForm(page, page+"/verify", url.Values{"revision": {rev}, "note": {"核对中"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "已被他人修改")
		assert.Contains(t, res.Body, `value="核对中"`, "the refusal gives back the note")
		assert.Zero(t, e.auditCountSince(mark))
		res = insp.postPageForm(page, page+"/reject", url.Values{"revision": {current}, "reason": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "原因：必填")
		assert.Zero(t, e.auditCountSince(mark))

		// Returned with a reason: the branch sees it above the evidence, answers again.
		res = insp.postPageForm(page, page+"/reject", url.Values{"revision": {current}, "reason": {"照片看不清标价"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		res = mgr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		rejection := strings.Index(res.Body, `id="rejection"`)
		require.Positive(t, rejection, "the latest rejection is shown")
		assert.Contains(t, between(t, res.Body, `id="rejection"`, "</p>"), "照片看不清标价")
		// People by their names, not their logins, there and in the timeline.
		var judge models.User
		require.NoError(t, db.Where("username = ?", inspector).Take(&judge).Error)
		require.NotEmpty(t, judge.DisplayName)
		require.NotEqual(t, judge.Username, judge.DisplayName)
		assert.Contains(t, between(t, res.Body, `id="rejection"`, "</p>"), judge.DisplayName)
		timeline := between(t, res.Body, "<h2>时间线</h2>", "</section>")
		assert.Contains(t, timeline, judge.DisplayName)
		assert.NotContains(t, timeline, " "+judge.Username+"：")
		assert.Less(t, rejection, strings.Index(res.Body, "已张贴收费标准"), "above the evidence")
		rev = hidden(t, res.Body, `action="`+page+`/submit"`, "revision")
		res = mgr.postPageForm(page, page+"/submit", url.Values{"revision": {rev}, "text": {"已张贴收费标准，重拍清晰照片"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		res = insp.do(http.MethodGet, page, nil)
		current = hidden(t, res.Body, `action="`+page+`/verify"`, "revision")
		mark = e.lastAuditID()
		res = insp.postPageForm(page, page+"/verify", url.Values{"revision": {current}, "note": {"现场复核已张贴"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("verify", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		d, err := e.rectSvc().Get(context.Background(), models.ScopeAll, r.ID)
		require.NoError(t, err)
		assert.Equal(t, models.RectVerified, d.Status)
		res = insp.do(http.MethodGet, page+"?done=verify", nil)
		assert.Contains(t, res.Body, "已核验通过")
		assert.Contains(t, res.Body, "现场复核已张贴", "the timeline")

		// A waiver with its reason.
		mark = e.lastAuditID()
		wpage := fmt.Sprintf("/rectifications/%d", late.ID)
		res = insp.postPageForm(wpage, wpage+"/waive", url.Values{"revision": {"1"}, "reason": {"营业厅已撤并"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var got models.Rectification
		require.NoError(t, db.Take(&got, late.ID).Error)
		assert.Equal(t, models.RectWaived, got.Status)
		assert.Equal(t, "营业厅已撤并", got.WaiverReason)
	})
}

// TestCaseAndPatrolPages: the case page shows the person, the statement form records
// once (one audit row; a second is refused with none) and then says a decision may be
// made (R6.8); the patrol list shows the plan.
func TestCaseAndPatrolPages(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		c := e.freshCase("360102", "360102-01001", false)
		var p models.CasePerson
		require.NoError(t, db.Where("case_id = ?", c.ID).Take(&p).Error)
		page := fmt.Sprintf("/cases/%d", c.ID)
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, "/cases", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, c.Number)
		res = insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "尚未记录陈述和申辩")
		assert.Contains(t, res.Body, "陈述未记录且陈述期未满")

		target := fmt.Sprintf("%s/persons/%d/statement", page, p.ID)
		mark := e.lastAuditID()
		res = insp.postPageForm(page, target, url.Values{"statement": {"当时系统故障，并非推诿。"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=statement", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = insp.do(http.MethodGet, page+"?done=statement", nil)
		assert.Contains(t, res.Body, "当时系统故障，并非推诿。")
		assert.Contains(t, res.Body, "可以作出处理决定")
		mark = e.lastAuditID()
		res = sendRow(insp, http.MethodPost, target, formBody{"statement": {"再说一次"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, `class="error"`)
		assert.Zero(t, e.auditCountSince(mark))

		// A plan of 东湖区: planned 1, pending 1.
		v := e.freshPlan("360102")
		res = insp.do(http.MethodGet, "/patrols", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, v.Title)
		assert.Contains(t, res.Body, v.Title+"</a></td><td>"+e.units["360102"].Name+"</td>")
		assert.Contains(t, res.Body, "<td>1</td><td>0</td><td>0</td><td>1</td>", "planned, done, missed, pending")
	})
}

// TestNewInspectionOffersPatrolStops: the start form offers the pending stops of the
// caller's own plans, and a start from one links the inspection to it.
func TestNewInspectionOffersPatrolStops(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		v := e.freshPlan("360102")
		require.NotEmpty(t, v.Stops)
		stop := v.Stops[0]
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, "/inspections/new", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" >%s`, stop.ID, v.Title))
		// The admin has no plan of its own: no stop to offer.
		res = e.login(admin).do(http.MethodGet, "/inspections/new", nil)
		assert.NotContains(t, res.Body, `name="patrol_stop_id"`)

		clientID := hidden(t, insp.do(http.MethodGet, "/inspections/new", nil).Body, `action="/inspections"`, "client_id")
		res = insp.postPageForm("/inspections/new", "/inspections", url.Values{"client_id": {clientID}, "template_id": {idStr(e.matrixTemplate().ID)},
			"org_unit_id": {idStr(stop.OrgUnitID)}, "patrol_stop_id": {idStr(stop.ID)}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		var ins models.Inspection
		require.NoError(t, db.Where("client_id = ?", clientID).Take(&ins).Error)
		require.NotNil(t, ins.PatrolStopID)
		assert.Equal(t, stop.ID, *ins.PatrolStopID)
	})
}

// between is the part of body from the first from to the next to after it.
func between(t *testing.T, body, from, to string) string {
	t.Helper()
	i := strings.Index(body, from)
	require.GreaterOrEqual(t, i, 0, "no %s", from)
	j := strings.Index(body[i:], to)
	require.GreaterOrEqual(t, j, 0, "no %s after %s", to, from)
	return body[i : i+j]
}

// TestRectificationEvidenceOneForm: the evidence form carries the photo and the text
// together. 上传照片 with text typed gives the page back with the text; 提交整改材料 with
// a photo chosen stores it and submits in one press, each write audited.
func TestRectificationEvidenceOneForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		r := e.openRect("360102-01", models.Date{})
		page := fmt.Sprintf("/rectifications/%d", r.ID)
		mgr := e.login(manager)
		res := mgr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `<form method="post" action="`+page+`/submit" enctype="multipart/form-data" id="evidence">`)
		rev := hidden(t, res.Body, `action="`+page+`/submit"`, "revision")

		mark := e.lastAuditID()
		res = mgr.postPage(page, page+"/photos", url.Values{"revision": {rev}, "text": {"已张贴<收费>标准"}}, "现场.png", pngPhoto(t))
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "整改照片已上传")
		assert.Contains(t, res.Body, ">已张贴&lt;收费&gt;标准</textarea>", "the text typed before the upload comes back")
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		r2 := e.openRect("360102-01", models.Date{})
		page2 := fmt.Sprintf("/rectifications/%d", r2.ID)
		res = mgr.do(http.MethodGet, page2, nil)
		rev2 := hidden(t, res.Body, `action="`+page2+`/submit"`, "revision")
		mark = e.lastAuditID()
		res = mgr.postPage(page2, page2+"/submit", url.Values{"revision": {rev2}, "text": {"已整改"}}, "现场.png", pngPhoto(t))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("submit", mark))
		assert.Equal(t, int64(2), e.auditCountSince(mark), "the photo and the submit")
		var st string
		require.NoError(t, db.Table("rectifications").Where("id = ?", r2.ID).Pluck("status", &st).Error)
		assert.Equal(t, models.RectSubmitted, st)
	})
}
