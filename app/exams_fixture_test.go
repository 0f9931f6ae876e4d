package app_test

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/stretchr/testify/require"

	"quality/exams"
	"quality/models"
	"quality/seeds"
)

// question returns the id of the latest version of the seeded question code.
func (e *env) question(code string) uint {
	e.t.Helper()
	var q models.Question
	require.NoError(e.t, e.db.Where("code = ? AND latest = ?", code, true).Take(&q).Error)
	return q.ID
}

// exam returns the id of the seeded exam with title.
func (e *env) exam(title string) uint {
	e.t.Helper()
	var x models.Exam
	require.NoError(e.t, e.db.Where("title = ?", title).Take(&x).Error)
	return x.ID
}

// attempt is an attempt with the paper it drew.
type attempt struct {
	*exams.AttemptView
}

// choiceQuestion returns a question of the paper answered by choosing options.
func (a attempt) choiceQuestion() uint {
	for _, q := range a.Questions {
		if q.Kind != models.KindFill {
			return q.ID
		}
	}
	panic("no choice question on the paper")
}

// employeeAttempt starts (or resumes) the demo employee's etiquette attempt; once it is
// submitted (and a new one must wait out the cooling-off), it is the latest one.
func (e *env) employeeAttempt() attempt {
	e.t.Helper()
	id := e.employee("360102-01001")
	svc := exams.NewService(e.db)
	v, _, err := svc.Start(context.Background(), models.SystemActor, &id, e.exam(seeds.EtiquetteExamTitle))
	if errors.Is(err, models.ErrConflict) {
		return attempt{e.latestAttempt(seeds.EtiquetteExamTitle, id)}
	}
	require.NoError(e.t, err)
	return attempt{v}
}

// latestAttempt shows an employee's latest attempt at an exam.
func (e *env) latestAttempt(title string, employeeID uint) *exams.AttemptView {
	e.t.Helper()
	past, err := models.PersonAttempts(context.Background(), e.db, e.exam(title), employeeID)
	require.NoError(e.t, err)
	require.NotEmpty(e.t, past)
	v, err := exams.NewService(e.db).View(context.Background(), employeeID, past[len(past)-1].ID)
	require.NoError(e.t, err)
	return v
}

// callerJobs are the employees the demo users are linked to (admin has none).
var callerJobs = map[string]string{trainer: "36001", inspector: "3601001", manager: "360102001", employee: "360102-01001"}

// openAttemptURL is the page of the caller's open attempt at an exam, or "" when none.
func (e *env) openAttemptURL(title, as string) string {
	job, ok := callerJobs[as]
	if !ok {
		return ""
	}
	past, err := models.PersonAttempts(context.Background(), e.db, e.exam(title), e.employee(job))
	require.NoError(e.t, err)
	for _, a := range past {
		if a.Status == models.AttemptOpen {
			return fmt.Sprintf("/attempts/%d", a.ID)
		}
	}
	return ""
}

var questionSeq int

// newQuestionBody is a valid new single-choice question.
func newQuestionBody() map[string]any {
	questionSeq++
	return map[string]any{"kind": "single", "category": "etiquette", "difficulty": 1,
		"stem": fmt.Sprintf("接听客服热线时应当怎样？（%d）", questionSeq), "options": []string{"语气友善、语速适中", "边吃东西边接听", "让用户稍后再打", "直接挂断"},
		"answer": []int{0}, "explanation": "R9.1：吐字清晰、语气友善、语速适中。", "rule": "R9.1"}
}

// freshQuestion makes a new question for each caller and targets route at it.
func freshQuestion(route string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		in := newQuestionBody()
		q, err := exams.NewService(e.db).CreateQuestion(context.Background(), models.SystemActor, exams.QuestionInput{
			Kind: "single", Category: "etiquette", Difficulty: 1, Stem: in["stem"].(string),
			Options: in["options"].([]string), Answer: []int{0}, Explanation: "R9.1", Rule: "R9.1"})
		require.NoError(e.t, err)
		return withID(route, q.ID), body
	}
}

// newExamBody is a valid draft exam drawing from the seeded bank.
func newExamBody() map[string]any {
	now := time.Now().UTC()
	return map[string]any{"title": "窗口服务规范小测", "kind": "general",
		"blueprint":          []map[string]any{{"category": "etiquette", "difficulty": 1, "count": 3, "points": 10}},
		"time_limit_minutes": 15, "opens_at": now.Add(-time.Hour), "closes_at": now.Add(30 * 24 * time.Hour),
		"pass_percent": 60, "attempts_allowed": 1}
}

// freshExam makes a new draft exam for each caller and targets route at it.
func freshExam(route string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		now := time.Now().UTC()
		x, err := exams.NewService(e.db).CreateExam(context.Background(), models.SystemActor, exams.ExamInput{
			Title: "抽查小测", Kind: models.ExamGeneral, TimeLimitMinutes: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
			Blueprint: []models.BlueprintRule{{Category: "ethics", Count: 2, Points: 10}}, PassPercent: 60, AttemptsAllowed: 1})
		require.NoError(e.t, err)
		return withID(route, x.ID), body
	}
}

// freshEmployeeAttempt publishes a new small exam and starts the demo employee's attempt
// at it, for rows that close an attempt.
func (e *env) freshEmployeeAttempt() uint {
	e.t.Helper()
	svc := exams.NewService(e.db)
	ctx := context.Background()
	now := time.Now().UTC()
	x, err := svc.CreateExam(ctx, models.SystemActor, exams.ExamInput{
		Title: "随堂测验", Kind: models.ExamGeneral, TimeLimitMinutes: 10, OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(24 * time.Hour),
		Blueprint: []models.BlueprintRule{{Category: "ethics", Count: 2, Points: 10}}, PassPercent: 60, AttemptsAllowed: 1})
	require.NoError(e.t, err)
	_, err = svc.PublishExam(ctx, models.SystemActor, x.ID)
	require.NoError(e.t, err)
	id := e.employee("360102-01001")
	v, _, err := svc.Start(ctx, models.SystemActor, &id, x.ID)
	require.NoError(e.t, err)
	return v.ID
}

// sitExam has each of staff start and submit examID, the i-th answering choice question
// j with option (i+j) mod n and leaving every third one blank, so item analysis gets
// first attempts that differ.
func (e *env) sitExam(examID uint, staff []models.Employee) {
	e.t.Helper()
	ctx := context.Background()
	svc := exams.NewService(e.db)
	for i, s := range staff {
		id := s.ID
		v, _, err := svc.Start(ctx, models.SystemActor, &id, examID)
		require.NoError(e.t, err)
		for j, q := range v.Questions {
			if q.Kind == models.KindFill || (i+j)%3 == 0 {
				continue // some left blank
			}
			_, err := svc.Save(ctx, models.SystemActor, &id, v.ID, q.ID, exams.SaveInput{Choices: []int{q.Options[(i+j)%len(q.Options)].ID}, Seq: 1})
			require.NoError(e.t, err)
		}
		_, err = svc.Submit(ctx, models.SystemActor, &id, v.ID)
		require.NoError(e.t, err)
	}
}
