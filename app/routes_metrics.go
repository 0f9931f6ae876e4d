package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/metrics"
	"quality/models"
)

var (
	// metricReaders see the service metrics and their coverage in their subtree.
	metricReaders = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}
	// metricWriters enter and import them (the provincial office), in their subtree.
	metricWriters = adminOnly
)

var (
	metricRange = []param{{"unit_id", "integer", "该单位及其全部下级的县分公司（须在管辖范围内；默认：全部管辖范围）"},
		{"from", "string", "起始月份 YYYY-MM（含）；与 to 都不给时为截至本月的 12 个月"}, {"to", "string", "截止月份 YYYY-MM（含；默认本月），最多 120 个月"}}
	metricListQuery = slices.Concat([]param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"},
		{"from", "string", "起始月份 YYYY-MM（含）"}, {"to", "string", "截止月份 YYYY-MM（含）"}}, pageParams)
)

// metricRoutes are the service metrics of the county branches (R3–R5, issue 8): one
// row per branch and month, entered by PUT or imported from a workbook, exported, and
// their coverage. The fixed paths come before /:unit_id/:month.
func (s *server) metricRoutes() []route {
	get, post, put := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut
	return []route{
		{get, "/api/v1/service-metrics", roles, metricReaders, s.listServiceMetrics, doc{Tag: "metrics",
			Summary: "服务指标列表（县分公司每月一行；新月份在前，同月按单位编码）", Query: metricListQuery, Resp: models.List[metrics.View]{}, Problems: []int{422}}},
		{get, "/api/v1/service-metrics/import/template", roles, metricWriters, s.metricTemplate, doc{Tag: "metrics",
			Summary: "下载服务指标导入模板：管辖范围内每个县分公司一行（编码、名称已填），另附填写说明",
			Query:   []param{{"month", "string", "预填的月份 YYYY-MM（默认上月，不能晚于本月）"}}, File: mimeXLSX, Problems: []int{422}}},
		{post, "/api/v1/service-metrics/import", roles, metricWriters, s.importServiceMetrics, doc{Tag: "metrics",
			Summary: "导入服务指标（.xlsx）：逐行新建或整行替换该县分公司该月的数据；任一行有误则不写入；内容相同的行不作修改",
			Upload:  "file", Resp: metrics.ImportReport{}, Query: []param{{"dry_run", "boolean", "只检查，不写入"}}}},
		{get, "/api/v1/service-metrics/export", roles, metricReaders, s.exportServiceMetrics, doc{Tag: "metrics",
			Summary: "导出服务指标（.xlsx，与导入模板同列，可修改后直接导入）", Query: metricRange, File: mimeXLSX, Problems: []int{422}}},
		{get, "/api/v1/service-metrics/coverage", roles, metricReaders, s.serviceMetricCoverage, doc{Tag: "metrics",
			Summary: "各县分公司已报送的月份（按编码排列，缺报月份列出）", Query: metricRange, Resp: metrics.Coverage{}}},
		{get, "/api/v1/service-metrics/:unit_id/:month", roles, metricReaders, s.getServiceMetric, doc{Tag: "metrics",
			Summary: "某县分公司某月（YYYY-MM）的服务指标", Resp: metrics.View{}}},
		{put, "/api/v1/service-metrics/:unit_id/:month", roles, metricWriters, s.putServiceMetric, doc{Tag: "metrics",
			Summary: "新建或整行替换某县分公司某月的服务指标（各数量均必填；月份不能晚于本月；审计记录修改前后；内容相同时不写入）",
			Body:    metrics.Input{}, Resp: metrics.View{}}},

		// The page: the months loaded per branch, the template, the export, the import.
		{get, "/metrics", roles, metricReaders, s.metricsPage, doc{Tag: "ui", Summary: "服务指标：各县分公司已报送的月份、模板、导出与导入（网页）",
			Query: metricRange, File: mimeHTML}},
		{post, "/metrics/import", roles, metricWriters, s.metricsImportForm, doc{Tag: "ui",
			Summary: "导入服务指标（网页表单，multipart 字段 file、dry_run）；结果与逐行错误显示在页面上", Upload: "file", File: mimeHTML}},
	}
}
