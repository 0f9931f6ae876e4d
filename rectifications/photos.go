package rectifications

import (
	"context"
	"io"

	"gorm.io/gorm"

	"quality/models"
)

// AddPhoto stores one evidence photo of an open rectification, uploaded by a manager of
// the assignee branch; the size limit is Policy.PhotoMaxBytes and the type is sniffed
// from the content by the photo store. The file is in the store before its row is written,
// and the row and its audit event are one transaction.
func (s *Service) AddPhoto(ctx context.Context, c Caller, id uint, r io.Reader) (*models.Photo, error) {
	rect, err := models.GetRectification(ctx, s.DB, c.Scope, id)
	if err != nil {
		return nil, err
	}
	if !covers(c.User, rect.AssigneeUnit.Path, models.RoleManager) {
		return nil, forbidden("evidence comes from a manager of the assignee branch", id)
	}
	// Evidence changes only while the branch holds the rectification: a photo added
	// after submission would change what the verifier is judging.
	if rect.Status != models.RectOpen {
		return nil, ErrNotOpen
	}
	pol, err := s.Policy.Load(ctx)
	if err != nil {
		return nil, err
	}
	f, err := s.Photos.Put(ctx, r, pol.PhotoMaxBytes)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	p := &models.Photo{SHA256: f.SHA256, Size: f.Size, MIME: f.MIME, Width: f.Width, Height: f.Height,
		RectificationID: &rect.ID, OrgUnitID: rect.OrgUnitID, UploadedBy: c.User.ID, CreatedAt: now}
	err = s.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		// Again under the row's lock: the evidence may have been submitted while the
		// upload was arriving; a submission writes the same row, so the two queue.
		status, err := models.LockRectificationStatus(tx, rect.ID)
		if err != nil {
			return err
		}
		if status != models.RectOpen {
			return ErrNotOpen
		}
		if err := models.InsertRectificationPhoto(tx, p); err != nil {
			return err
		}
		return models.Audit(tx, c.Actor, "add_photo", "rectification", rect.ID,
			map[string]any{"photo_id": p.ID, "sha256": p.SHA256, "size": p.Size})
	})
	if err != nil {
		return nil, err
	}
	return p, nil
}

// OpenPhoto opens evidence photo photoID of rectification id, if the rectification is
// in scope; the caller closes the file.
func (s *Service) OpenPhoto(ctx context.Context, scope models.Scope, id, photoID uint) (*models.Photo, io.ReadCloser, error) {
	if _, err := models.GetRectification(ctx, s.DB, scope, id); err != nil {
		return nil, nil, err
	}
	p, err := models.GetRectificationPhoto(ctx, s.DB, id, photoID)
	if err != nil {
		return nil, nil, err
	}
	f, err := s.Photos.Open(ctx, p.SHA256)
	if err != nil {
		return nil, nil, err
	}
	return p, f, nil
}
