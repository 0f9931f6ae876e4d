package app

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"mime/multipart"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/inspections"
	"quality/models"
)

// itemForm is what one item's fields on the fill page hold: the stored answer, or what
// was typed when a refused post comes back.
type itemForm struct {
	Outcome, Points, Note string
	Rev                   int
	// Was marks the answer the page showed at Rev: a posted answer that still has this
	// mark was not touched, whatever has been stored since.
	Was string
}

// shownForm is the stored answer of it as the page's fields show it: a score item's
// radio is "pass" whether its points pass or fail, and only a score item has points.
func shownForm(it *models.InspectionItem) itemForm {
	f := itemForm{Outcome: it.Outcome, Note: normNote(it.Note), Rev: it.Rev}
	if it.Response == models.ResponseScore {
		if f.Outcome == models.OutcomeFail {
			f.Outcome = models.OutcomePass
		}
		if it.Points != nil {
			f.Points = strconv.Itoa(*it.Points)
		}
	}
	f.Was = f.mark()
	return f
}

// normNote is a note as it is compared: browsers send a textarea's line breaks as CRLF,
// and the service trims.
func normNote(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// mark is a short digest of the answer (not a secret: it only tells "changed").
func (f itemForm) mark() string {
	h := sha256.Sum256([]byte(f.Outcome + "\x00" + f.Points + "\x00" + f.Note))
	return hex.EncodeToString(h[:8])
}

// same says f and g are the same answer.
func (f itemForm) same(g itemForm) bool {
	return f.Outcome == g.Outcome && f.Points == g.Points && f.Note == g.Note
}

// itemField names a field of item key in the one form: items[KEY][name].
func itemField(key, name string) string { return "items[" + key + "][" + name + "]" }

// postedForm reads item key's fields of the one form (copied: Fiber reuses its
// buffers); ok is false when the post holds no such item.
func postedForm(c *fiber.Ctx, key string) (f itemForm, ok bool, err error) {
	rev := strings.TrimSpace(c.FormValue(itemField(key, "rev")))
	if rev == "" {
		return f, false, nil
	}
	f = itemForm{Outcome: strings.Clone(c.FormValue(itemField(key, "outcome"))),
		Points: strings.Clone(strings.TrimSpace(c.FormValue(itemField(key, "points")))),
		Note:   strings.Clone(normNote(c.FormValue(itemField(key, "note")))),
		Was:    strings.Clone(c.FormValue(itemField(key, "was")))}
	if f.Rev, err = strconv.Atoi(rev); err != nil {
		return f, true, &models.ValidationError{Fields: []models.FieldError{{Field: "rev", Code: "invalid"}}}
	}
	return f, true, nil
}

// answer is the form's answer as the service takes it: the points box stays on the
// page whatever is chosen, so it counts only with a score (pass or fail).
func (f itemForm) answer() (inspections.SaveItemInput, error) {
	rev := f.Rev
	in := inspections.SaveItemInput{Outcome: f.Outcome, Note: f.Note, Rev: &rev}
	if f.Points != "" && (f.Outcome == models.OutcomePass || f.Outcome == models.OutcomeFail) {
		n, err := strconv.Atoi(f.Points)
		if err != nil {
			return in, &models.ValidationError{Fields: []models.FieldError{{Field: "points", Code: "invalid"}}}
		}
		in.Points = &n
	}
	return in, nil
}

// fillPost is what a post of the one form did: the answers typed on refused items (the
// page gives them back), which of those were stale, the refusals, and the counts.
type fillPost struct {
	keys   map[string]bool
	typed  map[string]itemForm
	stale  map[string]bool
	errs   *pageErrors
	status int
	saved  int
	photos int
	// confirmation is the name typed in the submit box, given back on a refusal.
	confirmation string
}

func (p *fillPost) refused() bool { return len(p.errs.Items) > 0 || len(p.errs.General) > 0 }

// refuse records item key's refusal err with what was typed; an error that is no
// refusal is returned.
func (s *server) refuseItem(c *fiber.Ctx, p *fillPost, key string, f itemForm, err error) error {
	status, pe, ok := s.formRefusal(c, err, key)
	if !ok {
		return err
	}
	msgs := pe.Items[key]
	if errors.Is(err, models.ErrStale) {
		// The one form gives back what was typed over the answer stored meanwhile.
		p.stale[key] = true
		msgs = []string{s.msgs.T(language(c), "supervisionweb.stale_item", nil)}
	}
	p.errs.Items[key] = append(p.errs.Items[key], msgs...)
	p.typed[key] = f
	p.status = max(p.status, status)
	return nil
}

// saveFillForm saves what the one form changed — each item whose posted answer differs
// both from the stored one and from the one the page showed (Was) — then the photos
// chosen on it. Items the post does not hold are left alone.
func (s *server) saveFillForm(c *fiber.Ctx, id uint) (*fillPost, error) {
	ctx, svc := c.UserContext(), s.inspectionService()
	v, err := svc.View(ctx, scopeOf(c), id)
	if err != nil {
		return nil, err
	}
	p := &fillPost{keys: map[string]bool{}, typed: map[string]itemForm{}, stale: map[string]bool{}, errs: &pageErrors{Items: map[string][]string{}},
		confirmation: strings.Clone(c.FormValue("confirmation"))}
	var answers []inspections.ItemAnswer
	posted := map[string]itemForm{}
	for i := range v.Items {
		it := &v.Items[i].InspectionItem
		p.keys[it.Key] = true
		f, ok, err := postedForm(c, it.Key)
		if !ok || (err == nil && (f.same(shownForm(it)) || f.mark() == f.Was)) {
			continue
		}
		var in inspections.SaveItemInput
		if err == nil {
			in, err = f.answer()
		}
		if err != nil {
			if err := s.refuseItem(c, p, it.Key, f, err); err != nil {
				return nil, err
			}
			continue
		}
		posted[it.Key] = f
		answers = append(answers, inspections.ItemAnswer{Key: it.Key, SaveItemInput: in})
	}
	if len(answers) > 0 {
		refused, err := svc.SaveItems(ctx, actorOf(c), scopeOf(c), id, answers)
		if err != nil {
			return nil, err
		}
		for _, a := range answers {
			if e := refused[a.Key]; e != nil {
				if err := s.refuseItem(c, p, a.Key, posted[a.Key], e); err != nil {
					return nil, err
				}
				continue
			}
			p.saved++
		}
	}
	if err := s.saveFormPhotos(c, p, v); err != nil {
		return nil, err
	}
	if len(p.stale) > 0 {
		// What was typed comes back on the revision stored now: posting it again keeps it.
		if v, err = svc.View(ctx, scopeOf(c), id); err != nil {
			return nil, err
		}
		for i := range v.Items {
			if k := v.Items[i].Key; p.stale[k] {
				cur, f := shownForm(&v.Items[i].InspectionItem), p.typed[k]
				f.Rev, f.Was = cur.Rev, cur.Was
				p.typed[k] = f
			}
		}
	}
	return p, nil
}

// saveFormPhotos stores the photos chosen on the one form, one per item at most, each
// under the policy's size limit.
func (s *server) saveFormPhotos(c *fiber.Ctx, p *fillPost, v *inspections.InspectionView) error {
	var limit int64
	for _, it := range v.Items {
		fh, err := c.FormFile(itemField(it.Key, "photo"))
		if err != nil || (fh.Filename == "" && fh.Size == 0) {
			continue // no file chosen (or not a multipart post)
		}
		if limit == 0 {
			pol, err := s.policy.Load(c.UserContext())
			if err != nil {
				return err
			}
			limit = pol.PhotoMaxBytes
		}
		err = s.addPhoto(c, v.ID, it.Key, fh, limit)
		if err == nil {
			p.photos++
			continue
		}
		status, pe, ok := s.formRefusal(c, err, it.Key)
		if !ok {
			return err
		}
		p.errs.Items[it.Key] = append(p.errs.Items[it.Key], pe.Items[it.Key]...)
		p.status = max(p.status, status)
	}
	return nil
}

// addPhoto stores one uploaded photo of item key when it is at most limit bytes.
func (s *server) addPhoto(c *fiber.Ctx, id uint, key string, fh *multipart.FileHeader, limit int64) error {
	f, err := openPhoto(fh, limit)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = s.inspectionService().AddPhoto(c.UserContext(), actorOf(c), scopeOf(c), id, key, f, nil)
	return err
}

// saveItemsForm is 保存全部: every changed answer and every chosen photo of the one form.
// A refusal shows the page with the refused items as typed and the others as saved;
// otherwise it goes back to the page (at the item whose 上传 was pressed).
func (s *server) saveItemsForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	p, err := s.saveFillForm(c, id)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderInspection(c, status, id, "", pe)
	}
	if err != nil {
		return err
	}
	if p.refused() {
		return s.renderFill(c, p.status, id, "", p)
	}
	notice := "saved"
	switch {
	case p.saved == 0 && p.photos > 0:
		notice = "photo"
	case p.saved == 0:
		notice = "unchanged"
	}
	to := fmt.Sprintf("/inspections/%d?done=%s", id, notice)
	if at := c.FormValue("at"); p.keys[at] {
		to += "#item-" + at
	}
	return c.Redirect(to, fiber.StatusSeeOther)
}
