package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"

	"github.com/stretchr/testify/require"

	"quality/inspections"
	"quality/models"
)

// checklistPageMatrixRows are the rows of the checklist pages: every staff role reads
// the published versions, a draft is 404 to all but the editors, and only editors who
// see the whole province write (the admin here; the inspector of 南昌 gets 403 from the
// service, and from the forms that never reach it). A page asked for without a session
// goes to the login form, a form without one is 401; a form that succeeds goes to the
// version it made or changed (303).
func checklistPageMatrixRows() []matrixRow {
	page := func(code int, who ...string) statuses { return only(code, who...).but(seeOther, anon) }
	writes := func(code int) statuses { return only(code, admin).but(http.StatusForbidden, inspector) }
	// made remembers the checklist a row's prep made or posted, so that the redirect it
	// answers can be checked against the version it leads to.
	var made struct {
		e    *env
		code string
	}
	toVersion := func(notice string, version int) func(string) string {
		return func(string) string {
			list, err := models.ListTemplates(context.Background(), made.e.db, models.TemplateFilter{Code: made.code})
			require.NoError(made.e.t, err)
			for _, v := range list.Items {
				if v.Version == version {
					return fmt.Sprintf("/checklists/%d?done=%s", v.ID, notice)
				}
			}
			made.e.t.Fatalf("%s has no version %d", made.code, version)
			return ""
		}
	}
	fresh := func(route string, publish bool, body url.Values) func(*env, string) (string, any) {
		return func(e *env, _ string) (string, any) {
			t := e.freshDraftTemplate(publish)
			made.e, made.code = e, t.Code
			var b any
			if body != nil {
				b = formBody(body)
			}
			return withID(route, t.ID), b
		}
	}
	newForm := func(mutate func(url.Values)) func(*env, string) (string, any) {
		return func(e *env, _ string) (string, any) {
			made.e, made.code = e, fmt.Sprintf("MXW%d", uniq())
			v := templateForm(templateBody(made.code))
			if mutate != nil {
				mutate(v)
			}
			return "/checklists/new", formBody(v)
		}
	}
	edited := templateForm(templateBody(""))
	edited.Set("title", "矩阵修改后的检查表")
	return []matrixRow{
		{method: get, route: "/checklists", name: "published", want: page(ok, staff...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return "/checklists?code=" + e.matrixTemplate().Code, nil
			},
			check: pageShows("矩阵检查表", staff...)},
		{method: get, route: "/checklists", name: "a draft: editors only", want: page(ok, staff...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				t := e.freshDraftTemplate(false)
				return "/checklists?code=" + t.Code, nil
			},
			check: pageShows(`href="/checklists/new"`, admin)},
		{method: get, route: "/checklists/new", want: page(ok, admin).but(http.StatusForbidden, inspector), redirect: toLogin, prep: static("/checklists/new"),
			check: pageShows(`name="r4.text"`, admin)},
		{method: post, route: "/checklists/new", want: writes(seeOther), prep: newForm(nil), redirect: toVersion("created", 1)},
		{method: post, route: "/checklists/new", name: "bad rule_ref", want: writes(invalid),
			prep: newForm(func(v url.Values) { v.Set("r1.rule_ref", "X9") }), check: pageShows("规则编号格式应为", admin)},
		{method: post, route: "/checklists/new", name: "more rows", want: writes(ok), noAudit: "adds empty rows to the form, saves nothing",
			prep: newForm(func(v url.Values) { v.Set("more", "1") }), check: pageShows(`name="r6.text"`, admin)},

		{method: get, route: "/checklists/:id", name: "published", want: page(ok, staff...), redirect: toLogin,
			prep:  func(e *env, _ string) (string, any) { return withID("/checklists/:id", e.matrixTemplate().ID), nil },
			check: pageShows("公示服务承诺", staff...)},
		{method: get, route: "/checklists/:id", name: "a draft: editors only", want: page(notFound, staff...).but(ok, admin), redirect: toLogin,
			prep: fresh("/checklists/:id", false, nil), check: pageShows(`/publish"`, admin)},
		{method: get, route: "/checklists/:id/edit", want: page(ok, admin).but(http.StatusForbidden, inspector), redirect: toLogin,
			prep: fresh("/checklists/:id/edit", true, nil), check: pageShows("第 2 版草稿", admin)},
		{method: post, route: "/checklists/:id/edit", name: "a draft", want: writes(seeOther), redirect: toVersion("saved", 1),
			prep: fresh("/checklists/:id/edit", false, edited)},
		{method: post, route: "/checklists/:id/edit", name: "published: the next version", want: writes(seeOther), redirect: toVersion("new_version", 2),
			prep: fresh("/checklists/:id/edit", true, edited)},
		{method: post, route: "/checklists/:id/publish", want: writes(seeOther), redirect: toVersion("published", 1),
			prep: fresh("/checklists/:id/publish", false, url.Values{})},
		{method: post, route: "/checklists/:id/publish", name: "retired", want: writes(conflict),
			prep: func(e *env, as string) (string, any) {
				target, body := fresh("/checklists/:id/publish", true, url.Values{})(e, as)
				_, err := e.templates().RetireTemplate(context.Background(), models.SystemActor, models.ScopeAll, e.pathID(target))
				require.NoError(e.t, err)
				return target, body
			},
			check: pageShows("已停用", admin)},
		{method: post, route: "/checklists/:id/retire", want: writes(seeOther), redirect: toVersion("retired", 1),
			prep: fresh("/checklists/:id/retire", true, url.Values{})},
	}
}

// pathID is the id in a target /checklists/ID/….
func (e *env) pathID(target string) uint {
	var id uint
	_, err := fmt.Sscanf(target, "/checklists/%d/", &id)
	require.NoError(e.t, err, target)
	return id
}

// templateForm is in as the checklist form posts it: one row per item, numbered.
func templateForm(in inspections.TemplateInput) url.Values {
	v := url.Values{"code": {in.Code}, "title": {in.Title}, "description": {in.Description}}
	if in.PassMark != nil {
		v.Set("pass_mark", strconv.Itoa(*in.PassMark))
	}
	row := 0
	for _, s := range in.Sections {
		for _, it := range s.Items {
			f := func(name, value string) { v.Set(fmt.Sprintf("r%d.%s", row, name), value) }
			f("section", s.Title)
			f("key", it.Key)
			f("text", it.Text)
			f("guidance", it.Guidance)
			f("rule_ref", it.RuleRef)
			f("response", it.Response)
			f("max_score", strconv.Itoa(it.MaxScore))
			f("pass_score", strconv.Itoa(it.PassScore))
			f("weight", strconv.Itoa(it.Weight))
			for name, on := range map[string]bool{"critical": it.Critical, "evidence_on_fail": it.EvidenceOnFail, "required": it.Required} {
				if on {
					f(name, "1")
				}
			}
			row++
		}
	}
	v.Set("rows", strconv.Itoa(row))
	return v
}
