package seeds

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
)

// DemoRevokeReason is why the one revoked demo certificate was revoked.
const DemoRevokeReason = "复核发现考试期间由他人代答，证书吊销"

// LoadDemoCertificates gives the first two active frontline employees (window and
// marketing staff, by job number) of every outlet a passed etiquette attempt, with a
// drawn paper and graded answers, and the certificate it issued, unless a certificate
// exists already. The dates are set back from now so that every status shows: in
// outlet order the first holder's certificate is valid, the second's expiring, the
// third's expired and the fourth's revoked; after that most are valid and every fourth
// is expiring. The same database and now give the same holders, papers and dates (the
// verification codes alone are random). It returns the number of certificates.
func LoadDemoCertificates(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	have, err := models.ListCertificates(ctx, db, models.ScopeAll, models.CertificateFilter{Page: models.Page{PerPage: 1}})
	if err != nil || have.Total > 0 {
		return 0, err
	}
	exam, err := etiquetteExam(ctx, db)
	if err != nil {
		return 0, err
	}
	pool, err := models.CurrentQuestions(ctx, db)
	if err != nil {
		return 0, err
	}
	holders, err := demoHolders(ctx, db)
	if err != nil {
		return 0, err
	}
	now = now.UTC().Truncate(time.Second)
	svc := exams.NewService(db)
	err = db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var events []*models.AuditEvent
		for i, emp := range holders {
			issued, revoked := demoDates(i, now)
			a, err := demoAttempt(ctx, tx, exam, pool, emp, issued, rand.New(rand.NewPCG(20261126, uint64(i))))
			if err != nil {
				return fmt.Errorf("demo attempt of %s: %w", emp.JobNumber, err)
			}
			events = append(events, models.NewAuditEvent(models.SystemActor, "seed", "attempt", a.ID,
				map[string]any{"exam_id": exam.ID, "employee_id": emp.ID, "points": a.Points}))
			c, err := svc.IssueCertificate(tx, models.SystemActor, exams.DefaultCertificatePolicy, exam, a)
			if err != nil {
				return fmt.Errorf("demo certificate of %s: %w", emp.JobNumber, err)
			}
			if revoked.IsZero() {
				continue
			}
			if _, err := models.RevokeCertificate(tx, c.ID, revoked, DemoRevokeReason, nil); err != nil {
				return err
			}
			events = append(events, models.NewAuditEvent(models.SystemActor, "revoke", "certificate", c.ID, map[string]any{"reason": DemoRevokeReason}))
		}
		return models.AuditMany(tx, events)
	})
	if err != nil {
		return 0, err
	}
	return len(holders), nil
}

// etiquetteExam finds the seeded etiquette exam.
func etiquetteExam(ctx context.Context, db *gorm.DB) (*models.Exam, error) {
	list, err := models.ListExams(ctx, db, true, models.Page{PerPage: models.MaxPerPage})
	if err != nil {
		return nil, err
	}
	for _, e := range list.Items {
		if e.Kind == models.ExamEtiquette && e.Title == EtiquetteExamTitle {
			return &e, nil
		}
	}
	return nil, errors.New("no published etiquette exam: load the exams first")
}

// demoHolders are the first two active window or marketing employees of every outlet,
// outlets in code order.
func demoHolders(ctx context.Context, db *gorm.DB) ([]models.Employee, error) {
	var staff []models.Employee
	err := db.WithContext(ctx).Preload("OrgUnit").
		Where("position IN ? AND status = ?", []string{models.PositionWindow, models.PositionMarketing}, models.StatusActive).
		Order("job_number").Find(&staff).Error
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(staff, func(a, b models.Employee) int {
		switch {
		case a.OrgUnit.Code < b.OrgUnit.Code:
			return -1
		case a.OrgUnit.Code > b.OrgUnit.Code:
			return 1
		}
		return 0
	})
	var out []models.Employee
	perUnit := map[uint]int{}
	for _, e := range staff {
		if e.OrgUnit.Level != models.LevelOutlet || perUnit[e.OrgUnitID] == 2 {
			continue
		}
		perUnit[e.OrgUnitID]++
		out = append(out, e)
	}
	return out, nil
}

// demoDates is when the i-th demo certificate was issued (and revoked, or zero), under
// the default policy of 24 months, expiring 60 days before.
func demoDates(i int, now time.Time) (issued, revoked time.Time) {
	valid := now.AddDate(0, -(1 + i%17), -(i % 23)) // 6 months or more left
	expiring := now.AddDate(0, -24, 5+i%50)         // expires in 5 to 54 days
	switch {
	case i == 0:
		return now.AddDate(0, -5, 0), time.Time{}
	case i == 1:
		return now.AddDate(0, -24, 30), time.Time{}
	case i == 2:
		return now.AddDate(0, -25, -10), time.Time{} // expired about 40 days ago
	case i == 3:
		return now.AddDate(0, -8, 0), now.AddDate(0, 0, -20)
	case i%4 == 1:
		return expiring, time.Time{}
	}
	return valid, time.Time{}
}

// demoAttempt stores a submitted attempt of emp that passed at issued: a paper drawn by
// rng, answered right but for up to three questions.
func demoAttempt(ctx context.Context, tx *gorm.DB, exam *models.Exam, pool []models.Question, emp models.Employee, issued time.Time, rng *rand.Rand) (*models.Attempt, error) {
	drawn, err := exams.Draw(exam, pool, nil, rng)
	if err != nil {
		return nil, err
	}
	past, err := models.PersonAttempts(ctx, tx, exam.ID, emp.ID)
	if err != nil {
		return nil, err
	}
	started := issued.Add(-35 * time.Minute)
	a := &models.Attempt{ExamID: exam.ID, EmployeeID: emp.ID, Number: len(past) + 1, Status: models.AttemptSubmitted,
		StartedAt: started, Deadline: started.Add(time.Duration(exam.TimeLimitMinutes) * time.Minute), SubmittedAt: &issued}
	wrong := map[int]bool{}
	for _, i := range rng.Perm(len(drawn))[:rng.IntN(4)] {
		wrong[i] = true
	}
	paper := make([]models.AttemptQuestion, len(drawn))
	answers := make([]models.Answer, len(drawn))
	for i, d := range drawn {
		q := d.Question
		a.MaxPoints += d.Points
		paper[i] = models.AttemptQuestion{Position: i + 1, QuestionID: q.ID, Points: d.Points, OptionOrder: d.OptionOrder}
		r := exams.Response{Choices: slices.Clone([]int(q.Answer))}
		if q.Kind == models.KindFill {
			r = exams.Response{Text: q.Accepted[0]}
		}
		if wrong[i] {
			r = wrongResponse(q)
		}
		ans := models.Answer{QuestionID: q.ID, Choices: r.Choices, Text: r.Text, Seq: 1,
			SavedAt: started.Add(time.Duration(i+1) * time.Minute), Correct: exams.Correct(&q, r)}
		if ans.Correct {
			ans.Points = d.Points
			a.Points += d.Points
		}
		answers[i] = ans
	}
	a.Passed = exams.Passed(a.Points, a.MaxPoints, exam.PassPercent)
	if !a.Passed {
		return nil, fmt.Errorf("%d of %d points do not pass the exam", a.Points, a.MaxPoints)
	}
	if err := models.InsertAttempt(tx, a, paper); err != nil {
		return nil, err
	}
	for i := range answers {
		answers[i].AttemptID = a.ID
	}
	if err := tx.Omit("Attempt").CreateInBatches(answers, 100).Error; err != nil {
		return nil, err
	}
	return a, nil
}

// wrongResponse is a wrong answer to q: the first option that is not in the key, or
// a blank guess.
func wrongResponse(q models.Question) exams.Response {
	if q.Kind == models.KindFill {
		return exams.Response{Text: "不确定"}
	}
	for i := range q.Options {
		if !slices.Contains(q.Answer, i) {
			return exams.Response{Choices: []int{i}}
		}
	}
	return exams.Response{}
}
