package rectifications

import (
	"fmt"
	"slices"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// This file holds the moves other packages make, each in the caller's transaction and at
// the caller's time: an inspection's submit opens rectifications and its follow-up
// re-checks one, a voided finding cancels its own, a reopened inspection withdraws its
// open ones, and the demo history records moves made in the past. Every write of a
// rectification's status goes through this package (rectifications/owner_test.go keeps
// it so), and leaves says which move may leave which status.

// leaves lists, by the status a move goes to, the statuses it may come from (R7.3).
var leaves = map[string][]string{
	// The branch answers with evidence.
	models.RectSubmitted: {models.RectOpen},
	// The evidence is rejected, or a follow-up finds the item failing again.
	models.RectOpen: {models.RectSubmitted},
	// The evidence is accepted; from open only by a follow-up that finds the item fixed.
	models.RectVerified: {models.RectSubmitted, models.RectOpen},
	// Not to be rectified, with a reason and the approver.
	models.RectWaived: {models.RectOpen},
	// Its finding was voided.
	models.RectCancelled: {models.RectOpen, models.RectSubmitted},
}

// step moves r to status to with the extra columns and the timeline line, in tx, if
// leaves allows the move from r's status: ErrNotOpen or ErrNotSubmitted otherwise, and
// models.ErrStale when another change came first.
func (s *Service) step(tx *gorm.DB, r *models.Rectification, to string, columns map[string]any, actor models.Actor, at time.Time, reason string) error {
	from := leaves[to]
	if !slices.Contains(from, r.Status) {
		refusal := ErrNotSubmitted
		if slices.Contains(from, models.RectOpen) {
			refusal = ErrNotOpen
		}
		return fmt.Errorf("rectification %d: %s to %s: %w", r.ID, r.Status, to, refusal)
	}
	return models.StoreRectificationMove(tx, r, to, columns, actor, at, reason)
}

// Open inserts r as open, due and assigned as the caller decided, with the first line of
// its timeline, in tx (the transaction that made its finding).
func (s *Service) Open(tx *gorm.DB, r *models.Rectification, actor models.Actor, at time.Time) error {
	return models.StoreOpenRectification(tx, r, actor, at)
}

// Cancel cancels r because its finding was voided for reason, while r is open or
// submitted; a verified or waived one stays as it was. It reports whether r was
// cancelled.
func (s *Service) Cancel(tx *gorm.DB, r *models.Rectification, actor models.Actor, at time.Time, reason string) (bool, error) {
	if !slices.Contains(leaves[models.RectCancelled], r.Status) {
		return false, nil
	}
	return true, s.step(tx, r, models.RectCancelled, nil, actor, at, "问题已作废："+reason)
}

// Follow-up outcomes, as FollowUp returns them.
const (
	FollowUpVerified  = "verified"
	FollowUpReopened  = "reopened"
	FollowUpStillOpen = "still_open"
	FollowUpUnchanged = "unchanged"
)

// FollowUp applies the follow-up inspection inspectionID, which re-checked r's item, to
// r: the item passed → an open or submitted r is verified; failed again → a submitted r
// goes back to open, and an open one stays open. Either way r records the follow-up; a
// verified, waived or cancelled r is unchanged. It returns the outcome.
func (s *Service) FollowUp(tx *gorm.DB, r *models.Rectification, inspectionID uint, passed bool, actor models.Actor, at time.Time) (string, error) {
	cols := map[string]any{"follow_up_inspection_id": inspectionID}
	switch {
	case passed && (r.Status == models.RectOpen || r.Status == models.RectSubmitted):
		cols["verified_at"], cols["verified_by"] = at, actor.UserID
		return FollowUpVerified, s.step(tx, r, models.RectVerified, cols, actor, at,
			fmt.Sprintf("复查检查 #%d：该项合格", inspectionID))
	case !passed && r.Status == models.RectSubmitted:
		return FollowUpReopened, s.step(tx, r, models.RectOpen, cols, actor, at,
			fmt.Sprintf("复查检查 #%d：该项仍不合格，退回整改", inspectionID))
	case !passed && r.Status == models.RectOpen:
		return FollowUpStillOpen, models.SetFollowUp(tx, r, inspectionID, at)
	}
	return FollowUpUnchanged, nil
}

// Withdraw ends the timelines of rects, all open, because inspection inspectionID that
// made them was reopened for reason, and removes them, refusing (ErrStale) any that
// moved meanwhile; the caller then removes their findings. The timelines stay: the
// event table is append-only.
func (s *Service) Withdraw(tx *gorm.DB, rects []models.Rectification, inspectionID uint, actor models.Actor, at time.Time, reason string) error {
	for _, r := range rects {
		if r.Status != models.RectOpen {
			return fmt.Errorf("rectification %d: %w", r.ID, ErrNotOpen)
		}
		if err := models.AppendRectificationEvent(tx, r.ID, actor, at, models.RectOpen, models.RectCancelled,
			fmt.Sprintf("检查 #%d 退回重填：%s", inspectionID, reason)); err != nil {
			return err
		}
	}
	return models.StoreRemoveOpenRectifications(tx, rects)
}

// RecordEvidence records the branch's evidence text given at time at, open → submitted,
// in tx, without the checks of Submit: for history written as it happened (the demo
// data). The submitter is actor, if a user.
func (s *Service) RecordEvidence(tx *gorm.DB, r *models.Rectification, text string, actor models.Actor, at time.Time) error {
	cols := map[string]any{"evidence_text": text, "submitted_at": at}
	if actor.UserID != 0 {
		cols["submitted_by"] = actor.UserID
	}
	return s.step(tx, r, models.RectSubmitted, cols, actor, at, "")
}

// RecordRejection records evidence sent back by actor at time at with reason,
// submitted → open, in tx, without the checks of Reject.
func (s *Service) RecordRejection(tx *gorm.DB, r *models.Rectification, reason string, actor models.Actor, at time.Time) error {
	return s.step(tx, r, models.RectOpen, nil, actor, at, reason)
}

// RecordVerification records evidence accepted by actor at time at with a note,
// submitted → verified, in tx, without the checks of Verify.
func (s *Service) RecordVerification(tx *gorm.DB, r *models.Rectification, note string, actor models.Actor, at time.Time) error {
	return s.step(tx, r, models.RectVerified, map[string]any{"verified_at": at, "verified_by": actor.UserID}, actor, at, note)
}

// RecordWaiver records a waiver approved by actor at time at with reason, open → waived,
// in tx, without the checks of Waive.
func (s *Service) RecordWaiver(tx *gorm.DB, r *models.Rectification, reason string, actor models.Actor, at time.Time) error {
	return s.step(tx, r, models.RectWaived, map[string]any{"waiver_reason": reason, "waived_by": actor.UserID}, actor, at, reason)
}
