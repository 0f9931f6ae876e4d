package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// PatrolFilter selects patrol plans; zero fields do not filter.
type PatrolFilter struct {
	// UnderPath limits to plans of units in this subtree (a path already checked
	// against the caller's scope).
	UnderPath   string
	InspectorID uint
	// From and To keep plans whose period overlaps [From, To].
	From, To Date
	Page
}

func patrolPlans(ctx context.Context, db *gorm.DB, scope Scope, f PatrolFilter) *gorm.DB {
	q := scope.onUnit(db.WithContext(ctx).Model(&PatrolPlan{}), "org_unit_id")
	if f.UnderPath != "" {
		q = underPath(q, "org_unit_id", f.UnderPath)
	}
	if f.InspectorID != 0 {
		q = q.Where("inspector_id = ?", f.InspectorID)
	}
	if !f.From.IsZero() {
		q = q.Where("ends_on >= ?", f.From)
	}
	if !f.To.IsZero() {
		q = q.Where("starts_on <= ?", f.To)
	}
	return q
}

// ListPatrolPlans returns one page of the plans of units in scope, latest period first.
func ListPatrolPlans(ctx context.Context, db *gorm.DB, scope Scope, f PatrolFilter) (List[PatrolPlan], error) {
	return pageOf[PatrolPlan](patrolPlans(ctx, db, scope, f).Preload("OrgUnit").Preload("Inspector"), f.Page, "starts_on DESC, id DESC")
}

// GetPatrolPlan loads one plan of a unit in scope, with its unit and inspector, or
// fails with ErrNotFound.
func GetPatrolPlan(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*PatrolPlan, error) {
	var p PatrolPlan
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Preload("OrgUnit").Preload("Inspector").Where("id = ?", id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("patrol plan %d: %w", id, ErrNotFound)
	}
	return &p, err
}

// PatrolStopsOf returns the stops of the given plans with their outlets, by plan, due
// date and id.
func PatrolStopsOf(ctx context.Context, db *gorm.DB, planIDs ...uint) ([]PatrolStop, error) {
	out := []PatrolStop{}
	if len(planIDs) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Preload("OrgUnit").Where("plan_id IN ?", planIDs).Order("plan_id, due_on, id").Find(&out).Error
	return out, err
}

// InsertPatrolPlan inserts p with its stops in tx.
func InsertPatrolPlan(tx *gorm.DB, p *PatrolPlan, stops []PatrolStop) error {
	if err := tx.Omit("OrgUnit", "Inspector").Create(p).Error; err != nil {
		return Translate(err, "title")
	}
	return AddPatrolStops(tx, p.ID, stops)
}

// AddPatrolStops inserts stops into plan planID; an outlet already in the plan is a
// conflict on stops.
func AddPatrolStops(tx *gorm.DB, planID uint, stops []PatrolStop) error {
	for i := range stops {
		stops[i].PlanID = planID
		if err := tx.Omit("Plan", "OrgUnit").Create(&stops[i]).Error; err != nil {
			return Translate(err, "stops")
		}
	}
	return nil
}

// PlanOutletIDs lists the outlets already planned in plan planID.
func PlanOutletIDs(ctx context.Context, db *gorm.DB, planID uint) ([]uint, error) {
	ids := []uint{}
	err := db.WithContext(ctx).Model(&PatrolStop{}).Where("plan_id = ?", planID).Pluck("org_unit_id", &ids).Error
	return ids, err
}

// GetPlanStop loads one stop of a plan, or ErrNotFound.
func GetPlanStop(ctx context.Context, db *gorm.DB, planID, stopID uint) (*PatrolStop, error) {
	var s PatrolStop
	err := db.WithContext(ctx).Preload("OrgUnit").Where("id = ? AND plan_id = ?", stopID, planID).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("patrol stop %d: %w", stopID, ErrNotFound)
	}
	return &s, err
}

// DeletePendingPatrolStop deletes a stop only while no inspection covers it and its
// due date is on or after today, and reports whether it did; a stop done or missed
// stays, so coverage cannot be rewritten after the fact.
func DeletePendingPatrolStop(tx *gorm.DB, stopID uint, today Date) (bool, error) {
	res := tx.Where("id = ? AND inspection_id IS NULL AND due_on >= ?", stopID, today).Delete(&PatrolStop{})
	return res.RowsAffected == 1, res.Error
}

// PublishedTemplateExists reports whether checklist code has a published version.
func PublishedTemplateExists(ctx context.Context, db *gorm.DB, code string) (bool, error) {
	var n int64
	err := db.WithContext(ctx).Model(&ChecklistTemplate{}).Where("code = ? AND status = ?", code, TemplatePublished).Count(&n).Error
	return n > 0, err
}

// InspectorScope is the scope user userID holds as an inspector, and false when the
// user is disabled or holds no inspector grant.
func InspectorScope(ctx context.Context, db *gorm.DB, userID uint) (Scope, bool, error) {
	var paths []string
	err := db.WithContext(ctx).Table("grants AS g").Joins("JOIN org_units AS u ON u.id = g.org_unit_id").
		Joins("JOIN users AS us ON us.id = g.user_id").
		Where("g.user_id = ? AND g.role = ? AND us.disabled = ?", userID, RoleInspector, false).Pluck("u.path", &paths).Error
	if err != nil || len(paths) == 0 {
		return Scope{}, false, err
	}
	return ScopeOfPaths(paths), true, nil
}

// StopFact is one planned visit for coverage: its outlet's path, its due date and
// whether an inspection covered it.
type StopFact struct {
	PlanID     uint
	OutletID   uint
	OutletPath string
	DueOn      Date
	Done       bool
}

// PatrolStopFacts lists the stops due in [from, to] whose outlet lies in scope and in
// the subtree underPath (none: the whole scope).
func PatrolStopFacts(ctx context.Context, db *gorm.DB, scope Scope, underPath string, from, to Date) ([]StopFact, error) {
	stops := db.NamingStrategy.TableName("PatrolStop")
	q := db.WithContext(ctx).Table(stops+" AS s").Joins("JOIN org_units AS u ON u.id = s.org_unit_id").
		Select("s.plan_id, s.org_unit_id AS outlet_id, u.path AS outlet_path, s.due_on, s.inspection_id IS NOT NULL AS done").
		Where("s.due_on >= ? AND s.due_on <= ?", from, to)
	q = scope.onPath(q, "u.path")
	if underPath != "" {
		q = q.Where("u.path LIKE ?", underPath+"%")
	}
	out := []StopFact{}
	err := q.Order("s.id").Scan(&out).Error
	return out, err
}

// EnsureSetting makes the row of settings group key exist, holding no value ("{}": every
// default applies) when it is new. Call it outside the transaction that then locks the
// row: on MySQL a locking read of a missing row takes only a gap lock, which parallel
// writers share, so their inserts deadlock; an existing row is locked one writer at a
// time.
func EnsureSetting(ctx context.Context, db *gorm.DB, key string, now time.Time) error {
	s := Setting{Name: key, Value: "{}", UpdatedAt: now.UTC()}
	return db.WithContext(ctx).Clauses(clause.OnConflict{Columns: []clause.Column{{Name: "name"}}, DoNothing: true}).Create(&s).Error
}

// LockSetting locks the row of settings group key, if it exists, for the rest of tx, so
// that a change read-modify-writes it without losing a parallel one (the settings API
// lives with the patrols' routes). EnsureSetting first, or parallel first writes
// deadlock on MySQL.
func LockSetting(tx *gorm.DB, key string) error {
	var rows []Setting
	return tx.Clauses(clause.Locking{Strength: "UPDATE"}).Where("name = ?", key).Find(&rows).Error
}
