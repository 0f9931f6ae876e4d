package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Session is a login kept in the database so that several instances share it and a
// restart logs nobody out. ID is the SHA-256 of the cookie token, never the token.
type Session struct {
	ID         string    `gorm:"size:64;primaryKey"`
	UserID     uint      `gorm:"not null;index"`
	User       *User     `gorm:"constraint:OnDelete:CASCADE"`
	CreatedAt  time.Time `gorm:"not null"`
	LastSeenAt time.Time `gorm:"not null"`
	ExpiresAt  time.Time `gorm:"not null;index"`
	IP         string    `gorm:"size:64;not null"`
	UserAgent  string    `gorm:"size:255;not null"`
}

// CreateSession stores a new session.
func CreateSession(ctx context.Context, db *gorm.DB, s *Session) error {
	return db.WithContext(ctx).Omit("User").Create(s).Error
}

// GetSession loads a session by hashed id or fails with ErrNotFound.
func GetSession(ctx context.Context, db *gorm.DB, id string) (*Session, error) {
	var s Session
	err := db.WithContext(ctx).Where("id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	return &s, err
}

// GetSessionUser loads a session by hashed id together with its user (without grants)
// in one query, or fails with ErrNotFound: every authenticated request resolves its
// cookie this way. User is nil only if the user row is gone.
func GetSessionUser(ctx context.Context, db *gorm.DB, id string) (*Session, error) {
	var s Session
	err := db.WithContext(ctx).Joins("User").Where("sessions.id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("session: %w", ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	if s.User != nil && s.User.ID == 0 {
		s.User = nil
	}
	return &s, nil
}

// TouchSession moves the idle clock of a session forward.
func TouchSession(ctx context.Context, db *gorm.DB, id string, at time.Time) error {
	return db.WithContext(ctx).Model(&Session{}).Where("id = ?", id).Update("last_seen_at", at).Error
}

// DeleteSession ends one session.
func DeleteSession(ctx context.Context, db *gorm.DB, id string) error {
	return db.WithContext(ctx).Where("id = ?", id).Delete(&Session{}).Error
}

// DeleteUserSessions ends every session of a user (logout everywhere, disabling, password reset).
func DeleteUserSessions(tx *gorm.DB, userID uint) error {
	return tx.Where("user_id = ?", userID).Delete(&Session{}).Error
}

// DeleteExpiredSessions removes sessions past their absolute expiry or idle since before idleBefore.
func DeleteExpiredSessions(ctx context.Context, db *gorm.DB, now, idleBefore time.Time) (int64, error) {
	res := db.WithContext(ctx).Where("expires_at < ? OR last_seen_at < ?", now, idleBefore).Delete(&Session{})
	return res.RowsAffected, res.Error
}

// LoginThrottle counts recent failed logins under one key (an account, an account from
// one address, or an address).
type LoginThrottle struct {
	Key          string    `gorm:"size:191;primaryKey"`
	Failures     int       `gorm:"not null"`
	LastFailedAt time.Time `gorm:"not null"`
	BlockedUntil time.Time `gorm:"not null"`
}

// GetThrottles loads the throttle rows of the given keys.
func GetThrottles(ctx context.Context, db *gorm.DB, keys []string) (map[string]LoginThrottle, error) {
	var rows []LoginThrottle
	if err := db.WithContext(ctx).Where("`key` IN ?", keys).Find(&rows).Error; err != nil {
		return nil, err
	}
	m := make(map[string]LoginThrottle, len(rows))
	for _, r := range rows {
		m[r.Key] = r
	}
	return m, nil
}

// SaveThrottle inserts or replaces one throttle row.
func SaveThrottle(ctx context.Context, db *gorm.DB, t LoginThrottle) error {
	return db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns:   []clause.Column{{Name: "key"}},
		DoUpdates: clause.AssignmentColumns([]string{"failures", "last_failed_at", "blocked_until"}),
	}).Create(&t).Error
}

// AddLoginFailure counts one failure under key in a single atomic statement (parallel
// guesses from several instances all count), restarting from 1 when the previous
// failure is older than windowStart, and returns the new count.
func AddLoginFailure(ctx context.Context, db *gorm.DB, key string, now, windowStart time.Time) (int, error) {
	err := db.WithContext(ctx).Clauses(clause.OnConflict{
		Columns: []clause.Column{{Name: "key"}},
		// Assignments are applied in key order: failures reads the old last_failed_at.
		DoUpdates: clause.Assignments(map[string]any{
			"failures":       gorm.Expr("CASE WHEN last_failed_at < ? THEN 1 ELSE failures + 1 END", windowStart),
			"last_failed_at": now,
		}),
	}).Create(&LoginThrottle{Key: key, Failures: 1, LastFailedAt: now, BlockedUntil: now}).Error
	if err != nil {
		return 0, err
	}
	var t LoginThrottle
	if err := db.WithContext(ctx).Where("`key` = ?", key).Take(&t).Error; err != nil {
		return 0, err
	}
	return t.Failures, nil
}

// BlockLogin sets how long a throttle key refuses logins.
func BlockLogin(ctx context.Context, db *gorm.DB, key string, until time.Time) error {
	return db.WithContext(ctx).Model(&LoginThrottle{}).Where("`key` = ?", key).Update("blocked_until", until).Error
}

// ClearThrottles deletes the throttle rows of the given keys (after a good login).
func ClearThrottles(ctx context.Context, db *gorm.DB, keys []string) error {
	return db.WithContext(ctx).Where("`key` IN ?", keys).Delete(&LoginThrottle{}).Error
}

// Secret is a server-made random value shared by every instance (the CSRF signing key).
type Secret struct {
	Name  string `gorm:"size:64;primaryKey"`
	Value string `gorm:"size:255;not null"`
}

// GetSecret returns the named secret, creating it with mint() the first time; two
// instances racing at first start agree on whichever insert won.
func GetSecret(ctx context.Context, db *gorm.DB, name string, mint func() string) (string, error) {
	s := Secret{Name: name, Value: mint()}
	if err := db.WithContext(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(&s).Error; err != nil {
		return "", err
	}
	var got Secret
	if err := db.WithContext(ctx).Where("name = ?", name).Take(&got).Error; err != nil {
		return "", err
	}
	return got.Value, nil
}
