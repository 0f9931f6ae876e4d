package rectifications

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// Refusals of a transition asked for in the wrong state (409, with a code a client can
// act on) and of evidence without a photo (422).
var (
	ErrNotOpen      = &models.ConflictError{Field: "status", Code: "rect_not_open"}
	ErrNotSubmitted = &models.ConflictError{Field: "status", Code: "rect_not_submitted"}
)

// EvidenceInput is the branch's answer: what was done, at the revision it was read at.
// The photos are uploaded to the rectification beforehand.
type EvidenceInput struct {
	Revision int    `json:"revision"`
	Text     string `json:"text"`
}

// VerifyInput accepts the evidence, with an optional note.
type VerifyInput struct {
	Revision int    `json:"revision"`
	Note     string `json:"note"`
}

// ReasonInput rejects the evidence or waives the rectification; the reason is required.
type ReasonInput struct {
	Revision int    `json:"revision"`
	Reason   string `json:"reason"`
}

// Lengths of the free texts (the columns' sizes).
const (
	maxEvidence = 2000
	maxReason   = 1000
)

// checkText trims *s and records required/too_long on field.
func checkText(v *models.ValidationError, field string, s *string, required bool, max int) {
	*s = strings.TrimSpace(*s)
	switch n := utf8.RuneCountInString(*s); {
	case n == 0 && required:
		v.Add(field, "required")
	case n > max:
		v.Add(field, "too_long", "max", max)
	}
}

func checkRevision(v *models.ValidationError, rev int) {
	if rev < 1 {
		v.Add("revision", "required")
	}
}

// covers reports whether u holds one of roles over a unit whose subtree holds path.
func covers(u *models.User, path string, roles ...string) bool {
	for _, g := range u.Grants {
		if slices.Contains(roles, g.Role) && g.UnitPath != "" && strings.HasPrefix(path, g.UnitPath) {
			return true
		}
	}
	return false
}

// independent reports whether u may judge r's evidence: not its submitter and holding
// no manager grant over the assignee branch (issue 4.6: "verified by an inspector who
// is not the assignee").
func independent(u *models.User, r *models.Rectification) bool {
	if r.SubmittedBy != nil && *r.SubmittedBy == u.ID {
		return false
	}
	return !covers(u, r.AssigneeUnit.Path, models.RoleManager)
}

// forbidden is a refusal of who the caller is (403), saying why in the log only.
func forbidden(why string, id uint) error {
	return fmt.Errorf("rectification %d: %s: %w", id, why, models.ErrForbidden)
}

// outletPath is the path of r's outlet (its finding's unit).
func outletPath(r *models.Rectification) string {
	if r.Finding != nil && r.Finding.OrgUnit != nil {
		return r.Finding.OrgUnit.Path
	}
	return ""
}

// transition is one move of a rectification's status.
type transition struct {
	action   string // audit action
	from, to string
	notFrom  error
	// allowed refuses a caller who may not make the move (403).
	allowed func(ctx context.Context, c Caller, r *models.Rectification) error
	// ready refuses a move whose preconditions are missing (e.g. no photo).
	ready   func(tx *gorm.DB, r *models.Rectification) error
	columns func(c Caller, now time.Time) map[string]any
}

// move applies t to rectification id: 404 outside the scope, 403 for a caller the rule
// excludes, 409 on a stale revision or the wrong state; else the status, the timeline
// line and one audit row in one transaction.
func (s *Service) move(ctx context.Context, c Caller, id uint, rev int, reason string, t transition) (*Detail, error) {
	r, err := models.GetRectification(ctx, s.DB, c.Scope, id)
	if err != nil {
		return nil, err
	}
	if err := t.allowed(ctx, c, r); err != nil {
		return nil, err
	}
	if rev != r.Revision {
		return nil, fmt.Errorf("rectification %d at revision %d, asked at %d: %w", id, r.Revision, rev, models.ErrStale)
	}
	if r.Status != t.from {
		return nil, t.notFrom
	}
	now := s.Now().UTC()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if t.ready != nil {
			if err := t.ready(tx, r); err != nil {
				return err
			}
		}
		cols := map[string]any{}
		if t.columns != nil {
			cols = t.columns(c, now)
		}
		if err := s.step(tx, r, t.to, cols, c.Actor, now, reason); err != nil {
			return err
		}
		return models.Audit(tx, c.Actor, t.action, "rectification", r.ID,
			map[string]any{"from": t.from, "to": t.to, "revision": r.Revision, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, c.Scope, id)
}

// userID is the caller's id as a column value.
func userID(c Caller) *uint {
	id := c.User.ID
	return &id
}

// Submit records the branch's evidence, open → submitted. A manager whose scope holds
// the assignee branch submits; the text is required and at least one photo must have
// been uploaded to the rectification.
func (s *Service) Submit(ctx context.Context, c Caller, id uint, in EvidenceInput) (*Detail, error) {
	v := &models.ValidationError{}
	checkRevision(v, in.Revision)
	checkText(v, "text", &in.Text, true, maxEvidence)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, c, id, in.Revision, in.Text, transition{
		action: "submit", from: models.RectOpen, to: models.RectSubmitted, notFrom: ErrNotOpen,
		allowed: func(_ context.Context, c Caller, r *models.Rectification) error {
			if !covers(c.User, r.AssigneeUnit.Path, models.RoleManager) {
				return forbidden("evidence comes from a manager of the assignee branch", r.ID)
			}
			return nil
		},
		ready: func(tx *gorm.DB, r *models.Rectification) error {
			n, err := models.CountRectificationPhotos(tx, r.ID)
			if err != nil {
				return err
			}
			if n == 0 {
				ve := &models.ValidationError{}
				ve.Add("photos", "rect_photo_required")
				return ve
			}
			return nil
		},
		columns: func(c Caller, now time.Time) map[string]any {
			return map[string]any{"evidence_text": in.Text, "submitted_at": now, "submitted_by": userID(c)}
		},
	})
}

// verifier checks that the caller is an inspector (or an admin) over the outlet and
// independent of the branch.
func verifier(_ context.Context, c Caller, r *models.Rectification) error {
	if !covers(c.User, outletPath(r), models.RoleInspector, models.RoleAdmin) {
		return forbidden("only an inspector or admin over the outlet judges evidence", r.ID)
	}
	if !independent(c.User, r) {
		return forbidden("the assignee cannot judge its own evidence", r.ID)
	}
	return nil
}

// Verify accepts the evidence, submitted → verified, by an inspector or admin whose
// scope holds the outlet and who is not the assignee.
func (s *Service) Verify(ctx context.Context, c Caller, id uint, in VerifyInput) (*Detail, error) {
	v := &models.ValidationError{}
	checkRevision(v, in.Revision)
	checkText(v, "note", &in.Note, false, maxReason)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, c, id, in.Revision, in.Note, transition{
		action: "verify", from: models.RectSubmitted, to: models.RectVerified, notFrom: ErrNotSubmitted,
		allowed: verifier,
		columns: func(c Caller, now time.Time) map[string]any {
			return map[string]any{"verified_at": now, "verified_by": userID(c)}
		},
	})
}

// Reject sends the evidence back, submitted → open, with a reason, by whoever may
// verify it. The due date stays: a rejected rectification past it is overdue at once.
func (s *Service) Reject(ctx context.Context, c Caller, id uint, in ReasonInput) (*Detail, error) {
	v := &models.ValidationError{}
	checkRevision(v, in.Revision)
	checkText(v, "reason", &in.Reason, true, maxReason)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, c, id, in.Revision, in.Reason, transition{
		action: "reject", from: models.RectSubmitted, to: models.RectOpen, notFrom: ErrNotSubmitted,
		allowed: verifier,
	})
}

// Waive closes an open rectification without correction, open → waived, with a reason;
// the approver is recorded. Approvers are admins over the outlet and inspectors holding
// a grant on a city company or the province over it (a county-level inspector cannot),
// independent of the branch like a verifier.
func (s *Service) Waive(ctx context.Context, c Caller, id uint, in ReasonInput) (*Detail, error) {
	v := &models.ValidationError{}
	checkRevision(v, in.Revision)
	checkText(v, "reason", &in.Reason, true, maxReason)
	if err := v.Err(); err != nil {
		return nil, err
	}
	return s.move(ctx, c, id, in.Revision, in.Reason, transition{
		action: "waive", from: models.RectOpen, to: models.RectWaived, notFrom: ErrNotOpen,
		allowed: func(ctx context.Context, c Caller, r *models.Rectification) error {
			ok, err := s.mayWaive(ctx, c.User, outletPath(r))
			if err != nil {
				return err
			}
			if !ok {
				return forbidden("a waiver is approved by an admin or a city or provincial inspector", r.ID)
			}
			if !independent(c.User, r) {
				return forbidden("the assignee cannot waive its own rectification", r.ID)
			}
			return nil
		},
		columns: func(c Caller, _ time.Time) map[string]any {
			return map[string]any{"waiver_reason": in.Reason, "waived_by": userID(c)}
		},
	})
}

// mayWaive reports whether u may approve a waiver for an outlet at path.
func (s *Service) mayWaive(ctx context.Context, u *models.User, path string) (bool, error) {
	if covers(u, path, models.RoleAdmin) {
		return true, nil
	}
	var ids []uint
	for _, g := range u.Grants {
		if g.Role == models.RoleInspector && g.UnitPath != "" && strings.HasPrefix(path, g.UnitPath) {
			ids = append(ids, g.OrgUnitID)
		}
	}
	units, err := models.RectificationUnits(ctx, s.DB, ids)
	if err != nil {
		return false, err
	}
	for _, u := range units {
		if u.Level == models.LevelCity || u.Level == models.LevelProvince {
			return true, nil
		}
	}
	return false, nil
}
