package models

import "time"

// Inspection statuses: answers change while it is a draft; a submitted inspection is
// read-only until it is reopened with a reason (audited).
const (
	InspectionDraft     = "draft"
	InspectionSubmitted = "submitted"
)

// Inspection results.
const (
	ResultPass = "pass" // 合格
	ResultFail = "fail" // 不合格: below the pass mark, or a critical item failed
	// ResultNoScore: every scored item was N/A; never 0 % or 100 %.
	ResultNoScore = "no_score"
)

// Item outcomes; "" is unanswered.
const (
	OutcomePass = "pass"
	OutcomeFail = "fail"
	OutcomeNA   = "na"
)

// Inspection is one on-site check of an outlet with one template version. ClientID is
// made by the inspector's device: creating it again with the same id returns the first
// record, so a retried request never makes a second inspection.
type Inspection struct {
	ID       uint   `gorm:"primaryKey" json:"id"`
	ClientID string `gorm:"size:64;not null;uniqueIndex:ux_inspection_client" json:"client_id"`
	// RequestHash is the hash of the creating request: the same client id with another
	// body is refused rather than answered with the wrong record.
	RequestHash string             `gorm:"size:64;not null" json:"-"`
	InspectorID uint               `gorm:"not null;uniqueIndex:ux_inspection_client;index" json:"inspector_id"`
	Inspector   *User              `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	TemplateID  uint               `gorm:"not null;index" json:"template_id"`
	Template    *ChecklistTemplate `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	OrgUnitID   uint               `gorm:"not null;index" json:"org_unit_id"`
	OrgUnit     *OrgUnit           `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// PatrolStopID is the planned visit this inspection covers, if any.
	PatrolStopID *uint `gorm:"index" json:"patrol_stop_id"`
	// FollowUpOf is the finding a follow-up inspection re-checks.
	FollowUpOf  *uint      `gorm:"index" json:"follow_up_of"`
	Status      string     `gorm:"size:16;not null;index" json:"status"`
	StartedAt   time.Time  `gorm:"not null;index" json:"started_at"`
	SubmittedAt *time.Time `gorm:"index" json:"submitted_at"`
	// Where the inspector's device was at the start, if it said; FarFromOutlet when it
	// was farther from the outlet than the policy allows.
	Lat           *float64 `json:"lat"`
	Lng           *float64 `json:"lng"`
	DistanceM     *int     `json:"distance_m"`
	FarFromOutlet bool     `gorm:"not null" json:"far_from_outlet"`
	// Confirmation is the inspector's statement at submit (their name as typed).
	Confirmation string `gorm:"size:200;not null" json:"confirmation"`
	// Earned and Possible are the exact sums of the scoring rule; Score is
	// 100 × Earned / Possible rounded half-up, nil when nothing was scored.
	Earned         int      `gorm:"not null" json:"earned"`
	Possible       int      `gorm:"not null" json:"possible"`
	Score          *Percent `json:"score"`
	Result         string   `gorm:"size:16;not null;index" json:"result"`
	CriticalFailed bool     `gorm:"not null" json:"critical_failed"`
	// Revision grows with every change of the inspection or its answers.
	Revision    int       `gorm:"not null" json:"revision"`
	ReopenCount int       `gorm:"not null" json:"reopen_count"`
	CreatedAt   time.Time `json:"created_at"`
	UpdatedAt   time.Time `json:"updated_at"`
}

// InspectionItem is one item as the inspection showed it (a snapshot of the template
// item, so a later template version never changes an old score) and its answer.
type InspectionItem struct {
	ID             uint   `gorm:"primaryKey" json:"id"`
	InspectionID   uint   `gorm:"not null;uniqueIndex:ux_inspection_item" json:"inspection_id"`
	Key            string `gorm:"size:16;not null;uniqueIndex:ux_inspection_item" json:"key"`
	Position       int    `gorm:"not null" json:"position"`
	Section        string `gorm:"size:200;not null" json:"section"`
	Text           string `gorm:"size:1000;not null" json:"text"`
	Guidance       string `gorm:"size:2000;not null" json:"guidance"`
	RuleRef        string `gorm:"size:16;not null" json:"rule_ref"`
	Response       string `gorm:"size:16;not null" json:"response"`
	MaxScore       int    `gorm:"not null" json:"max_score"`
	PassScore      int    `gorm:"not null" json:"pass_score"`
	Weight         int    `gorm:"not null" json:"weight"`
	Critical       bool   `gorm:"not null" json:"critical"`
	EvidenceOnFail bool   `gorm:"not null" json:"evidence_on_fail"`
	Required       bool   `gorm:"not null" json:"required"`
	// Outcome is "" (unanswered), pass, fail or na; Points the score given (1/0 for
	// pass/fail items), nil unless answered and applicable.
	Outcome    string     `gorm:"size:8;not null" json:"outcome"`
	Points     *int       `json:"points"`
	Note       string     `gorm:"size:2000;not null" json:"note"`
	Rev        int        `gorm:"not null" json:"rev"`
	AnsweredAt *time.Time `json:"answered_at"`
}

// Photo is an uploaded picture of an inspection item or of rectification evidence. The
// file lives under the data folder by the SHA-256 of its content; the row says whose it
// is, so it is served only to those who may see its owner.
type Photo struct {
	ID     uint   `gorm:"primaryKey" json:"id"`
	SHA256 string `gorm:"size:64;not null;index" json:"sha256"`
	Size   int64  `gorm:"not null" json:"size"`
	MIME   string `gorm:"size:32;not null" json:"mime"`
	Width  int    `gorm:"not null" json:"width"`
	Height int    `gorm:"not null" json:"height"`
	// Exactly one owner: an inspection item or a rectification.
	InspectionItemID *uint `gorm:"index" json:"inspection_item_id"`
	RectificationID  *uint `gorm:"index" json:"rectification_id"`
	// OrgUnitID is the outlet, for scope.
	OrgUnitID  uint       `gorm:"not null;index" json:"org_unit_id"`
	CapturedAt *time.Time `json:"captured_at"`
	UploadedBy uint       `gorm:"not null" json:"uploaded_by"`
	CreatedAt  time.Time  `json:"created_at"`
}

// PatrolPlan is an inspector's round (R7.3): outlets to visit within a period, each by
// its own due date. OrgUnitID is the unit the plan belongs to; every stop lies under it.
type PatrolPlan struct {
	ID          uint     `gorm:"primaryKey" json:"id"`
	Title       string   `gorm:"size:200;not null" json:"title"`
	InspectorID uint     `gorm:"not null;index" json:"inspector_id"`
	Inspector   *User    `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	OrgUnitID   uint     `gorm:"not null;index" json:"org_unit_id"`
	OrgUnit     *OrgUnit `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// TemplateCode is the checklist the visits use (its published version at the visit).
	TemplateCode string    `gorm:"size:32;not null" json:"template_code"`
	StartsOn     Date      `gorm:"not null;index" json:"starts_on"`
	EndsOn       Date      `gorm:"not null;index" json:"ends_on"`
	CreatedBy    *uint     `json:"created_by"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// PatrolStop is one planned visit; it is done when a submitted inspection covers it,
// missed when its due date passed without one (derived, not stored).
type PatrolStop struct {
	ID        uint        `gorm:"primaryKey" json:"id"`
	PlanID    uint        `gorm:"not null;uniqueIndex:ux_patrol_stop" json:"plan_id"`
	Plan      *PatrolPlan `gorm:"constraint:OnDelete:CASCADE" json:"-"`
	OrgUnitID uint        `gorm:"not null;uniqueIndex:ux_patrol_stop;index" json:"org_unit_id"`
	OrgUnit   *OrgUnit    `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	DueOn     Date        `gorm:"not null;index" json:"due_on"`
	// InspectionID is the submitted inspection that covered the stop.
	InspectionID *uint `gorm:"index" json:"inspection_id"`
}
