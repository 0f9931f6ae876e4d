package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// FindingFilter selects findings; zero fields do not filter.
type FindingFilter struct {
	// UnitID limits to the unit's subtree; it must lie in the caller's scope.
	UnitID uint
	// From and To bound FoundAt: From ≤ found < To.
	From, To time.Time
	RuleRef  string
	// Critical and Voided filter when set.
	Critical *bool
	Voided   *bool
	Page
}

func findingsQuery(ctx context.Context, db *gorm.DB, scope Scope, f FindingFilter) (*gorm.DB, error) {
	q := scope.onUnit(db.WithContext(ctx).Model(&Finding{}), "org_unit_id")
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		q = underPath(q, "org_unit_id", root.Path)
	}
	if !f.From.IsZero() {
		q = q.Where("found_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("found_at < ?", f.To.UTC())
	}
	if f.RuleRef != "" {
		q = q.Where("rule_ref = ?", f.RuleRef)
	}
	if f.Critical != nil {
		q = q.Where("critical = ?", *f.Critical)
	}
	if f.Voided != nil {
		if *f.Voided {
			q = q.Where("voided_at IS NOT NULL")
		} else {
			q = q.Where("voided_at IS NULL")
		}
	}
	return q, nil
}

// ListFindings returns one page of findings in scope, newest first.
func ListFindings(ctx context.Context, db *gorm.DB, scope Scope, f FindingFilter) (List[Finding], error) {
	out := List[Finding]{Items: []Finding{}}
	q, err := findingsQuery(ctx, db, scope, f)
	if err != nil {
		return out, err
	}
	return pageOf[Finding](q, f.Page, "found_at DESC, id DESC")
}

// EachFinding calls fn with every finding of ListFindings (f.Page is ignored), newest
// id first, a batch at a time, with the outlet loaded.
func EachFinding(ctx context.Context, db *gorm.DB, scope Scope, f FindingFilter, fn func([]Finding) error) error {
	query := func() (*gorm.DB, error) {
		q, err := findingsQuery(ctx, db, scope, f)
		if err != nil {
			return nil, err
		}
		return q.Preload("OrgUnit"), nil
	}
	return eachByID(query, "id", true, func(f *Finding) uint { return f.ID }, fn)
}

// GetFinding loads a finding whose outlet lies in scope, or ErrNotFound.
func GetFinding(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Finding, error) {
	var f Finding
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Where("id = ?", id).Take(&f).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("finding %d: %w", id, ErrNotFound)
	}
	return &f, err
}

// InsertFinding records a finding with tx (the submit's transaction).
func InsertFinding(tx *gorm.DB, f *Finding) error {
	return Translate(tx.Omit("Inspection", "InspectionItem", "OrgUnit").Create(f).Error, "inspection_item_id")
}

// FindingsOfInspection returns the findings an inspection made, in id order.
func FindingsOfInspection(ctx context.Context, db *gorm.DB, inspectionID uint) ([]Finding, error) {
	out := []Finding{}
	err := db.WithContext(ctx).Where("inspection_id = ?", inspectionID).Order("id").Find(&out).Error
	return out, err
}

// RectificationOf loads the rectification of a finding, or ErrNotFound.
func RectificationOf(ctx context.Context, db *gorm.DB, findingID uint) (*Rectification, error) {
	var r Rectification
	err := db.WithContext(ctx).Where("finding_id = ?", findingID).Take(&r).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("rectification of finding %d: %w", findingID, ErrNotFound)
	}
	return &r, err
}

// FindingInCase reports whether any accountability case rests on the finding.
func FindingInCase(ctx context.Context, db *gorm.DB, findingID uint) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&CaseFinding{}).Where("finding_id = ?", findingID).Count(&n).Error
	return n > 0, err
}

// VoidFinding marks a finding void with a reason, only if it is not void yet;
// ErrStale when it already was.
func VoidFinding(tx *gorm.DB, f *Finding, by uint, reason string, now time.Time) error {
	at := now.UTC()
	res := tx.Model(&Finding{}).Where("id = ? AND voided_at IS NULL", f.ID).
		Updates(map[string]any{"voided_at": at, "void_reason": reason, "voided_by": by})
	if err := staleUnlessOne(res, "finding", f.ID); err != nil {
		return err
	}
	f.VoidedAt, f.VoidReason, f.VoidedBy = &at, reason, &by
	return nil
}

// CountEscalations counts the escalations of the given rectifications.
func CountEscalations(tx *gorm.DB, rectificationIDs []uint) (int64, error) {
	if len(rectificationIDs) == 0 {
		return 0, nil
	}
	var n int64
	err := tx.Model(&Escalation{}).Where("rectification_id IN ?", rectificationIDs).Count(&n).Error
	return n, err
}

// StoreRemoveOpenRectifications deletes, with tx, the given rectifications, which must
// all still be open at the given revisions; ErrStale when one moved. Their timelines
// stay (the event table is append-only) and end with the line the caller appended
// before. The store primitive of rectifications.Service.Withdraw.
func StoreRemoveOpenRectifications(tx *gorm.DB, rects []Rectification) error {
	for _, r := range rects {
		res := tx.Where("id = ? AND status = ? AND revision = ?", r.ID, RectOpen, r.Revision).Delete(&Rectification{})
		if res.Error != nil {
			return Translate(res.Error, "id")
		}
		if res.RowsAffected == 0 {
			return fmt.Errorf("rectification %d: %w", r.ID, ErrStale)
		}
	}
	return nil
}

// DeleteFindings deletes, with tx, the given findings of a reopened inspection, once
// their rectifications are gone.
func DeleteFindings(tx *gorm.DB, findingIDs []uint) error {
	if len(findingIDs) == 0 {
		return nil
	}
	return Translate(tx.Where("id IN ?", findingIDs).Delete(&Finding{}).Error, "id")
}

// SetFollowUp records on rectification r the inspection that re-checked it, without a
// change of status; the store primitive of rectifications.Service.FollowUp.
func SetFollowUp(tx *gorm.DB, r *Rectification, inspectionID uint, now time.Time) error {
	res := tx.Model(&Rectification{}).Where("id = ? AND revision = ?", r.ID, r.Revision).
		Updates(map[string]any{"follow_up_inspection_id": inspectionID, "revision": r.Revision + 1, "updated_at": now.UTC()})
	if err := staleUnlessOne(res, "rectification", r.ID); err != nil {
		return err
	}
	r.Revision++
	r.FollowUpInspectionID = &inspectionID
	return nil
}
