package models

import (
	"time"

	"gorm.io/gorm"
)

// Frozen copies of the tables migration 4 creates, as that release made them: later
// edits of ServiceMetric or RankingExport need a step of their own.

type v4OrgUnit struct {
	ID uint `gorm:"primaryKey"`
}

func (v4OrgUnit) TableName() string { return "org_units" }

type v4ServiceMetric struct {
	ID                uint       `gorm:"primaryKey"`
	OrgUnitID         uint       `gorm:"not null;uniqueIndex:ux_metric_unit_month"`
	OrgUnit           *v4OrgUnit `gorm:"constraint:OnDelete:RESTRICT"`
	Month             string     `gorm:"size:7;not null;uniqueIndex:ux_metric_unit_month;index:idx_metric_month"`
	WorkOrders        int64      `gorm:"not null"`
	Responded24h      int64      `gorm:"column:responded_24h;not null"`
	OrdinaryFaults    int64      `gorm:"not null"`
	OrdinaryFixed24h  int64      `gorm:"column:ordinary_fixed_24h;not null"`
	MajorFaults       int64      `gorm:"not null"`
	MajorFixed72h     int64      `gorm:"column:major_fixed_72h;not null"`
	Installations     int64      `gorm:"not null"`
	InstalledOnTime   int64      `gorm:"not null"`
	Restorations      int64      `gorm:"not null"`
	RestoredOnTime    int64      `gorm:"not null"`
	Complaints        int64      `gorm:"not null"`
	ComplaintsReplied int64      `gorm:"column:complaints_replied_3d;not null"`
	CallbacksDue      int64      `gorm:"not null"`
	CallbacksDone72h  int64      `gorm:"column:callbacks_done_72h;not null"`
	Surveys           int64      `gorm:"not null"`
	SurveyScoreSum    int64      `gorm:"not null"`
	SubscribersStart  int64      `gorm:"not null"`
	SubscribersEnd    int64      `gorm:"not null"`
	UpdatedBy         *uint
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

func (v4ServiceMetric) TableName() string { return "service_metrics" }

type v4RankingExport struct {
	ID          uint             `gorm:"primaryKey"`
	Period      string           `gorm:"size:16;not null"`
	Level       string           `gorm:"size:16;not null"`
	Status      string           `gorm:"size:16;not null;index:idx_ranking_export_status"`
	RowsDone    int64            `gorm:"not null"`
	RowsTotal   int64            `gorm:"not null"`
	FileName    string           `gorm:"size:191;not null"`
	FileKey     string           `gorm:"size:191;not null"`
	FileSize    int64            `gorm:"not null"`
	Error       string           `gorm:"size:1000;not null"`
	RequestedBy uint             `gorm:"not null;index:idx_ranking_export_user"`
	ScopeAll    bool             `gorm:"not null"`
	ScopePaths  JSONList[string] `gorm:"not null"`
	LeaseUntil  *time.Time       `gorm:"index:idx_ranking_export_status"`
	Attempts    int              `gorm:"not null"`
	CreatedAt   time.Time        `gorm:"not null;index:idx_ranking_export_created"`
	StartedAt   *time.Time
	FinishedAt  *time.Time
}

func (v4RankingExport) TableName() string { return "ranking_exports" }

// v4Attempt holds the columns of the index step 4 adds to attempts.
type v4Attempt struct {
	EmployeeID uint   `gorm:"not null;index:idx_attempt_passes,priority:3"`
	Status     string `gorm:"size:16;not null;index:idx_attempt_passes,priority:1"`
	Passed     bool   `gorm:"not null;index:idx_attempt_passes,priority:2"`
}

func (v4Attempt) TableName() string { return "attempts" }

// migrateV4 creates the service metrics and ranking export tables and the index the
// ranking's onboarding dimension reads attempts by. CreateTable (not AutoMigrate) makes
// the foreign key to org_units without migrating org_units itself.
func migrateV4(tx *gorm.DB) error {
	m := tx.Migrator()
	if !m.HasIndex(&v4Attempt{}, "idx_attempt_passes") {
		if err := m.CreateIndex(&v4Attempt{}, "idx_attempt_passes"); err != nil {
			return err
		}
	}
	for _, t := range []any{&v4ServiceMetric{}, &v4RankingExport{}} {
		if m.HasTable(t) {
			continue
		}
		if err := m.CreateTable(t); err != nil {
			return err
		}
	}
	return nil
}
