// Package patrols plans inspectors' rounds of the outlets (R7.3 continuous patrols)
// and measures their coverage: planned, done (a submitted inspection covers the stop),
// missed (the due date passed without one) and pending. The settings of the supervision
// side are the policy package's; their routes live with the patrols'.
package patrols

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// Service runs patrol plans on an injected clock: Now gives the time in the company's
// zone, whose date is "today" for missed stops.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
}

// NewService is a service on the wall clock in loc.
func NewService(db *gorm.DB, loc *time.Location) *Service {
	return &Service{DB: db, Now: func() time.Time { return time.Now().In(loc) }}
}

func (s *Service) today() models.Date { return models.DateOf(s.Now()) }

// Caller is who acts: the actor of the audit log, the scope of the acting roles, and
// Admin, the subtrees where they are an admin and so may plan for any inspector
// (elsewhere they plan only for themselves).
type Caller struct {
	Actor models.Actor
	Scope models.Scope
	Admin models.Scope
}

// PlanInput creates a plan.
type PlanInput struct {
	Title string `json:"title"`
	// InspectorID holds the inspector role over a subtree covering OrgUnitID, so every
	// stop (an outlet under it) is theirs to visit.
	InspectorID  uint        `json:"inspector_id"`
	OrgUnitID    uint        `json:"org_unit_id"`
	TemplateCode string      `json:"template_code"`
	StartsOn     models.Date `json:"starts_on"`
	EndsOn       models.Date `json:"ends_on"`
	// Stops: maxStops. Not deduped: the same outlet twice (perhaps with two due dates)
	// is refused by name.
	Stops []StopInput `json:"stops" maxItems:"500"`
}

// StopInput is one outlet to visit by a due date inside the plan's period.
type StopInput struct {
	OrgUnitID uint        `json:"org_unit_id"`
	DueOn     models.Date `json:"due_on"`
}

// StopsInput adds stops to a plan.
type StopsInput struct {
	Stops []StopInput `json:"stops" maxItems:"500"` // maxStops, as PlanInput.Stops
}

const (
	maxTitle = 200
	maxStops = 500 // = the maxItems tag of PlanInput.Stops and StopsInput.Stops
)

// Refusals, each a 409 naming why.
var (
	errPlanEnded = &models.ConflictError{Field: "plan_id", Code: "patrol_plan_ended"}
	errStopDone  = &models.ConflictError{Field: "stop_id", Code: "patrol_stop_covered"}
	errStopPast  = &models.ConflictError{Field: "stop_id", Code: "patrol_stop_passed"}
)

// Create validates in and stores the plan with its stops.
func (s *Service) Create(ctx context.Context, by Caller, in PlanInput) (*PlanView, error) {
	p := &models.PatrolPlan{Title: strings.TrimSpace(in.Title), InspectorID: in.InspectorID, TemplateCode: strings.TrimSpace(in.TemplateCode),
		StartsOn: in.StartsOn, EndsOn: in.EndsOn, CreatedBy: &by.Actor.UserID}
	ve := &models.ValidationError{}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0:
		ve.Add("title", "required")
	case n > maxTitle:
		ve.Add("title", "too_long", "max", maxTitle)
	}
	switch {
	case p.StartsOn.IsZero():
		ve.Add("starts_on", "required")
	case p.EndsOn.IsZero():
		ve.Add("ends_on", "required")
	case p.EndsOn.Time().Before(p.StartsOn.Time()):
		ve.Add("ends_on", "ends_before_start")
	}
	if p.TemplateCode == "" {
		ve.Add("template_code", "required")
	} else if ok, err := models.PublishedTemplateExists(ctx, s.DB, p.TemplateCode); err != nil {
		return nil, err
	} else if !ok {
		ve.Add("template_code", "patrol_template_unknown")
	}
	var unit *models.OrgUnit
	if in.OrgUnitID == 0 {
		ve.Add("org_unit_id", "required")
	} else if u, err := models.GetOrgUnit(ctx, s.DB, by.Scope, in.OrgUnitID); err == nil {
		unit, p.OrgUnitID = u, u.ID
	} else if errors.Is(err, models.ErrNotFound) {
		ve.Add("org_unit_id", "not_found")
	} else {
		return nil, err
	}
	if err := s.checkInspector(ctx, ve, by, p.InspectorID, unit); err != nil {
		return nil, err
	}
	var stops []models.PatrolStop
	if unit != nil {
		var err error
		if stops, err = s.checkStops(ctx, ve, by, p, unit, in.Stops, nil, models.Date{}); err != nil {
			return nil, err
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertPatrolPlan(tx, p, stops); err != nil {
			return err
		}
		return models.Audit(tx, by.Actor, "create", "patrol_plan", p.ID, map[string]any{"title": p.Title, "inspector_id": p.InspectorID,
			"org_unit_id": p.OrgUnitID, "template_code": p.TemplateCode, "starts_on": p.StartsOn.String(), "ends_on": p.EndsOn.String(), "stops": len(stops)})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, by.Scope, p.ID)
}

// checkInspector: the plan's inspector is the caller unless they are an admin over the
// plan's unit, holds the inspector role, and that role's scope covers the plan's unit.
func (s *Service) checkInspector(ctx context.Context, ve *models.ValidationError, by Caller, id uint, unit *models.OrgUnit) error {
	adminHere := unit != nil && by.Admin.Contains(unit.Path)
	switch {
	case id == 0:
		ve.Add("inspector_id", "required")
		return nil
	case !adminHere && id != by.Actor.UserID:
		ve.Add("inspector_id", "patrol_not_self")
		return nil
	}
	scope, ok, err := models.InspectorScope(ctx, s.DB, id)
	switch {
	case err != nil:
		return err
	case !ok:
		ve.Add("inspector_id", "patrol_not_inspector")
	case unit != nil && !scope.Contains(unit.Path):
		ve.Add("inspector_id", "patrol_not_covered")
	}
	return nil
}

// checkStops validates stops of plan p: outlets in scope under the plan's unit, each
// once (and not among planned), due inside the period and, when notBefore is set, not
// before it.
func (s *Service) checkStops(ctx context.Context, ve *models.ValidationError, by Caller, p *models.PatrolPlan, unit *models.OrgUnit,
	in []StopInput, planned []uint, notBefore models.Date) ([]models.PatrolStop, error) {
	switch {
	case len(in) == 0:
		ve.Add("stops", "required")
		return nil, nil
	case len(in)+len(planned) > maxStops:
		ve.Add("stops", "patrol_too_many", "max", maxStops)
		return nil, nil
	}
	ids := make([]uint, len(in))
	for i, st := range in {
		ids[i] = st.OrgUnitID
	}
	units, err := s.unitsByID(ctx, by.Scope, ids)
	if err != nil {
		return nil, err
	}
	seen := map[uint]bool{}
	for _, id := range planned {
		seen[id] = true
	}
	out := make([]models.PatrolStop, 0, len(in))
	for i, st := range in {
		field := fmt.Sprintf("stops[%d]", i)
		u, ok := units[st.OrgUnitID]
		switch {
		case !ok:
			ve.Add(field+".org_unit_id", "not_found")
		case u.Level != models.LevelOutlet:
			ve.Add(field+".org_unit_id", "patrol_not_outlet")
		case !strings.HasPrefix(u.Path, unit.Path):
			ve.Add(field+".org_unit_id", "patrol_outside_unit")
		case seen[u.ID]:
			ve.Add(field+".org_unit_id", "duplicate")
		}
		seen[st.OrgUnitID] = true
		switch {
		case st.DueOn.IsZero():
			ve.Add(field+".due_on", "required")
		case !p.StartsOn.IsZero() && !p.EndsOn.IsZero() && (st.DueOn.Time().Before(p.StartsOn.Time()) || st.DueOn.Time().After(p.EndsOn.Time())):
			ve.Add(field+".due_on", "patrol_outside_period", "from", p.StartsOn.String(), "to", p.EndsOn.String())
		case !notBefore.IsZero() && st.DueOn.Time().Before(notBefore.Time()):
			ve.Add(field+".due_on", "patrol_due_in_past")
		}
		out = append(out, models.PatrolStop{OrgUnitID: st.OrgUnitID, DueOn: st.DueOn})
	}
	return out, nil
}

// unitsByID returns the units of ids in scope by id; an id out of scope or of no unit
// is left out.
func (s *Service) unitsByID(ctx context.Context, scope models.Scope, ids []uint) (map[uint]models.OrgUnit, error) {
	out := map[uint]models.OrgUnit{}
	for _, id := range slices.Compact(slices.Sorted(slices.Values(ids))) {
		if id == 0 {
			continue
		}
		u, err := models.GetOrgUnit(ctx, s.DB, scope, id)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = *u
	}
	return out, nil
}

// writable loads plan id in scope and refuses (403) an inspector who is not its own.
func (s *Service) writable(ctx context.Context, by Caller, id uint) (*models.PatrolPlan, error) {
	p, err := models.GetPatrolPlan(ctx, s.DB, by.Scope, id)
	if err != nil {
		return nil, err
	}
	if p.InspectorID == by.Actor.UserID {
		return p, nil
	}
	// Another inspector's plan: only an admin over its unit changes it.
	if _, err := models.GetOrgUnit(ctx, s.DB, by.Admin, p.OrgUnitID); errors.Is(err, models.ErrNotFound) {
		return nil, models.ErrForbidden
	} else if err != nil {
		return nil, err
	}
	return p, nil
}

// AddStops adds outlets to a plan whose period has not ended, each due today or later.
func (s *Service) AddStops(ctx context.Context, by Caller, id uint, in StopsInput) (*PlanView, error) {
	p, err := s.writable(ctx, by, id)
	if err != nil {
		return nil, err
	}
	today := s.today()
	if today.Time().After(p.EndsOn.Time()) {
		return nil, errPlanEnded
	}
	planned, err := models.PlanOutletIDs(ctx, s.DB, p.ID)
	if err != nil {
		return nil, err
	}
	ve := &models.ValidationError{}
	stops, err := s.checkStops(ctx, ve, by, p, p.OrgUnit, in.Stops, planned, today)
	if err != nil {
		return nil, err
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.AddPatrolStops(tx, p.ID, stops); err != nil {
			return err
		}
		added := make([]map[string]any, len(stops))
		for i, st := range stops {
			added[i] = map[string]any{"stop_id": st.ID, "org_unit_id": st.OrgUnitID, "due_on": st.DueOn.String()}
		}
		return models.Audit(tx, by.Actor, "add_stops", "patrol_plan", p.ID, map[string]any{"added": added})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, by.Scope, p.ID)
}

// RemoveStop removes a pending stop: one already done or missed stays, so coverage is
// never rewritten after the fact.
func (s *Service) RemoveStop(ctx context.Context, by Caller, id, stopID uint) (*PlanView, error) {
	p, err := s.writable(ctx, by, id)
	if err != nil {
		return nil, err
	}
	st, err := models.GetPlanStop(ctx, s.DB, p.ID, stopID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	switch {
	case st.InspectionID != nil:
		return nil, errStopDone
	case st.DueOn.Time().Before(today.Time()):
		return nil, errStopPast
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		done, err := models.DeletePendingPatrolStop(tx, st.ID, today)
		if err != nil {
			return err
		}
		if !done {
			return errStopDone // covered by an inspection submitted meanwhile
		}
		return models.Audit(tx, by.Actor, "remove_stop", "patrol_plan", p.ID,
			map[string]any{"stop_id": st.ID, "org_unit_id": st.OrgUnitID, "due_on": st.DueOn.String()})
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, by.Scope, p.ID)
}
