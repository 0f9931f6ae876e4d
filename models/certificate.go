package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Certificate statuses. A status is derived from the dates and the revocation at the
// time asked, never stored: a stored status would go stale at midnight.
const (
	CertValid    = "valid"
	CertExpiring = "expiring"
	CertExpired  = "expired"
	CertRevoked  = "revoked"
)

// CertificateStatuses lists every status, the allow-list of the status filter.
var CertificateStatuses = []string{CertValid, CertExpiring, CertExpired, CertRevoked}

// Certificate is proof that an employee passed a certification exam (R8.3), issued by
// the attempt that passed it. A certificate is never changed after issue except to be
// revoked once; a renewal is a new certificate, so the history stays whole.
type Certificate struct {
	ID uint `gorm:"primaryKey" json:"id"`
	// Number is the printed number, LY-<year>-<id>.
	Number string `gorm:"size:32;not null;uniqueIndex" json:"number"`
	// Code is the random, unguessable key of the public verification page.
	Code       string    `gorm:"size:32;not null;uniqueIndex" json:"code"`
	EmployeeID uint      `gorm:"not null;index:idx_certificate_valid" json:"employee_id"`
	Employee   *Employee `gorm:"constraint:OnDelete:RESTRICT" json:"employee,omitempty"`
	AttemptID  uint      `gorm:"not null;uniqueIndex" json:"attempt_id"`
	Attempt    *Attempt  `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	ExamID     uint      `gorm:"not null;index" json:"exam_id"`
	Exam       *Exam     `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// Kind is the kind of the exam that issued it (ExamEtiquette).
	Kind          string     `gorm:"size:16;not null;index:idx_certificate_valid" json:"kind"`
	IssuedAt      time.Time  `gorm:"not null;index:idx_certificate_valid" json:"issued_at"`
	ExpiresAt     time.Time  `gorm:"not null;index;index:idx_certificate_valid" json:"expires_at"`
	RevokedAt     *time.Time `gorm:"index:idx_certificate_valid" json:"revoked_at"`
	RevokedReason string     `gorm:"size:500;not null" json:"revoked_reason"`
	RevokedBy     *uint      `json:"revoked_by"`
	CreatedAt     time.Time  `json:"created_at"`
}

// StatusAt is the certificate's status at now, expiring from window before it expires.
func (c *Certificate) StatusAt(now time.Time, window time.Duration) string {
	switch {
	case c.RevokedAt != nil:
		return CertRevoked
	case !now.Before(c.ExpiresAt):
		return CertExpired
	case !now.Before(c.ExpiresAt.Add(-window)):
		return CertExpiring
	}
	return CertValid
}

// CertificateNumber is the printed number of certificate id issued at issued.
func CertificateNumber(issued time.Time, id uint) string {
	return fmt.Sprintf("LY-%d-%06d", issued.UTC().Year(), id)
}

// InsertCertificate stores a new certificate and gives it its number, which needs the
// id: the row is inserted under its code (unique too) and renamed in the same tx.
func InsertCertificate(tx *gorm.DB, c *Certificate) error {
	c.Number = c.Code
	if err := tx.Omit("Employee", "Attempt", "Exam").Create(c).Error; err != nil {
		return Translate(err, "certificate")
	}
	c.Number = CertificateNumber(c.IssuedAt, c.ID)
	return Translate(tx.Model(c).Update("number", c.Number).Error, "number")
}

// certificateScope keeps the certificates whose holder works inside the scope.
func certificateScope(q *gorm.DB, scope Scope) *gorm.DB {
	if scope.All {
		return q
	}
	cond, args := scope.pathCond("u.path")
	return q.Where("certificates.employee_id IN (SELECT e.id FROM employees e JOIN org_units u ON u.id = e.org_unit_id WHERE "+cond+")", args...)
}

// GetCertificate loads one certificate whose holder is in scope, with the holder and
// their unit.
func GetCertificate(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Certificate, error) {
	var c Certificate
	err := certificateScope(db.WithContext(ctx), scope).Preload("Employee.OrgUnit").Where("certificates.id = ?", id).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("certificate %d: %w", id, ErrNotFound)
	}
	return &c, err
}

// CertificateByCode loads the certificate with a verification code, with its holder.
func CertificateByCode(ctx context.Context, db *gorm.DB, code string) (*Certificate, error) {
	var c Certificate
	err := db.WithContext(ctx).Preload("Employee").Where("code = ?", code).Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("certificate code: %w", ErrNotFound)
	}
	return &c, err
}

// LatestCertificate returns an employee's most recently issued certificate of a kind,
// revoked or not.
func LatestCertificate(ctx context.Context, db *gorm.DB, employeeID uint, kind string) (*Certificate, error) {
	var c Certificate
	err := db.WithContext(ctx).Where("employee_id = ? AND kind = ?", employeeID, kind).
		Order("issued_at DESC, id DESC").Take(&c).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("certificate of employee %d: %w", employeeID, ErrNotFound)
	}
	return &c, err
}

// CertificateFilter selects certificates; zero fields do not filter. Status is judged
// at Now with the Window before expiry that makes a certificate expiring.
type CertificateFilter struct {
	Status     string
	EmployeeID uint
	Now        time.Time
	Window     time.Duration
	Page
}

// ListCertificates returns one page of certificates whose holders are in scope, with
// the holders and their units, soonest expiry first.
func ListCertificates(ctx context.Context, db *gorm.DB, scope Scope, f CertificateFilter) (List[Certificate], error) {
	q := certificateScope(db.WithContext(ctx).Model(&Certificate{}), scope)
	if f.EmployeeID != 0 {
		q = q.Where("employee_id = ?", f.EmployeeID)
	}
	now, soon := f.Now.UTC(), f.Now.UTC().Add(f.Window)
	// The same boundaries as StatusAt: expired at ExpiresAt, expiring from Window before.
	switch f.Status {
	case "":
	case CertRevoked:
		q = q.Where("revoked_at IS NOT NULL")
	case CertExpired:
		q = q.Where("revoked_at IS NULL AND expires_at <= ?", now)
	case CertExpiring:
		q = q.Where("revoked_at IS NULL AND expires_at > ? AND expires_at <= ?", now, soon)
	case CertValid:
		q = q.Where("revoked_at IS NULL AND expires_at > ?", soon)
	default:
		v := &ValidationError{}
		v.Add("status", "invalid_choice")
		return List[Certificate]{}, v
	}
	return pageOf[Certificate](q.Preload("Employee.OrgUnit"), f.Page, "expires_at, id")
}

// RevokeCertificate marks a certificate revoked, once: it reports false when it was
// revoked already (by this call's rival too), leaving the first revocation as it was.
func RevokeCertificate(tx *gorm.DB, id uint, at time.Time, reason string, by *uint) (bool, error) {
	res := tx.Model(&Certificate{}).Where("id = ? AND revoked_at IS NULL", id).
		Updates(map[string]any{"revoked_at": at, "revoked_reason": reason, "revoked_by": by})
	return res.RowsAffected > 0, res.Error
}
