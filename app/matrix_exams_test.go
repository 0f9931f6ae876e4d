package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"quality/seeds"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// examMakers manage the question bank and exams.
var examMakers = []string{admin, trainer}

// examMatrixRows are the rows of the question bank, exams and attempts.
func examMatrixRows() []matrixRow {
	return []matrixRow{
		// Question bank and exams: trainers and admins manage; everyone signed in lists the
		// exams meant for them.
		{method: get, route: "/api/v1/questions", prep: static("/api/v1/questions?category=etiquette"), want: only(ok, examMakers...)},
		{method: get, route: "/api/v1/questions/export", prep: static("/api/v1/questions/export"), want: only(ok, examMakers...)},
		{method: get, route: "/api/v1/questions/import/template", prep: static("/api/v1/questions/import/template"), want: only(ok, examMakers...)},
		{method: post, route: "/api/v1/questions/import", want: only(ok, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/questions/import", uploadBody{field: "file", name: "题库.xlsx", content: bankWorkbook(e.t, fmt.Sprintf("M%d", uniq()))}
			}},
		{method: get, route: "/api/v1/questions/:id", want: only(ok, examMakers...),
			prep: func(e *env, _ string) (string, any) { return withID("/api/v1/questions/:id", e.question("q001")), nil }},
		{method: post, route: "/api/v1/questions", want: only(created, examMakers...),
			prep: func(*env, string) (string, any) { return "/api/v1/questions", newQuestionBody() }},
		{method: put, route: "/api/v1/questions/:id", want: only(ok, examMakers...), prep: freshQuestion("/api/v1/questions/:id", newQuestionBody())},
		{method: del, route: "/api/v1/questions/:id", want: only(noContent, examMakers...), prep: freshQuestion("/api/v1/questions/:id", nil)},
		{method: get, route: "/api/v1/exams", prep: static("/api/v1/exams"), want: signedIn(ok)},
		{method: get, route: "/api/v1/exams/:id", name: "onboarding (everyone)", want: signedIn(ok),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id", e.exam(seeds.OnboardingExamTitle)), nil
			}},
		{method: get, route: "/api/v1/exams/:id", name: "etiquette (frontline only)", want: signedIn(ok).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id", e.exam(seeds.EtiquetteExamTitle)), nil
			}},
		{method: post, route: "/api/v1/exams", want: only(created, examMakers...),
			prep: func(*env, string) (string, any) { return "/api/v1/exams", newExamBody() }},
		{method: put, route: "/api/v1/exams/:id", want: only(ok, examMakers...), prep: freshExam("/api/v1/exams/:id", newExamBody())},
		{method: post, route: "/api/v1/exams/:id/publish", want: only(ok, examMakers...), prep: freshExam("/api/v1/exams/:id/publish", nil)},
		// Fewer than ten first attempts: a clear 422 for those allowed (TestItemAnalysis has the 200).
		{method: get, route: "/api/v1/exams/:id/analysis", want: only(invalid, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id/analysis", e.exam(seeds.OnboardingExamTitle)), nil
			}},
		{method: get, route: "/api/v1/exams/:id/analysis.xlsx", want: only(invalid, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id/analysis.xlsx", e.exam(seeds.OnboardingExamTitle)), nil
			}},
		{method: post, route: "/api/v1/exams/:id/regrade", want: only(ok, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id/regrade", e.exam(seeds.OnboardingExamTitle)), nil
			}},
		{method: post, route: "/api/v1/exams/:id/overrides", want: only(created, examMakers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id/overrides", e.exam(seeds.OnboardingExamTitle)),
					map[string]any{"employee_id": e.employee("360102-01001"), "extra_minutes": 10, "reason": "视力障碍，延长作答时间"}
			}},

		// Attempts: whoever is linked to an employee takes the exams meant for them (the
		// admin is not; the etiquette exam is for frontline positions only), and sees and
		// changes only their own attempts.
		{method: post, route: "/api/v1/exams/:id/attempts", name: "onboarding", want: signedIn(created).but(conflict, admin),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/exams/:id/attempts", e.exam(seeds.OnboardingExamTitle)), nil
			}},
		{method: post, route: "/api/v1/exams/:id/attempts", name: "etiquette, resumed", want: signedIn(ok).but(conflict, admin).but(notFound, trainer, inspector, manager), noAudit: "resumes the open attempt",
			prep: func(e *env, _ string) (string, any) {
				e.employeeAttempt() // the employee's etiquette attempt exists before the request
				return withID("/api/v1/exams/:id/attempts", e.exam(seeds.EtiquetteExamTitle)), nil
			}},
		{method: get, route: "/api/v1/attempts/:id", want: signedIn(notFound).but(ok, employee),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/attempts/:id", e.employeeAttempt().ID), nil
			}},
		{method: put, route: "/api/v1/attempts/:id/answers/:question", want: signedIn(notFound).but(ok, employee),
			prep: func(e *env, _ string) (string, any) {
				a := e.employeeAttempt()
				target := strings.Replace(withID("/api/v1/attempts/:id/answers/:question", a.ID), ":question", idStr(a.choiceQuestion()), 1)
				return target, map[string]any{"choices": []int{0}, "seq": uniq()}
			}},
		// The web pages of the same (before the API submit row, which closes the attempt).
		{method: get, route: "/exams", prep: static("/exams"), want: signedIn(ok).but(seeOther, anon), redirect: toLogin},
		{method: get, route: "/static/attempt.js", prep: static("/static/attempt.js"), want: everyone(ok)},
		{method: post, route: "/exams/:id/start", want: signedIn(seeOther).but(conflict, admin).but(http.StatusUnauthorized, anon), noAudit: "resumes the open attempt",
			redirect: func(string) string { return webStartLocation },
			prep: func(e *env, as string) (string, any) {
				// Each caller's onboarding attempt is open (the API row started it): resumed.
				webStartLocation = e.openAttemptURL(seeds.OnboardingExamTitle, as)
				return withID("/exams/:id/start", e.exam(seeds.OnboardingExamTitle)), formBody{}
			}},
		{method: get, route: "/attempts/:id", want: signedIn(notFound).but(ok, employee).but(seeOther, anon), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) { return withID("/attempts/:id", e.employeeAttempt().ID), nil }},
		{method: post, route: "/attempts/:id/submit", want: signedIn(notFound).but(seeOther, employee).but(http.StatusUnauthorized, anon),
			redirect: func(target string) string { return strings.TrimSuffix(target, "/submit") },
			prep: func(e *env, _ string) (string, any) {
				return withID("/attempts/:id/submit", e.freshEmployeeAttempt()), formBody{"confirmed": {"1"}}
			}},
		{method: post, route: "/api/v1/attempts/:id/submit", want: signedIn(notFound).but(ok, employee),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/attempts/:id/submit", e.employeeAttempt().ID), nil
			}},
	}
}

// bankWorkbook is a question bank upload with one new single-choice question.
func bankWorkbook(t testing.TB, code string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	require.NoError(t, f.SetSheetName("Sheet1", "题库"))
	rows := [][]any{
		{"编号", "题型*", "分类*", "难度*", "题干*", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案*", "解析", "规则"},
		{code, "单选", "服务礼仪", 1, "上门服务时应当怎样？", "按约定时间到达并出示工作证", "迟到不必解释", "不出示证件", "随意移动用户设备", "", "", "A", "R9.7：守时、出示工作证。", "R9.7"},
	}
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		require.NoError(t, f.SetSheetRow("题库", cell, &r))
	}
	var buf bytes.Buffer
	require.NoError(t, f.Write(&buf))
	return buf.Bytes()
}

// webStartLocation is where the start form of the caller being tested must lead: set by
// the row's prep, read by its redirect check right after.
var webStartLocation string
