package seeds

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
)

// Seeded exam titles.
const (
	OnboardingExamTitle = "新员工入职考试"
	EtiquetteExamTitle  = "服务礼仪认证考试"
)

// LoadQuestionBank inserts the embedded question bank when the bank is empty, and
// returns how many questions it inserted.
func LoadQuestionBank(ctx context.Context, db *gorm.DB) (int, error) {
	have, err := models.ListQuestions(ctx, db, models.QuestionFilter{Page: models.Page{PerPage: 1}})
	if err != nil || have.Total > 0 {
		return 0, err
	}
	bank, err := Questions()
	if err != nil {
		return 0, err
	}
	svc := exams.NewService(db)
	for _, q := range bank {
		in := exams.QuestionInput{Code: q.Key, Kind: q.Kind, Category: q.Category, Difficulty: q.Difficulty, Stem: q.Stem,
			Options: q.Options, Answer: q.Answer, Accepted: q.Accepted, Explanation: q.Explanation, Rule: q.Rule}
		if _, err := svc.CreateQuestion(ctx, models.SystemActor, in); err != nil {
			return 0, fmt.Errorf("seed question %s: %w", q.Key, err)
		}
	}
	return len(bank), nil
}

// SeedExams are the two exams of the standard: the onboarding exam every new hire
// takes (R8.2) and the etiquette certification for frontline staff (R8.3).
func SeedExams(now time.Time) []exams.ExamInput {
	opens := time.Date(now.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	closes := opens.AddDate(2, 0, 0)
	return []exams.ExamInput{
		{
			Title: OnboardingExamTitle, Kind: models.ExamOnboarding,
			Blueprint: []models.BlueprintRule{
				{Category: "basics", Difficulty: 1, Count: 8, Points: 5},
				{Category: "basics", Difficulty: 2, Count: 6, Points: 5},
				{Category: "etiquette", Difficulty: 1, Count: 3, Points: 5},
				{Category: "ethics", Count: 3, Points: 5},
			},
			TimeLimitMinutes: 30, OpensAt: opens, ClosesAt: closes, PassPercent: 60,
			AttemptsAllowed: 3, CoolOffMinutes: 60, Grading: models.GradeHighest, ShuffleQuestions: true, ShuffleOptions: true,
		},
		{
			Title: EtiquetteExamTitle, Kind: models.ExamEtiquette,
			Blueprint: []models.BlueprintRule{
				{Category: "etiquette", Difficulty: 1, Count: 5, Points: 5},
				{Category: "etiquette", Difficulty: 2, Count: 8, Points: 5},
				{Category: "etiquette", Difficulty: 3, Count: 4, Points: 5},
				{Category: "ethics", Count: 3, Points: 5},
			},
			TimeLimitMinutes: 45, OpensAt: opens, ClosesAt: closes, PassPercent: 80,
			AttemptsAllowed: 2, CoolOffMinutes: 24 * 60, Grading: models.GradeHighest, ShuffleQuestions: true, ShuffleOptions: true,
			// R8.3: etiquette training for hall/window, installation/maintenance and marketing staff.
			Positions: []string{models.PositionWindow, models.PositionInstaller, models.PositionMarketing},
		},
	}
}

// LoadExams creates and publishes the seeded exams when there are no exams yet.
func LoadExams(ctx context.Context, db *gorm.DB, now time.Time) (int, error) {
	have, err := models.ListExams(ctx, db, false, models.Page{PerPage: 1})
	if err != nil || have.Total > 0 {
		return 0, err
	}
	svc := exams.NewService(db)
	for _, in := range SeedExams(now) {
		e, err := svc.CreateExam(ctx, models.SystemActor, in)
		if err != nil {
			return 0, fmt.Errorf("seed exam %s: %w", in.Title, err)
		}
		if _, err := svc.PublishExam(ctx, models.SystemActor, e.ID); err != nil {
			return 0, fmt.Errorf("publish seed exam %s: %w", in.Title, err)
		}
	}
	return 2, nil
}
