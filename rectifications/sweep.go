package rectifications

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"gorm.io/gorm"

	"quality/models"
)

// Swept is what one sweep did: the escalations it recorded, in order.
type Swept struct {
	Escalations []models.Escalation
}

// Count is the number of escalations recorded per level.
func (s Swept) Count() map[string]int {
	out := map[string]int{}
	for _, e := range s.Escalations {
		out[e.Level]++
	}
	return out
}

// sweepBatch bounds the rectifications one query of the sweep loads.
const sweepBatch = 500

// Sweep reminds and escalates the open rectifications as of now (issue 4.6; the days
// are Policy defaults kept in settings):
//
//   - reminder: the branch (the assignee unit), from ReminderDays before the due date
//     up to the due date itself;
//   - city: the city company above the branch, once the due date has passed (the day
//     after it, in the company's zone);
//   - province: the provincial office, ProvinceAfterDays after the due date.
//
// Each level is reached once: the unique index on (rectification, level) decides, so
// several instances may sweep at once and a duplicate is skipped, not an error. Each
// escalation writes one audit event as the system actor in its own transaction, and is
// logged. A reminder whose window passed while nobody swept is not sent late; the
// levels after it still are.
func (s *Service) Sweep(ctx context.Context) (Swept, error) {
	var out Swept
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return out, err
	}
	now := s.Now().UTC()
	today := s.Today()
	day := func(offset int) models.Date { return models.DateOf(today.Time().AddDate(0, 0, offset)) }
	levels := []struct {
		level          string
		dueFrom, dueTo models.Date
	}{
		{models.EscalateReminder, today, day(pol.ReminderDays)},
		{models.EscalateCity, models.Date{}, day(-1)},
		{models.EscalateProvince, models.Date{}, day(-pol.ProvinceAfterDays)},
	}
	roots := map[uint]uint{} // assignee unit → notified unit, per level below
	for _, l := range levels {
		clear(roots)
		var after uint
		for {
			batch, err := models.EscalationCandidates(ctx, s.DB, l.level, l.dueFrom, l.dueTo, after, sweepBatch)
			if err != nil {
				return out, err
			}
			for i := range batch {
				r := &batch[i]
				after = r.ID
				notified, ok := roots[r.AssigneeUnitID]
				if !ok {
					if notified, err = s.notifiedUnit(ctx, l.level, r.AssigneeUnit); err != nil {
						return out, err
					}
					roots[r.AssigneeUnitID] = notified
				}
				e := models.Escalation{RectificationID: r.ID, Level: l.level, NotifiedUnitID: notified, At: now.UTC()}
				done, err := s.escalate(ctx, &e, r)
				if err != nil {
					return out, fmt.Errorf("escalate rectification %d to %s: %w", r.ID, l.level, err)
				}
				if done {
					out.Escalations = append(out.Escalations, e)
					slog.Info("rectification escalated", "rectification", r.ID, "level", l.level,
						"notified_unit", notified, "due_on", r.DueOn.String())
				}
			}
			if len(batch) < sweepBatch {
				break
			}
		}
	}
	return out, nil
}

// escalate records e and its audit event in one transaction; false when another
// sweep recorded the level first or the rectification is no longer open.
func (s *Service) escalate(ctx context.Context, e *models.Escalation, r *models.Rectification) (bool, error) {
	var done bool
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if done, err = models.InsertEscalation(tx, e); err != nil || !done {
			return err
		}
		return models.Audit(tx, models.SystemActor, "escalate", "rectification", r.ID,
			map[string]any{"level": e.Level, "notified_unit_id": e.NotifiedUnitID, "due_on": r.DueOn.String()})
	})
	return done, err
}

// notifiedUnit is whom a level tells about a rectification assigned to branch: the
// branch itself, the city company above it, or the root of the tree (the provincial
// office). A branch without a city company above it tells the root at the city level.
func (s *Service) notifiedUnit(ctx context.Context, level string, branch *models.OrgUnit) (uint, error) {
	switch level {
	case models.EscalateReminder:
		return branch.ID, nil
	case models.EscalateCity:
		city, err := models.AncestorAt(ctx, s.DB, branch, models.LevelCity)
		if err == nil {
			return city.ID, nil
		}
		if !errors.Is(err, models.ErrNotFound) {
			return 0, err
		}
	}
	ids := models.PathIDs(branch.Path)
	if len(ids) == 0 {
		return 0, fmt.Errorf("unit %d has no path", branch.ID)
	}
	return ids[0], nil
}
