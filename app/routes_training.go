package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/training"
)

// handbookEditors write and publish the employee handbook.
var handbookEditors = []string{models.RoleAdmin, models.RoleTrainer}

// coverageParams filter handbook coverage and the pending list.
var coverageParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"position", "string", "window|installer|marketing|manager|other"}}

// trainingRoutes are the employee handbook (R8.1): versions, acknowledgements, coverage.
func (s *server) trainingRoutes() []route {
	get, post, put := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut
	return []route{
		// Everyone reads the current handbook and acknowledges it with their own employee.
		{get, "/api/v1/handbook", anyUser, nil, s.currentHandbook, doc{Tag: "handbook", Summary: "现行员工手册，及本人是否待确认", Resp: training.HandbookView{}}},
		{post, "/api/v1/handbook/acknowledgements", anyUser, nil, s.acknowledgeHandbook, doc{Tag: "handbook",
			Summary: "确认已阅读现行版本（须指明版本；重复确认返回首次记录）", Body: training.AckInput{}, Resp: models.Acknowledgement{}, Status: 201, Problems: []int{409}}},

		// Trainers and admins write drafts and publish them; published versions never change.
		{get, "/api/v1/handbook/versions", roles, handbookEditors, s.listHandbookVersions, doc{Tag: "handbook", Summary: "手册全部版本（新版本在前）",
			Resp: models.List[models.HandbookVersion]{}, Query: pageParams}},
		{get, "/api/v1/handbook/versions/:id", roles, handbookEditors, s.getHandbookVersion, doc{Tag: "handbook", Summary: "手册某一版本", Resp: models.HandbookVersion{}}},
		{post, "/api/v1/handbook/versions", roles, handbookEditors, s.createHandbookDraft, doc{Tag: "handbook", Summary: "新建手册草稿（版本号须高于已发布的最新版本）",
			Body: training.VersionInput{}, Resp: models.HandbookVersion{}, Status: 201, Problems: []int{409}}},
		{put, "/api/v1/handbook/versions/:id", roles, handbookEditors, s.updateHandbookDraft, doc{Tag: "handbook", Summary: "修改手册草稿；已发布的版本不能修改",
			Body: training.VersionInput{}, Resp: models.HandbookVersion{}, Problems: []int{409}}},
		{post, "/api/v1/handbook/versions/:id/publish", roles, handbookEditors, s.publishHandbook, doc{Tag: "handbook",
			Summary: "发布草稿并设为现行版本；主版本号变化时全体在岗员工须重新确认", Resp: models.HandbookVersion{}, Problems: []int{409}}},

		// Coverage and who is pending, cut to the caller's scope.
		{get, "/api/v1/handbook/coverage", roles, staffRoles, s.handbookCoverage, doc{Tag: "handbook", Summary: "确认覆盖率：按单位（含下级）和岗位，已确认/在岗人数",
			Resp: training.Coverage{}, Query: slices.Concat([]param{{"level", "string", "只列该层级的单位：province|city|county|outlet"}}, coverageParams)}},
		{get, "/api/v1/handbook/pending", roles, staffRoles, s.listHandbookPending, doc{Tag: "handbook", Summary: "尚未确认现行主版本的在岗员工",
			Resp: training.PendingList{}, Query: slices.Concat(coverageParams, pageParams)}},
		{get, "/api/v1/handbook/pending.xlsx", roles, staffRoles, s.downloadHandbookPending, doc{Tag: "handbook", Summary: "下载未确认名单（.xlsx）",
			Query: coverageParams, File: mimeXLSX}},
	}
}
