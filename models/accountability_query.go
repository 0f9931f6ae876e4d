package models

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// CaseStatuses lists every case status, the allow-list of the status filter.
var CaseStatuses = []string{CaseOpen, CaseDecided, CaseClosed}

// CaseFilter selects accountability cases; zero fields do not filter.
type CaseFilter struct {
	// UnderPath limits to cases of units in this subtree (a path already checked
	// against the caller's scope).
	UnderPath string
	// From and To bound the opening time, To excluded.
	From, To time.Time
	Status   string
	// AwaitingStatement limits to the open cases with a person who has neither a
	// recorded statement (R6.8) nor a decision.
	AwaitingStatement bool
	Page
}

func casesQuery(ctx context.Context, db *gorm.DB, scope Scope, f CaseFilter) *gorm.DB {
	q := scope.onUnit(db.WithContext(ctx).Model(&AccountabilityCase{}), "org_unit_id")
	if f.UnderPath != "" {
		q = underPath(q, "org_unit_id", f.UnderPath)
	}
	if !f.From.IsZero() {
		q = q.Where("opened_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("opened_at < ?", f.To.UTC())
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.AwaitingStatement {
		persons := db.NamingStrategy.TableName("CasePerson")
		q = q.Where("status = ?", CaseOpen).
			Where("id IN (SELECT case_id FROM " + persons + " WHERE statement_at IS NULL AND decided_at IS NULL)")
	}
	return q
}

// ListCases returns one page of the cases in scope, newest first.
func ListCases(ctx context.Context, db *gorm.DB, scope Scope, f CaseFilter) (List[AccountabilityCase], error) {
	return pageOf[AccountabilityCase](casesQuery(ctx, db, scope, f).Preload("OrgUnit"), f.Page, "opened_at DESC, id DESC")
}

// EachCase calls fn with every case of ListCases (f.Page is ignored) in id order, a
// batch at a time (keyset paging), so an export never holds them all.
func EachCase(ctx context.Context, db *gorm.DB, scope Scope, f CaseFilter, fn func([]AccountabilityCase) error) error {
	query := func() (*gorm.DB, error) { return casesQuery(ctx, db, scope, f).Preload("OrgUnit"), nil }
	return eachByID(query, "id", false, func(c *AccountabilityCase) uint { return c.ID }, fn)
}

// GetCase loads one case (with its unit) inside scope or fails with ErrNotFound.
func GetCase(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*AccountabilityCase, error) {
	var c AccountabilityCase
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Preload("OrgUnit").Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("case %d: %w", id, ErrNotFound)
	}
	return &c, err
}

// CasePersonsOf returns the persons of the given cases with their employees, in case
// then id order.
func CasePersonsOf(ctx context.Context, db *gorm.DB, caseIDs ...uint) ([]CasePerson, error) {
	out := []CasePerson{}
	if len(caseIDs) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Preload("Employee").Where("case_id IN ?", caseIDs).Order("case_id, id").Find(&out).Error
	return out, err
}

// GetCasePerson loads one person of a case, or ErrNotFound.
func GetCasePerson(ctx context.Context, db *gorm.DB, caseID, personID uint) (*CasePerson, error) {
	var p CasePerson
	err := db.WithContext(ctx).Preload("Employee").Where("id = ? AND case_id = ?", personID, caseID).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("case %d person %d: %w", caseID, personID, ErrNotFound)
	}
	return &p, err
}

// CaseFindingIDs lists the findings a case rests on.
func CaseFindingIDs(ctx context.Context, db *gorm.DB, caseID uint) ([]uint, error) {
	ids := []uint{}
	err := db.WithContext(ctx).Model(&CaseFinding{}).Where("case_id = ?", caseID).Order("finding_id").Pluck("finding_id", &ids).Error
	return ids, err
}

// FindingsByID loads the findings with the given ids whose outlet lies in scope, with
// their units; ids out of scope or unknown are simply absent.
func FindingsByID(ctx context.Context, db *gorm.DB, scope Scope, ids []uint) ([]Finding, error) {
	out := []Finding{}
	if len(ids) == 0 {
		return out, nil
	}
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Preload("OrgUnit").Where("id IN ?", ids).Find(&out).Error
	return out, err
}

// EmployeesByID loads the employees with the given ids, with their units.
func EmployeesByID(ctx context.Context, db *gorm.DB, ids []uint) ([]Employee, error) {
	out := []Employee{}
	if len(ids) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Preload("OrgUnit").Where("id IN ?", ids).Find(&out).Error
	return out, err
}

// CaseNumber is the number of the case with id opened in year: WZ-2026-000123. The
// sequence is the row id, so two cases opened at once can never get the same number.
func CaseNumber(year int, id uint) string { return fmt.Sprintf("WZ-%04d-%06d", year, id) }

// InsertCase inserts c with its findings and persons in tx and numbers it from its id
// (CaseNumber with year).
func InsertCase(tx *gorm.DB, c *AccountabilityCase, year int, findingIDs []uint, persons []CasePerson) error {
	// A unique placeholder until the id is known.
	var b [12]byte
	if _, err := rand.Read(b[:]); err != nil {
		return err
	}
	c.Number = "new-" + hex.EncodeToString(b[:])
	if err := tx.Omit("OrgUnit").Create(c).Error; err != nil {
		return Translate(err, "number")
	}
	c.Number = CaseNumber(year, c.ID)
	if err := tx.Model(&AccountabilityCase{}).Where("id = ?", c.ID).Update("number", c.Number).Error; err != nil {
		return Translate(err, "number")
	}
	for _, id := range findingIDs {
		if err := tx.Omit("Finding").Create(&CaseFinding{CaseID: c.ID, FindingID: id}).Error; err != nil {
			return Translate(err, "finding_ids")
		}
	}
	for i := range persons {
		persons[i].CaseID = c.ID
		if err := tx.Omit("Employee").Create(&persons[i]).Error; err != nil {
			return Translate(err, "persons")
		}
	}
	return nil
}

// LockOpenCase locks case id's row for the rest of tx (SELECT … FOR UPDATE on MySQL;
// SQLite's transactions already write one at a time) and reports whether it is open, so
// the decisions of one case run one after another and the last sees every other.
func LockOpenCase(tx *gorm.DB, id uint) (bool, error) {
	var c AccountabilityCase
	err := tx.Clauses(clause.Locking{Strength: "UPDATE"}).Select("id", "status").Where("id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return false, nil
	}
	return c.Status == CaseOpen, err
}

// RecordCaseStatement stores a person's statement once, only while it has none and no
// decision, and reports whether it did.
func RecordCaseStatement(tx *gorm.DB, personID uint, text string, by uint, at time.Time) (bool, error) {
	res := tx.Model(&CasePerson{}).Where("id = ? AND statement_at IS NULL AND decided_at IS NULL", personID).
		Updates(map[string]any{"statement": text, "statement_by": by, "statement_at": at.UTC()})
	return res.RowsAffected == 1, res.Error
}

// DecideCasePerson stores p's decision only if none was made yet (WHERE decided_at IS
// NULL), and reports whether it did: of two parallel decisions exactly one is stored.
func DecideCasePerson(tx *gorm.DB, p *CasePerson) (bool, error) {
	res := tx.Model(&CasePerson{}).Where("id = ? AND decided_at IS NULL", p.ID).Updates(map[string]any{
		"severity": p.Severity, "outcome": p.Outcome, "penalty_cents": p.PenaltyCents, "leader_accountable": p.LeaderAccountable,
		"aggravating": p.Aggravating, "mitigating": p.Mitigating, "decision_note": p.DecisionNote,
		"decided_at": p.DecidedAt, "decided_by": p.DecidedBy,
	})
	return res.RowsAffected == 1, res.Error
}

// CountUndecided counts the persons of a case without a decision.
func CountUndecided(tx *gorm.DB, caseID uint) (int64, error) {
	// A locking read: it sees the latest committed decisions, not a snapshot.
	var ids []uint
	err := tx.Model(&CasePerson{}).Clauses(clause.Locking{Strength: "UPDATE"}).
		Where("case_id = ? AND decided_at IS NULL", caseID).Pluck("id", &ids).Error
	return int64(len(ids)), err
}

// MoveCase changes an open case's status to to with the extra columns, and reports
// whether it was still open.
func MoveCase(tx *gorm.DB, id uint, to string, columns map[string]any, now time.Time) (bool, error) {
	set := map[string]any{"status": to, "updated_at": now.UTC()}
	for k, v := range columns {
		set[k] = v
	}
	res := tx.Model(&AccountabilityCase{}).Where("id = ? AND status = ?", id, CaseOpen).Updates(set)
	return res.RowsAffected == 1, res.Error
}

// PriorCase is another case in which an employee was decided on: the evidence of a
// repeated accountable act (R6.6).
type PriorCase struct {
	CaseID    uint      `json:"case_id"`
	Number    string    `json:"number"`
	OpenedAt  time.Time `json:"opened_at"`
	DecidedAt time.Time `json:"decided_at"`
}

// DecidedCasesOf lists the cases of units in scope, other than exceptCase, opened in
// [from, to] in which employee was decided on, oldest first. Another branch's cases
// stay out like on every list: their numbers and dates are that branch's.
func DecidedCasesOf(ctx context.Context, db *gorm.DB, scope Scope, employeeID, exceptCase uint, from, to time.Time) ([]PriorCase, error) {
	out := []PriorCase{}
	// GORM names the table of CasePerson "case_people".
	persons := db.NamingStrategy.TableName("CasePerson")
	q := scope.onUnit(db.WithContext(ctx).Table(persons+" AS p"), "c.org_unit_id")
	err := q.
		Select("c.id AS case_id, c.number, c.opened_at, p.decided_at").
		Joins("JOIN accountability_cases AS c ON c.id = p.case_id").
		Where("p.employee_id = ? AND p.case_id <> ? AND p.decided_at IS NOT NULL", employeeID, exceptCase).
		Where("c.opened_at >= ? AND c.opened_at <= ?", from.UTC(), to.UTC()).
		Order("c.opened_at, c.id").Scan(&out).Error
	return out, err
}
