package models

import (
	"time"

	"gorm.io/gorm"
)

// Frozen copies of the columns of the indexes migration 5 adds, as that release made
// them. They serve the ranking's aggregates, measured at province scale on SQLite
// (rankbench -explain): the period's inspections are read from idx_inspection_ranking
// alone instead of every submitted inspection through the status index (114 ms →
// 11 ms a period), and each employee's handbook, course and certificate questions are
// answered from an index without reading the table.

type v5Inspection struct {
	OrgUnitID   uint       `gorm:"index:idx_inspection_ranking,priority:3"`
	Status      string     `gorm:"size:16;index:idx_inspection_ranking,priority:1"`
	SubmittedAt *time.Time `gorm:"index:idx_inspection_ranking,priority:2"`
	Earned      int        `gorm:"index:idx_inspection_ranking,priority:5"`
	Possible    int        `gorm:"index:idx_inspection_ranking,priority:4"`
	Result      string     `gorm:"size:16;index:idx_inspection_ranking,priority:6"`
}

func (v5Inspection) TableName() string { return "inspections" }

type v5Employee struct {
	OrgUnitID uint   `gorm:"index:idx_employee_ranking,priority:4"`
	Position  string `gorm:"size:16;index:idx_employee_ranking,priority:2"`
	HireDate  Date   `gorm:"index:idx_employee_ranking,priority:3"`
	Status    string `gorm:"size:16;index:idx_employee_ranking,priority:1"`
}

func (v5Employee) TableName() string { return "employees" }

type v5Acknowledgement struct {
	EmployeeID uint      `gorm:"index:idx_ack_employee,priority:1"`
	VersionID  uint      `gorm:"index:idx_ack_employee,priority:2"`
	At         time.Time `gorm:"index:idx_ack_employee,priority:3"`
}

func (v5Acknowledgement) TableName() string { return "acknowledgements" }

// v5Completion's index replaces idx_completions_employee_id, its first column.
type v5Completion struct {
	CourseID   uint      `gorm:"index:idx_completion_employee,priority:2"`
	EmployeeID uint      `gorm:"index:idx_completion_employee,priority:1"`
	At         time.Time `gorm:"index:idx_completion_employee,priority:3"`
}

func (v5Completion) TableName() string { return "completions" }

// v5Certificate's index replaces idx_certificate_holder, its first three columns.
type v5Certificate struct {
	EmployeeID uint       `gorm:"index:idx_certificate_valid"`
	Kind       string     `gorm:"size:16;index:idx_certificate_valid"`
	IssuedAt   time.Time  `gorm:"index:idx_certificate_valid"`
	ExpiresAt  time.Time  `gorm:"index:idx_certificate_valid"`
	RevokedAt  *time.Time `gorm:"index:idx_certificate_valid"`
}

func (v5Certificate) TableName() string { return "certificates" }

// migrateV5 adds the ranking's covering indexes. Each new index is made before the one
// it replaces is dropped: MariaDB keeps an index on a foreign key's column at all times.
func migrateV5(tx *gorm.DB) error {
	m := tx.Migrator()
	steps := []struct {
		model    any
		index    string
		replaces string
	}{
		{&v5Inspection{}, "idx_inspection_ranking", ""},
		{&v5Employee{}, "idx_employee_ranking", ""},
		{&v5Acknowledgement{}, "idx_ack_employee", ""},
		{&v5Completion{}, "idx_completion_employee", "idx_completions_employee_id"},
		{&v5Certificate{}, "idx_certificate_valid", "idx_certificate_holder"},
	}
	for _, s := range steps {
		if !m.HasIndex(s.model, s.index) {
			if err := m.CreateIndex(s.model, s.index); err != nil {
				return err
			}
		}
		if s.replaces != "" && m.HasIndex(s.model, s.replaces) {
			if err := m.DropIndex(s.model, s.replaces); err != nil {
				return err
			}
		}
	}
	return nil
}
