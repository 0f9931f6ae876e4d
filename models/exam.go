package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Exam kinds (R8.2 onboarding exam, R8.3 etiquette certification).
const (
	ExamOnboarding = "onboarding"
	ExamEtiquette  = "etiquette"
	ExamGeneral    = "general"
)

// ExamKinds lists every kind.
var ExamKinds = []string{ExamOnboarding, ExamEtiquette, ExamGeneral}

// Exam statuses: a draft can change freely; a published exam's structure is frozen once
// an attempt exists.
const (
	ExamDraft     = "draft"
	ExamPublished = "published"
)

// Grading across attempts.
const (
	GradeHighest = "highest"
	GradeLast    = "last"
)

// BlueprintRule draws Count questions of a category and difficulty (0: any), Points each.
type BlueprintRule struct {
	Category   string `json:"category"`
	Difficulty int    `json:"difficulty"`
	Count      int    `json:"count"`
	Points     int    `json:"points"`
}

// FixedItem is one question of a fixed paper, by code (its latest version at draw time).
type FixedItem struct {
	Code   string `json:"code"`
	Points int    `json:"points"`
}

// Exam is a paper's rules: how it is drawn, timed, passed and who may take it.
type Exam struct {
	ID               uint                    `gorm:"primaryKey" json:"id"`
	Title            string                  `gorm:"size:200;not null" json:"title"`
	Kind             string                  `gorm:"size:16;not null;index" json:"kind"`
	Status           string                  `gorm:"size:16;not null;index" json:"status"`
	Blueprint        JSONList[BlueprintRule] `gorm:"not null" json:"blueprint"`
	Fixed            JSONList[FixedItem]     `gorm:"not null" json:"fixed"`
	TimeLimitMinutes int                     `gorm:"not null" json:"time_limit_minutes"`
	OpensAt          time.Time               `gorm:"not null" json:"opens_at"`
	ClosesAt         time.Time               `gorm:"not null" json:"closes_at"`
	PassPercent      int                     `gorm:"not null" json:"pass_percent"`
	AttemptsAllowed  int                     `gorm:"not null" json:"attempts_allowed"`
	CoolOffMinutes   int                     `gorm:"not null" json:"cool_off_minutes"`
	Grading          string                  `gorm:"size:16;not null" json:"grading"`
	ShuffleQuestions bool                    `gorm:"not null" json:"shuffle_questions"`
	ShuffleOptions   bool                    `gorm:"not null" json:"shuffle_options"`
	Positions        JSONList[string]        `gorm:"not null" json:"positions"`
	OrgUnitIDs       JSONList[uint]          `gorm:"not null" json:"org_unit_ids"`
	CreatedAt        time.Time               `json:"created_at"`
	UpdatedAt        time.Time               `json:"updated_at"`
}

// ExamOverride gives one employee extra time or attempts on one exam, with a reason.
type ExamOverride struct {
	ID            uint      `gorm:"primaryKey" json:"id"`
	ExamID        uint      `gorm:"not null;uniqueIndex:ux_override" json:"exam_id"`
	Exam          *Exam     `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	EmployeeID    uint      `gorm:"not null;uniqueIndex:ux_override" json:"employee_id"`
	Employee      *Employee `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	ExtraMinutes  int       `gorm:"not null" json:"extra_minutes"`
	ExtraAttempts int       `gorm:"not null" json:"extra_attempts"`
	Reason        string    `gorm:"size:500;not null" json:"reason"`
	CreatedAt     time.Time `json:"created_at"`
}

// Attempt statuses.
const (
	AttemptOpen      = "in_progress"
	AttemptSubmitted = "submitted"
)

// Attempt is one sitting of an exam by an employee. OpenKey is set while the attempt is
// open and unique, so two parallel starts cannot make two open attempts.
// idx_attempt_passes finds an employee's passed attempts for the ranking's onboarding
// dimension; without it SQLite scanned every submitted attempt once per new hire. It
// does not lead with employee_id, so MySQL keeps the foreign key's own index.
type Attempt struct {
	ID            uint       `gorm:"primaryKey" json:"id"`
	ExamID        uint       `gorm:"not null;index:idx_attempt_person" json:"exam_id"`
	Exam          *Exam      `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	EmployeeID    uint       `gorm:"not null;index:idx_attempt_person;index:idx_attempt_passes,priority:3" json:"employee_id"`
	Employee      *Employee  `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Number        int        `gorm:"not null" json:"number"`
	OpenKey       *string    `gorm:"size:64;uniqueIndex" json:"-"`
	Status        string     `gorm:"size:16;not null;index:idx_attempt_due;index:idx_attempt_passes,priority:1" json:"status"`
	StartedAt     time.Time  `gorm:"not null" json:"started_at"`
	Deadline      time.Time  `gorm:"not null;index:idx_attempt_due" json:"deadline"`
	SubmittedAt   *time.Time `json:"submitted_at"`
	AutoSubmitted bool       `gorm:"not null" json:"auto_submitted"`
	Points        int        `gorm:"not null" json:"points"`
	MaxPoints     int        `gorm:"not null" json:"max_points"`
	Passed        bool       `gorm:"not null;index:idx_attempt_passes,priority:2" json:"passed"`
}

// AttemptQuestion is one question of a drawn paper, frozen: its version, position,
// points and the order its options are shown in.
type AttemptQuestion struct {
	ID          uint          `gorm:"primaryKey"`
	AttemptID   uint          `gorm:"not null;uniqueIndex:ux_paper_position;uniqueIndex:ux_paper_question"`
	Attempt     *Attempt      `gorm:"constraint:OnDelete:CASCADE"`
	Position    int           `gorm:"not null;uniqueIndex:ux_paper_position"`
	QuestionID  uint          `gorm:"not null;uniqueIndex:ux_paper_question;index"`
	Question    *Question     `gorm:"constraint:OnDelete:RESTRICT"`
	Points      int           `gorm:"not null"`
	OptionOrder JSONList[int] `gorm:"not null"`
}

// Answer is the latest saved response to one question of an attempt. Seq orders the
// saves of one question: a save with a lower Seq than the stored one is stale.
type Answer struct {
	ID         uint          `gorm:"primaryKey"`
	AttemptID  uint          `gorm:"not null;uniqueIndex:ux_answer"`
	Attempt    *Attempt      `gorm:"constraint:OnDelete:CASCADE"`
	QuestionID uint          `gorm:"not null;uniqueIndex:ux_answer"`
	Choices    JSONList[int] `gorm:"not null"`
	Text       string        `gorm:"size:500;not null"`
	Seq        int64         `gorm:"not null"`
	SavedAt    time.Time     `gorm:"not null"`
	Correct    bool          `gorm:"not null"`
	Points     int           `gorm:"not null"`
}

// GetExam loads one exam.
func GetExam(ctx context.Context, db *gorm.DB, id uint) (*Exam, error) {
	var e Exam
	err := db.WithContext(ctx).Where("id = ?", id).Take(&e).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("exam %d: %w", id, ErrNotFound)
	}
	return &e, err
}

// ListExams returns exams newest first, optionally only published ones.
func ListExams(ctx context.Context, db *gorm.DB, publishedOnly bool, p Page) (List[Exam], error) {
	q := db.WithContext(ctx).Model(&Exam{})
	if publishedOnly {
		q = q.Where("status = ?", ExamPublished)
	}
	return pageOf[Exam](q, p, "id DESC")
}

// CountAttempts counts the attempts of an exam (any person).
func CountAttempts(tx *gorm.DB, examID uint) (int64, error) {
	var n int64
	err := tx.Model(&Attempt{}).Where("exam_id = ?", examID).Count(&n).Error
	return n, err
}

// PersonAttempts returns one employee's attempts at an exam, oldest first.
func PersonAttempts(ctx context.Context, db *gorm.DB, examID, employeeID uint) ([]Attempt, error) {
	var out []Attempt
	err := db.WithContext(ctx).Where("exam_id = ? AND employee_id = ?", examID, employeeID).Order("number").Find(&out).Error
	return out, err
}

// GetOverride returns the override of an employee on an exam, or a zero one.
func GetOverride(ctx context.Context, db *gorm.DB, examID, employeeID uint) (ExamOverride, error) {
	var o ExamOverride
	err := db.WithContext(ctx).Where("exam_id = ? AND employee_id = ?", examID, employeeID).Take(&o).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return ExamOverride{}, nil
	}
	return o, err
}

// GetAttempt loads an attempt; employeeID, when not zero, must own it (else ErrNotFound).
func GetAttempt(ctx context.Context, db *gorm.DB, id, employeeID uint) (*Attempt, error) {
	q := db.WithContext(ctx).Where("id = ?", id)
	if employeeID != 0 {
		q = q.Where("employee_id = ?", employeeID)
	}
	var a Attempt
	err := q.Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("attempt %d: %w", id, ErrNotFound)
	}
	return &a, err
}

// PaperOf returns an attempt's frozen questions in position order, with their versions.
func PaperOf(ctx context.Context, db *gorm.DB, attemptID uint) ([]AttemptQuestion, error) {
	var out []AttemptQuestion
	err := db.WithContext(ctx).Preload("Question").Where("attempt_id = ?", attemptID).Order("position").Find(&out).Error
	return out, err
}

// AnswersOf returns an attempt's saved answers by question version id.
func AnswersOf(ctx context.Context, db *gorm.DB, attemptID uint) (map[uint]Answer, error) {
	var rows []Answer
	if err := db.WithContext(ctx).Where("attempt_id = ?", attemptID).Find(&rows).Error; err != nil {
		return nil, err
	}
	out := make(map[uint]Answer, len(rows))
	for _, a := range rows {
		out[a.QuestionID] = a
	}
	return out, nil
}

// SeenQuestionCodes returns the codes of questions an employee was shown in earlier
// attempts at an exam, so a retake prefers unseen ones.
func SeenQuestionCodes(ctx context.Context, db *gorm.DB, examID, employeeID uint) (map[string]bool, error) {
	var codes []string
	err := db.WithContext(ctx).Table("attempt_questions").
		Select("questions.code").
		Joins("JOIN attempts ON attempts.id = attempt_questions.attempt_id").
		Joins("JOIN questions ON questions.id = attempt_questions.question_id").
		Where("attempts.exam_id = ? AND attempts.employee_id = ?", examID, employeeID).
		Scan(&codes).Error
	out := make(map[string]bool, len(codes))
	for _, c := range codes {
		out[c] = true
	}
	return out, err
}

// DueAttempts returns ids of open attempts whose deadline passed before cutoff.
func DueAttempts(ctx context.Context, db *gorm.DB, cutoff time.Time, limit int) ([]uint, error) {
	var ids []uint
	err := db.WithContext(ctx).Model(&Attempt{}).Where("status = ? AND deadline < ?", AttemptOpen, cutoff).
		Order("deadline").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// SaveAnswer stores a response unless the stored one has the same or a higher Seq, in
// one statement, and reports whether it was applied.
func SaveAnswer(tx *gorm.DB, a *Answer) (bool, error) {
	choices, err := a.Choices.Value()
	if err != nil {
		return false, err
	}
	args := []any{a.AttemptID, a.QuestionID, choices, a.Text, a.Seq, a.SavedAt}
	var sql string
	switch DialectOf(tx) {
	case MySQL:
		// Assignments run left to right: seq is raised last, after the others compared it.
		sql = `INSERT INTO answers (attempt_id, question_id, choices, text, seq, saved_at, correct, points)
VALUES (?, ?, ?, ?, ?, ?, false, 0)
ON DUPLICATE KEY UPDATE
  choices = IF(VALUES(seq) > seq, VALUES(choices), choices),
  text = IF(VALUES(seq) > seq, VALUES(text), text),
  saved_at = IF(VALUES(seq) > seq, VALUES(saved_at), saved_at),
  seq = GREATEST(seq, VALUES(seq))`
	default:
		sql = `INSERT INTO answers (attempt_id, question_id, choices, text, seq, saved_at, correct, points)
VALUES (?, ?, ?, ?, ?, ?, false, 0)
ON CONFLICT (attempt_id, question_id) DO UPDATE SET
  choices = excluded.choices, text = excluded.text, seq = excluded.seq, saved_at = excluded.saved_at
WHERE answers.seq < excluded.seq`
	}
	res := tx.Exec(sql, args...)
	return res.RowsAffected > 0, res.Error
}

// ReplaceOverride stores o in place of any override of the same exam and employee.
func ReplaceOverride(tx *gorm.DB, o *ExamOverride) error {
	if err := tx.Where("exam_id = ? AND employee_id = ?", o.ExamID, o.EmployeeID).Delete(&ExamOverride{}).Error; err != nil {
		return err
	}
	return tx.Omit("Exam", "Employee").Create(o).Error
}

// LockAttempt loads an attempt inside tx and, on MySQL, locks its row until the
// transaction ends, so a save and a submit of one attempt never interleave. (SQLite's
// immediate transactions already run one writer at a time.)
func LockAttempt(tx *gorm.DB, id, employeeID uint) (*Attempt, error) {
	q := tx.Where("id = ?", id)
	if employeeID != 0 {
		q = q.Where("employee_id = ?", employeeID)
	}
	if DialectOf(tx) == MySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var a Attempt
	err := q.Take(&a).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("attempt %d: %w", id, ErrNotFound)
	}
	return &a, err
}

// LockForSave loads, in one query inside tx, the employee's attempt (id, status and
// deadline) and the kind and options of one question of its paper; the question is nil
// when the paper has no such question. On MySQL the rows read stay share-locked until
// the transaction ends: saves of one attempt run side by side, and LockAttempt's
// exclusive lock (submit, sweep, regrade) waits for every save holding one, as each save
// arriving later waits for it, so a save is either in the grading or refused. Both take
// the attempt row first and neither writes it before then, so they cannot deadlock on it.
func LockForSave(tx *gorm.DB, attemptID, employeeID, questionID uint) (*Attempt, *Question, error) {
	var row struct {
		ID       uint
		Status   string
		Deadline time.Time
		Kind     string
		Options  JSONList[string]
	}
	sql := `SELECT attempts.id, attempts.status, attempts.deadline, questions.kind, questions.options
FROM attempts
JOIN attempt_questions ON attempt_questions.attempt_id = attempts.id AND attempt_questions.question_id = ?
JOIN questions ON questions.id = attempt_questions.question_id
WHERE attempts.id = ? AND attempts.employee_id = ?`
	if DialectOf(tx) == MySQL {
		// MariaDB 10.11 knows neither FOR SHARE nor FOR SHARE OF: this locks the three
		// rows read. The paper and question rows are never written while an attempt is open.
		sql += " LOCK IN SHARE MODE"
	}
	res := tx.Raw(sql, questionID, attemptID, employeeID).Scan(&row)
	if res.Error != nil {
		return nil, nil, res.Error
	}
	if res.RowsAffected == 0 {
		// Rare: a question not on the paper, or no such attempt. Load the attempt alone
		// (same lock) so that the caller refuses in the usual order.
		sql := "SELECT * FROM attempts WHERE id = ? AND employee_id = ?"
		if DialectOf(tx) == MySQL {
			sql += " LOCK IN SHARE MODE"
		}
		var a Attempt
		res := tx.Raw(sql, attemptID, employeeID).Scan(&a)
		err := res.Error
		if err == nil && res.RowsAffected == 0 {
			err = gorm.ErrRecordNotFound
		}
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return nil, nil, fmt.Errorf("attempt %d: %w", attemptID, ErrNotFound)
		}
		return &a, nil, err
	}
	return &Attempt{ID: row.ID, EmployeeID: employeeID, Status: row.Status, Deadline: row.Deadline},
		&Question{ID: questionID, Kind: row.Kind, Options: row.Options}, nil
}

// InsertAttempt stores a new attempt with its frozen paper. A second open attempt of
// the same person and exam fails on OpenKey with ErrConflict.
func InsertAttempt(tx *gorm.DB, a *Attempt, paper []AttemptQuestion) error {
	if err := tx.Omit("Exam", "Employee").Create(a).Error; err != nil {
		return Translate(err, "attempt")
	}
	for i := range paper {
		paper[i].AttemptID = a.ID
	}
	return tx.Omit("Attempt", "Question").CreateInBatches(paper, 100).Error
}

// FinishAttempt stores the grades of an attempt's answers and closes it.
func FinishAttempt(tx *gorm.DB, a *Attempt, graded []Answer) error {
	for _, g := range graded {
		err := tx.Model(&Answer{}).Where("attempt_id = ? AND question_id = ?", a.ID, g.QuestionID).
			Updates(map[string]any{"correct": g.Correct, "points": g.Points}).Error
		if err != nil {
			return err
		}
	}
	return tx.Model(a).Select("open_key", "status", "submitted_at", "auto_submitted", "points", "max_points", "passed").Updates(a).Error
}

// AttemptItem is one question of one first attempt with what it earned.
type AttemptItem struct {
	AttemptID  uint
	QuestionID uint
	Points     int
	Earned     int
	Choices    JSONList[int]
	Question   *Question
}

// FirstAttemptItems returns every question of every submitted first attempt at an exam,
// with the points earned and the options chosen (unanswered: none, 0 points).
func FirstAttemptItems(ctx context.Context, db *gorm.DB, examID uint) ([]AttemptItem, error) {
	var rows []struct {
		AttemptID  uint
		QuestionID uint
		Points     int
		Earned     *int
		Choices    *string
	}
	err := db.WithContext(ctx).Table("attempt_questions AS aq").
		Select("aq.attempt_id, aq.question_id, aq.points, ans.points AS earned, ans.choices").
		Joins("JOIN attempts AS a ON a.id = aq.attempt_id").
		Joins("LEFT JOIN answers AS ans ON ans.attempt_id = aq.attempt_id AND ans.question_id = aq.question_id").
		Where("a.exam_id = ? AND a.number = 1 AND a.status = ?", examID, AttemptSubmitted).
		Order("aq.attempt_id, aq.position").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	ids := map[uint]bool{}
	for _, r := range rows {
		ids[r.QuestionID] = true
	}
	qs := map[uint]*Question{}
	idList := make([]uint, 0, len(ids))
	for id := range ids {
		idList = append(idList, id)
	}
	var questions []Question
	if len(idList) > 0 {
		if err := db.WithContext(ctx).Where("id IN ?", idList).Find(&questions).Error; err != nil {
			return nil, err
		}
	}
	for i := range questions {
		qs[questions[i].ID] = &questions[i]
	}
	out := make([]AttemptItem, len(rows))
	for i, r := range rows {
		it := AttemptItem{AttemptID: r.AttemptID, QuestionID: r.QuestionID, Points: r.Points, Question: qs[r.QuestionID]}
		if r.Earned != nil {
			it.Earned = *r.Earned
		}
		if r.Choices != nil {
			if err := it.Choices.Scan(*r.Choices); err != nil {
				return nil, err
			}
		}
		out[i] = it
	}
	return out, nil
}

// UpdateExam writes every column an edit of e may change.
func UpdateExam(tx *gorm.DB, e *Exam) error {
	return tx.Model(e).Select("title", "kind", "blueprint", "fixed", "time_limit_minutes", "opens_at", "closes_at",
		"pass_percent", "attempts_allowed", "cool_off_minutes", "grading", "shuffle_questions", "shuffle_options",
		"positions", "org_unit_ids", "updated_at").Updates(e).Error
}

// SetExamStatus sets e's status.
func SetExamStatus(tx *gorm.DB, e *Exam, status string) error {
	return tx.Model(e).Update("status", status).Error
}
