package models

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Setting is one named group of tunable numbers (the rules' defaults: rectification
// days, the statement window, escalation delays), stored as JSON so that a group can grow
// fields without a migration. A missing row means every default applies.
type Setting struct {
	Name      string    `gorm:"primaryKey;size:64" json:"name"`
	Value     string    `gorm:"type:text;not null" json:"value"`
	UpdatedAt time.Time `gorm:"not null" json:"updated_at"`
	UpdatedBy *uint     `json:"updated_by"`
}

// LoadSetting reads the group key into v, which holds the defaults beforehand: fields
// absent from the stored JSON keep them.
func LoadSetting(ctx context.Context, db *gorm.DB, key string, v any) error {
	var s Setting
	err := db.WithContext(ctx).Take(&s, "name = ?", key).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	if err := json.Unmarshal([]byte(s.Value), v); err != nil {
		return fmt.Errorf("setting %s: %w", key, err)
	}
	return nil
}

// SaveSetting stores v as the group key with tx (the transaction that audits it).
func SaveSetting(tx *gorm.DB, key string, v any, by uint, now time.Time) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	s := Setting{Name: key, Value: string(b), UpdatedAt: now.UTC(), UpdatedBy: &by}
	return tx.Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "name"}},
		DoUpdates: clause.AssignmentColumns([]string{"value", "updated_at", "updated_by"}),
	}).Create(&s).Error
}
