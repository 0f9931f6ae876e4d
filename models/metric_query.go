package models

import (
	"context"
	"errors"
	"fmt"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// MetricFilter selects service metrics; zero fields do not filter.
type MetricFilter struct {
	// UnderPath limits to the units of this subtree (a path already checked against
	// the caller's scope).
	UnderPath string
	// From and To bound the month, both included (YYYY-MM, which sorts as text).
	From, To string
	Page
}

func serviceMetrics(ctx context.Context, db *gorm.DB, scope Scope, f MetricFilter) *gorm.DB {
	q := scope.onUnit(db.WithContext(ctx).Model(&ServiceMetric{}), "org_unit_id")
	if f.UnderPath != "" {
		q = underPath(q, "org_unit_id", f.UnderPath)
	}
	if f.From != "" {
		q = q.Where("month >= ?", f.From)
	}
	if f.To != "" {
		q = q.Where("month <= ?", f.To)
	}
	return q
}

// metricUnitCode is the code of a service metric row's unit, to order by.
const metricUnitCode = "(SELECT code FROM org_units WHERE org_units.id = service_metrics.org_unit_id)"

// ListServiceMetrics returns one page of the rows of units in scope, latest month
// first, then by branch code, with their units.
func ListServiceMetrics(ctx context.Context, db *gorm.DB, scope Scope, f MetricFilter) (List[ServiceMetric], error) {
	return pageOf[ServiceMetric](serviceMetrics(ctx, db, scope, f).Preload("OrgUnit"), f.Page, "month DESC, "+metricUnitCode)
}

// ServiceMetricsBetween returns every row of the filter's months (its page ignored)
// by month, then branch code, with their units; callers bound the months, as an
// export does one window at a time.
func ServiceMetricsBetween(ctx context.Context, db *gorm.DB, scope Scope, f MetricFilter) ([]ServiceMetric, error) {
	out := []ServiceMetric{}
	err := serviceMetrics(ctx, db, scope, f).Preload("OrgUnit").Order("month, " + metricUnitCode).Find(&out).Error
	return out, err
}

// GetServiceMetric loads the row of unit unitID (in scope) for month, with its unit,
// or fails with ErrNotFound.
func GetServiceMetric(ctx context.Context, db *gorm.DB, scope Scope, unitID uint, month string) (*ServiceMetric, error) {
	var m ServiceMetric
	err := serviceMetrics(ctx, db, scope, MetricFilter{}).Preload("OrgUnit").Where("org_unit_id = ? AND month = ?", unitID, month).Take(&m).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("service metric of unit %d for %s: %w", unitID, month, ErrNotFound)
	}
	return &m, err
}

// UnitMonth is one month a unit has a service metric row for.
type UnitMonth struct {
	OrgUnitID uint
	Month     string
}

// ServiceMetricMonths lists the unit and month of every row the filter selects (its
// page ignored), for coverage.
func ServiceMetricMonths(ctx context.Context, db *gorm.DB, scope Scope, f MetricFilter) ([]UnitMonth, error) {
	out := []UnitMonth{}
	err := serviceMetrics(ctx, db, scope, f).Select("org_unit_id", "month").Scan(&out).Error
	return out, err
}

// LockOrgUnits locks the rows of the units ids until tx ends (on MySQL, in id order;
// SQLite's immediate transactions already run one writer at a time), so that writers
// of one branch's service metrics queue. Lock before the transaction's first read:
// on MySQL a locking read of a missing metric row takes only a gap lock, which parallel
// writers share, so their inserts would deadlock.
func LockOrgUnits(tx *gorm.DB, ids []uint) error {
	if len(ids) == 0 || DialectOf(tx) != MySQL {
		return nil
	}
	var got []uint
	return tx.Model(&OrgUnit{}).Clauses(clause.Locking{Strength: "UPDATE"}).Where("id IN ?", ids).Order("id").Pluck("id", &got).Error
}

// ServiceMetricsOf returns the rows of the units unitIDs in the months given, any
// pair of the two (the caller keeps the pairs it asked for).
func ServiceMetricsOf(ctx context.Context, db *gorm.DB, unitIDs []uint, months []string) ([]ServiceMetric, error) {
	out := []ServiceMetric{}
	if len(unitIDs) == 0 || len(months) == 0 {
		return out, nil
	}
	err := db.WithContext(ctx).Where("org_unit_id IN ? AND month IN ?", unitIDs, months).Order("id").Find(&out).Error
	return out, err
}

// InsertServiceMetrics inserts new rows with tx; a row already there for its unit and
// month is a conflict on month.
func InsertServiceMetrics(tx *gorm.DB, ms []*ServiceMetric) error {
	if len(ms) == 0 {
		return nil
	}
	return Translate(tx.Omit("OrgUnit").CreateInBatches(ms, 200).Error, "month")
}

// UpdateServiceMetric writes every count of m, UpdatedBy and UpdatedAt to its row
// (zeros included); the unit and month of a row never change.
func UpdateServiceMetric(tx *gorm.DB, m *ServiceMetric) error {
	return tx.Model(m).Select("*").Omit("id", "org_unit_id", "month", "created_at", "OrgUnit").Updates(m).Error
}
