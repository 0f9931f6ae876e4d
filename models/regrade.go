package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Regrade keeps the score an attempt had before a regrading changed it; the attempt
// then carries the new score.
type Regrade struct {
	ID        uint      `gorm:"primaryKey" json:"id"`
	AttemptID uint      `gorm:"not null;index" json:"attempt_id"`
	Attempt   *Attempt  `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	OldPoints int       `gorm:"not null" json:"old_points"`
	OldPassed bool      `gorm:"not null" json:"old_passed"`
	NewPoints int       `gorm:"not null" json:"new_points"`
	NewPassed bool      `gorm:"not null" json:"new_passed"`
	At        time.Time `gorm:"not null" json:"at"`
	ActorName string    `gorm:"size:64;not null" json:"actor_name"`
}

// SubmittedAttempts returns the ids of an exam's submitted attempts.
func SubmittedAttempts(ctx context.Context, db *gorm.DB, examID uint) ([]uint, error) {
	var ids []uint
	err := db.WithContext(ctx).Model(&Attempt{}).Where("exam_id = ? AND status = ?", examID, AttemptSubmitted).Order("id").Pluck("id", &ids).Error
	return ids, err
}

// LatestVersions maps each question code to its latest version.
func LatestVersions(ctx context.Context, db *gorm.DB, codes []string) (map[string]Question, error) {
	var qs []Question
	if err := db.WithContext(ctx).Where("latest = ? AND code IN ?", true, codes).Find(&qs).Error; err != nil {
		return nil, err
	}
	out := make(map[string]Question, len(qs))
	for _, q := range qs {
		out[q.Code] = q
	}
	return out, nil
}
