package accountability

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
	"quality/policy"
)

// Service runs cases on an injected clock: Now gives the time in the company's zone
// (Asia/Shanghai), whose calendar date is "today" for the statement window.
type Service struct {
	DB *gorm.DB
	// Policy gives the statement window and the repeat window.
	Policy *policy.Service
	Now    func() time.Time
}

// NewService is a service reading the policy through pol, on the wall clock in loc.
func NewService(db *gorm.DB, pol *policy.Service, loc *time.Location) *Service {
	return &Service{DB: db, Policy: pol, Now: func() time.Time { return time.Now().In(loc) }}
}

// Caller is who acts on a case: the actor of the audit log, the scope the acting roles
// give, and their own employee (nil without one). Nobody acts on a case about
// themselves: R6.4 has a person's responsibility pursued by their superior or the
// supervision body.
type Caller struct {
	Actor      models.Actor
	Scope      models.Scope
	EmployeeID *uint
}

func (c Caller) is(employeeID uint) bool { return c.EmployeeID != nil && *c.EmployeeID == employeeID }

// OpenInput opens a case.
type OpenInput struct {
	Title string `json:"title"`
	// OrgUnitID is the unit where it happened, in the caller's scope; every person
	// and finding lies in its subtree.
	OrgUnitID uint `json:"org_unit_id"`
	// Source is finding (FindingIDs required) or complaint (ComplaintRef required).
	Source       string   `json:"source"`
	FindingIDs   []uint   `json:"finding_ids" maxItems:"100,dedupe"` // maxFindings
	ComplaintRef string   `json:"complaint_ref"`
	Summary      string   `json:"summary"`
	Grounds      []string `json:"grounds" maxItems:"3,dedupe"`       // R6.2: law_policy|service_rules|dereliction, each once
	EmployeeIDs  []uint   `json:"employee_ids" maxItems:"50,dedupe"` // maxPersons
}

// Limits of a case.
const (
	maxTitle     = 200
	maxText      = 4000
	maxRef       = 200
	maxReason    = 1000
	maxEvidence  = 1000
	maxPersons   = 50          // = the maxItems tag of OpenInput.EmployeeIDs
	maxFindings  = 100         // = the maxItems tag of OpenInput.FindingIDs
	maxPenaltyCt = 100_000_000 // ¥1,000,000: beyond any economic penalty of R6.5
)

// Refusals of case writes, each a 409 naming why.
var (
	errCaseNotOpen       = &models.ConflictError{Field: "status", Code: "case_not_open"}
	errPersonDecided     = &models.ConflictError{Field: "person_id", Code: "case_person_decided"}
	errStatementRecorded = &models.ConflictError{Field: "person_id", Code: "case_statement_recorded"}
	errStatementPending  = &models.ConflictError{Field: "person_id", Code: "case_statement_pending"}
	errOwnCase           = &models.ConflictError{Field: "person_id", Code: "case_own_case"}
)

// checkText validates a trimmed text field's length; required when min is 1.
func checkText(ve *models.ValidationError, field, v string, required bool, max int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0 && required:
		ve.Add(field, "required")
	case n > max:
		ve.Add(field, "too_long", "max", max)
	}
}

// checkIDs validates a list of ids: count bounds and no duplicates.
func checkIDs(ve *models.ValidationError, field string, ids []uint, min, max int) bool {
	switch {
	case len(ids) < min:
		ve.Add(field, "required")
		return false
	case len(ids) > max:
		ve.Add(field, "case_too_many", "max", max)
		return false
	}
	seen := map[uint]bool{}
	for i, id := range ids {
		if id == 0 || seen[id] {
			ve.Add(fmt.Sprintf("%s[%d]", field, i), map[bool]string{true: "duplicate", false: "invalid"}[id != 0])
			return false
		}
		seen[id] = true
	}
	return true
}

// Open validates in and opens a case numbered WZ-YYYY-NNNNNN, with the statement window
// of the policy (R6.8) running from today.
func (s *Service) Open(ctx context.Context, by Caller, in OpenInput) (*models.AccountabilityCase, error) {
	now := s.Now()
	c := &models.AccountabilityCase{
		Title: strings.TrimSpace(in.Title), Source: in.Source, ComplaintRef: strings.TrimSpace(in.ComplaintRef),
		Summary: strings.TrimSpace(in.Summary), Status: models.CaseOpen, OpenedBy: by.Actor.UserID, OpenedAt: now.UTC(),
	}
	ve := &models.ValidationError{}
	checkText(ve, "title", c.Title, true, maxTitle)
	checkText(ve, "summary", c.Summary, true, maxText)
	checkText(ve, "complaint_ref", c.ComplaintRef, c.Source == models.CaseFromComplaint, maxRef)
	findingsOK := false
	switch c.Source {
	case models.CaseFromFinding:
		findingsOK = checkIDs(ve, "finding_ids", in.FindingIDs, 1, maxFindings)
	case models.CaseFromComplaint:
		findingsOK = checkIDs(ve, "finding_ids", in.FindingIDs, 0, maxFindings)
	case "":
		ve.Add("source", "required")
	default:
		ve.Add("source", "invalid_choice")
	}
	// R6.2: the grounds come from the allow-list, each once.
	switch {
	case len(in.Grounds) == 0:
		ve.Add("grounds", "required")
	case len(in.Grounds) > len(models.Grounds):
		// Checked element by element a long list costs quadratic time and an error each.
		ve.Add("grounds", "case_too_many", "max", len(models.Grounds))
	default:
		for i, g := range in.Grounds {
			if !slices.Contains(models.Grounds, g) || slices.Index(in.Grounds, g) != i {
				ve.Add(fmt.Sprintf("grounds[%d]", i), "invalid_choice")
			}
		}
	}
	c.Grounds = models.JSONList[string](in.Grounds)
	personsOK := checkIDs(ve, "employee_ids", in.EmployeeIDs, 1, maxPersons)

	var unit *models.OrgUnit
	if in.OrgUnitID == 0 {
		ve.Add("org_unit_id", "required")
	} else if u, err := models.GetOrgUnit(ctx, s.DB, by.Scope, in.OrgUnitID); err == nil {
		unit = u
		c.OrgUnitID = u.ID
	} else if errors.Is(err, models.ErrNotFound) {
		ve.Add("org_unit_id", "not_found")
	} else {
		return nil, err
	}
	if unit != nil && personsOK {
		if err := s.checkPersons(ctx, ve, by, unit, in.EmployeeIDs); err != nil {
			return nil, err
		}
	}
	// A refused list is never looked up: 32,766 ids were one query too many for SQLite.
	if unit != nil && findingsOK && len(in.FindingIDs) > 0 {
		if err := s.checkFindings(ctx, ve, by, unit, in.FindingIDs); err != nil {
			return nil, err
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}

	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	today := models.DateOf(now)
	c.StatementDueOn = pol.StatementDueOn(today)
	persons := make([]models.CasePerson, len(in.EmployeeIDs))
	for i, id := range in.EmployeeIDs {
		persons[i] = models.CasePerson{EmployeeID: id, Aggravating: models.JSONList[models.Factor]{}, Mitigating: models.JSONList[models.Factor]{}}
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertCase(tx, c, today.Year, in.FindingIDs, persons); err != nil {
			return err
		}
		return models.Audit(tx, by.Actor, "open", "case", c.ID, map[string]any{
			"number": c.Number, "org_unit_id": c.OrgUnitID, "source": c.Source, "finding_ids": in.FindingIDs,
			"complaint_ref": c.ComplaintRef, "grounds": in.Grounds, "employee_ids": in.EmployeeIDs,
			"statement_due_on": c.StatementDueOn.String()})
	})
	if err != nil {
		return nil, err
	}
	c.OrgUnit = unit
	return c, nil
}

// checkPersons requires every employee to work in the case unit's subtree, and none
// to be the caller (R6.4).
func (s *Service) checkPersons(ctx context.Context, ve *models.ValidationError, by Caller, unit *models.OrgUnit, ids []uint) error {
	emps, err := models.EmployeesByID(ctx, s.DB, ids)
	if err != nil {
		return err
	}
	byID := map[uint]models.Employee{}
	for _, e := range emps {
		byID[e.ID] = e
	}
	for i, id := range ids {
		field := fmt.Sprintf("employee_ids[%d]", i)
		e, ok := byID[id]
		switch {
		case !ok || e.OrgUnit == nil || !by.Scope.Contains(e.OrgUnit.Path):
			ve.Add(field, "not_found")
		case !strings.HasPrefix(e.OrgUnit.Path, unit.Path):
			ve.Add(field, "case_outside_unit")
		case by.is(id):
			ve.Add(field, "case_own_case")
		}
	}
	return nil
}

// checkFindings requires every finding to be in scope, not voided, and of an outlet in
// the case unit's subtree.
func (s *Service) checkFindings(ctx context.Context, ve *models.ValidationError, by Caller, unit *models.OrgUnit, ids []uint) error {
	fs, err := models.FindingsByID(ctx, s.DB, by.Scope, ids)
	if err != nil {
		return err
	}
	byID := map[uint]models.Finding{}
	for _, f := range fs {
		byID[f.ID] = f
	}
	for i, id := range ids {
		field := fmt.Sprintf("finding_ids[%d]", i)
		f, ok := byID[id]
		switch {
		case !ok || f.OrgUnit == nil:
			ve.Add(field, "not_found")
		case f.VoidedAt != nil:
			ve.Add(field, "case_finding_voided")
		case !strings.HasPrefix(f.OrgUnit.Path, unit.Path):
			ve.Add(field, "case_outside_unit")
		}
	}
	return nil
}

// CaseView is one case as its reader sees it: the case, its findings and its persons.
type CaseView struct {
	models.AccountabilityCase
	UnitCode   string       `json:"unit_code"`
	UnitName   string       `json:"unit_name"`
	FindingIDs []uint       `json:"finding_ids"`
	Persons    []PersonView `json:"persons"`
	// Today is the date the statement window is judged by.
	Today models.Date `json:"today"`
}

// PersonView is one person of a case. For a person not yet decided, Suggested holds the
// aggravating factors the system proposes (R6.6 repeat_in_year, with the other cases
// as evidence) for the decider to keep or drop, and Decidable says whether a decision
// may be made now (R6.8).
type PersonView struct {
	models.CasePerson
	Suggested   []models.Factor    `json:"suggested"`
	PriorCases  []models.PriorCase `json:"prior_cases"`
	Decidable   bool               `json:"decidable"`
	BlockedCode string             `json:"blocked_code,omitempty"`
}

// Get returns case id in scope with its persons and, for each undecided person, the
// suggested factors.
func (s *Service) Get(ctx context.Context, scope models.Scope, id uint) (*CaseView, error) {
	c, err := models.GetCase(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	v := &CaseView{AccountabilityCase: *c, Persons: []PersonView{}, Today: models.DateOf(s.Now())}
	if c.OrgUnit != nil {
		v.UnitCode, v.UnitName = c.OrgUnit.Code, c.OrgUnit.Name
	}
	if v.FindingIDs, err = models.CaseFindingIDs(ctx, s.DB, c.ID); err != nil {
		return nil, err
	}
	persons, err := models.CasePersonsOf(ctx, s.DB, c.ID)
	if err != nil {
		return nil, err
	}
	for _, p := range persons {
		pv := PersonView{CasePerson: p, Suggested: []models.Factor{}, PriorCases: []models.PriorCase{}}
		if p.DecidedAt == nil {
			if pv.PriorCases, err = s.priorCases(ctx, scope, pol, c, p.EmployeeID); err != nil {
				return nil, err
			}
			if f, ok := repeatFactor(pv.PriorCases); ok {
				pv.Suggested = append(pv.Suggested, f)
			}
			if err := decidable(c, &p, v.Today); err != nil {
				pv.BlockedCode = err.(*models.ConflictError).Code
			} else {
				pv.Decidable = true
			}
		}
		v.Persons = append(v.Persons, pv)
	}
	return v, nil
}

// priorCases are the other cases in scope in which the employee was decided on, opened
// within the policy's repeat window (R6.6 "within one year") before or after this one.
// A case of a unit outside the scope is neither shown nor cited: who decides there
// sees it.
func (s *Service) priorCases(ctx context.Context, scope models.Scope, p policy.Policy, c *models.AccountabilityCase, employeeID uint) ([]models.PriorCase, error) {
	window := time.Duration(p.RepeatWindowDays) * 24 * time.Hour
	return models.DecidedCasesOf(ctx, s.DB, scope, employeeID, c.ID, c.OpenedAt.Add(-window), c.OpenedAt.Add(window))
}

// repeatFactor is the suggested repeat_in_year factor for these prior cases: one other
// decided act makes two within the window.
func repeatFactor(prior []models.PriorCase) (models.Factor, bool) {
	if len(prior) == 0 {
		return models.Factor{}, false
	}
	nums := make([]string, len(prior))
	for i, pc := range prior {
		nums[i] = pc.Number
	}
	return models.Factor{Code: models.AggRepeat, Evidence: strings.Join(nums, ", "), Suggested: true}, true
}

// decidable is nil when a decision on p may be made today (R6.8): its statement is
// recorded, or today (in the company's zone) is after the last day of the window.
func decidable(c *models.AccountabilityCase, p *models.CasePerson, today models.Date) error {
	switch {
	case p.DecidedAt != nil:
		return errPersonDecided
	case c.Status != models.CaseOpen:
		return errCaseNotOpen
	case p.StatementAt != nil:
		return nil
	case today.Time().After(c.StatementDueOn.Time()):
		return nil
	}
	return errStatementPending
}

// ListInput filters the case list and export.
type ListInput struct {
	UnitID   uint
	From, To time.Time
	Status   string
	// AwaitingStatement keeps the open cases with a person still to be heard (R6.8).
	AwaitingStatement bool
	Page              models.Page
}

// filter resolves the unit (in scope, else ErrNotFound) into a models filter.
func (s *Service) filter(ctx context.Context, scope models.Scope, in ListInput) (models.CaseFilter, error) {
	f := models.CaseFilter{From: in.From, To: in.To, Status: in.Status, AwaitingStatement: in.AwaitingStatement, Page: in.Page}
	if in.UnitID != 0 {
		u, err := models.GetOrgUnit(ctx, s.DB, scope, in.UnitID)
		if err != nil {
			return f, err
		}
		f.UnderPath = u.Path
	}
	return f, nil
}

// CaseRow is a case in a list.
type CaseRow struct {
	models.AccountabilityCase
	UnitCode string `json:"unit_code"`
	UnitName string `json:"unit_name"`
}

// List returns one page of cases in scope, newest first.
func (s *Service) List(ctx context.Context, scope models.Scope, in ListInput) (models.List[CaseRow], error) {
	out := models.List[CaseRow]{Items: []CaseRow{}}
	f, err := s.filter(ctx, scope, in)
	if err != nil {
		return out, err
	}
	list, err := models.ListCases(ctx, s.DB, scope, f)
	if err != nil {
		return out, err
	}
	out.Total = list.Total
	for _, c := range list.Items {
		out.Items = append(out.Items, caseRow(c))
	}
	return out, nil
}

func caseRow(c models.AccountabilityCase) CaseRow {
	r := CaseRow{AccountabilityCase: c}
	if c.OrgUnit != nil {
		r.UnitCode, r.UnitName = c.OrgUnit.Code, c.OrgUnit.Name
	}
	return r
}
