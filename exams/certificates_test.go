package exams_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
)

// etiquetteInput is the standard bank's fixed paper as an etiquette certification:
// pass at 80 %, one attempt, open for three years so a holder can re-certify.
func etiquetteInput() exams.ExamInput {
	in := fixedInput()
	in.Title, in.Kind, in.PassPercent, in.AttemptsAllowed = "服务礼仪认证", models.ExamEtiquette, 80, 1
	in.ClosesAt = t0.AddDate(3, 0, 0)
	return in
}

// certTake starts job's attempt, answers every question right (or none) and submits.
func certTake(f *fixture, bank map[string]*models.Question, job string, examID uint, right bool) *exams.AttemptView {
	f.t.Helper()
	v, created := f.start(job, examID)
	require.True(f.t, created)
	if right {
		certAnswerAll(f, bank, job, v.ID)
	}
	sub, err := f.svc.Submit(f.ctx, as(job), f.emp(job), v.ID)
	require.NoError(f.t, err)
	require.Equal(f.t, right, sub.Result.Passed)
	return sub
}

func certAnswerAll(f *fixture, bank map[string]*models.Question, job string, attemptID uint) {
	f.t.Helper()
	require.NoError(f.t, f.save(job, attemptID, bank["S1"].ID, 1, []int{1}, ""))
	require.NoError(f.t, f.save(job, attemptID, bank["M1"].ID, 1, []int{0, 2}, ""))
	require.NoError(f.t, f.save(job, attemptID, bank["T1"].ID, 1, []int{0}, ""))
	require.NoError(f.t, f.save(job, attemptID, bank["F1"].ID, 1, nil, "24"))
}

// certsOf returns the certificates issued by an attempt.
func certsOf(f *fixture, attemptID uint) []models.Certificate {
	f.t.Helper()
	var out []models.Certificate
	require.NoError(f.t, f.db.Where("attempt_id = ?", attemptID).Find(&out).Error)
	return out
}

func TestPassingTheEtiquetteExamIssuesOneCertificate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(etiquetteInput())

		// The grading and the issue are one transaction: while the issue cannot be
		// written (a row already holds the attempt), the attempt is not graded either.
		v, _ := f.start(clerk, e.ID)
		certAnswerAll(f, bank, clerk, v.ID)
		blocker := models.Certificate{Number: "BLOCKER", Code: "BLOCKER", EmployeeID: *f.emp(clerk2), AttemptID: v.ID, ExamID: e.ID,
			Kind: models.ExamEtiquette, IssuedAt: t0, ExpiresAt: t0}
		require.NoError(t, db.Omit("Employee", "Attempt", "Exam").Create(&blocker).Error)
		_, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.ErrorIs(t, err, models.ErrConflict)
		require.Equal(t, models.AttemptOpen, f.attempt(v.ID).Status, "the grading was rolled back with the issue")
		require.EqualValues(t, 0, f.audits("submit", "attempt", v.ID))
		require.NoError(t, db.Delete(&models.Certificate{}, blocker.ID).Error)

		sub, err := f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.True(t, sub.Result.Passed)
		certs := certsOf(f, v.ID)
		require.Len(t, certs, 1)
		c := certs[0]
		require.Equal(t, *f.emp(clerk), c.EmployeeID)
		require.Equal(t, e.ID, c.ExamID)
		require.Equal(t, models.ExamEtiquette, c.Kind)
		require.True(t, t0.Equal(c.IssuedAt), "issued when passed: %s", c.IssuedAt)
		require.True(t, t0.AddDate(0, 24, 0).Equal(c.ExpiresAt), "24 months by default: %s", c.ExpiresAt)
		require.Equal(t, fmt.Sprintf("LY-2026-%06d", c.ID), c.Number)
		require.Regexp(t, `^[A-Z2-7]{24}$`, c.Code)
		require.Nil(t, c.RevokedAt)
		require.EqualValues(t, 1, f.audits("issue", "certificate", c.ID))

		// Submitting again changes nothing.
		_, err = f.svc.Submit(f.ctx, as(clerk), f.emp(clerk), v.ID)
		require.NoError(t, err)
		require.Len(t, certsOf(f, v.ID), 1)
		require.EqualValues(t, 1, f.audits("issue", "certificate", c.ID))
	})
}

// An etiquette attempt left open is auto-submitted by the sweep, which certifies a
// pass in the same transaction, dated at the deadline.
func TestTheSweepIssuesTheCertificate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(etiquetteInput())
		v, _ := f.start(clerk, e.ID)
		certAnswerAll(f, bank, clerk, v.ID)
		f.clock.Set(v.Deadline.Add(30*time.Second + time.Second))
		n, err := f.svc.Sweep(f.ctx)
		require.NoError(t, err)
		require.Equal(t, 1, n)
		certs := certsOf(f, v.ID)
		require.Len(t, certs, 1)
		require.True(t, v.Deadline.Equal(certs[0].IssuedAt))
		var ev models.AuditEvent
		require.NoError(t, db.Where("action = ? AND entity = ?", "issue", "certificate").Take(&ev).Error)
		require.Equal(t, "system", ev.ActorName)

		n, err = f.svc.Sweep(f.ctx)
		require.NoError(t, err)
		require.Zero(t, n)
		require.Len(t, certsOf(f, v.ID), 1)
	})
}

func TestOnlyAPassedEtiquetteExamCertifies(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		failed := certTake(f, bank, clerk, f.exam(etiquetteInput()).ID, false)
		require.Empty(t, certsOf(f, failed.ID), "a failed etiquette attempt")
		for _, kind := range []string{models.ExamGeneral, models.ExamOnboarding} {
			in := fixedInput()
			in.Kind, in.Title = kind, "考试 "+kind
			passed := certTake(f, bank, clerk2, f.exam(in).ID, true)
			require.Empty(t, certsOf(f, passed.ID), "a passed %s exam", kind)
		}
		require.EqualValues(t, 0, f.count(&models.Certificate{}, "1=1"))
	})
}

func TestCertificateNumbersAndCodesAreUnique(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(etiquetteInput())
		numbers, codes := map[string]bool{}, map[string]bool{}
		var first models.Certificate
		for _, job := range []string{clerk, clerk2, clerk3} {
			c := certsOf(f, certTake(f, bank, job, e.ID, true).ID)[0]
			require.False(t, numbers[c.Number], "number %s twice", c.Number)
			require.False(t, codes[c.Code], "code %s twice", c.Code)
			numbers[c.Number], codes[c.Code] = true, true
			if first.ID == 0 {
				first = c
			}
		}
		// The engine refuses a copy of either (on an attempt that issued nothing).
		general := certTake(f, bank, clerk, f.exam(fixedInput()).ID, true)
		for _, dup := range []models.Certificate{{Number: first.Number, Code: "OTHERCODE"}, {Number: "LY-OTHER", Code: first.Code}} {
			dup.EmployeeID, dup.AttemptID, dup.ExamID, dup.Kind, dup.IssuedAt, dup.ExpiresAt = first.EmployeeID, general.ID, first.ExamID, first.Kind, t0, t0
			err := db.Omit("Employee", "Attempt", "Exam").Create(&dup).Error
			require.ErrorIs(t, err, gorm.ErrDuplicatedKey)
		}
	})
}

// The status is derived from the clock: valid, expiring from 60 days before expiry,
// expired at expiry; the list's status filter draws the same lines on both engines.
func TestCertificateStatusFollowsTheClock(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		c := certsOf(f, certTake(f, bank, clerk, f.exam(etiquetteInput()).ID, true).ID)[0]
		expiring := c.ExpiresAt.AddDate(0, 0, -60)
		for _, step := range []struct {
			at   time.Time
			want string
		}{
			{t0, models.CertValid},
			{expiring.Add(-time.Second), models.CertValid},
			{expiring, models.CertExpiring},
			{c.ExpiresAt.Add(-time.Second), models.CertExpiring},
			{c.ExpiresAt, models.CertExpired},
			{c.ExpiresAt.AddDate(1, 0, 0), models.CertExpired},
		} {
			f.clock.Set(step.at)
			check, err := f.svc.VerifyCertificate(f.ctx, c.Code)
			require.NoError(t, err)
			require.Equal(t, step.want, check.Status, "at %s", step.at)
			for _, st := range models.CertificateStatuses {
				list, err := f.svc.ListCertificates(f.ctx, models.ScopeAll, exams.CertificateFilter{Status: st})
				require.NoError(t, err)
				require.EqualValues(t, map[bool]int{true: 1}[st == step.want], list.Total, "status=%s at %s", st, step.at)
			}
		}

		// The policy is a setting: 12 months, expiring 30 days before.
		f.clock.Set(t0)
		f.svc.Certificates = exams.CertificatePolicy{ValidMonths: 12, ExpiringDays: 30}
		in := etiquetteInput()
		in.Title = "服务礼仪认证（复训）"
		c2 := certsOf(f, certTake(f, bank, clerk2, f.exam(in).ID, true).ID)[0]
		require.True(t, t0.AddDate(1, 0, 0).Equal(c2.ExpiresAt))
		f.clock.Set(c2.ExpiresAt.AddDate(0, 0, -31))
		check, err := f.svc.VerifyCertificate(f.ctx, c2.Code)
		require.NoError(t, err)
		require.Equal(t, models.CertValid, check.Status)
		f.clock.Set(c2.ExpiresAt.AddDate(0, 0, -30))
		check, err = f.svc.VerifyCertificate(f.ctx, c2.Code)
		require.NoError(t, err)
		require.Equal(t, models.CertExpiring, check.Status)
	})
}

func TestRevokeCertificate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		c := certsOf(f, certTake(f, bank, clerk, f.exam(etiquetteInput()).ID, true).ID)[0]
		admin := models.Actor{UserID: 7, Username: "admin", RequestID: "test"}

		_, err := f.svc.RevokeCertificate(f.ctx, admin, models.ScopeAll, c.ID, exams.RevokeInput{Reason: "  "})
		dbtest.RequireFieldError(t, err, "reason", "required")
		_, err = f.svc.RevokeCertificate(f.ctx, admin, models.ScopeAll, c.ID, exams.RevokeInput{Reason: strings.Repeat("理", 501)})
		dbtest.RequireFieldError(t, err, "reason", "too_long")
		// Out of scope (九江's 濂溪区) looks like nonexistent.
		jiujiang := models.Scope{Paths: []string{f.units["360402"].Path}}
		_, err = f.svc.RevokeCertificate(f.ctx, admin, jiujiang, c.ID, exams.RevokeInput{Reason: "代考"})
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.RevokeCertificate(f.ctx, admin, models.ScopeAll, c.ID+1000, exams.RevokeInput{Reason: "代考"})
		require.ErrorIs(t, err, models.ErrNotFound)
		require.EqualValues(t, 0, f.audits("revoke", "certificate", c.ID))

		f.clock.Add(48 * time.Hour)
		revokedAt := f.clock.Now()
		v, err := f.svc.RevokeCertificate(f.ctx, admin, models.ScopeAll, c.ID, exams.RevokeInput{Reason: " 代考 "})
		require.NoError(t, err)
		require.Equal(t, models.CertRevoked, v.Status)
		require.EqualValues(t, 1, f.audits("revoke", "certificate", c.ID))

		f.clock.Add(time.Hour)
		_, err = f.svc.RevokeCertificate(f.ctx, trainer, models.ScopeAll, c.ID, exams.RevokeInput{Reason: "再次吊销"})
		dbtest.RequireConflict(t, err, "id", "certificate_revoked")
		require.EqualValues(t, 1, f.audits("revoke", "certificate", c.ID))

		// The certificate stays, as issued, with the first revocation.
		var got models.Certificate
		require.NoError(t, db.Where("id = ?", c.ID).Take(&got).Error)
		require.Equal(t, c.Number, got.Number)
		require.Equal(t, c.Code, got.Code)
		require.True(t, c.IssuedAt.Equal(got.IssuedAt) && c.ExpiresAt.Equal(got.ExpiresAt))
		require.NotNil(t, got.RevokedAt)
		require.True(t, revokedAt.Equal(*got.RevokedAt))
		require.Equal(t, "代考", got.RevokedReason)
		require.NotNil(t, got.RevokedBy)
		require.EqualValues(t, 7, *got.RevokedBy)

		// Parallel revocations of one certificate: one wins, the others are refused.
		c2 := certsOf(f, certTake(f, bank, clerk2, f.exam(etiquetteInput()).ID, true).ID)[0]
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := f.svc.RevokeCertificate(f.ctx, admin, models.ScopeAll, c2.ID, exams.RevokeInput{Reason: fmt.Sprintf("并发吊销 %d", i)})
				errs <- err
			}()
		}
		wg.Wait()
		close(errs)
		won := 0
		for err := range errs {
			if err == nil {
				won++
			} else {
				dbtest.RequireConflict(t, err, "id", "certificate_revoked")
			}
		}
		require.Equal(t, 1, won)
		require.EqualValues(t, 1, f.audits("revoke", "certificate", c2.ID))

		// Revoked beats expired, and the public check says so.
		f.clock.Set(c.ExpiresAt.AddDate(1, 0, 0))
		check, err := f.svc.VerifyCertificate(f.ctx, c.Code)
		require.NoError(t, err)
		require.Equal(t, models.CertRevoked, check.Status)
	})
}

func TestVerifyCertificate(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		c := certsOf(f, certTake(f, bank, clerk, f.exam(etiquetteInput()).ID, true).ID)[0]
		check, err := f.svc.VerifyCertificate(f.ctx, strings.ToLower(c.Code[:12])+"-"+c.Code[12:])
		require.NoError(t, err)
		require.Equal(t, &exams.CertificateCheck{Name: exams.MaskName(f.emps[clerk].Name), Kind: models.ExamEtiquette, Number: c.Number,
			IssuedAt: check.IssuedAt, ExpiresAt: check.ExpiresAt, Status: models.CertValid}, check)
		require.True(t, c.IssuedAt.Equal(check.IssuedAt) && c.ExpiresAt.Equal(check.ExpiresAt))
		require.NotEqual(t, f.emps[clerk].Name, check.Name)
		for _, code := range []string{"", "AAAAAAAAAAAAAAAAAAAAAAAA", c.Code[1:], c.Code + "A", "' OR 1=1 --", strings.Repeat("A", 10000)} {
			_, err := f.svc.VerifyCertificate(f.ctx, code)
			require.ErrorIs(t, err, models.ErrNotFound, "code %q", code)
		}
	})
}

// Re-certification: a holder whose certificate is expiring or expired may take the
// etiquette exam again though the attempts allowed are used up; only the attempts since
// the certificate count. A valid or revoked certificate opens nothing.
func TestRecertification(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		bank := f.standardBank()
		e := f.exam(etiquetteInput())
		first := certsOf(f, certTake(f, bank, clerk, e.ID, true).ID)[0]
		expired := certsOf(f, certTake(f, bank, clerk2, e.ID, true).ID)[0]
		revoked := certsOf(f, certTake(f, bank, clerk3, e.ID, true).ID)[0]
		_, err := f.svc.RevokeCertificate(f.ctx, trainer, models.ScopeAll, revoked.ID, exams.RevokeInput{Reason: "代考"})
		require.NoError(t, err)
		refused := func(job string) {
			t.Helper()
			_, _, err := f.svc.Start(f.ctx, as(job), f.emp(job), e.ID)
			dbtest.RequireConflict(t, err, "exam", "no_attempts_left")
		}
		refused(clerk)

		// Still valid a day before the window: no new attempt.
		f.clock.Set(first.ExpiresAt.AddDate(0, 0, -61))
		refused(clerk)

		// Expiring: the exam is open to the holder again; passing issues a new
		// certificate and the old one stays as it was.
		f.clock.Set(first.ExpiresAt.AddDate(0, 0, -60))
		renewed := certTake(f, bank, clerk, e.ID, true)
		require.Equal(t, 2, renewed.Number)
		second := certsOf(f, renewed.ID)[0]
		require.True(t, f.clock.Now().Equal(second.IssuedAt))
		require.True(t, first.ExpiresAt.Before(second.ExpiresAt))
		var all []models.Certificate
		require.NoError(t, db.Where("employee_id = ?", *f.emp(clerk)).Order("id").Find(&all).Error)
		require.Len(t, all, 2)
		require.Equal(t, first.Number, all[0].Number)
		require.True(t, first.ExpiresAt.Equal(all[0].ExpiresAt))
		check, err := f.svc.VerifyCertificate(f.ctx, first.Code)
		require.NoError(t, err)
		require.Equal(t, models.CertExpiring, check.Status, "the old certificate keeps its own dates")
		refused(clerk) // the new certificate is valid

		// Expired: one attempt again; failing it uses it up.
		f.clock.Set(expired.ExpiresAt.Add(time.Hour))
		certTake(f, bank, clerk2, e.ID, false)
		refused(clerk2)

		// Revoked: expiry does not reopen the exam (a trainer's override would).
		refused(clerk3)
	})
}
