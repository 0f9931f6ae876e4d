package reports

import (
	"context"
	"fmt"
	"time"

	"quality/models"
)

// Explanation is one branch's ranking line with the rows behind each of its numbers and
// what each row contributes, so that anyone can recompute the line.
type Explanation struct {
	Period     string    `json:"period"`
	From       time.Time `json:"from"`
	To         time.Time `json:"to"`
	InProgress bool      `json:"in_progress"`
	CutOff     time.Time `json:"cut_off"`
	Level      string    `json:"level"`
	// Item is the branch's line of its level's ranking, rank and change included.
	Item Item `json:"item"`
	// Inspections behind site (Scored false: possible = 0, no score).
	Inspections []ExplainInspection `json:"inspections"`
	// Rectifications due in the period behind rectification.
	Rectifications []ExplainRectification `json:"rectifications"`
	// Staff behind training, onboarding and certification.
	Staff []ExplainStaff `json:"staff"`
	// Metrics are the metric months behind timeliness and satisfaction.
	Metrics []models.ServiceMetric `json:"metrics"`
	// Outcomes are the decided accountability outcomes, with their points.
	Outcomes []ExplainOutcome `json:"outcomes"`
}

// ExplainInspection is one inspection and what it adds to site.
type ExplainInspection struct {
	ID               uint            `json:"id"`
	SubmittedAt      time.Time       `json:"submitted_at"`
	OutletCode       string          `json:"outlet_code"`
	OutletName       string          `json:"outlet_name"`
	Inspector        string          `json:"inspector"`
	Template         string          `json:"template"`
	Earned           int             `json:"earned"`
	Possible         int             `json:"possible"`
	Score            *models.Percent `json:"score"`
	Result           string          `json:"result"`
	Scored           bool            `json:"scored"`
	CriticalFailures int64           `json:"critical_failures"`
}

// ExplainRectification is one rectification due in the period.
type ExplainRectification struct {
	ID          uint        `json:"id"`
	OutletName  string      `json:"outlet_name"`
	RuleRef     string      `json:"rule_ref"`
	Text        string      `json:"text"`
	DueOn       models.Date `json:"due_on"`
	Status      string      `json:"status"`
	SubmittedAt *time.Time  `json:"submitted_at"`
	VerifiedAt  *time.Time  `json:"verified_at"`
	OnTime      bool        `json:"on_time"`
}

// ExplainStaff is one active employee and what they add to training, onboarding and
// certification.
type ExplainStaff struct {
	ID            uint        `json:"id"`
	JobNumber     string      `json:"job_number"`
	Name          string      `json:"name"`
	UnitName      string      `json:"unit_name"`
	Position      string      `json:"position"`
	HireDate      models.Date `json:"hire_date"`
	Acknowledged  bool        `json:"acknowledged"`
	CoursesDone   bool        `json:"courses_done"`
	Frontline     bool        `json:"frontline"`
	Certified     bool        `json:"certified"`
	OnboardingDue bool        `json:"onboarding_due"`
	PassedOnTime  bool        `json:"passed_on_time"`
}

// ExplainOutcome is one decided outcome and the points it takes off.
type ExplainOutcome struct {
	CaseID     uint      `json:"case_id"`
	CaseNumber string    `json:"case_number"`
	UnitName   string    `json:"unit_name"`
	Name       string    `json:"name"`
	Outcome    string    `json:"outcome"`
	DecidedAt  time.Time `json:"decided_at"`
	Points     int       `json:"points"`
}

// Explain gives the rows behind one branch's numbers for p: the branch (a city company
// or county branch) must lie in scope, else ErrNotFound, and every row shown lies in its
// subtree.
func (s *Service) Explain(ctx context.Context, scope models.Scope, p Period, unitID uint) (*Explanation, error) {
	u, err := models.GetOrgUnit(ctx, s.DB, scope, unitID)
	if err != nil {
		return nil, err
	}
	if u.Level != LevelCity && u.Level != LevelCounty {
		return nil, fmt.Errorf("unit %d is no branch: %w", unitID, models.ErrNotFound)
	}
	cur, prev, err := s.pair(ctx, p)
	if err != nil {
		return nil, err
	}
	r := rankingOf(cur, prev, u.Level, s.Now())
	w := cur.w
	ex := &Explanation{Period: r.Period, From: r.From, To: r.To, InProgress: r.InProgress, CutOff: r.CutOff, Level: u.Level,
		Inspections: []ExplainInspection{}, Rectifications: []ExplainRectification{}, Staff: []ExplainStaff{},
		Metrics: []models.ServiceMetric{}, Outcomes: []ExplainOutcome{}}
	for _, it := range r.Items {
		if it.UnitID == u.ID {
			ex.Item = it
		}
	}
	f := models.RowsFilter{Scope: scope, Under: u.Path, Span: w.span()}
	err = models.EachInspectionRow(ctx, s.DB, f, func(rows []models.InspectionRow) error {
		for _, r := range rows {
			ex.Inspections = append(ex.Inspections, ExplainInspection{ID: r.ID, SubmittedAt: r.SubmittedAt.UTC(), OutletCode: r.OutletCode,
				OutletName: r.OutletName, Inspector: r.Inspector, Template: fmt.Sprintf("%s v%d", r.TemplateCode, r.TemplateVersion),
				Earned: r.Earned, Possible: r.Possible, Score: r.Score, Result: r.Result, Scored: r.Possible > 0, CriticalFailures: r.CriticalFailures})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = models.EachRectificationRow(ctx, s.DB, f, false, func(rows []models.RectificationRow) error {
		for _, r := range rows {
			ex.Rectifications = append(ex.Rectifications, ExplainRectification{ID: r.ID, OutletName: r.OutletName, RuleRef: r.RuleRef,
				Text: r.Text, DueOn: r.DueOn, Status: r.Status, SubmittedAt: r.SubmittedAt, VerifiedAt: r.VerifiedAt, OnTime: r.OnTime})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	q, err := s.staffRowsQuery(ctx, w)
	if err != nil {
		return nil, err
	}
	if q.DueDays, err = s.onboardingDueDays(ctx); err != nil {
		return nil, err
	}
	err = models.EachStaffRow(ctx, s.DB, f, q, func(rows []models.StaffRow) error {
		for _, r := range rows {
			ex.Staff = append(ex.Staff, ExplainStaff{ID: r.ID, JobNumber: r.JobNumber, Name: r.Name, UnitName: r.UnitName, Position: r.Position,
				HireDate: r.HireDate, Acknowledged: r.Acknowledged, CoursesDone: r.CoursesDone, Frontline: isFrontline(r.Position),
				Certified: r.Certified, OnboardingDue: r.Due, PassedOnTime: r.PassedOnTime})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = models.EachMetricRow(ctx, s.DB, f, func(rows []models.MetricRow) error {
		for _, r := range rows {
			ex.Metrics = append(ex.Metrics, r.ServiceMetric)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = models.EachOutcomeRow(ctx, s.DB, f, func(rows []models.OutcomeRow) error {
		for _, r := range rows {
			ex.Outcomes = append(ex.Outcomes, ExplainOutcome{CaseID: r.CaseID, CaseNumber: r.CaseNumber, UnitName: r.UnitName, Name: r.Name,
				Outcome: r.Outcome, DecidedAt: r.DecidedAt.UTC(), Points: cur.set.Deductions.ofOutcome(r.Outcome)})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ex, nil
}

// staffRowsQuery is what the staff rows need of w: the handbook current at its cut-off,
// the courses each position must have completed (the caller adds the onboarding
// plan's days where it needs them).
func (s *Service) staffRowsQuery(ctx context.Context, w Window) (models.StaffRowsQuery, error) {
	q := models.StaffRowsQuery{Courses: map[string][]uint{}}
	var err error
	if q.HandbookMajor, err = models.HandbookMajorAt(ctx, s.DB, w.CutOff); err != nil {
		return q, err
	}
	courses, err := models.CoursesPublishedBefore(ctx, s.DB, w.CutOff)
	if err != nil {
		return q, err
	}
	for _, pos := range models.Positions {
		for _, c := range courses {
			if c.For(pos) {
				q.Courses[pos] = append(q.Courses[pos], c.ID)
			}
		}
	}
	return q, nil
}

func isFrontline(position string) bool {
	for _, p := range models.FrontlinePositions {
		if p == position {
			return true
		}
	}
	return false
}
