package app

import "github.com/gofiber/fiber/v2"

// trainerPageRoutes are the trainers' web pages: the question bank with its Excel
// import and its question form, and the exams to write and publish. They admit the roles of the API routes beside them
// (examRoles) and call the same services; a refused import or publish is shown on the
// page, field by field, in the page's language; so is a refused form, beside its field.
func (s *server) trainerPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/questions", roles, examRoles, s.questionsPage, doc{Tag: "ui", Summary: "题库：各题的最新版本，筛选、分页、导入导出（网页）",
			Query: []param{{"q", "string", "题干或编号包含"}, {"kind", "string", "single|multiple|truefalse|fill"},
				{"category", "string", "basics|etiquette|ethics|technical"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{post, "/questions/import", roles, examRoles, s.importBankForm, doc{Tag: "ui",
			Summary: "导入题库（网页表单，multipart 字段 file、dry_run）；任一行有误则不写入，逐行说明原因", Upload: "file", File: mimeHTML}},
		{get, "/questions/new", roles, examRoles, s.newQuestionPage, doc{Tag: "ui", Summary: "新建试题（网页表单）", File: mimeHTML}},
		{post, "/questions/new", roles, examRoles, s.createQuestionForm, doc{Tag: "ui", Summary: "新建试题（网页表单提交）；不通过时在字段旁说明", Status: 303, Problems: []int{409, 422}}},
		{get, "/questions/:id/edit", roles, examRoles, s.editQuestionPage, doc{Tag: "ui", Summary: "修改试题（网页表单）",
			Query: []param{{"done", "string", "created|saved|version|archived：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/questions/:id/edit", roles, examRoles, s.updateQuestionForm, doc{Tag: "ui", Summary: "修改试题（网页表单提交）；已被作答使用的版本不变，改动成为新版本", Status: 303, Problems: []int{409, 422}}},
		{post, "/questions/:id/archive", roles, examRoles, s.archiveQuestionForm, doc{Tag: "ui", Summary: "停用试题（网页表单）", Status: 303, Problems: []int{409}}},
		{get, "/exams/manage", roles, examRoles, s.examManagePage, doc{Tag: "ui", Summary: "考试管理：草稿与已发布的考试、作答人次、试题分析（网页）",
			Query: []param{{"done", "string", "publish：提示刚完成的操作"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/exams/new", roles, examRoles, s.newExamPage, doc{Tag: "ui", Summary: "新建考试草稿（网页表单）", File: mimeHTML}},
		{post, "/exams/new", roles, examRoles, s.createExamForm, doc{Tag: "ui", Summary: "新建考试草稿（网页表单提交）；不通过时在字段旁说明", Status: 303, Problems: []int{422}}},
		{get, "/exams/:id/edit", roles, examRoles, s.editExamPage, doc{Tag: "ui", Summary: "修改考试（网页表单）", File: mimeHTML}},
		{post, "/exams/:id/edit", roles, examRoles, s.updateExamForm, doc{Tag: "ui", Summary: "修改考试（网页表单提交）；已有作答后结构冻结", Status: 303, Problems: []int{409, 422}}},
		{post, "/exams/:id/publish", roles, examRoles, s.publishExamForm, doc{Tag: "ui", Summary: "发布考试（网页表单）；题库不足以组卷时在页面上说明", Status: 303, Problems: []int{409, 422}}},
		{get, "/exams/:id/analysis", roles, examRoles, s.examAnalysisPage, doc{Tag: "ui", Summary: "试题分析（网页）：各题难度、区分度、选项分布与标记（文字），α 系数或无法计算的原因；首次作答不足时说明", File: mimeHTML}},
	}
}
