package app_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/exams"
	"quality/models"
	"quality/seeds"
)

// trainingPageMatrixRows are the rows of the training pages: every signed-in user reads
// the handbook, their training and their certificates (anon is sent to the login
// form); the forms act for the caller's own employee, so the admin, who has none, gets
// 409 and the demo trainer, inspector and manager, whose positions the etiquette
// course is not meant for, cannot sign in to it. Coverage shows to admins, trainers
// and managers, cut to their subtree; the expiring list to admins and managers, cut
// likewise. The verification page is public.
func trainingPageMatrixRows() []matrixRow {
	toTraining := redirectTo("/training?done=sign_in")
	return []matrixRow{
		{method: get, route: "/handbook", want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			prep: static("/handbook"), check: pageShows("/api/v1/handbook/pending.xlsx", admin, trainer, manager)},
		{method: get, route: "/handbook", name: "level=county: coverage is cut to the scope", want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			prep: static("/handbook?level=county"), check: pageShows("濂溪区", admin, trainer)},
		{method: get, route: "/handbook", name: "level=bogus", want: signedIn(http.StatusBadRequest).but(seeOther, anon), redirect: toLogin,
			prep: static("/handbook?level=bogus")},
		{method: post, route: "/handbook/acknowledge", want: signedIn(seeOther).but(conflict, admin).but(http.StatusUnauthorized, anon), noAudit: "a repeat: the API row acknowledged first",
			// The trainer's own rows published a newer version since: theirs is a first.
			auditsAs: map[string]int64{trainer: 1},
			redirect: redirectTo("/handbook"),
			prep: func(e *env, _ string) (string, any) {
				return "/handbook/acknowledge", formBody{"version_id": {idStr(e.currentHandbook())}}
			}},

		{method: get, route: "/onboarding/overdue", want: only(ok, staff...).but(seeOther, anon), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.overdueHires()
				return "/onboarding/overdue", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				assert.Contains(t, res.Body, e.units["360102-01"].Name, "%s: the 东湖区 new hire", as)
				assert.Equal(t, as == admin || as == trainer, strings.Contains(res.Body, e.units["360402-01"].Name), "%s and the 濂溪区 new hire", as)
			}},
		{method: get, route: "/onboarding/overdue", name: "unit_id=360402", want: only(ok, staff...).but(notFound, inspector, manager).but(seeOther, anon),
			redirect: toLogin, prep: func(e *env, _ string) (string, any) {
				return "/onboarding/overdue?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/training", want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			prep: static("/training"), check: pageShows("账号未关联员工", admin)},
		// As the API's sign-in: a 东湖区 session is not found for staff above 东湖区.
		{method: post, route: "/training/sign-in", name: "valid code", want: signedIn(conflict).but(seeOther, employee).but(notFound, trainer, inspector).but(http.StatusUnauthorized, anon),
			redirect: toTraining,
			prep: func(e *env, _ string) (string, any) {
				return "/training/sign-in", formBody{"session_id": {idStr(e.freshSession(true))}, "code": {matrixSignInCode}}
			}},
		{method: post, route: "/training/sign-in", name: "wrong code", want: signedIn(conflict).but(invalid, employee).but(notFound, trainer, inspector).but(http.StatusUnauthorized, anon),
			prep: func(e *env, _ string) (string, any) {
				return "/training/sign-in", formBody{"session_id": {idStr(e.freshSession(true))}, "code": {"000000"}}
			}},
		{method: post, route: "/training/sign-in", name: "nonexistent session", want: signedIn(notFound).but(conflict, admin).but(http.StatusUnauthorized, anon),
			prep: func(*env, string) (string, any) {
				return "/training/sign-in", formBody{"session_id": {"999999"}, "code": {matrixSignInCode}}
			}},
		{method: post, route: "/training/courses/:id/complete", name: "online", want: signedIn(seeOther).but(conflict, admin).but(http.StatusUnauthorized, anon), noAudit: "a repeat: the API row completed it first",
			redirect: redirectTo("/training?done=complete"),
			prep: func(e *env, _ string) (string, any) {
				return withID("/training/courses/:id/complete", e.course(seeds.BasicsCourseTitle)), formBody{}
			}},
		{method: post, route: "/training/courses/:id/complete", name: "face-to-face", want: signedIn(conflict).but(http.StatusUnauthorized, anon),
			prep: func(e *env, _ string) (string, any) {
				return withID("/training/courses/:id/complete", e.course(seeds.EtiquetteCourseTitle)), formBody{}
			}},
		{method: post, route: "/training/courses/:id/complete", name: "draft", want: signedIn(notFound).but(conflict, admin).but(http.StatusUnauthorized, anon),
			prep: freshCourseDraft("/training/courses/:id/complete", formBody{})},

		{method: get, route: "/certificates/:id/print", want: signedIn(notFound).but(ok, employee).but(seeOther, anon), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				return withID("/certificates/:id/print", e.employeeCertificate().ID), nil
			}},
		{method: get, route: "/certificates", want: signedIn(ok).but(seeOther, anon), redirect: toLogin,
			prep: func(e *env, _ string) (string, any) {
				e.expiringCertificates()
				return "/certificates", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				pageShows("EXP360102-01", admin, manager)(t, e, as, res)
				pageShows("EXP360402-01", admin)(t, e, as, res)
				pageShows(e.demoCertificate("360102-01001").Number, employee)(t, e, as, res)
			}},

		{method: get, route: "/verify", name: "form", want: everyone(ok), prep: static("/verify")},
		{method: get, route: "/verify", name: "known code", want: everyone(ok),
			prep: func(e *env, _ string) (string, any) {
				return "/verify?code=" + e.demoCertificate("360102-01001").Code, nil
			},
			check: func(t *testing.T, e *env, _ string, res response) {
				m, err := models.EmployeesByJobNumber(context.Background(), e.db, []string{"360102-01001"})
				require.NoError(t, err)
				emp := m["360102-01001"]
				assert.Contains(t, res.Body, exams.MaskName(emp.Name))
				assert.NotContains(t, res.Body, emp.Name)
				assert.NotContains(t, res.Body, emp.Phone)
				assert.Contains(t, res.Body, e.demoCertificate("360102-01001").Number)
			}},
		{method: get, route: "/verify", name: "unknown code", want: everyone(notFound), prep: static("/verify?code=AAAAAAAAAAAAAAAAAAAAAAAA")},
	}
}

// expiringCertificates makes sure a certificate expiring within the window is held
// by a clerk of 东湖区 (job EXP360102-01) and one of 濂溪区 (EXP360402-01).
func (e *env) expiringCertificates() {
	e.t.Helper()
	for _, code := range []string{"360102-01", "360402-01"} {
		job := "EXP" + code
		var n int64
		require.NoError(e.t, e.db.Model(&models.Employee{}).Where("job_number = ?", job).Count(&n).Error)
		if n > 0 {
			continue
		}
		c := e.freshCertificate(code)
		require.NoError(e.t, e.db.Model(&models.Employee{}).Where("id = ?", c.EmployeeID).Update("job_number", job).Error)
		require.NoError(e.t, e.db.Model(&models.Certificate{}).Where("id = ?", c.ID).
			Update("expires_at", time.Now().UTC().Add(20*24*time.Hour)).Error)
	}
}

// employeeCertificate is an etiquette certificate of the demo employee (360102-01001,
// the user "employee"), issued once.
func (e *env) employeeCertificate() *models.Certificate {
	e.t.Helper()
	holder := e.employee("360102-01001")
	var c models.Certificate
	if err := e.db.Where("employee_id = ?", holder).Take(&c).Error; err == nil {
		return &c
	}
	return e.issueCertificate(holder)
}
