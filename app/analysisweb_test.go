package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

// TestExamAnalysisPage: twelve staff sit a fixed paper whose last question only the
// weakest get right — the page shows its flag in words, α as a number,
// the option counts with the key in bold, and is linked from the exam's card on the
// management page; on drawn papers that share no question α is a sentence saying so,
// in the page's language; with too few first attempts the page says how many it needs.
func TestExamAnalysisPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr := e.login(trainer)
		pool := choiceQuestions(t, e, 24)

		fixed := e.analysisExam("固定试卷分析")
		page := fmt.Sprintf("/exams/%d/analysis", fixed)
		res := tr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "首次交卷的只有 0 人，试题分析至少需要 10 人")

		// Staff 0 are the strongest: q0 right for the first six, q1 for the first eight,
		// q2 for all, q3 only for the three weakest (it discriminates the wrong way).
		e.sitPapers(fixed, func(int) []models.Question { return pool[:4] }, func(i, q int) bool {
			return []bool{i < 6, i < 8, true, i >= 9}[q]
		})
		res = tr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "首次交卷人数</dt><dd>12</dd>")
		assert.Regexp(t, `<dd id="analysis-alpha">-?\d+\.\d\d</dd>`, res.Body, "α as a number with two decimals")
		assert.Contains(t, res.Body, exams.FlagWords[exams.FlagNegativeDiscrimination], "the flag in words, as the workbook writes it")
		assert.NotContains(t, res.Body, "negative_discrimination")
		assert.Contains(t, res.Body, "50.00%", "difficulty as the UI writes percentages")
		assert.Contains(t, res.Body, "25.00%")
		assert.Contains(t, res.Body, "100.00%")
		assert.Contains(t, res.Body, "无法计算：得分没有差异", "q2 everyone got right: no discrimination, said in words")
		key := pool[0].Answer[0]
		assert.Contains(t, res.Body, fmt.Sprintf("<strong>%c 6（正确）</strong>", 'A'+key), "the key in bold with its count")
		assert.Contains(t, res.Body, fmt.Sprintf(`href="/api/v1/exams/%d/analysis.xlsx"`, fixed))

		manage := tr.do(http.MethodGet, "/exams/manage", nil)
		assert.Contains(t, manage.Body, fmt.Sprintf(`<a href="%s">试题分析</a>`, page), "linked from the exam's card")

		// Drawn papers with no question in common: α is a sentence.
		drawn := e.analysisExam("随机试卷分析")
		e.sitPapers(drawn, func(i int) []models.Question { return pool[2*i : 2*i+2] }, func(i, q int) bool { return (i+q)%2 == 0 })
		res = tr.do(http.MethodGet, fmt.Sprintf("/exams/%d/analysis", drawn), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, `<dd id="analysis-alpha">无法计算：各份试卷没有共同的题目`)
		en := tr.do(http.MethodGet, "/lang?to=en", nil)
		require.Equal(t, http.StatusSeeOther, en.Code)
		res = tr.do(http.MethodGet, fmt.Sprintf("/exams/%d/analysis", drawn), nil)
		assert.Contains(t, res.Body, `<dd id="analysis-alpha">Cannot be computed: the papers share no question`)
		res = tr.do(http.MethodGet, page, nil)
		assert.Contains(t, res.Body, "Negative discrimination:", "the flag in English on an English page")
	})
}

// TestAnalysisWordsMatchTheWorkbook: the page's Chinese words for each flag and each
// missing α are the workbook's, so the two never tell a trainer different things.
func TestAnalysisWordsMatchTheWorkbook(t *testing.T) {
	zh := readCatalogue(t, "zh-CN")
	for code, words := range exams.FlagWords {
		assert.Equal(t, words, zh["analysisweb.flag."+code], code)
	}
	for code, words := range exams.AlphaNoteWords {
		assert.Equal(t, words, zh["analysisweb.alpha_note."+code], code)
	}
}

// analysisExam is a published exam with no attempts yet.
func (e *env) analysisExam(title string) uint {
	now := time.Now().UTC()
	x := models.Exam{Title: title, Kind: models.ExamGeneral, Status: models.ExamPublished, Blueprint: models.JSONList[models.BlueprintRule]{},
		Fixed: models.JSONList[models.FixedItem]{}, TimeLimitMinutes: 30, OpensAt: now.AddDate(0, -1, 0), ClosesAt: now.AddDate(0, 1, 0),
		PassPercent: 60, AttemptsAllowed: 1, Grading: models.GradeHighest, Positions: models.JSONList[string]{}, OrgUnitIDs: models.JSONList[uint]{}}
	require.NoError(e.t, e.db.Create(&x).Error)
	return x.ID
}

// sitPapers stores a submitted first attempt at exam for each of twelve staff of 东湖区:
// staff i had the questions paper(i) and got question q of it right when right(i, q).
func (e *env) sitPapers(exam uint, paper func(i int) []models.Question, right func(i, q int) bool) {
	var staff []models.Employee
	require.NoError(e.t, e.db.Where("job_number LIKE ?", "360102%").Order("job_number").Limit(12).Find(&staff).Error)
	require.Len(e.t, staff, 12)
	at := time.Now().UTC().Add(-time.Hour).Truncate(time.Second)
	for i, s := range staff {
		qs := paper(i)
		a := &models.Attempt{ExamID: exam, EmployeeID: s.ID, Number: 1, Status: models.AttemptSubmitted, StartedAt: at,
			Deadline: at.Add(30 * time.Minute), SubmittedAt: &at, MaxPoints: 2 * len(qs)}
		aq := make([]models.AttemptQuestion, len(qs))
		answers := make([]models.Answer, len(qs))
		for j, q := range qs {
			aq[j] = models.AttemptQuestion{Position: j + 1, QuestionID: q.ID, Points: 2, OptionOrder: models.JSONList[int]{}}
			ans := models.Answer{QuestionID: q.ID, Choices: models.JSONList[int]{wrongOption(q)}, Seq: 1, SavedAt: at}
			if right(i, j) {
				ans.Choices, ans.Correct, ans.Points = slices.Clone(q.Answer), true, 2
				a.Points += 2
			}
			answers[j] = ans
		}
		require.NoError(e.t, models.InsertAttempt(e.db, a, aq))
		for j := range answers {
			answers[j].AttemptID = a.ID
		}
		require.NoError(e.t, e.db.Omit("Attempt").Create(&answers).Error)
	}
}

// choiceQuestions are n current single-choice questions of the bank.
func choiceQuestions(t *testing.T, e *env, n int) []models.Question {
	var qs []models.Question
	require.NoError(t, e.db.Where("latest = ? AND archived = ? AND kind = ?", true, false, models.KindSingle).Order("code").Limit(n).Find(&qs).Error)
	require.Len(t, qs, n)
	return qs
}

// wrongOption is the first option of q that is not its key.
func wrongOption(q models.Question) int {
	for i := range q.Options {
		if !slices.Contains(q.Answer, i) {
			return i
		}
	}
	return 0
}

// readCatalogue is every message of lang, from all its locale files.
func readCatalogue(t *testing.T, lang string) map[string]string {
	files, err := filepath.Glob(filepath.Join("locales", lang+"*.json"))
	require.NoError(t, err)
	all := map[string]string{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(b, &all), f)
	}
	return all
}
