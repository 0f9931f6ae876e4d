package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// postPageWorkbook posts a workbook as the bank page's form does: multipart, with the
// CSRF token only in the form's hidden field (read from the page at from) and the
// other form fields.
func (c *client) postPageWorkbook(from, target string, fields url.Values, content []byte) response {
	c.e.t.Helper()
	page := c.do(http.MethodGet, from, nil)
	require.Equal(c.e.t, http.StatusOK, page.Code, page.Body)
	m := csrfField.FindStringSubmatch(page.Body)
	require.NotNil(c.e.t, m, "no _csrf field on %s", from)
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	require.NoError(c.e.t, w.WriteField("_csrf", m[1]))
	for k, vs := range fields {
		for _, v := range vs {
			require.NoError(c.e.t, w.WriteField(k, v))
		}
	}
	fw, err := w.CreateFormFile("file", "题库.xlsx")
	require.NoError(c.e.t, err)
	_, err = fw.Write(content)
	require.NoError(c.e.t, err)
	require.NoError(c.e.t, w.Close())
	req := httptest.NewRequest(http.MethodPost, target, &buf)
	req.Header.Set("Content-Type", w.FormDataContentType())
	for k, v := range c.cookies {
		req.AddCookie(&http.Cookie{Name: k, Value: v})
	}
	res, err := c.e.app.Test(req, -1)
	require.NoError(c.e.t, err)
	defer res.Body.Close()
	body, err := io.ReadAll(res.Body)
	require.NoError(c.e.t, err)
	return response{Code: res.StatusCode, Header: res.Header, Body: string(body)}
}

// badBankWorkbook is a bank upload with one good row and two bad ones: row 3 has an
// unknown kind and a malformed rule, row 4 a multiple-choice question with one answer.
func badBankWorkbook(t testing.TB) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetName("Sheet1", exams.BankSheet))
	rows := [][]any{
		{"编号", "题型*", "分类*", "难度*", "题干*", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案*", "解析", "规则"},
		{"WEB-OK", "单选", "服务礼仪", 1, "接待用户时应当怎样？", "起身相迎、主动问候", "继续玩手机", "", "", "", "", "A", "", "R9.1"},
		{"WEB-BAD1", "问答", "服务礼仪", 1, "这一行的题型不存在", "是", "否", "", "", "", "", "A", "", "第九条"},
		{"WEB-BAD2", "多选", "职业道德", 2, "多选题只给了一个答案", "甲", "乙", "丙", "", "", "", "B", "", ""},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, f.SetSheetRow(exams.BankSheet, cell, &r))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// questionCount counts every stored question version.
func (e *env) questionCount() int64 {
	var n int64
	require.NoError(e.t, e.db.Model(&models.Question{}).Count(&n).Error)
	return n
}

func TestQuestionBankPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr := e.login(trainer)

		// The bank: links to the template and the export, the import form, a page of
		// latest versions with a next page (the seeded bank has more than 50).
		res := tr.do(http.MethodGet, "/questions", nil)
		require.Equal(t, http.StatusOK, res.Code)
		for _, s := range []string{`href="/api/v1/questions/import/template"`, `href="/api/v1/questions/export"`,
			`action="/questions/import"`, `enctype="multipart/form-data"`, `name="dry_run"`, `href="/questions?page=2"`, `href="/questions"`} {
			assert.Contains(t, res.Body, s)
		}
		assert.NotContains(t, res.Body, "page=0")

		// Filters: category and kind narrow the list; q finds a code; paging keeps them.
		var ethics, fill models.Question
		require.NoError(t, db.Where("latest = ? AND category = ? AND kind <> ?", true, "ethics", models.KindFill).Order("id").Take(&ethics).Error)
		require.NoError(t, db.Where("latest = ? AND kind = ? AND category <> ?", true, models.KindFill, "ethics").Order("id").Take(&fill).Error)
		res = tr.do(http.MethodGet, "/questions?category=ethics", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "<td>"+ethics.Code+"</td>")
		assert.NotContains(t, res.Body, "<td>"+fill.Code+"</td>")
		res = tr.do(http.MethodGet, "/questions?kind=fill", nil)
		assert.Contains(t, res.Body, "<td>"+fill.Code+"</td>")
		assert.NotContains(t, res.Body, "<td>"+ethics.Code+"</td>")
		res = tr.do(http.MethodGet, "/questions?q="+url.QueryEscape(fill.Code), nil)
		assert.Contains(t, res.Body, "<td>"+fill.Code+"</td>")
		assert.Contains(t, res.Body, `value="`+fill.Code+`"`, "the search box keeps the text")
		res = tr.do(http.MethodGet, "/questions?category=etiquette&page=2&per_page=5", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `href="/questions?category=etiquette&amp;page=1"`)
		assert.Equal(t, http.StatusBadRequest, tr.do(http.MethodGet, "/questions?category=x", nil).Code)

		// Only trainers and admins.
		assert.Equal(t, http.StatusOK, e.login(admin).do(http.MethodGet, "/questions", nil).Code)
		for _, as := range []string{inspector, manager, employee} {
			assert.Equal(t, http.StatusForbidden, e.login(as).do(http.MethodGet, "/questions", nil).Code, as)
		}
		assert.Equal(t, http.StatusSeeOther, e.anon().do(http.MethodGet, "/questions", nil).Code)
		assert.NotContains(t, e.login(manager).do(http.MethodGet, "/", nil).Body, `href="/questions"`, "no nav link for a manager")
		assert.Contains(t, tr.do(http.MethodGet, "/", nil).Body, `href="/exams/manage"`)
	})
}

func TestQuestionBankImportForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr := e.login(trainer)
		questions, mark := e.questionCount(), e.lastAuditID()

		// Bad rows: every one is listed with its row, field and reason, in Chinese, and
		// nothing is written, not even the good row.
		res := tr.postPageWorkbook("/questions", "/questions/import", nil, badBankWorkbook(t))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		for _, s := range []string{"文件有误", "<td>3</td><td>题型</td><td></td><td class=\"summary\">不是允许的取值</td>",
			"<td>3</td><td>规则</td>", "规则编号格式应为 R4.1", "<td>4</td><td>答案</td>", "多选题至少两个正确答案"} {
			assert.Contains(t, res.Body, s)
		}
		assert.NotContains(t, res.Body, "<tr><td>2</td>", "the good row is not reported")
		assert.Contains(t, res.Body, `action="/questions/import"`, "the form is shown again")
		assert.Equal(t, questions, e.questionCount())
		assert.Zero(t, e.auditCountSince(mark))

		// The same in English with the language switch.
		tr.cookies["lang"] = "en"
		res = tr.postPageWorkbook("/questions", "/questions/import", nil, badBankWorkbook(t))
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "<td>3</td><td>Kind</td><td></td><td class=\"summary\">not an allowed value</td>")
		assert.Contains(t, res.Body, "at least two correct answers")
		delete(tr.cookies, "lang")

		// Not a workbook, and no file: the reason on the page.
		res = tr.postPageWorkbook("/questions", "/questions/import", nil, []byte("PK not really"))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "不是可读取的 .xlsx 工作簿")
		res = sendRow(tr, http.MethodPost, "/questions/import", formBody{"dry_run": {"1"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "文件：必填")
		assert.Equal(t, questions, e.questionCount())
		assert.Zero(t, e.auditCountSince(mark))

		// A dry run of a good workbook says what would happen and writes nothing.
		good := bankWorkbook(t, "WEB-NEW-1")
		res = tr.postPageWorkbook("/questions", "/questions/import", url.Values{"dry_run": {"1"}}, good)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "检查通过，尚未写入：共 1 行，将新建 1 道、修改 0 道，0 道不变")
		assert.Equal(t, questions, e.questionCount())
		assert.Zero(t, e.auditCountSince(mark))

		// The import itself: one question, one audit row (as the API's import writes).
		res = tr.postPageWorkbook("/questions", "/questions/import", nil, good)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "导入完成：共 1 行，新建 1 道、修改 0 道，0 道不变")
		assert.Equal(t, questions+1, e.questionCount())
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, int64(1), e.auditOf("create", mark))
		var q models.Question
		require.NoError(t, db.Where("code = ? AND latest = ?", "WEB-NEW-1", true).Take(&q).Error)
		assert.Equal(t, "etiquette", q.Category)

		// Importing it again changes nothing and says so.
		mark = e.lastAuditID()
		res = tr.postPageWorkbook("/questions", "/questions/import", nil, good)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "新建 0 道、修改 0 道，1 道不变")
		assert.Zero(t, e.auditCountSince(mark))

		// Other roles cannot import.
		for _, as := range []string{inspector, manager, employee} {
			res = e.login(as).upload("/questions/import", "file", "题库.xlsx", bankWorkbook(t, "WEB-NEW-2"))
			assert.Equal(t, http.StatusForbidden, res.Code, as)
		}
		assert.Equal(t, questions+1, e.questionCount())
	})
}

func TestExamManagePage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		tr := e.login(trainer)
		oversized := e.oversizedDraft()
		now := time.Now().UTC()
		draft, err := exams.CreateExam(ctx, db, models.SystemActor, exams.ExamInput{
			Title: "网页发布的小测", Kind: models.ExamGeneral, TimeLimitMinutes: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
			Blueprint: []models.BlueprintRule{{Category: "ethics", Count: 2, Points: 10}}, PassPercent: 60, AttemptsAllowed: 1})
		require.NoError(t, err)

		// The list: drafts with a publish form, published exams without one, attempts.
		res := tr.do(http.MethodGet, "/exams/manage", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, seeds.OnboardingExamTitle)
		assert.Contains(t, res.Body, seeds.EtiquetteExamTitle)
		assert.Contains(t, res.Body, "网页发布的小测")
		assert.Contains(t, res.Body, fmt.Sprintf(`action="/exams/%d/publish"`, draft.ID))
		assert.Contains(t, res.Body, fmt.Sprintf(`action="/exams/%d/publish"`, oversized))
		assert.NotContains(t, res.Body, fmt.Sprintf(`action="/exams/%d/publish"`, e.exam(seeds.OnboardingExamTitle)))
		assert.Contains(t, res.Body, "已发布")
		assert.Contains(t, res.Body, "草稿")
		assert.Contains(t, res.Body, "首次作答交卷满 10 人后可做试题分析")
		for _, as := range []string{inspector, manager, employee} {
			assert.Equal(t, http.StatusForbidden, e.login(as).do(http.MethodGet, "/exams/manage", nil).Code, as)
			res = sendRow(e.login(as), http.MethodPost, fmt.Sprintf("/exams/%d/publish", draft.ID), formBody{})
			assert.Equal(t, http.StatusForbidden, res.Code, as)
		}

		// A pool too small: refused beside the exam, in the page's language, nothing
		// written; the exam stays a draft.
		mark := e.lastAuditID()
		res = tr.postPageForm("/exams/manage", fmt.Sprintf("/exams/%d/publish", oversized), url.Values{})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, "组卷规则第 1 条：题库中符合条件的题目只有")
		assert.Contains(t, res.Body, "组卷需要 200 道")
		tr.cookies["lang"] = "en"
		res = sendRow(tr, http.MethodPost, fmt.Sprintf("/exams/%d/publish", oversized), formBody{})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "Blueprint rule 1: the bank has")
		assert.Contains(t, res.Body, "the paper needs 200")
		delete(tr.cookies, "lang")
		x, err := models.GetExam(ctx, db, oversized)
		require.NoError(t, err)
		assert.Equal(t, models.ExamDraft, x.Status)
		assert.Zero(t, e.auditCountSince(mark))

		// Publishing a good draft: back to the list with a notice, one audit row; again,
		// nothing more.
		res = tr.postPageForm("/exams/manage", fmt.Sprintf("/exams/%d/publish", draft.ID), url.Values{})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/exams/manage?done=publish", res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("publish", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		x, err = models.GetExam(ctx, db, draft.ID)
		require.NoError(t, err)
		assert.Equal(t, models.ExamPublished, x.Status)
		res = tr.do(http.MethodGet, "/exams/manage?done=publish", nil)
		assert.Contains(t, res.Body, "考试已发布")
		assert.NotContains(t, res.Body, fmt.Sprintf(`action="/exams/%d/publish"`, draft.ID))
		res = sendRow(tr, http.MethodPost, fmt.Sprintf("/exams/%d/publish", draft.ID), formBody{})
		assert.Equal(t, http.StatusSeeOther, res.Code)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, http.StatusNotFound, sendRow(tr, http.MethodPost, "/exams/999999/publish", formBody{}).Code)
	})
}

// TestExamManageAnalysisLink: once ten staff have submitted their first attempt, the
// page counts them and links the item analysis workbook, which downloads.
func TestExamManageAnalysisLink(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		var staff []models.Employee
		require.NoError(t, db.Where("position IN ? AND status = ? AND job_number LIKE ?",
			[]string{models.PositionWindow, models.PositionMarketing, models.PositionInstaller}, models.StatusActive, "360102%").
			Order("job_number").Limit(exams.MinAnalysisAttempts).Find(&staff).Error)
		require.Len(t, staff, exams.MinAnalysisAttempts)
		svc := exams.NewService(db)
		examID := e.exam(seeds.EtiquetteExamTitle)
		for _, s := range staff {
			id := s.ID
			v, _, err := svc.Start(ctx, models.SystemActor, &id, examID)
			require.NoError(t, err)
			_, err = svc.Submit(ctx, models.SystemActor, &id, v.ID)
			require.NoError(t, err)
		}
		link := fmt.Sprintf(`href="/api/v1/exams/%d/analysis.xlsx"`, examID)
		res := e.login(admin).do(http.MethodGet, "/exams/manage", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, link)
		assert.Contains(t, res.Body, fmt.Sprintf("</small> %d · <small>", exams.MinAnalysisAttempts))
		assert.NotContains(t, res.Body, fmt.Sprintf(`href="/api/v1/exams/%d/analysis.xlsx"`, e.exam(seeds.OnboardingExamTitle)))
		got := e.login(admin).do(http.MethodGet, strings.TrimSuffix(strings.TrimPrefix(link, `href="`), `"`), nil)
		require.Equal(t, http.StatusOK, got.Code, got.Body)
		f, err := excelize.OpenReader(strings.NewReader(got.Body))
		require.NoError(t, err)
		defer f.Close()
		assert.NotEmpty(t, f.GetSheetList())
	})
}
