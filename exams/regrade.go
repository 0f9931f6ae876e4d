package exams

import (
	"context"
	"slices"

	"gorm.io/gorm"

	"quality/models"
)

// RegradeResult says what a regrading changed.
type RegradeResult struct {
	Attempts int `json:"attempts"`
	// Changed attempts got a new score; their earlier one is kept in a Regrade row.
	Changed int `json:"changed"`
	// Passed and Failed count the attempts whose result flipped each way. A certificate
	// is issued for a new pass of the etiquette exam; one already issued for an attempt
	// that now fails is left to a trainer to revoke, with a reason.
	Passed int `json:"passed"`
	Failed int `json:"failed"`
}

// Regrade grades every submitted attempt of an exam again after a key fix: a question
// whose latest version shows the same kind and options as the version an attempt saw is
// graded with the latest key. It is one explicit, audited transaction; each attempt whose
// score changes keeps its earlier score in a Regrade row.
func (s *Service) Regrade(ctx context.Context, actor models.Actor, examID uint) (*RegradeResult, error) {
	exam, err := models.GetExam(ctx, s.DB, examID)
	if err != nil {
		return nil, err
	}
	res := &RegradeResult{}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ids, err := models.SubmittedAttempts(ctx, tx, exam.ID)
		if err != nil {
			return err
		}
		res.Attempts = len(ids)
		latest := map[string]models.Question{}
		for _, id := range ids {
			a, err := models.LockAttempt(tx, id, 0)
			if err != nil {
				return err
			}
			paper, err := models.PaperOf(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			var missing []string
			for _, pq := range paper {
				if _, ok := latest[pq.Question.Code]; !ok {
					missing = append(missing, pq.Question.Code)
				}
			}
			if len(missing) > 0 {
				more, err := models.LatestVersions(ctx, tx, missing)
				if err != nil {
					return err
				}
				for k, v := range more {
					latest[k] = v
				}
			}
			answers, err := models.AnswersOf(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			points := 0
			graded := make([]models.Answer, 0, len(answers))
			for _, pq := range paper {
				ans, ok := answers[pq.QuestionID]
				if !ok {
					continue
				}
				ans.Correct = Correct(keyFor(pq.Question, latest), Response{Choices: ans.Choices, Text: ans.Text})
				ans.Points = 0
				if ans.Correct {
					ans.Points = pq.Points
					points += pq.Points
				}
				graded = append(graded, ans)
			}
			passed := Passed(points, a.MaxPoints, exam.PassPercent)
			if points == a.Points && passed == a.Passed {
				continue
			}
			old := models.Regrade{AttemptID: a.ID, OldPoints: a.Points, OldPassed: a.Passed, NewPoints: points, NewPassed: passed,
				At: s.Now(), ActorName: actor.Username}
			if err := models.Insert(tx, &old); err != nil {
				return err
			}
			wasPassed := a.Passed
			a.Points, a.Passed = points, passed
			if err := models.FinishAttempt(tx, a, graded); err != nil {
				return err
			}
			res.Changed++
			switch {
			case passed && !wasPassed:
				res.Passed++
				if exam.Kind == models.ExamEtiquette {
					if _, err := s.IssueCertificate(tx, actor, s.Certificates, exam, a); err != nil {
						return err
					}
				}
			case !passed && wasPassed:
				res.Failed++
			}
		}
		return models.Audit(tx, actor, "regrade", "exam", exam.ID, res)
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// keyFor is the version whose key grades q: its latest version when that only fixed the
// key (same kind and options), else q itself.
func keyFor(q *models.Question, latest map[string]models.Question) *models.Question {
	l, ok := latest[q.Code]
	if !ok || l.ID == q.ID || l.Kind != q.Kind || !slices.Equal(l.Options, q.Options) {
		return q
	}
	return &l
}
