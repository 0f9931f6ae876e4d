// Package policy owns the supervision policy: the numbers the rules leave to the
// company (rectification days, the statement window, escalation delays, the photo limit,
// the working-day calendar), their defaults, and their one update with its validation
// and audit row. The inspections, rectifications, patrols and accountability packages
// read it; only this package writes it.
package policy

import (
	"context"
	"slices"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// PolicyKey names the settings group of the supervision side.
const PolicyKey = "inspections"

// Policy holds the numbers the rules leave to the company, with the defaults below;
// the provincial office changes them through the settings API, never in code.
type Policy struct {
	// RectifyDays and CriticalRectifyDays give a rectification's due date after the
	// inspection (R7.3 督促整改).
	RectifyDays         int `json:"rectify_days"`
	CriticalRectifyDays int `json:"critical_rectify_days"`
	// ReminderDays before the due date the branch is reminded once.
	ReminderDays int `json:"reminder_days"`
	// A rectification still open the day after its due date is escalated to the city
	// company, and ProvinceAfterDays after the due date to the provincial office.
	ProvinceAfterDays int `json:"province_after_days"`
	// StatementWorkingDays is the statement window of a case (R6.8), Monday to Friday.
	StatementWorkingDays int `json:"statement_working_days"`
	// RepeatWindowDays is the "within one year" of R6.6.
	RepeatWindowDays int `json:"repeat_window_days"`
	// FarFromOutletMeters flags an inspection started farther than this from the outlet.
	FarFromOutletMeters int `json:"far_from_outlet_meters"`
	// PhotoMaxBytes bounds one uploaded photo.
	PhotoMaxBytes int64 `json:"photo_max_bytes"`
	// PassMark is the pass mark of a new template, a percentage.
	PassMark int `json:"pass_mark"`
	// Holidays are public holidays: days off that would be working days (Monday to
	// Friday), which the statement window skips. ExtraWorkdays are the Saturdays and
	// Sundays worked instead (调休), which it counts. Both are sorted, without repeats
	// and without a date in common (Update sees to it).
	Holidays      []models.Date `json:"holidays"`
	ExtraWorkdays []models.Date `json:"extra_workdays"`
}

// DefaultPolicy is the policy until the provincial office sets another.
var DefaultPolicy = Policy{
	RectifyDays:          7,
	CriticalRectifyDays:  3,
	ReminderDays:         1,
	ProvinceAfterDays:    7,
	StatementWorkingDays: 5,
	RepeatWindowDays:     365,
	FarFromOutletMeters:  500,
	PhotoMaxBytes:        8 << 20,
	PassMark:             80,
	Holidays:             []models.Date{},
	ExtraWorkdays:        []models.Date{},
}

// Service reads and changes the policy; every domain service that reads it is handed
// the one app.New builds.
type Service struct {
	DB *gorm.DB
	// Now is the clock that stamps a change.
	Now func() time.Time
}

// NewService returns a policy service on db and the wall clock.
func NewService(db *gorm.DB) *Service {
	return &Service{DB: db, Now: time.Now}
}

// Load reads the policy; fields never set keep their defaults.
func (s *Service) Load(ctx context.Context) (Policy, error) {
	return s.load(ctx, s.DB)
}

// load reads the policy with tx, the database or the transaction that locked it.
func (s *Service) load(ctx context.Context, tx *gorm.DB) (Policy, error) {
	p := DefaultPolicy
	err := models.LoadSetting(ctx, tx, PolicyKey, &p)
	// A policy stored before the lists existed (or with null) reads as empty lists.
	if p.Holidays == nil {
		p.Holidays = []models.Date{}
	}
	if p.ExtraWorkdays == nil {
		p.ExtraWorkdays = []models.Date{}
	}
	return p, err
}

// DueOn is the due date of a rectification of a finding made on day found.
func (p Policy) DueOn(found models.Date, critical bool) models.Date {
	days := p.RectifyDays
	if critical {
		days = p.CriticalRectifyDays
	}
	return models.DateOf(found.Time().AddDate(0, 0, days))
}

// StatementDueOn is the last day of the statement window of a case opened on day
// opened: StatementWorkingDays working days after it. A working day is a Monday to
// Friday not in Holidays, or a day in ExtraWorkdays.
func (p Policy) StatementDueOn(opened models.Date) models.Date {
	d := opened.Time()
	for n := 0; n < p.StatementWorkingDays; {
		d = d.AddDate(0, 0, 1)
		if p.IsWorkingDay(models.DateOf(d)) {
			n++
		}
	}
	return models.DateOf(d)
}

// IsWorkingDay reports whether d is a working day under p.
func (p Policy) IsWorkingDay(d models.Date) bool {
	if slices.Contains(p.ExtraWorkdays, d) {
		return true
	}
	if wd := d.Time().Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !slices.Contains(p.Holidays, d)
}
