package models

import "time"

// ServiceMetric is one county branch's work-order figures for one calendar month (R3–R5),
// entered or imported from the company's work-order system. Every count is a whole
// number of at least zero and every "on time" count is at most its total (the metrics
// package checks both); the ranking's timeliness and satisfaction come from these rows.
type ServiceMetric struct {
	ID        uint     `gorm:"primaryKey" json:"id"`
	OrgUnitID uint     `gorm:"not null;uniqueIndex:ux_metric_unit_month" json:"org_unit_id"`
	OrgUnit   *OrgUnit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// Month is the calendar month in Asia/Shanghai, YYYY-MM.
	Month string `gorm:"size:7;not null;uniqueIndex:ux_metric_unit_month;index:idx_metric_month" json:"month"`

	// R3.3: work orders and those responded to within 24 hours.
	WorkOrders   int64 `gorm:"not null" json:"work_orders"`
	Responded24h int64 `gorm:"column:responded_24h;not null" json:"responded_24h"`
	// R4.1: ordinary faults fixed within 24 hours, major faults within 72 hours.
	OrdinaryFaults   int64 `gorm:"not null" json:"ordinary_faults"`
	OrdinaryFixed24h int64 `gorm:"column:ordinary_fixed_24h;not null" json:"ordinary_fixed_24h"`
	MajorFaults      int64 `gorm:"not null" json:"major_faults"`
	MajorFixed72h    int64 `gorm:"column:major_fixed_72h;not null" json:"major_fixed_72h"`
	// R4.2: installations done on time (5 working days urban, 10 rural), restorations
	// within 5 working days, complaints replied to within 3 working days.
	Installations     int64     `gorm:"not null" json:"installations"`
	InstalledOnTime   int64     `gorm:"not null" json:"installed_on_time"`
	Restorations      int64     `gorm:"not null" json:"restorations"`
	RestoredOnTime    int64     `gorm:"not null" json:"restored_on_time"`
	Complaints        int64     `gorm:"not null" json:"complaints"`
	ComplaintsReplied int64     `gorm:"column:complaints_replied_3d;not null" json:"complaints_replied_3d"`
	CallbacksDue      int64     `gorm:"not null" json:"callbacks_due"`
	CallbacksDone72h  int64     `gorm:"column:callbacks_done_72h;not null" json:"callbacks_done_72h"`
	Surveys           int64     `gorm:"not null" json:"surveys"`
	SurveyScoreSum    int64     `gorm:"not null" json:"survey_score_sum"`
	SubscribersStart  int64     `gorm:"not null" json:"subscribers_start"`
	SubscribersEnd    int64     `gorm:"not null" json:"subscribers_end"`
	UpdatedBy         *uint     `json:"updated_by"`
	CreatedAt         time.Time `json:"created_at"`
	UpdatedAt         time.Time `json:"updated_at"`
}
