package app

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/inspections"
	"quality/models"
)

// inspectionPageData is the fill (or read) page of one inspection.
type inspectionPageData struct {
	View     *inspections.InspectionView
	Sections []itemSection
	// Rects maps a finding to its rectification, for the links of a submitted one.
	Rects    map[uint]uint
	CanWrite bool
	// CanReopen: a submitted inspection, the caller's own or any for an admin.
	CanReopen bool
	// CanVoid and CanFollowUp show the forms and links on the findings.
	CanVoid, CanFollowUp bool
	Notice               string
	Errors               *pageErrors
	// Answered and Total are the progress line: items whose fields hold an answer.
	Answered, Total int
	// Confirmation is the name typed in the submit box of a refused post.
	Confirmation string
}

// itemSection is one section of the checklist with its items, in order.
type itemSection struct {
	Title string
	Items []itemRow
}

// itemRow is one item of the page: as stored, and what its fields hold.
type itemRow struct {
	inspections.ItemView
	Form itemForm
	// Stale: the typed answer in Form was refused because the item was saved meanwhile;
	// the stored answer (ItemView) is that newer one.
	Stale bool
}

// sections groups items by their section, in the items' order, with their fields as
// stored or, from a refused post p, as typed.
func sections(items []inspections.ItemView, p *fillPost) []itemSection {
	var out []itemSection
	for _, it := range items {
		if len(out) == 0 || out[len(out)-1].Title != it.Section {
			out = append(out, itemSection{Title: it.Section})
		}
		row := itemRow{ItemView: it, Form: shownForm(&it.InspectionItem)}
		if f, ok := p.typedOf(it.Key); ok {
			row.Form, row.Stale = f, p.stale[it.Key]
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, row)
	}
	return out
}

// typedOf is what was typed on item key of a refused post, if anything.
func (p *fillPost) typedOf(key string) (itemForm, bool) {
	if p == nil {
		return itemForm{}, false
	}
	f, ok := p.typed[key]
	return f, ok
}

func (s *server) inspectionPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	msg, err := s.doneNotice(c, inspectionNotices, "supervisionweb.done_")
	if err != nil {
		return err
	}
	return s.renderInspection(c, fiber.StatusOK, id, msg, nil)
}

// renderInspection shows inspection id with status, a notice and a refusal's messages.
func (s *server) renderInspection(c *fiber.Ctx, status int, id uint, notice string, pe *pageErrors) error {
	return s.renderFill(c, status, id, notice, &fillPost{errs: pe})
}

// renderFill shows inspection id with status, a notice and a post's refusals with what
// was typed on the refused items.
func (s *server) renderFill(c *fiber.Ctx, status int, id uint, notice string, p *fillPost) error {
	ctx := c.UserContext()
	v, err := s.inspectionService().View(ctx, scopeOf(c), id)
	if err != nil {
		return err
	}
	u := currentUser(c)
	d := inspectionPageData{View: v, Sections: sections(v.Items, p), Rects: map[uint]uint{}, Notice: notice, Errors: p.errs,
		CanWrite:     v.Status == models.InspectionDraft && v.InspectorID == u.ID && accounts.HasRole(u, inspectionWriters...),
		Confirmation: p.confirmation, Total: len(v.Items)}
	for _, sec := range d.Sections {
		for _, it := range sec.Items {
			if it.Form.Outcome != "" {
				d.Answered++
			}
		}
	}
	if v.Status == models.InspectionSubmitted && accounts.HasRole(u, inspectionWriters...) {
		d.CanReopen = v.InspectorID == u.ID || accounts.HasRole(u, models.RoleAdmin)
		d.CanVoid, d.CanFollowUp = true, true
	}
	for _, f := range v.Findings {
		r, err := models.RectificationOf(ctx, s.db, f.ID)
		if errors.Is(err, models.ErrNotFound) {
			continue
		}
		if err != nil {
			return err
		}
		d.Rects[f.ID] = r.ID
	}
	return s.render(c, status, "inspection", "supervisionweb.inspection", d)
}

// itemTarget reads :id and :key of an item's form.
func itemTarget(c *fiber.Ctx) (uint, string, error) {
	id, err := pathID(c)
	if err != nil {
		return 0, "", err
	}
	key, err := itemKey(c)
	return id, key, err
}

// itemAnchor is the page of inspection id with a notice, scrolled to item key.
func itemAnchor(id uint, notice, key string) string {
	return fmt.Sprintf("/inspections/%d?done=%s#item-%s", id, notice, key)
}

func (s *server) saveItemForm(c *fiber.Ctx) error {
	id, key, err := itemTarget(c)
	if err != nil {
		return err
	}
	ve := &models.ValidationError{}
	in := inspections.SaveItemInput{Outcome: strings.Clone(c.FormValue("outcome")), Note: strings.Clone(c.FormValue("note"))}
	if v := strings.TrimSpace(c.FormValue("rev")); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			ve.Add("rev", "invalid")
		}
		in.Rev = &n
	}
	// The points box stays on the page whatever is chosen: it counts only with a score.
	if v := strings.TrimSpace(c.FormValue("points")); v != "" && (in.Outcome == models.OutcomePass || in.Outcome == models.OutcomeFail) {
		n, err := strconv.Atoi(v)
		if err != nil {
			ve.Add("points", "invalid")
		}
		in.Points = &n
	}
	err = ve.Err()
	if err == nil {
		_, err = s.inspectionService().SaveItem(c.UserContext(), actorOf(c), scopeOf(c), id, key, in)
	}
	if status, pe, ok := s.formRefusal(c, err, key); ok {
		// A stale rev (409) shows the answer someone else saved: the page is reloaded.
		return s.renderInspection(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	return c.Redirect(itemAnchor(id, "saved", key), fiber.StatusSeeOther)
}

func (s *server) itemPhotoForm(c *fiber.Ctx) error {
	id, key, err := itemTarget(c)
	if err != nil {
		return err
	}
	err = s.storeItemPhoto(c, id, key)
	if status, pe, ok := s.formRefusal(c, err, key); ok {
		return s.renderInspection(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	return c.Redirect(itemAnchor(id, "photo", key), fiber.StatusSeeOther)
}

// storeItemPhoto stores the form's photo of item key (uploadedPhoto).
func (s *server) storeItemPhoto(c *fiber.Ctx, id uint, key string) error {
	f, err := s.uploadedPhoto(c, "file", true)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.inspectionService().AddPhoto(c.UserContext(), actorOf(c), scopeOf(c), id, key, f, nil)
	return err
}

// submitInspectionForm is 确认提交. It is a button of the one form, so the post holds
// every answer on the page: what is changed (and any chosen photo) is saved first, as
// 保存全部 does, and a refused answer stops the submit with the page as typed.
func (s *server) submitInspectionForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.saveFillForm(c, id)
	if err == nil && !p.refused() {
		in := inspections.SubmitInput{Confirmation: p.confirmation}
		_, err = s.inspectionService().Submit(c.UserContext(), actorOf(c), scopeOf(c), id, in)
		if status, pe, ok := s.formRefusal(c, err, ""); ok {
			p.errs, p.status, err = pe, status, nil
		}
	}
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderInspection(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	if p.refused() {
		return s.renderFill(c, p.status, id, "", p)
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d?done=submitted", id), fiber.StatusSeeOther)
}
