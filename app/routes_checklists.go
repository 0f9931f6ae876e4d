package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/inspections"
	"quality/models"
)

var (
	// templateEditors write checklist templates; only those who see the whole province
	// (a city's inspector reads them, 403 on writes): templates are province-wide.
	templateEditors = []string{models.RoleAdmin, models.RoleInspector}
	// inspectionWriters start, fill, submit and reopen inspections in their scope.
	inspectionWriters = []string{models.RoleAdmin, models.RoleInspector}
	// inspectionReaders see inspections, findings and photos of their subtree.
	inspectionReaders = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}
)

var (
	inspectionParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"from", "string", "开始时间起（RFC 3339 或日期，含）"},
		{"to", "string", "开始时间止（不含）"}, {"status", "string", "draft|submitted"}, {"result", "string", "pass|fail|no_score"}, {"template", "string", "检查表编码"},
		{"inspector", "string", "me：只列本人的检查"}}
	findingParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"from", "string", "发现时间起（含）"}, {"to", "string", "发现时间止（不含）"},
		{"rule_ref", "string", "规则编号，如 R1.2"}, {"critical", "boolean", "只看（或排除）否决项"}, {"voided", "boolean", "只看（或排除）已作废"}}
)

// checklistRoutes are checklist templates (issue 4 point 1), inspections with photos
// (point 5) and the findings they make (R7.3); see inspectionRoutes.
func (s *server) checklistRoutes() []route {
	get, post, put, del := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete
	return []route{
		// Templates: every staff role reads the published ones; editors also drafts.
		{get, "/api/v1/checklist-templates", roles, staffRoles, s.listTemplates, doc{Tag: "checklists", Summary: "检查表模板（各版本；草稿仅省级编辑可见）",
			Resp: models.List[models.ChecklistTemplate]{}, Query: append([]param{{"code", "string", "检查表编码"}, {"status", "string", "draft|published|retired"}}, pageParams...)}},
		{get, "/api/v1/checklist-templates/:id", roles, staffRoles, s.getTemplate, doc{Tag: "checklists", Summary: "检查表模板的某一版本", Resp: models.ChecklistTemplate{}}},
		{post, "/api/v1/checklist-templates", roles, templateEditors, s.createTemplate, doc{Tag: "checklists", Summary: "新建检查表（第 1 版，草稿；仅省级）",
			Body: inspections.TemplateInput{}, Resp: models.ChecklistTemplate{}, Status: 201, Problems: []int{409}}},
		{put, "/api/v1/checklist-templates/:id", roles, templateEditors, s.editTemplate, doc{Tag: "checklists",
			Summary: "修改草稿（200）；对已发布或已停用的版本，内容成为下一版本的草稿（201），原版本不变", Body: inspections.TemplateInput{}, Resp: models.ChecklistTemplate{}, Problems: []int{409}}},
		{post, "/api/v1/checklist-templates/:id/publish", roles, templateEditors, s.publishTemplate, doc{Tag: "checklists",
			Summary: "发布草稿；同一检查表此前发布的版本随之停用", Resp: models.ChecklistTemplate{}, Problems: []int{409}}},
		{post, "/api/v1/checklist-templates/:id/retire", roles, templateEditors, s.retireTemplate, doc{Tag: "checklists",
			Summary: "停用已发布的版本（不能再开始检查，已有检查不变）", Resp: models.ChecklistTemplate{}, Problems: []int{409}}},

		// Inspections: inspectors (and admins) in their scope; managers read their subtree.
		{get, "/api/v1/inspections", roles, inspectionReaders, s.listInspections, doc{Tag: "inspections", Summary: "检查记录（管辖范围内）",
			Resp: models.List[models.Inspection]{}, Query: slices.Concat(inspectionParams, pageParams)}},
		{get, "/api/v1/inspections.xlsx", roles, inspectionReaders, s.downloadInspections, doc{Tag: "inspections", Summary: "导出检查记录（.xlsx）",
			Query: inspectionParams, File: mimeXLSX}},
		{post, "/api/v1/inspections", roles, inspectionWriters, s.startInspection, doc{Tag: "inspections",
			Summary: "开始检查（client_id 由设备生成：重复请求返回同一记录，200）", Body: inspections.StartInput{}, Resp: inspections.InspectionView{}, Status: 201, Problems: []int{409}}},
		{get, "/api/v1/inspections/:id", roles, inspectionReaders, s.getInspection, doc{Tag: "inspections", Summary: "检查详情：各项快照、答案、照片编号、问题", Resp: inspections.InspectionView{}}},
		{put, "/api/v1/inspections/:id/items/:key", roles, inspectionWriters, s.saveInspectionItem, doc{Tag: "inspections",
			Summary: "保存一项的答案（rev 须为该项当前版本号，否则 409）", Body: inspections.SaveItemInput{}, Resp: models.InspectionItem{}, Problems: []int{409}}},
		{post, "/api/v1/inspections/:id/items/:key/photos", roles, inspectionWriters, s.uploadInspectionPhoto, doc{Tag: "inspections",
			Summary: "上传一项的照片（JPEG/PNG，按内容识别；可带 captured_at）", Upload: "file", Resp: models.Photo{}, Status: 201, Problems: []int{409}}},
		{post, "/api/v1/inspections/:id/submit", roles, inspectionWriters, s.submitInspection, doc{Tag: "inspections",
			Summary: "提交检查：评分，每个不合格项生成问题和整改（重复提交结果不变）", Body: inspections.SubmitInput{}, Resp: inspections.InspectionView{}, Problems: []int{409}}},
		{post, "/api/v1/inspections/:id/reopen", roles, inspectionWriters, s.reopenInspection, doc{Tag: "inspections",
			Summary: "退回已提交的检查重填（须填原因；整改已推进或问题已立案时拒绝）", Body: inspections.ReasonInput{}, Resp: inspections.InspectionView{}, Problems: []int{409}}},
		{get, "/api/v1/photos/:id", roles, inspectionReaders, s.downloadPhoto, doc{Tag: "inspections", Summary: "下载照片（仅限管辖范围内）", File: "image/jpeg"}},

		// Findings: failed items of submitted inspections.
		{get, "/api/v1/findings", roles, inspectionReaders, s.listFindings, doc{Tag: "findings", Summary: "问题清单（管辖范围内）",
			Resp: models.List[models.Finding]{}, Query: slices.Concat(findingParams, pageParams)}},
		{get, "/api/v1/findings.xlsx", roles, inspectionReaders, s.downloadFindings, doc{Tag: "findings", Summary: "导出问题清单（.xlsx）", Query: findingParams, File: mimeXLSX}},
		{get, "/api/v1/findings/:id", roles, inspectionReaders, s.getFinding, doc{Tag: "findings", Summary: "问题详情", Resp: models.Finding{}}},
		{post, "/api/v1/findings/:id/void", roles, inspectionWriters, s.voidFinding, doc{Tag: "findings",
			Summary: "作废问题（须填原因）；未完成的整改随之取消", Body: inspections.ReasonInput{}, Resp: models.Finding{}, Problems: []int{409}}},
		{del, "/api/v1/findings/:id", roles, inspectionWriters, s.deleteFinding, doc{Tag: "findings",
			Summary: "删除问题：总是拒绝（409）——已被问责案件引用的只能作废，其余也请作废", Status: 204, Problems: []int{409}}},
	}
}
