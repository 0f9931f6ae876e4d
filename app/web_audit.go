package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

// auditPerPage is how many events the audit page shows at once.
const auditPerPage = 100

// auditFields are the audit filters, in the order the form shows them.
var auditFields = []string{"actor", "entity", "entity_id", "action", "from", "to"}

// auditFilter reads the audit log's filters from the query, collecting bad ones in q.
// actor is a login name ("system" for the events without a user). On the page, from
// and to are dates and to includes its day; on the API, to is an instant or a date and
// excludes it, as documented from the start.
func (s *server) auditFilter(ctx context.Context, q *query, page bool) (models.AuditFilter, error) {
	loc := s.cfg.Location
	f := models.AuditFilter{ActorID: q.uint("actor_id"), Action: q.str("action", 32), Entity: q.str("entity", 32),
		EntityID: q.str("entity_id", 64), Page: q.page()}
	if page {
		// The page offers these as select lists: anything else was not chosen there.
		f.Action, f.Entity = q.choice("action", models.AuditActions), q.choice("entity", models.AuditEntities)
		f.From, f.To = q.day("from", loc), q.day("to", loc)
		if !f.To.IsZero() {
			f.To = f.To.AddDate(0, 0, 1)
		}
	} else {
		f.From, f.To = q.time("from", loc), q.time("to", loc)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.To.After(f.From) {
		q.bad("to", "date_order")
	}
	name := strings.ToLower(q.str("actor", 64))
	if name == "" {
		return f, nil
	}
	u, err := models.GetUserByUsername(ctx, s.db, name)
	switch {
	case errors.Is(err, models.ErrNotFound) && name == models.SystemActor.Username:
		f.System = true
	case errors.Is(err, models.ErrNotFound):
		q.bad("actor", "not_found")
	case err != nil:
		return f, err
	case f.ActorID != 0 && f.ActorID != u.ID:
		q.bad("actor", "actor_mismatch")
	default:
		f.ActorID = u.ID
	}
	return f, nil
}

func (s *server) listAuditEvents(c *fiber.Ctx) error {
	q := newQuery(c)
	f, err := s.auditFilter(c.UserContext(), q, false)
	if err != nil {
		return err
	}
	if err := q.err(); err != nil {
		return err
	}
	list, err := models.ListAuditEvents(c.UserContext(), s.db, scopeOf(c), f)
	if err != nil {
		return err
	}
	return c.JSON(list)
}

// auditPageData is the audit page: the filters as typed, their refusals, the rows.
type auditPageData struct {
	In             map[string]string
	Errors         map[string][]string
	Actions, Kinds []auditChoice
	Users          []models.User
	Rows           []auditRow
	Total          int64
	Prev, Next     template.URL
	FieldOrder     []string
}

// auditChoice is one option of a select list: a code and its label.
type auditChoice struct{ Code, Label string }

// auditRow is one event as the page shows it: labels in the page's language and the
// summary as lines.
type auditRow struct {
	models.AuditEvent
	ActionLabel, EntityLabel string
	Lines                    []auditLine
}

// auditLine is a summary line with its field's label.
type auditLine struct {
	models.AuditLine
	Label string
}

func (s *server) auditPage(c *fiber.Ctx) error {
	lang := language(c)
	d := auditPageData{In: map[string]string{}, Errors: map[string][]string{}, FieldOrder: auditFields}
	for _, name := range auditFields {
		d.In[name] = strings.Clone(c.Query(name))
	}
	q := newQuery(c)
	f, err := s.auditFilter(c.UserContext(), q, true)
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if q.err() != nil {
		status = fiber.StatusBadRequest
		for _, fe := range q.errs {
			d.Errors[fe.Field] = append(d.Errors[fe.Field], s.msgs.T(lang, "field."+fe.Code, fe.Params))
		}
	} else {
		f.PerPage = auditPerPage
		list, err := models.ListAuditEvents(c.UserContext(), s.db, scopeOf(c), f)
		if err != nil {
			return err
		}
		units, err := models.OrgUnitsInScope(c.UserContext(), s.db, models.ScopeAll)
		if err != nil {
			return err
		}
		names := make(map[uint]string, len(units))
		for _, u := range units {
			names[u.ID] = u.Name
		}
		d.Total, d.Rows = list.Total, s.auditRows(lang, list.Items, names)
		d.Prev, d.Next = auditPager(d.In, f.Page.Normalize(), list.Total)
	}
	for _, a := range models.AuditActions {
		d.Actions = append(d.Actions, auditChoice{a, s.msgs.T(lang, "audit.action."+a, nil)})
	}
	for _, k := range models.AuditEntities {
		d.Kinds = append(d.Kinds, auditChoice{k, s.msgs.T(lang, "audit.entity."+k, nil)})
	}
	if d.Users, err = models.UsersWithRoles(c.UserContext(), s.db, staffRoles, 500); err != nil {
		return err
	}
	return s.render(c, status, "audit", "ui.audit", d)
}

// auditRows labels events in lang: an action, kind or field without a catalogue entry
// is shown as it is stored; a user's grants read as role · unit (units by id in units).
func (s *server) auditRows(lang string, events []models.AuditEvent, units map[uint]string) []auditRow {
	rows := make([]auditRow, len(events))
	for i, ev := range events {
		r := auditRow{AuditEvent: ev, ActionLabel: s.msgs.label(lang, "audit.action.", ev.Action),
			EntityLabel: s.msgs.label(lang, "audit.entity.", ev.Entity)}
		for _, l := range ev.Lines() {
			if l.Field == "grants" {
				l.Value, l.From, l.To = s.grantsText(lang, l.Value, units), s.grantsText(lang, l.From, units), s.grantsText(lang, l.To, units)
			}
			if unitFields[l.Field] {
				l.Value, l.From, l.To = unitText(l.Value, units), unitText(l.From, units), unitText(l.To, units)
			}
			if prefix, ok := statusLabels[ev.Entity]; ok && l.Field == "status" {
				l.Value, l.From, l.To = s.statusText(lang, prefix, l.Value), s.statusText(lang, prefix, l.From), s.statusText(lang, prefix, l.To)
			}
			r.Lines = append(r.Lines, auditLine{AuditLine: l, Label: s.msgs.label(lang, "audit.field.", l.Field)})
		}
		rows[i] = r
	}
	return rows
}

// unitFields are the audited fields that hold an org unit's id, shown by its name.
var unitFields = map[string]bool{"org_unit_id": true, "parent_id": true, "notified_unit_id": true}

// unitText is the unit whose id v is, by name (see unitName); a value that is no id is
// shown as it is stored.
func unitText(v string, units map[uint]string) string {
	id, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		return v
	}
	return unitName(uint(id), units)
}

// unitName is unit id by name, or #id for one no longer in the tree.
func unitName(id uint, units map[uint]string) string {
	if name, ok := units[id]; ok {
		return name
	}
	return fmt.Sprintf("#%d", id)
}

// statusLabels are, per record kind, the catalogue prefix its statuses are shown with
// on its own pages, so the audit log names them the same way (待整改 → 待核验).
var statusLabels = map[string]string{
	"rectification":      "supervisionweb.rect_status.",
	"inspection":         "supervisionweb.inspection_status.",
	"case":               "supervisionweb.case_status.",
	"employee":           "status.",
	"checklist_template": "checklistweb.status.",
	"exam":               "trainerweb.status.",
	"question":           "trainerweb.status.",
}

// statusText is a stored status in lang; an empty value stays empty, and one without
// a catalogue entry is shown as it is stored.
func (s *server) statusText(lang, prefix, v string) string {
	if v == "" {
		return v
	}
	return s.msgs.label(lang, prefix, v)
}

// auditPager is the links to the pages before and after p, with the same filters.
func auditPager(in map[string]string, p models.Page, total int64) (prev, next template.URL) {
	v := url.Values{}
	for _, name := range auditFields {
		if in[name] != "" {
			v.Set(name, in[name])
		}
	}
	return pageLinks("/audit", v, p, total)
}

// pageLinks is the links to the pages before and after p of a list at path with the
// query params; "" where there is none.
func pageLinks(path string, params url.Values, p models.Page, total int64) (prev, next template.URL) {
	link := func(page int) template.URL {
		v := url.Values{}
		for k, vs := range params {
			v[k] = vs
		}
		v.Set("page", strconv.Itoa(page))
		return template.URL(path + "?" + v.Encode())
	}
	if p.Page > 1 {
		prev = link(p.Page - 1)
	}
	if int64(p.Page*p.PerPage) < total {
		next = link(p.Page + 1)
	}
	return prev, next
}

// day reads a date (2026-11-01) as midnight in loc.
func (q *query) day(name string, loc *time.Location) time.Time {
	v := q.c.Query(name)
	if v == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, v, loc)
	if err != nil {
		q.bad(name, "invalid_date")
		return time.Time{}
	}
	return t
}

// grantsText is a user's grants as the audit stores them ([{"role","org_unit_id"}]) in
// words: 经理 · 东湖区分公司; anything else is given back as it is.
func (s *server) grantsText(lang, raw string, units map[uint]string) string {
	var gs []struct {
		Role      string `json:"role"`
		OrgUnitID uint   `json:"org_unit_id"`
	}
	if raw == "" || json.Unmarshal([]byte(raw), &gs) != nil {
		return raw
	}
	parts := make([]string, len(gs))
	for i, g := range gs {
		parts[i] = s.msgs.label(lang, "role.", g.Role) + " · " + unitName(g.OrgUnitID, units)
	}
	return strings.Join(parts, s.msgs.T(lang, "adminweb.list_sep", nil))
}
