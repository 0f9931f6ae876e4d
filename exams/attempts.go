package exams

import (
	"context"
	crand "crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// Service is the exams domain (questions, exams, attempts, certificates): it holds the
// database, the clock, the grace after a deadline and the random source, so tests can
// drive all of them.
type Service struct {
	DB *gorm.DB
	// Now is the clock; Grace is how long after the deadline a save is still taken
	// (network latency, a click at the last second).
	Now   func() time.Time
	Grace time.Duration
	// Rand returns the random source of a new paper.
	Rand func() *rand.Rand
	// Certificates is the life of a certificate; zero fields take the defaults.
	Certificates CertificatePolicy
}

// DefaultGrace is the grace after a deadline for saves in flight.
const DefaultGrace = 30 * time.Second

// NewService returns a service on the wall clock with the default grace.
func NewService(db *gorm.DB) *Service {
	return &Service{DB: db, Now: func() time.Time { return time.Now().UTC() }, Grace: DefaultGrace, Rand: newRand}
}

func newRand() *rand.Rand {
	var seed [16]byte
	_, _ = crand.Read(seed[:])
	return rand.New(rand.NewPCG(binary.LittleEndian.Uint64(seed[:8]), binary.LittleEndian.Uint64(seed[8:])))
}

// Refusals of an attempt action, each a 409 naming why.
var (
	errNotOpen       = &models.ConflictError{Field: "exam", Code: "exam_not_open"}
	errClosed        = &models.ConflictError{Field: "exam", Code: "exam_closed"}
	errNoAttempts    = &models.ConflictError{Field: "exam", Code: "no_attempts_left"}
	errCoolingOff    = &models.ConflictError{Field: "exam", Code: "cooling_off"}
	errSubmitted     = &models.ConflictError{Field: "attempt", Code: "attempt_submitted"}
	errDeadline      = &models.ConflictError{Field: "attempt", Code: "deadline_passed"}
	errStaleSave     = &models.ConflictError{Field: "seq", Code: "stale_seq"}
	errPoolExhausted = &models.ConflictError{Field: "exam", Code: "pool_exhausted"}
	errNoEmployee    = &models.ConflictError{Field: "user", Code: "no_employee"}
	errNotAudience   = fmt.Errorf("not in the exam's audience: %w", models.ErrNotFound)
	errNotPublished  = fmt.Errorf("exam not published: %w", models.ErrNotFound)
	// errNotYours: a user without an employee has no attempts at all.
	errNotYours = fmt.Errorf("attempt of another person: %w", models.ErrNotFound)
)

// InAudience reports whether an employee of the given position and unit path may take
// the exam; audiencePaths are the paths of the exam's org units (an exam without org
// units is open to every unit).
func InAudience(exam *models.Exam, position, unitPath string, audiencePaths []string) bool {
	if len(exam.Positions) > 0 && !slices.Contains(exam.Positions, position) {
		return false
	}
	// Decided by the exam, not by the paths found: a unit that could not be loaded
	// must not open the exam to everyone.
	if len(exam.OrgUnitIDs) == 0 {
		return true
	}
	for _, p := range audiencePaths {
		if strings.HasPrefix(unitPath, p) {
			return true
		}
	}
	return false
}

// Start begins an attempt or resumes the open one. Twenty parallel starts give one
// attempt: the unique open key lets one insert win and the others resume it. created
// tells whether this call made the attempt.
// Standing is where an employee stands with an exam they may take, as the exam list
// shows it and as Start decides: the attempt in progress, the latest passed one, the
// attempts used and allowed, and — when a new attempt cannot start now — why, with the
// end of the cool-off when that is the reason.
type Standing struct {
	Open    *models.Attempt `json:"open,omitempty"`
	Passed  *models.Attempt `json:"passed,omitempty"`
	Used    int             `json:"used"`
	Allowed int             `json:"allowed"` // 0: no limit; extra attempts granted included
	// NextAt is when the cool-off ends, while it runs.
	NextAt  *time.Time            `json:"next_at,omitempty"`
	Refusal *models.ConflictError `json:"refusal,omitempty"`
	// History is every attempt handed in, oldest first (filled by Standings).
	History []models.Attempt `json:"history,omitempty"`
	// extraMinutes is the override's extra time, for the attempt Start makes.
	extraMinutes int
}

// CanStart reports whether a new attempt would start now.
func (st Standing) CanStart() bool { return st.Open == nil && st.Refusal == nil }

// AttemptsLeft is how many attempts remain (-1: no limit).
func (st Standing) AttemptsLeft() int {
	if st.Allowed == 0 {
		return -1
	}
	return max(0, st.Allowed-st.Used)
}

// standing is the employee's standing with exam given their past attempts; Open is left
// for the caller (Start resumes or closes an open attempt before it asks).
func (s *Service) standing(ctx context.Context, exam *models.Exam, employeeID uint, past []models.Attempt, now time.Time) (Standing, error) {
	var st Standing
	for i := range past {
		if a := &past[i]; a.Status == models.AttemptSubmitted && a.Passed {
			st.Passed = a
		}
	}
	ov, err := models.GetOverride(ctx, s.DB, exam.ID, employeeID)
	if err != nil {
		return st, err
	}
	if st.Used, err = s.attemptsUsed(ctx, exam, employeeID, past, now); err != nil {
		return st, err
	}
	st.extraMinutes = ov.ExtraMinutes
	if exam.AttemptsAllowed > 0 {
		st.Allowed = exam.AttemptsAllowed + ov.ExtraAttempts
	}
	var coolOffEnd time.Time
	if n := len(past); n > 0 && past[n-1].SubmittedAt != nil {
		coolOffEnd = past[n-1].SubmittedAt.Add(time.Duration(exam.CoolOffMinutes) * time.Minute)
	}
	switch {
	case now.Before(exam.OpensAt):
		st.Refusal = errNotOpen
	case !now.Before(exam.ClosesAt):
		st.Refusal = errClosed
	case st.Allowed > 0 && st.Used >= st.Allowed:
		st.Refusal = errNoAttempts
	case now.Before(coolOffEnd):
		st.Refusal, st.NextAt = errCoolingOff, &coolOffEnd
	}
	return st, nil
}

// Standings is the employee's standing with each exam (by id), for the exam list.
func (s *Service) Standings(ctx context.Context, employeeID uint, list []models.Exam) (map[uint]Standing, error) {
	out := make(map[uint]Standing, len(list))
	now := s.Now()
	for i := range list {
		exam := &list[i]
		past, err := models.PersonAttempts(ctx, s.DB, exam.ID, employeeID)
		if err != nil {
			return nil, err
		}
		st, err := s.standing(ctx, exam, employeeID, past, now)
		if err != nil {
			return nil, err
		}
		for j := range past {
			switch a := &past[j]; {
			case a.Status == models.AttemptOpen && !now.After(a.Deadline.Add(s.Grace)):
				st.Open = a
			case a.Status == models.AttemptSubmitted:
				st.History = append(st.History, *a)
			}
		}
		out[exam.ID] = st
	}
	return out, nil
}

func (s *Service) Start(ctx context.Context, actor models.Actor, employeeID *uint, examID uint) (view *AttemptView, created bool, err error) {
	if employeeID == nil {
		return nil, false, errNoEmployee
	}
	emp, err := models.GetEmployee(ctx, s.DB, models.ScopeAll, *employeeID)
	if err != nil {
		return nil, false, err
	}
	exam, err := models.GetExam(ctx, s.DB, examID)
	if err != nil {
		return nil, false, err
	}
	if exam.Status != models.ExamPublished {
		return nil, false, errNotPublished
	}
	var paths []string
	for _, id := range exam.OrgUnitIDs {
		if u, err := models.GetOrgUnit(ctx, s.DB, models.ScopeAll, id); err == nil {
			paths = append(paths, u.Path)
		}
	}
	if !InAudience(exam, emp.Position, emp.OrgUnit.Path, paths) {
		return nil, false, errNotAudience
	}
	now := s.Now()
	past, err := models.PersonAttempts(ctx, s.DB, exam.ID, emp.ID)
	if err != nil {
		return nil, false, err
	}
	for _, a := range past {
		if a.Status != models.AttemptOpen {
			continue
		}
		if now.After(a.Deadline.Add(s.Grace)) {
			// Overdue and not yet swept: close it now, with what was saved.
			if _, err := s.submit(ctx, models.SystemActor, a.ID, 0, true); err != nil {
				return nil, false, err
			}
			return s.Start(ctx, actor, employeeID, examID)
		}
		v, err := s.View(ctx, emp.ID, a.ID)
		return v, false, err
	}
	st, err := s.standing(ctx, exam, emp.ID, past, now)
	if err != nil {
		return nil, false, err
	}
	if st.Refusal != nil {
		return nil, false, st.Refusal
	}

	pool, err := models.CurrentQuestions(ctx, s.DB)
	if err != nil {
		return nil, false, err
	}
	seen, err := models.SeenQuestionCodes(ctx, s.DB, exam.ID, emp.ID)
	if err != nil {
		return nil, false, err
	}
	drawn, err := Draw(exam, pool, seen, s.Rand())
	var pe *PoolError
	if errors.As(err, &pe) {
		// Questions were archived after publishing: no paper can be drawn.
		return nil, false, errPoolExhausted
	}
	if err != nil {
		return nil, false, err
	}
	openKey := fmt.Sprintf("%d:%d", exam.ID, emp.ID)
	deadline := now.Add(time.Duration(exam.TimeLimitMinutes+st.extraMinutes) * time.Minute)
	if deadline.After(exam.ClosesAt) {
		deadline = exam.ClosesAt
	}
	a := &models.Attempt{ExamID: exam.ID, EmployeeID: emp.ID, Number: len(past) + 1, OpenKey: &openKey,
		Status: models.AttemptOpen, StartedAt: now, Deadline: deadline}
	paper := make([]models.AttemptQuestion, len(drawn))
	for i, d := range drawn {
		a.MaxPoints += d.Points
		paper[i] = models.AttemptQuestion{Position: i + 1, QuestionID: d.Question.ID, Points: d.Points, OptionOrder: d.OptionOrder}
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertAttempt(tx, a, paper); err != nil {
			return err
		}
		return models.Audit(tx, actor, "start", "attempt", a.ID, map[string]any{"exam_id": exam.ID, "number": a.Number})
	})
	if errors.Is(err, models.ErrConflict) {
		// A parallel start won the open key: resume its attempt.
		return s.Start(ctx, actor, employeeID, examID)
	}
	if err != nil {
		return nil, false, err
	}
	v, err := s.View(ctx, emp.ID, a.ID)
	return v, true, err
}

// SaveInput is one autosave of one answer.
type SaveInput struct {
	// Choices are option indexes: at most the 8 options a question has; choosing one
	// twice is choosing it.
	Choices []int  `json:"choices" maxItems:"8,dedupe"`
	Text    string `json:"text"`
	// Seq increases with every save of this question on the client; a save that arrives
	// after a newer one is refused instead of overwriting it.
	Seq int64 `json:"seq"`
}

// SaveResult acknowledges a save after its commit.
type SaveResult struct {
	QuestionID uint      `json:"question_id"`
	Seq        int64     `json:"seq"`
	SavedAt    time.Time `json:"saved_at"`
}

// Save stores one answer of the employee's open attempt, committed before it returns.
// Saves after the deadline plus the grace are refused and not stored.
func (s *Service) Save(ctx context.Context, actor models.Actor, employeeID *uint, attemptID, questionID uint, in SaveInput) (*SaveResult, error) {
	if employeeID == nil {
		return nil, errNotYours
	}
	v := &models.ValidationError{}
	if in.Seq < 1 {
		v.Add("seq", "out_of_range", "min", 1)
	}
	if utf8.RuneCountInString(in.Text) > 200 {
		v.Add("text", "too_long", "max", 200)
	}
	if len(in.Choices) > 8 {
		v.Add("choices", "invalid")
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.Now()
	res := &SaveResult{QuestionID: questionID, Seq: in.Seq, SavedAt: now}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// One locked read: the attempt and the question, shared with other saves of the
		// attempt and exclusive of its submit (see LockForSave).
		a, q, err := models.LockForSave(tx, attemptID, *employeeID, questionID)
		if err != nil {
			return err
		}
		if a.Status != models.AttemptOpen {
			return errSubmitted
		}
		if now.After(a.Deadline.Add(s.Grace)) {
			return errDeadline
		}
		if q == nil {
			return fmt.Errorf("question %d of attempt %d: %w", questionID, a.ID, models.ErrNotFound)
		}
		if err := checkResponse(q, in); err != nil {
			return err
		}
		choices := slices.Clone(in.Choices)
		slices.Sort(choices)
		applied, err := models.SaveAnswer(tx, &models.Answer{AttemptID: a.ID, QuestionID: questionID,
			Choices: choices, Text: strings.TrimSpace(in.Text), Seq: in.Seq, SavedAt: now})
		if err != nil {
			return err
		}
		if !applied {
			return errStaleSave
		}
		return models.Audit(tx, actor, "save_answer", "attempt", a.ID, map[string]any{"question_id": questionID, "seq": in.Seq})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func checkResponse(q *models.Question, in SaveInput) error {
	v := &models.ValidationError{}
	for _, c := range in.Choices {
		if c < 0 || c >= len(q.Options) {
			v.Add("choices", "invalid")
			return v
		}
	}
	switch q.Kind {
	case models.KindSingle, models.KindTrueFalse:
		if len(in.Choices) > 1 {
			v.Add("choices", "one_answer")
		}
	case models.KindFill:
		if len(in.Choices) > 0 {
			v.Add("choices", "must_be_empty")
		}
	}
	return v.Err()
}

// Submit grades and closes the employee's attempt; submitting again returns the same
// result.
func (s *Service) Submit(ctx context.Context, actor models.Actor, employeeID *uint, attemptID uint) (*AttemptView, error) {
	if employeeID == nil {
		return nil, errNotYours
	}
	if _, err := s.submit(ctx, actor, attemptID, *employeeID, false); err != nil {
		return nil, err
	}
	return s.View(ctx, *employeeID, attemptID)
}

// submit closes an attempt once; employeeID 0 is the sweep acting for anyone. It
// reports whether this call closed it.
func (s *Service) submit(ctx context.Context, actor models.Actor, attemptID, employeeID uint, auto bool) (bool, error) {
	closed := false
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		a, err := models.LockAttempt(tx, attemptID, employeeID)
		if err != nil {
			return err
		}
		if a.Status != models.AttemptOpen {
			return nil
		}
		paper, err := models.PaperOf(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		answers, err := models.AnswersOf(ctx, tx, a.ID)
		if err != nil {
			return err
		}
		graded := make([]models.Answer, 0, len(answers))
		a.Points = 0
		for _, pq := range paper {
			ans, ok := answers[pq.QuestionID]
			if !ok {
				continue
			}
			ans.Correct = Correct(pq.Question, Response{Choices: ans.Choices, Text: ans.Text})
			if ans.Correct {
				ans.Points = pq.Points
				a.Points += pq.Points
			}
			graded = append(graded, ans)
		}
		now := s.Now()
		at := now
		if auto || now.After(a.Deadline) {
			at = a.Deadline // an auto-submission is dated at the deadline
		}
		a.Status, a.OpenKey, a.SubmittedAt, a.AutoSubmitted = models.AttemptSubmitted, nil, &at, auto
		exam, err := models.GetExam(ctx, tx, a.ExamID)
		if err != nil {
			return err
		}
		a.Passed = Passed(a.Points, a.MaxPoints, exam.PassPercent)
		if err := models.FinishAttempt(tx, a, graded); err != nil {
			return err
		}
		if exam.Kind == models.ExamEtiquette && a.Passed {
			// R8.3: passing certifies, in the grading's own transaction.
			if _, err := s.IssueCertificate(tx, actor, s.Certificates, exam, a); err != nil {
				return err
			}
		}
		closed = true
		action := "submit"
		if auto {
			action = "auto_submit"
		}
		return models.Audit(tx, actor, action, "attempt", a.ID, map[string]any{"points": a.Points, "max_points": a.MaxPoints, "passed": a.Passed})
	})
	return closed, err
}

// Sweep auto-submits every open attempt whose deadline plus grace has passed, with the
// answers saved so far. Several instances may sweep at once: each attempt closes once.
func (s *Service) Sweep(ctx context.Context) (int, error) {
	ids, err := models.DueAttempts(ctx, s.DB, s.Now().Add(-s.Grace), 500)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, id := range ids {
		closed, err := s.submit(ctx, models.SystemActor, id, 0, true)
		if err != nil {
			return n, err
		}
		if closed {
			n++
		}
	}
	return n, nil
}
