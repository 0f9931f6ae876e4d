package rectifications

import (
	"context"

	"quality/models"
)

// EscalationLevels are the levels in order, the allow-list of the level filter.
var EscalationLevels = []string{models.EscalateReminder, models.EscalateCity, models.EscalateProvince}

// EscalationView is one escalation with the unit it told and the rectification it is about.
type EscalationView struct {
	models.Escalation
	NotifiedUnit  Unit `json:"notified_unit"`
	Rectification View `json:"rectification"`
}

// EscalationFilter selects escalations: by level, by notified unit (its subtree), and
// by period: From and To are days in Asia/Shanghai, both included.
type EscalationFilter struct {
	Level    string
	UnitID   uint
	From, To models.Date
	models.Page
}

// ListEscalations returns one page of the escalations told to units in scope, newest
// first: a city company sees what was escalated to it and the reminders of its
// branches, the provincial office everything.
func (s *Service) ListEscalations(ctx context.Context, scope models.Scope, f EscalationFilter) (models.List[EscalationView], error) {
	mf := models.EscalationFilter{Level: f.Level, UnitID: f.UnitID, Page: f.Page}
	if !f.From.IsZero() {
		mf.From = s.midnight(f.From)
	}
	if !f.To.IsZero() {
		mf.To = s.midnight(f.To).AddDate(0, 0, 1)
	}
	list, err := models.ListEscalations(ctx, s.DB, scope, mf)
	out := models.List[EscalationView]{Items: make([]EscalationView, 0, len(list.Items)), Total: list.Total}
	if err != nil {
		return out, err
	}
	ids := make([]uint, 0, len(list.Items))
	for _, e := range list.Items {
		ids = append(ids, e.NotifiedUnitID)
	}
	units, err := models.RectificationUnits(ctx, s.DB, ids)
	if err != nil {
		return out, err
	}
	today := s.Today()
	for _, e := range list.Items {
		u := units[e.NotifiedUnitID]
		v := EscalationView{Escalation: e, NotifiedUnit: unitOf(&u)}
		if e.Rectification != nil {
			v.Rectification = viewOf(*e.Rectification, today)
		}
		out.Items = append(out.Items, v)
	}
	return out, nil
}
