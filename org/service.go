package org

import (
	"time"

	"gorm.io/gorm"
)

// Service keeps the org tree and the roster in the database, on an injected clock.
type Service struct {
	DB *gorm.DB
	// Now is the clock that bounds hire dates.
	Now func() time.Time
}

// NewService returns an org service on db and the wall clock.
func NewService(db *gorm.DB) *Service {
	return &Service{DB: db, Now: time.Now}
}
