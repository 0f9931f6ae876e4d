package app

import "github.com/gofiber/fiber/v2"

// adminPageRoutes are the admins' pages for users and their grants. They admit the
// roles of the users API (admins) and call the same accounts service, so every write
// is audited as the API's is; a refused form is shown again beside its fields.
func (s *server) adminPageRoutes() []route {
	get, post := fiber.MethodGet, fiber.MethodPost
	return []route{
		{get, "/users", roles, adminOnly, s.usersPage, doc{Tag: "ui", Summary: "用户列表：角色与授权、是否停用（网页）",
			Query: []param{{"q", "string", "用户名或显示名包含"}, {"role", "string", "admin|trainer|inspector|manager|employee"},
				{"status", "string", "active|disabled"}, {"page", "integer", "页码"}}, File: mimeHTML}},
		// Before /users/:id, which would otherwise take "new" for an id.
		{get, "/users/new", roles, adminOnly, s.newUserPage, doc{Tag: "ui", Summary: "为员工新建用户（网页表单）",
			Query: []param{{"job_number", "string", "预填的员工工号"}}, File: mimeHTML}},
		{post, "/users/new", roles, adminOnly, s.createUserForm, doc{Tag: "ui", Summary: "新建用户（网页表单提交：工号、用户名、初始密码、首个角色与单位）；不通过时在字段旁说明", Status: 303, Problems: []int{409, 422}}},
		{get, "/users/:id", roles, adminOnly, s.userPage, doc{Tag: "ui", Summary: "用户详情：授权、撤销、停用与启用、重置密码（网页）",
			Query: []param{{"done", "string", "created|granted|revoked|disabled|enabled|password：提示刚完成的操作"}}, File: mimeHTML}},
		{post, "/users/:id/grants", roles, adminOnly, s.addGrantForm, doc{Tag: "ui", Summary: "授予角色（网页表单：role、org_unit_id）", Status: 303, Problems: []int{422}}},
		{post, "/users/:id/grants/revoke", roles, adminOnly, s.revokeGrantForm, doc{Tag: "ui", Summary: "撤销一项授权（网页表单：role、org_unit_id）", Status: 303, Problems: []int{422}}},
		{post, "/users/:id/status", roles, adminOnly, s.userStatusForm, doc{Tag: "ui", Summary: "停用或启用用户（网页表单：disabled=true|false）；停用即结束其全部会话", Status: 303, Problems: []int{422}}},
		{post, "/users/:id/password", roles, adminOnly, s.resetPasswordForm, doc{Tag: "ui", Summary: "重置用户密码（网页表单）；结束其全部会话", Status: 303, Problems: []int{422}}},
	}
}
