package app

import (
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/models"
)

// maxPersonChoices is how many employees the new-case form lists; beyond it the form
// asks for a smaller unit (an outlet or a branch).
const maxPersonChoices = 200

// newCaseData is the open-case form (R6): the unit chosen and its staff, what was
// entered, and the refusal of a previous attempt.
type newCaseData struct {
	Units     []models.OrgUnit
	Unit      *models.OrgUnit
	Finding   *models.Finding
	Staff     []models.Employee
	TooMany   bool
	In        accountability.OpenInput
	Grounds   []string
	Sources   []string
	Errors    *pageErrors
	HasGround map[string]bool
	HasPerson map[uint]bool
}

// newCasePage shows the open-case form: from a finding (finding_id, which fixes the
// unit to the finding's outlet and the source) or from a complaint about unit_id.
func (s *server) newCasePage(c *fiber.Ctx) error {
	q := newQuery(c)
	findingID, unitID := q.uint("finding_id"), q.uint("unit_id")
	if err := q.err(); err != nil {
		return err
	}
	d := newCaseData{In: accountability.OpenInput{Source: models.CaseFromComplaint, OrgUnitID: unitID}}
	if findingID != 0 {
		f, err := models.GetFinding(c.UserContext(), s.db, scopeOf(c), findingID)
		if err != nil {
			return err
		}
		d.In.Source, d.In.FindingIDs = models.CaseFromFinding, []uint{f.ID}
		if unitID == 0 {
			d.In.OrgUnitID = f.OrgUnitID
		}
		d.In.Title = truncateRunes(s.msgs.T(language(c), "supervisionweb.case_from_finding", nil)+f.Text, 200)
		d.In.Summary = f.Text
		if f.RuleRef != "" {
			d.In.Summary += "（" + f.RuleRef + "）"
		}
		if f.Note != "" {
			d.In.Summary += "\n" + f.Note
		}
	}
	return s.renderNewCase(c, fiber.StatusOK, d)
}

// truncateRunes cuts s to at most n characters.
func truncateRunes(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n])
}

// renderNewCase fills the choices of d (units, the unit's staff, the finding) and shows
// the form. A unit outside the scope is a 404, as on every list.
func (s *server) renderNewCase(c *fiber.Ctx, status int, d newCaseData) error {
	ctx := c.UserContext()
	byID, units, err := s.unitsByID(c)
	if err != nil {
		return err
	}
	if d.In.OrgUnitID != 0 {
		u, ok := byID[d.In.OrgUnitID]
		if !ok {
			if status == fiber.StatusOK {
				return fmt.Errorf("unit %d: %w", d.In.OrgUnitID, models.ErrNotFound)
			}
		} else {
			d.Unit = &u
		}
	}
	// Every unit above the outlets, and the outlets of the chosen unit's county.
	county := ""
	if d.Unit != nil {
		county = d.Unit.Path
		if d.Unit.Level == models.LevelOutlet {
			if p, ok := byID[parentID(d.Unit.Path)]; ok {
				county = p.Path
			}
		}
	}
	d.Units = slices.DeleteFunc(slices.Clone(units), func(u models.OrgUnit) bool {
		return u.Level == models.LevelOutlet && (county == "" || !strings.HasPrefix(u.Path, county))
	})
	if d.Unit != nil {
		staff, err := models.ListEmployees(ctx, s.db, scopeOf(c), models.EmployeeFilter{UnitID: d.Unit.ID, Sort: "name",
			Page: models.Page{PerPage: maxPersonChoices}})
		if err != nil {
			return err
		}
		d.Staff, d.TooMany = staff.Items, staff.Total > int64(len(staff.Items))
	}
	if len(d.In.FindingIDs) == 1 {
		if f, err := models.GetFinding(ctx, s.db, scopeOf(c), d.In.FindingIDs[0]); err == nil {
			d.Finding = f
		} else if !errors.Is(err, models.ErrNotFound) {
			return err
		}
	}
	d.Grounds, d.Sources = models.Grounds, []string{models.CaseFromFinding, models.CaseFromComplaint}
	d.HasGround, d.HasPerson = map[string]bool{}, map[uint]bool{}
	for _, g := range d.In.Grounds {
		d.HasGround[g] = true
	}
	for _, id := range d.In.EmployeeIDs {
		d.HasPerson[id] = true
	}
	return s.render(c, status, "case_new", "supervisionweb.new_case", d)
}

// parentID is the id of the parent of the unit at path ("/1/5/9/" → 5), 0 for a root.
func parentID(path string) uint {
	ids := models.PathIDs(path)
	if len(ids) < 2 {
		return 0
	}
	return ids[len(ids)-2]
}

// formValues are the values of a repeated urlencoded form field, copied out of
// Fiber's buffers.
func formValues(c *fiber.Ctx, name string) []string {
	var out []string
	for _, v := range c.Request().PostArgs().PeekMulti(name) {
		if s := strings.TrimSpace(string(v)); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// formIDs reads a repeated id field, adding a field error for anything but positive ids.
func formIDs(c *fiber.Ctx, ve *models.ValidationError, name string) []uint {
	var out []uint
	for _, v := range formValues(c, name) {
		n, err := strconv.ParseUint(v, 10, 32)
		if err != nil || n == 0 {
			ve.Add(name, "invalid")
			return nil
		}
		out = append(out, uint(n))
	}
	return out
}

func (s *server) openCaseForm(c *fiber.Ctx) error {
	ve := &models.ValidationError{}
	in := accountability.OpenInput{Title: strings.Clone(c.FormValue("title")), Source: strings.Clone(c.FormValue("source")),
		ComplaintRef: strings.Clone(c.FormValue("complaint_ref")), Summary: strings.Clone(c.FormValue("summary")),
		Grounds: formValues(c, "grounds"), FindingIDs: formIDs(c, ve, "finding_ids"), EmployeeIDs: formIDs(c, ve, "employee_ids")}
	if id := optFormID(c, ve, "org_unit_id"); id != nil {
		in.OrgUnitID = *id
	}
	if in.Source == models.CaseFromComplaint {
		in.FindingIDs = nil // a complaint form never carries findings
	}
	err := ve.Err()
	if err == nil {
		err = models.CheckLists(&in) // the form's lists are bounded as the API's are
	}
	var opened *models.AccountabilityCase
	if err == nil {
		opened, err = s.caseService().Open(c.UserContext(), caseCaller(c), in)
	}
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderNewCase(c, status, newCaseData{In: in, Errors: pe})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/cases/%d?done=open", opened.ID), fiber.StatusSeeOther)
}

// yuanRE is an amount in yuan with at most two decimals: 1234, 1234.5, 1234.56.
var yuanRE = regexp.MustCompile(`^(\d{1,9})(?:\.(\d{1,2}))?$`)

// yuanToCents converts a yuan amount typed in a form into cents exactly, by its digits
// and never through a float; "" is 0.
func yuanToCents(v string) (int64, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, true
	}
	m := yuanRE.FindStringSubmatch(v)
	if m == nil {
		return 0, false
	}
	whole, err := strconv.ParseInt(m[1], 10, 64)
	if err != nil {
		return 0, false
	}
	frac := m[2]
	for len(frac) < 2 {
		frac += "0"
	}
	f, _ := strconv.ParseInt(frac, 10, 64)
	return whole*100 + f, true
}

// centsToYuan shows cents as yuan with two decimals.
func centsToYuan(ct int64) string { return fmt.Sprintf("%d.%02d", ct/100, ct%100) }

// decisionDraft is what a person's decide form shows: the suggestion on a fresh page,
// what was sent after a refusal.
type decisionDraft struct {
	Severity, Outcome, PenaltyYuan, Note string
	LeaderAccountable                    bool
	Aggravating, Mitigating              []factorChoice
}

// factorChoice is one factor's checkbox and evidence box.
type factorChoice struct {
	Code, Evidence     string
	Checked, Suggested bool
}

// factorChoices are the boxes of codes, ticked and filled from chosen.
func factorChoices(codes []string, chosen []models.Factor) []factorChoice {
	out := make([]factorChoice, len(codes))
	for i, code := range codes {
		out[i] = factorChoice{Code: code}
		if j := slices.IndexFunc(chosen, func(f models.Factor) bool { return f.Code == code }); j >= 0 {
			out[i].Checked, out[i].Evidence, out[i].Suggested = true, chosen[j].Evidence, chosen[j].Suggested
		}
	}
	return out
}

// readFactors reads the ticked factors of a decide form (field prefix agg or mit) with
// their evidence, in the order of codes.
func readFactors(c *fiber.Ctx, prefix string, codes []string) []accountability.FactorInput {
	ticked := formValues(c, prefix)
	var out []accountability.FactorInput
	for _, code := range codes {
		if slices.Contains(ticked, code) {
			out = append(out, accountability.FactorInput{Code: code, Evidence: strings.Clone(c.FormValue(prefix + "_ev_" + code))})
		}
	}
	// A code not on the list is passed on, so the service refuses it by name.
	for _, t := range ticked {
		if !slices.Contains(codes, t) {
			out = append(out, accountability.FactorInput{Code: t})
		}
	}
	return out
}

// factorFields renames the service's indexed factor fields (aggravating[1].evidence) to
// the factor they name (aggravating.repeat_in_year.evidence), so the refusal says which.
func factorFields(err error, in accountability.DecisionInput) {
	var ve *models.ValidationError
	if !errors.As(err, &ve) {
		return
	}
	for i, f := range ve.Fields {
		for _, side := range []struct {
			name string
			list []accountability.FactorInput
		}{{"aggravating", in.Aggravating}, {"mitigating", in.Mitigating}} {
			var n int
			var rest string
			if k, _ := fmt.Sscanf(f.Field, side.name+"[%d]%s", &n, &rest); k == 2 && n >= 0 && n < len(side.list) {
				ve.Fields[i].Field = side.name + "." + side.list[n].Code + rest
			}
		}
	}
}

func (s *server) decideForm(c *fiber.Ctx) error {
	id, person, err := casePerson(c)
	if err != nil {
		return err
	}
	yuan := strings.TrimSpace(c.FormValue("penalty_yuan"))
	in := accountability.DecisionInput{Severity: strings.Clone(c.FormValue("severity")), Outcome: strings.Clone(c.FormValue("outcome")),
		Note: strings.Clone(c.FormValue("note")), LeaderAccountable: c.FormValue("leader_accountable") != "",
		Aggravating: readFactors(c, "agg", accountability.AggravatingCodes),
		Mitigating:  readFactors(c, "mit", accountability.MitigatingCodes)}
	cents, ok := yuanToCents(yuan)
	if ok {
		in.PenaltyCents = cents
		_, err = s.caseService().Decide(c.UserContext(), caseCaller(c), id, person, in)
		factorFields(err, in)
	} else {
		err = &models.ValidationError{Fields: []models.FieldError{{Field: "penalty_yuan", Code: "case_penalty_yuan"}}}
	}
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		draft := decisionDraft{Severity: in.Severity, Outcome: in.Outcome, PenaltyYuan: strings.Clone(yuan), Note: in.Note,
			LeaderAccountable: in.LeaderAccountable}
		toFactors := func(l []accountability.FactorInput) []models.Factor {
			out := make([]models.Factor, len(l))
			for i, f := range l {
				out[i] = models.Factor{Code: f.Code, Evidence: f.Evidence}
			}
			return out
		}
		draft.Aggravating = factorChoices(accountability.AggravatingCodes, toFactors(in.Aggravating))
		draft.Mitigating = factorChoices(accountability.MitigatingCodes, toFactors(in.Mitigating))
		return s.renderCase(c, status, id, "", &caseRefusal{PersonID: person, Messages: pe.General, Draft: &draft})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/cases/%d?done=decision#person-%d", id, person), fiber.StatusSeeOther)
}

func (s *server) closeCaseForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	in := accountability.CloseInput{Reason: strings.Clone(c.FormValue("reason"))}
	_, err = s.caseService().Close(c.UserContext(), caseCaller(c), id, in)
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		return s.renderCase(c, status, id, "", &caseRefusal{Messages: pe.General, CloseReason: in.Reason})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/cases/%d?done=close", id), fiber.StatusSeeOther)
}
