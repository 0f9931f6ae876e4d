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

// The home page's to-do counts of exams, where no list of the same records already
// answers with a total; each reuses the query of the list it stands beside.

// CountExamsByStatus counts the exams in one status (draft or published).
func CountExamsByStatus(ctx context.Context, db *gorm.DB, status string) (int64, error) {
	var n int64
	err := db.WithContext(ctx).Model(&Exam{}).Where("status = ?", status).Count(&n).Error
	return n, err
}

// PassedExamsOf returns which of examIDs an employee has a passed, submitted attempt at,
// as PassedExam does for one exam and many employees.
func PassedExamsOf(ctx context.Context, db *gorm.DB, employeeID uint, examIDs []uint) (map[uint]bool, error) {
	out := map[uint]bool{}
	if len(examIDs) == 0 {
		return out, nil
	}
	var ids []uint
	err := db.WithContext(ctx).Model(&Attempt{}).Distinct("exam_id").
		Where("employee_id = ? AND status = ? AND passed = ? AND exam_id IN ?", employeeID, AttemptSubmitted, true, examIDs).
		Pluck("exam_id", &ids).Error
	for _, id := range ids {
		out[id] = true
	}
	return out, err
}
