package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// RectificationFilter selects rectifications; zero fields do not filter.
type RectificationFilter struct {
	// UnitID limits to outlets in this unit's subtree; the unit must be in scope.
	UnitID uint
	Status string
	// OverdueOn, when set, keeps the rectifications overdue on that day: open and due
	// before it. Overdue is derived, never stored.
	OverdueOn Date
	// CreatedFrom and CreatedBefore bound the creation instant (UTC, end exclusive).
	CreatedFrom, CreatedBefore time.Time
	// DueFrom and DueTo bound the due date, both days included.
	DueFrom, DueTo Date
	Critical       *bool
	Page
}

// rectifications is the scoped, filtered query behind the list and the export.
func rectifications(ctx context.Context, db *gorm.DB, scope Scope, f RectificationFilter) (*gorm.DB, error) {
	q := scope.onUnit(db.WithContext(ctx).Model(&Rectification{}), "rectifications.org_unit_id")
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		q = underPath(q, "rectifications.org_unit_id", root.Path)
	}
	if f.Status != "" {
		q = q.Where("rectifications.status = ?", f.Status)
	}
	if !f.OverdueOn.IsZero() {
		q = q.Where("rectifications.status = ? AND rectifications.due_on < ?", RectOpen, f.OverdueOn)
	}
	if !f.CreatedFrom.IsZero() {
		q = q.Where("rectifications.created_at >= ?", f.CreatedFrom.UTC())
	}
	if !f.CreatedBefore.IsZero() {
		q = q.Where("rectifications.created_at < ?", f.CreatedBefore.UTC())
	}
	if !f.DueFrom.IsZero() {
		q = q.Where("rectifications.due_on >= ?", f.DueFrom)
	}
	if !f.DueTo.IsZero() {
		q = q.Where("rectifications.due_on <= ?", f.DueTo)
	}
	if f.Critical != nil {
		q = q.Where("rectifications.critical = ?", *f.Critical)
	}
	return q, nil
}

// withRectificationRelations preloads what a rectification is shown with: its finding
// with the outlet, and the assignee unit.
func withRectificationRelations(q *gorm.DB) *gorm.DB {
	return q.Preload("Finding.OrgUnit").Preload("AssigneeUnit")
}

// ListRectifications returns one page of the rectifications whose outlet is in scope,
// the earliest due first, with their finding, outlet and assignee unit.
func ListRectifications(ctx context.Context, db *gorm.DB, scope Scope, f RectificationFilter) (List[Rectification], error) {
	out := List[Rectification]{Items: []Rectification{}}
	q, err := rectifications(ctx, db, scope, f)
	if err != nil {
		return out, err
	}
	return pageOf[Rectification](withRectificationRelations(q), f.Page, "rectifications.due_on, rectifications.id")
}

// EachRectification calls fn with every rectification of ListRectifications (f.Page is
// ignored), in id order, a batch at a time (keyset paging), so an export never holds
// them all.
func EachRectification(ctx context.Context, db *gorm.DB, scope Scope, f RectificationFilter, fn func([]Rectification) error) error {
	query := func() (*gorm.DB, error) {
		q, err := rectifications(ctx, db, scope, f)
		if err != nil {
			return nil, err
		}
		return withRectificationRelations(q), nil
	}
	return eachByID(query, "rectifications.id", false, func(r *Rectification) uint { return r.ID }, fn)
}

// GetRectification loads one rectification whose outlet is in scope, with its finding,
// outlet and assignee unit, or fails with ErrNotFound.
func GetRectification(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Rectification, error) {
	var r Rectification
	q := scope.onUnit(db.WithContext(ctx), "rectifications.org_unit_id").Where("rectifications.id = ?", id)
	err := withRectificationRelations(q).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("rectification %d: %w", id, ErrNotFound)
	}
	return &r, err
}

// RectificationTimeline is the timeline of a rectification, oldest first.
func RectificationTimeline(ctx context.Context, db *gorm.DB, id uint) ([]RectificationEvent, error) {
	out := []RectificationEvent{}
	if err := db.WithContext(ctx).Where("rectification_id = ?", id).Order("id").Find(&out).Error; err != nil {
		return out, err
	}
	var ids []uint
	for _, ev := range out {
		if ev.ActorID != nil {
			ids = append(ids, *ev.ActorID)
		}
	}
	names, err := displayNames(ctx, db, ids)
	if err != nil {
		return out, err
	}
	for i := range out {
		out[i].ActorDisplayName = out[i].ActorName
		if id := out[i].ActorID; id != nil && names[*id] != "" {
			out[i].ActorDisplayName = names[*id]
		}
	}
	return out, nil
}

// RectificationPhotos are the evidence photos of a rectification, oldest first.
func RectificationPhotos(ctx context.Context, db *gorm.DB, id uint) ([]Photo, error) {
	out := []Photo{}
	err := db.WithContext(ctx).Where("rectification_id = ?", id).Order("id").Find(&out).Error
	return out, err
}

// GetRectificationPhoto loads photo photoID of rectification id or fails with ErrNotFound;
// the caller has checked that the rectification is in scope.
func GetRectificationPhoto(ctx context.Context, db *gorm.DB, id, photoID uint) (*Photo, error) {
	var p Photo
	err := db.WithContext(ctx).Where("id = ? AND rectification_id = ?", photoID, id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("photo %d of rectification %d: %w", photoID, id, ErrNotFound)
	}
	return &p, err
}

// CountRectificationPhotos counts the evidence photos of a rectification.
func CountRectificationPhotos(tx *gorm.DB, id uint) (int64, error) {
	var n int64
	err := tx.Model(&Photo{}).Where("rectification_id = ?", id).Count(&n).Error
	return n, err
}

// LockRectificationStatus locks rectification id's row for the rest of tx (FOR UPDATE on
// MySQL; SQLite's immediate transactions already write one at a time) and returns its
// status, so a change that depends on the status cannot interleave with a transition.
func LockRectificationStatus(tx *gorm.DB, id uint) (string, error) {
	q := tx.Model(&Rectification{}).Select("status").Where("id = ?", id)
	if DialectOf(tx) == MySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var r Rectification
	err := q.Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return "", fmt.Errorf("rectification %d: %w", id, ErrNotFound)
	}
	return r.Status, err
}

// InsertRectificationPhoto records a stored evidence photo with tx.
func InsertRectificationPhoto(tx *gorm.DB, p *Photo) error {
	if p.RectificationID == nil || p.InspectionItemID != nil {
		return fmt.Errorf("photo: want a rectification as its only owner")
	}
	return tx.Create(p).Error
}

// RectificationEscalations are the levels a rectification reached, in order.
func RectificationEscalations(ctx context.Context, db *gorm.DB, id uint) ([]Escalation, error) {
	out := []Escalation{}
	err := db.WithContext(ctx).Where("rectification_id = ?", id).Order("id").Find(&out).Error
	return out, err
}

// EscalationCandidates returns up to limit open rectifications with an id above after,
// due within [dueFrom, dueTo] (a zero bound is open), that have not reached level yet,
// in id order with their assignee unit.
func EscalationCandidates(ctx context.Context, db *gorm.DB, level string, dueFrom, dueTo Date, after uint, limit int) ([]Rectification, error) {
	q := db.WithContext(ctx).Model(&Rectification{}).Preload("AssigneeUnit").
		Where("status = ? AND id > ?", RectOpen, after).
		Where("NOT EXISTS (SELECT 1 FROM escalations e WHERE e.rectification_id = rectifications.id AND e.level = ?)", level)
	if !dueFrom.IsZero() {
		q = q.Where("due_on >= ?", dueFrom)
	}
	if !dueTo.IsZero() {
		q = q.Where("due_on <= ?", dueTo)
	}
	var out []Rectification
	err := q.Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// InsertEscalation records that a rectification reached a level, with tx, if it is still
// open. It reports false, without error, when it is not open any more or when the level
// was reached already: the unique index decides between instances sweeping at once.
func InsertEscalation(tx *gorm.DB, e *Escalation) (bool, error) {
	var open int64
	if err := tx.Model(&Rectification{}).Where("id = ? AND status = ?", e.RectificationID, RectOpen).Count(&open).Error; err != nil {
		return false, err
	}
	if open == 0 {
		return false, nil
	}
	err := tx.Omit("Rectification").Create(e).Error
	if err != nil {
		var ce *ConflictError
		if errors.As(Translate(err, "level"), &ce) && ce.Code == "duplicate" {
			return false, nil
		}
		return false, err
	}
	return true, nil
}

// EscalationFilter selects escalations; zero fields do not filter.
type EscalationFilter struct {
	Level string
	// UnitID limits to notified units in this unit's subtree; it must be in scope.
	UnitID uint
	// From and To bound the time of the escalation: From ≤ at < To.
	From, To time.Time
	Page
}

// ListEscalations returns one page of the escalations whose notified unit is in scope,
// newest first, with their rectification (finding and outlet, assignee unit).
func ListEscalations(ctx context.Context, db *gorm.DB, scope Scope, f EscalationFilter) (List[Escalation], error) {
	out := List[Escalation]{Items: []Escalation{}}
	q := scope.onUnit(db.WithContext(ctx).Model(&Escalation{}), "escalations.notified_unit_id")
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return out, err
		}
		q = underPath(q, "escalations.notified_unit_id", root.Path)
	}
	if f.Level != "" {
		q = q.Where("escalations.level = ?", f.Level)
	}
	if !f.From.IsZero() {
		q = q.Where("escalations.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("escalations.at < ?", f.To.UTC())
	}
	return pageOf[Escalation](q.Preload("Rectification.Finding.OrgUnit").Preload("Rectification.AssigneeUnit"),
		f.Page, "escalations.at DESC, escalations.id DESC")
}

// RectificationUnits maps id to unit for the given ids (names for views; no scope, the
// caller shows only units tied to records already in scope).
func RectificationUnits(ctx context.Context, db *gorm.DB, ids []uint) (map[uint]OrgUnit, error) {
	out := map[uint]OrgUnit{}
	if len(ids) == 0 {
		return out, nil
	}
	var units []OrgUnit
	if err := db.WithContext(ctx).Where("id IN ?", ids).Find(&units).Error; err != nil {
		return nil, err
	}
	for _, u := range units {
		out[u.ID] = u
	}
	return out, nil
}
