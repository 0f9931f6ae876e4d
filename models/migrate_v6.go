package models

import (
	"time"

	"gorm.io/gorm"
)

// Step 6 brings a database of any build of schema 3 or later to the columns the
// supervision release's last build had: three changes of that release came after
// its first build had stamped schema 3, without a step of their own, so a database
// made by that first build and upgraded since lacked a table and a column and kept a
// NOT NULL column nothing fills (`seed --demo` failed with "NOT NULL constraint
// failed: inspections.revision"). Each change is tested before it is made, so on a
// database that already has the later shape the step changes nothing.

// v6SignInGuess is the table of course sign-in guesses as that build made it.
type v6SignInGuess struct {
	SessionID   uint      `gorm:"primaryKey;autoIncrement:false"`
	UserID      uint      `gorm:"primaryKey;autoIncrement:false"`
	Guesses     int       `gorm:"not null"`
	LastGuessAt time.Time `gorm:"not null"`
}

func (v6SignInGuess) TableName() string { return "sign_in_guesses" }

// v6CasePerson holds the column the decision's leadership responsibility added (R6.5):
// added with a default, since the table has rows, then altered to the definition the
// later build made (no default).
type v6CasePerson struct {
	LeaderAccountable bool `gorm:"not null"`
}

func (v6CasePerson) TableName() string { return "case_people" }

type v6CasePersonAdded struct {
	LeaderAccountable bool `gorm:"not null;default:false"`
}

func (v6CasePersonAdded) TableName() string { return "case_people" }

// v6Inspection holds the column the inspection-level revision was stored in.
type v6Inspection struct {
	Revision int
}

func (v6Inspection) TableName() string { return "inspections" }

func migrateV6(tx *gorm.DB) error {
	m := tx.Migrator()
	if !m.HasTable(&v6SignInGuess{}) {
		if err := m.CreateTable(&v6SignInGuess{}); err != nil {
			return err
		}
	}
	if !m.HasColumn(&v6CasePerson{}, "LeaderAccountable") {
		if err := m.AddColumn(&v6CasePersonAdded{}, "LeaderAccountable"); err != nil {
			return err
		}
		if err := alterKeepingIndexes(tx, "case_people", func() error {
			return m.AlterColumn(&v6CasePerson{}, "LeaderAccountable")
		}); err != nil {
			return err
		}
	}
	// Both engines drop the column in place (SQLite since 3.35): GORM's SQLite
	// migrator would make the table anew, and inside the step's transaction foreign
	// keys stay on, so dropping the old table would act on the findings that refer to it.
	if m.HasColumn(&v6Inspection{}, "Revision") {
		if err := tx.Exec("ALTER TABLE inspections DROP COLUMN revision").Error; err != nil {
			return err
		}
	}
	return nil
}

// alterKeepingIndexes runs alter on table and, on SQLite, where GORM alters a column by
// making the table anew, makes the table's indexes and triggers again as they were.
// Only for a table no other table refers to: the old table is dropped with foreign
// keys on (a transaction cannot turn them off).
func alterKeepingIndexes(tx *gorm.DB, table string, alter func() error) error {
	if DialectOf(tx) == MySQL {
		return alter()
	}
	var defs []string
	if err := tx.Raw("SELECT sql FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name = ? AND sql IS NOT NULL ORDER BY type, name", table).
		Scan(&defs).Error; err != nil {
		return err
	}
	if err := alter(); err != nil {
		return err
	}
	for _, def := range defs {
		if err := tx.Exec(def).Error; err != nil {
			return err
		}
	}
	return nil
}
