package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Template statuses: a draft changes freely; a published version never changes (an edit
// makes the next version, a draft); a retired version can no longer start inspections
// but keeps every inspection made with it.
const (
	TemplateDraft     = "draft"
	TemplatePublished = "published"
	TemplateRetired   = "retired"
)

// Response types of a checklist item.
const (
	// ResponsePassFail answers pass (1), fail (0) or N/A.
	ResponsePassFail = "pass_fail"
	// ResponseScore answers a whole score 0..MaxScore or N/A.
	ResponseScore = "score"
)

// ResponseTypes lists every response type.
var ResponseTypes = []string{ResponsePassFail, ResponseScore}

// ChecklistItem is one thing an inspector checks. Its Key is stable across the
// template's versions ("1.3"), so findings of different versions can be compared.
type ChecklistItem struct {
	Key      string `json:"key"`
	Text     string `json:"text"`
	Guidance string `json:"guidance"`
	// RuleRef is the rule of the service standard it checks, e.g. "R1.2".
	RuleRef  string `json:"rule_ref"`
	Response string `json:"response"` // pass_fail|score
	// MaxScore is the best score of a score item (1 for pass/fail).
	MaxScore int `json:"max_score"`
	// PassScore: a score item below it is a failed item (a finding); 0 means MaxScore.
	PassScore int `json:"pass_score"`
	// Weight multiplies the response score; 0 leaves the item unscored.
	Weight int `json:"weight"`
	// Critical (一票否决): failing it fails the whole inspection whatever the percentage.
	Critical bool `json:"critical"`
	// EvidenceOnFail: a failed answer needs a note and at least one photo.
	EvidenceOnFail bool `json:"evidence_on_fail"`
	// Required: the inspection cannot be submitted while it is unanswered.
	Required bool `json:"required"`
}

// ChecklistSection groups items under a heading.
type ChecklistSection struct {
	Title string          `json:"title"`
	Items []ChecklistItem `json:"items"`
}

// ChecklistTemplate is one version of a checklist. Versions of one checklist share
// Code; (Code, Version) is unique and at most one version of a code is published.
type ChecklistTemplate struct {
	ID          uint                       `gorm:"primaryKey" json:"id"`
	Code        string                     `gorm:"size:32;not null;uniqueIndex:ux_template_version" json:"code"`
	Version     int                        `gorm:"not null;uniqueIndex:ux_template_version" json:"version"`
	Title       string                     `gorm:"size:200;not null" json:"title"`
	Description string                     `gorm:"size:2000;not null" json:"description"`
	Status      string                     `gorm:"size:16;not null;index" json:"status"`
	Sections    JSONList[ChecklistSection] `gorm:"not null" json:"sections"`
	// PassMark is the percentage at or above which an inspection without a failed
	// critical item is 合格.
	PassMark    int        `gorm:"not null" json:"pass_mark"`
	PublishedAt *time.Time `json:"published_at"`
	RetiredAt   *time.Time `json:"retired_at"`
	CreatedBy   *uint      `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	UpdatedAt   time.Time  `json:"updated_at"`
}

// Items lists the template's items in order.
func (t *ChecklistTemplate) Items() []ChecklistItem {
	var out []ChecklistItem
	for _, s := range t.Sections {
		out = append(out, s.Items...)
	}
	return out
}

// TemplateFilter selects template versions; zero fields do not filter.
type TemplateFilter struct {
	Code   string
	Status string
	// Statuses limits the list to these statuses (the caller's visibility); empty: all.
	Statuses []string
	Page
}

// ListTemplates returns one page of template versions, by code, newest version first.
func ListTemplates(ctx context.Context, db *gorm.DB, f TemplateFilter) (List[ChecklistTemplate], error) {
	q := db.WithContext(ctx).Model(&ChecklistTemplate{})
	if f.Code != "" {
		q = q.Where("code = ?", f.Code)
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if len(f.Statuses) > 0 {
		q = q.Where("status IN ?", f.Statuses)
	}
	return pageOf[ChecklistTemplate](q, f.Page, "code, version DESC")
}

// GetTemplate loads one template version or fails with ErrNotFound.
func GetTemplate(ctx context.Context, db *gorm.DB, id uint) (*ChecklistTemplate, error) {
	var t ChecklistTemplate
	err := db.WithContext(ctx).Where("id = ?", id).Take(&t).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("checklist template %d: %w", id, ErrNotFound)
	}
	return &t, err
}

// LockTemplateVersions locks, on MySQL, every version of code inside tx, so that two
// publishes or two new versions of one checklist run one after the other (SQLite's
// immediate transactions already do) and returns them, newest first.
func LockTemplateVersions(tx *gorm.DB, code string) ([]ChecklistTemplate, error) {
	q := tx.Where("code = ?", code)
	if DialectOf(tx) == MySQL {
		q = q.Clauses(clause.Locking{Strength: "UPDATE"})
	}
	var vs []ChecklistTemplate
	err := q.Order("version DESC").Find(&vs).Error
	return vs, err
}

// CreateTemplate inserts t with tx; a taken (code, version) is a conflict on code.
func CreateTemplate(tx *gorm.DB, t *ChecklistTemplate) error {
	return Translate(tx.Create(t).Error, "code")
}

// SaveDraftTemplate writes the editable columns of t, only while it is a draft;
// ErrStale when it is no longer one.
func SaveDraftTemplate(tx *gorm.DB, t *ChecklistTemplate, now time.Time) error {
	t.UpdatedAt = now.UTC()
	res := tx.Model(&ChecklistTemplate{}).Where("id = ? AND status = ?", t.ID, TemplateDraft).
		Select("title", "description", "sections", "pass_mark", "updated_at").Updates(t)
	return staleUnlessOne(res, "checklist template", t.ID)
}

// SetTemplateStatus moves template id from status from to status to at now (publishing
// or retiring it); ErrStale when it was not in from.
func SetTemplateStatus(tx *gorm.DB, id uint, from, to string, now time.Time) error {
	set := map[string]any{"status": to, "updated_at": now.UTC()}
	switch to {
	case TemplatePublished:
		set["published_at"] = now.UTC()
	case TemplateRetired:
		set["retired_at"] = now.UTC()
	}
	res := tx.Model(&ChecklistTemplate{}).Where("id = ? AND status = ?", id, from).Updates(set)
	return staleUnlessOne(res, "checklist template", id)
}
