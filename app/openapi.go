package app

import (
	"reflect"
	"regexp"
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
	for _, r := range s.routes {
		op := map[string]any{
			"summary":     r.Doc.Summary,
			"tags":        []string{r.Doc.Tag},
			"operationId": strings.ToLower(r.Method) + strings.NewReplacer("/", "_", ":", "", "-", "_", ".", "_").Replace(r.Path),
		}
		var params []map[string]any
		for _, m := range pathParamRE.FindAllStringSubmatch(r.Path, -1) {
			// Ids are positive integers; other parameters (a certificate code) are text.
			schema := map[string]any{"type": "string"}
			if m[1] == "id" || m[1] == "question" || m[1] == "unit_id" {
				schema = map[string]any{"type": "integer", "minimum": 1}
			}
			params = append(params, map[string]any{"name": m[1], "in": "path", "required": true, "schema": schema})
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
	return map[string]any{
		"openapi": "3.0.3",
		"info": map[string]any{"title": "quality — 服务质量稽核与培训考核平台", "version": Version,
			"description": "会话保存在 HttpOnly Cookie `quality_session` 中。对带会话的非安全请求（POST、PUT、PATCH、DELETE），须在请求头 `X-Csrf-Token` 中回传本会话的令牌，即 Cookie `csrf_` 的值（登录响应和 GET /api/v1/me 的 `csrf_token` 字段也给出它；令牌只对签发它的会话有效，不接受查询参数）。带 `Origin`（或 `Referer`）的非安全请求须来自配置的公开地址 QUALITY_PUBLIC_URL。错误为 RFC 9457 application/problem+json。"},
		"paths": paths,
		"components": map[string]any{
			"schemas":         schemas,
			"securitySchemes": map[string]any{"session": map[string]any{"type": "apiKey", "in": "cookie", "name": sessionCookie}},
			"responses": map[string]any{"Problem": map[string]any{"description": "错误（RFC 9457）", "content": map[string]any{
				"application/problem+json": map[string]any{"schema": map[string]any{"$ref": "#/components/schemas/Problem"}}}}},
		},
		"security": []any{map[string]any{"session": []string{}}},
	}
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
