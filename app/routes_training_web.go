package app

import "github.com/gofiber/fiber/v2"

// trainingPageRoutes are the web pages of the training side: the handbook to read and
// acknowledge, one's onboarding and courses, certificates, and the public check of a
// certificate. Forms post here and go back to their page (303), or show the refusal.
func (s *server) trainingPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/handbook", anyUser, nil, s.handbookPage, doc{Tag: "ui", Summary: "员工手册：阅读、确认；培训师、管理员和负责人另见覆盖率（网页）",
			Query: []param{{"level", "string", "覆盖率按该层级列单位：province|city|county|outlet"}}, File: mimeHTML}},
		{post, "/handbook/acknowledge", anyUser, nil, s.acknowledgeForm, doc{Tag: "ui", Summary: "确认已阅读现行手册（网页表单，字段 version_id）", Status: 303, Problems: []int{409, 422}}},
		{get, "/training", anyUser, nil, s.trainingPage, doc{Tag: "ui", Summary: "我的培训：入职进度、课程、签到（网页）",
			Query: []param{{"done", "string", "sign_in|complete：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/training/sign-in", anyUser, nil, s.signInForm, doc{Tag: "ui", Summary: "凭签到码签到（网页表单，字段 session_id、code）", Status: 303, Problems: []int{404, 409, 422}}},
		{post, "/training/courses/:id/complete", anyUser, nil, s.completeCourseForm, doc{Tag: "ui", Summary: "完成线上课程（网页表单）", Status: 303, Problems: []int{409}}},
		{get, "/onboarding/overdue", roles, staffRoles, s.onboardingOverduePage, doc{Tag: "ui", Summary: "入职培训逾期的新员工（网页，管辖范围内；可下载 .xlsx）",
			Query: []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		{get, "/certificates", anyUser, nil, s.certificatesPage, doc{Tag: "ui", Summary: "我的证书；管理员和负责人另见即将到期名单（网页）", File: mimeHTML}},
		{get, "/certificates/:id/print", anyUser, nil, s.certificatePrintPage, doc{Tag: "ui", Summary: "我的证书的打印页（A4；编号、持证人、日期、验证码和核验网址的二维码；他人的证书 404）", File: mimeHTML}},
		{get, "/verify", public, nil, s.verifyPage, doc{Tag: "ui", Summary: "证书核验（网页，无需登录）", Query: []param{{"code", "string", "证书验证码"}}, File: mimeHTML, Problems: []int{404}}},
	}
}
