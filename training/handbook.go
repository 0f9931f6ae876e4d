package training

import (
	"context"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"gorm.io/gorm"

	"quality/models"
)

// VersionInput creates a handbook draft or, in an update, replaces its number, title and body.
type VersionInput struct {
	Version string `json:"version"` // "major.minor", e.g. "2.0"
	Title   string `json:"title"`
	Body    string `json:"body"` // Markdown
}

// AckInput names the version the employee read; it must still be the current one.
type AckInput struct {
	VersionID uint `json:"version_id"`
}

// HandbookView is the current handbook as one caller sees it.
type HandbookView struct {
	Version models.HandbookVersion `json:"version"`
	// Acknowledgement is the caller's acknowledgement of this exact version, if any.
	Acknowledgement *models.Acknowledgement `json:"acknowledgement"`
	// Pending says the caller's employee has not acknowledged this major version yet.
	Pending bool `json:"pending"`
}

// Limits of a version's text.
const (
	maxTitle        = 200
	maxHandbookBody = 100_000
	maxUserAgent    = 255
)

// versionRE is a canonical "major.minor" (no leading zeros), so equal numbers are equal strings.
var versionRE = regexp.MustCompile(`^([1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,3})$`)

// Refusals, each a 409 naming why.
var (
	errVersionPublished     = &models.ConflictError{Field: "id", Code: "version_published"}
	errVersionNotIncreasing = &models.ConflictError{Field: "version", Code: "version_not_increasing"}
	errVersionNotCurrent    = &models.ConflictError{Field: "version_id", Code: "version_not_current"}
	errHandbookNoEmployee   = &models.ConflictError{Field: "user", Code: "handbook_no_employee"}
)

// checkVersion normalises and validates in into v's fields.
func checkVersion(ve *models.ValidationError, in VersionInput, v *models.HandbookVersion) {
	v.Version = strings.TrimSpace(in.Version)
	v.Title = strings.TrimSpace(in.Title)
	v.Body = strings.TrimSpace(in.Body)
	if m := versionRE.FindStringSubmatch(v.Version); m != nil {
		v.Major, _ = strconv.Atoi(m[1])
		v.Minor, _ = strconv.Atoi(m[2])
	} else if v.Version == "" {
		ve.Add("version", "required")
	} else {
		ve.Add("version", "invalid_version")
	}
	switch n := utf8.RuneCountInString(v.Title); {
	case n == 0:
		ve.Add("title", "required")
	case n > maxTitle:
		ve.Add("title", "too_long", "max", maxTitle)
	}
	switch n := utf8.RuneCountInString(v.Body); {
	case n == 0:
		ve.Add("body", "required")
	case n > maxHandbookBody:
		ve.Add("body", "too_long", "max", maxHandbookBody)
	}
}

// numberedAfter reports whether version a is numbered above b.
func numberedAfter(a, b *models.HandbookVersion) bool {
	return a.Major > b.Major || (a.Major == b.Major && a.Minor > b.Minor)
}

// checkIncreasing adds a field error when v is not numbered above the latest published version.
func (s *Service) checkIncreasing(ctx context.Context, ve *models.ValidationError, v *models.HandbookVersion) error {
	if v.Major == 0 {
		return nil // the number itself is already invalid
	}
	latest, err := models.LatestPublishedHandbook(s.DB.WithContext(ctx))
	if err != nil {
		return err
	}
	if latest != nil && !numberedAfter(v, latest) {
		ve.Add("version", "version_not_increasing", "latest", latest.Version)
	}
	return nil
}

// CreateDraft validates in and stores a new draft version. Its number must lie above the
// latest published version's; publishing checks that again.
func (s *Service) CreateDraft(ctx context.Context, actor models.Actor, in VersionInput) (*models.HandbookVersion, error) {
	v := &models.HandbookVersion{Status: models.HandbookDraft}
	ve := &models.ValidationError{}
	checkVersion(ve, in, v)
	if err := s.checkIncreasing(ctx, ve, v); err != nil {
		return nil, err
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err := s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, v); err != nil {
			return models.Translate(err, "version")
		}
		return models.Audit(tx, actor, "create", "handbook_version", v.ID,
			map[string]any{"version": v.Version, "title": v.Title, "body_chars": utf8.RuneCountInString(v.Body)})
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// UpdateDraft replaces a draft's number, title and body; a published version is
// immutable (a conflict): changes go into a new version.
func (s *Service) UpdateDraft(ctx context.Context, actor models.Actor, id uint, in VersionInput) (*models.HandbookVersion, error) {
	v, err := models.GetHandbookVersion(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if v.Status != models.HandbookDraft {
		return nil, errVersionPublished
	}
	before := *v
	ve := &models.ValidationError{}
	checkVersion(ve, in, v)
	if err := s.checkIncreasing(ctx, ve, v); err != nil {
		return nil, err
	}
	if err := ve.Err(); err != nil {
		return nil, err
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// The status condition loses a race against a publish safely.
		if err := models.UpdateDraftHandbook(tx, v); errors.Is(err, models.ErrStale) {
			return errVersionPublished
		} else if err != nil {
			return models.Translate(err, "version")
		}
		summary := map[string]any{"changes": models.Diff(map[string][2]any{
			"version": {before.Version, v.Version}, "title": {before.Title, v.Title}}),
			"body_changed": before.Body != v.Body}
		return models.Audit(tx, actor, "update", "handbook_version", v.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return v, nil
}

// Publish makes a draft the published, current version. Its number must lie above every
// published version's. Publishing the version that is already current changes nothing.
func (s *Service) Publish(ctx context.Context, actor models.Actor, id uint) (*models.HandbookVersion, error) {
	v, err := models.GetHandbookVersion(ctx, s.DB, id)
	if err != nil {
		return nil, err
	}
	if v.Status == models.HandbookPublished {
		if v.Current {
			return v, nil // a retried publish
		}
		return nil, errVersionPublished
	}
	now := s.Now().UTC()
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Unset the current version first: on MySQL that locks it, so a parallel publish
		// waits here and then sees this one in its check.
		if err := models.UnsetCurrentHandbook(tx); err != nil {
			return err
		}
		latest, err := models.LatestPublishedHandbook(tx)
		if err != nil {
			return err
		}
		if latest != nil && !numberedAfter(v, latest) {
			return errVersionNotIncreasing
		}
		if err := models.PublishHandbookVersion(tx, v.ID, now); err != nil {
			var ce *models.ConflictError
			if errors.Is(err, models.ErrConflict) && !errors.As(err, &ce) {
				return errVersionPublished // published by a parallel request
			}
			return err
		}
		summary := map[string]any{"version": v.Version, "major_change": latest == nil || v.Major > latest.Major}
		return models.Audit(tx, actor, "publish", "handbook_version", v.ID, summary)
	})
	if err != nil {
		return nil, err
	}
	return models.GetHandbookVersion(ctx, s.DB, id)
}

// Current returns the current version as the user linked to employeeID (nil: none) sees it.
func (s *Service) Current(ctx context.Context, employeeID *uint) (*HandbookView, error) {
	v, err := models.CurrentHandbook(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	view := &HandbookView{Version: *v}
	if employeeID == nil {
		return view, nil
	}
	ack, err := models.GetAcknowledgement(ctx, s.DB, *employeeID, v.ID)
	switch {
	case err == nil:
		view.Acknowledgement = ack
	case !errors.Is(err, models.ErrNotFound):
		return nil, err
	}
	covered, err := models.HasAcknowledgedMajor(ctx, s.DB, *employeeID, v.Major)
	if err != nil {
		return nil, err
	}
	view.Pending = !covered
	return view, nil
}

// Acknowledge records that the employee linked to the caller (employeeID; nil: none)
// read and accepts the current version, which in must name: an employee never accepts
// a text they were not shown. It is idempotent: a second call returns the first
// acknowledgement (created false) and writes nothing, no audit event either.
func (s *Service) Acknowledge(ctx context.Context, actor models.Actor, employeeID *uint, in AckInput, userAgent string) (*models.Acknowledgement, bool, error) {
	if employeeID == nil {
		return nil, false, errHandbookNoEmployee
	}
	if in.VersionID == 0 {
		return nil, false, &models.ValidationError{Fields: []models.FieldError{{Field: "version_id", Code: "required"}}}
	}
	v, err := models.GetHandbookVersion(ctx, s.DB, in.VersionID)
	switch {
	case errors.Is(err, models.ErrNotFound) || (err == nil && v.Status != models.HandbookPublished):
		return nil, false, &models.ValidationError{Fields: []models.FieldError{{Field: "version_id", Code: "not_found"}}}
	case err != nil:
		return nil, false, err
	case !v.Current:
		return nil, false, errVersionNotCurrent
	}
	if a, err := models.GetAcknowledgement(ctx, s.DB, *employeeID, v.ID); err == nil {
		return a, false, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, false, err
	}
	a := &models.Acknowledgement{EmployeeID: *employeeID, VersionID: v.ID, At: s.Now().UTC(),
		IP: clipRunes(actor.IP, 64), UserAgent: clipRunes(strings.ToValidUTF8(userAgent, "?"), maxUserAgent)}
	if actor.UserID != 0 {
		uid := actor.UserID
		a.UserID = &uid
	}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.Insert(tx, a); err != nil {
			return models.Translate(err, "version_id")
		}
		return models.Audit(tx, actor, "acknowledge", "acknowledgement", a.ID,
			map[string]any{"employee_id": a.EmployeeID, "version_id": v.ID, "version": v.Version})
	})
	if errors.Is(err, models.ErrConflict) {
		// A parallel request won: its row (and its audit event) is the one.
		first, gerr := models.GetAcknowledgement(ctx, s.DB, *employeeID, v.ID)
		if gerr != nil {
			return nil, false, gerr
		}
		return first, false, nil
	}
	if err != nil {
		return nil, false, err
	}
	return a, true, nil
}

// clipRunes cuts s to at most n runes.
func clipRunes(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
