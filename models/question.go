package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Question kinds.
const (
	KindSingle    = "single"
	KindMultiple  = "multiple"
	KindTrueFalse = "truefalse"
	KindFill      = "fill"
)

// QuestionKinds lists every kind.
var QuestionKinds = []string{KindSingle, KindMultiple, KindTrueFalse, KindFill}

// Question categories (R8.2–R8.4: company basics, etiquette, ethics; and technical).
var QuestionCategories = []string{"basics", "etiquette", "ethics", "technical"}

// Question is one version of a bank question. Questions that share a Code are versions
// of one question; editing a version an attempt has shown makes a new version, so an
// attempt always keeps what it showed.
type Question struct {
	ID          uint             `gorm:"primaryKey" json:"id"`
	Code        string           `gorm:"size:64;not null;uniqueIndex:ux_question_version" json:"code"`
	Version     int              `gorm:"not null;uniqueIndex:ux_question_version" json:"version"`
	Latest      bool             `gorm:"not null;index" json:"latest"`
	Archived    bool             `gorm:"not null" json:"archived"`
	Kind        string           `gorm:"size:16;not null" json:"kind"`
	Category    string           `gorm:"size:16;not null;index" json:"category"`
	Difficulty  int              `gorm:"not null" json:"difficulty"`
	Stem        string           `gorm:"type:text;not null" json:"stem"`
	Options     JSONList[string] `gorm:"not null" json:"options"`
	Answer      JSONList[int]    `gorm:"not null" json:"answer"`
	Accepted    JSONList[string] `gorm:"not null" json:"accepted"`
	Explanation string           `gorm:"type:text;not null" json:"explanation"`
	Rule        string           `gorm:"size:16;not null" json:"rule"`
	CreatedAt   time.Time        `json:"created_at"`
	UpdatedAt   time.Time        `json:"updated_at"`
}

// QuestionFilter selects current questions; zero fields do not filter.
type QuestionFilter struct {
	Q          string
	Kind       string
	Category   string
	Difficulty int
	Archived   bool
	Page
}

// ListQuestions returns one page of current question versions.
func ListQuestions(ctx context.Context, db *gorm.DB, f QuestionFilter) (List[Question], error) {
	q := db.WithContext(ctx).Model(&Question{}).Where("latest = ? AND archived = ?", true, f.Archived)
	if f.Q != "" {
		q = q.Where("("+likeClause("stem")+" OR "+likeClause("code")+")", containsPattern(f.Q), containsPattern(f.Q))
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.Category != "" {
		q = q.Where("category = ?", f.Category)
	}
	if f.Difficulty != 0 {
		q = q.Where("difficulty = ?", f.Difficulty)
	}
	return pageOf[Question](q, f.Page, "category, difficulty, id")
}

// GetQuestion loads one question version by id.
func GetQuestion(ctx context.Context, db *gorm.DB, id uint) (*Question, error) {
	var q Question
	err := db.WithContext(ctx).Where("id = ?", id).Take(&q).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("question %d: %w", id, ErrNotFound)
	}
	return &q, err
}

// CurrentQuestions returns the current, unarchived versions, optionally of the given codes.
func CurrentQuestions(ctx context.Context, db *gorm.DB, codes ...string) ([]Question, error) {
	q := db.WithContext(ctx).Where("latest = ? AND archived = ?", true, false)
	if len(codes) > 0 {
		q = q.Where("code IN ?", codes)
	}
	var out []Question
	err := q.Order("id").Find(&out).Error
	return out, err
}

// QuestionUsed reports whether any attempt has shown this question version.
func QuestionUsed(tx *gorm.DB, id uint) (bool, error) {
	var n int64
	err := tx.Model(&AttemptQuestion{}).Where("question_id = ?", id).Limit(1).Count(&n).Error
	return n > 0, err
}

// SetQuestionCode writes q's code (a generated code once its id is known).
func SetQuestionCode(tx *gorm.DB, q *Question) error {
	return tx.Model(q).Update("code", q.Code).Error
}

// UpdateQuestionContent writes every column an edit of q in place may change.
func UpdateQuestionContent(tx *gorm.DB, q *Question) error {
	return tx.Model(q).Select("kind", "category", "difficulty", "stem", "options", "answer", "accepted", "explanation", "rule", "updated_at").Updates(q).Error
}

// SupersedeQuestion marks q as no longer its code's latest version.
func SupersedeQuestion(tx *gorm.DB, q *Question) error {
	return tx.Model(q).Update("latest", false).Error
}

// ArchiveQuestion takes q out of future papers.
func ArchiveQuestion(tx *gorm.DB, q *Question) error {
	return tx.Model(q).Update("archived", true).Error
}
