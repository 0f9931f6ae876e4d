package app_test

import (
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// The employee's path through an exam over HTTP (issue 3, "done when"): start, answer,
// refresh and find everything, a stale save refused, submit twice with one result, and
// the key withheld while the window is open.
func TestTakeExamOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login("employee")
		start := fmt.Sprintf("/api/v1/exams/%d/attempts", e.exam(seeds.OnboardingExamTitle))

		// A double click, a retry and a burst: one attempt.
		var wg sync.WaitGroup
		codes := make(chan int, 20)
		for range 20 {
			wg.Add(1)
			// Each request its own client on the same session: a client's cookie jar is
			// not safe for concurrent use.
			c := &client{e: e, cookies: maps.Clone(emp.cookies)}
			go func() {
				defer wg.Done()
				codes <- c.do(http.MethodPost, start, nil).Code
			}()
		}
		wg.Wait()
		close(codes)
		createdN := 0
		for c := range codes {
			require.Contains(t, []int{http.StatusCreated, http.StatusOK}, c)
			if c == http.StatusCreated {
				createdN++
			}
		}
		require.Equal(t, 1, createdN)
		var n int64
		require.NoError(t, db.Model(&models.Attempt{}).Count(&n).Error)
		require.EqualValues(t, 1, n)

		res := emp.do(http.MethodPost, start, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var paper exams.AttemptView
		res.JSON(t, &paper)
		require.Len(t, paper.Questions, 20)
		require.Positive(t, paper.SecondsLeft)
		require.NotContains(t, res.Body, `"explanation"`, "no key before submission")
		require.NotContains(t, res.Body, `"review"`)

		// Answer half the paper, each answer its own request.
		saved := map[uint]int{}
		for i, q := range paper.Questions[:10] {
			url := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, q.ID)
			body := map[string]any{"text": "24", "seq": 1}
			if q.Kind != models.KindFill {
				body = map[string]any{"choices": []int{q.Options[0].ID}, "seq": 1}
			}
			res := emp.do(http.MethodPut, url, body)
			require.Equal(t, http.StatusOK, res.Code, "question %d: %s", i, res.Body)
			saved[q.ID] = i
		}
		// A save that arrives after a newer one is refused and changes nothing.
		q0 := paper.Questions[0]
		url0 := fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, q0.ID)
		if q0.Kind != models.KindFill {
			require.Equal(t, http.StatusOK, emp.do(http.MethodPut, url0, map[string]any{"choices": []int{q0.Options[1].ID}, "seq": 5}).Code)
			res = emp.do(http.MethodPut, url0, map[string]any{"choices": []int{q0.Options[0].ID}, "seq": 4})
			require.Equal(t, http.StatusConflict, res.Code)
			require.Contains(t, res.Body, "stale_seq")
		}

		// A refresh on another device: same paper, same order, same answers.
		res = emp.do(http.MethodGet, fmt.Sprintf("/api/v1/attempts/%d", paper.ID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		var again exams.AttemptView
		res.JSON(t, &again)
		require.Len(t, again.Questions, len(paper.Questions))
		for i := range paper.Questions {
			require.Equal(t, paper.Questions[i].ID, again.Questions[i].ID)
			require.Equal(t, paper.Questions[i].Options, again.Questions[i].Options)
			_, answered := saved[paper.Questions[i].ID]
			require.Equal(t, answered, again.Questions[i].Answer != nil, "question %d", i)
		}
		if q0.Kind != models.KindFill {
			require.Equal(t, []int{q0.Options[1].ID}, again.Questions[0].Answer.Choices)
			require.EqualValues(t, 5, again.Questions[0].Answer.Seq)
		}

		// Another person cannot see or touch it.
		mgr := e.login("manager")
		require.Equal(t, http.StatusNotFound, mgr.do(http.MethodGet, fmt.Sprintf("/api/v1/attempts/%d", paper.ID), nil).Code)
		require.Equal(t, http.StatusNotFound, mgr.do(http.MethodPut, url0, map[string]any{"choices": []int{0}, "seq": 9}).Code)

		// Submit twice: one result, one audit row.
		submit := fmt.Sprintf("/api/v1/attempts/%d/submit", paper.ID)
		first := emp.do(http.MethodPost, submit, nil)
		require.Equal(t, http.StatusOK, first.Code, first.Body)
		second := emp.do(http.MethodPost, submit, nil)
		require.Equal(t, http.StatusOK, second.Code)
		var r1, r2 exams.AttemptView
		first.JSON(t, &r1)
		second.JSON(t, &r2)
		require.Equal(t, models.AttemptSubmitted, r1.Status)
		require.Equal(t, r1.Result, r2.Result)
		require.Equal(t, r1.SubmittedAt, r2.SubmittedAt)
		require.NoError(t, db.Model(&models.AuditEvent{}).Where("action = ? AND entity_id = ?", "submit", fmt.Sprint(paper.ID)).Count(&n).Error)
		require.EqualValues(t, 1, n)
		require.False(t, strings.Contains(first.Body, `"explanation"`), "the key waits for the window to close")

		// After submission no save is taken.
		res = emp.do(http.MethodPut, url0, map[string]any{"choices": []int{0}, "seq": 10})
		require.Equal(t, http.StatusConflict, res.Code)
		require.Contains(t, res.Body, "attempt_submitted")
	})
}

// TestExamPageConfirmsSubmit: the paper shows 已答 n/20; 交卷 without the confirmation
// the page's script asks for shows a page saying how many questions are unanswered and
// hands nothing in; confirmed, the paper is submitted. The submit bar is not sticky, so
// it never lies over an option.
func TestExamPageConfirmsSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login("employee")
		res := emp.do(http.MethodPost, fmt.Sprintf("/api/v1/exams/%d/attempts", e.exam(seeds.OnboardingExamTitle)), nil)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var paper exams.AttemptView
		res.JSON(t, &paper)
		for _, q := range paper.Questions[:3] {
			body := map[string]any{"text": "24", "seq": 1}
			if q.Kind != models.KindFill {
				body = map[string]any{"choices": []int{q.Options[0].ID}, "seq": 1}
			}
			res := emp.do(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, q.ID), body)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
		}
		page := fmt.Sprintf("/attempts/%d", paper.ID)
		res = emp.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `已答 <strong id="answered">3</strong>/20`)
		assert.Contains(t, res.Body, `data-confirm-some="还有 {n} 题未作答。确定交卷吗？交卷后不能再修改。"`)
		// A multiple-choice question says so in its stem; the others do not.
		for _, q := range paper.Questions {
			legend := regexp.MustCompile(fmt.Sprintf(`(?s)<legend id="q%d-stem">.*?</legend>`, q.ID)).FindString(res.Body)
			require.NotEmpty(t, legend, q.ID)
			assert.Equal(t, q.Kind == models.KindMultiple, strings.Contains(legend, "多选，选出全部正确项"), "question %d (%s)", q.ID, q.Kind)
		}

		res = emp.postPageForm(page, page+"/submit", url.Values{})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "还有 17 题未作答")
		assert.Contains(t, res.Body, `name="confirmed" value="1"`)
		var a models.Attempt
		require.NoError(t, db.Take(&a, paper.ID).Error)
		assert.Equal(t, models.AttemptOpen, a.Status, "not handed in without confirmation")

		res = emp.postPageForm(page, page+"/submit", url.Values{"confirmed": {"1"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		require.NoError(t, db.Take(&a, paper.ID).Error)
		assert.Equal(t, models.AttemptSubmitted, a.Status)
		// Asked again after the fact: back to the (submitted) paper, nothing changes.
		res = emp.postPageForm(page, page+"/submit", url.Values{})
		assert.Equal(t, http.StatusSeeOther, res.Code)

		css := emp.do(http.MethodGet, "/static/app.css", nil)
		rule := regexp.MustCompile(`\.submit-bar\{[^}]*\}`).FindString(css.Body)
		require.NotEmpty(t, rule)
		assert.NotContains(t, rule, "sticky")
		assert.NotContains(t, rule, "fixed")
	})
}

// TestExamListStanding: /exams says where the employee stands with each exam — attempts
// used and left, the time the cool-off ends, a pass with its score and date — and offers
// 开始考试 only when a start can succeed (继续作答 while an attempt is open).
func TestExamListStanding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login("employee")
		examID := e.exam(seeds.OnboardingExamTitle)
		var exam models.Exam
		require.NoError(t, db.Take(&exam, examID).Error)
		require.Positive(t, exam.AttemptsAllowed)
		require.Positive(t, exam.CoolOffMinutes)
		card := func() string {
			res := emp.do(http.MethodGet, "/exams", nil)
			require.Equal(t, http.StatusOK, res.Code)
			return between(t, res.Body, "<h2>"+exam.Title+"</h2>", "</section>")
		}
		start := fmt.Sprintf(`action="/exams/%d/start"`, examID)

		c := card()
		assert.Contains(t, c, fmt.Sprintf("已作答 0 次 · 还可作答 %d 次", exam.AttemptsAllowed))
		assert.Contains(t, c, start)
		assert.Contains(t, c, "开始考试")

		res := emp.do(http.MethodPost, fmt.Sprintf("/api/v1/exams/%d/attempts", examID), nil)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var paper exams.AttemptView
		res.JSON(t, &paper)
		c = card()
		assert.Contains(t, c, "继续作答")
		assert.NotContains(t, c, "开始考试")

		// Handed in blank: failed, cooling off until the shown time; no start offered.
		res = emp.do(http.MethodPost, fmt.Sprintf("/api/v1/attempts/%d/submit", paper.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var a models.Attempt
		require.NoError(t, db.Take(&a, paper.ID).Error)
		require.False(t, a.Passed)
		loc, err := time.LoadLocation("Asia/Shanghai")
		require.NoError(t, err)
		next := a.SubmittedAt.Add(time.Duration(exam.CoolOffMinutes) * time.Minute).In(loc).Format("2006-01-02 15:04")
		c = card()
		assert.Contains(t, c, fmt.Sprintf("已作答 1 次 · 还可作答 %d 次", exam.AttemptsAllowed-1))
		assert.Contains(t, c, "冷静期内，可再次参加的时间： "+next)
		assert.NotContains(t, c, start, "a start would be refused")
		// My attempts, with their scores.
		history := between(t, c, "我的作答记录", "</table>")
		assert.Contains(t, history, fmt.Sprintf(`<td><a href="/attempts/%d">1</a></td><td>%s`, a.ID, a.SubmittedAt.In(loc).Format("2006-01-02 15:04")))
		assert.Contains(t, history, fmt.Sprintf("<td>%d / %d</td>", a.Points, a.MaxPoints))
		assert.Contains(t, history, "未通过")

		// A passed attempt shows its score and date.
		require.NoError(t, db.Model(&models.Attempt{}).Where("id = ?", a.ID).Update("passed", true).Error)
		c = card()
		assert.Contains(t, c, fmt.Sprintf("已通过：得分 %d / %d · %s", a.Points, a.MaxPoints, a.SubmittedAt.In(loc).Format("2006-01-02 15:04")))
	})
}

// TestExamListWithoutEmployee: a login tied to no employee (the administrator's) sees
// the exams without a start button it could only be refused by, and is told why.
func TestExamListWithoutEmployee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		examID := e.exam(seeds.OnboardingExamTitle)
		res := adm.do(http.MethodGet, "/exams", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "本账号未关联员工，不能参加考试")
		assert.NotContains(t, res.Body, fmt.Sprintf(`action="/exams/%d/start"`, examID))
	})
}
