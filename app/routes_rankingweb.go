package app

import (
	"github.com/gofiber/fiber/v2"
)

// rankingPageRoutes are the ranking's web pages (issue 8, part 7): the table with its
// chart and the workbook's button, the progress of that workbook, one branch's
// explanation and the settings form. They call the services the JSON API calls.
func (s *server) rankingPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/rankings", roles, rankingReaders, s.rankingsPage, doc{Tag: "ui",
			Summary: "服务水平排名（网页）：期间与层级、排名表（七个维度、扣分、标记、名次变化）、综合得分条形图、生成工作簿",
			Query:   rankQuery, File: mimeHTML}},
		{post, "/rankings/exports", roles, rankingReaders, s.rankingExportForm, doc{Tag: "ui",
			Summary: "生成排名工作簿（网页表单，字段 period、level）：开始后台任务并转到其进度页", Status: 303, Problems: []int{422}}},
		{get, "/rankings/exports/:id", roles, rankingReaders, s.rankingExportPage, doc{Tag: "ui",
			Summary: "工作簿任务的进度（网页；排队或生成中每 2 秒刷新），完成后给出下载链接。只能查看自己的任务", File: mimeHTML}},
		{get, "/rankings/:unit_id", roles, rankingReaders, s.rankingExplainPage, doc{Tag: "ui",
			Summary: "某市公司或县分公司（须在管辖范围内）本期排名行及其背后的记录（网页）", Query: []param{periodParam}, File: mimeHTML}},
		{get, "/settings/ranking", roles, staffRoles, s.rankingSettingsPage, doc{Tag: "ui",
			Summary: "排名设置（网页）：省级管理员可修改，其他人只读", File: mimeHTML}},
		{post, "/settings/ranking", roles, adminOnly, s.rankingSettingsForm, doc{Tag: "ui",
			Summary: "修改排名设置（网页表单，省级管理员）：有误时逐项显示原因；成功后转回设置页", Status: 303, Problems: []int{422}}},
	}
}
