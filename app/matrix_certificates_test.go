package app_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/org"
	"quality/seeds"
)

// certificateMatrixRows are the rows of the certificates: anyone verifies a code; staff
// list the certificates of their subtree (the manager of 东湖区 sees 东湖 staff, not
// 濂溪区's); trainers and admins revoke; everyone sees their own.
func certificateMatrixRows() []matrixRow {
	rows := []matrixRow{
		{method: get, route: "/api/v1/certificates/verify", name: "known code", want: everyone(ok),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/certificates/verify?code=" + e.demoCertificate("360102-01001").Code, nil
			},
			check: func(t *testing.T, e *env, _ string, res response) { checkVerification(t, e, "360102-01001", res) }},
		{method: get, route: "/api/v1/certificates/verify", name: "unknown code", want: everyone(notFound),
			prep: static("/api/v1/certificates/verify?code=AAAAAAAAAAAAAAAAAAAAAAAA")},
		{method: get, route: "/api/v1/certificates/verify", name: "malformed code", want: everyone(notFound),
			prep: static("/api/v1/certificates/verify?code=1%27%20OR%201=1")},
		{method: get, route: "/api/v1/certificates/verify", name: "no code", want: everyone(http.StatusBadRequest),
			prep: static("/api/v1/certificates/verify")},

		{method: get, route: "/api/v1/certificates", name: "every certificate is in scope", want: only(ok, staff...),
			prep: func(e *env, _ string) (string, any) {
				e.demoCertificate("360102-01001")
				return "/api/v1/certificates?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				list := certificateList(t, res)
				var all []models.Certificate
				require.NoError(t, e.db.Preload("Employee.OrgUnit").Find(&all).Error)
				want := 0
				for _, c := range all {
					if inScope(e, as, c.Employee.OrgUnit.Path) {
						want++
					}
				}
				assert.EqualValues(t, want, list.Total, "%s: total is not the certificates in scope", as)
				seen := map[string]bool{}
				for _, c := range list.Items {
					require.NotNil(t, c.Employee)
					require.NotNil(t, c.Employee.OrgUnit)
					assert.True(t, inScope(e, as, c.Employee.OrgUnit.Path), "%s sees the certificate of %s", as, c.Employee.JobNumber)
					seen[c.Employee.OrgUnit.Code[:6]] = true
				}
				assert.True(t, seen["360102"], "%s sees no certificate of 东湖区 staff", as)
				assert.Equal(t, as == admin || as == trainer, seen["360402"], "%s and the certificates of 濂溪区 staff", as)
			}},
		{method: get, route: "/api/v1/certificates", name: "status=bogus", want: only(http.StatusBadRequest, staff...),
			prep: static("/api/v1/certificates?status=bogus")},

		{method: get, route: "/api/v1/me/certificates", want: signedIn(ok),
			prep: func(e *env, _ string) (string, any) {
				e.demoCertificate("360102-01001")
				return "/api/v1/me/certificates", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				list := certificateList(t, res)
				if as != employee {
					// The other demo users' employees are managers and office staff: no certificate.
					assert.Zero(t, list.Total, "%s holds certificates", as)
					return
				}
				require.NotZero(t, list.Total)
				for _, c := range list.Items {
					assert.Equal(t, e.employee("360102-01001"), c.EmployeeID)
				}
			}},

		{method: post, route: "/api/v1/certificates/:id/revoke", name: "in 360102", want: only(ok, examMakers...),
			prep: freshCertificate("360102-01", map[string]string{"reason": "培训记录造假"}),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var v exams.CertificateView
				res.JSON(t, &v)
				assert.Equal(t, models.CertRevoked, v.Status)
				assert.Equal(t, "培训记录造假", v.RevokedReason)
				assert.NotNil(t, v.RevokedBy)
			}},
		{method: post, route: "/api/v1/certificates/:id/revoke", name: "in 360402", want: only(ok, examMakers...),
			prep: freshCertificate("360402-01", map[string]string{"reason": "培训记录造假"})},
		{method: post, route: "/api/v1/certificates/:id/revoke", name: "revoked already", want: only(conflict, examMakers...),
			prep: func(e *env, as string) (string, any) {
				target, body := freshCertificate("360102-01", map[string]string{"reason": "第二次吊销"})(e, as)
				id := strings.TrimSuffix(strings.TrimPrefix(target, "/api/v1/certificates/"), "/revoke")
				require.NoError(e.t, e.db.Model(&models.Certificate{}).Where("id = ?", id).
					Updates(map[string]any{"revoked_at": time.Now().UTC(), "revoked_reason": "第一次吊销"}).Error)
				return target, body
			}},
		{method: post, route: "/api/v1/certificates/:id/revoke", name: "no reason", want: only(invalid, examMakers...),
			prep: freshCertificate("360102-01", map[string]string{"reason": "  "})},
		{method: post, route: "/api/v1/certificates/:id/revoke", name: "nonexistent", want: only(notFound, examMakers...),
			prep: func(*env, string) (string, any) {
				return "/api/v1/certificates/999999/revoke", map[string]string{"reason": "无此证书"}
			}},
	}
	// The staff's list by status: every item has the status asked for, and 东湖区 holds
	// one of each (seeds.LoadDemoCertificates), so the manager's list is never empty.
	for _, st := range models.CertificateStatuses {
		rows = append(rows, matrixRow{method: get, route: "/api/v1/certificates", name: "status=" + st, want: only(ok, staff...),
			prep: func(e *env, _ string) (string, any) {
				e.demoCertificate("360102-01001")
				return "/api/v1/certificates?per_page=200&status=" + st, nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				list := certificateList(t, res)
				require.NotZero(t, list.Total, "%s sees no %s certificate", as, st)
				for _, c := range list.Items {
					assert.Equal(t, st, c.Status, "%s: certificate %s", as, c.Number)
					assert.True(t, inScope(e, as, c.Employee.OrgUnit.Path), "%s sees the certificate of %s", as, c.Employee.JobNumber)
				}
			}})
	}
	return rows
}

// demoCertificate loads the demo certificates (once) and returns the first one of the
// employee with job number.
func (e *env) demoCertificate(job string) models.Certificate {
	e.t.Helper()
	_, err := seeds.LoadDemoCertificates(context.Background(), e.db, time.Now().UTC())
	require.NoError(e.t, err)
	var c models.Certificate
	require.NoError(e.t, e.db.Where("employee_id = ?", e.employee(job)).Order("id").Take(&c).Error, "no certificate of %s", job)
	return c
}

// freshCertificate makes a new window clerk in unitCode holding a new certificate, for
// this request alone, and targets the revoke route at it.
func freshCertificate(unitCode string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		c := e.freshCertificate(unitCode)
		return withID("/api/v1/certificates/:id/revoke", c.ID), body
	}
}

// freshCertificate stores a passed etiquette attempt of a new window clerk in unitCode
// and the certificate it issued.
func (e *env) freshCertificate(unitCode string) *models.Certificate {
	e.t.Helper()
	ctx := context.Background()
	emp, err := org.NewService(e.db).CreateEmployee(ctx, models.SystemActor, models.ScopeAll, org.EmployeeInput{
		JobNumber: fmt.Sprintf("%sZ%d", unitCode, uniq()), Name: "欧阳晓雯", OrgUnitID: e.unit(unitCode),
		Position: models.PositionWindow, HireDate: models.Date{Year: 2022, Month: 3, Day: 1}})
	require.NoError(e.t, err)
	return e.issueCertificate(emp.ID)
}

// issueCertificate passes employee id in the etiquette exam (an attempt at full marks)
// and issues the certificate.
func (e *env) issueCertificate(id uint) *models.Certificate {
	e.t.Helper()
	exam, err := models.GetExam(context.Background(), e.db, e.exam(seeds.EtiquetteExamTitle))
	require.NoError(e.t, err)
	now := time.Now().UTC().Truncate(time.Second)
	a := &models.Attempt{ExamID: exam.ID, EmployeeID: id, Number: 1, Status: models.AttemptSubmitted, StartedAt: now.Add(-time.Hour),
		Deadline: now, SubmittedAt: &now, Points: 100, MaxPoints: 100, Passed: true}
	var c *models.Certificate
	require.NoError(e.t, e.db.Transaction(func(tx *gorm.DB) error {
		if err := models.InsertAttempt(tx, a, nil); err != nil {
			return err
		}
		c, err = exams.NewService(e.db).IssueCertificate(tx, models.SystemActor, exams.DefaultCertificatePolicy, exam, a)
		return err
	}))
	return c
}

func certificateList(t *testing.T, res response) models.List[exams.CertificateView] {
	t.Helper()
	var list models.List[exams.CertificateView]
	res.JSON(t, &list)
	return list
}

// checkVerification checks a public verification answer: exactly the allowed fields,
// the name masked, nothing that identifies the holder beyond it.
func checkVerification(t *testing.T, e *env, job string, res response) {
	t.Helper()
	var got map[string]any
	res.JSON(t, &got)
	assert.ElementsMatch(t, []string{"name", "kind", "number", "issued_at", "expires_at", "status"}, keysOf(got), res.Body)
	m, err := models.EmployeesByJobNumber(context.Background(), e.db, []string{job})
	require.NoError(t, err)
	emp := m[job]
	assert.Equal(t, exams.MaskName(emp.Name), got["name"])
	assert.NotContains(t, res.Body, emp.Name)
	assert.NotContains(t, res.Body, job)
	assert.NotContains(t, res.Body, emp.Phone)
	assert.Equal(t, models.ExamEtiquette, got["kind"])
	assert.Regexp(t, `^LY-\d{4}-\d{6,}$`, got["number"])
}

func keysOf(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
