package app_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
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
	return c.postPage(from, target, fields, "题库.xlsx", content)
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
		draft, err := exams.NewService(db).CreateExam(ctx, models.SystemActor, exams.ExamInput{
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

// questionFormBody is the question form filled in for a single-choice question with
// code (empty: generated) whose correct option is row correct (-1: none ticked).
func questionFormBody(code string, correct int) formBody {
	b := formBody{"code": {code}, "kind": {models.KindSingle}, "category": {"etiquette"}, "difficulty": {"2"},
		"stem": {fmt.Sprintf("用户在营业厅排队等候时，工作人员应当怎样？（%d）", uniq())}, "option0": {"主动致意并说明等候时间"},
		"option1": {"视而不见"}, "option2": {"催促用户离开"}, "explanation": {"R9.1：主动问候，耐心解释。"}, "rule": {"R9.1"}}
	if correct >= 0 {
		b["correct"] = []string{strconv.Itoa(correct)}
	}
	return b
}

// examFormBody is the exam form filled in for a general exam with one blueprint row,
// open from an hour before now for a month (as typed in Beijing time).
func examFormBody(title string, now time.Time) formBody {
	cst := time.FixedZone("CST", 8*3600)
	return formBody{"title": {title}, "kind": {models.ExamGeneral}, "time_limit_minutes": {"20"},
		"opens_at": {now.Add(-time.Hour).In(cst).Format("2006-01-02T15:04")}, "closes_at": {now.Add(30 * 24 * time.Hour).In(cst).Format("2006-01-02T15:04")},
		"pass_percent": {"60"}, "attempts_allowed": {"2"}, "cool_off_minutes": {"30"}, "grading": {"highest"}, "shuffle_questions": {"1"},
		"bp_category0": {"etiquette"}, "bp_difficulty0": {"1"}, "bp_count0": {"3"}, "bp_points0": {"10"}}
}

// usedBy starts an attempt at a fresh published exam whose fixed paper is the question
// code, so that its latest version has been shown.
func (e *env) usedBy(code string) {
	e.t.Helper()
	svc := exams.NewService(e.db)
	ctx := context.Background()
	now := time.Now().UTC()
	x, err := svc.CreateExam(ctx, models.SystemActor, exams.ExamInput{
		Title: "用过这道题的考试 " + code, Kind: models.ExamGeneral, TimeLimitMinutes: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
		Fixed: []models.FixedItem{{Code: code, Points: 10}}, PassPercent: 60, AttemptsAllowed: 1})
	require.NoError(e.t, err)
	_, err = svc.PublishExam(ctx, models.SystemActor, x.ID)
	require.NoError(e.t, err)
	id := e.employee("360102-01001")
	_, _, err = svc.Start(ctx, models.SystemActor, &id, x.ID)
	require.NoError(e.t, err)
}

func TestQuestionForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr := e.login(trainer)
		questions, mark := e.questionCount(), e.lastAuditID()

		// The bank links the form; the form has six option rows with a correct box each.
		assert.Contains(t, tr.do(http.MethodGet, "/questions", nil).Body, `href="/questions/new"`)
		res := tr.do(http.MethodGet, "/questions/new", nil)
		require.Equal(t, http.StatusOK, res.Code)
		for _, s := range []string{`action="/questions/new"`, `name="option5"`, `name="correct" value="5"`, `name="accepted"`, `name="rule"`} {
			assert.Contains(t, res.Body, s)
		}

		// No correct option: refused beside the options, what was typed kept, nothing written.
		values := url.Values(questionFormBody("WEB-Q1", -1))
		res = tr.postPageForm("/questions/new", "/questions/new", values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Contains(t, res.Body, `<p class="error" id="answer-error">只能有一个答案</p>`)
		assert.Contains(t, res.Body, ">"+values.Get("stem")+"</textarea>")
		assert.Contains(t, res.Body, `value="主动致意并说明等候时间"`)
		assert.Contains(t, res.Body, `value="WEB-Q1"`)
		// A blank row between options and a malformed rule: each beside its own field, in English too.
		values.Set("correct", "0")
		values.Set("option1", "")
		values.Set("rule", "第九条")
		tr.cookies["lang"] = "en"
		res = tr.postPageForm("/questions/new", "/questions/new", values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Regexp(t, `name="option1"[^>]*></label>\s*<label class="check">[^\n]*\n\s*<p class="error">invalid</p>`, res.Body)
		assert.Regexp(t, `name="rule"[^>]*value="第九条"></label>\s*<p class="error">rule numbers look like R4.1</p>`, res.Body)
		delete(tr.cookies, "lang")
		assert.Equal(t, questions, e.questionCount())
		assert.Zero(t, e.auditCountSince(mark))

		// Created: to its form with a notice; one audit row.
		values = url.Values(questionFormBody("WEB-Q1", 0))
		res = tr.postPageForm("/questions/new", "/questions/new", values)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		var q models.Question
		require.NoError(t, db.Where("code = ?", "WEB-Q1").Take(&q).Error)
		assert.Equal(t, fmt.Sprintf("/questions/%d/edit?done=created", q.ID), res.Header.Get("Location"))
		assert.Equal(t, []string{"主动致意并说明等候时间", "视而不见", "催促用户离开"}, []string(q.Options))
		assert.Equal(t, []int{0}, []int(q.Answer))
		assert.Equal(t, 2, q.Difficulty)
		assert.Equal(t, "R9.1", q.Rule)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, int64(1), e.auditOf("create", mark))
		edit := fmt.Sprintf("/questions/%d/edit", q.ID)
		res = tr.do(http.MethodGet, res.Header.Get("Location"), nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "试题已新建")
		assert.Regexp(t, `name="correct" value="0" checked`, res.Body)

		// Edited while no attempt used it: in place, one audit row.
		mark = e.lastAuditID()
		values.Set("stem", "用户排队等候时，工作人员首先应当怎样？")
		values.Del("correct")
		values.Add("correct", "1")
		res = tr.postPageForm(edit, edit, values)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, edit+"?done=saved", res.Header.Get("Location"))
		require.NoError(t, db.First(&q, q.ID).Error)
		assert.Equal(t, "用户排队等候时，工作人员首先应当怎样？", q.Stem)
		assert.Equal(t, []int{1}, []int(q.Answer))
		assert.Equal(t, 1, q.Version)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, int64(1), e.auditOf("update", mark))
		// A refused edit writes nothing.
		values.Del("correct")
		res = tr.postPageForm(edit, edit, values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "只能有一个答案")
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// Edited after an attempt showed it: a new version, and the page says so.
		e.usedBy(q.Code)
		mark = e.lastAuditID()
		values.Set("correct", "0")
		values.Set("explanation", "R9.1：主动致意。")
		res = tr.postPageForm(edit, edit, values)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		var v2 models.Question
		require.NoError(t, db.Where("code = ? AND version = ?", q.Code, 2).Take(&v2).Error)
		assert.Equal(t, fmt.Sprintf("/questions/%d/edit?done=version", v2.ID), res.Header.Get("Location"))
		assert.True(t, v2.Latest)
		assert.Equal(t, "R9.1：主动致意。", v2.Explanation)
		require.NoError(t, db.First(&q, q.ID).Error)
		assert.False(t, q.Latest)
		assert.Equal(t, []int{1}, []int(q.Answer), "the attempt's version is unchanged")
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = tr.do(http.MethodGet, res.Header.Get("Location"), nil)
		assert.Contains(t, res.Body, "改动已另存为第 2 版")
		// The old version's form says it is old, and saving it is refused.
		res = tr.do(http.MethodGet, edit, nil)
		assert.Contains(t, res.Body, "这是旧版本")
		res = tr.postPageForm(edit, edit, values)
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "只能修改试题的最新版本")

		// A fill-in question: accepted answers one per line, no options.
		fill := url.Values{"kind": {models.KindFill}, "category": {"ethics"}, "difficulty": {"1"}, "stem": {"员工不得利用职务之便谋取____。"},
			"accepted": {"私利\r\n 个人利益 \r\n\r\n"}, "rule": {"R5.2"}}
		res = tr.postPageForm("/questions/new", "/questions/new", fill)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		var f models.Question
		require.NoError(t, db.Where("stem = ?", "员工不得利用职务之便谋取____。").Take(&f).Error)
		assert.Equal(t, []string{"私利", "个人利益"}, []string(f.Accepted))
		assert.Empty(t, f.Options)

		// Archived: one audit row; the page says so and offers no second archive.
		mark = e.lastAuditID()
		v2edit := fmt.Sprintf("/questions/%d/edit", v2.ID)
		res = tr.postPageForm(v2edit, fmt.Sprintf("/questions/%d/archive", v2.ID), url.Values{})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, v2edit+"?done=archived", res.Header.Get("Location"))
		require.NoError(t, db.First(&v2, v2.ID).Error)
		assert.True(t, v2.Archived)
		assert.Equal(t, int64(1), e.auditOf("archive", mark))
		res = tr.do(http.MethodGet, v2edit+"?done=archived", nil)
		assert.Contains(t, res.Body, "试题已停用")
		assert.NotContains(t, res.Body, "/archive\"")

		// Other roles: refused, nothing written.
		questions = e.questionCount()
		for _, as := range []string{inspector, manager, employee} {
			assert.Equal(t, http.StatusForbidden, e.login(as).do(http.MethodGet, "/questions/new", nil).Code, as)
			assert.Equal(t, http.StatusForbidden, sendRow(e.login(as), http.MethodPost, "/questions/new", questionFormBody("", 0)).Code, as)
		}
		assert.Equal(t, questions, e.questionCount())
		assert.Equal(t, http.StatusNotFound, tr.do(http.MethodGet, "/questions/999999/edit", nil).Code)
	})
}

func TestExamForm(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		tr := e.login(trainer)
		cst := time.FixedZone("CST", 8*3600)
		count := func() int64 {
			var n int64
			require.NoError(t, db.Model(&models.Exam{}).Count(&n).Error)
			return n
		}
		before, mark := count(), e.lastAuditID()

		assert.Contains(t, tr.do(http.MethodGet, "/exams/manage", nil).Body, `href="/exams/new"`)
		res := tr.do(http.MethodGet, "/exams/new", nil)
		require.Equal(t, http.StatusOK, res.Code)
		for _, s := range []string{`type="datetime-local" name="opens_at"`, `name="bp_points5"`, `name="fixed"`, `name="positions" value="window"`,
			`name="org_unit_ids" multiple`, `name="grading"`, `name="shuffle_options"`} {
			assert.Contains(t, res.Body, s)
		}

		// A window that closes before it opens: refused beside the closing time, the
		// form kept, nothing written.
		now := time.Date(2030, 3, 1, 9, 30, 0, 0, cst)
		values := url.Values(examFormBody("网页新建的考试", now))
		values.Set("closes_at", now.Add(-2*time.Hour).Format("2006-01-02T15:04"))
		res = tr.postPageForm("/exams/new", "/exams/new", values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Regexp(t, `name="closes_at" value="2030-03-01T07:30"></label>\s*<p class="error">结束时间必须晚于开始时间</p>`, res.Body)
		assert.Contains(t, res.Body, `value="网页新建的考试"`)
		// Not a date-time, a bad third blueprint row, both a blueprint and a fixed list.
		values.Set("closes_at", "next week")
		res = tr.postPageForm("/exams/new", "/exams/new", values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Regexp(t, `name="closes_at" value="next week"></label>\s*<p class="error">格式不正确</p>`, res.Body)
		values.Set("closes_at", now.Add(30*24*time.Hour).Format("2006-01-02T15:04"))
		values.Set("bp_category2", "ethics")
		values.Set("bp_count2", "0")
		values.Set("bp_points2", "5")
		values.Set("fixed", "Q00001 5")
		tr.cookies["lang"] = "en"
		res = tr.postPageForm("/exams/new", "/exams/new", values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Regexp(t, `name="bp_points2"[^\n]*\n\s*</tr><tr><td></td><td colspan="4"><p class="error">Questions: out of range</p>`, res.Body)
		assert.Contains(t, res.Body, "use a blueprint or a fixed list, not both")
		delete(tr.cookies, "lang")
		assert.Equal(t, before, count())
		assert.Zero(t, e.auditCountSince(mark))

		// Created: a draft with the window in UTC as typed in Beijing time, one audit row.
		values = url.Values(examFormBody("网页新建的考试", now))
		values.Add("positions", models.PositionWindow)
		values.Add("positions", models.PositionMarketing)
		values.Set("org_unit_ids", idStr(e.unit("360102")))
		values.Set("bp_category3", "ethics")
		values.Set("bp_count3", "2")
		values.Set("bp_points3", "5")
		res = tr.postPageForm("/exams/new", "/exams/new", values)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/exams/manage?done=created", res.Header.Get("Location"))
		var x models.Exam
		require.NoError(t, db.Where("title = ?", "网页新建的考试").Take(&x).Error)
		assert.Equal(t, models.ExamDraft, x.Status)
		assert.True(t, x.OpensAt.Equal(time.Date(2030, 3, 1, 0, 30, 0, 0, time.UTC)), x.OpensAt)
		assert.True(t, x.ClosesAt.Equal(now.Add(30*24*time.Hour)), x.ClosesAt)
		assert.Equal(t, []models.BlueprintRule{{Category: "etiquette", Difficulty: 1, Count: 3, Points: 10}, {Category: "ethics", Count: 2, Points: 5}},
			[]models.BlueprintRule(x.Blueprint))
		assert.Equal(t, []string{models.PositionWindow, models.PositionMarketing}, []string(x.Positions))
		assert.Equal(t, []uint{e.unit("360102")}, []uint(x.OrgUnitIDs))
		assert.Equal(t, 30, x.CoolOffMinutes)
		assert.True(t, x.ShuffleQuestions)
		assert.False(t, x.ShuffleOptions)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		assert.Equal(t, int64(1), e.auditOf("create", mark))
		res = tr.do(http.MethodGet, "/exams/manage?done=created", nil)
		assert.Contains(t, res.Body, "考试草稿已新建")
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/exams/%d/edit"`, x.ID))

		// Editing the draft: the form shows what is stored; a fixed list replaces the blueprint.
		edit := fmt.Sprintf("/exams/%d/edit", x.ID)
		res = tr.do(http.MethodGet, edit, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `name="opens_at" value="2030-03-01T08:30"`)
		assert.Regexp(t, `name="positions" value="marketing" checked`, res.Body)
		assert.Regexp(t, fmt.Sprintf(`<option value="%d" selected>`, e.unit("360102")), res.Body)
		var qs []models.Question
		require.NoError(t, db.Where("latest = ? AND archived = ?", true, false).Order("id").Limit(2).Find(&qs).Error)
		mark = e.lastAuditID()
		values.Set("title", "网页修改的考试")
		for i := range 6 {
			values.Del(fmt.Sprintf("bp_category%d", i))
			values.Del(fmt.Sprintf("bp_count%d", i))
			values.Del(fmt.Sprintf("bp_points%d", i))
		}
		values.Set("fixed", qs[0].Code+" 40\r\n\r\n"+qs[1].Code+"，60\r\n")
		values.Set("grading", "last")
		res = tr.postPageForm(edit, edit, values)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, "/exams/manage?done=saved", res.Header.Get("Location"))
		require.NoError(t, db.First(&x, x.ID).Error)
		assert.Equal(t, "网页修改的考试", x.Title)
		assert.Empty(t, x.Blueprint)
		assert.Equal(t, []models.FixedItem{{Code: qs[0].Code, Points: 40}, {Code: qs[1].Code, Points: 60}}, []models.FixedItem(x.Fixed))
		assert.Equal(t, models.GradeLast, x.Grading)
		assert.Equal(t, int64(1), e.auditOf("update", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		// A fixed line without points: refused with its line number.
		values.Set("fixed", qs[0].Code+" 40\n\n"+qs[1].Code)
		res = tr.postPageForm(edit, edit, values)
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "第 3 行：超出允许范围")
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// After the first attempt the structure is frozen: the page says so; a new title
		// with the rest of the form as shown is saved, a new time limit refused.
		attempt := e.freshEmployeeAttempt()
		var at models.Attempt
		require.NoError(t, db.First(&at, attempt).Error)
		frozen, err := models.GetExam(ctx, db, at.ExamID)
		require.NoError(t, err)
		edit = fmt.Sprintf("/exams/%d/edit", frozen.ID)
		res = tr.do(http.MethodGet, edit, nil)
		assert.Contains(t, res.Body, "已有人作答：只能修改标题")
		shown := url.Values{"title": {"改名后的随堂测验"}, "kind": {frozen.Kind}, "time_limit_minutes": {strconv.Itoa(frozen.TimeLimitMinutes)},
			"opens_at": {frozen.OpensAt.In(cst).Format("2006-01-02T15:04")}, "closes_at": {frozen.ClosesAt.In(cst).Format("2006-01-02T15:04")},
			"pass_percent": {strconv.Itoa(frozen.PassPercent)}, "attempts_allowed": {strconv.Itoa(frozen.AttemptsAllowed)},
			"cool_off_minutes": {strconv.Itoa(frozen.CoolOffMinutes)}, "grading": {frozen.Grading},
			"bp_category0": {"ethics"}, "bp_difficulty0": {"0"}, "bp_count0": {"2"}, "bp_points0": {"10"}}
		mark = e.lastAuditID()
		res = tr.postPageForm(edit, edit, shown)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		shown.Set("time_limit_minutes", "45")
		res = tr.postPageForm(edit, edit, shown)
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Contains(t, res.Body, "已有人作答，考试结构不能再修改")
		assert.Contains(t, res.Body, `name="time_limit_minutes" min="1" max="600" value="45"`)
		got, err := models.GetExam(ctx, db, frozen.ID)
		require.NoError(t, err)
		assert.Equal(t, "改名后的随堂测验", got.Title)
		assert.Equal(t, frozen.TimeLimitMinutes, got.TimeLimitMinutes)
		assert.Equal(t, int64(1), e.auditCountSince(mark))

		// Other roles: refused, nothing written.
		before = count()
		for _, as := range []string{inspector, manager, employee} {
			assert.Equal(t, http.StatusForbidden, e.login(as).do(http.MethodGet, "/exams/new", nil).Code, as)
			assert.Equal(t, http.StatusForbidden, sendRow(e.login(as), http.MethodPost, "/exams/new", examFormBody("不该建成", now)).Code, as)
			assert.Equal(t, http.StatusForbidden, sendRow(e.login(as), http.MethodPost, edit, shown).Code, as)
		}
		assert.Equal(t, before, count())
		assert.Equal(t, http.StatusNotFound, tr.do(http.MethodGet, "/exams/999999/edit", nil).Code)
	})
}
