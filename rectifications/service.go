package rectifications

import (
	"context"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/photos"
	"quality/policy"
	"quality/storage"
)

// Service holds what the rectification use cases need; the clock is injected so that
// overdue and escalation are tested on fixed days. Days are counted in Loc, the
// company's zone: a rectification due on a day is overdue from the next midnight there.
type Service struct {
	DB     *gorm.DB
	Photos photos.Store
	// Policy gives the photo limit and the reminder and escalation days.
	Policy *policy.Service
	Now    func() time.Time
	Loc    *time.Location
}

// New returns a service on db keeping evidence photos in files (where the inspections
// keep theirs, so one picture is stored once), reading the policy through pol, on the
// real clock, counting days in loc.
func New(db *gorm.DB, files storage.Store, pol *policy.Service, loc *time.Location) *Service {
	return &Service{DB: db, Photos: photos.Store{Files: files}, Policy: pol, Now: func() time.Time { return time.Now().UTC() }, Loc: loc}
}

// Caller is who acts: the actor for the audit log and the timeline, the user with
// grants for the rules on who may do what, and the scope the route's roles give.
type Caller struct {
	Actor models.Actor
	User  *models.User
	Scope models.Scope
}

// Today is the company's calendar day now.
func (s *Service) Today() models.Date { return models.DateOf(s.Now().In(s.Loc)) }

// Overdue reports whether r is overdue on day today: still open and due before it.
// A submitted rectification is not overdue: the branch has answered and the next move
// is the inspector's; a rejection makes it open again, overdue at once when its due
// date has passed (the due date never moves).
func Overdue(r *models.Rectification, today models.Date) bool {
	return r.Status == models.RectOpen && r.DueOn.Time().Before(today.Time())
}

// Unit names a unit in a view.
type Unit struct {
	ID   uint   `json:"id"`
	Code string `json:"code"`
	Name string `json:"name"`
}

func unitOf(u *models.OrgUnit) Unit {
	if u == nil {
		return Unit{}
	}
	return Unit{ID: u.ID, Code: u.Code, Name: u.Name}
}

// View is a rectification as lists show it: with its outlet, assignee unit, what was
// found, and whether (and by how many days) it is overdue today.
type View struct {
	models.Rectification
	Overdue     bool   `json:"overdue"`
	DaysOverdue int    `json:"days_overdue"`
	Outlet      Unit   `json:"outlet"`
	Assignee    Unit   `json:"assignee_unit"`
	RuleRef     string `json:"rule_ref"`
	FindingText string `json:"finding_text"`
}

func viewOf(r models.Rectification, today models.Date) View {
	v := View{Rectification: r, Assignee: unitOf(r.AssigneeUnit)}
	if r.Finding != nil {
		v.Outlet, v.RuleRef, v.FindingText = unitOf(r.Finding.OrgUnit), r.Finding.RuleRef, r.Finding.Text
	}
	if Overdue(&r, today) {
		v.Overdue = true
		v.DaysOverdue = int(today.Time().Sub(r.DueOn.Time()).Hours() / 24)
	}
	return v
}

// Detail is one rectification with its finding, timeline, evidence photos and the
// escalations it reached.
type Detail struct {
	View
	Finding     *models.Finding             `json:"finding"`
	Timeline    []models.RectificationEvent `json:"timeline"`
	Photos      []models.Photo              `json:"photos"`
	Escalations []models.Escalation         `json:"escalations"`
}

// LatestRejection is the last time the evidence was sent back (submitted → open), with
// the judge and the reason; nil if it never was.
func (d *Detail) LatestRejection() *models.RectificationEvent {
	for i := len(d.Timeline) - 1; i >= 0; i-- {
		if ev := &d.Timeline[i]; ev.From == models.RectSubmitted && ev.To == models.RectOpen {
			return ev
		}
	}
	return nil
}

// Filter selects rectifications as the list, and the export, are asked for.
type Filter struct {
	UnitID   uint
	Status   string
	Overdue  bool
	Critical *bool
	// From and To are days in the company's zone, both included, applied to the creation
	// day (On "created", the default) or to the due date (On "due").
	From, To models.Date
	On       string
	models.Page
}

// PeriodFields are the allowed values of Filter.On.
var PeriodFields = []string{"created", "due"}

// modelFilter turns f into the query filter on day today, its days bounded in the
// company's zone.
func (s *Service) modelFilter(f Filter, today models.Date) models.RectificationFilter {
	m := models.RectificationFilter{UnitID: f.UnitID, Status: f.Status, Critical: f.Critical, Page: f.Page}
	if f.Overdue {
		m.OverdueOn = today
	}
	if f.On == "due" {
		m.DueFrom, m.DueTo = f.From, f.To
	} else {
		if !f.From.IsZero() {
			m.CreatedFrom = s.midnight(f.From)
		}
		if !f.To.IsZero() {
			m.CreatedBefore = s.midnight(f.To).AddDate(0, 0, 1)
		}
	}
	return m
}

// midnight is the start of day d in the company's zone.
func (s *Service) midnight(d models.Date) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, s.Loc)
}

// List returns one page of the rectifications in the caller's scope.
func (s *Service) List(ctx context.Context, scope models.Scope, f Filter) (models.List[View], error) {
	today := s.Today()
	list, err := models.ListRectifications(ctx, s.DB, scope, s.modelFilter(f, today))
	out := models.List[View]{Items: make([]View, 0, len(list.Items)), Total: list.Total}
	if err != nil {
		return out, err
	}
	for _, r := range list.Items {
		out.Items = append(out.Items, viewOf(r, today))
	}
	return out, nil
}

// Get returns one rectification in scope with its finding, timeline, photos and
// escalations.
func (s *Service) Get(ctx context.Context, scope models.Scope, id uint) (*Detail, error) {
	r, err := models.GetRectification(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	return s.detail(ctx, r)
}

func (s *Service) detail(ctx context.Context, r *models.Rectification) (*Detail, error) {
	d := &Detail{View: viewOf(*r, s.Today()), Finding: r.Finding}
	var err error
	if d.Timeline, err = models.RectificationTimeline(ctx, s.DB, r.ID); err != nil {
		return nil, err
	}
	if d.Photos, err = models.RectificationPhotos(ctx, s.DB, r.ID); err != nil {
		return nil, err
	}
	if d.Escalations, err = models.RectificationEscalations(ctx, s.DB, r.ID); err != nil {
		return nil, err
	}
	return d, nil
}
