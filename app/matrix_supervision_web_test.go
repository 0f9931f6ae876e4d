package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
)

// supervisionPageMatrixRows are the rows of the supervision pages: they admit the
// roles of the API routes they stand beside (inspections and rectifications: admins,
// inspectors, managers read; admins and inspectors write inspections and judge
// evidence; managers answer it; cases and patrols: admins, inspectors, managers), a
// page asked for without a session goes to the login form, a form without one is 401,
// and records of 九江 (濂溪区) are 404 pages to the inspector of 南昌 and the manager of
// 东湖区. A form that succeeds goes back to its page (303).
func supervisionPageMatrixRows() []matrixRow {
	readers := []string{admin, inspector, manager}
	writers := []string{admin, inspector}
	page := func(code int, who ...string) statuses { return only(code, who...).but(seeOther, anon) }
	item := func(id uint, key, suffix string) string {
		return fmt.Sprintf("/inspections/%d/items/%s%s", id, key, suffix)
	}
	// started remembers the client id of a start form, so the redirect it answers can
	// be checked against the inspection it made.
	var started struct {
		e        *env
		clientID string
	}
	startForm := func(outlet string) func(e *env, as string) (string, any) {
		return func(e *env, _ string) (string, any) {
			started.e, started.clientID = e, fmt.Sprintf("web-matrix-%d", uniq())
			return "/inspections", formBody{"client_id": {started.clientID}, "template_id": {idStr(e.matrixTemplate().ID)}, "org_unit_id": {idStr(e.unit(outlet))}}
		}
	}
	toStarted := func(string) string {
		var ins models.Inspection
		require.NoError(started.e.t, started.e.db.Where("client_id = ?", started.clientID).Take(&ins).Error)
		return fmt.Sprintf("/inspections/%d", ins.ID)
	}
	// toItem is where an item's form goes back to: the page, at the item.
	toItem := func(notice string) func(string) string {
		return func(target string) string {
			rest := strings.TrimPrefix(target, "/inspections/")
			id, after, _ := strings.Cut(rest, "/items/")
			key, _, _ := strings.Cut(after, "/")
			return fmt.Sprintf("/inspections/%s?done=%s#item-%s", id, notice, key)
		}
	}
	// toSaved is where 保存全部 goes back to: the page.
	toSaved := func(notice string) func(string) string {
		return func(target string) string { return strings.TrimSuffix(target, "/items") + "?done=" + notice }
	}
	toRect := func(notice string) func(string) string {
		return func(target string) string {
			id, _, _ := strings.Cut(strings.TrimPrefix(target, "/rectifications/"), "/")
			return fmt.Sprintf("/rectifications/%s?done=%s", id, notice)
		}
	}
	showsOutlet := func(in, out string) func(*testing.T, *env, string, response) {
		return func(t *testing.T, e *env, as string, res response) {
			assert.Contains(t, res.Body, e.units[in].Name, "%s sees nothing of %s", as, in)
			if as == admin {
				assert.Contains(t, res.Body, e.units[out].Name)
			} else {
				assert.NotContains(t, res.Body, e.units[out].Name, "%s sees %s", as, out)
			}
		}
	}
	return []matrixRow{
		{method: get, route: "/static/geo.js", prep: static("/static/geo.js"), want: everyone(ok)},
		{method: get, route: "/static/inspection.js", prep: static("/static/inspection.js"), want: everyone(ok)},

		// Inspections.
		{method: get, route: "/inspections", name: "cut to the scope", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.freshInspection("inspector", "360102-01", submittedInspection, true)
				e.freshInspection(admin, outOfScope, submittedInspection, true)
				return "/inspections", nil
			},
			check: showsOutlet("360102-01", outOfScope)},
		{method: get, route: "/inspections", name: "status=bogus", want: page(http.StatusBadRequest, readers...), redirect: toLogin,
			prep: static("/inspections?status=bogus")},
		{method: get, route: "/inspections", name: "inspector=me", want: page(ok, readers...), redirect: toLogin,
			prep: static("/inspections?inspector=me&status=draft"), check: pageShows(`name="inspector" value="me" checked`, readers...)},
		{method: get, route: "/inspections", name: "inspector=bogus", want: page(http.StatusBadRequest, readers...), redirect: toLogin,
			prep: static("/inspections?inspector=someone")},
		{method: get, route: "/inspections/new", want: page(ok, writers...), redirect: toLogin, prep: static("/inspections/new"),
			check: pageShows(`name="client_id"`, writers...)},
		{method: get, route: "/inspections/new", name: "follow-up of a finding of 360102-01", want: page(ok, writers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return "/inspections/new?follow_up_of=" + idStr(e.freshFinding("360102-01").ID), nil
			},
			check: pageShows(`name="follow_up_of"`, writers...)},
		{method: get, route: "/inspections/new", name: "follow-up of a finding of 360402-01", want: page(notFound, writers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return "/inspections/new?follow_up_of=" + idStr(e.freshFinding("360402-01").ID), nil
			}},
		{method: post, route: "/inspections", name: "an outlet of 东湖区", want: only(seeOther, writers...), redirect: toStarted,
			prep: startForm("360102-01")},
		{method: post, route: "/inspections", name: "an outlet of 九江", want: only(seeOther, writers...).but(invalid, inspector), redirect: toStarted,
			prep: startForm(outOfScope)},
		{method: get, route: "/inspections/:id", name: "东湖区", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/inspections/:id", e.freshInspection("inspector", "360102-01", submittedInspection, true).ID), nil
			},
			check: pageShows(`href="/rectifications/`, readers...)},
		{method: get, route: "/inspections/:id", name: "九江", want: page(notFound, readers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/inspections/:id", e.freshInspection(admin, outOfScope, draftInspection, false).ID), nil
			}},
		{method: post, route: "/inspections/:id/items", name: "own, m1 changed", want: only(seeOther, writers...), redirect: toSaved("saved"),
			prep: func(e *env, as string) (string, any) {
				return withID("/inspections/:id/items", e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID), formBody{"items[m1][outcome]": {"pass"}, "items[m1][rev]": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items", name: "stale rev", want: only(conflict, writers...),
			prep: func(e *env, as string) (string, any) {
				return withID("/inspections/:id/items", e.freshInspection(ownerFor(as), "360102-01", answeredInspection, false).ID), formBody{"items[m1][outcome]": {"fail"}, "items[m1][rev]": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items", name: "submitted", want: only(conflict, writers...),
			prep: func(e *env, as string) (string, any) {
				return withID("/inspections/:id/items", e.freshInspection(ownerFor(as), "360102-01", submittedInspection, false).ID), formBody{"items[m1][outcome]": {"na"}, "items[m1][rev]": {"1"}}
			}},
		{method: post, route: "/inspections/:id/items", name: "九江", want: only(notFound, writers...).but(seeOther, admin), redirect: toSaved("saved"),
			prep: func(e *env, _ string) (string, any) {
				return withID("/inspections/:id/items", e.freshInspection(admin, outOfScope, draftInspection, false).ID), formBody{"items[m1][outcome]": {"na"}, "items[m1][rev]": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items/:key", name: "own", want: only(seeOther, writers...), redirect: toItem("saved"),
			prep: func(e *env, as string) (string, any) {
				return item(e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID, "m1", ""), formBody{"outcome": {"pass"}, "rev": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items/:key", name: "stale rev", want: only(conflict, writers...),
			prep: func(e *env, as string) (string, any) {
				return item(e.freshInspection(ownerFor(as), "360102-01", answeredInspection, false).ID, "m1", ""), formBody{"outcome": {"fail"}, "rev": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items/:key", name: "九江", want: only(notFound, writers...).but(seeOther, admin), redirect: toItem("saved"),
			prep: func(e *env, _ string) (string, any) {
				return item(e.freshInspection(admin, outOfScope, draftInspection, false).ID, "m1", ""), formBody{"outcome": {"na"}, "rev": {"0"}}
			}},
		{method: post, route: "/inspections/:id/items/:key/photos", name: "own", want: only(seeOther, writers...), redirect: toItem("photo"),
			prep: func(e *env, as string) (string, any) {
				return item(e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID, "m1", "/photos"), uploadBody{"file", "现场.png", testPNG(e.t)}
			}},
		{method: post, route: "/inspections/:id/items/:key/photos", name: "not a photo", want: only(invalid, writers...),
			prep: func(e *env, as string) (string, any) {
				return item(e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID, "m1", "/photos"), uploadBody{"file", "a.png", []byte("<svg/>")}
			}},
		{method: post, route: "/inspections/:id/items/:key/photos", name: "九江", want: only(notFound, writers...).but(seeOther, admin), redirect: toItem("photo"),
			prep: func(e *env, _ string) (string, any) {
				return item(e.freshInspection(admin, outOfScope, draftInspection, false).ID, "m1", "/photos"), uploadBody{"file", "现场.png", testPNG(e.t)}
			}},
		{method: post, route: "/inspections/:id/submit", name: "answered", want: only(seeOther, writers...),
			redirect: func(target string) string { return strings.TrimSuffix(target, "/submit") + "?done=submitted" },
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", answeredInspection, true).ID
				return withID("/inspections/:id/submit", id), formBody{"confirmation": {as}}
			}},
		{method: post, route: "/inspections/:id/reopen", name: "own", want: only(seeOther, writers...),
			redirect: func(target string) string { return strings.TrimSuffix(target, "/reopen") + "?done=reopened" },
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", submittedInspection, true).ID
				return withID("/inspections/:id/reopen", id), formBody{"reason": {"误判了该项"}}
			}},
		{method: post, route: "/inspections/:id/reopen", name: "no reason", want: only(invalid, writers...),
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", submittedInspection, true).ID
				return withID("/inspections/:id/reopen", id), formBody{"reason": {""}}
			}},
		{method: post, route: "/inspections/:id/reopen", name: "九江", want: only(notFound, writers...).but(seeOther, admin),
			redirect: func(target string) string { return strings.TrimSuffix(target, "/reopen") + "?done=reopened" },
			prep: func(e *env, _ string) (string, any) {
				id := e.freshInspection(admin, outOfScope, submittedInspection, true).ID
				return withID("/inspections/:id/reopen", id), formBody{"reason": {"误判了该项"}}
			}},
		{method: post, route: "/findings/:id/void", name: "in 360102-01", want: only(seeOther, writers...), redirect: toVoided,
			prep: voidForm("360102-01", "复核后该项合格")},
		{method: post, route: "/findings/:id/void", name: "no reason", want: only(invalid, writers...),
			prep: voidForm("360102-01", " ")},
		{method: post, route: "/findings/:id/void", name: "in 360402-01", want: only(notFound, writers...).but(seeOther, admin), redirect: toVoided,
			prep: voidForm("360402-01", "复核后该项合格")},
		{method: post, route: "/inspections/:id/submit", name: "unanswered", want: only(invalid, writers...),
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID
				return withID("/inspections/:id/submit", id), formBody{"confirmation": {as}}
			}},

		// Rectifications.
		{method: get, route: "/rectifications", name: "cut to the scope", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{})
				e.openRect("360402-01", models.Date{})
				return "/rectifications", nil
			},
			check: showsOutlet("360102-01", "360402-01")},
		{method: get, route: "/escalations", name: "cut to the notified unit", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{Year: 2025, Month: 1, Day: 1})
				e.openRect("360402-01", models.Date{Year: 2025, Month: 1, Day: 1})
				_, err := e.rectSvc().Sweep(context.Background())
				require.NoError(e.t, err)
				return "/escalations?level=city", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				if as == manager {
					assert.NotContains(t, res.Body, e.units["3601"].Name, "a branch is not told at the city level")
					return
				}
				assert.Contains(t, res.Body, e.units["3601"].Name, "%s sees the escalation to 南昌", as)
				assert.Equal(t, as == admin, strings.Contains(res.Body, e.units["3604"].Name), "%s and the escalation to 九江", as)
			}},
		{method: get, route: "/escalations", name: "level=bogus", want: page(http.StatusBadRequest, readers...), redirect: toLogin,
			prep: static("/escalations?level=bogus")},
		{method: get, route: "/rectifications/:id", name: "in 360102-01", want: page(ok, readers...), redirect: toLogin,
			prep: rectURL("/rectifications/:id", "360102-01", nil),
			check: func(t *testing.T, _ *env, as string, res response) {
				pageShows(`action="/rectifications/`, admin, inspector, manager)(t, nil, as, res)
			}},
		{method: get, route: "/rectifications/:id", name: "in 360402-01", want: page(notFound, readers...).but(ok, admin), redirect: toLogin,
			prep: rectURL("/rectifications/:id", "360402-01", nil)},
		{method: post, route: "/rectifications/:id/photos", name: "in 360102-01", want: only(seeOther, manager), redirect: toRect("photo"),
			prep: func(e *env, as string) (string, any) {
				target, _ := rectURL("/rectifications/:id/photos", "360102-01", nil)(e, as)
				return target, uploadBody{"file", "整改.png", pngPhoto(e.t)}
			}},
		{method: post, route: "/rectifications/:id/photos", name: "in 360402-01", want: only(notFound, manager),
			prep: func(e *env, as string) (string, any) {
				target, _ := rectURL("/rectifications/:id/photos", "360402-01", nil)(e, as)
				return target, uploadBody{"file", "整改.png", pngPhoto(e.t)}
			}},
		{method: post, route: "/rectifications/:id/submit", name: "with a photo", want: only(seeOther, manager), redirect: toRect("submit"),
			prep: func(e *env, _ string) (string, any) {
				r := e.openRect("360102-01", models.Date{})
				e.rectPhoto(r.ID)
				return withID("/rectifications/:id/submit", r.ID), formBody{"revision": {"1"}, "text": {"已张贴收费标准"}}
			}},
		{method: post, route: "/rectifications/:id/submit", name: "no photo", want: only(invalid, manager),
			prep: rectURL("/rectifications/:id/submit", "360102-01", formBody{"revision": {"1"}, "text": {"已整改"}})},
		{method: post, route: "/rectifications/:id/verify", name: "in 360102-01", want: only(seeOther, writers...), redirect: toRect("verify"),
			prep: submittedRectURL("/rectifications/:id/verify", "360102-01", formBody{"revision": {"2"}})},
		{method: post, route: "/rectifications/:id/verify", name: "stale revision", want: only(conflict, writers...),
			prep: submittedRectURL("/rectifications/:id/verify", "360102-01", formBody{"revision": {"1"}})},
		{method: post, route: "/rectifications/:id/verify", name: "in 360402-01", want: only(notFound, writers...).but(seeOther, admin), redirect: toRect("verify"),
			prep: submittedRectURL("/rectifications/:id/verify", "360402-01", formBody{"revision": {"2"}})},
		{method: post, route: "/rectifications/:id/reject", name: "with a reason", want: only(seeOther, writers...), redirect: toRect("reject"),
			prep: submittedRectURL("/rectifications/:id/reject", "360102-01", formBody{"revision": {"2"}, "reason": {"照片看不清"}})},
		{method: post, route: "/rectifications/:id/reject", name: "no reason", want: only(invalid, writers...),
			prep: submittedRectURL("/rectifications/:id/reject", "360102-01", formBody{"revision": {"2"}})},
		{method: post, route: "/rectifications/:id/waive", name: "in 360102-01", want: only(seeOther, writers...), redirect: toRect("waive"),
			prep: rectURL("/rectifications/:id/waive", "360102-01", formBody{"revision": {"1"}, "reason": {"营业厅已撤并"}})},

		// Cases and patrols.
		{method: get, route: "/cases", name: "cut to the scope", want: page(ok, caseCallers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.freshCase("360402", "360402-01001", false)
				e.freshCase("360102", "360102-01001", false)
				return "/cases", nil
			},
			check: showsOutlet("360102", "360402")},
		{method: get, route: "/cases", name: "awaiting_statement=1", want: page(ok, caseCallers...), redirect: toLogin,
			prep: static("/cases?awaiting_statement=1"), check: pageShows(`name="awaiting_statement" value="1" checked`, caseCallers...)},
		{method: get, route: "/cases/:id", name: "in 360102", want: page(ok, caseCallers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/cases/:id", e.freshCase("360102", "360102-01001", false).ID), nil
			},
			check: pageShows(`name="statement"`, caseCallers...)},
		{method: get, route: "/cases/:id", name: "in 360402", want: page(notFound, caseCallers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/cases/:id", e.freshCase("360402", "360402-01001", false).ID), nil
			}},
		{method: post, route: "/cases/:id/persons/:person_id/statement", name: "in 360102", want: only(seeOther, caseCallers...),
			redirect: func(target string) string {
				id, _, _ := strings.Cut(strings.TrimPrefix(target, "/cases/"), "/")
				return "/cases/" + id + "?done=statement"
			},
			prep: webCasePerson("360102", "360102-01001", formBody{"statement": {"我当时在处理另一位客户的业务。"}})},
		{method: post, route: "/cases/:id/persons/:person_id/statement", name: "in 360402", want: only(notFound, caseCallers...).but(seeOther, admin),
			redirect: func(target string) string {
				id, _, _ := strings.Cut(strings.TrimPrefix(target, "/cases/"), "/")
				return "/cases/" + id + "?done=statement"
			},
			prep: webCasePerson("360402", "360402-01001", formBody{"statement": {"陈述"}})},
		{method: get, route: "/cases/new", name: "unit 360102", want: page(ok, caseCallers...), redirect: toLogin,
			prep:  func(e *env, _ string) (string, any) { return "/cases/new?unit_id=" + idStr(e.unit("360102")), nil },
			check: pageShows(`name="employee_ids"`, caseCallers...)},
		{method: get, route: "/cases/new", name: "unit 360402", want: page(notFound, caseCallers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) { return "/cases/new?unit_id=" + idStr(e.unit("360402")), nil }},
		{method: get, route: "/cases/new", name: "a finding of 360402", want: page(notFound, caseCallers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return "/cases/new?finding_id=" + idStr(e.freshFinding("360402-01").ID), nil
			}},
		{method: post, route: "/cases", name: "in 360102", want: only(seeOther, caseCallers...), redirect: toOpened,
			prep: openCaseForm("360102", "360102-01001")},
		{method: post, route: "/cases", name: "in 360402", want: only(invalid, caseCallers...).but(seeOther, admin), redirect: toOpened,
			prep: openCaseForm("360402", "360402-01001")},
		{method: post, route: "/cases/:id/persons/:person_id/decision", name: "window passed", want: only(seeOther, caseCallers...),
			redirect: toDecided, prep: webCaseAction("360102", "360102-01001", "decision", true, decideForm("minor", "warning", ""))},
		{method: post, route: "/cases/:id/persons/:person_id/decision", name: "before the statement (R6.8)", want: only(conflict, caseCallers...),
			prep: webCaseAction("360102", "360102-01001", "decision", false, decideForm("minor", "warning", ""))},
		{method: post, route: "/cases/:id/persons/:person_id/decision", name: "in 360402", want: only(notFound, caseCallers...).but(seeOther, admin),
			redirect: toDecided, prep: webCaseAction("360402", "360402-01001", "decision", true, decideForm("very_serious", "penalty", "200.5"))},
		{method: post, route: "/cases/:id/close", name: "in 360102", want: only(seeOther, caseCallers...), redirect: toClosed,
			prep: func(e *env, _ string) (string, any) {
				return withID("/cases/:id/close", e.freshCase("360102", "360102-01001", false).ID), formBody{"reason": {"经核实投诉不属实"}}
			}},
		{method: post, route: "/cases/:id/close", name: "no reason", want: only(invalid, caseCallers...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/cases/:id/close", e.freshCase("360102", "360102-01001", false).ID), formBody{"reason": {" "}}
			}},
		{method: post, route: "/cases/:id/close", name: "in 360402", want: only(notFound, caseCallers...).but(seeOther, admin), redirect: toClosed,
			prep: func(e *env, _ string) (string, any) {
				return withID("/cases/:id/close", e.freshCase("360402", "360402-01001", false).ID), formBody{"reason": {"不属实"}}
			}},
		{method: get, route: "/patrols/:id", name: "of 东湖区", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/patrols/:id", e.freshPlan("360102").ID), nil
			},
			check: pageShows("/inspections/new?patrol_stop_id=", inspector)},
		{method: get, route: "/patrols/:id", name: "of 濂溪区", want: page(notFound, readers...).but(ok, admin), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/patrols/:id", e.freshPlan("360402").ID), nil
			}},
		{method: get, route: "/patrols", want: page(ok, readers...), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.freshPlan("360102")
				e.freshPlan("360402")
				return "/patrols", nil
			},
			check: showsOutlet("360102", "360402")},
	}
}

// webCasePerson makes a fresh case for this request and targets its person's
// statement form.
func webCasePerson(unitCode, job string, body formBody) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		c := e.freshCase(unitCode, job, false)
		var p models.CasePerson
		require.NoError(e.t, e.db.WithContext(context.Background()).Where("case_id = ?", c.ID).Take(&p).Error)
		return fmt.Sprintf("/cases/%d/persons/%d/statement", c.ID, p.ID), body
	}
}

// openedCase remembers the complaint number of the last open-case form, so the
// redirect it answers can be checked against the case it made.
var openedCase struct {
	e   *env
	ref string
}

// openCaseForm is the open-case form of a complaint about the employee job in unitCode.
func openCaseForm(unitCode, job string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		openedCase.e, openedCase.ref = e, fmt.Sprintf("TS-WEB-%d", uniq())
		return "/cases", formBody{"org_unit_id": {idStr(e.unit(unitCode))}, "source": {models.CaseFromComplaint},
			"complaint_ref": {openedCase.ref}, "title": {"窗口推诿客户"}, "summary": {"客户投诉营业员推诿（R2.4）"},
			"grounds": {models.GroundServiceRules}, "employee_ids": {idStr(e.employee(job))}}
	}
}

// toOpened is the page of the case the last open-case form made.
func toOpened(string) string {
	var c models.AccountabilityCase
	require.NoError(openedCase.e.t, openedCase.e.db.Where("complaint_ref = ?", openedCase.ref).Take(&c).Error)
	return fmt.Sprintf("/cases/%d?done=open", c.ID)
}

// decideForm is a decide form; yuan is the penalty as typed.
func decideForm(severity, outcome, yuan string) formBody {
	return formBody{"severity": {severity}, "outcome": {outcome}, "penalty_yuan": {yuan}}
}

// webCaseAction makes a fresh case for this request and targets its person's action.
func webCaseAction(unitCode, job, action string, windowPassed bool, body formBody) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		c := e.freshCase(unitCode, job, windowPassed)
		var p models.CasePerson
		require.NoError(e.t, e.db.WithContext(context.Background()).Where("case_id = ?", c.ID).Take(&p).Error)
		return fmt.Sprintf("/cases/%d/persons/%d/%s", c.ID, p.ID, action), body
	}
}

// toDecided is where a decide form goes back to: the case, at the person.
func toDecided(target string) string {
	rest := strings.TrimPrefix(target, "/cases/")
	id, after, _ := strings.Cut(rest, "/persons/")
	person, _, _ := strings.Cut(after, "/")
	return fmt.Sprintf("/cases/%s?done=decision#person-%s", id, person)
}

// toClosed is where a close form goes back to.
func toClosed(target string) string {
	return strings.TrimSuffix(target, "/close") + "?done=close"
}

// voided remembers the env of the last void form, to find the finding's inspection.
var voided struct{ e *env }

// voidForm targets the void form of a new finding at outlet.
func voidForm(outlet, reason string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		voided.e = e
		return withID("/findings/:id/void", e.freshFinding(outlet).ID), formBody{"reason": {reason}}
	}
}

// toVoided is where a void form goes back to: the finding on its inspection's page.
func toVoided(target string) string {
	id := strings.TrimSuffix(strings.TrimPrefix(target, "/findings/"), "/void")
	var f models.Finding
	require.NoError(voided.e.t, voided.e.db.Where("id = ?", id).Take(&f).Error)
	return fmt.Sprintf("/inspections/%d?done=voided#finding-%d", f.InspectionID, f.ID)
}
