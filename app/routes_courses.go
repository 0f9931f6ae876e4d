package app

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/training"
)

// courseEditors write courses, hold sessions and set the onboarding plan.
var courseEditors = []string{models.RoleAdmin, models.RoleTrainer}

// overdueParams filter the onboarding overdue list.
var overdueParams = []param{{"unit_id", "integer", "该单位及其全部下级（须在管辖范围内）"}}

// courseRoutes are courses, sessions with attendance, and the onboarding plan (R8.2–R8.4).
func (s *server) courseRoutes() []route {
	get, post, put := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut
	return []route{
		// Courses: everyone reads published ones; trainers and admins write and publish.
		{get, "/api/v1/courses", anyUser, nil, s.listCourses, doc{Tag: "courses", Summary: "课程列表（培训师和管理员也见草稿）", Resp: models.List[models.Course]{},
			Query: slices.Concat([]param{{"category", "string", "basics|etiquette|ethics|technical"}, {"mode", "string", "face_to_face|online"}}, pageParams)}},
		{get, "/api/v1/courses/:id", anyUser, nil, s.getCourse, doc{Tag: "courses", Summary: "课程详情及面授场次", Resp: training.CourseView{}}},
		{post, "/api/v1/courses", roles, courseEditors, s.createCourse, doc{Tag: "courses", Summary: "新建课程（草稿）", Body: training.CourseInput{}, Resp: models.Course{}, Status: 201}},
		{put, "/api/v1/courses/:id", roles, courseEditors, s.updateCourse, doc{Tag: "courses", Summary: "修改课程草稿；已发布的课程不能修改", Body: training.CourseInput{}, Resp: models.Course{}, Problems: []int{409}}},
		{post, "/api/v1/courses/:id/publish", roles, courseEditors, s.publishCourse, doc{Tag: "courses", Summary: "发布课程（须有资料）", Resp: models.Course{}, Problems: []int{409}}},
		{post, "/api/v1/courses/:id/sessions", roles, courseEditors, s.createSession, doc{Tag: "courses", Summary: "安排面授场次", Body: training.SessionInput{}, Resp: models.CourseSession{}, Status: 201}},
		{post, "/api/v1/courses/:id/complete", anyUser, nil, s.completeCourse, doc{Tag: "courses", Summary: "本人完成线上课程（重复提交返回首次记录）", Resp: models.Completion{}, Status: 201, Problems: []int{409}}},

		// Attendance of face-to-face sessions: marked by the trainer, or self sign-in with a short-lived code.
		{post, "/api/v1/sessions/:id/attendance", roles, courseEditors, s.markAttendance, doc{Tag: "courses", Summary: "培训师登记出勤（即完成课程）", Body: training.AttendanceInput{}, Resp: training.Attended{}, Status: 201}},
		{post, "/api/v1/sessions/:id/sign-in-code", roles, courseEditors, s.openSignIn, doc{Tag: "courses", Summary: "生成 6 位签到码（默认 10 分钟有效）", Body: training.CodeInput{}, Resp: training.SignInCode{}, Status: 201}},
		{post, "/api/v1/sessions/:id/sign-in", anyUser, nil, s.signIn, doc{Tag: "courses", Summary: "员工凭签到码签到", Body: training.SignInInput{}, Resp: training.Attended{}, Status: 201, Problems: []int{409}}},

		// Onboarding (R8.2): the plan, one's own progress, and who is overdue in one's scope.
		{get, "/api/v1/onboarding/plan", roles, staffRoles, s.getOnboardingPlan, doc{Tag: "onboarding", Summary: "新员工入职培训计划", Resp: training.PlanView{}}},
		{put, "/api/v1/onboarding/plan", roles, courseEditors, s.saveOnboardingPlan, doc{Tag: "onboarding", Summary: "修改入职培训计划（未给出的字段不变）", Body: training.PlanInput{}, Resp: training.PlanView{}}},
		{get, "/api/v1/me/onboarding", anyUser, nil, s.myOnboarding, doc{Tag: "onboarding", Summary: "本人的入职培训进度", Resp: training.OnboardingProgress{}, Problems: []int{409}}},
		{get, "/api/v1/onboarding/overdue", roles, staffRoles, s.listOverdue, doc{Tag: "onboarding", Summary: "逾期未完成入职培训的新员工（管辖范围内）",
			Resp: training.OverdueList{}, Query: slices.Concat(overdueParams, pageParams)}},
		{get, "/api/v1/onboarding/overdue.xlsx", roles, staffRoles, s.downloadOverdue, doc{Tag: "onboarding", Summary: "下载逾期名单（.xlsx）", Query: overdueParams, File: mimeXLSX}},
	}
}
