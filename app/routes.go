package app

import (
	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/org"
)

// access is who may call a route at all; scope then narrows what they see.
type access int

const (
	public  access = iota // no session needed
	anyUser               // any logged-in user; scope = all their grants
	roles                 // one of route.Roles; scope = the grants of those roles
	// owner is anyUser for a route whose handler acts only on the caller's own records,
	// found by the caller's employee id (an examinee's attempt): guard needs the session
	// but not the grants, so the exam-day autosave skips that query. Its scope is empty.
	owner
)

// route is one entry of the route table: what it serves, who may call it, and the
// facts the OpenAPI document is built from.
type route struct {
	Method  string
	Path    string
	Access  access
	Roles   []string
	Handler fiber.Handler
	Doc     doc
}

// doc describes a route for the OpenAPI document. The 4xx responses follow from the
// row (problemStatuses); Problems adds those only the handler knows of.
type doc struct {
	Tag      string
	Summary  string
	Query    []param
	Required []param // query parameters the request must carry
	Body     any     // request body type (JSON) or nil
	Upload   string  // multipart field name of an uploaded file
	Resp     any     // response body type (JSON) or nil
	File     string  // media type of a file response
	Status   int     // success status when not 200
	// Problems are 4xx statuses beyond those the row implies: 409 for a state or
	// duplicate conflict, 410, 429, or 404 and 422 from a handler that looks up or
	// checks what no path parameter or body shows.
	Problems []int
}

// param documents one query parameter.
type param struct{ Name, Type, Desc string }

var (
	pageParams = []param{{"page", "integer", "页码，从 1 开始"}, {"per_page", "integer", "每页条数，最多 200"}}
	staffRoles = []string{models.RoleAdmin, models.RoleManager, models.RoleTrainer, models.RoleInspector}
	rosterRole = []string{models.RoleAdmin, models.RoleManager}
	adminOnly  = []string{models.RoleAdmin}
)

// routeTable lists every route of the product, one area to a block.
func (s *server) routeTable() []route {
	get, post, put, patch, del := fiber.MethodGet, fiber.MethodPost, fiber.MethodPut, fiber.MethodPatch, fiber.MethodDelete
	routes := []route{
		// System.
		{get, "/healthz", public, nil, s.healthz, doc{Tag: "system", Summary: "进程存活检查"}},
		{get, "/readyz", public, nil, s.readyz, doc{Tag: "system", Summary: "数据库可用检查"}},
		{get, "/api/v1/openapi.json", public, nil, s.openAPI, doc{Tag: "system", Summary: "本接口文档（OpenAPI 3）"}},

		// Accounts.
		{post, "/api/v1/auth/login", public, nil, s.login, doc{Tag: "auth", Summary: "登录", Body: loginInput{}, Resp: meResponse{}, Problems: []int{401, 429}}},
		{post, "/api/v1/auth/logout", anyUser, nil, s.logout, doc{Tag: "auth", Summary: "退出登录", Status: 204}},
		{get, "/api/v1/me", anyUser, nil, s.me, doc{Tag: "auth", Summary: "当前用户、角色与 CSRF 令牌", Resp: meResponse{}}},
		{put, "/api/v1/me/password", anyUser, nil, s.changePassword, doc{Tag: "auth", Summary: "修改自己的密码", Body: passwordChange{}, Status: 204}},

		// Organisation (R3).
		{get, "/api/v1/org-units", anyUser, nil, s.listOrgUnits, doc{Tag: "org", Summary: "单位列表（管辖范围内）", Resp: models.List[models.OrgUnit]{},
			Query: append([]param{{"level", "string", "province|city|county|outlet"}, {"parent_id", "integer", "直属上级"}, {"under", "integer", "该单位及其全部下级"}, {"q", "string", "名称或编码包含"}}, pageParams...)}},
		{get, "/api/v1/org-units/tree", anyUser, nil, s.orgTree, doc{Tag: "org", Summary: "管辖范围内的单位树", Resp: []org.TreeNode{}}},
		{get, "/api/v1/org-units/:id", anyUser, nil, s.getOrgUnit, doc{Tag: "org", Summary: "单位详情", Resp: models.OrgUnit{}}},
		{post, "/api/v1/org-units", roles, adminOnly, s.createOrgUnit, doc{Tag: "org", Summary: "新建单位", Body: org.UnitInput{}, Resp: models.OrgUnit{}, Status: 201, Problems: []int{409}}},
		{patch, "/api/v1/org-units/:id", roles, adminOnly, s.updateOrgUnit, doc{Tag: "org", Summary: "修改或移动单位", Body: org.UnitPatch{}, Resp: models.OrgUnit{}, Problems: []int{409}}},
		{del, "/api/v1/org-units/:id", roles, adminOnly, s.deleteOrgUnit, doc{Tag: "org", Summary: "删除没有下级和员工的单位", Status: 204, Problems: []int{409}}},

		// Employees.
		{get, "/api/v1/employees", roles, staffRoles, s.listEmployees, doc{Tag: "employees", Summary: "员工列表（搜索、分页）", Resp: models.List[models.Employee]{},
			Query: append([]param{{"q", "string", "姓名或工号包含"}, {"unit_id", "integer", "该单位及其下级"}, {"position", "string", "window|installer|marketing|manager|other"},
				{"status", "string", "active|on_leave|left"}, {"sort", "string", "job_number|-job_number|name|-name|hire_date|-hire_date"}}, pageParams...)}},
		{get, "/api/v1/employees/import/template", roles, rosterRole, s.rosterTemplate, doc{Tag: "employees", Summary: "下载员工名册导入模板", File: mimeXLSX}},
		{post, "/api/v1/employees/import", roles, rosterRole, s.importRoster, doc{Tag: "employees", Summary: "导入员工名册（.xlsx）；任一行有误则不写入",
			Upload: "file", Resp: org.ImportReport{}, Query: []param{{"dry_run", "boolean", "只检查，不写入"}}}},
		{get, "/api/v1/employees/:id", roles, staffRoles, s.getEmployee, doc{Tag: "employees", Summary: "员工详情", Resp: models.Employee{}}},
		{post, "/api/v1/employees", roles, rosterRole, s.createEmployee, doc{Tag: "employees", Summary: "新建员工", Body: org.EmployeeInput{}, Resp: models.Employee{}, Status: 201, Problems: []int{409}}},
		{patch, "/api/v1/employees/:id", roles, rosterRole, s.updateEmployee, doc{Tag: "employees", Summary: "修改员工", Body: org.EmployeePatch{}, Resp: models.Employee{}, Problems: []int{409}}},
		{del, "/api/v1/employees/:id", roles, rosterRole, s.deleteEmployee, doc{Tag: "employees", Summary: "删除没有账号的员工（离职请改状态）", Status: 204, Problems: []int{409}}},

		// Users.
		{get, "/api/v1/users", roles, adminOnly, s.listUsers, doc{Tag: "users", Summary: "用户列表", Resp: models.List[models.User]{},
			Query: append([]param{{"q", "string", "用户名或姓名包含"}, {"role", "string", "admin|trainer|inspector|manager|employee"}}, pageParams...)}},
		{get, "/api/v1/users/:id", roles, adminOnly, s.getUser, doc{Tag: "users", Summary: "用户详情", Resp: models.User{}}},
		{post, "/api/v1/users", roles, adminOnly, s.createUser, doc{Tag: "users", Summary: "新建用户", Body: accounts.UserInput{}, Resp: models.User{}, Status: 201, Problems: []int{409}}},
		{patch, "/api/v1/users/:id", roles, adminOnly, s.updateUser, doc{Tag: "users", Summary: "修改用户（停用、角色）", Body: accounts.UserPatch{}, Resp: models.User{}}},
		{put, "/api/v1/users/:id/password", roles, adminOnly, s.resetPassword, doc{Tag: "users", Summary: "重置用户密码（结束其全部会话）", Body: passwordReset{}, Status: 204}},

		// Web UI (server-rendered, Chinese by default).
		{get, "/", anyUser, nil, s.homePage, doc{Tag: "ui", Summary: "首页（网页）", File: mimeHTML}},
		{get, "/login", public, nil, s.loginPage, doc{Tag: "ui", Summary: "登录页（网页）", File: mimeHTML}},
		{post, "/login", public, nil, s.loginForm, doc{Tag: "ui", Summary: "登录表单提交（网页）", Status: 303, Problems: []int{401}}},
		{post, "/logout", anyUser, nil, s.logoutForm, doc{Tag: "ui", Summary: "退出（网页）", Status: 303}},
		{get, "/lang", public, nil, s.setLanguage, doc{Tag: "ui", Summary: "切换界面语言", Query: []param{{"to", "string", "zh-CN|en"}}, Status: 303}},
		{get, "/static/app.css", public, nil, s.asset("app.css", "text/css; charset=utf-8"), doc{Tag: "ui", Summary: "样式表", File: "text/css"}},
		{get, "/static/app.js", public, nil, s.asset("app.js", "text/javascript; charset=utf-8"), doc{Tag: "ui", Summary: "每页的脚本：手机上列表变卡片（可选）", File: "text/javascript"}},
		{get, "/static/favicon.svg", public, nil, s.asset("favicon.svg", "image/svg+xml"), doc{Tag: "ui", Summary: "网站图标", File: "image/svg+xml"}},
		{get, "/static/license.txt", public, nil, s.asset("license.txt", "text/plain; charset=utf-8"), doc{Tag: "system", Summary: "许可说明（OpenAPI 文档 info.license 指向此处）", File: "text/plain"}},
		{get, "/favicon.ico", public, nil, s.asset("favicon.svg", "image/svg+xml"), doc{Tag: "ui", Summary: "网站图标（浏览器默认请求的地址，SVG）", File: "image/svg+xml"}},
		{get, "/org", anyUser, nil, s.orgPage, doc{Tag: "ui", Summary: "组织机构树，按编码排序（网页；管理员可从中修改各单位）", File: mimeHTML}},
		{get, "/org/:id", roles, adminOnly, s.orgUnitPage, doc{Tag: "ui", Summary: "修改单位：用户数、城区或农村、地址、电话、营业厅位置（网页表单）",
			Query: []param{{"done", "string", "saved：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/org/:id", roles, adminOnly, s.orgUnitEditForm, doc{Tag: "ui", Summary: "修改单位（网页表单，与 PATCH /api/v1/org-units/{id} 同一校验与审计）；不通过时在字段旁说明", Status: 303, Problems: []int{422}}},
		{get, "/employees", roles, staffRoles, s.employeesPage, doc{Tag: "ui", Summary: "员工列表（网页）", File: mimeHTML, Problems: []int{404}}},
		{get, "/employees/import", roles, rosterRole, s.importPage, doc{Tag: "ui", Summary: "名册导入（网页）", File: mimeHTML}},
		{post, "/employees/import", roles, rosterRole, s.importForm, doc{Tag: "ui", Summary: "名册导入提交（网页）", Upload: "file", File: mimeHTML}},
		// After /employees/import, which :id would otherwise take.
		{get, "/employees/:id", roles, staffRoles, s.employeePage, doc{Tag: "ui", Summary: "员工档案：单位、岗位、入职、手册确认、课程、考试、证书、问责（网页，管辖范围内）", File: mimeHTML}},
		{post, "/employees/:id", roles, rosterRole, s.employeeEditForm, doc{Tag: "ui", Summary: "修改员工（网页表单，与 PATCH /api/v1/employees/{id} 同一校验与审计）；不通过时在字段旁说明", Status: 303, Problems: []int{422}}},
		{get, "/audit", roles, adminOnly, s.auditPage, doc{Tag: "ui", Summary: "审计日志（网页）：按操作人、对象类型、动作和日期筛选", File: mimeHTML,
			Query: append([]param{{"actor", "string", "操作人的用户名"}, {"entity", "string", "对象类型"}, {"entity_id", "string", "对象编号"}, {"action", "string", "动作"},
				{"from", "string", "起始日期（北京时间，含）"}, {"to", "string", "截止日期（北京时间，含当天）"}}, pageParams...)}},

		// Audit log.
		{get, "/api/v1/audit-events", roles, adminOnly, s.listAuditEvents, doc{Tag: "audit", Summary: "审计日志", Resp: models.List[models.AuditEvent]{},
			Query: append([]param{{"actor_id", "integer", "操作人"}, {"actor", "string", "操作人的用户名（system：系统）"}, {"action", "string", "动作"},
				{"entity", "string", "对象类型"}, {"entity_id", "string", "对象编号"},
				{"from", "string", "起（RFC 3339 或日期，日期按北京时间）"}, {"to", "string", "止（不含；RFC 3339 或日期）"}}, pageParams...)}},
	}
	// One file per area beyond the foundation.
	routes = append(routes, s.examRoutes()...)
	routes = append(routes, s.trainingRoutes()...)
	routes = append(routes, s.certificateRoutes()...)
	routes = append(routes, s.courseRoutes()...)
	routes = append(routes, s.trainingPageRoutes()...)
	routes = append(routes, s.trainerPageRoutes()...)
	routes = append(routes, s.inspectionRoutes()...)
	routes = append(routes, s.supervisionPageRoutes()...)
	routes = append(routes, s.checklistPageRoutes()...)
	routes = append(routes, s.rankingRoutes()...)
	routes = append(routes, s.metricRoutes()...)
	routes = append(routes, s.rankingPageRoutes()...)
	routes = append(routes, s.adminPageRoutes()...)
	return routes
}

const mimeHTML = "text/html"

const mimeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
