package metrics

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// Service keeps service metrics on an injected clock: Now gives the time in the
// company's zone, whose calendar month is the latest a row may be for.
type Service struct {
	DB  *gorm.DB
	Now func() time.Time
}

// NewService is a service on the wall clock in loc.
func NewService(db *gorm.DB, loc *time.Location) *Service {
	return &Service{DB: db, Now: func() time.Time { return time.Now().In(loc) }}
}

// Caller is who writes: the actor of the audit log and the scope of the role that
// may write (the admin's subtrees).
type Caller struct {
	Actor models.Actor
	Scope models.Scope
}

// Input is the whole row of a branch-month, as PUT sends it: every count is required,
// since a PUT replaces the whole row and a count left out must not silently become 0.
type Input struct {
	WorkOrders        *int64 `json:"work_orders"`
	Responded24h      *int64 `json:"responded_24h"`
	OrdinaryFaults    *int64 `json:"ordinary_faults"`
	OrdinaryFixed24h  *int64 `json:"ordinary_fixed_24h"`
	MajorFaults       *int64 `json:"major_faults"`
	MajorFixed72h     *int64 `json:"major_fixed_72h"`
	Installations     *int64 `json:"installations"`
	InstalledOnTime   *int64 `json:"installed_on_time"`
	Restorations      *int64 `json:"restorations"`
	RestoredOnTime    *int64 `json:"restored_on_time"`
	Complaints        *int64 `json:"complaints"`
	ComplaintsReplied *int64 `json:"complaints_replied_3d"`
	CallbacksDue      *int64 `json:"callbacks_due"`
	CallbacksDone72h  *int64 `json:"callbacks_done_72h"`
	Surveys           *int64 `json:"surveys"`
	SurveyScoreSum    *int64 `json:"survey_score_sum"`
	SubscribersStart  *int64 `json:"subscribers_start"`
	SubscribersEnd    *int64 `json:"subscribers_end"`
}

// View is one branch-month with its branch's code and name.
type View struct {
	models.ServiceMetric
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
}

func viewOf(m models.ServiceMetric) View {
	v := View{ServiceMetric: m}
	if m.OrgUnit != nil {
		v.UnitCode, v.UnitName = m.OrgUnit.Code, m.OrgUnit.Name
	}
	return v
}

// Get returns the row of county branch unitID (in scope) for month; a branch outside
// the scope answers exactly like a month without a row: models.ErrNotFound.
func (s *Service) Get(ctx context.Context, scope models.Scope, unitID uint, month string) (*View, error) {
	m, err := models.GetServiceMetric(ctx, s.DB, scope, unitID, month)
	if err != nil {
		return nil, err
	}
	v := viewOf(*m)
	return &v, nil
}

// ListInput filters rows: the subtree of UnitID (0: the whole scope) and months
// From..To (YYYY-MM, both included; "" leaves that end open).
type ListInput struct {
	UnitID   uint
	From, To string
	Page     models.Page
}

// maxMonths bounds the months of one coverage grid or export: ten years.
const maxMonths = 120

// List returns one page of the rows in scope, latest month first, then by branch code.
func (s *Service) List(ctx context.Context, scope models.Scope, in ListInput) (models.List[View], error) {
	out := models.List[View]{Items: []View{}}
	f, err := s.filter(ctx, scope, in.UnitID, in.From, in.To)
	if err != nil {
		return out, err
	}
	f.Page = in.Page
	list, err := models.ListServiceMetrics(ctx, s.DB, scope, f)
	if err != nil {
		return out, err
	}
	out.Total = list.Total
	for _, m := range list.Items {
		out.Items = append(out.Items, viewOf(m))
	}
	return out, nil
}

// filter checks a unit and a month range (each month well formed, as the app parsed
// it) and makes the models filter: the unit must lie in scope (else ErrNotFound), and
// to may not come before from.
func (s *Service) filter(ctx context.Context, scope models.Scope, unitID uint, from, to string) (models.MetricFilter, error) {
	f := models.MetricFilter{From: from, To: to}
	ve := &models.ValidationError{}
	for name, m := range map[string]string{"from": from, "to": to} {
		if _, err := ParseMonth(m); m != "" && err != nil {
			ve.Add(name, "invalid_month")
		}
	}
	if len(ve.Fields) == 0 && from != "" && to != "" && to < from {
		ve.Add("to", "metric_to_before_from")
	}
	if err := ve.Err(); err != nil {
		return f, err
	}
	if unitID != 0 {
		u, err := models.GetOrgUnit(ctx, s.DB, scope, unitID)
		if err != nil {
			return f, err
		}
		f.UnderPath = u.Path
	}
	return f, nil
}

// Replace creates or replaces the whole row of county branch unitID for month with in
// (PUT). The branch must lie in by's scope (else models.ErrNotFound, as if it did not
// exist) and be a county branch, the month may not be in the future, and the counts
// must pass Validate. A new row is audited with its counts, a changed one with each
// change (field: before → after); the same counts again write nothing.
func (s *Service) Replace(ctx context.Context, by Caller, unitID uint, month string, in Input) (*View, error) {
	unit, err := models.GetOrgUnit(ctx, s.DB, by.Scope, unitID)
	if err != nil {
		return nil, err
	}
	ve := &models.ValidationError{}
	if unit.Level != models.LevelCounty {
		ve.Add("unit_id", "metric_not_county")
	}
	checkMonth(ve, "month", month, s.Now())
	m := &models.ServiceMetric{OrgUnitID: unit.ID, Month: month}
	complete := true
	for _, f := range fields {
		p := *f.in(&in)
		if p == nil {
			ve.Add(f.Key, "required")
			complete = false
			continue
		}
		*f.row(m) = *p
	}
	if complete {
		Validate(ve, m)
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if by.Actor.UserID != 0 {
		m.UpdatedBy = &by.Actor.UserID
	}
	saved, _, err := s.write(ctx, by.Actor, false, []*models.ServiceMetric{m})
	if err != nil {
		return nil, err
	}
	v := viewOf(*saved[0])
	v.OrgUnit = unit
	v.UnitCode, v.UnitName = unit.Code, unit.Name
	return &v, nil
}

// outcome counts what a write did.
type outcome struct{ created, updated, unchanged int }

// write stores rows (each of a distinct branch-month) in one transaction: the
// branches are locked first, so writers of one branch queue; a row new for its
// branch-month is inserted and audited with its counts ("create", or "import" when
// imported), a changed one updated and audited with its changes ("update" or
// "import"), an identical one left alone. It returns the rows as stored. On MySQL two first writes of one branch-month can still
// meet at the insert; the loser runs once more and finds the winner's row.
func (s *Service) write(ctx context.Context, actor models.Actor, imported bool, rows []*models.ServiceMetric) ([]*models.ServiceMetric, outcome, error) {
	var out []*models.ServiceMetric
	var res outcome
	var err error
	for try := 0; try < 2; try++ {
		out, res, err = s.writeOnce(ctx, actor, imported, rows, false)
		if !errors.Is(err, models.ErrConflict) {
			break
		}
	}
	return out, res, err
}

// writeOnce is one attempt of write; with dryRun it only classifies the rows.
func (s *Service) writeOnce(ctx context.Context, actor models.Actor, imported bool, rows []*models.ServiceMetric, dryRun bool) ([]*models.ServiceMetric, outcome, error) {
	created, updated := "create", "update"
	if imported {
		created, updated = "import", "import"
	}
	var res outcome
	out := make([]*models.ServiceMetric, len(rows))
	run := func(tx *gorm.DB) error {
		res, out = outcome{}, make([]*models.ServiceMetric, len(rows))
		unitSet := map[uint]bool{}
		monthSet := map[string]bool{}
		var units []uint
		var months []string
		for _, r := range rows {
			if !unitSet[r.OrgUnitID] {
				unitSet[r.OrgUnitID] = true
				units = append(units, r.OrgUnitID)
			}
			if !monthSet[r.Month] {
				monthSet[r.Month] = true
				months = append(months, r.Month)
			}
		}
		if !dryRun {
			if err := models.LockOrgUnits(tx, units); err != nil {
				return err
			}
		}
		stored, err := models.ServiceMetricsOf(ctx, tx, units, months)
		if err != nil {
			return err
		}
		type key struct {
			unit  uint
			month string
		}
		have := make(map[key]*models.ServiceMetric, len(stored))
		for i := range stored {
			have[key{stored[i].OrgUnitID, stored[i].Month}] = &stored[i]
		}
		var creates []*models.ServiceMetric
		var events []*models.AuditEvent
		for i, r := range rows {
			old, ok := have[key{r.OrgUnitID, r.Month}]
			switch {
			case !ok:
				res.created++
				creates, out[i] = append(creates, r), r
			case sameCounts(old, r):
				res.unchanged++
				out[i] = old
			default:
				res.updated++
				diff := changes(old, r)
				r.ID, r.CreatedAt = old.ID, old.CreatedAt
				out[i] = r
				if dryRun {
					continue
				}
				if err := models.UpdateServiceMetric(tx, r); err != nil {
					return err
				}
				events = append(events, models.NewAuditEvent(actor, updated, "service_metric", r.ID, auditChange{r.OrgUnitID, r.Month, diff}))
			}
		}
		if dryRun {
			return nil
		}
		if err := models.InsertServiceMetrics(tx, creates); err != nil {
			return err
		}
		for _, r := range creates {
			events = append(events, models.NewAuditEvent(actor, created, "service_metric", r.ID, auditNew{r.OrgUnitID, r.Month, counts(r)}))
		}
		return models.AuditMany(tx, events)
	}
	var err error
	if dryRun {
		err = run(s.DB.WithContext(ctx))
	} else {
		err = s.DB.WithContext(ctx).Transaction(run)
	}
	return out, res, err
}

// auditNew is the audit summary of a new row; auditChange of a changed one.
type auditNew struct {
	OrgUnitID uint             `json:"org_unit_id"`
	Month     string           `json:"month"`
	Counts    map[string]int64 `json:"counts"`
}

type auditChange struct {
	OrgUnitID uint                     `json:"org_unit_id"`
	Month     string                   `json:"month"`
	Changes   map[string]models.Change `json:"changes"`
}
