package inspections

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/policy"
)

// Submit scores and closes a draft inspection with the inspector's confirmation, and in
// the same transaction makes a finding and an open rectification of every failed item,
// marks the patrol stop done and applies a follow-up's outcome to the finding it
// re-checks. It is idempotent: a submitted inspection is answered as it was stored,
// with no second effect, however many requests arrive at once (they queue on the
// inspection's row).
func (s *Service) Submit(ctx context.Context, actor models.Actor, scope models.Scope, id uint, in SubmitInput) (*InspectionView, error) {
	if _, err := s.own(ctx, actor, scope, id); err != nil {
		return nil, err
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins, err := models.LockInspection(tx, id)
		if err != nil {
			return err
		}
		if ins.Status == models.InspectionSubmitted {
			return nil // a retried submit: the stored result stands
		}
		return s.submit(ctx, tx, pol, actor, ins, in)
	})
	if err != nil {
		return nil, err
	}
	return s.View(ctx, scope, id)
}

// submit is Submit's work on the locked draft ins.
func (s *Service) submit(ctx context.Context, tx *gorm.DB, pol policy.Policy, actor models.Actor, ins *models.Inspection, in SubmitInput) error {
	ve := &models.ValidationError{}
	confirmation := checkText(ve, "confirmation", in.Confirmation, maxConfirmation, true)
	items, err := models.InspectionItemsOf(ctx, tx, ins.ID)
	if err != nil {
		return err
	}
	t, err := models.GetTemplate(ctx, tx, ins.TemplateID)
	if err != nil {
		return err
	}
	sc := Score(items, t.PassMark)
	for _, key := range sc.Unanswered {
		ve.Add("items["+key+"].outcome", "unanswered")
	}
	photos, err := models.CountPhotosByItem(tx, ins.ID)
	if err != nil {
		return err
	}
	for i := range items {
		it := &items[i]
		if !it.EvidenceOnFail || !ItemFailed(it) {
			continue
		}
		// R7.3: a failure to be rectified needs evidence — a note and a photo.
		if strings.TrimSpace(it.Note) == "" {
			ve.Add("items["+it.Key+"].note", "evidence_note_required")
		}
		if photos[it.ID] == 0 {
			ve.Add("items["+it.Key+"].photos", "evidence_photo_required")
		}
	}
	if err := ve.Err(); err != nil {
		return err
	}
	now := s.now()
	ins.Status, ins.SubmittedAt, ins.Confirmation = models.InspectionSubmitted, &now, confirmation
	ins.Earned, ins.Possible, ins.Score, ins.Result, ins.CriticalFailed = sc.Earned, sc.Possible, sc.Score, sc.Result, sc.CriticalFailed
	if err := models.SaveInspectionResult(tx, ins); err != nil {
		return err
	}
	findings, err := s.openFindings(ctx, tx, pol, actor, ins, items, now)
	if err != nil {
		return err
	}
	summary := map[string]any{"earned": sc.Earned, "possible": sc.Possible, "score": sc.Score, "result": sc.Result,
		"critical_failed": sc.CriticalFailed, "findings": findings}
	if ins.PatrolStopID != nil {
		covered, err := models.CoverPatrolStop(tx, *ins.PatrolStopID, ins.ID)
		if err != nil {
			return err
		}
		summary["patrol_stop_covered"] = covered
	}
	if ins.FollowUpOf != nil {
		outcome, err := s.followUp(ctx, tx, actor, ins, items, now)
		if err != nil {
			return err
		}
		summary["follow_up"] = outcome
	}
	return models.Audit(tx, actor, "submit", "inspection", ins.ID, summary)
}

// openFindings records a finding and opens a rectification for every failed item,
// due Policy.DueOn days after today in China (7, or 3 for a critical item), assigned
// to the outlet's county branch (its city company when it has none). It returns the
// finding ids.
func (s *Service) openFindings(ctx context.Context, tx *gorm.DB, pol policy.Policy, actor models.Actor, ins *models.Inspection, items []models.InspectionItem, now time.Time) ([]uint, error) {
	ids := []uint{}
	var assignee *models.OrgUnit
	for i := range items {
		it := &items[i]
		if !ItemFailed(it) {
			continue
		}
		if assignee == nil {
			var err error
			if assignee, err = s.assigneeUnit(ctx, tx, ins.OrgUnitID); err != nil {
				return nil, err
			}
		}
		f := &models.Finding{InspectionID: ins.ID, InspectionItemID: it.ID, OrgUnitID: ins.OrgUnitID, ItemKey: it.Key,
			RuleRef: it.RuleRef, Text: it.Text, Note: it.Note, Critical: it.Critical, FoundAt: now}
		if err := models.InsertFinding(tx, f); err != nil {
			return nil, err
		}
		r := &models.Rectification{FindingID: f.ID, OrgUnitID: ins.OrgUnitID, AssigneeUnitID: assignee.ID, Critical: it.Critical,
			DueOn: pol.DueOn(models.DateOf(now.In(s.Loc)), it.Critical)}
		if err := s.Rects.Open(tx, r, actor, now); err != nil {
			return nil, err
		}
		ids = append(ids, f.ID)
	}
	return ids, nil
}

// assigneeUnit is the branch that answers an outlet's rectifications: its county
// branch, or its city company when it hangs directly under one.
func (s *Service) assigneeUnit(ctx context.Context, tx *gorm.DB, outletID uint) (*models.OrgUnit, error) {
	outlet, err := models.GetOrgUnit(ctx, tx, models.ScopeAll, outletID)
	if err != nil {
		return nil, err
	}
	for _, level := range []string{models.LevelCounty, models.LevelCity} {
		u, err := models.AncestorAt(ctx, tx, outlet, level)
		if err == nil {
			return u, nil
		}
		if !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	return outlet, nil
}

// followUp applies a follow-up inspection to the finding it re-checks, through
// rectifications.Service.FollowUp: the item of the same key passed → its open or
// submitted rectification is verified; failed again → a submitted rectification goes
// back to open (an open one stays open). Either way the rectification records the
// follow-up. An item left N/A or missing, or a voided finding, changes nothing.
func (s *Service) followUp(ctx context.Context, tx *gorm.DB, actor models.Actor, ins *models.Inspection, items []models.InspectionItem, now time.Time) (string, error) {
	f, err := models.GetFinding(ctx, tx, models.ScopeAll, *ins.FollowUpOf)
	if err != nil {
		return "", err
	}
	i := slices.IndexFunc(items, func(it models.InspectionItem) bool { return it.Key == f.ItemKey })
	if i < 0 || items[i].Outcome == "" || items[i].Outcome == models.OutcomeNA || f.VoidedAt != nil {
		return "not_rechecked", nil
	}
	r, err := models.RectificationOf(ctx, tx, f.ID)
	if err != nil {
		return "", err
	}
	return s.Rects.FollowUp(tx, r, ins.ID, !ItemFailed(&items[i]), actor, now)
}

// Reopen returns a submitted inspection to draft with a reason (audited), so its
// inspector can correct it and submit again. Its findings and their rectifications are
// removed, so the resubmit makes them afresh — only while none of them has moved on:
// a rectification that left open (answered, verified, waived, cancelled) or was
// escalated, or a finding a case rests on, refuses the reopen (409); a correction is
// then a new inspection. The rectifications' timelines stay (append-only) and end with
// a line naming the reopen. What a follow-up inspection did to the finding it
// re-checked is not undone. adminScope: where the caller is an admin, and so may reopen
// anyone's inspection; elsewhere only their own.
func (s *Service) Reopen(ctx context.Context, actor models.Actor, scope, adminScope models.Scope, id uint, in ReasonInput) (*InspectionView, error) {
	ins, err := models.GetInspection(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	if ins.InspectorID != actor.UserID {
		if _, err := models.GetOrgUnit(ctx, s.DB, adminScope, ins.OrgUnitID); errors.Is(err, models.ErrNotFound) {
			return nil, models.ErrForbidden
		} else if err != nil {
			return nil, err
		}
	}
	ve := &models.ValidationError{}
	reason := checkText(ve, "reason", in.Reason, maxReason, true)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins, err := models.LockInspection(tx, id)
		if err != nil {
			return err
		}
		if ins.Status != models.InspectionSubmitted {
			return errInspectionNotSubmit
		}
		findings, err := models.FindingsOfInspection(ctx, tx, id)
		if err != nil {
			return err
		}
		var rects []models.Rectification
		ids := make([]uint, len(findings))
		for i, f := range findings {
			ids[i] = f.ID
			if used, err := models.FindingInCase(ctx, tx, f.ID); err != nil {
				return err
			} else if used {
				return errFindingInCase
			}
			r, err := models.RectificationOf(ctx, tx, f.ID)
			if err != nil {
				return err
			}
			if r.Status != models.RectOpen {
				return errRectificationMoved
			}
			rects = append(rects, *r)
		}
		rectIDs := make([]uint, len(rects))
		for i, r := range rects {
			rectIDs[i] = r.ID
		}
		if n, err := models.CountEscalations(tx, rectIDs); err != nil {
			return err
		} else if n > 0 {
			return errRectificationEscal
		}
		if err := s.Rects.Withdraw(tx, rects, id, actor, s.now(), reason); err != nil {
			return err
		}
		if err := models.DeleteFindings(tx, ids); err != nil {
			return err
		}
		if ins.PatrolStopID != nil {
			if err := models.UncoverPatrolStop(tx, *ins.PatrolStopID, id); err != nil {
				return err
			}
		}
		summary := map[string]any{"reason": reason, "previous_result": ins.Result, "previous_score": ins.Score,
			"submitted_at": ins.SubmittedAt, "removed_findings": ids}
		ins.Status, ins.SubmittedAt, ins.Confirmation = models.InspectionDraft, nil, ""
		ins.Earned, ins.Possible, ins.Score, ins.Result, ins.CriticalFailed = 0, 0, nil, "", false
		ins.ReopenCount++
		if err := models.SaveInspectionResult(tx, ins); err != nil {
			return err
		}
		return models.Audit(tx, actor, "reopen", "inspection", id, summary)
	})
	if err != nil {
		return nil, err
	}
	return s.View(ctx, scope, id)
}

// reasonText validates a required reason.
func reasonText(in ReasonInput) (string, error) {
	ve := &models.ValidationError{}
	r := checkText(ve, "reason", in.Reason, maxReason, true)
	return r, ve.Err()
}
