package models

import (
	"context"

	"gorm.io/gorm"
)

// Counts for the home page's to-do board, where no list of the same records already
// answers with a total. Each reuses the query of the list it stands beside.

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
