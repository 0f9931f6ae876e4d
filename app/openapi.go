package app

import (
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

var pathParamRE = regexp.MustCompile(`:([A-Za-z_]+)`)

// openAPIPath turns a Fiber path (`/x/:id`) into an OpenAPI one (`/x/{id}`).
func openAPIPath(p string) string { return pathParamRE.ReplaceAllString(p, "{$1}") }

func (s *server) openAPI(c *fiber.Ctx) error {
	return c.JSON(s.openAPIDocument())
}

// openAPIDocument builds the OpenAPI 3 document from the route table, so the two
// cannot drift apart; a test checks that every registered route is in it.
func (s *server) openAPIDocument() map[string]any {
	schemas := map[string]any{}
	paths := map[string]map[string]any{}
	used := map[string]int{} // problem responses the operations name, with their status
	for _, r := range s.routes {
		op := map[string]any{
			"summary":     r.Doc.Summary,
			"tags":        []string{r.Doc.Tag},
			"operationId": strings.ToLower(r.Method) + strings.NewReplacer("/", "_", ":", "", "-", "_", ".", "_").Replace(r.Path),
		}
		var params []map[string]any
		for _, m := range pathParamRE.FindAllStringSubmatch(r.Path, -1) {
			schema := map[string]any{"type": "string"}
			if isIDParam(m[1]) {
				schema = map[string]any{"type": "integer", "minimum": 1}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
		}
		for _, q := range r.Doc.Required {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "required": true, "description": q.Desc, "schema": map[string]any{"type": q.Type}})
		}
		for _, q := range r.Doc.Query {
			params = append(params, map[string]any{"name": q.Name, "in": "query", "description": q.Desc, "schema": map[string]any{"type": q.Type}})
		}
		if len(params) > 0 {
			op["parameters"] = params
		}
		switch {
		case r.Doc.Body != nil:
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{
				"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.Doc.Body), schemas)}}}
		case r.Doc.Upload != "":
			op["requestBody"] = map[string]any{"required": true, "content": map[string]any{"multipart/form-data": map[string]any{"schema": map[string]any{
				"type": "object", "required": []string{r.Doc.Upload},
				"properties": map[string]any{r.Doc.Upload: map[string]any{"type": "string", "format": "binary"}}}}}}
		}
		status := r.Doc.Status
		if status == 0 {
			status = 200
		}
		okResp := map[string]any{"description": "成功"}
		switch {
		case r.Doc.Resp != nil:
			okResp["content"] = map[string]any{"application/json": map[string]any{"schema": schemaOf(reflect.TypeOf(r.Doc.Resp), schemas)}}
		case r.Doc.File != "":
			okResp["content"] = map[string]any{r.Doc.File: map[string]any{"schema": map[string]any{"type": "string", "format": "binary"}}}
		}
		responses := map[string]any{strconv.Itoa(status): okResp, "default": map[string]any{"$ref": "#/components/responses/Problem"}}
		page := isPagePath(r.Path)
		if page && r.Access != public && r.Method == fiber.MethodGet && status != fiber.StatusSeeOther {
			// pageError sends a GET without a session to the login form instead of a 401.
			responses["303"] = map[string]any{"description": "未登录：转到登录页（Location: /login?next=…）"}
		}
		for _, code := range problemStatuses(r) {
			name := problemResponses[code].Name
			if page {
				name += "Page"
			}
			used[name] = code
			responses[strconv.Itoa(code)] = map[string]any{"$ref": "#/components/responses/" + name}
		}
		op["responses"] = responses
		switch r.Access {
		case public:
			op["security"] = []any{}
		case roles:
			op["x-roles"] = r.Roles
		case anyUser, owner:
			op["x-roles"] = models.Roles
		}
		p := openAPIPath(r.Path)
		if paths[p] == nil {
			paths[p] = map[string]any{}
		}
		paths[p][strings.ToLower(r.Method)] = op
	}
	schemas["Problem"] = schemaOf(reflect.TypeOf(Problem{}), schemas)
	problemJSON := map[string]any{"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}
	responses := map[string]any{"Problem": map[string]any{"description": "错误（RFC 9457）", "content": problemJSON}}
	for name, code := range used {
		content := problemJSON
		if strings.HasSuffix(name, "Page") {
			// The web UI shows the same title and field messages as an HTML page.
			content = map[string]any{mimeHTML: map[string]any{"schema": map[string]any{"type": "string"}}}
		}
		responses[name] = map[string]any{"description": problemResponses[code].Desc, "content": content}
	}
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "quality — 服务质量稽核与培训考核平台", "version": Version,
			"description": "会话保存在 HttpOnly Cookie `quality_session` 中。对带会话的非安全请求（POST、PUT、PATCH、DELETE），须在请求头 `X-Csrf-Token` 中回传本会话的令牌，即 Cookie `csrf_` 的值（登录响应和 GET /api/v1/me 的 `csrf_token` 字段也给出它；令牌只对签发它的会话有效，不接受查询参数）。带 `Origin`（或 `Referer`）的非安全请求须来自配置的公开地址 QUALITY_PUBLIC_URL。错误为 RFC 9457 application/problem+json。",
			"license":     apiLicense},
		// Relative: the document is served by the server it describes, whatever its address.
		"servers": []any{map[string]any{"url": "/", "description": "提供本文档的服务器"}},
		"paths":   paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie}},
			"responses":       responses,
		},
		"security": []any{map[string]any{"session": []string{}}},
	}
}

// apiLicense is the document's info.license: the product is published under no licence,
// which static/license.txt says in so many words. Relative, like servers.
var apiLicense = map[string]any{"name": "Proprietary (all rights reserved)", "url": "/static/license.txt"}

// isIDParam reports whether a path parameter is a record id (a positive integer; pathID
// and friends answer 400 for anything else); other parameters are text.
func isIDParam(name string) bool { return name == "id" || name == "question" || name == "unit_id" }

// isUnitFilter reports whether a query parameter narrows a list to an org unit, which
// answers 404 when the unit is missing or outside the caller's scope.
func isUnitFilter(name string) bool {
	return name == "unit_id" || name == "parent_id" || name == "under"
}

// problemResponses names and describes each 4xx response the document lists.
var problemResponses = map[int]struct{ Name, Desc string }{
	fiber.StatusBadRequest:            {"BadRequest", "请求格式错误：JSON 无法解析或其后还有内容，或查询、路径参数无效（errors 逐项说明）"},
	fiber.StatusUnauthorized:          {"Unauthorized", "未登录、会话已结束，或用户名与密码不符"},
	fiber.StatusForbidden:             {"Forbidden", "角色无权访问，或带会话的写请求没有有效的 CSRF 令牌"},
	fiber.StatusNotFound:              {"NotFound", "对象不存在，或不在调用者的管辖范围内"},
	fiber.StatusConflict:              {"Conflict", "与现有数据或当前状态冲突（如重复的编号、已提交或已结束的记录）"},
	fiber.StatusGone:                  {"Gone", "已超过保留期并删除"},
	fiber.StatusRequestEntityTooLarge: {"ContentTooLarge", "请求体超过服务器的上限（12 MB）"},
	fiber.StatusUnsupportedMediaType:  {"UnsupportedMediaType", "请求体须为 application/json"},
	fiber.StatusUnprocessableEntity:   {"UnprocessableEntity", "校验未通过（errors 逐字段说明，导入文件的 rows 逐行说明）"},
	fiber.StatusTooManyRequests:       {"TooManyRequests", "尝试过多，Retry-After 秒后再试"},
}

// problemStatuses are the 4xx statuses a route answers, in order: those its row implies
// (every request → 413 beyond the body limit; a session → 401; roles, or a write with a
// session and so a CSRF check → 403; an id in the path → 400 and 404; other path
// parameters → 404; query parameters → 400, and a unit filter 404 too; a JSON body →
// 400, 415, 422; an upload → 422) and the handler's own Doc.Problems.
func problemStatuses(r route) []int {
	// Every request is refused beyond the body limit, before routing (fiber.Config.BodyLimit).
	set := map[int]bool{fiber.StatusRequestEntityTooLarge: true}
	page := isPagePath(r.Path)
	unsafe := r.Method != fiber.MethodGet && r.Method != fiber.MethodHead
	if r.Access != public && (unsafe || !page) {
		set[fiber.StatusUnauthorized] = true
	}
	if r.Access == roles || unsafe {
		set[fiber.StatusForbidden] = true
	}
	for _, m := range pathParamRE.FindAllStringSubmatch(r.Path, -1) {
		set[fiber.StatusNotFound] = true
		if isIDParam(m[1]) {
			set[fiber.StatusBadRequest] = true
		}
	}
	for _, q := range slices.Concat(r.Doc.Required, r.Doc.Query) {
		set[fiber.StatusBadRequest] = true
		if isUnitFilter(q.Name) {
			set[fiber.StatusNotFound] = true
		}
	}
	if r.Doc.Body != nil {
		set[fiber.StatusBadRequest], set[fiber.StatusUnsupportedMediaType], set[fiber.StatusUnprocessableEntity] = true, true, true
	}
	if r.Doc.Upload != "" {
		set[fiber.StatusUnprocessableEntity] = true
	}
	for _, code := range r.Doc.Problems {
		set[code] = true
	}
	out := make([]int, 0, len(set))
	for code := range set {
		out = append(out, code)
	}
	slices.Sort(out)
	return out
}

var (
	timeType = reflect.TypeOf(time.Time{})
	dateType = reflect.TypeOf(models.Date{})
)

// schemaOf describes a Go type as a JSON schema, naming structs in schemas.
func schemaOf(t reflect.Type, schemas map[string]any) map[string]any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == timeType:
		return map[string]any{"type": "string", "format": "date-time"}
	case t == dateType:
		return map[string]any{"type": "string", "format": "date", "nullable": true}
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return map[string]any{"type": "integer"}
	case reflect.Float32, reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Slice, reflect.Array:
		return map[string]any{"type": "array", "items": schemaOf(t.Elem(), schemas)}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": schemaOf(t.Elem(), schemas)}
	case reflect.Interface:
		return map[string]any{}
	case reflect.Struct:
		name := schemaName(t)
		if _, done := schemas[name]; !done {
			schemas[name] = map[string]any{} // placeholder breaks recursion
			props := map[string]any{}
			addFields(t, props, schemas)
			schemas[name] = map[string]any{"type": "object", "properties": props}
		}
		return map[string]any{"$ref": "#/components/schemas/" + name}
	}
	return map[string]any{}
}

func addFields(t reflect.Type, props map[string]any, schemas map[string]any) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" {
			continue
		}
		if f.Anonymous && name == "" {
			addFields(f.Type, props, schemas)
			continue
		}
		if name == "" {
			name = f.Name
		}
		schema := schemaOf(f.Type, schemas)
		// The bound models.CheckLists enforces on a request body's list, so clients see it.
		if b, ok := models.ParseListBound(f.Tag); ok {
			schema["maxItems"] = b.Max
			if b.Dedupe {
				schema["description"] = "重复的值只计一次（先去重，再与 maxItems 比较）"
			}
		}
		props[name] = schema
	}
}

var schemaNameRE = regexp.MustCompile(`[^A-Za-z0-9]+`)

// schemaName names a struct schema after its package and type (generic arguments too).
func schemaName(t reflect.Type) string {
	pkg := t.PkgPath()
	if i := strings.LastIndex(pkg, "/"); i >= 0 {
		pkg = pkg[i+1:]
	}
	return schemaNameRE.ReplaceAllString(pkg+"."+t.Name(), "_")
}
