package accountability

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

// StatementInput records a person's statement and defence (R6.8). The user who records
// it is who heard it (StatementBy); HeardAt is when, now when left out.
type StatementInput struct {
	Statement string     `json:"statement"`
	HeardAt   *time.Time `json:"heard_at"`
}

// RecordStatement stores the statement of person personID of case caseID, once, while
// the case is open and the person undecided. HeardAt lies between the opening of the
// case and now.
func (s *Service) RecordStatement(ctx context.Context, by Caller, caseID, personID uint, in StatementInput) (*models.CasePerson, error) {
	c, p, err := s.load(ctx, by, caseID, personID)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	text, heard := strings.TrimSpace(in.Statement), now
	ve := &models.ValidationError{}
	checkText(ve, "statement", text, true, maxText)
	if in.HeardAt != nil {
		heard = in.HeardAt.UTC()
		if heard.Before(c.OpenedAt.Truncate(time.Second)) || heard.After(now) {
			ve.Add("heard_at", "case_heard_at")
		}
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	switch {
	case c.Status != models.CaseOpen:
		return nil, errCaseNotOpen
	case p.DecidedAt != nil:
		return nil, errPersonDecided
	case p.StatementAt != nil:
		return nil, errStatementRecorded
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if open, err := models.LockOpenCase(tx, c.ID); err != nil {
			return err
		} else if !open {
			return errCaseNotOpen
		}
		done, err := models.RecordCaseStatement(tx, p.ID, text, by.Actor.UserID, heard)
		if err != nil {
			return err
		}
		if !done {
			return errStatementRecorded // recorded or decided by a parallel request
		}
		return models.Audit(tx, by.Actor, "statement", "case_person", p.ID, map[string]any{
			"case": c.Number, "employee_id": p.EmployeeID, "heard_at": heard, "chars": utf8.RuneCountInString(text)})
	})
	if err != nil {
		return nil, err
	}
	p.Statement, p.StatementAt, p.StatementBy = text, &heard, &by.Actor.UserID
	return p, nil
}

// FactorInput is one aggravating or mitigating factor with its evidence.
type FactorInput struct {
	Code     string `json:"code"`
	Evidence string `json:"evidence"`
}

// DecisionInput decides on one person (R6.5–R6.7).
type DecisionInput struct {
	Severity string `json:"severity"` // minor|serious|very_serious
	// Outcome: warning|no_awards|circulated_criticism|penalty; see Allowed.
	Outcome string `json:"outcome"`
	// PenaltyCents is the economic penalty in cents, > 0 exactly when Outcome is penalty.
	PenaltyCents int64 `json:"penalty_cents"`
	// LeaderAccountable also warns the unit head (serious) or holds the unit's main
	// leader accountable (very serious), R6.5; refused for a minor severity.
	LeaderAccountable bool `json:"leader_accountable"`
	// Aggravating and Mitigating name each code of their list (AggravatingCodes,
	// MitigatingCodes) at most once; a repeated code is refused by name.
	Aggravating []FactorInput `json:"aggravating" maxItems:"4"`
	Mitigating  []FactorInput `json:"mitigating" maxItems:"3"`
	Note        string        `json:"note"`
}

// Aggravating (R6.6) and mitigating (R6.7) factor codes.
var (
	AggravatingCodes = []string{models.AggRetaliation, models.AggRepeat, models.AggObstruction, models.AggDefiance}
	MitigatingCodes  = []string{models.MitApologised, models.MitPrevented, models.MitRecovered}
	Severities       = []string{models.SeverityMinor, models.SeveritySerious, models.SeverityVerySerious}
	Outcomes         = []string{models.OutcomeWarning, models.OutcomeNoAwards, models.OutcomeCirculated, models.OutcomePenalty}
)

// R6.5 ranks: minor → warning, serious → no_awards, very serious → circulated criticism
// or an administrative and economic penalty.
var (
	severityRank = map[string]int{models.SeverityMinor: 1, models.SeveritySerious: 2, models.SeverityVerySerious: 3}
	outcomeRank  = map[string]int{models.OutcomeWarning: 1, models.OutcomeNoAwards: 2, models.OutcomeCirculated: 3, models.OutcomePenalty: 3}
)

// Allowed reports whether outcome may follow severity. R6.5 gives each severity its
// outcome; R6.6 says aggravating factors weigh heavier and R6.7 that mitigating ones
// weigh lighter, so at least one aggravating factor allows the outcome one step above
// the severity's, and at least one mitigating factor one step below. Nothing allows two
// steps, and there is no step below a warning: exemption is closing the case.
func Allowed(severity, outcome string, aggravated, mitigated bool) bool {
	s, o := severityRank[severity], outcomeRank[outcome]
	if s == 0 || o == 0 {
		return false
	}
	return o == s || (aggravated && o == s+1) || (mitigated && o == s-1)
}

// checkFactors validates factors: codes from the list, each once, with evidence.
func checkFactors(ve *models.ValidationError, field string, in []FactorInput, codes []string) models.JSONList[models.Factor] {
	out := models.JSONList[models.Factor]{}
	seen := map[string]bool{}
	if len(in) > len(codes) {
		ve.Add(field, "case_too_many", "max", len(codes))
		return out
	}
	for i, f := range in {
		name := fmt.Sprintf("%s[%d]", field, i)
		ev := strings.TrimSpace(f.Evidence)
		switch {
		case !slices.Contains(codes, f.Code):
			ve.Add(name+".code", "invalid_choice")
		case seen[f.Code]:
			ve.Add(name+".code", "duplicate")
		}
		seen[f.Code] = true
		checkText(ve, name+".evidence", ev, true, maxEvidence)
		out = append(out, models.Factor{Code: f.Code, Evidence: ev})
	}
	return out
}

// Decide makes the decision on person personID of case caseID. It is refused (409)
// until the person's statement is recorded or the statement window has passed (R6.8),
// and once made it never changes: the write is conditional on no decision existing, so
// of two parallel decisions one is stored and the other gets 409. When every person is
// decided the case becomes decided.
func (s *Service) Decide(ctx context.Context, by Caller, caseID, personID uint, in DecisionInput) (*models.CasePerson, error) {
	c, p, err := s.load(ctx, by, caseID, personID)
	if err != nil {
		return nil, err
	}
	ve := &models.ValidationError{}
	if !slices.Contains(Severities, in.Severity) {
		ve.Add("severity", map[bool]string{true: "required", false: "invalid_choice"}[in.Severity == ""])
	}
	if !slices.Contains(Outcomes, in.Outcome) {
		ve.Add("outcome", map[bool]string{true: "required", false: "invalid_choice"}[in.Outcome == ""])
	}
	agg := checkFactors(ve, "aggravating", in.Aggravating, AggravatingCodes)
	mit := checkFactors(ve, "mitigating", in.Mitigating, MitigatingCodes)
	if severityRank[in.Severity] > 0 && outcomeRank[in.Outcome] > 0 && !Allowed(in.Severity, in.Outcome, len(agg) > 0, len(mit) > 0) {
		ve.Add("outcome", "case_outcome_not_allowed", "severity", in.Severity)
	}
	switch {
	case in.Outcome == models.OutcomePenalty && in.PenaltyCents <= 0:
		ve.Add("penalty_cents", "required")
	case in.Outcome == models.OutcomePenalty && in.PenaltyCents > maxPenaltyCt:
		ve.Add("penalty_cents", "out_of_range", "min", 1, "max", maxPenaltyCt)
	case in.Outcome != models.OutcomePenalty && in.PenaltyCents != 0:
		ve.Add("penalty_cents", "must_be_empty")
	}
	if in.LeaderAccountable && in.Severity == models.SeverityMinor {
		ve.Add("leader_accountable", "case_leader_not_for_minor")
	}
	note := strings.TrimSpace(in.Note)
	checkText(ve, "note", note, false, maxText)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if err := decidable(c, p, models.DateOf(s.Now())); err != nil {
		return nil, err
	}
	// A kept repeat_in_year factor is marked as the system's suggestion when it was one.
	if i := slices.IndexFunc(agg, func(f models.Factor) bool { return f.Code == models.AggRepeat }); i >= 0 {
		pol, err := s.Policy.Load(ctx)
		if err != nil {
			return nil, err
		}
		prior, err := s.priorCases(ctx, by.Scope, pol, c, p.EmployeeID)
		if err != nil {
			return nil, err
		}
		agg[i].Suggested = len(prior) > 0
	}
	now := s.Now().UTC()
	p.Severity, p.Outcome, p.PenaltyCents = in.Severity, in.Outcome, in.PenaltyCents
	p.LeaderAccountable = in.LeaderAccountable
	p.Aggravating, p.Mitigating, p.DecisionNote = agg, mit, note
	p.DecidedAt, p.DecidedBy = &now, &by.Actor.UserID
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Locks the case, so the last of several decisions sees all the others.
		if open, err := models.LockOpenCase(tx, c.ID); err != nil {
			return err
		} else if !open {
			return errCaseNotOpen
		}
		done, err := models.DecideCasePerson(tx, p)
		if err != nil {
			return err
		}
		if !done {
			return errPersonDecided
		}
		if err := models.Audit(tx, by.Actor, "decide", "case_person", p.ID, map[string]any{
			"case": c.Number, "employee_id": p.EmployeeID, "severity": p.Severity, "outcome": p.Outcome,
			"penalty_cents": p.PenaltyCents, "leader_accountable": p.LeaderAccountable, "aggravating": p.Aggravating, "mitigating": p.Mitigating}); err != nil {
			return err
		}
		left, err := models.CountUndecided(tx, c.ID)
		if err != nil || left > 0 {
			return err
		}
		_, err = models.MoveCase(tx, c.ID, models.CaseDecided, nil, now)
		return err
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// CloseInput closes a case without a decision.
type CloseInput struct {
	Reason string `json:"reason"`
}

// Close closes an open case without (further) decisions, with a reason. Decisions made
// before stay as they are.
func (s *Service) Close(ctx context.Context, by Caller, caseID uint, in CloseInput) (*models.AccountabilityCase, error) {
	c, err := models.GetCase(ctx, s.DB, by.Scope, caseID)
	if err != nil {
		return nil, err
	}
	reason := strings.TrimSpace(in.Reason)
	ve := &models.ValidationError{}
	checkText(ve, "reason", reason, true, maxReason)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if c.Status != models.CaseOpen {
		return nil, errCaseNotOpen
	}
	if err := s.notAPerson(ctx, by, c.ID); err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		moved, err := models.MoveCase(tx, c.ID, models.CaseClosed, map[string]any{"closed_at": now, "close_reason": reason}, now)
		if err != nil {
			return err
		}
		if !moved {
			return errCaseNotOpen
		}
		return models.Audit(tx, by.Actor, "close", "case", c.ID, map[string]any{"number": c.Number, "reason": reason})
	})
	if err != nil {
		return nil, err
	}
	c.Status, c.ClosedAt, c.CloseReason, c.UpdatedAt = models.CaseClosed, &now, reason, now
	return c, nil
}

// load reads case caseID in scope and its person personID, refusing the caller's own.
func (s *Service) load(ctx context.Context, by Caller, caseID, personID uint) (*models.AccountabilityCase, *models.CasePerson, error) {
	c, err := models.GetCase(ctx, s.DB, by.Scope, caseID)
	if err != nil {
		return nil, nil, err
	}
	p, err := models.GetCasePerson(ctx, s.DB, c.ID, personID)
	if err != nil {
		return nil, nil, err
	}
	if by.is(p.EmployeeID) {
		return nil, nil, errOwnCase
	}
	return c, p, nil
}

// notAPerson refuses a caller who is one of the case's persons.
func (s *Service) notAPerson(ctx context.Context, by Caller, caseID uint) error {
	if by.EmployeeID == nil {
		return nil
	}
	persons, err := models.CasePersonsOf(ctx, s.DB, caseID)
	if err != nil {
		return err
	}
	for _, p := range persons {
		if by.is(p.EmployeeID) {
			return errOwnCase
		}
	}
	return nil
}
