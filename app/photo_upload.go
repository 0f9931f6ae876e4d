package app

import (
	"fmt"
	"mime/multipart"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

// The one way a photo comes in, for the API and the pages, inspections and
// rectifications alike: the request's declared length is checked against the policy's
// photo limit before the form is parsed (so a huge body is never read into memory, under
// the app-wide Config.BodyLimit that stays the hard cap), then the field must hold a
// file no larger than the limit. The photo store checks its content.

// photoOverhead is what a multipart form adds around one photo (boundaries, headers,
// captured_at).
const photoOverhead = 64 << 10

// uploadedPhoto opens the photo of the form's field. A request over the limit is 413 on
// the API and, on a page (onPage), a too_large refusal beside the file field, so the
// page can show it with what was typed; no file is 422 required. The caller closes it.
func (s *server) uploadedPhoto(c *fiber.Ctx, field string, onPage bool) (multipart.File, error) {
	pol, err := s.policy.Load(c.UserContext())
	if err != nil {
		return nil, err
	}
	if int64(c.Request().Header.ContentLength()) > pol.PhotoMaxBytes+photoOverhead {
		if onPage {
			return nil, photoRefusal("too_large")
		}
		return nil, fiber.ErrRequestEntityTooLarge
	}
	fh, err := c.FormFile(field)
	if err != nil {
		return nil, photoRefusal("required")
	}
	return openPhoto(fh, pol.PhotoMaxBytes)
}

// openPhoto opens an uploaded photo of at most limit bytes.
func openPhoto(fh *multipart.FileHeader, limit int64) (multipart.File, error) {
	if fh.Size > limit {
		return nil, photoRefusal("too_large")
	}
	f, err := fh.Open()
	if err != nil {
		return nil, fmt.Errorf("open upload: %w", err)
	}
	return f, nil
}

// photoRefusal is a refusal of the photo, on the field the forms and the API call file.
func photoRefusal(code string) error {
	return &models.ValidationError{Fields: []models.FieldError{{Field: "file", Code: code}}}
}
