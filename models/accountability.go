package models

import "time"

// Case sources: a finding of an inspection or a customer complaint.
const (
	CaseFromFinding   = "finding"
	CaseFromComplaint = "complaint"
)

// Case statuses: open until every person's decision is made (decided), or closed
// without one (closed, with a reason).
const (
	CaseOpen    = "open"
	CaseDecided = "decided"
	CaseClosed  = "closed"
)

// Grounds of accountability (R6.2).
const (
	GroundLawPolicy    = "law_policy"    // breaking law or policy
	GroundServiceRules = "service_rules" // breaking R1–R8 or maintenance rules, harming the image
	GroundDereliction  = "dereliction"   // other dereliction with bad influence among customers
)

// Grounds lists every ground.
var Grounds = []string{GroundLawPolicy, GroundServiceRules, GroundDereliction}

// Severities and outcomes (R6.5).
const (
	SeverityMinor       = "minor"
	SeveritySerious     = "serious"
	SeverityVerySerious = "very_serious"

	OutcomeWarning    = "warning"              // 警告
	OutcomeNoAwards   = "no_awards"            // 取消评优评先资格
	OutcomeCirculated = "circulated_criticism" // 通报批评
	OutcomePenalty    = "penalty"              // 行政及经济处罚
)

// Aggravating (R6.6) and mitigating (R6.7) factors.
const (
	AggRetaliation = "retaliation"      // against complainants or investigators
	AggRepeat      = "repeat_in_year"   // two or more accountable acts within one year
	AggObstruction = "obstruction"      // obstructing the investigation
	AggDefiance    = "ignored_decision" // not carrying out a supervision decision

	MitApologised = "apologised" // apologised and the customer understood
	MitPrevented  = "prevented"  // effectively prevented bad consequences
	MitRecovered  = "recovered"  // corrected and recovered all or most losses
)

// Factor is an aggravating or mitigating factor with its evidence. Suggested marks one
// the system proposed (R6.6 repeat acts from decided cases) for the decider to keep or
// drop.
type Factor struct {
	Code      string `json:"code"`
	Evidence  string `json:"evidence"`
	Suggested bool   `json:"suggested"`
}

// AccountabilityCase is a 问责 case (R6): where, why, from what, and the persons it
// concerns, each decided separately.
type AccountabilityCase struct {
	ID     uint   `gorm:"primaryKey" json:"id"`
	Number string `gorm:"size:32;not null;uniqueIndex" json:"number"`
	Title  string `gorm:"size:200;not null" json:"title"`
	// OrgUnitID is the unit where it happened; the case is seen within its scope.
	OrgUnitID    uint             `gorm:"not null;index" json:"org_unit_id"`
	OrgUnit      *OrgUnit         `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Source       string           `gorm:"size:16;not null" json:"source"`
	ComplaintRef string           `gorm:"size:200;not null" json:"complaint_ref"`
	Summary      string           `gorm:"size:4000;not null" json:"summary"`
	Grounds      JSONList[string] `gorm:"not null" json:"grounds"`
	Status       string           `gorm:"size:16;not null;index" json:"status"`
	OpenedBy     uint             `gorm:"not null" json:"opened_by"`
	OpenedAt     time.Time        `gorm:"not null;index" json:"opened_at"`
	// StatementDueOn is the end of the statement window (R6.8): after it, a person who
	// gave no statement may be decided on.
	StatementDueOn Date       `gorm:"not null" json:"statement_due_on"`
	ClosedAt       *time.Time `json:"closed_at"`
	CloseReason    string     `gorm:"size:1000;not null" json:"close_reason"`
	CreatedAt      time.Time  `json:"created_at"`
	UpdatedAt      time.Time  `json:"updated_at"`
}

// CaseFinding links a case to a finding it rests on.
type CaseFinding struct {
	CaseID    uint     `gorm:"primaryKey;autoIncrement:false" json:"case_id"`
	FindingID uint     `gorm:"primaryKey;autoIncrement:false;index" json:"finding_id"`
	Finding   *Finding `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
}

// CasePerson is one person a case concerns: their statement (R6.8) and, once made, the
// decision, which never changes afterwards.
type CasePerson struct {
	ID         uint      `gorm:"primaryKey" json:"id"`
	CaseID     uint      `gorm:"not null;uniqueIndex:ux_case_person" json:"case_id"`
	EmployeeID uint      `gorm:"not null;uniqueIndex:ux_case_person;index" json:"employee_id"`
	Employee   *Employee `gorm:"constraint:OnDelete:RESTRICT" json:"employee,omitempty"`
	// The statement and defence, recorded by whoever heard it.
	Statement   string     `gorm:"size:4000;not null" json:"statement"`
	StatementAt *time.Time `json:"statement_at"`
	StatementBy *uint      `json:"statement_by"`
	// The decision.
	Severity     string `gorm:"size:16;not null" json:"severity"`
	Outcome      string `gorm:"size:32;not null" json:"outcome"`
	PenaltyCents int64  `gorm:"not null" json:"penalty_cents"`
	// LeaderAccountable: the decision also warns the unit head (serious) or holds the
	// unit's main leader accountable (very serious, R6.5); never for a minor severity.
	LeaderAccountable bool             `gorm:"not null" json:"leader_accountable"`
	Aggravating       JSONList[Factor] `gorm:"not null" json:"aggravating"`
	Mitigating        JSONList[Factor] `gorm:"not null" json:"mitigating"`
	DecisionNote      string           `gorm:"size:4000;not null" json:"decision_note"`
	DecidedAt         *time.Time       `gorm:"index" json:"decided_at"`
	DecidedBy         *uint            `json:"decided_by"`
}
