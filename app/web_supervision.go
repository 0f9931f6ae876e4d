package app

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"html/template"
	"math"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/inspections"
	"quality/models"
	"quality/patrols"
)

// Rows of the supervision pages' lists; the pages page on beyond them.
const (
	supervisionPerPage = 50
	// maxOutletChoices is how many outlets the new-inspection form lists before it asks
	// for a county first (a phone cannot scroll a province).
	maxOutletChoices = 60
	// maxStopPlans bounds the caller's current plans whose stops the form offers.
	maxStopPlans = 20
)

// inspectionNotices are the outcomes a redirect back to an inspection may announce.
var inspectionNotices = []string{"saved", "unchanged", "photo", "submitted", "reopened", "voided"}

// pageErrors are a refusal's messages in the page's language: per checklist item (by
// key) and the others, each "field: message".
type pageErrors struct {
	General []string
	Items   map[string][]string
}

// formRefusal turns a validation or conflict error into its status and messages, field
// by field. Fields named items[KEY]... go to that item; with key set, every message
// does (the errors of one item's form). Other errors are not refusals.
func (s *server) formRefusal(c *fiber.Ctx, err error, key string) (int, *pageErrors, bool) {
	lang := language(c)
	pe := &pageErrors{Items: map[string][]string{}}
	add := func(field, msg string) {
		k := key
		if k == "" && strings.HasPrefix(field, "items[") {
			k, _, _ = strings.Cut(strings.TrimPrefix(field, "items["), "]")
		}
		if k != "" {
			pe.Items[k] = append(pe.Items[k], msg)
			return
		}
		pe.General = append(pe.General, s.fieldLabel(lang, field)+"："+msg)
	}
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		for _, f := range ve.Fields {
			add(f.Field, s.msgs.T(lang, "field."+f.Code, f.Params))
		}
		return fiber.StatusUnprocessableEntity, pe, true
	case errors.As(err, &ce):
		msg := s.msgs.T(lang, "field."+ce.Code, nil)
		if ce == models.ErrStale {
			// The page is shown again with what is stored now, so say so.
			msg = s.msgs.T(lang, "supervisionweb.stale", nil)
		}
		add(ce.Field, msg)
		return fiber.StatusConflict, pe, true
	}
	return 0, nil, false
}

// fieldLabel names a form field in lang, or gives its name when it has no label. An
// indexed field (employee_ids[1]) is named as its list; a factor of a decision
// (aggravating.repeat_in_year.evidence) by its side, the factor and the part.
func (s *server) fieldLabel(lang, field string) string {
	label := func(name string) (string, bool) {
		key := "supervisionweb.field." + name
		l := s.msgs.T(lang, key, nil)
		return l, l != key
	}
	if l, ok := label(field); ok {
		return l
	}
	if m := factorFieldRE.FindStringSubmatch(field); m != nil {
		side, _ := label(m[1])
		out := side + "「" + s.msgs.T(lang, "supervisionweb.factor."+m[2], nil) + "」"
		if m[3] == "evidence" {
			ev, _ := label("evidence")
			out += ev
		}
		return out
	}
	if l, ok := label(indexRE.ReplaceAllString(field, "")); ok {
		return l
	}
	return field
}

var (
	// indexRE is the index of a list field: employee_ids[1].
	indexRE = regexp.MustCompile(`\[\d+\]`)
	// factorFieldRE is a factor of a decision, named by its code.
	factorFieldRE = regexp.MustCompile(`^(aggravating|mitigating)\.([a-z_]+)\.(code|evidence)$`)
)

// newClientID is a server-made id for the new-inspection form: a double-clicked submit
// sends it twice and gets the one inspection.
func newClientID() string {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	return "web-" + hex.EncodeToString(b)
}

// optFormID reads an optional positive id from a form field, adding a field error to
// ve when it is not one.
func optFormID(c *fiber.Ctx, ve *models.ValidationError, name string) *uint {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return nil
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		ve.Add(name, "invalid")
		return nil
	}
	id := uint(n)
	return &id
}

// optFormFloat reads an optional number from a form field (the position geo.js fills),
// adding a field error to ve when it is not one.
func optFormFloat(c *fiber.Ctx, ve *models.ValidationError, name string) *float64 {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		ve.Add(name, "invalid")
		return nil
	}
	return &f
}

// unitsByID are the units of the caller's scope by id, for names in lists.
func (s *server) unitsByID(c *fiber.Ctx) (map[uint]models.OrgUnit, []models.OrgUnit, error) {
	units, err := models.OrgUnitsInScope(c.UserContext(), s.db, scopeOf(c))
	if err != nil {
		return nil, nil, err
	}
	m := make(map[uint]models.OrgUnit, len(units))
	for _, u := range units {
		m[u.ID] = u
	}
	return m, units, nil
}

// unitFilterChoices are the units a list may be cut to: every unit above the outlets.
func unitFilterChoices(units []models.OrgUnit) []models.OrgUnit {
	return slices.DeleteFunc(slices.Clone(units), func(u models.OrgUnit) bool { return u.Level == models.LevelOutlet })
}

func (s *server) inspectionsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.InspectionFilter{UnitID: q.uint("unit_id"), Status: q.choice("status", inspectionStatuses),
		Result: q.choice("result", inspectionResults), InspectorID: inspectorOf(q), Page: q.page()}
	from, to := rectDate(q, "from"), rectDate(q, "to")
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = supervisionPerPage
	// The page's days are both included; the filter's To is the next midnight.
	filters := url.Values{}
	if !from.IsZero() {
		f.From = localMidnight(from, s.cfg.Location)
		filters.Set("from", from.String())
	}
	exportTo := ""
	if !to.IsZero() {
		f.To = localMidnight(to, s.cfg.Location).AddDate(0, 0, 1)
		exportTo = models.DateOf(f.To.In(s.cfg.Location)).String()
	}
	for k, v := range map[string]string{"status": f.Status, "result": f.Result} {
		if v != "" {
			filters.Set(k, v)
		}
	}
	if f.UnitID != 0 {
		filters.Set("unit_id", strconv.FormatUint(uint64(f.UnitID), 10))
	}
	if f.InspectorID != 0 {
		filters.Set("inspector", inspectorMe[0])
	}
	export := cloneValues(filters)
	if exportTo != "" {
		filters.Set("to", to.String())
		export.Set("to", exportTo) // the API's "to" is the first day left out
	}
	list, err := models.ListInspections(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	byID, units, err := s.unitsByID(c)
	if err != nil {
		return err
	}
	page := f.Page.Normalize()
	return s.render(c, fiber.StatusOK, "inspections", "supervisionweb.inspections", fiber.Map{
		"List": list, "Units": byID, "UnitChoices": unitFilterChoices(units), "Filter": f, "Statuses": inspectionStatuses,
		"Results": inspectionResults, "Page": page.Page, "HasNext": int64(page.Page*page.PerPage) < list.Total,
		"From": dateText(from), "To": dateText(to), "Export": listURL("/api/v1/inspections.xlsx", export, 0),
		"Prev": listURL("/inspections", filters, page.Page-1), "Next": listURL("/inspections", filters, page.Page+1),
		"CanStart": accounts.HasRole(currentUser(c), inspectionWriters...), "Mine": f.InspectorID != 0,
	})
}

// localMidnight is the start of day d in loc.
func localMidnight(d models.Date, loc *time.Location) time.Time {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, loc)
}

// dateText is d for a date input, "" when unset.
func dateText(d models.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

// cloneValues copies a query.
func cloneValues(v url.Values) url.Values {
	out := url.Values{}
	for k, vs := range v {
		out[k] = slices.Clone(vs)
	}
	return out
}

// listURL is path with the filters and, when page > 0, the page: a link built here from
// allow-listed values, so the template does not escape its "&" and "=".
func listURL(path string, filters url.Values, page int) template.URL {
	v := cloneValues(filters)
	if page > 0 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return template.URL(path)
	}
	return template.URL(path + "?" + v.Encode())
}

// newInspectionData is the new-inspection form: its client id, the choices and what
// was chosen, and the refusal of a previous attempt.
type newInspectionData struct {
	ClientID  string
	Templates []models.ChecklistTemplate
	Counties  []models.OrgUnit
	County    uint
	Outlets   []models.OrgUnit
	Stops     []stopChoice
	Chosen    inspections.StartInput
	Errors    *pageErrors
	// FollowUp is the finding a follow-up inspection re-checks.
	FollowUp *models.Finding
	// followUpCode is the checklist that found it: its published version is chosen.
	followUpCode string
}

// stopChoice is a pending stop of one of the caller's patrol plans.
type stopChoice struct {
	ID, OrgUnitID            uint
	Plan, Outlet, OutletCode string
	Due                      string
	Selected                 bool
}

func (s *server) newInspectionPage(c *fiber.Ctx) error {
	q := newQuery(c)
	county, followUp, stop := q.uint("county"), q.uint("follow_up_of"), q.uint("patrol_stop_id")
	if err := q.err(); err != nil {
		return err
	}
	d := newInspectionData{ClientID: newClientID(), County: county}
	if stop != 0 {
		if err := s.stopChoice(c, &d, stop); err != nil {
			return err
		}
	}
	if followUp != 0 {
		if err := s.followUpChoice(c, &d, followUp); err != nil {
			return err
		}
	}
	return s.renderNewInspection(c, fiber.StatusOK, d)
}

// renderNewInspection fills the choices of d and shows the form.
func (s *server) renderNewInspection(c *fiber.Ctx, status int, d newInspectionData) error {
	ctx := c.UserContext()
	tpls, err := s.inspections.ListTemplates(ctx, false, models.TemplateFilter{Status: models.TemplatePublished, Page: models.Page{PerPage: models.MaxPerPage}})
	if err != nil {
		return err
	}
	d.Templates = tpls.Items
	for _, t := range d.Templates {
		if d.followUpCode != "" && t.Code == d.followUpCode && d.Chosen.TemplateID == 0 {
			d.Chosen.TemplateID = t.ID
		}
	}
	byID, units, err := s.unitsByID(c)
	if err != nil {
		return err
	}
	var outlets []models.OrgUnit
	for _, u := range units {
		switch u.Level {
		case models.LevelCounty:
			d.Counties = append(d.Counties, u)
		case models.LevelOutlet:
			outlets = append(outlets, u)
		}
	}
	if cu, ok := byID[d.County]; ok {
		outlets = slices.DeleteFunc(outlets, func(u models.OrgUnit) bool { return !strings.HasPrefix(u.Path, cu.Path) })
	} else {
		d.County = 0
	}
	if d.County != 0 || len(outlets) <= maxOutletChoices {
		d.Outlets = outlets
	}
	if d.Stops, err = s.stopChoices(c); err != nil {
		return err
	}
	for i := range d.Stops {
		d.Stops[i].Selected = d.Chosen.PatrolStopID != nil && *d.Chosen.PatrolStopID == d.Stops[i].ID
	}
	return s.render(c, status, "inspection_new", "supervisionweb.new_inspection", d)
}

// stopChoices are the stops not yet inspected of the caller's plans that have not ended.
func (s *server) stopChoices(c *fiber.Ctx) ([]stopChoice, error) {
	svc := s.patrolService()
	today := models.DateOf(svc.Now())
	plans, err := svc.List(c.UserContext(), scopeOf(c), patrols.ListInput{InspectorID: currentUser(c).ID, From: today,
		Page: models.Page{PerPage: maxStopPlans}})
	if err != nil {
		return nil, err
	}
	var out []stopChoice
	for _, p := range plans.Items {
		v, err := svc.Get(c.UserContext(), scopeOf(c), p.ID)
		if err != nil {
			return nil, err
		}
		for _, st := range v.Stops {
			if st.InspectionID == nil {
				out = append(out, stopChoice{ID: st.ID, OrgUnitID: st.OrgUnitID, Plan: v.Title, Outlet: st.UnitName, OutletCode: st.UnitCode, Due: st.DueOn.String()})
			}
		}
	}
	return out, nil
}

func (s *server) startInspectionForm(c *fiber.Ctx) error {
	ve := &models.ValidationError{}
	in := inspections.StartInput{ClientID: strings.Clone(c.FormValue("client_id"))}
	if id := optFormID(c, ve, "template_id"); id != nil {
		in.TemplateID = *id
	}
	if id := optFormID(c, ve, "org_unit_id"); id != nil {
		in.OrgUnitID = *id
	}
	in.PatrolStopID = optFormID(c, ve, "patrol_stop_id")
	in.FollowUpOf = optFormID(c, ve, "follow_up_of")
	in.Lat, in.Lng = optFormFloat(c, ve, "lat"), optFormFloat(c, ve, "lng")
	err := ve.Err()
	var v *inspections.InspectionView
	if err == nil {
		v, _, err = s.inspectionService().Start(c.UserContext(), actorOf(c), scopeOf(c), in)
	}
	if status, pe, ok := s.formRefusal(c, err, ""); ok {
		d := newInspectionData{ClientID: in.ClientID, Chosen: in, Errors: pe}
		if d.ClientID == "" {
			d.ClientID = newClientID()
		}
		if in.FollowUpOf != nil {
			// The finding is shown again when it is still in scope; the refusal says why not.
			if f, err := models.GetFinding(c.UserContext(), s.db, scopeOf(c), *in.FollowUpOf); err == nil {
				d.FollowUp = f
			}
		}
		return s.renderNewInspection(c, status, d)
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/inspections/%d", v.ID), fiber.StatusSeeOther)
}
