package browser_test

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
)

// An employee takes the onboarding exam: answers half, reloads and sees every answer
// back, confirms 交卷 (told how many are unanswered) and sees the result. Then a window
// clerk not yet certified passes the etiquette exam and opens the certificate and its
// printable page (R8.2, R8.3).
func TestExamInTheBrowser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSite(t, db)
		tb := s.open(desktop)
		dialogs := tb.acceptDialogs()
		tb.login("employee")

		onboarding := examID(t, db, models.ExamOnboarding)
		tb.visit("/exams")
		tb.shot("exams")
		tb.run(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/exams/%d/start"] button`, onboarding))),
			chromedp.WaitVisible(chromedp.CSS("#paper fieldset")))
		qs := tb.questions()
		require.NotEmpty(t, qs)
		half := len(qs) / 2
		for _, q := range qs[:half] {
			tb.answer(db, q, true)
		}
		tb.waitSaved()
		tb.noProblems("answering the onboarding exam")

		// Reload: the server gives every answer back.
		attemptPath := tb.path()
		tb.visit(attemptPath)
		tb.run(chromedp.WaitVisible(chromedp.CSS("#paper fieldset")))
		for _, q := range qs[:half] {
			assert.True(t, tb.answered(q), "question %d lost its answer on reload", q.ID)
		}
		assert.Equal(t, strconv.Itoa(half), tb.text("#answered"))
		tb.shot("attempt")

		// One more answer, and 交卷 at once, before typing has stopped or the save has
		// come back: the answer is saved before the paper goes in. Then the confirmation
		// says how many questions are left.
		last := qs[half]
		tb.answerAndGo(db, last)
		tb.run(chromedp.Click(chromedp.CSS(`#submit-form button`)), chromedp.WaitNotPresent(chromedp.CSS("#submit-form")))
		require.Len(t, dialogs(), 1)
		assert.Contains(t, dialogs()[0], strconv.Itoa(len(qs)-half-1), "the confirmation names the unanswered count")
		var saved []models.Answer
		require.NoError(t, db.Where("attempt_id = ? AND question_id = ?", attemptID(t, attemptPath), last.ID).Find(&saved).Error)
		assert.Len(t, saved, 1, "the answer given just before 交卷 was saved")
		result := tb.text("section.attempt-head")
		assert.Contains(t, result, "分")
		tb.shot("attempt-result")
		tb.noProblems("submitting the onboarding exam")

		// The etiquette certification, for a window clerk of the demo not yet certified.
		clerk := uncertifiedClerk(t, db)
		tb2 := s.open(phone)
		tb2.acceptDialogs()
		tb2.login(clerk)
		tb2.visit("/exams")
		tb2.run(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/exams/%d/start"] button`, examID(t, db, models.ExamEtiquette)))),
			chromedp.WaitVisible(chromedp.CSS("#paper fieldset")))
		for _, q := range tb2.questions() {
			tb2.answer(db, q, true)
		}
		tb2.waitSaved()
		tb2.run(chromedp.Click(chromedp.CSS(`#submit-form button`)), chromedp.WaitNotPresent(chromedp.CSS("#submit-form")))
		assert.Contains(t, tb2.text("section.attempt-head p.ok"), "通过")
		tb2.noProblems("the etiquette exam")

		tb2.visit("/certificates")
		tb2.shot("certificates")
		href := tb2.attr(`a[href$="/print"]`, "href")
		require.NotEmpty(t, href, "the certificate list links to the printable page")
		tb2.visit(strings.TrimPrefix(href, s.url))
		assert.Equal(t, 1, tb2.count(".certificate svg.qr"), "the printable certificate carries the QR code")
		assert.Contains(t, tb2.text(".certificate"), clerkName(t, db, clerk))
		tb2.shot("certificate-print")
		tb2.noProblems("the certificate")
	})
}

// TestExamKeepsUnsavedAnswers: on a phone whose saves do not get through (a weak
// signal), a chosen answer waits as 未保存 in the browser; a reload puts it back on the
// paper, and once saves get through again it is stored without the examinee doing
// anything.
func TestExamKeepsUnsavedAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSite(t, db)
		tb := s.open(phone)
		tb.login("employee")
		tb.visit("/exams")
		tb.run(chromedp.Click(chromedp.CSS(fmt.Sprintf(`form[action="/exams/%d/start"] button`, examID(t, db, models.ExamOnboarding)))),
			chromedp.WaitVisible(chromedp.CSS("#paper fieldset")))
		path := tb.path()
		var q question
		for _, c := range tb.questions() {
			if c.Kind != models.KindFill {
				q = c
				break
			}
		}
		require.NotZero(t, q.ID, "the paper has a choice question")
		stored := func() []models.Answer {
			var as []models.Answer
			require.NoError(t, db.Where("attempt_id = ? AND question_id = ?", attemptID(t, path), q.ID).Find(&as).Error)
			return as
		}

		tb.block(answerSaves)
		tb.answer(db, q, true)
		get(tb, chromedp.Poll[bool](`document.getElementById("save-state").textContent === document.getElementById("save-state").dataset.failed`))
		assert.Empty(t, stored(), "the save did not get through")

		tb.visit(path)
		tb.run(chromedp.WaitVisible(chromedp.CSS("#paper fieldset")))
		assert.True(t, tb.answered(q), "the unsaved answer is back on the paper after the reload")
		assert.Equal(t, "1", tb.text("#answered"))
		assert.Empty(t, stored())

		tb.block()
		tb.setOffline(true)
		tb.setOffline(false)
		tb.waitSaved()
		key, err := models.GetQuestion(t.Context(), db, q.ID)
		require.NoError(t, err)
		as := stored()
		require.Len(t, as, 1, "stored once the network let it through")
		assert.ElementsMatch(t, key.Answer, []int(as[0].Choices))
		tb.problems() // the saves refused while blocked
	})
}

// answerSaves are the requests that save an exam answer.
const answerSaves = "*://*:*/api/v1/attempts/*/answers/*"

// question is one question of the paper on the page.
type question struct {
	ID   uint
	Kind string
}

func (tb *tab) questions() []question {
	tb.t.Helper()
	raw := get(tb, chromedp.Evaluate[[]struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	}](`Array.from(document.querySelectorAll("#paper fieldset")).map(f => ({id: f.dataset.question, kind: f.dataset.kind}))`))
	out := make([]question, len(raw))
	for i, r := range raw {
		id, err := strconv.Atoi(r.ID)
		require.NoError(tb.t, err)
		out[i] = question{ID: uint(id), Kind: r.Kind}
	}
	return out
}

// answer answers q by clicking and typing as a person would: with the key when right
// is true.
func (tb *tab) answer(db *gorm.DB, q question, right bool) {
	tb.t.Helper()
	key, err := models.GetQuestion(context.Background(), db, q.ID)
	require.NoError(tb.t, err)
	fs := fmt.Sprintf(`#paper fieldset[data-question="%d"]`, q.ID)
	if q.Kind == models.KindFill {
		text := "不知道"
		if right && len(key.Accepted) > 0 {
			text = key.Accepted[0]
		}
		tb.run(chromedp.SendKeys(chromedp.CSS(fs+` input`), text), chromedp.Blur(chromedp.CSS(fs+` input`)))
		return
	}
	choices := key.Answer
	if !right {
		choices = []int{(key.Answer[0] + 1) % len(key.Options)}
	}
	for _, c := range choices {
		tb.run(chromedp.Click(chromedp.CSS(fmt.Sprintf(`%s input[value="%d"]`, fs, c))))
	}
}

// answerAndGo answers q as answer does, without leaving a typed field: what comes next
// (a click on 交卷) follows before typing has stopped.
func (tb *tab) answerAndGo(db *gorm.DB, q question) {
	tb.t.Helper()
	if q.Kind != models.KindFill {
		tb.answer(db, q, true)
		return
	}
	tb.run(chromedp.SendKeys(chromedp.CSS(fmt.Sprintf(`#paper fieldset[data-question="%d"] input`, q.ID)), "不知道"))
}

// attemptID is the id in an attempt page's path, /attempts/{id}.
func attemptID(t *testing.T, path string) uint {
	t.Helper()
	id, err := strconv.Atoi(strings.TrimPrefix(path, "/attempts/"))
	require.NoError(t, err, path)
	return uint(id)
}

// answered says whether q shows an answer on the page.
func (tb *tab) answered(q question) bool {
	tb.t.Helper()
	return get(tb, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const f = document.querySelector('#paper fieldset[data-question="%d"]');
		const t = f.querySelector('input[type="text"]'); return t ? t.value !== "" : f.querySelector("input:checked") !== null })()`, q.ID)))
}

// waitSaved waits until the autosave says every answer is stored.
func (tb *tab) waitSaved() {
	tb.t.Helper()
	get(tb, chromedp.Poll[bool](`document.getElementById("save-state").textContent === document.getElementById("save-state").dataset.saved`))
}

func examID(t *testing.T, db *gorm.DB, kind string) uint {
	t.Helper()
	var e models.Exam
	require.NoError(t, db.Where("kind = ? AND status = ?", kind, "published").Order("id").Take(&e).Error)
	return e.ID
}

// uncertifiedClerk makes a login for an active window clerk of 东湖区 who holds no
// certificate and has sat no exam, the way an admin would, and returns its username.
func uncertifiedClerk(t *testing.T, db *gorm.DB) string {
	t.Helper()
	ctx := context.Background()
	var emp models.Employee
	require.NoError(t, db.Where("status = ? AND position = ? AND job_number LIKE ? AND hire_date < ?", models.StatusActive, models.PositionWindow, "360102-%", "2026-01-01").
		Where("NOT EXISTS (SELECT 1 FROM certificates c WHERE c.employee_id = employees.id)").
		Where("NOT EXISTS (SELECT 1 FROM attempts a WHERE a.employee_id = employees.id)").
		Where("NOT EXISTS (SELECT 1 FROM users u WHERE u.employee_id = employees.id)").
		Order("job_number").Take(&emp).Error)
	admin, err := models.GetUserByUsername(ctx, db, "admin")
	require.NoError(t, err)
	username := "clerk" + strings.ReplaceAll(emp.JobNumber, "-", "")
	_, err = accounts.NewService(db, accounts.DefaultConfig).CreateUser(ctx, models.Actor{UserID: admin.ID, Username: admin.Username}, models.ScopeAll, accounts.UserInput{
		Username: username, DisplayName: emp.Name, Password: demoPassword, EmployeeID: &emp.ID,
		Grants: []accounts.GrantInput{{Role: models.RoleEmployee, OrgUnitID: emp.OrgUnitID}}})
	require.NoError(t, err)
	return username
}

func clerkName(t *testing.T, db *gorm.DB, username string) string {
	t.Helper()
	u, err := models.GetUserByUsername(context.Background(), db, username)
	require.NoError(t, err)
	return u.DisplayName
}
