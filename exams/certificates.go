package exams

import (
	"context"
	crand "crypto/rand"
	"encoding/base32"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// CertificatePolicy is how long a certificate lasts and when it starts to count as
// expiring (R8.3 certification; issue 3 point 6).
type CertificatePolicy struct {
	// ValidMonths is the life of a certificate from its issue.
	ValidMonths int
	// ExpiringDays is how long before expiry a certificate is expiring: its holder may
	// take the etiquette exam again and it shows on the managers' list.
	ExpiringDays int
}

// DefaultCertificatePolicy is 24 months, expiring 60 days before the end.
var DefaultCertificatePolicy = CertificatePolicy{ValidMonths: 24, ExpiringDays: 60}

// orDefault fills the zero fields from DefaultCertificatePolicy, so a Service built as
// a literal still issues certificates that last.
func (p CertificatePolicy) orDefault() CertificatePolicy {
	if p.ValidMonths <= 0 {
		p.ValidMonths = DefaultCertificatePolicy.ValidMonths
	}
	if p.ExpiringDays <= 0 {
		p.ExpiringDays = DefaultCertificatePolicy.ExpiringDays
	}
	return p
}

// Window is how long before expiry a certificate counts as expiring.
func (p CertificatePolicy) Window() time.Duration {
	return time.Duration(p.orDefault().ExpiringDays) * 24 * time.Hour
}

// codeBytes is the entropy of a verification code: 120 bits, 24 base32 characters.
const codeBytes = 15

var codeEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// newCertificateCode returns a fresh verification code from crypto/rand: uppercase
// base32 without padding, safe in a URL, and too long to guess.
func newCertificateCode() string {
	b := make([]byte, codeBytes)
	if _, err := crand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return codeEncoding.EncodeToString(b)
}

// normalizeCode reads a code as typed from a printout: case and dashes or spaces
// between groups do not matter. It reports false for anything that cannot be a code.
func normalizeCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	s = strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(s))
	if len(s) != codeEncoding.EncodedLen(codeBytes) {
		return "", false
	}
	for _, r := range s {
		if !('A' <= r && r <= 'Z' || '2' <= r && r <= '7') {
			return "", false
		}
	}
	return s, true
}

// IssueCertificate certifies the holder of a passed attempt at a certification exam,
// inside tx, the transaction that graded it; one attempt issues at most one.
func (s *Service) IssueCertificate(tx *gorm.DB, actor models.Actor, p CertificatePolicy, exam *models.Exam, a *models.Attempt) (*models.Certificate, error) {
	p = p.orDefault()
	issued := a.StartedAt
	if a.SubmittedAt != nil {
		issued = *a.SubmittedAt // the day it was passed, also when the sweep graded it late
	}
	c := &models.Certificate{Code: newCertificateCode(), EmployeeID: a.EmployeeID, AttemptID: a.ID, ExamID: exam.ID,
		Kind: exam.Kind, IssuedAt: issued, ExpiresAt: issued.AddDate(0, p.ValidMonths, 0)}
	if err := models.InsertCertificate(tx, c); err != nil {
		return nil, err
	}
	err := models.Audit(tx, actor, "issue", "certificate", c.ID, map[string]any{"number": c.Number, "employee_id": c.EmployeeID,
		"attempt_id": c.AttemptID, "expires_at": c.ExpiresAt})
	return c, err
}

// CertificateView is a certificate with its status at the time of the request.
type CertificateView struct {
	models.Certificate
	Status string `json:"status"`
}

func (s *Service) certificateView(c models.Certificate) CertificateView {
	return CertificateView{Certificate: c, Status: c.StatusAt(s.Now(), s.Certificates.Window())}
}

// CertificateFilter selects certificates by status (one of models.CertificateStatuses).
type CertificateFilter struct {
	Status string
	models.Page
}

// ListCertificates lists the certificates of the staff in scope, soonest expiry first;
// status "expiring" is who must re-certify soon.
func (s *Service) ListCertificates(ctx context.Context, scope models.Scope, f CertificateFilter) (models.List[CertificateView], error) {
	list, err := models.ListCertificates(ctx, s.DB, scope, models.CertificateFilter{Status: f.Status, Now: s.Now(),
		Window: s.Certificates.Window(), Page: f.Page})
	return s.views(list), err
}

// MyCertificates lists the employee's own certificates, revoked and expired ones too;
// a user without an employee has none.
func (s *Service) MyCertificates(ctx context.Context, employeeID *uint, p models.Page) (models.List[CertificateView], error) {
	if employeeID == nil {
		return models.List[CertificateView]{Items: []CertificateView{}}, nil
	}
	list, err := models.ListCertificates(ctx, s.DB, models.ScopeAll, models.CertificateFilter{EmployeeID: *employeeID, Page: p})
	for i := range list.Items {
		list.Items[i].Employee = nil // the caller is the holder
	}
	return s.views(list), err
}

// MyCertificate is one of the employee's own certificates, with the holder and their
// unit, for its printable page; another person's is ErrNotFound.
func (s *Service) MyCertificate(ctx context.Context, employeeID *uint, id uint) (*CertificateView, error) {
	if employeeID == nil {
		return nil, models.ErrNotFound
	}
	c, err := models.GetCertificate(ctx, s.DB, models.ScopeAll, id)
	if err != nil {
		return nil, err
	}
	if c.EmployeeID != *employeeID {
		return nil, fmt.Errorf("certificate %d: %w", id, models.ErrNotFound)
	}
	v := s.certificateView(*c)
	return &v, nil
}

func (s *Service) views(list models.List[models.Certificate]) models.List[CertificateView] {
	out := models.List[CertificateView]{Items: make([]CertificateView, len(list.Items)), Total: list.Total}
	for i, c := range list.Items {
		out.Items[i] = s.certificateView(c)
	}
	return out
}

// RevokeInput is why a certificate is revoked.
type RevokeInput struct {
	Reason string `json:"reason"`
}

var errRevoked = &models.ConflictError{Field: "id", Code: "certificate_revoked"}

// RevokeCertificate revokes a certificate of a holder in scope, once and with a reason;
// the certificate stays, with who revoked it, when and why.
func (s *Service) RevokeCertificate(ctx context.Context, actor models.Actor, scope models.Scope, id uint, in RevokeInput) (*CertificateView, error) {
	reason := strings.TrimSpace(in.Reason)
	v := &models.ValidationError{}
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		v.Add("reason", "required")
	case n > 500:
		v.Add("reason", "too_long", "max", 500)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	if _, err := models.GetCertificate(ctx, s.DB, scope, id); err != nil {
		return nil, err
	}
	now := s.Now()
	var by *uint
	if actor.UserID != 0 {
		uid := actor.UserID
		by = &uid
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done, err := models.RevokeCertificate(tx, id, now, reason, by)
		if err != nil {
			return err
		}
		if !done {
			return errRevoked
		}
		return models.Audit(tx, actor, "revoke", "certificate", id, map[string]any{"reason": reason})
	})
	if err != nil {
		return nil, err
	}
	c, err := models.GetCertificate(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	cv := s.certificateView(*c)
	return &cv, nil
}

// CertificateCheck is everything the public verification shows: no id, no job number,
// no unit, no full name.
type CertificateCheck struct {
	Name      string    `json:"name"`
	Kind      string    `json:"kind"`
	Number    string    `json:"number"`
	IssuedAt  time.Time `json:"issued_at"`
	ExpiresAt time.Time `json:"expires_at"`
	Status    string    `json:"status"`
}

// VerifyCertificate answers the public check of a verification code. An unknown or
// malformed code is ErrNotFound; guessing is bounded by the code's 120 bits.
func (s *Service) VerifyCertificate(ctx context.Context, code string) (*CertificateCheck, error) {
	code, ok := normalizeCode(code)
	if !ok {
		return nil, models.ErrNotFound
	}
	c, err := models.CertificateByCode(ctx, s.DB, code)
	if err != nil {
		return nil, err
	}
	name := ""
	if c.Employee != nil {
		name = c.Employee.Name
	}
	return &CertificateCheck{Name: MaskName(name), Kind: c.Kind, Number: c.Number, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt,
		Status: c.StatusAt(s.Now(), s.Certificates.Window())}, nil
}

// MaskName keeps the first character of a name and stars the rest (王佳佳 → 王**); a
// one-character name still gets a star, so a mask never shows a whole name.
func MaskName(name string) string {
	name = strings.TrimSpace(name)
	first, size := utf8.DecodeRuneInString(name)
	if size == 0 {
		return "*"
	}
	return string(first) + strings.Repeat("*", max(1, utf8.RuneCountInString(name)-1))
}

// attemptsUsed counts the attempts that use up the exam's allowance. Re-certification
// (issue 3 point 6): a holder whose latest etiquette certificate is expiring or expired,
// and not revoked, counts only the attempts started since it was issued.
func (s *Service) attemptsUsed(ctx context.Context, exam *models.Exam, employeeID uint, past []models.Attempt, now time.Time) (int, error) {
	if exam.Kind != models.ExamEtiquette || exam.AttemptsAllowed == 0 || len(past) == 0 {
		return len(past), nil
	}
	c, err := models.LatestCertificate(ctx, s.DB, employeeID, models.ExamEtiquette)
	if errors.Is(err, models.ErrNotFound) {
		return len(past), nil
	}
	if err != nil {
		return 0, err
	}
	if st := c.StatusAt(now, s.Certificates.Window()); st != models.CertExpiring && st != models.CertExpired {
		return len(past), nil
	}
	n := 0
	for _, a := range past {
		if a.ID != c.AttemptID && !a.StartedAt.Before(c.IssuedAt) {
			n++
		}
	}
	return n, nil
}
