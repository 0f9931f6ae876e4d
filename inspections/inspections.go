package inspections

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"regexp"
	"strings"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/photos"
	"quality/policy"
	"quality/rectifications"
	"quality/storage"
)

// Service runs inspections (start, answers, photos, submit, reopen) and keeps the checklist
// templates they are made with.
type Service struct {
	DB     *gorm.DB
	Photos photos.Store
	// Rects makes every move of the rectifications the inspections open, re-check and
	// void, in the inspection's transaction.
	Rects *rectifications.Service
	// Policy gives the due days, the photo limit, the distance flag and the pass mark.
	Policy *policy.Service
	// Now is the clock; Loc the zone whose calendar dates rectifications are due by.
	Now func() time.Time
	Loc *time.Location
}

// NewService returns a service on the wall clock keeping photos in files, moving
// rectifications through rects, reading the policy through pol, and counting due dates
// in loc, the company's zone.
func NewService(db *gorm.DB, files storage.Store, rects *rectifications.Service, pol *policy.Service, loc *time.Location) *Service {
	return &Service{DB: db, Photos: photos.Store{Files: files}, Rects: rects, Policy: pol, Now: time.Now, Loc: loc}
}

// StartInput starts an inspection. ClientID is made by the inspector's device, so a
// retried request returns the first record.
type StartInput struct {
	ClientID     string   `json:"client_id"`
	TemplateID   uint     `json:"template_id"`
	OrgUnitID    uint     `json:"org_unit_id"`
	PatrolStopID *uint    `json:"patrol_stop_id"`
	FollowUpOf   *uint    `json:"follow_up_of"`
	Lat          *float64 `json:"lat"`
	Lng          *float64 `json:"lng"`
}

// SaveItemInput answers one item. Rev is the item's revision the answer is based on.
type SaveItemInput struct {
	Outcome string `json:"outcome"` // pass|fail|na, or "" to clear
	Points  *int   `json:"points"`
	Note    string `json:"note"`
	Rev     *int   `json:"rev"`
}

// SubmitInput is the inspector's confirmation at submit (their name as typed).
type SubmitInput struct {
	Confirmation string `json:"confirmation"`
}

// ReasonInput gives the reason of a reopen or a void.
type ReasonInput struct {
	Reason string `json:"reason"`
}

// ItemView is one item of an inspection with its photos.
type ItemView struct {
	models.InspectionItem
	PhotoIDs []uint `json:"photo_ids"`
	// Failed says the answer is a failure (a finding at submit).
	Failed bool `json:"failed"`
}

// InspectionView is an inspection with its template's name, outlet, items and findings.
type InspectionView struct {
	models.Inspection
	TemplateCode    string           `json:"template_code"`
	TemplateVersion int              `json:"template_version"`
	TemplateTitle   string           `json:"template_title"`
	PassMark        int              `json:"pass_mark"`
	OrgUnitName     string           `json:"org_unit_name"`
	Items           []ItemView       `json:"items"`
	Findings        []models.Finding `json:"findings"`
}

const (
	maxNote         = 2000
	maxConfirmation = 200
	maxReason       = 1000
)

var clientIDRE = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`)

// Inspection refusals, each a 409 naming why.
var (
	errClientIDReused       = &models.ConflictError{Field: "client_id", Code: "idempotency_mismatch"}
	errInspectionSubmitted  = &models.ConflictError{Field: "id", Code: "inspection_submitted"}
	errInspectionNotSubmit  = &models.ConflictError{Field: "id", Code: "inspection_not_submitted"}
	errRectificationMoved   = &models.ConflictError{Field: "id", Code: "rectification_moved"}
	errRectificationEscal   = &models.ConflictError{Field: "id", Code: "rectification_escalated"}
	errFindingInCase        = &models.ConflictError{Field: "id", Code: "finding_in_case"}
	errFindingVoided        = &models.ConflictError{Field: "id", Code: "finding_voided"}
	errFindingDeleteUseVoid = &models.ConflictError{Field: "id", Code: "finding_delete_use_void"}
)

func (s *Service) now() time.Time { return s.Now().UTC() }

// requestHash is the SHA-256 of the parts of in that decide the record, so a retry
// with the same client id and another body is told apart from a true retry.
func requestHash(in StartInput) string {
	b, _ := json.Marshal([]any{in.TemplateID, in.OrgUnitID, in.PatrolStopID, in.FollowUpOf, in.Lat, in.Lng})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// earthRadiusM is the mean radius of the Earth in metres.
const earthRadiusM = 6371008.8

// DistanceMeters is the great-circle (haversine) distance between two points in
// degrees, in whole metres.
func DistanceMeters(lat1, lng1, lat2, lng2 float64) int {
	rad := math.Pi / 180
	dLat, dLng := (lat2-lat1)*rad, (lng2-lng1)*rad
	a := math.Sin(dLat/2)*math.Sin(dLat/2) + math.Cos(lat1*rad)*math.Cos(lat2*rad)*math.Sin(dLng/2)*math.Sin(dLng/2)
	return int(math.Round(2 * earthRadiusM * math.Asin(math.Min(1, math.Sqrt(a)))))
}

// Start begins an inspection of an outlet in scope with a published template, keeping a
// snapshot of every item. The same client id from the same inspector returns the first
// record (created false) and writes nothing; with a different body it is a conflict.
func (s *Service) Start(ctx context.Context, actor models.Actor, scope models.Scope, in StartInput) (*InspectionView, bool, error) {
	in.ClientID = strings.TrimSpace(in.ClientID)
	ve := &models.ValidationError{}
	switch {
	case in.ClientID == "":
		ve.Add("client_id", "required")
	case !clientIDRE.MatchString(in.ClientID):
		ve.Add("client_id", "invalid")
	}
	if err := ve.Err(); err != nil {
		return nil, false, err
	}
	hash := requestHash(in)
	if v, err := s.existing(ctx, actor, scope, in.ClientID, hash); !errors.Is(err, models.ErrNotFound) {
		return v, false, err
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, false, err
	}
	ins := &models.Inspection{ClientID: in.ClientID, RequestHash: hash, InspectorID: actor.UserID, Status: models.InspectionDraft,
		PatrolStopID: in.PatrolStopID, FollowUpOf: in.FollowUpOf, Lat: in.Lat, Lng: in.Lng, StartedAt: s.now()}
	t, outlet, err := s.checkStart(ctx, ve, actor, scope, in)
	if err != nil {
		return nil, false, err
	}
	if err := ve.Err(); err != nil {
		return nil, false, err
	}
	ins.TemplateID, ins.OrgUnitID = t.ID, outlet.ID
	if in.Lat != nil && outlet.Lat != nil && outlet.Lng != nil {
		d := DistanceMeters(*in.Lat, *in.Lng, *outlet.Lat, *outlet.Lng)
		ins.DistanceM = &d
		ins.FarFromOutlet = d > pol.FarFromOutletMeters
	}
	items := snapshot(t)
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertInspection(tx, ins, items); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "inspection", ins.ID, map[string]any{"client_id": ins.ClientID,
			"template": t.Code, "version": t.Version, "org_unit": outlet.Code, "far_from_outlet": ins.FarFromOutlet, "distance_m": ins.DistanceM})
	})
	if errors.Is(err, models.ErrConflict) {
		// A parallel request with the same client id won the insert: answer as a retry.
		v, err := s.existing(ctx, actor, scope, in.ClientID, hash)
		return v, false, err
	}
	if err != nil {
		return nil, false, err
	}
	v, err := s.View(ctx, scope, ins.ID)
	return v, true, err
}

// existing returns the inspection the actor made with clientID when the request is
// the same; ErrNotFound when there is none.
func (s *Service) existing(ctx context.Context, actor models.Actor, scope models.Scope, clientID, hash string) (*InspectionView, error) {
	ins, err := models.InspectionByClientID(ctx, s.DB, actor.UserID, clientID)
	if err != nil {
		return nil, err
	}
	if ins.RequestHash != hash {
		return nil, errClientIDReused
	}
	return s.View(ctx, scope, ins.ID)
}

// checkStart validates the references of a start, adding field errors to ve.
func (s *Service) checkStart(ctx context.Context, ve *models.ValidationError, actor models.Actor, scope models.Scope, in StartInput) (*models.ChecklistTemplate, *models.OrgUnit, error) {
	var t *models.ChecklistTemplate
	if in.TemplateID == 0 {
		ve.Add("template_id", "required")
	} else {
		var err error
		t, err = models.GetTemplate(ctx, s.DB, in.TemplateID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			ve.Add("template_id", "not_found")
		case err != nil:
			return nil, nil, err
		case t.Status != models.TemplatePublished:
			ve.Add("template_id", "template_not_published")
		}
	}
	var outlet *models.OrgUnit
	if in.OrgUnitID == 0 {
		ve.Add("org_unit_id", "required")
	} else {
		var err error
		outlet, err = models.GetOrgUnit(ctx, s.DB, scope, in.OrgUnitID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			ve.Add("org_unit_id", "not_found")
		case err != nil:
			return nil, nil, err
		case outlet.Level != models.LevelOutlet:
			ve.Add("org_unit_id", "not_outlet")
		}
	}
	switch {
	case (in.Lat == nil) != (in.Lng == nil):
		ve.Add("lat", "lat_lng_pair")
	case in.Lat != nil && (*in.Lat < -90 || *in.Lat > 90 || math.IsNaN(*in.Lat)):
		ve.Add("lat", "out_of_range", "min", -90, "max", 90)
	case in.Lng != nil && (*in.Lng < -180 || *in.Lng > 180 || math.IsNaN(*in.Lng)):
		ve.Add("lng", "out_of_range", "min", -180, "max", 180)
	}
	if in.PatrolStopID != nil {
		stop, err := models.PatrolStopByID(ctx, s.DB, *in.PatrolStopID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			ve.Add("patrol_stop_id", "not_found")
		case err != nil:
			return nil, nil, err
		case stop.Plan == nil || stop.Plan.InspectorID != actor.UserID:
			// Another inspector's plan looks like none.
			ve.Add("patrol_stop_id", "not_found")
		case outlet != nil && stop.OrgUnitID != outlet.ID:
			ve.Add("patrol_stop_id", "patrol_stop_other_outlet")
		case stop.InspectionID != nil:
			ve.Add("patrol_stop_id", "patrol_stop_done")
		}
	}
	if in.FollowUpOf != nil {
		f, err := models.GetFinding(ctx, s.DB, scope, *in.FollowUpOf)
		switch {
		case errors.Is(err, models.ErrNotFound):
			ve.Add("follow_up_of", "not_found")
		case err != nil:
			return nil, nil, err
		case outlet != nil && f.OrgUnitID != outlet.ID:
			ve.Add("follow_up_of", "follow_up_other_outlet")
		case f.VoidedAt != nil:
			ve.Add("follow_up_of", "finding_voided")
		}
	}
	return t, outlet, nil
}

// snapshot copies the template's items into inspection items, so the inspection keeps
// what it showed whatever happens to the template later.
func snapshot(t *models.ChecklistTemplate) []models.InspectionItem {
	var items []models.InspectionItem
	for _, sec := range t.Sections {
		for _, it := range sec.Items {
			items = append(items, models.InspectionItem{Key: it.Key, Position: len(items) + 1, Section: sec.Title, Text: it.Text,
				Guidance: it.Guidance, RuleRef: it.RuleRef, Response: it.Response, MaxScore: it.MaxScore, PassScore: it.PassScore,
				Weight: it.Weight, Critical: it.Critical, EvidenceOnFail: it.EvidenceOnFail, Required: it.Required})
		}
	}
	return items
}

// View loads an inspection in scope with its items, photo ids and findings.
func (s *Service) View(ctx context.Context, scope models.Scope, id uint) (*InspectionView, error) {
	ins, err := models.GetInspection(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	v := &InspectionView{Inspection: *ins}
	t, err := models.GetTemplate(ctx, s.DB, ins.TemplateID)
	if err != nil {
		return nil, err
	}
	v.TemplateCode, v.TemplateVersion, v.TemplateTitle, v.PassMark = t.Code, t.Version, t.Title, t.PassMark
	u, err := models.GetOrgUnit(ctx, s.DB, models.ScopeAll, ins.OrgUnitID)
	if err != nil {
		return nil, err
	}
	v.OrgUnitName = u.Name
	items, err := models.InspectionItemsOf(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	photos, err := models.PhotoIDsOfInspection(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	v.Items = make([]ItemView, len(items))
	for i, it := range items {
		ids := photos[it.ID]
		if ids == nil {
			ids = []uint{}
		}
		v.Items[i] = ItemView{InspectionItem: it, PhotoIDs: ids, Failed: ItemFailed(&items[i])}
	}
	v.Findings, err = models.FindingsOfInspection(ctx, s.DB, id)
	return v, err
}

// own loads an inspection in scope that the actor made: another inspector's in scope
// is forbidden, out of scope not found.
func (s *Service) own(ctx context.Context, actor models.Actor, scope models.Scope, id uint) (*models.Inspection, error) {
	ins, err := models.GetInspection(ctx, s.DB, scope, id)
	if err != nil {
		return nil, err
	}
	if ins.InspectorID != actor.UserID {
		return nil, models.ErrForbidden
	}
	return ins, nil
}

// SaveItem saves one answer of a draft inspection. in.Rev must be the item's current
// revision: an answer based on an older one is refused (ErrStale, 409), never a silent
// overwrite.
func (s *Service) SaveItem(ctx context.Context, actor models.Actor, scope models.Scope, id uint, key string, in SaveItemInput) (*models.InspectionItem, error) {
	if _, err := s.own(ctx, actor, scope, id); err != nil {
		return nil, err
	}
	var it *models.InspectionItem
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		ins, err := models.LockInspection(tx, id)
		if err != nil {
			return err
		}
		if ins.Status != models.InspectionDraft {
			return errInspectionSubmitted
		}
		if it, err = models.GetInspectionItem(ctx, tx, id, key); err != nil {
			return err
		}
		if err := checkAnswer(it, in); err != nil {
			return err
		}
		if *in.Rev != it.Rev {
			return fmt.Errorf("inspection item %s: %w", key, models.ErrStale)
		}
		before := map[string]any{"outcome": it.Outcome, "points": it.Points}
		it.Outcome, it.Points, it.Note = in.Outcome, in.Points, strings.TrimSpace(in.Note)
		if it.Response == models.ResponsePassFail && it.Outcome != models.OutcomeNA && it.Outcome != "" {
			// Pass/fail items keep the score they give: 1 or 0.
			p := 0
			if it.Outcome == models.OutcomePass {
				p = 1
			}
			it.Points = &p
		}
		it.AnsweredAt = nil
		if it.Outcome != "" {
			at := s.now()
			it.AnsweredAt = &at
		}
		if err := models.SaveInspectionItemAnswer(tx, it, *in.Rev); err != nil {
			return err
		}
		return models.Audit(tx, actor, "save_item", "inspection", id, map[string]any{"key": key, "rev": it.Rev,
			"before": before, "after": map[string]any{"outcome": it.Outcome, "points": it.Points}})
	})
	if err != nil {
		return nil, err
	}
	return it, nil
}

// ItemAnswer is one item's answer among several sent together (the fill page's one
// form): the item's key and its answer, based on the item's revision in Rev.
type ItemAnswer struct {
	Key string
	SaveItemInput
}

// SaveItems saves several answers of a draft inspection, each as SaveItem does (its own
// transaction, revision check and audit row), so a refused answer holds back none of
// the others. Refusals (invalid, stale, unknown item) come back by key; an inspection
// that is not the actor's draft, or any other error, stops the whole.
func (s *Service) SaveItems(ctx context.Context, actor models.Actor, scope models.Scope, id uint, answers []ItemAnswer) (map[string]error, error) {
	ins, err := s.own(ctx, actor, scope, id)
	if err != nil {
		return nil, err
	}
	if ins.Status != models.InspectionDraft {
		return nil, errInspectionSubmitted
	}
	refused := map[string]error{}
	for _, a := range answers {
		_, err := s.SaveItem(ctx, actor, scope, id, a.Key, a.SaveItemInput)
		var ve *models.ValidationError
		var ce *models.ConflictError
		switch {
		case err == nil:
		case errors.As(err, &ve), errors.As(err, &ce), errors.Is(err, models.ErrNotFound):
			refused[a.Key] = err
		default:
			return refused, err
		}
	}
	return refused, nil
}

// checkAnswer validates an answer against its item's response type.
func checkAnswer(it *models.InspectionItem, in SaveItemInput) error {
	ve := &models.ValidationError{}
	if in.Rev == nil {
		ve.Add("rev", "required")
	}
	if n := len([]rune(strings.TrimSpace(in.Note))); n > maxNote {
		ve.Add("note", "too_long", "max", maxNote)
	}
	switch in.Outcome {
	case models.OutcomePass, models.OutcomeFail:
		if it.Response == models.ResponseScore {
			switch {
			case in.Points == nil:
				ve.Add("points", "required")
			case *in.Points < 0 || *in.Points > it.MaxScore:
				ve.Add("points", "out_of_range", "min", 0, "max", it.MaxScore)
			}
		} else if in.Points != nil {
			ve.Add("points", "must_be_empty")
		}
	case models.OutcomeNA, "":
		if in.Points != nil {
			ve.Add("points", "must_be_empty")
		}
	default:
		ve.Add("outcome", "invalid_choice")
	}
	return ve.Err()
}

// AddPhoto stores a photo of one item of a draft inspection: the content is checked
// and written durably (photos.Store.Put) before the row is recorded, so a recorded photo
// is always in the store; a refused or failed upload records nothing and says why.
func (s *Service) AddPhoto(ctx context.Context, actor models.Actor, scope models.Scope, id uint, key string, r io.Reader, capturedAt *time.Time) (*models.Photo, error) {
	ins, err := s.own(ctx, actor, scope, id)
	if err != nil {
		return nil, err
	}
	if ins.Status != models.InspectionDraft {
		return nil, errInspectionSubmitted
	}
	it, err := models.GetInspectionItem(ctx, s.DB, id, key)
	if err != nil {
		return nil, err
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.Photos.Put(ctx, r, pol.PhotoMaxBytes)
	if err != nil {
		return nil, err
	}
	p := &models.Photo{SHA256: f.SHA256, Size: f.Size, MIME: f.MIME, Width: f.Width, Height: f.Height,
		InspectionItemID: &it.ID, OrgUnitID: ins.OrgUnitID, UploadedBy: actor.UserID}
	if capturedAt != nil {
		at := capturedAt.UTC()
		p.CapturedAt = &at
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		locked, err := models.LockInspection(tx, id)
		if err != nil {
			return err
		}
		if locked.Status != models.InspectionDraft {
			return errInspectionSubmitted
		}
		if err := models.InsertPhoto(tx, p); err != nil {
			return err
		}
		return models.Audit(tx, actor, "add_photo", "inspection", id, map[string]any{"key": key, "photo_id": p.ID,
			"sha256": p.SHA256, "size": p.Size, "mime": p.MIME})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// OpenPhoto opens the file of a photo whose unit lies in scope.
func (s *Service) OpenPhoto(ctx context.Context, scope models.Scope, id uint) (*models.Photo, io.ReadCloser, error) {
	p, err := models.GetPhoto(ctx, s.DB, scope, id)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Photos.Open(ctx, p.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return p, f, nil
}
