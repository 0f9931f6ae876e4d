package app_test

import (
	"context"
	"fmt"
	"net/http"
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
// publish goes back to the list (303), or shows the refusal on it (422).
func trainerPageMatrixRows() []matrixRow {
	page := func(code int) statuses { return only(code, examMakers...).but(seeOther, anon) }
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
	x, err := exams.CreateExam(context.Background(), e.db, models.SystemActor, exams.ExamInput{
		Title: fmt.Sprintf("题量超出题库的考试 %d", uniq()), Kind: models.ExamGeneral, TimeLimitMinutes: 10,
		OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
		Blueprint:   []models.BlueprintRule{{Category: "ethics", Difficulty: 1, Count: 200, Points: 1}},
		PassPercent: 60, AttemptsAllowed: 1})
	require.NoError(e.t, err)
	return x.ID
}
