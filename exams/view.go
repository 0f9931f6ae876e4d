package exams

import (
	"context"
	"strings"
	"time"

	"quality/models"
)

// AttemptView is what the examinee sees: the frozen paper in its order, the saved
// answers and the time left by the server's clock. The key and explanations appear only
// after submission and once the exam's window has closed.
type AttemptView struct {
	ID            uint            `json:"id"`
	ExamID        uint            `json:"exam_id"`
	ExamTitle     string          `json:"exam_title"`
	Number        int             `json:"number"`
	Status        string          `json:"status"`
	StartedAt     time.Time       `json:"started_at"`
	Deadline      time.Time       `json:"deadline"`
	SecondsLeft   int64           `json:"seconds_left"`
	SubmittedAt   *time.Time      `json:"submitted_at,omitempty"`
	AutoSubmitted bool            `json:"auto_submitted"`
	Result        *AttemptResult  `json:"result,omitempty"`
	Questions     []PaperQuestion `json:"questions"`
}

// Answered counts the questions that have an answer: a choice, or text other than
// blanks (the paper's 已答 n/20 and the 交卷 confirmation).
func (v *AttemptView) Answered() int {
	n := 0
	for _, q := range v.Questions {
		if a := q.Answer; a != nil && (len(a.Choices) > 0 || strings.TrimSpace(a.Text) != "") {
			n++
		}
	}
	return n
}

// Unanswered counts the questions without an answer.
func (v *AttemptView) Unanswered() int { return len(v.Questions) - v.Answered() }

// AttemptResult is the score, shown at once after submission.
type AttemptResult struct {
	Points    int  `json:"points"`
	MaxPoints int  `json:"max_points"`
	Percent   int  `json:"percent"`
	Passed    bool `json:"passed"`
}

// PaperQuestion is one question as shown.
type PaperQuestion struct {
	ID       uint          `json:"id"`
	Position int           `json:"position"`
	Kind     string        `json:"kind"`
	Stem     string        `json:"stem"`
	Points   int           `json:"points"`
	Options  []ShownOption `json:"options"`
	Answer   *SavedAnswer  `json:"answer"`
	Review   *Review       `json:"review,omitempty"`
}

// ShownOption is an option in its frozen place; ID is what a save sends back.
type ShownOption struct {
	ID   int    `json:"id"`
	Text string `json:"text"`
}

// SavedAnswer is the stored answer with its sequence number.
type SavedAnswer struct {
	Choices []int     `json:"choices"`
	Text    string    `json:"text"`
	Seq     int64     `json:"seq"`
	SavedAt time.Time `json:"saved_at"`
}

// Review is the key of one question, after the window has closed.
type Review struct {
	Correct     bool     `json:"correct"`
	Answer      []int    `json:"answer"`
	Accepted    []string `json:"accepted,omitempty"`
	Explanation string   `json:"explanation"`
	Rule        string   `json:"rule"`
}

// View shows the employee's attempt (another employee's is not found).
func (s *Service) View(ctx context.Context, employeeID, attemptID uint) (*AttemptView, error) {
	a, err := models.GetAttempt(ctx, s.DB, attemptID, employeeID)
	if err != nil {
		return nil, err
	}
	exam, err := models.GetExam(ctx, s.DB, a.ExamID)
	if err != nil {
		return nil, err
	}
	paper, err := models.PaperOf(ctx, s.DB, a.ID)
	if err != nil {
		return nil, err
	}
	answers, err := models.AnswersOf(ctx, s.DB, a.ID)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	v := &AttemptView{ID: a.ID, ExamID: exam.ID, ExamTitle: exam.Title, Number: a.Number, Status: a.Status,
		StartedAt: a.StartedAt, Deadline: a.Deadline, SubmittedAt: a.SubmittedAt, AutoSubmitted: a.AutoSubmitted,
		Questions: make([]PaperQuestion, len(paper))}
	if a.Status == models.AttemptOpen {
		v.SecondsLeft = max(0, int64(a.Deadline.Sub(now).Seconds()))
	} else {
		v.Result = &AttemptResult{Points: a.Points, MaxPoints: a.MaxPoints, Passed: a.Passed}
		if a.MaxPoints > 0 {
			v.Result.Percent = a.Points * 100 / a.MaxPoints
		}
	}
	reveal := a.Status == models.AttemptSubmitted && !now.Before(exam.ClosesAt)
	for i, pq := range paper {
		q := pq.Question
		shown := PaperQuestion{ID: q.ID, Position: pq.Position, Kind: q.Kind, Stem: q.Stem, Points: pq.Points,
			Options: make([]ShownOption, len(pq.OptionOrder))}
		for j, idx := range pq.OptionOrder {
			shown.Options[j] = ShownOption{ID: idx, Text: q.Options[idx]}
		}
		if ans, ok := answers[q.ID]; ok {
			shown.Answer = &SavedAnswer{Choices: ans.Choices, Text: ans.Text, Seq: ans.Seq, SavedAt: ans.SavedAt}
			if shown.Answer.Choices == nil {
				shown.Answer.Choices = []int{}
			}
		}
		if reveal {
			ans := answers[q.ID]
			shown.Review = &Review{Correct: ans.Correct, Answer: q.Answer, Accepted: q.Accepted, Explanation: q.Explanation, Rule: q.Rule}
		}
		v.Questions[i] = shown
	}
	return v, nil
}
