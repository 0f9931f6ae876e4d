package main

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/seeds"
)

// The exams a run can sit (-exam).
const (
	// examOnboarding is the seeded onboarding exam; its examinees are employees who have
	// sat no exam yet, about 2,550 on the demo province.
	examOnboarding = "onboarding"
	// examProvince is an exam examload makes for itself, open to every position and
	// unit, as the company would sit the etiquette exam on one morning: every active
	// employee without an account can be an examinee (issue 10 §5: 20,000).
	examProvince = "province"
)

// provinceExamTitle names examload's own exam: it is found by this title, so a second
// run sits the same exam instead of making another.
const provinceExamTitle = "全省服务礼仪统考（examload）"

// sitExam returns the exam the run sits, making the province exam when it is missing.
func sitExam(ctx context.Context, db *gorm.DB, cfg config) (*models.Exam, error) {
	if cfg.exam == examProvince {
		return provinceExam(ctx, db, time.Now().UTC(), cfg.deadline)
	}
	return onboardingExam(ctx, db)
}

// onboardingExam finds the seeded onboarding exam; the server must have run with --demo.
func onboardingExam(ctx context.Context, db *gorm.DB) (*models.Exam, error) {
	var e models.Exam
	err := db.WithContext(ctx).Where("title = ? AND status = ?", seeds.OnboardingExamTitle, models.ExamPublished).
		Order("id").Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("no published exam %q: start the server once with `quality serve --demo` on this database", seeds.OnboardingExamTitle)
	}
	return &e, err
}

// provinceExamInput is the province exam: the etiquette exam's blueprint (20 questions
// from the seeded bank), no position or unit restriction (empty lists mean everyone,
// exams.InAudience), one attempt, and an hour per paper, far beyond a run's 5–15 min.
// It is of kind general, not etiquette: a benchmark must not issue certificates or
// enter the etiquette coverage and rankings of the database it runs on.
func provinceExamInput(now time.Time) (exams.ExamInput, error) {
	i := slices.IndexFunc(seeds.SeedExams(now), func(in exams.ExamInput) bool { return in.Title == seeds.EtiquetteExamTitle })
	if i < 0 {
		return exams.ExamInput{}, errors.New("no seeded etiquette exam to take the blueprint from")
	}
	return exams.ExamInput{
		Title: provinceExamTitle, Kind: models.ExamGeneral, Blueprint: seeds.SeedExams(now)[i].Blueprint,
		TimeLimitMinutes: 60, OpensAt: now.Add(-time.Hour), ClosesAt: now.AddDate(0, 0, 1), PassPercent: 80,
		AttemptsAllowed: 1, Grading: models.GradeHighest, ShuffleQuestions: true, ShuffleOptions: true,
	}, nil
}

// provinceExam finds examload's province exam by its title, or creates it, publishes it
// when it is still a draft (a run stopped in between), and moves its closing time when
// it would close before a run of length deadline (plus a paper's time) has ended.
func provinceExam(ctx context.Context, db *gorm.DB, now time.Time, deadline time.Duration) (*models.Exam, error) {
	svc := exams.NewService(db)
	in, err := provinceExamInput(now)
	if err != nil {
		return nil, err
	}
	var e models.Exam
	err = db.WithContext(ctx).Where("title = ?", provinceExamTitle).Order("id").Take(&e).Error
	switch {
	case errors.Is(err, gorm.ErrRecordNotFound):
		made, err := svc.CreateExam(ctx, models.SystemActor, in)
		if err != nil {
			return nil, fmt.Errorf("create exam %q: %w", provinceExamTitle, err)
		}
		e = *made
		fmt.Printf("created exam %d %q, open until %s\n", e.ID, e.Title, e.ClosesAt.Format(time.RFC3339))
	case err != nil:
		return nil, err
	}
	if need := now.Add(deadline + time.Duration(e.TimeLimitMinutes)*time.Minute); e.ClosesAt.Before(need) {
		// Only the closing time changes, which an exam with attempts allows.
		next := inputOf(&e)
		next.ClosesAt = in.ClosesAt
		if next.ClosesAt.Before(need) {
			next.ClosesAt = need.Add(time.Hour)
		}
		moved, err := svc.UpdateExam(ctx, models.SystemActor, e.ID, next)
		if err != nil {
			return nil, fmt.Errorf("reopen exam %d %q: %w", e.ID, provinceExamTitle, err)
		}
		e = *moved
		fmt.Printf("exam %d %q now closes at %s\n", e.ID, e.Title, e.ClosesAt.Format(time.RFC3339))
	}
	if e.OpensAt.After(now) {
		return nil, fmt.Errorf("exam %d %q opens only at %s", e.ID, provinceExamTitle, e.OpensAt.Format(time.RFC3339))
	}
	if e.Status != models.ExamPublished {
		published, err := svc.PublishExam(ctx, models.SystemActor, e.ID)
		if err != nil {
			return nil, fmt.Errorf("publish exam %d %q (the seeded question bank must be loaded): %w", e.ID, provinceExamTitle, err)
		}
		e = *published
	}
	return &e, nil
}

// inputOf is an exam's settings as an update input.
func inputOf(e *models.Exam) exams.ExamInput {
	return exams.ExamInput{
		Title: e.Title, Kind: e.Kind, Blueprint: e.Blueprint, Fixed: e.Fixed, TimeLimitMinutes: e.TimeLimitMinutes,
		OpensAt: e.OpensAt, ClosesAt: e.ClosesAt, PassPercent: e.PassPercent, AttemptsAllowed: e.AttemptsAllowed,
		CoolOffMinutes: e.CoolOffMinutes, Grading: e.Grading, ShuffleQuestions: e.ShuffleQuestions,
		ShuffleOptions: e.ShuffleOptions, Positions: e.Positions, OrgUnitIDs: e.OrgUnitIDs,
	}
}
