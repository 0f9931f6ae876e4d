package app_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
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

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
)

var (
	fillHidden   = regexp.MustCompile(`name="(items\[[^\]]+\]\[(?:rev|was)\])" value="([^"]*)"`)
	fillChecked  = regexp.MustCompile(`name="(items\[[^\]]+\]\[outcome\])" value="([^"]*)" checked`)
	fillPoints   = regexp.MustCompile(`name="(items\[[^\]]+\]\[points\])"[^>]* value="([^"]*)"`)
	fillNote     = regexp.MustCompile(`(?s)name="(items\[[^\]]+\]\[note\])"[^>]*>(.*?)</textarea>`)
	fillConfirm  = regexp.MustCompile(`name="confirmation"[^>]* value="([^"]*)"`)
	fillItemKeys = regexp.MustCompile(`<section class="card item" id="item-([^"]+)"`)
)

// fillForm is the fill page's one form as a browser would post it untouched: the token
// and, per item, its rev, mark, checked outcome, points and note.
func fillForm(t *testing.T, body string) url.Values {
	t.Helper()
	m := csrfField.FindStringSubmatch(body)
	require.NotNil(t, m, "no _csrf on the page")
	v := url.Values{"_csrf": {m[1]}}
	for _, re := range []*regexp.Regexp{fillHidden, fillChecked, fillPoints, fillNote} {
		for _, m := range re.FindAllStringSubmatch(body, -1) {
			v.Set(m[1], html.UnescapeString(m[2]))
		}
	}
	if m := fillConfirm.FindStringSubmatch(body); m != nil {
		v.Set("confirmation", html.UnescapeString(m[1]))
	}
	return v
}

// postFill posts the one form read from the page at page, changed by edit, to target
// (urlencoded, or multipart with photos by item key).
func (c *client) postFill(page, target string, edit func(url.Values), photos map[string][]byte) response {
	c.e.t.Helper()
	res := c.do(http.MethodGet, page, nil)
	require.Equal(c.e.t, http.StatusOK, res.Code, res.Body)
	form := fillForm(c.e.t.(*testing.T), res.Body)
	if edit != nil {
		edit(form)
	}
	return c.sendFill(target, form, photos)
}

// sendFill posts form (and photos) as the browser sends the one form: the token in the
// form only.
func (c *client) sendFill(target string, form url.Values, photos map[string][]byte) response {
	c.e.t.Helper()
	var req *http.Request
	if len(photos) == 0 {
		req = httptest.NewRequest(http.MethodPost, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		var buf bytes.Buffer
		w := multipart.NewWriter(&buf)
		for k, vs := range form {
			for _, v := range vs {
				require.NoError(c.e.t, w.WriteField(k, v))
			}
		}
		for key, content := range photos {
			fw, err := w.CreateFormFile("items["+key+"][photo]", "现场.png")
			require.NoError(c.e.t, err)
			_, err = fw.Write(content)
			require.NoError(c.e.t, err)
		}
		require.NoError(c.e.t, w.Close())
		req = httptest.NewRequest(http.MethodPost, target, &buf)
		req.Header.Set("Content-Type", w.FormDataContentType())
	}
	r, cookies := c.exchange(req)
	for _, ck := range cookies {
		c.cookies[ck.Name] = ck.Value
	}
	return r
}

// webInspection starts a draft inspection of 东湖区八一大道营业厅 by the inspector with tpl.
func (e *env) webInspection(tpl *models.ChecklistTemplate) uint {
	e.t.Helper()
	v, _, err := e.inspectionService().Start(context.Background(), e.actor(inspector), models.ScopeAll, inspections.StartInput{
		ClientID: fmt.Sprintf("fill-%d", uniq()), TemplateID: tpl.ID, OrgUnitID: e.unit("360102-01")})
	require.NoError(e.t, err)
	return v.ID
}

// saveItem answers item key of inspection id at its current rev, as the inspector's
// other device would.
func (e *env) saveItem(id uint, key, outcome, note string) {
	e.t.Helper()
	it := e.items(id)[key]
	rev := it.Rev
	_, err := e.inspectionService().SaveItem(context.Background(), e.actor(inspector), models.ScopeAll, id, key, inspections.SaveItemInput{Outcome: outcome, Note: note, Rev: &rev})
	require.NoError(e.t, err)
}

// items are the stored items of inspection id by key.
func (e *env) items(id uint) map[string]models.InspectionItem {
	e.t.Helper()
	list, err := models.InspectionItemsOf(context.Background(), e.db, id)
	require.NoError(e.t, err)
	out := map[string]models.InspectionItem{}
	for _, it := range list {
		out[it.Key] = it
	}
	return out
}

// TestInspectionOneFormSavesChanged: without JavaScript the fill page is one form.
// 保存全部 saves every changed item in one post (one audit row each) and leaves the
// untouched ones alone (their rev stays); a post that changes nothing writes nothing.
func TestInspectionOneFormSavesChanged(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ins := e.webInspection(e.webChecklist())
		insp := e.login(inspector)
		page := fmt.Sprintf("/inspections/%d", ins)

		res := insp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, []string{"c1", "s1", "e1"}, submatches(fillItemKeys, res.Body), "one section per item, id item-KEY")
		assert.Equal(t, 1, strings.Count(res.Body, `<form method="post" action="`+page+`/items"`), "one form for the answers")
		assert.Contains(t, res.Body, `enctype="multipart/form-data"`)
		assert.Contains(t, res.Body, `formaction="`+page+`/submit"`)
		assert.Contains(t, res.Body, `<span id="progress">已答 <strong id="answered">0</strong>/3</span>`)
		assert.Equal(t, 3, strings.Count(res.Body, `class="save-state" data-state="saved"`))
		assert.Contains(t, res.Body, `<script src="/static/inspection.js"></script>`)
		assert.NotContains(t, res.Body, "<script>", "no inline script (CSP)")

		// c1 and s1 changed, e1 untouched.
		mark := e.lastAuditID()
		res = insp.postFill(page, page+"/items", func(v url.Values) {
			v.Set("items[c1][outcome]", "pass")
			v.Set("items[s1][outcome]", "pass")
			v.Set("items[s1][points]", "4")
			v.Set("items[s1][note]", "态度好\r\n主动问候")
		}, nil)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=saved", res.Header.Get("Location"))
		assert.Equal(t, int64(2), e.auditOf("save_item", mark))
		assert.Equal(t, int64(2), e.auditCountSince(mark))
		items := e.items(ins)
		assert.Equal(t, models.OutcomePass, items["c1"].Outcome)
		assert.Equal(t, 1, items["c1"].Rev)
		assert.Equal(t, 4, *items["s1"].Points)
		assert.Equal(t, "态度好\n主动问候", items["s1"].Note)
		assert.Equal(t, 0, items["e1"].Rev, "untouched: not saved")

		// The page as saved, posted again unchanged (line breaks as a browser sends
		// them): nothing is written.
		mark = e.lastAuditID()
		res = insp.postFill(page, page+"/items", func(v url.Values) {
			v.Set("items[s1][note]", strings.ReplaceAll(v.Get("items[s1][note]"), "\n", "\r\n"))
		}, nil)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=unchanged", res.Header.Get("Location"))
		assert.Zero(t, e.auditCountSince(mark))
		assert.Equal(t, 1, e.items(ins)["s1"].Rev)

		// An item saved elsewhere after the page was loaded and not touched on it is left
		// as saved there: the page's mark says the inspector did not change it.
		res = insp.do(http.MethodGet, page, nil)
		form := fillForm(t, res.Body)
		e.saveItem(ins, "e1", models.OutcomePass, "另一台设备")
		form.Set("items[c1][note]", "窗口主动接待")
		mark = e.lastAuditID()
		res = insp.sendFill(page+"/items", form, nil)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		items = e.items(ins)
		assert.Equal(t, "另一台设备", items["e1"].Note)
		assert.Equal(t, "窗口主动接待", items["c1"].Note)

		// A photo chosen on the form is stored with the answers; 上传 (at=KEY) goes back
		// to its item.
		mark = e.lastAuditID()
		res = insp.postFill(page, page+"/items", func(v url.Values) { v.Set("at", "e1") }, map[string][]byte{"e1": testPNG(t)})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=photo#item-e1", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("add_photo", mark))
		res = insp.do(http.MethodGet, page, nil)
		assert.Contains(t, between(t, res.Body, `id="item-e1"`, "</section>"), `<img src="/api/v1/photos/`)
		assert.Contains(t, res.Body, `<strong id="answered">3</strong>/3`)
	})
}

// TestInspectionOneFormRefusals: a stale rev on one item and an invalid answer on
// another are refused on their items — the summary at the top links them, the page
// gives back what was typed — while the third changed item is saved. Posting the stale
// one again keeps the inspector's answer (its rev is the one stored now).
func TestInspectionOneFormRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ins := e.webInspection(e.webChecklist())
		insp := e.login(inspector)
		page := fmt.Sprintf("/inspections/%d", ins)

		res := insp.do(http.MethodGet, page, nil)
		form := fillForm(t, res.Body)
		e.saveItem(ins, "e1", models.OutcomePass, "他人的说明")
		form.Set("items[e1][outcome]", "fail")
		form.Set("items[e1][note]", "收费标准<未张贴>")
		form.Set("items[s1][outcome]", "pass")
		form.Set("items[s1][points]", "9")
		form.Set("items[s1][note]", "我打的分")
		form.Set("items[c1][outcome]", "fail")
		mark := e.lastAuditID()
		res = insp.sendFill(page+"/items", form, nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark), "c1 only")
		items := e.items(ins)
		assert.Equal(t, models.OutcomeFail, items["c1"].Outcome)
		assert.Equal(t, "他人的说明", items["e1"].Note, "theirs is not overwritten")
		assert.Equal(t, "", items["s1"].Outcome)

		summary := between(t, res.Body, `id="error-summary"`, "</div>")
		assert.Contains(t, summary, `<a href="#item-s1">s1</a>：超出允许范围`)
		assert.Contains(t, summary, `<a href="#item-e1">e1</a>：您填写期间此项已被修改`)
		assert.NotContains(t, summary, "#item-c1")
		s1 := between(t, res.Body, `id="item-s1"`, "</section>")
		assert.Contains(t, s1, `data-refused="true"`)
		assert.Contains(t, s1, `value="9"`)
		assert.Contains(t, s1, ">我打的分</textarea>")
		e1 := between(t, res.Body, `id="item-e1"`, "</section>")
		assert.Contains(t, e1, `data-stale="true"`)
		assert.Contains(t, e1, "他人的说明", "theirs beside")
		assert.Contains(t, e1, ">收费标准&lt;未张贴&gt;</textarea>", "mine kept")
		assert.Contains(t, e1, `name="items[e1][outcome]" value="fail" checked`)
		assert.Contains(t, e1, `name="items[e1][rev]" value="1"`, "on the rev stored now")

		// Sent again as given back (s1 corrected): mine is kept, on the new rev.
		form = fillForm(t, res.Body)
		form.Set("items[s1][points]", "3")
		res = insp.sendFill(page+"/items", form, nil)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		items = e.items(ins)
		assert.Equal(t, "收费标准<未张贴>", items["e1"].Note)
		assert.Equal(t, models.OutcomeFail, items["e1"].Outcome)
		assert.Equal(t, 2, items["e1"].Rev)
		assert.Equal(t, 3, *items["s1"].Points)
		assert.Equal(t, "我打的分", items["s1"].Note)
	})
}

// TestInspectionSubmitSavesPending: 确认提交 is a button of the one form; what is changed
// on it (answers and a photo) is saved before the submit, so nothing ticked is lost; a
// refused answer stops the submit with the page as typed, the name included.
func TestInspectionSubmitSavesPending(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ins := e.webInspection(e.webChecklist())
		insp := e.login(inspector)
		page := fmt.Sprintf("/inspections/%d", ins)

		mark := e.lastAuditID()
		res := insp.postFill(page, page+"/submit", func(v url.Values) {
			v.Set("items[c1][outcome]", "pass")
			v.Set("items[s1][outcome]", "pass")
			v.Set("items[s1][points]", "x")
			v.Set("confirmation", "张稽核")
		}, nil)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, between(t, res.Body, `id="item-s1"`, "</section>"), `value="x"`)
		assert.Contains(t, res.Body, `name="confirmation" maxlength="200" required autocomplete="name" value="张稽核"`)
		assert.Zero(t, e.auditOf("submit", mark))
		assert.Equal(t, int64(1), e.auditOf("save_item", mark), "c1 was saved")

		mark = e.lastAuditID()
		res = insp.postFill(page, page+"/submit", func(v url.Values) {
			v.Set("items[s1][outcome]", "pass")
			v.Set("items[s1][points]", "5")
			v.Set("items[e1][outcome]", "fail")
			v.Set("items[e1][note]", "收费标准未张贴")
			v.Set("confirmation", "张稽核")
		}, map[string][]byte{"e1": testPNG(t)})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, page+"?done=submitted", res.Header.Get("Location"))
		assert.Equal(t, int64(2), e.auditOf("save_item", mark))
		assert.Equal(t, int64(1), e.auditOf("add_photo", mark))
		assert.Equal(t, int64(1), e.auditOf("submit", mark))
		var got models.Inspection
		require.NoError(t, db.First(&got, ins).Error)
		assert.Equal(t, models.InspectionSubmitted, got.Status)
		items := e.items(ins)
		assert.Equal(t, models.OutcomeFail, items["e1"].Outcome)
		assert.Equal(t, 5, *items["s1"].Points)
	})
}

// TestInspectionScript: the autosave script is served as JavaScript, same-origin.
func TestInspectionScript(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		res := e.anon().do(http.MethodGet, "/static/inspection.js", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Equal(t, "text/javascript; charset=utf-8", res.Header.Get("Content-Type"))
		for _, s := range []string{"localStorage", `"X-Csrf-Token"`, "createImageBitmap", "upload.addEventListener(\"progress\"", "\"online\""} {
			assert.Contains(t, res.Body, s)
		}
	})
}

func submatches(re *regexp.Regexp, s string) []string {
	var out []string
	for _, m := range re.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}
