package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/reports"
)

// rankingReaders see the rankings: a ranking is circulated (通报) to every admin,
// inspector and manager; the rows behind it follow their scope. Employees and trainers
// see none (403).
var rankingReaders = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}

var (
	periodParam = param{"period", "string", "期间：2026-09（月）、2026-Q3（季）、2026-H1（半年）、2026（年），北京时间；默认上一个已结束的季度"}
	rankQuery   = []param{periodParam, {"level", "string", "city（市公司）或 county（县分公司，默认）"}}
)

// rankingRoutes are the ranking (issue 8): the JSON ranking, one branch's explanation,
// the workbook (a job, or synchronously for scripts) and the ranking's settings.
func (s *server) rankingRoutes() []route {
	get, post, put := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut
	const tag = "rankings"
	return []route{
		{get, "/api/v1/rankings", roles, rankingReaders, s.getRanking, doc{Tag: tag,
			Summary: "服务水平排名：各单位综合得分、名次、与上期比较、七个维度（无数据为 null）、扣分与标记；未结束的期间按截至当前的数据（in_progress、cut_off）",
			Query:   rankQuery, Resp: reports.Ranking{}}},
		{get, "/api/v1/rankings/export", roles, rankingReaders, s.downloadRanking, doc{Tag: tag,
			Summary: "同步下载排名工作簿（服务水平排名_期间.xlsx；明细表限于管辖范围），供脚本使用", Query: rankQuery, File: mimeXLSX}},
		{post, "/api/v1/rankings/exports", roles, rankingReaders, s.requestRankingExport, doc{Tag: tag,
			Summary: "生成排名工作簿（后台任务）：返回 202 与任务编号；同一期间与层级已在排队或生成中时返回该任务", Body: reports.ExportInput{},
			Resp: exportView{}, Status: 202}},
		{get, "/api/v1/rankings/exports/:id", roles, rankingReaders, s.getRankingExport, doc{Tag: tag,
			Summary: "工作簿任务的状态与进度（已写行数 / 预计行数）；完成后给出下载地址。只能查看自己的任务", Resp: exportView{}}},
		{get, "/api/v1/rankings/exports/:id/file", roles, rankingReaders, s.downloadRankingExport, doc{Tag: tag,
			Summary: "下载已生成的工作簿（未完成 409；超过保留天数已删除 410）", File: mimeXLSX, Problems: []int{409, 410}}},
		// /rankings/units/{unit_id}, not /rankings/{unit_id}/explain, which OpenAPI tools
		// cannot tell apart from /rankings/exports/{id}.
		{get, "/api/v1/rankings/units/:unit_id", roles, rankingReaders, s.explainRanking, doc{Tag: tag,
			Summary: "某市公司或县分公司（须在管辖范围内）本期排名行及其背后的每一条记录和贡献", Query: []param{periodParam}, Resp: reports.Explanation{}}},

		{get, "/api/v1/settings/ranking", roles, staffRoles, s.getRankingSettings, doc{Tag: "settings",
			Summary: "排名设置：权重、扣分分值与上限、参与排名的权重下限、样本下限、装维人员服务户数标准、工作簿保留天数", Resp: reports.Settings{}}},
		{put, "/api/v1/settings/ranking", roles, adminOnly, s.putRankingSettings, doc{Tag: "settings",
			Summary: "修改排名设置（省级管理员；权重为整数且合计 100；未给出的项不变；审计记录修改前后）", Body: reports.SettingsInput{}, Resp: reports.Settings{}}},
	}
}
