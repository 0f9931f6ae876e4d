package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Counts for the home page's to-do board, where no list of the same records already
// answers with a total. Each reuses the query of the list it stands beside.

// CountCasesAwaitingStatement counts the open cases in scope with a person who has
// neither a recorded statement (R6.8) nor a decision.
func CountCasesAwaitingStatement(ctx context.Context, db *gorm.DB, scope Scope) (int64, error) {
	persons := db.NamingStrategy.TableName("CasePerson")
	var n int64
	err := casesQuery(ctx, db, scope, CaseFilter{Status: CaseOpen}).
		Where("id IN (SELECT case_id FROM " + persons + " WHERE statement_at IS NULL AND decided_at IS NULL)").
		Count(&n).Error
	return n, err
}

// CountEscalationsSince counts the escalations told to one of unitIDs (their own unit,
// not its subtree) at or after since.
func CountEscalationsSince(ctx context.Context, db *gorm.DB, unitIDs []uint, since time.Time) (int64, error) {
	var n int64
	if len(unitIDs) == 0 {
		return 0, nil
	}
	err := db.WithContext(ctx).Model(&Escalation{}).Where("notified_unit_id IN ? AND at >= ?", unitIDs, since.UTC()).Count(&n).Error
	return n, err
}

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
