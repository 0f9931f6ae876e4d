package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/stretchr/testify/require"

	"quality/exams"
	"quality/models"
	"quality/seeds"
)

// trainerPageMatrixRows are the rows of the trainers' pages: they admit the roles of
// the question bank and exam API (admins and trainers); every other role gets 403, a
// page asked for without a session goes to the login form and a form without one is
// 401. An import shows its outcome on the page (200, or 422 with the refused rows); a
// publish goes back to the list (303), or shows the refusal on it (422); so does a
// saved question or exam form (303 to the question, or to the list), or a refused one
// (422, the form again with the reason beside the field).
func trainerPageMatrixRows() []matrixRow {
	page := func(code int) statuses { return only(code, examMakers...).but(seeOther, anon) }
	// created names the question the create row made, for its redirect.
	var created struct {
		e    *env
		code string
	}
	return []matrixRow{
		{method: get, route: "/questions", want: page(ok), redirect: toLogin,
			prep: static("/questions?category=etiquette&kind=single&q=q0"), check: pageShows(`action="/questions/import"`, examMakers...)},
		{method: get, route: "/questions", name: "kind=bogus", want: page(http.StatusBadRequest), redirect: toLogin, prep: static("/questions?kind=bogus")},
		{method: post, route: "/questions/import", name: "one new question", want: only(ok, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return "/questions/import", uploadBody{field: "file", name: "题库.xlsx", content: bankWorkbook(e.t, fmt.Sprintf("W%d", uniq()))}
			},
			check: pageShows("新建 1 道", examMakers...)},
		{method: post, route: "/questions/import", name: "not a workbook", want: only(invalid, examMakers...),
			prep: func(*env, string) (string, any) {
				return "/questions/import", uploadBody{field: "file", name: "题库.xlsx", content: []byte("not a zip")}
			}},

		{method: get, route: "/questions/new", want: page(ok), redirect: toLogin, prep: static("/questions/new"),
			check: pageShows(`action="/questions/new"`, examMakers...)},
		{method: post, route: "/questions/new", name: "a valid question", want: only(seeOther, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				created.e, created.code = e, fmt.Sprintf("MW-%d", uniq())
				return "/questions/new", questionFormBody(created.code, 0)
			},
			redirect: func(string) string {
				var q models.Question
				require.NoError(created.e.t, created.e.db.Where("code = ?", created.code).Take(&q).Error)
				return fmt.Sprintf("/questions/%d/edit?done=created", q.ID)
			}},
		{method: post, route: "/questions/new", name: "no correct option", want: only(invalid, examMakers...),
			prep:  func(*env, string) (string, any) { return "/questions/new", questionFormBody("", -1) },
			check: pageShows("只能有一个答案", examMakers...)},
		{method: get, route: "/questions/:id/edit", want: page(ok), redirect: toLogin, prep: freshQuestion("/questions/:id/edit", nil),
			check: pageShows(`/archive"`, examMakers...)},
		{method: post, route: "/questions/:id/edit", name: "unused: in place", want: only(seeOther, examMakers...),
			prep:     freshQuestion("/questions/:id/edit", questionFormBody("", 1)),
			redirect: func(target string) string { return target + "?done=saved" }},
		{method: post, route: "/questions/:id/archive", want: only(seeOther, examMakers...), prep: freshQuestion("/questions/:id/archive", formBody{}),
			redirect: func(target string) string { return strings.TrimSuffix(target, "/archive") + "/edit?done=archived" }},
		{method: get, route: "/exams/new", want: page(ok), redirect: toLogin, prep: static("/exams/new"),
			check: pageShows(`action="/exams/new"`, examMakers...)},
		{method: post, route: "/exams/new", name: "a draft", want: only(seeOther, examMakers...), redirect: redirectTo("/exams/manage?done=created"),
			prep: func(*env, string) (string, any) {
				return "/exams/new", examFormBody("矩阵新建的考试", time.Now())
			}},
		{method: post, route: "/exams/new", name: "closes before it opens", want: only(invalid, examMakers...),
			prep: func(*env, string) (string, any) {
				b := examFormBody("窗口颠倒的考试", time.Now())
				b["opens_at"], b["closes_at"] = b["closes_at"], b["opens_at"]
				return "/exams/new", b
			},
			check: pageShows("结束时间必须晚于开始时间", examMakers...)},
		{method: get, route: "/exams/:id/edit", want: page(ok), redirect: toLogin, prep: freshExam("/exams/:id/edit", nil),
			check: pageShows(`name="bp_category0"`, examMakers...)},
		{method: post, route: "/exams/:id/edit", want: only(seeOther, examMakers...), redirect: redirectTo("/exams/manage?done=saved"),
			prep: freshExam("/exams/:id/edit", examFormBody("矩阵修改的考试", time.Now()))},
		{method: get, route: "/exams/manage", want: page(ok), redirect: toLogin, prep: static("/exams/manage"),
			check: pageShows(seeds.OnboardingExamTitle, examMakers...)},
		{method: post, route: "/exams/:id/publish", name: "a draft", want: only(seeOther, examMakers...), redirect: redirectTo("/exams/manage?done=publish"),
			prep: freshExam("/exams/:id/publish", formBody{})},
		{method: post, route: "/exams/:id/publish", name: "pool too small", want: only(invalid, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/exams/:id/publish", e.oversizedDraft()), formBody{}
			},
			check: pageShows("组卷规则第 1 条", examMakers...)},
		{method: post, route: "/exams/:id/publish", name: "nonexistent", want: only(notFound, examMakers...), prep: static("/exams/999999/publish")},
	}
}

// oversizedDraft makes a draft exam whose blueprint asks for more ethics questions than
// the bank holds, so publishing it is refused.
func (e *env) oversizedDraft() uint {
	e.t.Helper()
	now := time.Now().UTC()
	x, err := exams.NewService(e.db).CreateExam(context.Background(), models.SystemActor, exams.ExamInput{
		Title: fmt.Sprintf("题量超出题库的考试 %d", uniq()), Kind: models.ExamGeneral, TimeLimitMinutes: 10,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
		Blueprint:   []models.BlueprintRule{{Category: "ethics", Difficulty: 1, Count: 200, Points: 1}},
		PassPercent: 60, AttemptsAllowed: 1})
	require.NoError(e.t, err)
	return x.ID
}
