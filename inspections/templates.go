package inspections

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// TemplateInput is a checklist template version as its editor writes it: a new draft
// (POST) or the whole content of a draft or of the next version (PUT).
type TemplateInput struct {
	// Code names the checklist; versions share it. Ignored by PUT (the code of a
	// version never changes).
	Code        string         `json:"code"`
	Title       string         `json:"title"`
	Description string         `json:"description"`
	Sections    []SectionInput `json:"sections" maxItems:"50"` // maxSections
	// PassMark is a percentage 0..100; nil takes Policy.PassMark.
	PassMark *int `json:"pass_mark"`
}

// SectionInput is one section of a TemplateInput.
type SectionInput struct {
	Title string      `json:"title"`
	Items []ItemInput `json:"items" maxItems:"300"` // the whole template's bound (maxItems), so no section holds more
}

// ItemInput is one item of a SectionInput (see models.ChecklistItem).
type ItemInput struct {
	Key            string `json:"key"`
	Text           string `json:"text"`
	Guidance       string `json:"guidance"`
	RuleRef        string `json:"rule_ref"`
	Response       string `json:"response"`
	MaxScore       int    `json:"max_score"`
	PassScore      int    `json:"pass_score"`
	Weight         int    `json:"weight"`
	Critical       bool   `json:"critical"`
	EvidenceOnFail bool   `json:"evidence_on_fail"`
	Required       bool   `json:"required"`
}

// Limits of a template.
const (
	maxTitle       = 200
	maxDescription = 2000
	maxItemText    = 1000
	maxGuidance    = 2000
	maxSections    = 50  // = the maxItems tag of TemplateInput.Sections
	maxItems       = 300 // = the maxItems tag of SectionInput.Items
	maxItemScore   = 100
	maxWeight      = 100
)

var (
	templateCodeRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$`)
	// itemKeyRE: a key stable across versions ("1.3"), at most 16 characters.
	itemKeyRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]{0,15}$`)
	// ruleRefRE: a rule of the service standard, R1..R10 with an optional clause (R1.2).
	ruleRefRE = regexp.MustCompile(`^R(10|[1-9])(\.[1-9][0-9]?)?$`)
)

// Template refusals, each a 409 naming why.
var (
	errTemplateNotDraft     = &models.ConflictError{Field: "id", Code: "template_not_draft"}
	errTemplateRetired      = &models.ConflictError{Field: "id", Code: "template_retired"}
	errTemplateNotPublished = &models.ConflictError{Field: "id", Code: "template_not_published"}
	errTemplateDraftExists  = &models.ConflictError{Field: "id", Code: "template_draft_exists"}
	errTemplateCodeTaken    = &models.ConflictError{Field: "code", Code: "duplicate"}
)

// checkText trims v and adds a field error when it is empty (if required) or too long.
func checkText(ve *models.ValidationError, field, v string, max int, required bool) string {
	v = strings.TrimSpace(v)
	switch n := utf8.RuneCountInString(v); {
	case n == 0 && required:
		ve.Add(field, "required")
	case n > max:
		ve.Add(field, "too_long", "max", max)
	}
	return v
}

// checkTemplate validates in field by field (`sections[1].items[2].rule_ref`, 0-based
// as in the JSON array) into t's content.
func checkTemplate(ve *models.ValidationError, in TemplateInput, passMark int, t *models.ChecklistTemplate) {
	t.Title = checkText(ve, "title", in.Title, maxTitle, true)
	t.Description = checkText(ve, "description", in.Description, maxDescription, false)
	t.PassMark = passMark
	if in.PassMark != nil {
		t.PassMark = *in.PassMark
		if t.PassMark < 0 || t.PassMark > 100 {
			ve.Add("pass_mark", "out_of_range", "min", 0, "max", 100)
		}
	}
	switch {
	case len(in.Sections) == 0:
		ve.Add("sections", "required")
		return
	case len(in.Sections) > maxSections:
		ve.Add("sections", "too_many", "max", maxSections)
		return
	}
	seen := map[string]string{}
	count := 0
	t.Sections = make(models.JSONList[models.ChecklistSection], len(in.Sections))
	for si, s := range in.Sections {
		sf := fmt.Sprintf("sections[%d]", si)
		sec := models.ChecklistSection{Title: checkText(ve, sf+".title", s.Title, maxTitle, true), Items: []models.ChecklistItem{}}
		if len(s.Items) == 0 {
			ve.Add(sf+".items", "required")
		}
		for ii, it := range s.Items {
			f := fmt.Sprintf("%s.items[%d]", sf, ii)
			if count++; count > maxItems {
				ve.Add(f, "too_many", "max", maxItems)
				break
			}
			sec.Items = append(sec.Items, checkItem(ve, f, it, seen))
		}
		t.Sections[si] = sec
	}
}

// checkItem validates one item; seen maps keys already used to their field.
func checkItem(ve *models.ValidationError, f string, in ItemInput, seen map[string]string) models.ChecklistItem {
	it := models.ChecklistItem{
		Key:            strings.TrimSpace(in.Key),
		Text:           checkText(ve, f+".text", in.Text, maxItemText, true),
		Guidance:       checkText(ve, f+".guidance", in.Guidance, maxGuidance, false),
		RuleRef:        strings.TrimSpace(in.RuleRef),
		Response:       in.Response,
		MaxScore:       in.MaxScore,
		PassScore:      in.PassScore,
		Weight:         in.Weight,
		Critical:       in.Critical,
		EvidenceOnFail: in.EvidenceOnFail,
		Required:       in.Required,
	}
	switch {
	case it.Key == "":
		ve.Add(f+".key", "required")
	case !itemKeyRE.MatchString(it.Key):
		ve.Add(f+".key", "invalid_item_key")
	case seen[it.Key] != "":
		ve.Add(f+".key", "duplicate_in_template", "other", seen[it.Key])
	default:
		seen[it.Key] = f
	}
	if it.RuleRef != "" && !ruleRefRE.MatchString(it.RuleRef) {
		ve.Add(f+".rule_ref", "invalid_rule_ref")
	}
	switch it.Response {
	case models.ResponsePassFail:
		// A pass/fail item scores 1 or 0; other numbers would mean nothing.
		if it.MaxScore != 0 && it.MaxScore != 1 {
			ve.Add(f+".max_score", "must_be_empty")
		}
		if it.PassScore != 0 {
			ve.Add(f+".pass_score", "must_be_empty")
		}
		it.MaxScore, it.PassScore = 1, 0
	case models.ResponseScore:
		if it.MaxScore < 1 || it.MaxScore > maxItemScore {
			ve.Add(f+".max_score", "out_of_range", "min", 1, "max", maxItemScore)
		} else if it.PassScore < 0 || it.PassScore > it.MaxScore {
			ve.Add(f+".pass_score", "out_of_range", "min", 0, "max", it.MaxScore)
		}
	case "":
		ve.Add(f+".response", "required")
	default:
		ve.Add(f+".response", "invalid_choice")
	}
	if it.Weight < 0 || it.Weight > maxWeight {
		ve.Add(f+".weight", "out_of_range", "min", 0, "max", maxWeight)
	}
	return it
}

// canEdit refuses template writes to a caller who does not see the whole province:
// templates are province-wide, so a city's inspector reads them but does not write them.
func canEdit(scope models.Scope) error {
	if !scope.All {
		return models.ErrForbidden
	}
	return nil
}

// CreateTemplate stores a new checklist as version 1, a draft. A code that already has
// versions is a conflict: its next version is made by editing a published one.
func (s *Service) CreateTemplate(ctx context.Context, actor models.Actor, scope models.Scope, in TemplateInput) (*models.ChecklistTemplate, error) {
	if err := canEdit(scope); err != nil {
		return nil, err
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	t := &models.ChecklistTemplate{Code: strings.ToUpper(strings.TrimSpace(in.Code)), Version: 1, Status: models.TemplateDraft}
	ve := &models.ValidationError{}
	switch {
	case t.Code == "":
		ve.Add("code", "required")
	case !templateCodeRE.MatchString(t.Code):
		ve.Add("code", "invalid_code")
	}
	checkTemplate(ve, in, pol.PassMark, t)
	if err := ve.Err(); err != nil {
		return nil, err
	}
	if actor.UserID != 0 {
		t.CreatedBy = &actor.UserID
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		have, err := models.LockTemplateVersions(tx, t.Code)
		if err != nil {
			return err
		}
		if len(have) > 0 {
			return errTemplateCodeTaken
		}
		if err := models.CreateTemplate(tx, t); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "checklist_template", t.ID, templateSummary(t))
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

func templateSummary(t *models.ChecklistTemplate) map[string]any {
	return map[string]any{"code": t.Code, "version": t.Version, "title": t.Title, "items": len(t.Items()), "pass_mark": t.PassMark}
}

// EditTemplate writes in into template id: a draft changes in place (created false);
// a published or retired version never changes, so its content becomes the next
// version of the code, a new draft (created true). When a newer draft of the code
// exists already, that draft is the one to edit (a conflict naming it).
func (s *Service) EditTemplate(ctx context.Context, actor models.Actor, scope models.Scope, id uint, in TemplateInput) (*models.ChecklistTemplate, bool, error) {
	if err := canEdit(scope); err != nil {
		return nil, false, err
	}
	old, err := models.GetTemplate(ctx, s.DB, id)
	if err != nil {
		return nil, false, err
	}
	t := &models.ChecklistTemplate{ID: old.ID, Code: old.Code, Version: old.Version, Status: old.Status, CreatedBy: old.CreatedBy, CreatedAt: old.CreatedAt}
	ve := &models.ValidationError{}
	checkTemplate(ve, in, old.PassMark, t)
	if err := ve.Err(); err != nil {
		return nil, false, err
	}
	now := s.Now().UTC()
	created := false
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		versions, err := models.LockTemplateVersions(tx, old.Code)
		if err != nil {
			return err
		}
		if old.Status == models.TemplateDraft {
			if err := models.SaveDraftTemplate(tx, t, now); err != nil {
				if errors.Is(err, models.ErrStale) {
					return errTemplateNotDraft // published by a parallel request
				}
				return err
			}
			return models.Audit(tx, actor, "update", "checklist_template", t.ID, map[string]any{"changes": models.Diff(map[string][2]any{
				"title": {old.Title, t.Title}, "pass_mark": {old.PassMark, t.PassMark}, "items": {len(old.Items()), len(t.Items())}}),
				"sections_changed": !sameSections(old.Sections, t.Sections)})
		}
		if slices.ContainsFunc(versions, func(v models.ChecklistTemplate) bool { return v.Status == models.TemplateDraft }) {
			return errTemplateDraftExists
		}
		t.ID, t.Version, t.Status, t.PublishedAt, t.RetiredAt = 0, versions[0].Version+1, models.TemplateDraft, nil, nil
		t.CreatedAt, t.CreatedBy = time.Time{}, nil // a new version is made now, by the caller
		if actor.UserID != 0 {
			t.CreatedBy = &actor.UserID
		}
		if err := models.CreateTemplate(tx, t); err != nil {
			return err
		}
		created = true
		sum := templateSummary(t)
		sum["from_version"] = old.Version
		return models.Audit(tx, actor, "new_version", "checklist_template", t.ID, sum)
	})
	if err != nil {
		return nil, false, err
	}
	return t, created, nil
}

func sameSections(a, b models.JSONList[models.ChecklistSection]) bool {
	va, _ := a.Value()
	vb, _ := b.Value()
	return va == vb
}

// PublishTemplate publishes draft id and retires the version of its code published
// before, so a code has one published version. Publishing the published version again
// changes nothing (a retried request); a retired version stays retired.
func (s *Service) PublishTemplate(ctx context.Context, actor models.Actor, scope models.Scope, id uint) (*models.ChecklistTemplate, error) {
	if err := canEdit(scope); err != nil {
		return nil, err
	}
	t, err := models.GetTemplate(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	switch t.Status {
	case models.TemplatePublished:
		return t, nil
	case models.TemplateRetired:
		return nil, errTemplateRetired
	}
	now := s.Now().UTC()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		versions, err := models.LockTemplateVersions(tx, t.Code)
		if err != nil {
			return err
		}
		var retired []int
		for _, v := range versions {
			if v.Status == models.TemplatePublished {
				if err := models.SetTemplateStatus(tx, v.ID, models.TemplatePublished, models.TemplateRetired, now); err != nil {
					return err
				}
				retired = append(retired, v.Version)
			}
		}
		if err := models.SetTemplateStatus(tx, t.ID, models.TemplateDraft, models.TemplatePublished, now); err != nil {
			if errors.Is(err, models.ErrStale) {
				return errTemplateNotDraft
			}
			return err
		}
		return models.Audit(tx, actor, "publish", "checklist_template", t.ID,
			map[string]any{"code": t.Code, "version": t.Version, "retired_versions": retired})
	})
	if err != nil {
		return nil, err
	}
	return models.GetTemplate(ctx, s.DB, id)
}

// RetireTemplate retires a published version: no new inspection starts with it, and
// every inspection made with it keeps its snapshot and score. Retiring it again
// changes nothing; a draft is not retired (it was never used).
func (s *Service) RetireTemplate(ctx context.Context, actor models.Actor, scope models.Scope, id uint) (*models.ChecklistTemplate, error) {
	if err := canEdit(scope); err != nil {
		return nil, err
	}
	t, err := models.GetTemplate(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	switch t.Status {
	case models.TemplateRetired:
		return t, nil
	case models.TemplateDraft:
		return nil, errTemplateNotPublished
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.SetTemplateStatus(tx, t.ID, models.TemplatePublished, models.TemplateRetired, s.Now().UTC()); err != nil {
			if errors.Is(err, models.ErrStale) {
				return errTemplateNotPublished
			}
			return err
		}
		return models.Audit(tx, actor, "retire", "checklist_template", t.ID, map[string]any{"code": t.Code, "version": t.Version})
	})
	if err != nil {
		return nil, err
	}
	return models.GetTemplate(ctx, s.DB, id)
}

// visibleStatuses are the template statuses a caller sees: editors (who may write
// templates, province-wide) every version, drafts included; other staff the published
// and retired ones.
func visibleStatuses(editor bool) []string {
	if editor {
		return nil
	}
	return []string{models.TemplatePublished, models.TemplateRetired}
}

// ListTemplates lists the template versions the caller sees.
func (s *Service) ListTemplates(ctx context.Context, editor bool, f models.TemplateFilter) (models.List[models.ChecklistTemplate], error) {
	f.Statuses = visibleStatuses(editor)
	return models.ListTemplates(ctx, s.DB, f)
}

// GetTemplate loads a version the caller sees; a draft is not found for others.
func (s *Service) GetTemplate(ctx context.Context, editor bool, id uint) (*models.ChecklistTemplate, error) {
	t, err := models.GetTemplate(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if vs := visibleStatuses(editor); vs != nil && !slices.Contains(vs, t.Status) {
		return nil, fmt.Errorf("checklist template %d: %w", id, models.ErrNotFound)
	}
	return t, nil
}
