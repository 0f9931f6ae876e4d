package app

import "github.com/gofiber/fiber/v2"

// supervisionPageRoutes are the web pages of the supervision side (R7): inspections
// filled on a phone, rectifications answered by the branch and judged by an inspector,
// and read-only lists of cases and patrol plans. They admit the same roles as the API
// routes of each area and call the same services; forms post here and go back to
// their page (303), or show the refusal on the page.
func (s *server) supervisionPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/static/inspection.js", public, nil, s.asset("inspection.js", "text/javascript; charset=utf-8"), doc{Tag: "ui",
			Summary: "检查填写页脚本（可选：选定即保存、离线暂存、冲突对比、照片压缩上传）", File: "text/javascript"}},
		{get, "/static/geo.js", public, nil, s.asset("geo.js", "text/javascript; charset=utf-8"), doc{Tag: "ui", Summary: "开始检查页的定位脚本（可选：用户允许时填入经纬度）", File: "text/javascript"}},

		// The inspection policy and the working-day calendar (R6.8, R7.3), as the settings API has them.
		{get, "/settings/inspections", roles, staffRoles, s.inspectionSettingsPage, doc{Tag: "ui", Summary: "检查与整改设置（网页；仅管理员可改）", File: mimeHTML}},
		{post, "/settings/inspections", roles, adminOnly, s.inspectionSettingsForm, doc{Tag: "ui",
			Summary: "保存检查与整改设置（网页表单，与 PUT /api/v1/settings/inspections 同一校验与审计）；不通过时在字段旁说明", Status: 303, Problems: []int{422}}},
		// Inspections (R7.2, R7.3): /inspections/new comes before /inspections/:id.
		{get, "/inspections", roles, inspectionReaders, s.inspectionsPage, doc{Tag: "ui", Summary: "检查记录（网页，管辖范围内）",
			Query: []param{{"status", "string", "draft|submitted"}, {"result", "string", "pass|fail|no_score"}, {"unit_id", "integer", "该单位及其全部下级"},
				{"from", "string", "开始日期 YYYY-MM-DD（含）"}, {"to", "string", "截止日期 YYYY-MM-DD（含）"},
				{"inspector", "string", "me：只列本人的检查"}, {"page", "integer", "页码"}},
			File: mimeHTML}},
		{get, "/inspections/new", roles, inspectionWriters, s.newInspectionPage, doc{Tag: "ui", Summary: "开始检查：选择检查表、营业厅和巡查点（网页）",
			Query: []param{{"county", "integer", "只列该县分公司的营业厅"}, {"follow_up_of", "integer", "复查该问题：预选其营业厅和检查表"},
				{"patrol_stop_id", "integer", "本人巡查计划的待检站点：预选该站点及其营业厅"}}, File: mimeHTML, Problems: []int{404}}},
		{post, "/inspections", roles, inspectionWriters, s.startInspectionForm, doc{Tag: "ui",
			Summary: "开始检查（网页表单，字段 client_id、template_id、org_unit_id、patrol_stop_id、follow_up_of、lat、lng；重复提交得到同一条记录）", Status: 303, Problems: []int{409, 422}}},
		{get, "/inspections/:id", roles, inspectionReaders, s.inspectionPage, doc{Tag: "ui", Summary: "填写或查看一次检查（网页）",
			Query: []param{{"done", "string", "saved|unchanged|photo|submitted|reopened|voided：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/inspections/:id/items", roles, inspectionWriters, s.saveItemsForm, doc{Tag: "ui",
			Summary: "保存全部（填写页的整张表单，multipart；每项字段 items[KEY][outcome|points|note|rev|was] 和照片 items[KEY][photo]，at 为回到的项）：只保存改动过的项，rev 过期或被拒的项连同所填内容显示在页上，其余照常保存", Status: 303, Problems: []int{409, 422}}},
		{post, "/inspections/:id/items/:key", roles, inspectionWriters, s.saveItemForm, doc{Tag: "ui",
			Summary: "保存一项的答案（旧版逐项表单，字段 outcome、points、note、rev；rev 过期时显示他人修改后的答案）", Status: 303, Problems: []int{409, 422}}},
		{post, "/inspections/:id/items/:key/photos", roles, inspectionWriters, s.itemPhotoForm, doc{Tag: "ui",
			Summary: "上传一项的照片（网页表单，multipart 字段 file）", Upload: "file", Status: 303}},
		{post, "/inspections/:id/submit", roles, inspectionWriters, s.submitInspectionForm, doc{Tag: "ui",
			Summary: "提交检查（填写页整张表单的“确认提交”，字段 confirmation；先保存表单中改动过的项和照片，有被拒的项则不提交）", Status: 303, Problems: []int{409, 422}}},
		{post, "/inspections/:id/reopen", roles, inspectionWriters, s.reopenInspectionForm, doc{Tag: "ui",
			Summary: "退回已提交的检查重填（网页表单，字段 reason；本人或管理员；整改已推进或问题已立案时拒绝）", Status: 303, Problems: []int{409, 422}}},
		{post, "/findings/:id/void", roles, inspectionWriters, s.voidFindingForm, doc{Tag: "ui",
			Summary: "作废问题（网页表单，字段 reason）；未完成的整改随之取消；回到所属检查", Status: 303, Problems: []int{409, 422}}},

		// Rectifications (R7.3).
		{get, "/rectifications", roles, rectReaders, s.rectificationsPage, doc{Tag: "ui", Summary: "整改列表（网页，逾期标出）",
			Query: []param{{"status", "string", "open|submitted|verified|waived|cancelled"}, {"overdue", "boolean", "只看逾期"},
				{"from", "string", "下发日期起 YYYY-MM-DD（含）"}, {"to", "string", "下发日期止 YYYY-MM-DD（含）"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/escalations", roles, rectReaders, s.escalationsPage, doc{Tag: "ui", Summary: "催办与上报记录（网页，被通知单位在管辖范围内；新的在前）",
			Query: []param{{"level", "string", "reminder|city|province"}, {"unit_id", "integer", "被通知单位在该单位及其全部下级"},
				{"from", "string", "催办或上报日起 YYYY-MM-DD（含，北京时间）"},
				{"to", "string", "催办或上报日止 YYYY-MM-DD（含）"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/rectifications/:id", roles, rectReaders, s.rectificationPage, doc{Tag: "ui", Summary: "整改详情：问题、期限、时间线、照片与可做的操作（网页）",
			Query: []param{{"done", "string", "photo|submit|verify|reject|waive：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/rectifications/:id/photos", roles, rectAnswerers, s.rectPhotoForm, doc{Tag: "ui", Summary: "上传整改照片（网页表单，multipart 字段 file）",
			Upload: "file", Status: 303}},
		{post, "/rectifications/:id/submit", roles, rectAnswerers, s.rectSubmitForm, doc{Tag: "ui", Summary: "提交整改材料（网页表单，字段 revision、text）", Status: 303, Problems: []int{409, 422}}},
		{post, "/rectifications/:id/verify", roles, rectJudges, s.rectVerifyForm, doc{Tag: "ui", Summary: "核验通过（网页表单，字段 revision、note）", Status: 303, Problems: []int{409, 422}}},
		{post, "/rectifications/:id/reject", roles, rectJudges, s.rectRejectForm, doc{Tag: "ui", Summary: "退回整改（网页表单，字段 revision、reason）", Status: 303, Problems: []int{409, 422}}},
		{post, "/rectifications/:id/waive", roles, rectJudges, s.rectWaiveForm, doc{Tag: "ui", Summary: "豁免整改（网页表单，字段 revision、reason）", Status: 303, Problems: []int{409, 422}}},

		// Accountability cases (R6) and patrol plans (R7.3).
		{get, "/cases", roles, caseRoles, s.casesPage, doc{Tag: "ui", Summary: "问责案件（网页，管辖范围内）",
			Query: []param{{"status", "string", "open|decided|closed"},
				{"awaiting_statement", "boolean", "只列待记录陈述的未结案件（有当事人既无陈述也未处理）"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/cases/new", roles, caseRoles, s.newCasePage, doc{Tag: "ui", Summary: "立案表单：来自检查发现（finding_id，预填）或客户投诉（先选单位 unit_id，再选当事人）（网页）",
			Query: []param{{"finding_id", "integer", "预填该问题"}, {"unit_id", "integer", "案件单位（须在管辖范围内）"}}, File: mimeHTML, Problems: []int{404}}},
		{post, "/cases", roles, caseRoles, s.openCaseForm, doc{Tag: "ui",
			Summary: "立案（网页表单，字段 org_unit_id、source、finding_ids、complaint_ref、title、summary、grounds、employee_ids；R6.2）", Status: 303, Problems: []int{422}}},
		{get, "/cases/:id", roles, caseRoles, s.casePage, doc{Tag: "ui", Summary: "案件详情：当事人、陈述、处理、建议的从重情节（网页）",
			Query: []param{{"done", "string", "statement|open|decision|close：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/cases/:id/persons/:person_id/statement", roles, caseRoles, s.statementForm, doc{Tag: "ui",
			Summary: "记录当事人的陈述和申辩（网页表单，字段 statement；R6.8）", Status: 303, Problems: []int{409, 422}}},
		{post, "/cases/:id/persons/:person_id/decision", roles, caseRoles, s.decideForm, doc{Tag: "ui",
			Summary: "作出处理决定（网页表单，字段 severity、outcome、penalty_yuan（元，最多两位小数）、agg/mit 及其 agg_ev_CODE/mit_ev_CODE 证据、note；R6.5–R6.8）", Status: 303, Problems: []int{409, 422}}},
		{post, "/cases/:id/close", roles, caseRoles, s.closeCaseForm, doc{Tag: "ui", Summary: "不予处理并结案（网页表单，字段 reason）", Status: 303, Problems: []int{409, 422}}},
		{get, "/patrols/:id", roles, patrolReaders, s.patrolPage, doc{Tag: "ui", Summary: "巡查计划详情：各站点及其状态，待检站点可直接开始检查（网页）", File: mimeHTML}},
		{get, "/patrols", roles, patrolReaders, s.patrolsPage, doc{Tag: "ui", Summary: "巡查计划及覆盖：计划、完成、漏检、待完成（网页）",
			Query: []param{{"page", "integer", "页码"}}, File: mimeHTML}},
	}
}
