package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
	"quality/workbook"
)

// examRoles manage the question bank and exams.
var examRoles = []string{models.RoleAdmin, models.RoleTrainer}

// examRoutes are the question bank, exams and attempts (R8.2, R8.3).
func (s *server) examRoutes() []route {
	get, post, put, del := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete
	return []route{
		// Question bank and exams (R8.2, R8.3): trainers and admins manage them.
		{get, "/api/v1/questions", roles, examRoles, s.listQuestions, doc{Tag: "exams", Summary: "题库（各题的最新版本）", Resp: models.List[models.Question]{},
			Query: append([]param{{"q", "string", "题干或编号包含"}, {"kind", "string", "single|multiple|truefalse|fill"}, {"category", "string", "basics|etiquette|ethics|technical"},
				{"difficulty", "integer", "1..3"}, {"archived", "boolean", "已停用的题"}}, pageParams...)}},
		// Before /questions/:id, which would take "export" for an id.
		{get, "/api/v1/questions/export", roles, examRoles, s.exportBank, doc{Tag: "exams", Summary: "导出题库（.xlsx，可改后再导入）", File: mimeXLSX}},
		{get, "/api/v1/questions/import/template", roles, examRoles, s.bankTemplate, doc{Tag: "exams", Summary: "下载题库导入模板", File: mimeXLSX}},
		{post, "/api/v1/questions/import", roles, examRoles, s.importBank, doc{Tag: "exams", Summary: "导入题库（.xlsx）；任一行有误则不写入",
			Upload: "file", Resp: workbook.Report{}, Query: []param{{"dry_run", "boolean", "只检查，不写入"}}}},
		{get, "/api/v1/questions/:id", roles, examRoles, s.getQuestion, doc{Tag: "exams", Summary: "试题（某一版本）", Resp: models.Question{}}},
		{post, "/api/v1/questions", roles, examRoles, s.createQuestion, doc{Tag: "exams", Summary: "新建试题", Body: exams.QuestionInput{}, Resp: models.Question{}, Status: 201}},
		{put, "/api/v1/questions/:id", roles, examRoles, s.updateQuestion, doc{Tag: "exams", Summary: "修改试题；已被作答使用的版本不变，改动成为新版本", Body: exams.QuestionInput{}, Resp: models.Question{}, Problems: []int{409}}},
		{del, "/api/v1/questions/:id", roles, examRoles, s.archiveQuestion, doc{Tag: "exams", Summary: "停用试题（不再抽取，已有作答保留）", Status: 204}},
		{get, "/api/v1/exams", anyUser, nil, s.listExams, doc{Tag: "exams", Summary: "考试列表（员工只见已发布且面向自己的考试）", Resp: models.List[models.Exam]{}, Query: pageParams}},
		{get, "/api/v1/exams/:id", anyUser, nil, s.getExam, doc{Tag: "exams", Summary: "考试详情", Resp: models.Exam{}}},
		{post, "/api/v1/exams", roles, examRoles, s.createExam, doc{Tag: "exams", Summary: "新建考试（草稿）", Body: exams.ExamInput{}, Resp: models.Exam{}, Status: 201}},
		{put, "/api/v1/exams/:id", roles, examRoles, s.updateExam, doc{Tag: "exams", Summary: "修改考试；已有作答后结构冻结", Body: exams.ExamInput{}, Resp: models.Exam{}, Problems: []int{409}}},
		{post, "/api/v1/exams/:id/publish", roles, examRoles, s.publishExam, doc{Tag: "exams", Summary: "发布考试；题库不足以组卷时拒绝", Resp: models.Exam{}, Problems: []int{409}}},
		{get, "/api/v1/exams/:id/analysis", roles, examRoles, s.examAnalysis, doc{Tag: "exams", Summary: "试题分析（首次作答，至少 10 人）：难度、区分度、选项分布、α 系数", Resp: exams.Analysis{}, Problems: []int{422}}},
		{get, "/api/v1/exams/:id/analysis.xlsx", roles, examRoles, s.examAnalysisXLSX, doc{Tag: "exams", Summary: "试题分析导出（.xlsx）", File: mimeXLSX, Problems: []int{422}}},
		{post, "/api/v1/exams/:id/regrade", roles, examRoles, s.regradeExam, doc{Tag: "exams", Summary: "修正答案后重新评分（保留原分数，报告变化）", Resp: exams.RegradeResult{}}},
		{post, "/api/v1/exams/:id/overrides", roles, examRoles, s.setOverride, doc{Tag: "exams", Summary: "给某员工延时或加考次数（须填原因）", Body: exams.OverrideInput{}, Resp: models.ExamOverride{}, Status: 201}},

		// Attempts: any user linked to an employee takes the exams meant for them. Each
		// handler finds the attempt by the caller's employee id, so no grants are loaded.
		{post, "/api/v1/exams/:id/attempts", owner, nil, s.startAttempt, doc{Tag: "attempts", Summary: "开始或继续作答（重复请求得到同一份试卷）", Resp: exams.AttemptView{}, Status: 201, Problems: []int{409}}},
		{get, "/api/v1/attempts/:id", owner, nil, s.getAttempt, doc{Tag: "attempts", Summary: "查看作答：试卷、已存答案、剩余时间", Resp: exams.AttemptView{}}},
		{put, "/api/v1/attempts/:id/answers/:question", owner, nil, s.saveAnswer, doc{Tag: "attempts", Summary: "保存一题答案（提交成功才应答；seq 防止旧请求覆盖新答案）", Body: exams.SaveInput{}, Resp: exams.SaveResult{}, Problems: []int{409}}},
		{post, "/api/v1/attempts/:id/submit", owner, nil, s.submitAttempt, doc{Tag: "attempts", Summary: "交卷（重复交卷结果不变）", Resp: exams.AttemptView{}, Problems: []int{409}}},

		// Web UI: the exams meant for me, the paper with autosave, submit.
		{get, "/exams", anyUser, nil, s.examsPage, doc{Tag: "ui", Summary: "我的考试（网页）", File: mimeHTML}},
		{post, "/exams/:id/start", anyUser, nil, s.startExamForm, doc{Tag: "ui", Summary: "开始或继续作答（网页）", Status: 303, Problems: []int{409}}},
		{get, "/attempts/:id", anyUser, nil, s.attemptPage, doc{Tag: "ui", Summary: "试卷与自动保存（网页）", File: mimeHTML}},
		{post, "/attempts/:id/submit", anyUser, nil, s.submitAttemptForm, doc{Tag: "ui", Summary: "交卷（网页）", Status: 303, Problems: []int{409}}},
		{get, "/static/attempt.js", public, nil, s.asset("attempt.js", "text/javascript; charset=utf-8"), doc{Tag: "ui", Summary: "作答页脚本", File: "text/javascript"}},
	}
}
