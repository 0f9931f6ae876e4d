package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/models"
)

// caseRoles read and act on accountability cases (R6) in their subtree: the provincial
// office and inspectors as the supervision body, managers as the superior of their
// branch's staff (R6.4). Cases are sensitive: trainers and employees never see them.
// Nobody records a statement for, decides on or closes a case about themselves.
var caseRoles = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}

// caseParams filter the case list and its export.
var caseParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"from", "string", "立案时间起（RFC 3339 或日期，含）"},
	{"to", "string", "立案时间止（不含）"}, {"status", "string", "open|decided|closed"},
	{"awaiting_statement", "boolean", "只列待记录陈述的未结案件（有当事人既无陈述也未处理，R6.8）"}}

// caseRoutes are accountability cases (issue 4 point 7); see inspectionRoutes.
func (s *server) caseRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/api/v1/cases", roles, caseRoles, s.listCases, doc{Tag: "cases", Summary: "问责案件（管辖范围内，新案在前）",
			Resp: models.List[accountability.CaseRow]{}, Query: slices.Concat(caseParams, pageParams)}},
		{get, "/api/v1/cases.xlsx", roles, caseRoles, s.downloadCases, doc{Tag: "cases", Summary: "导出问责案件及当事人处理（.xlsx）",
			Query: caseParams, File: mimeXLSX}},
		{post, "/api/v1/cases", roles, caseRoles, s.openCase, doc{Tag: "cases",
			Summary: "立案：来自检查发现或客户投诉；当事人须在案件单位及其下级；陈述期按设置的工作日计算（R6.8）",
			Body:    accountability.OpenInput{}, Resp: models.AccountabilityCase{}, Status: 201}},
		{get, "/api/v1/cases/:id", roles, caseRoles, s.getCase, doc{Tag: "cases",
			Summary: "案件详情：当事人、陈述、处理；未处理的当事人附系统建议的从重情节（一年内两次以上，R6.6）", Resp: accountability.CaseView{}}},
		{post, "/api/v1/cases/:id/persons/:person_id/statement", roles, caseRoles, s.recordStatement, doc{Tag: "cases",
			Summary: "记录当事人的陈述和申辩（R6.8；每人一次，记录人即听取人）", Body: accountability.StatementInput{}, Resp: models.CasePerson{}, Problems: []int{409}}},
		{post, "/api/v1/cases/:id/persons/:person_id/decision", roles, caseRoles, s.decideCase, doc{Tag: "cases",
			Summary: "作出处理决定（R6.5–R6.7）；陈述未记录且陈述期未满时拒绝（409）；决定不可更改", Body: accountability.DecisionInput{}, Resp: models.CasePerson{}, Problems: []int{409}}},
		{post, "/api/v1/cases/:id/close", roles, caseRoles, s.closeCase, doc{Tag: "cases", Summary: "不予处理并结案（须说明理由）",
			Body: accountability.CloseInput{}, Resp: models.AccountabilityCase{}, Problems: []int{409}}},
	}
}
