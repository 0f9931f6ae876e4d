package app

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/models"
	"quality/rectifications"
)

// rectNotices are the outcomes a redirect back to a rectification may announce.
var rectNotices = []string{"photo", "submit", "verify", "reject", "waive"}

func (s *server) rectificationsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := rectifications.Filter{Status: q.choice("status", models.RectificationStatuses), Overdue: q.bool("overdue"), Page: q.page(),
		From: rectDate(q, "from"), To: rectDate(q, "to")}
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = supervisionPerPage
	// The days of the created period, both included, as the export takes them.
	filters := url.Values{}
	if f.Status != "" {
		filters.Set("status", f.Status)
	}
	if f.Overdue {
		filters.Set("overdue", "true")
	}
	if !f.From.IsZero() {
		filters.Set("from", f.From.String())
	}
	if !f.To.IsZero() {
		filters.Set("to", f.To.String())
	}
	list, err := s.rectService().List(c.UserContext(), scopeOf(c), f)
	if err != nil {
		return err
	}
	page := f.Page.Normalize()
	return s.render(c, fiber.StatusOK, "rectifications", "supervisionweb.rectifications", fiber.Map{
		"List": list, "Filter": f, "Statuses": models.RectificationStatuses, "Page": page.Page,
		"HasNext": int64(page.Page*page.PerPage) < list.Total, "From": dateText(f.From), "To": dateText(f.To),
		"Export": listURL("/api/v1/rectifications.xlsx", filters, 0),
		"Prev":   listURL("/rectifications", filters, page.Page-1), "Next": listURL("/rectifications", filters, page.Page+1),
	})
}

// rectPageData is one rectification's page. Which forms show follows the status and
// the caller's roles only; who exactly may act is the service's rule, which refuses the
// others (403).
type rectPageData struct {
	Detail *rectifications.Detail
	// FindingPhotos are the photos the inspector took of the failed item.
	FindingPhotos []uint
	CanAnswer     bool
	CanJudge      bool
	// Typed is what a refused form held, by "action.field" (submit.text, reject.reason…),
	// given back in that form.
	Typed  map[string]string
	Notice string
	Errors *pageErrors
}

func (s *server) rectificationPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	msg, err := s.doneNotice(c, rectNotices, "supervisionweb.rect_done_")
	if err != nil {
		return err
	}
	return s.renderRectification(c, fiber.StatusOK, id, msg, nil, nil)
}

// renderRectification shows rectification id with status, a notice, and a refusal with
// what its form held.
func (s *server) renderRectification(c *fiber.Ctx, status int, id uint, notice string, pe *pageErrors, typed map[string]string) error {
	ctx := c.UserContext()
	d, err := s.rectService().Get(ctx, scopeOf(c), id)
	if err != nil {
		return err
	}
	u, err := s.userWithGrants(c)
	if err != nil {
		return err
	}
	data := rectPageData{Detail: d, Notice: notice, Errors: pe, Typed: typed,
		CanAnswer: d.Status == models.RectOpen && accounts.HasRole(u, rectAnswerers...),
		CanJudge:  (d.Status == models.RectOpen || d.Status == models.RectSubmitted) && accounts.HasRole(u, rectJudges...)}
	if d.Finding != nil {
		photos, err := models.PhotoIDsOfInspection(ctx, s.db, d.Finding.InspectionID)
		if err != nil {
			return err
		}
		data.FindingPhotos = photos[d.Finding.InspectionItemID]
	}
	return s.render(c, status, "rectification", "supervisionweb.rectification", data)
}

// rectAnswer ends a rectification form: a refusal is shown on the page with what the
// form held, success goes back to it with a notice.
func (s *server) rectAnswer(c *fiber.Ctx, id uint, notice string, err error) error {
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		typed := map[string]string{}
		for _, field := range []string{"text", "note", "reason"} {
			typed[notice+"."+field] = c.FormValue(field)
		}
		return s.renderRectification(c, status, id, "", pe, typed)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/rectifications/%d?done=%s", id, notice), fiber.StatusSeeOther)
}

// formRevision reads the hidden revision field; anything but a number is 0, which the
// service refuses as missing.
func formRevision(c *fiber.Ctx) int {
	n, _ := strconv.Atoi(strings.TrimSpace(c.FormValue("revision")))
	return n
}

// rectPhotoForm uploads an evidence photo. The page sends it from the evidence form, so
// what was typed there comes back with the page instead of being lost to a redirect.
func (s *server) rectPhotoForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	err = s.storeRectPhoto(c, id)
	if text := c.FormValue("text"); err == nil && text != "" {
		msg := s.msgs.T(language(c), "supervisionweb.rect_done_photo", nil)
		return s.renderRectification(c, fiber.StatusOK, id, msg, nil, map[string]string{"submit.text": strings.Clone(text)})
	}
	return s.rectAnswer(c, id, "photo", err)
}

// chosenPhoto says whether the form carries a file in its photo field.
func chosenPhoto(c *fiber.Ctx) bool {
	fh, err := c.FormFile("file")
	return err == nil && fh.Size > 0
}

// storeRectPhoto stores the form's evidence photo under the policy's size limit.
func (s *server) storeRectPhoto(c *fiber.Ctx, id uint) error {
	who, err := s.rectCaller(c)
	if err != nil {
		return err
	}
	f, err := s.uploadedPhoto(c, "file", true)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.rectService().AddPhoto(c.UserContext(), who, id, f)
	return err
}

// rectFormMove runs one transition from a form: the caller, then move.
func (s *server) rectFormMove(c *fiber.Ctx, notice string, move func(svc *rectifications.Service, who rectifications.Caller, id uint) error) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	who, err := s.rectCaller(c)
	if err != nil {
		return err
	}
	return s.rectAnswer(c, id, notice, move(s.rectService(), who, id))
}

// rectSubmitForm submits the evidence; a photo chosen in the same form is stored first,
// so one press sends both.
func (s *server) rectSubmitForm(c *fiber.Ctx) error {
	in := rectifications.EvidenceInput{Revision: formRevision(c), Text: strings.Clone(c.FormValue("text"))}
	return s.rectFormMove(c, "submit", func(svc *rectifications.Service, who rectifications.Caller, id uint) error {
		if chosenPhoto(c) {
			if err := s.storeRectPhoto(c, id); err != nil {
				return err
			}
		}
		_, err := svc.Submit(c.UserContext(), who, id, in)
		return err
	})
}

func (s *server) rectVerifyForm(c *fiber.Ctx) error {
	in := rectifications.VerifyInput{Revision: formRevision(c), Note: strings.Clone(c.FormValue("note"))}
	return s.rectFormMove(c, "verify", func(svc *rectifications.Service, who rectifications.Caller, id uint) error {
		_, err := svc.Verify(c.UserContext(), who, id, in)
		return err
	})
}

func (s *server) rectRejectForm(c *fiber.Ctx) error {
	in := rectifications.ReasonInput{Revision: formRevision(c), Reason: strings.Clone(c.FormValue("reason"))}
	return s.rectFormMove(c, "reject", func(svc *rectifications.Service, who rectifications.Caller, id uint) error {
		_, err := svc.Reject(c.UserContext(), who, id, in)
		return err
	})
}

func (s *server) rectWaiveForm(c *fiber.Ctx) error {
	in := rectifications.ReasonInput{Revision: formRevision(c), Reason: strings.Clone(c.FormValue("reason"))}
	return s.rectFormMove(c, "waive", func(svc *rectifications.Service, who rectifications.Caller, id uint) error {
		_, err := svc.Waive(c.UserContext(), who, id, in)
		return err
	})
}
