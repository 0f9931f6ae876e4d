package models

import (
	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Insert adds row with tx and fills in its id. Its associations are never written with
// it: a parent (the unit, the employee, the course) exists already and a child is
// inserted on its own, so a loaded association can never be saved back by accident.
func Insert[T any](tx *gorm.DB, row *T) error {
	return tx.Omit(clause.Associations).Create(row).Error
}
