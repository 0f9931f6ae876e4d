package app_test

import (
	"fmt"

	"quality/seeds"
)

// orgPageMatrixRows are the rows of the org unit's edit page: admins only, like the
// PATCH of the API; every other role reads the tree (the /org rows) but gets 403 here,
// a page asked for without a session goes to the login form and a form without one is
// 401. A saved form goes back to the unit's page (303) with its notice; a refused one
// shows the form again (422).
func orgPageMatrixRows() []matrixRow {
	saved := func(target string) string { return target + "?done=saved" }
	unitForm := func(households string) formBody {
		return formBody{"households": {households}, "urban": {"true"}, "address": {"南昌市矩阵路 1 号"}, "phone": {"0791-86000001"},
			"lat": {"28.68"}, "lng": {"115.89"}}
	}
	return []matrixRow{
		{method: get, route: "/org", name: "edit links", prep: static("/org"), want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			check: pageShows(`<a href="/org/`, admin)},
		{method: get, route: "/org/:id", name: "360102-01", want: only(ok, admin).but(seeOther, anon), redirect: toLogin,
			prep: unitURL("/org/:id", "360102-01"), check: pageShows(`id="unit-form"`, admin)},
		{method: get, route: "/org/:id", name: "360402, another city's branch", want: only(ok, admin).but(seeOther, anon), redirect: toLogin,
			prep: unitURL("/org/:id", "360402")},
		{method: get, route: "/org/:id", name: "nonexistent", want: only(notFound, admin).but(seeOther, anon), redirect: toLogin,
			prep: static("/org/999999")},
		{method: post, route: "/org/:id", name: "in 360102", want: only(seeOther, admin), redirect: saved,
			prep: freshUnit("/org/:id", "360102", unitForm("12,000"))},
		{method: post, route: "/org/:id", name: "in 360402", want: only(seeOther, admin), redirect: saved,
			prep: freshUnit("/org/:id", "360402", unitForm("800"))},
		{method: post, route: "/org/:id", name: "households not a number", want: only(invalid, admin),
			prep: freshUnit("/org/:id", "360102", unitForm("很多")), check: pageShows(`href="#unit-households"`, admin)},
		{method: post, route: "/org/:id", name: "nonexistent", want: only(notFound, admin),
			prep: func(*env, string) (string, any) { return "/org/999999", unitForm("1") }},
	}
}

// analysisPageMatrixRows: the item analysis page admits the roles of the analysis API
// (examRoles); an exam with too few first attempts is a page saying so, not a 422.
func analysisPageMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/exams/:id/analysis", name: "too few first attempts", want: only(ok, examMakers...).but(seeOther, anon), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return fmt.Sprintf("/exams/%d/analysis", e.exam(seeds.OnboardingExamTitle)), nil
			},
			check: pageShows(`id="analysis-not-yet"`, examMakers...)},
		{method: get, route: "/exams/:id/analysis", name: "nonexistent", want: only(notFound, examMakers...).but(seeOther, anon), redirect: toLogin,
			prep: static("/exams/999999/analysis")},
	}
}
