package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/rectifications"
)

var (
	// rectReaders see the rectifications whose outlet lies in their subtree.
	rectReaders = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}
	// rectAnswerers are the branch managers, who alone give evidence (issue 4.6: "assigned
	// to the outlet's branch manager"); the office does not answer for a branch.
	rectAnswerers = []string{models.RoleManager}
	// rectJudges verify, reject and waive; the service also refuses the assignee (403).
	rectJudges = []string{models.RoleAdmin, models.RoleInspector}
)

// rectListParams filter the list and its export.
var rectListParams = []param{
	{"unit_id", "integer", "网点在该单位及其全部下级（须在管辖范围内）"},
	{"status", "string", "open|submitted|verified|waived|cancelled"},
	{"overdue", "boolean", "只列逾期的：待整改且到期日早于今天（北京时间）；已提交待核验的不算逾期"},
	{"critical", "boolean", "是否一票否决项"},
	{"from", "string", "起始日（YYYY-MM-DD，含当天，北京时间）"},
	{"to", "string", "截止日（YYYY-MM-DD，含当天）"},
	{"period_on", "string", "from/to 作用于 created（创建日，默认）或 due（到期日）"},
}

// rectificationRoutes are the rectifications (整改, R7.3) and their escalations: lists
// and export, evidence with photos, verification, rejection and waiver.
func (s *server) rectificationRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	const tag = "rectifications"
	return []route{
		{get, "/api/v1/rectifications", roles, rectReaders, s.listRectifications, doc{Tag: tag, Summary: "整改列表（网点在管辖范围内；到期早的在前）",
			Resp: models.List[rectifications.View]{}, Query: slices.Concat(rectListParams, pageParams)}},
		{get, "/api/v1/rectifications.xlsx", roles, rectReaders, s.downloadRectifications, doc{Tag: tag,
			Summary: "下载整改清单（.xlsx；status=open 为待整改清单，overdue=1 为逾期清单）", File: mimeXLSX, Query: rectListParams}},
		{get, "/api/v1/rectifications/:id", roles, rectReaders, s.getRectification, doc{Tag: tag, Summary: "整改详情：问题、时间线、整改照片、催办与上报记录",
			Resp: rectifications.Detail{}}},
		{post, "/api/v1/rectifications/:id/photos", roles, rectAnswerers, s.uploadRectificationPhoto, doc{Tag: tag,
			Summary: "上传整改照片（JPEG/PNG，按内容识别；大小上限见设置；仅待整改时）", Upload: "file", Resp: models.Photo{}, Status: 201, Problems: []int{409}}},
		{get, "/api/v1/rectifications/:id/photos/:photo", roles, rectReaders, s.downloadRectificationPhoto, doc{Tag: tag,
			Summary: "下载整改照片（附件形式）", File: "image/jpeg"}},
		{post, "/api/v1/rectifications/:id/submit", roles, rectAnswerers, s.submitRectification, doc{Tag: tag,
			Summary: "提交整改材料（待整改 → 待核验；须填说明并已上传至少一张照片；revision 过期返回 409）", Body: rectifications.EvidenceInput{}, Resp: rectifications.Detail{}, Problems: []int{409}}},
		{post, "/api/v1/rectifications/:id/verify", roles, rectJudges, s.verifyRectification, doc{Tag: tag,
			Summary: "核验通过（待核验 → 已核验；核验人不能是提交人或该分公司的经理）", Body: rectifications.VerifyInput{}, Resp: rectifications.Detail{}, Problems: []int{409}}},
		{post, "/api/v1/rectifications/:id/reject", roles, rectJudges, s.rejectRectification, doc{Tag: tag,
			Summary: "退回整改（待核验 → 待整改，须填原因；到期日不变）", Body: rectifications.ReasonInput{}, Resp: rectifications.Detail{}, Problems: []int{409}}},
		{post, "/api/v1/rectifications/:id/waive", roles, rectJudges, s.waiveRectification, doc{Tag: tag,
			Summary: "豁免整改（待整改 → 已豁免，须填原因；由管理员或市、省级稽核员批准）", Body: rectifications.ReasonInput{}, Resp: rectifications.Detail{}, Problems: []int{409}}},
		{get, "/api/v1/escalations", roles, rectReaders, s.listEscalations, doc{Tag: tag, Summary: "催办与上报记录（被通知单位在管辖范围内；新的在前）",
			Resp: models.List[rectifications.EscalationView]{}, Query: slices.Concat([]param{{"level", "string", "reminder|city|province"},
				{"unit_id", "integer", "被通知单位在该单位及其全部下级"},
				{"from", "string", "催办或上报日起（YYYY-MM-DD，含当天，北京时间）"}, {"to", "string", "催办或上报日止（YYYY-MM-DD，含当天）"}}, pageParams)}},
	}
}
