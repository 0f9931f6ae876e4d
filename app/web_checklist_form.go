package app

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/inspections"
	"quality/models"
)

const (
	// blankChecklistRows is how many empty item rows the form offers, and adds on "more".
	blankChecklistRows = 5
	// maxChecklistRows bounds the rows a form carries (the service takes 300 items).
	maxChecklistRows = 320
)

// checklistRow is one item row of the checklist form, as typed (numbers as text, so a
// refused form shows them unchanged), with the messages for each of its fields.
type checklistRow struct {
	Section, Key, Text, Guidance, RuleRef, Response string
	MaxScore, PassScore, Weight                     string
	Critical, EvidenceOnFail, Required              bool
	Errors                                          map[string][]string
}

// checklistFormData is the create or edit form of a checklist: the version edited (nil
// for a new checklist), what was typed, and the refusal's messages beside each field.
type checklistFormData struct {
	Action    string
	Base      *models.ChecklistTemplate
	Draft     *models.ChecklistTemplate // an edit of Base would be refused for this draft
	Next      int                       // the version saving a published or retired Base makes
	Code      string
	Title     string
	Desc      string
	PassMark  string
	Rows      []checklistRow
	Errors    map[string][]string // code, title, description, pass_mark, sections
	General   []string
	Responses []string
	MaxRows   int
}

func (s *server) newChecklistPage(c *fiber.Ctx) error {
	if !templateEditor(c) {
		return models.ErrForbidden
	}
	d := checklistFormData{Action: "/checklists/new"}
	d.addBlankRows()
	return s.renderChecklistForm(c, fiber.StatusOK, d)
}

// createChecklistForm creates a checklist through inspections.Service.CreateTemplate. "More
// rows", and numbers that are not numbers, never reach the service: the form is shown
// again, to an editor (templateEditor, the rule the service applies).
func (s *server) createChecklistForm(c *fiber.Ctx) error {
	d := readChecklistForm(c)
	d.Action, d.Code = "/checklists/new", strings.Clone(c.FormValue("code"))
	if c.FormValue("more") != "" {
		if !templateEditor(c) {
			return models.ErrForbidden
		}
		d.addBlankRows()
		return s.renderChecklistForm(c, fiber.StatusOK, d)
	}
	in, at, ok := d.input(s.msgs.T(language(c), "field.invalid", nil))
	if !ok {
		if !templateEditor(c) {
			return models.ErrForbidden
		}
		return s.renderChecklistForm(c, fiber.StatusUnprocessableEntity, d)
	}
	in.Code = d.Code
	t, err := s.inspections.CreateTemplate(c.UserContext(), actorOf(c), scopeOf(c), in)
	if status, refused := s.checklistRefusal(c, err, &d, at); refused {
		return s.renderChecklistForm(c, status, d)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/checklists/%d?done=created", t.ID), fiber.StatusSeeOther)
}

func (s *server) editChecklistPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if !templateEditor(c) {
		return models.ErrForbidden
	}
	t, err := s.inspections.GetTemplate(c.UserContext(), true, id)
	if err != nil {
		return err
	}
	d := checklistFormData{Title: t.Title, Desc: t.Description, PassMark: strconv.Itoa(t.PassMark)}
	for _, sec := range t.Sections {
		for _, it := range sec.Items {
			d.Rows = append(d.Rows, checklistRow{Section: sec.Title, Key: it.Key, Text: it.Text, Guidance: it.Guidance, RuleRef: it.RuleRef,
				Response: it.Response, MaxScore: strconv.Itoa(it.MaxScore), PassScore: strconv.Itoa(it.PassScore), Weight: strconv.Itoa(it.Weight),
				Critical: it.Critical, EvidenceOnFail: it.EvidenceOnFail, Required: it.Required})
		}
	}
	d.addBlankRows()
	return s.renderEditChecklist(c, fiber.StatusOK, t.ID, d)
}

// editChecklistForm saves through inspections.Service.EditTemplate: a draft changes; a
// published or retired version makes the next version, a draft.
func (s *server) editChecklistForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	d := readChecklistForm(c)
	if c.FormValue("more") != "" {
		if !templateEditor(c) {
			return models.ErrForbidden
		}
		d.addBlankRows()
		return s.renderEditChecklist(c, fiber.StatusOK, id, d)
	}
	in, at, ok := d.input(s.msgs.T(language(c), "field.invalid", nil))
	if !ok {
		if !templateEditor(c) {
			return models.ErrForbidden
		}
		return s.renderEditChecklist(c, fiber.StatusUnprocessableEntity, id, d)
	}
	t, created, err := s.inspections.EditTemplate(c.UserContext(), actorOf(c), scopeOf(c), id, in)
	if status, refused := s.checklistRefusal(c, err, &d, at); refused {
		return s.renderEditChecklist(c, status, id, d)
	}
	if err != nil {
		return err
	}
	done := "saved"
	if created {
		done = "new_version"
	}
	return c.Redirect(fmt.Sprintf("/checklists/%d?done=%s", t.ID, done), fiber.StatusSeeOther)
}

// renderEditChecklist shows the edit form d of version id, as an editor sees it, saying
// what saving will do (change the draft, or make the next version).
func (s *server) renderEditChecklist(c *fiber.Ctx, status int, id uint, d checklistFormData) error {
	t, err := s.inspections.GetTemplate(c.UserContext(), true, id)
	if err != nil {
		return err
	}
	d.Base, d.Action = t, fmt.Sprintf("/checklists/%d/edit", t.ID)
	if _, d.Draft, d.Next, err = s.checklistVersions(c, true, t.Code); err != nil {
		return err
	}
	if d.Draft != nil && d.Draft.ID == t.ID {
		d.Draft = nil
	}
	return s.renderChecklistForm(c, status, d)
}

func (s *server) renderChecklistForm(c *fiber.Ctx, status int, d checklistFormData) error {
	d.Responses, d.MaxRows = models.ResponseTypes, maxChecklistRows
	title := "checklistweb.new_title"
	if d.Base != nil {
		title = "checklistweb.edit_title"
	}
	return s.render(c, status, "checklist_form", title, d)
}

// addBlankRows adds empty rows to type new items in, in the last row's section.
func (d *checklistFormData) addBlankRows() {
	section := ""
	if n := len(d.Rows); n > 0 {
		section = d.Rows[n-1].Section
	}
	for i := 0; i < blankChecklistRows && len(d.Rows) < maxChecklistRows; i++ {
		d.Rows = append(d.Rows, checklistRow{Section: section, Response: models.ResponsePassFail, Weight: "1", Required: true})
	}
}

// readChecklistForm reads the form as typed: rows r0… up to the rows field.
func readChecklistForm(c *fiber.Ctx) checklistFormData {
	v := func(name string) string { return strings.Clone(c.FormValue(name)) }
	d := checklistFormData{Title: v("title"), Desc: v("description"), PassMark: v("pass_mark")}
	n, _ := strconv.Atoi(c.FormValue("rows"))
	n = min(max(n, 0), maxChecklistRows)
	for i := range n {
		f := func(name string) string { return v(fmt.Sprintf("r%d.%s", i, name)) }
		d.Rows = append(d.Rows, checklistRow{Section: f("section"), Key: f("key"), Text: f("text"), Guidance: f("guidance"),
			RuleRef: f("rule_ref"), Response: f("response"), MaxScore: f("max_score"), PassScore: f("pass_score"), Weight: f("weight"),
			Critical: f("critical") != "", EvidenceOnFail: f("evidence_on_fail") != "", Required: f("required") != ""})
	}
	return d
}

// rowAt maps an item of the input (section, item index) to its form row.
type rowAt map[[2]int]int

// input builds the service's input from the rows: a row without text is ignored, and
// consecutive rows with the same section title make one section. Numbers that are not
// numbers get the message invalid on their field (ok false); the service checks
// everything else.
func (d *checklistFormData) input(invalid string) (inspections.TemplateInput, rowAt, bool) {
	in := inspections.TemplateInput{Title: d.Title, Description: d.Desc}
	ok := true
	mark := func(errs *map[string][]string, field string) {
		if *errs == nil {
			*errs = map[string][]string{}
		}
		(*errs)[field] = append((*errs)[field], invalid)
		ok = false
	}
	if p := strings.TrimSpace(d.PassMark); p != "" {
		if n, err := strconv.Atoi(p); err == nil {
			in.PassMark = &n
		} else {
			mark(&d.Errors, "pass_mark")
		}
	}
	at := rowAt{}
	for i := range d.Rows {
		r := &d.Rows[i]
		if strings.TrimSpace(r.Text) == "" {
			continue
		}
		title := strings.TrimSpace(r.Section)
		if len(in.Sections) == 0 || strings.TrimSpace(in.Sections[len(in.Sections)-1].Title) != title {
			in.Sections = append(in.Sections, inspections.SectionInput{Title: r.Section})
		}
		num := func(field, v string) int {
			if v = strings.TrimSpace(v); v == "" {
				return 0
			}
			n, err := strconv.Atoi(v)
			if err != nil {
				mark(&r.Errors, field)
			}
			return n
		}
		si := len(in.Sections) - 1
		at[[2]int{si, len(in.Sections[si].Items)}] = i
		in.Sections[si].Items = append(in.Sections[si].Items, inspections.ItemInput{Key: r.Key, Text: r.Text, Guidance: r.Guidance,
			RuleRef: r.RuleRef, Response: r.Response, MaxScore: num("max_score", r.MaxScore), PassScore: num("pass_score", r.PassScore),
			Weight: num("weight", r.Weight), Critical: r.Critical, EvidenceOnFail: r.EvidenceOnFail, Required: r.Required})
	}
	return in, at, ok
}

// templateFieldRE is a field of the service's input: sections[1].items[2].rule_ref,
// sections[1].items[2] or sections[1].title.
var templateFieldRE = regexp.MustCompile(`^sections\[(\d+)\](?:\.items\[(\d+)\](?:\.([a-z_]+))?|\.([a-z_]+))$`)

// checklistRefusal puts the messages of a validation or conflict error from the service
// beside the fields of d they name, in the page's language. Other errors are not
// refusals.
func (s *server) checklistRefusal(c *fiber.Ctx, err error, d *checklistFormData, at rowAt) (int, bool) {
	lang := language(c)
	var ve *models.ValidationError
	var ce *models.ConflictError
	var fields []models.FieldError
	status := fiber.StatusUnprocessableEntity
	switch {
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		fields = ve.Fields
	case errors.As(err, &ce):
		fields, status = []models.FieldError{{Field: ce.Field, Code: ce.Code}}, fiber.StatusConflict
	default:
		return 0, false
	}
	for _, f := range fields {
		d.place(f.Field, s.msgs.T(lang, "field."+f.Code, f.Params), at, func(field string) string {
			if key := "checklistweb.field." + field; s.msgs.T(lang, key, nil) != key {
				return s.msgs.T(lang, key, nil)
			}
			return field
		})
	}
	return status, true
}

// place puts msg beside the form field that field names: an item's field on its row, a
// section's title on the section's first row, the checklist's own fields beside them,
// and anything else at the top, named by label.
func (d *checklistFormData) place(field, msg string, at rowAt, label func(string) string) {
	add := func(errs *map[string][]string, name string) {
		if *errs == nil {
			*errs = map[string][]string{}
		}
		(*errs)[name] = append((*errs)[name], msg)
	}
	switch field {
	case "code", "title", "description", "pass_mark", "sections":
		add(&d.Errors, field)
		return
	}
	if m := templateFieldRE.FindStringSubmatch(field); m != nil {
		si, _ := strconv.Atoi(m[1])
		ii, name := 0, "section" // a section's title
		if m[2] != "" {
			ii, _ = strconv.Atoi(m[2])
			name = m[3]
			if name == "" {
				name = "text" // the item itself (one too many)
			}
		} else if m[4] != "title" {
			name = ""
		}
		if row, ok := at[[2]int{si, ii}]; ok && name != "" {
			add(&d.Rows[row].Errors, name)
			return
		}
	}
	d.General = append(d.General, label(field)+"："+msg)
}
