package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/patrols"
	"quality/policy"
)

var (
	// patrolPlanners make patrol plans (R7.3): admins for any inspector covering the
	// unit, inspectors for themselves; only the plan's own inspector (or an admin)
	// changes its stops.
	patrolPlanners = []string{models.RoleAdmin, models.RoleInspector}
	// patrolReaders see the plans and coverage of their subtree.
	patrolReaders = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}
)

var (
	patrolParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"inspector_id", "integer", "督导员（用户编号）"},
		{"from", "string", "与该日期（含）之后的周期有重叠"}, {"to", "string", "与该日期（含）之前的周期有重叠"}}
	coverageQuery = []param{{"unit_id", "integer", "该单位及其全部下级（默认：全部管辖范围）"}, {"from", "string", "应检日期起（YYYY-MM-DD，含，必填）"},
		{"to", "string", "应检日期止（YYYY-MM-DD，含，必填）"}}
)

// patrolRoutes are patrol plans and their coverage (issue 4 point 4) and the settings
// of the supervision side; see inspectionRoutes.
func (s *server) patrolRoutes() []route {
	get, post, put, del := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodDelete
	return []route{
		{get, "/api/v1/patrol-plans", roles, patrolReaders, s.listPatrolPlans, doc{Tag: "patrols", Summary: "巡查计划及其覆盖（计划、完成、漏检、待完成）",
			Resp: models.List[patrols.PlanView]{}, Query: slices.Concat(patrolParams, pageParams)}},
		{post, "/api/v1/patrol-plans", roles, patrolPlanners, s.createPatrolPlan, doc{Tag: "patrols",
			Summary: "新建巡查计划：督导员的管辖范围须覆盖计划单位；各营业厅的应检日期在周期内", Body: patrols.PlanInput{}, Resp: patrols.PlanView{}, Status: 201}},
		{get, "/api/v1/patrol-plans/:id", roles, patrolReaders, s.getPatrolPlan, doc{Tag: "patrols", Summary: "巡查计划详情（各站点状态）", Resp: patrols.PlanView{}}},
		{post, "/api/v1/patrol-plans/:id/stops", roles, patrolPlanners, s.addPatrolStops, doc{Tag: "patrols",
			Summary: "追加站点（周期未结束；应检日期不早于今天）", Body: patrols.StopsInput{}, Resp: patrols.PlanView{}}},
		{del, "/api/v1/patrol-plans/:id/stops/:stop_id", roles, patrolPlanners, s.removePatrolStop, doc{Tag: "patrols",
			Summary: "移除待完成的站点（已完成或已漏检的保留）", Resp: patrols.PlanView{}}},
		{get, "/api/v1/patrol-coverage", roles, patrolReaders, s.patrolCoverage, doc{Tag: "patrols",
			Summary: "按分公司统计巡查覆盖：应检日期在期间内的站点的计划、完成、漏检、待完成", Query: coverageQuery, Resp: patrols.CoverageReport{}}},
		{get, "/api/v1/patrol-coverage.xlsx", roles, patrolReaders, s.downloadPatrolCoverage, doc{Tag: "patrols", Summary: "导出巡查覆盖（.xlsx）",
			Query: coverageQuery, File: mimeXLSX}},

		// Settings of the supervision side: every staff role reads them; only an admin
		// over the whole province changes them.
		{get, "/api/v1/settings/inspections", roles, staffRoles, s.getInspectionSettings, doc{Tag: "settings",
			Summary: "督查设置：整改期限、陈述期、一年内重复的天数等（规则中的数字均为可改的默认值）", Resp: policy.Policy{}}},
		{put, "/api/v1/settings/inspections", roles, adminOnly, s.putInspectionSettings, doc{Tag: "settings",
			Summary: "修改督查设置（省级管理员；未给出的项保持不变；逐项校验范围；审计记录修改前后）", Body: policy.Input{}, Resp: policy.Policy{}}},
	}
}
