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
	"quality/models/dbtest"
	"quality/seeds"
)

// Issue 3, "done when": the employee passes the etiquette exam over HTTP, finds the
// certificate among their own, and anyone verifies it by its code without logging in,
// seeing the masked name, type, number, dates and status and nothing else.
func TestPassEtiquetteExamAndVerifyCertificate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login("employee")
		res := emp.do(http.MethodPost, fmt.Sprintf("/api/v1/exams/%d/attempts", e.exam(seeds.EtiquetteExamTitle)), nil)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var paper exams.AttemptView
		res.JSON(t, &paper)
		for _, pq := range paper.Questions {
			q, err := models.GetQuestion(context.Background(), db, pq.ID)
			require.NoError(t, err)
			body := map[string]any{"choices": []int(q.Answer), "seq": 1}
			if q.Kind == models.KindFill {
				body = map[string]any{"text": q.Accepted[0], "seq": 1}
			}
			res := emp.do(http.MethodPut, fmt.Sprintf("/api/v1/attempts/%d/answers/%d", paper.ID, pq.ID), body)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
		}
		res = emp.do(http.MethodPost, fmt.Sprintf("/api/v1/attempts/%d/submit", paper.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var done exams.AttemptView
		res.JSON(t, &done)
		require.True(t, done.Result.Passed)

		res = emp.do(http.MethodGet, "/api/v1/me/certificates", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		mine := certificateList(t, res)
		require.EqualValues(t, 1, mine.Total)
		cert := mine.Items[0]
		assert.Equal(t, paper.ID, cert.AttemptID)
		assert.Equal(t, models.CertValid, cert.Status)
		assert.Nil(t, cert.Employee, "the holder's own list does not repeat their record")
		assert.Regexp(t, `^[A-Z2-7]{24}$`, cert.Code)

		// Without a session, and as typed from a printout: lower case, in groups.
		for _, code := range []string{cert.Code, strings.ToLower(cert.Code[:8]) + "-" + cert.Code[8:16] + "%20" + cert.Code[16:]} {
			res = e.anon().do(http.MethodGet, "/api/v1/certificates/verify?code="+code, nil)
			require.Equal(t, http.StatusOK, res.Code, res.Body)
			checkVerification(t, e, "360102-01001", res)
			var got exams.CertificateCheck
			res.JSON(t, &got)
			assert.Equal(t, cert.Number, got.Number)
			assert.Equal(t, models.CertValid, got.Status)
			assert.True(t, got.IssuedAt.Equal(cert.IssuedAt))
			assert.True(t, got.ExpiresAt.Equal(cert.ExpiresAt))
			assert.NotContains(t, res.Body, cert.Code, "the answer does not echo the code")
		}

		for _, code := range []string{"AAAAAAAAAAAAAAAAAAAAAAAA", cert.Code[:23], cert.Code + "A", "x", strings.Repeat("A", 200)} {
			res = e.anon().do(http.MethodGet, "/api/v1/certificates/verify?code="+code, nil)
			require.Equal(t, http.StatusNotFound, res.Code, "%s: %s", code, res.Body)
			assert.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
		}

		// The printable page (issue 9): number, holder, dates, code, the verify URL and
		// its QR code, an A4 print stylesheet; linked from the list; another user's 404.
		print := fmt.Sprintf("/certificates/%d/print", cert.ID)
		res = emp.do(http.MethodGet, "/certificates", nil)
		assert.Contains(t, res.Body, `href="`+print+`"`)
		res = emp.do(http.MethodGet, print, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var holder models.Employee
		require.NoError(t, db.Where("job_number = ?", "360102-01001").Take(&holder).Error)
		for _, want := range []string{cert.Number, holder.Name, cert.Code, "/verify?code=" + cert.Code, `<svg class="qr"`,
			cert.IssuedAt.In(shanghaiZone(t)).Format("2006-01-02 15:04"), cert.ExpiresAt.In(shanghaiZone(t)).Format("2006-01-02 15:04")} {
			assert.Contains(t, res.Body, want)
		}
		css := emp.do(http.MethodGet, "/static/app.css", nil)
		assert.Contains(t, css.Body, "@page{size:A4 portrait")
		for _, other := range []string{manager, seeds.AdminUsername} {
			assert.Equal(t, http.StatusNotFound, e.login(other).do(http.MethodGet, print, nil).Code, other)
		}
		assert.Equal(t, http.StatusNotFound, emp.do(http.MethodGet, "/certificates/999999/print", nil).Code)
	})
}

func TestMaskName(t *testing.T) {
	for in, want := range map[string]string{"王佳佳": "王**", "王佳": "王*", "王": "王*", "欧阳晓雯": "欧***", " 李四 ": "李*", "": "*", "Ann": "A**"} {
		assert.Equal(t, want, exams.MaskName(in), in)
	}
}

// The manager of 东湖区 sees the certificates of 东湖 staff only, expiring ones among
// them (the people to re-certify); the admin sees the province's; revoking is for
// trainers and admins, once, with a reason, and verification then says revoked.
func TestCertificateListsAndRevocation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		n, err := seeds.LoadDemoCertificates(context.Background(), db, time.Now().UTC())
		require.NoError(t, err)
		require.Equal(t, 8, n, "two holders in each of the four outlets")
		n, err = seeds.LoadDemoCertificates(context.Background(), db, time.Now().UTC())
		require.NoError(t, err)
		require.Zero(t, n, "loaded once")

		mgr := e.login("manager")
		res := mgr.do(http.MethodGet, "/api/v1/certificates?status=expiring", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		expiring := certificateList(t, res)
		require.NotZero(t, expiring.Total)
		for _, c := range expiring.Items {
			assert.Equal(t, models.CertExpiring, c.Status)
			assert.True(t, strings.HasPrefix(c.Employee.OrgUnit.Code, "360102"), c.Employee.JobNumber)
		}

		res = mgr.do(http.MethodGet, "/api/v1/certificates?per_page=200", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		mine := certificateList(t, res)
		statuses := map[string]int{}
		for _, c := range mine.Items {
			assert.True(t, strings.HasPrefix(c.Employee.OrgUnit.Code, "360102"), "the manager sees %s", c.Employee.JobNumber)
			statuses[c.Status]++
		}
		assert.Equal(t, map[string]int{models.CertValid: 1, models.CertExpiring: 1, models.CertExpired: 1, models.CertRevoked: 1}, statuses)

		adm := e.login("admin")
		res = adm.do(http.MethodGet, "/api/v1/certificates?per_page=200", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		all := certificateList(t, res)
		require.EqualValues(t, 8, all.Total)
		var other exams.CertificateView
		for _, c := range all.Items {
			if strings.HasPrefix(c.Employee.OrgUnit.Code, "360402") && c.Status == models.CertValid {
				other = c
			}
		}
		require.NotZero(t, other.ID)

		// Managers do not revoke; an admin of 南昌 does not reach a certificate of 九江
		// staff: out of scope looks like nonexistent.
		revoke := fmt.Sprintf("/api/v1/certificates/%d/revoke", other.ID)
		require.Equal(t, http.StatusForbidden, mgr.do(http.MethodPost, revoke, map[string]string{"reason": "x"}).Code)
		fixtureUser(e, "admin-3601", models.RoleAdmin, "3601")
		city := e.anon()
		res = city.do(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": "admin-3601", "password": matrixPassword})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		require.Equal(t, http.StatusNotFound, city.do(http.MethodPost, revoke, map[string]string{"reason": "x"}).Code)
		res = city.do(http.MethodGet, "/api/v1/certificates?per_page=200", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		require.EqualValues(t, 4, certificateList(t, res).Total, "the 东湖 four, not the 濂溪 four")

		trn := e.login("trainer")
		audits := e.auditCount()
		res = trn.do(http.MethodPost, revoke, map[string]string{"reason": " 考试作弊 "})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, audits+1, e.auditCount(), "one audit row for the revocation")
		var revoked exams.CertificateView
		res.JSON(t, &revoked)
		assert.Equal(t, models.CertRevoked, revoked.Status)
		assert.Equal(t, "考试作弊", revoked.RevokedReason)

		res = adm.do(http.MethodPost, revoke, map[string]string{"reason": "再次吊销"})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Contains(t, res.Body, `"code":"certificate_revoked"`)
		assert.Contains(t, res.Body, "已被吊销")
		var after models.Certificate
		require.NoError(t, db.Where("id = ?", other.ID).Take(&after).Error)
		assert.Equal(t, "考试作弊", after.RevokedReason, "the first revocation stands")

		res = e.anon().do(http.MethodGet, "/api/v1/certificates/verify?code="+other.Code, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, `"status":"revoked"`)
		assert.NotContains(t, res.Body, "考试作弊", "the reason is not public")

		// The employee's own list: their one certificate, nobody else's.
		res = e.login("employee").do(http.MethodGet, "/api/v1/me/certificates", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		own := certificateList(t, res)
		require.EqualValues(t, 1, own.Total)
		assert.Equal(t, e.employee("360102-01001"), own.Items[0].EmployeeID)
	})
}
