package models

import (
	"time"

	"gorm.io/gorm"
)

// Finding is a failed item of a submitted inspection: what was wrong, where, under
// which rule. Findings are never deleted once a case uses them; they are voided with a
// reason, and the decision that used one stays as it was.
type Finding struct {
	ID               uint            `gorm:"primaryKey" json:"id"`
	InspectionID     uint            `gorm:"not null;index" json:"inspection_id"`
	Inspection       *Inspection     `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	InspectionItemID uint            `gorm:"not null;uniqueIndex" json:"inspection_item_id"`
	InspectionItem   *InspectionItem `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// OrgUnitID is the outlet inspected.
	OrgUnitID  uint       `gorm:"not null;index" json:"org_unit_id"`
	OrgUnit    *OrgUnit   `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	ItemKey    string     `gorm:"size:16;not null" json:"item_key"`
	RuleRef    string     `gorm:"size:16;not null;index" json:"rule_ref"`
	Text       string     `gorm:"size:1000;not null" json:"text"`
	Note       string     `gorm:"size:2000;not null" json:"note"`
	Critical   bool       `gorm:"not null" json:"critical"`
	FoundAt    time.Time  `gorm:"not null;index" json:"found_at"`
	VoidedAt   *time.Time `json:"voided_at"`
	VoidReason string     `gorm:"size:1000;not null" json:"void_reason"`
	VoidedBy   *uint      `json:"voided_by"`
	CreatedAt  time.Time  `json:"created_at"`
}

// Rectification statuses (整改, R7.3). Overdue is derived from DueOn, never stored.
const (
	RectOpen      = "open"
	RectSubmitted = "submitted"
	RectVerified  = "verified"
	// RectWaived: not to be rectified, with a reason and the approver.
	RectWaived = "waived"
	// RectCancelled: its finding was voided.
	RectCancelled = "cancelled"
)

// RectificationStatuses lists every status, the allow-list of the status filter.
var RectificationStatuses = []string{RectOpen, RectSubmitted, RectVerified, RectWaived, RectCancelled}

// Rectification is the correction one finding asks of the outlet's branch. The branch's
// managers answer it with evidence; an inspector who is not the assignee verifies it.
type Rectification struct {
	ID        uint     `gorm:"primaryKey" json:"id"`
	FindingID uint     `gorm:"not null;uniqueIndex" json:"finding_id"`
	Finding   *Finding `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// OrgUnitID is the outlet; AssigneeUnitID the branch (county) whose managers answer.
	OrgUnitID      uint       `gorm:"not null;index" json:"org_unit_id"`
	AssigneeUnitID uint       `gorm:"not null;index" json:"assignee_unit_id"`
	AssigneeUnit   *OrgUnit   `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Critical       bool       `gorm:"not null" json:"critical"`
	Status         string     `gorm:"size:16;not null;index" json:"status"`
	DueOn          Date       `gorm:"not null;index" json:"due_on"`
	EvidenceText   string     `gorm:"size:2000;not null" json:"evidence_text"`
	SubmittedAt    *time.Time `json:"submitted_at"`
	SubmittedBy    *uint      `json:"submitted_by"`
	VerifiedAt     *time.Time `json:"verified_at"`
	VerifiedBy     *uint      `json:"verified_by"`
	WaiverReason   string     `gorm:"size:1000;not null" json:"waiver_reason"`
	WaivedBy       *uint      `json:"waived_by"`
	// FollowUpInspectionID is the inspection that re-checked the finding, if any.
	FollowUpInspectionID *uint `json:"follow_up_inspection_id"`
	// Revision grows with every transition; a change based on an older one gets 409.
	Revision  int       `gorm:"not null" json:"revision"`
	CreatedAt time.Time `gorm:"index" json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// RectificationEvent is one line of a rectification's timeline; the table is
// append-only, like the audit log.
type RectificationEvent struct {
	ID              uint64    `gorm:"primaryKey" json:"id"`
	RectificationID uint      `gorm:"not null;index" json:"rectification_id"`
	At              time.Time `gorm:"not null" json:"at"`
	ActorID         *uint     `json:"actor_id"`
	ActorName       string    `gorm:"size:64;not null" json:"actor_name"`
	From            string    `gorm:"column:from_status;size:16;not null" json:"from"`
	To              string    `gorm:"column:to_status;size:16;not null" json:"to"`
	Reason          string    `gorm:"size:2000;not null" json:"reason"`
	// ActorDisplayName is the actor's name as their account shows it now (the login
	// name when it has none); read with the timeline, not stored.
	ActorDisplayName string `gorm:"-" json:"actor_display_name"`
}

// Escalation levels of an overdue rectification, each reached once.
const (
	// EscalateReminder reminds the branch before the due date.
	EscalateReminder = "reminder"
	// EscalateCity tells the city company once the due date has passed.
	EscalateCity = "city"
	// EscalateProvince tells the provincial office when it is still open later.
	EscalateProvince = "province"
)

// Escalation records that a rectification reached a level and whom it told; the unique
// index makes "once per level" hold across several server instances.
type Escalation struct {
	ID              uint           `gorm:"primaryKey" json:"id"`
	RectificationID uint           `gorm:"not null;uniqueIndex:ux_escalation" json:"rectification_id"`
	Rectification   *Rectification `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	Level           string         `gorm:"size:16;not null;uniqueIndex:ux_escalation" json:"level"`
	NotifiedUnitID  uint           `gorm:"not null;index" json:"notified_unit_id"`
	At              time.Time      `gorm:"not null;index" json:"at"`
}

// StoreOpenRectification is the store primitive of rectifications.Service.Open: it
// inserts r as open with the first line of its timeline, in tx. Nothing else calls it
// (rectifications/owner_test.go): the rectifications package owns every status write.
func StoreOpenRectification(tx *gorm.DB, r *Rectification, actor Actor, at time.Time) error {
	r.Status = RectOpen
	r.Revision = 1
	if err := tx.Omit("Finding", "AssigneeUnit").Create(r).Error; err != nil {
		return Translate(err, "finding_id")
	}
	return AppendRectificationEvent(tx, r.ID, actor, at, "", RectOpen, "")
}

// AppendRectificationEvent adds one line to a rectification's timeline.
func AppendRectificationEvent(tx *gorm.DB, id uint, actor Actor, at time.Time, from, to, reason string) error {
	e := RectificationEvent{RectificationID: id, At: at.UTC(), ActorName: actor.Username, From: from, To: to, Reason: reason}
	if actor.UserID != 0 {
		e.ActorID = &actor.UserID
	}
	return tx.Create(&e).Error
}

// StoreRectificationMove is the store primitive of the rectifications package's moves,
// which decide whether a move is allowed: it changes r's status from r.Status to to,
// only if nobody changed it since r was read (its Revision), sets the extra columns, and
// appends the timeline line; ErrStale when another change came first. Nothing outside
// that package calls it (rectifications/owner_test.go).
func StoreRectificationMove(tx *gorm.DB, r *Rectification, to string, columns map[string]any, actor Actor, at time.Time, reason string) error {
	set := map[string]any{"status": to, "revision": r.Revision + 1, "updated_at": at.UTC()}
	for k, v := range columns {
		set[k] = v
	}
	res := tx.Model(&Rectification{}).Where("id = ? AND revision = ?", r.ID, r.Revision).Updates(set)
	if err := staleUnlessOne(res, "rectification", r.ID); err != nil {
		return err
	}
	from := r.Status
	r.Status, r.Revision = to, r.Revision+1
	return AppendRectificationEvent(tx, r.ID, actor, at, from, to, reason)
}
