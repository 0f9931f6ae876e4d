package app

import "github.com/gofiber/fiber/v2"

// trainerPageRoutes are the trainers' web pages: the question bank with its Excel
// import, and the exams to publish. They admit the roles of the API routes beside them
// (examRoles) and call the same services; a refused import or publish is shown on the
// page, field by field, in the page's language.
func (s *server) trainerPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/questions", roles, examRoles, s.questionsPage, doc{Tag: "ui", Summary: "题库：各题的最新版本，筛选、分页、导入导出（网页）",
			Query: []param{{"q", "string", "题干或编号包含"}, {"kind", "string", "single|multiple|truefalse|fill"},
				{"category", "string", "basics|etiquette|ethics|technical"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{post, "/questions/import", roles, examRoles, s.importBankForm, doc{Tag: "ui",
			Summary: "导入题库（网页表单，multipart 字段 file、dry_run）；任一行有误则不写入，逐行说明原因", Upload: "file", File: mimeHTML}},
		{get, "/exams/manage", roles, examRoles, s.examManagePage, doc{Tag: "ui", Summary: "考试管理：草稿与已发布的考试、作答人次、试题分析（网页）",
			Query: []param{{"done", "string", "publish：提示刚完成的操作"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{post, "/exams/:id/publish", roles, examRoles, s.publishExamForm, doc{Tag: "ui", Summary: "发布考试（网页表单）；题库不足以组卷时在页面上说明", Status: 303}},
	}
}
