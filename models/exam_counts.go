package models

import (
	"context"

	"gorm.io/gorm"
)

// ExamAttemptCounts is how many attempts an exam has, and how many of them are submitted
// first attempts (the ones item analysis reads).
type ExamAttemptCounts struct {
	ExamID         uint
	Attempts       int64
	FirstSubmitted int64
}

// CountExamAttempts counts the attempts of each of the exams ids in one query; an exam
// without attempts has no entry.
func CountExamAttempts(ctx context.Context, db *gorm.DB, ids []uint) (map[uint]ExamAttemptCounts, error) {
	out := map[uint]ExamAttemptCounts{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []ExamAttemptCounts
	err := db.WithContext(ctx).Model(&Attempt{}).
		Select("exam_id, COUNT(*) AS attempts, SUM(CASE WHEN number = 1 AND status = ? THEN 1 ELSE 0 END) AS first_submitted", AttemptSubmitted).
		Where("exam_id IN ?", ids).Group("exam_id").Scan(&rows).Error
	if err != nil {
		return nil, err
	}
	for _, r := range rows {
		out[r.ExamID] = r
	}
	return out, nil
}
