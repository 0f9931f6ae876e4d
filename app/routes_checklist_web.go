package app

import "github.com/gofiber/fiber/v2"

// checklistPageRoutes are the web pages of checklist templates (issue 4 point 1): every
// staff role reads the versions the API shows them; the editors (templateEditors, and
// the service's province-wide rule) create, edit, publish and retire them. The forms
// work without JavaScript and call the services the API calls.
func (s *server) checklistPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		// /checklists/new comes before /checklists/:id.
		{get, "/checklists", roles, staffRoles, s.checklistsPage, doc{Tag: "ui", Summary: "检查表模板的各版本（网页；草稿仅省级编辑可见）",
			Query: []param{{"code", "string", "检查表编码"}, {"status", "string", "draft|published|retired"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/checklists/new", roles, templateEditors, s.newChecklistPage, doc{Tag: "ui", Summary: "新建检查表表单（网页，仅省级编辑）", File: mimeHTML}},
		{post, "/checklists/new", roles, templateEditors, s.createChecklistForm, doc{Tag: "ui",
			Summary: "新建检查表（网页表单：code、title、description、pass_mark、rows 及每行 rN.section、rN.key、rN.text、rN.guidance、rN.rule_ref、rN.response、rN.max_score、rN.pass_score、rN.weight、rN.critical、rN.evidence_on_fail、rN.required；无题目文字的行忽略；带 more 时只多给 5 行空行）",
			Status:  303, Problems: []int{409, 422}}},
		{get, "/checklists/:id", roles, staffRoles, s.checklistPage, doc{Tag: "ui", Summary: "检查表的某一版本：分节、各项及其规则（网页）；编辑可发布、停用、修改",
			Query: []param{{"done", "string", "created|saved|new_version|published|retired：提示刚完成的操作"}}, File: mimeHTML}},
		{get, "/checklists/:id/edit", roles, templateEditors, s.editChecklistPage, doc{Tag: "ui",
			Summary: "修改检查表表单（网页，仅省级编辑；对已发布或已停用的版本，保存生成下一版本的草稿）", File: mimeHTML}},
		{post, "/checklists/:id/edit", roles, templateEditors, s.editChecklistForm, doc{Tag: "ui",
			Summary: "保存修改（网页表单，字段同新建，无 code）：草稿原地修改；已发布或已停用的版本不变，内容成为下一版本的草稿", Status: 303, Problems: []int{409, 422}}},
		{post, "/checklists/:id/publish", roles, templateEditors, s.publishChecklistForm, doc{Tag: "ui",
			Summary: "发布草稿（网页表单）；同一检查表此前发布的版本随之停用", Status: 303, Problems: []int{409}}},
		{post, "/checklists/:id/retire", roles, templateEditors, s.retireChecklistForm, doc{Tag: "ui",
			Summary: "停用已发布的版本（网页表单；已有检查不变）", Status: 303, Problems: []int{409}}},
	}
}
