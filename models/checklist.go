package models

import "time"

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
