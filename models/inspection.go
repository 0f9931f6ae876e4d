package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

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
	OrgUnitID   uint               `gorm:"not null;index;index:idx_inspection_ranking,priority:3" json:"org_unit_id"`
	OrgUnit     *OrgUnit           `gorm:"constraint:OnDelete:RESTRICT" json:"-"`
	// PatrolStopID is the planned visit this inspection covers, if any.
	PatrolStopID *uint `gorm:"index" json:"patrol_stop_id"`
	// FollowUpOf is the finding a follow-up inspection re-checks.
	FollowUpOf  *uint      `gorm:"index" json:"follow_up_of"`
	Status      string     `gorm:"size:16;not null;index;index:idx_inspection_ranking,priority:1" json:"status"`
	StartedAt   time.Time  `gorm:"not null;index" json:"started_at"`
	SubmittedAt *time.Time `gorm:"index;index:idx_inspection_ranking,priority:2" json:"submitted_at"`
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
	Earned         int       `gorm:"not null;index:idx_inspection_ranking,priority:5" json:"earned"`
	Possible       int       `gorm:"not null;index:idx_inspection_ranking,priority:4" json:"possible"`
	Score          *Percent  `json:"score"`
	Result         string    `gorm:"size:16;not null;index;index:idx_inspection_ranking,priority:6" json:"result"`
	CriticalFailed bool      `gorm:"not null" json:"critical_failed"`
	ReopenCount    int       `gorm:"not null" json:"reopen_count"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
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

// InspectionFilter selects inspections; zero fields do not filter.
type InspectionFilter struct {
	// UnitID limits to the unit's subtree; it must lie in the caller's scope.
	UnitID uint
	// From and To bound StartedAt: From ≤ started < To.
	From, To     time.Time
	Status       string
	Result       string
	TemplateCode string
	// InspectorID limits to the inspections of one inspector (the caller's own drafts).
	InspectorID uint
	Page
}

// inspections is the filtered query of inspections in scope.
func inspectionsQuery(ctx context.Context, db *gorm.DB, scope Scope, f InspectionFilter) (*gorm.DB, error) {
	q := scope.onUnit(db.WithContext(ctx).Model(&Inspection{}), "org_unit_id")
	if f.UnitID != 0 {
		root, err := GetOrgUnit(ctx, db, scope, f.UnitID)
		if err != nil {
			return nil, err
		}
		q = underPath(q, "org_unit_id", root.Path)
	}
	if !f.From.IsZero() {
		q = q.Where("started_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("started_at < ?", f.To.UTC())
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.Result != "" {
		q = q.Where("result = ?", f.Result)
	}
	if f.TemplateCode != "" {
		q = q.Where("template_id IN (SELECT id FROM checklist_templates WHERE code = ?)", f.TemplateCode)
	}
	if f.InspectorID != 0 {
		q = q.Where("inspector_id = ?", f.InspectorID)
	}
	return q, nil
}

// ListInspections returns one page of inspections in scope, newest first, each with
// its outlet.
func ListInspections(ctx context.Context, db *gorm.DB, scope Scope, f InspectionFilter) (List[Inspection], error) {
	out := List[Inspection]{Items: []Inspection{}}
	q, err := inspectionsQuery(ctx, db, scope, f)
	if err != nil {
		return out, err
	}
	return pageOf[Inspection](q, f.Page, "started_at DESC, id DESC")
}

// EachInspection calls fn with every inspection of ListInspections (f.Page is ignored),
// newest id first, a batch at a time (keyset paging), with outlet and template loaded,
// so an export never holds them all.
func EachInspection(ctx context.Context, db *gorm.DB, scope Scope, f InspectionFilter, fn func([]Inspection) error) error {
	query := func() (*gorm.DB, error) {
		q, err := inspectionsQuery(ctx, db, scope, f)
		if err != nil {
			return nil, err
		}
		return q.Preload("OrgUnit").Preload("Template").Preload("Inspector"), nil
	}
	return eachByID(query, "id", true, func(i *Inspection) uint { return i.ID }, fn)
}

// GetInspection loads one inspection whose outlet lies in scope, or ErrNotFound.
func GetInspection(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Inspection, error) {
	var ins Inspection
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Where("id = ?", id).Take(&ins).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("inspection %d: %w", id, ErrNotFound)
	}
	return &ins, err
}

// LockInspection loads inspection id inside tx; on MySQL the row stays locked until
// the transaction ends, so the submit, the answer saves and the reopen of one
// inspection run one after the other (SQLite's immediate transactions already do).
func LockInspection(tx *gorm.DB, id uint) (*Inspection, error) {
	q := tx.Where("id = ?", id)
	if DialectOf(tx) == MySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var ins Inspection
	err := q.Take(&ins).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("inspection %d: %w", id, ErrNotFound)
	}
	return &ins, err
}

// InspectionByClientID loads the inspection the inspector made with clientID, or
// ErrNotFound.
func InspectionByClientID(ctx context.Context, db *gorm.DB, inspectorID uint, clientID string) (*Inspection, error) {
	var ins Inspection
	err := db.WithContext(ctx).Where("inspector_id = ? AND client_id = ?", inspectorID, clientID).Take(&ins).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("inspection %q: %w", clientID, ErrNotFound)
	}
	return &ins, err
}

// InsertInspection inserts ins and its item snapshots with tx; a client id the
// inspector already used is a conflict on client_id.
func InsertInspection(tx *gorm.DB, ins *Inspection, items []InspectionItem) error {
	if err := tx.Omit("Inspector", "Template", "OrgUnit").Create(ins).Error; err != nil {
		return Translate(err, "client_id")
	}
	for i := range items {
		items[i].InspectionID = ins.ID
	}
	return tx.CreateInBatches(items, 200).Error
}

// InspectionItemsOf returns the items of an inspection in their order.
func InspectionItemsOf(ctx context.Context, db *gorm.DB, inspectionID uint) ([]InspectionItem, error) {
	items := []InspectionItem{}
	err := db.WithContext(ctx).Where("inspection_id = ?", inspectionID).Order("position").Find(&items).Error
	return items, err
}

// GetInspectionItem loads the item key of an inspection, or ErrNotFound.
func GetInspectionItem(ctx context.Context, db *gorm.DB, inspectionID uint, key string) (*InspectionItem, error) {
	var it InspectionItem
	err := db.WithContext(ctx).Where("inspection_id = ? AND `key` = ?", inspectionID, key).Take(&it).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("inspection %d item %q: %w", inspectionID, key, ErrNotFound)
	}
	return &it, err
}

// SaveInspectionItemAnswer writes the answer of it, only if its revision is still
// rev (then it.Rev becomes rev+1); ErrStale when another save came first.
func SaveInspectionItemAnswer(tx *gorm.DB, it *InspectionItem, rev int) error {
	res := tx.Model(&InspectionItem{}).Where("id = ? AND rev = ?", it.ID, rev).Updates(map[string]any{
		"outcome": it.Outcome, "points": it.Points, "note": it.Note, "rev": rev + 1, "answered_at": it.AnsweredAt,
	})
	if err := staleUnlessOne(res, "inspection item", it.ID); err != nil {
		return err
	}
	it.Rev = rev + 1
	return nil
}

// SaveInspectionResult writes the status, submission and result columns of ins.
func SaveInspectionResult(tx *gorm.DB, ins *Inspection) error {
	ins.UpdatedAt = time.Now().UTC()
	return tx.Model(&Inspection{}).Where("id = ?", ins.ID).Select("status", "submitted_at", "confirmation", "earned", "possible",
		"score", "result", "critical_failed", "reopen_count", "updated_at").Updates(ins).Error
}

// InsertPhoto records a stored photo with tx.
func InsertPhoto(tx *gorm.DB, p *Photo) error { return tx.Create(p).Error }

// GetPhoto loads a photo whose unit lies in scope, or ErrNotFound.
func GetPhoto(ctx context.Context, db *gorm.DB, scope Scope, id uint) (*Photo, error) {
	var p Photo
	err := scope.onUnit(db.WithContext(ctx), "org_unit_id").Where("id = ?", id).Take(&p).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("photo %d: %w", id, ErrNotFound)
	}
	return &p, err
}

// PhotoIDsOfInspection maps each item id of an inspection to the ids of its photos.
func PhotoIDsOfInspection(ctx context.Context, db *gorm.DB, inspectionID uint) (map[uint][]uint, error) {
	var rows []Photo
	err := db.WithContext(ctx).Select("id", "inspection_item_id").
		Where("inspection_item_id IN (SELECT id FROM inspection_items WHERE inspection_id = ?)", inspectionID).
		Order("id").Find(&rows).Error
	out := map[uint][]uint{}
	for _, p := range rows {
		if p.InspectionItemID != nil {
			out[*p.InspectionItemID] = append(out[*p.InspectionItemID], p.ID)
		}
	}
	return out, err
}

// PatrolStopByID loads a patrol stop with its plan, or ErrNotFound.
func PatrolStopByID(ctx context.Context, db *gorm.DB, id uint) (*PatrolStop, error) {
	var s PatrolStop
	err := db.WithContext(ctx).Preload("Plan").Where("id = ?", id).Take(&s).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("patrol stop %d: %w", id, ErrNotFound)
	}
	return &s, err
}

// CoverPatrolStop marks stop id done by an inspection, unless another already covered
// it; it reports whether this one did.
func CoverPatrolStop(tx *gorm.DB, id, inspectionID uint) (bool, error) {
	res := tx.Model(&PatrolStop{}).Where("id = ? AND (inspection_id IS NULL OR inspection_id = ?)", id, inspectionID).
		Update("inspection_id", inspectionID)
	return res.RowsAffected > 0, res.Error
}

// UncoverPatrolStop undoes CoverPatrolStop when the inspection that covered the stop
// is reopened.
func UncoverPatrolStop(tx *gorm.DB, id, inspectionID uint) error {
	return tx.Model(&PatrolStop{}).Where("id = ? AND inspection_id = ?", id, inspectionID).Update("inspection_id", nil).Error
}

// CountPhotosByItem maps each item id of an inspection to its number of photos.
func CountPhotosByItem(tx *gorm.DB, inspectionID uint) (map[uint]int, error) {
	var rows []struct {
		ItemID uint
		N      int
	}
	err := tx.Model(&Photo{}).Select("inspection_item_id AS item_id, COUNT(*) AS n").
		Where("inspection_item_id IN (SELECT id FROM inspection_items WHERE inspection_id = ?)", inspectionID).
		Group("inspection_item_id").Scan(&rows).Error
	out := make(map[uint]int, len(rows))
	for _, r := range rows {
		out[r.ItemID] = r.N
	}
	return out, err
}
