package app

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

// blueprintRows is how many blueprint rows the exam form shows; empty rows are ignored.
const blueprintRows = 6

// localMinute is the value of an <input type="datetime-local">, read in the display zone.
const localMinute = "2006-01-02T15:04"

// fixedFieldRE is an item of a fixed paper: fixed[2].points.
var fixedFieldRE = regexp.MustCompile(`^fixed\[(\d+)\]\.`)

// examFields are the fields the exam form shows errors beside; a refusal of any other
// field (the frozen structure) is shown above the form.
var examFields = []string{"title", "kind", "time_limit_minutes", "opens_at", "closes_at", "pass_percent", "attempts_allowed",
	"cool_off_minutes", "grading", "positions", "org_unit_ids", "blueprint", "fixed"}

// examForm is the exam form as typed, kept as text so a refusal shows it back.
type examForm struct {
	Title, Kind, TimeLimit, OpensAt, ClosesAt, PassPercent, AttemptsAllowed, CoolOff, Grading string
	ShuffleQuestions, ShuffleOptions                                                          bool
	Positions                                                                                 []string
	UnitIDs                                                                                   []uint
	Blueprint                                                                                 []blueprintRow
	Fixed                                                                                     string
}

// blueprintRow is one blueprint row of the form with its refusals.
type blueprintRow struct {
	Index                               int
	Category, Difficulty, Count, Points string
	Errors                              []string
}

func (r blueprintRow) empty() bool {
	return strings.TrimSpace(r.Category+r.Count+r.Points) == ""
}

// examFormData is the new- or edit-exam page.
type examFormData struct {
	Exam        *models.Exam // the exam edited; nil on the new-exam form
	Attempts    int64
	In          examForm
	Kinds       []string
	Categories  []string
	Positions   []string
	Units       []models.OrgUnit
	HasPosition map[string]bool
	HasUnit     map[uint]bool
	Errors      map[string][]string
	General     []string
	Action      string
}

// readExamForm copies the exam form out of Fiber's buffers; a unit id that is not one is
// refused in ve.
func readExamForm(c *fiber.Ctx, ve *models.ValidationError) examForm {
	v := func(name string) string { return strings.TrimSpace(strings.Clone(c.FormValue(name))) }
	f := examForm{Title: v("title"), Kind: v("kind"), TimeLimit: v("time_limit_minutes"), OpensAt: v("opens_at"), ClosesAt: v("closes_at"),
		PassPercent: v("pass_percent"), AttemptsAllowed: v("attempts_allowed"), CoolOff: v("cool_off_minutes"), Grading: v("grading"),
		ShuffleQuestions: c.FormValue("shuffle_questions") != "", ShuffleOptions: c.FormValue("shuffle_options") != "",
		Positions: formValues(c, "positions"), UnitIDs: formIDs(c, ve, "org_unit_ids"), Fixed: strings.Clone(c.FormValue("fixed"))}
	f.Blueprint = make([]blueprintRow, blueprintRows)
	for i := range f.Blueprint {
		n := strconv.Itoa(i)
		f.Blueprint[i] = blueprintRow{Index: i, Category: v("bp_category" + n), Difficulty: v("bp_difficulty" + n),
			Count: v("bp_count" + n), Points: v("bp_points" + n)}
	}
	return f
}

// examFormOf is a stored exam as the form shows it, times in loc.
func examFormOf(e *models.Exam, loc *time.Location) examForm {
	f := examForm{Title: e.Title, Kind: e.Kind, TimeLimit: strconv.Itoa(e.TimeLimitMinutes), OpensAt: e.OpensAt.In(loc).Format(localMinute),
		ClosesAt: e.ClosesAt.In(loc).Format(localMinute), PassPercent: strconv.Itoa(e.PassPercent), AttemptsAllowed: strconv.Itoa(e.AttemptsAllowed),
		CoolOff: strconv.Itoa(e.CoolOffMinutes), Grading: e.Grading, ShuffleQuestions: e.ShuffleQuestions, ShuffleOptions: e.ShuffleOptions,
		Positions: slices.Clone(e.Positions), UnitIDs: slices.Clone(e.OrgUnitIDs)}
	f.Blueprint = make([]blueprintRow, max(blueprintRows, len(e.Blueprint)))
	for i := range f.Blueprint {
		f.Blueprint[i].Index = i
		if i < len(e.Blueprint) {
			r := e.Blueprint[i]
			f.Blueprint[i] = blueprintRow{Index: i, Category: r.Category, Difficulty: strconv.Itoa(r.Difficulty), Count: strconv.Itoa(r.Count), Points: strconv.Itoa(r.Points)}
		}
	}
	var lines []string
	for _, it := range e.Fixed {
		lines = append(lines, it.Code+" "+strconv.Itoa(it.Points))
	}
	f.Fixed = strings.Join(lines, "\n")
	return f
}

// examSource maps the service's blueprint[i] and fixed[i] back to the form's row and line.
type examSource struct {
	rows  []int // blueprint rule i came from form row rows[i]
	lines []int // fixed item i came from line lines[i] (1-based)
}

// input is what the services take, read in loc. Only the form's own parsing is checked
// here (numbers, date-times); every rule is the service's. A typed value equal to what
// old holds keeps old's exact value, so saving an unchanged form changes nothing (the
// minutes of a time, the order of a list) and a frozen exam is not refused for it.
func (f examForm) input(loc *time.Location, old *models.Exam, ve *models.ValidationError) (exams.ExamInput, examSource) {
	var src examSource
	num := func(field, s string) int {
		if s == "" {
			return 0 // the service refuses what may not be empty
		}
		n, err := strconv.Atoi(s)
		if err != nil {
			ve.Add(field, "invalid")
		}
		return n
	}
	at := func(field, s string, was time.Time) time.Time {
		if s == "" {
			return time.Time{}
		}
		if old != nil && s == was.In(loc).Format(localMinute) {
			return was
		}
		t, err := time.ParseInLocation(localMinute, s, loc)
		if err != nil {
			ve.Add(field, "invalid")
		}
		return t.UTC()
	}
	in := exams.ExamInput{Title: f.Title, Kind: f.Kind, TimeLimitMinutes: num("time_limit_minutes", f.TimeLimit),
		PassPercent: num("pass_percent", f.PassPercent), AttemptsAllowed: num("attempts_allowed", f.AttemptsAllowed),
		CoolOffMinutes: num("cool_off_minutes", f.CoolOff), Grading: f.Grading,
		ShuffleQuestions: f.ShuffleQuestions, ShuffleOptions: f.ShuffleOptions, Positions: f.Positions, OrgUnitIDs: f.UnitIDs}
	var wasOpens, wasCloses time.Time
	if old != nil {
		wasOpens, wasCloses = old.OpensAt, old.ClosesAt
		if sameSet(f.Positions, old.Positions) {
			in.Positions = old.Positions
		}
		if sameSet(f.UnitIDs, old.OrgUnitIDs) {
			in.OrgUnitIDs = old.OrgUnitIDs
		}
	}
	in.OpensAt, in.ClosesAt = at("opens_at", f.OpensAt, wasOpens), at("closes_at", f.ClosesAt, wasCloses)
	for _, r := range f.Blueprint {
		if r.empty() {
			continue
		}
		p := "blueprint[" + strconv.Itoa(len(in.Blueprint)) + "]."
		diff := r.Difficulty
		if diff == "" {
			diff = "0"
		}
		in.Blueprint = append(in.Blueprint, models.BlueprintRule{Category: r.Category, Difficulty: num(p+"difficulty", diff),
			Count: num(p+"count", r.Count), Points: num(p+"points", r.Points)})
		src.rows = append(src.rows, r.Index)
	}
	for i, line := range strings.Split(f.Fixed, "\n") {
		parts := strings.FieldsFunc(line, func(r rune) bool { return unicode.IsSpace(r) || r == ',' || r == '，' })
		if len(parts) == 0 {
			continue
		}
		p := "fixed[" + strconv.Itoa(len(in.Fixed)) + "]."
		it := models.FixedItem{Code: parts[0]}
		switch len(parts) {
		case 1: // no points: the service refuses 0
		case 2:
			it.Points = num(p+"points", parts[1])
		default:
			ve.Add(p+"points", "invalid")
		}
		in.Fixed = append(in.Fixed, it)
		src.lines = append(src.lines, i+1)
	}
	return in, src
}

// sameSet reports whether a and b hold the same values, in any order.
func sameSet[T comparable](a, b []T) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[T]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
	}
	for _, n := range m {
		if n != 0 {
			return false
		}
	}
	return true
}

func (s *server) newExamPage(c *fiber.Ctx) error {
	f := examForm{Kind: models.ExamGeneral, TimeLimit: "30", PassPercent: "60", AttemptsAllowed: "1", CoolOff: "0", Grading: models.GradeHighest,
		ShuffleQuestions: true, ShuffleOptions: true, Blueprint: make([]blueprintRow, blueprintRows)}
	for i := range f.Blueprint {
		f.Blueprint[i].Index = i
	}
	return s.renderExamForm(c, fiber.StatusOK, examFormData{In: f}, examSource{})
}

func (s *server) editExamPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	e, err := models.GetExam(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	return s.renderExamForm(c, fiber.StatusOK, examFormData{Exam: e, In: examFormOf(e, s.cfg.Location)}, examSource{})
}

// createExamForm creates a draft through exams.CreateExam, as the API does.
func (s *server) createExamForm(c *fiber.Ctx) error {
	ve := &models.ValidationError{}
	f := readExamForm(c, ve)
	in, src := f.input(s.cfg.Location, nil, ve)
	err := ve.Err()
	if err == nil {
		err = models.CheckLists(&in) // the form's lists are bounded as the API's are
	}
	if err == nil {
		_, err = s.exams.CreateExam(c.UserContext(), actorOf(c), in)
	}
	if status, byField, ok := s.refusalByField(c, err); ok {
		return s.renderExamForm(c, status, examFormData{In: f, Errors: byField}, src)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/exams/manage?done=created", fiber.StatusSeeOther)
}

// updateExamForm saves an exam through exams.UpdateExam, which refuses a change of
// structure once an attempt exists; the refusal is shown on the form.
func (s *server) updateExamForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	old, err := models.GetExam(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	ve := &models.ValidationError{}
	f := readExamForm(c, ve)
	in, src := f.input(s.cfg.Location, old, ve)
	err = ve.Err()
	if err == nil {
		err = models.CheckLists(&in) // the form's lists are bounded as the API's are
	}
	if err == nil {
		_, err = s.exams.UpdateExam(c.UserContext(), actorOf(c), id, in)
	}
	if status, byField, ok := s.refusalByField(c, err); ok {
		return s.renderExamForm(c, status, examFormData{Exam: old, In: f, Errors: byField}, src)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/exams/manage?done=saved", fiber.StatusSeeOther)
}

// renderExamForm shows the exam form with d, its refusals beside their fields.
func (s *server) renderExamForm(c *fiber.Ctx, status int, d examFormData, src examSource) error {
	ctx, lang := c.UserContext(), language(c)
	d.Kinds, d.Categories, d.Positions, d.Action = models.ExamKinds, models.QuestionCategories, models.Positions, "/exams/new"
	if d.Exam != nil {
		d.Action = fmt.Sprintf("/exams/%d/edit", d.Exam.ID)
		counts, err := models.CountExamAttempts(ctx, s.db, []uint{d.Exam.ID})
		if err != nil {
			return err
		}
		d.Attempts = counts[d.Exam.ID].Attempts
	}
	_, units, err := s.unitsByID(c)
	if err != nil {
		return err
	}
	d.HasPosition, d.HasUnit = map[string]bool{}, map[uint]bool{}
	for _, p := range d.In.Positions {
		d.HasPosition[p] = true
	}
	for _, id := range d.In.UnitIDs {
		d.HasUnit[id] = true
	}
	// The units above the outlets, and any outlet already chosen.
	d.Units = slices.DeleteFunc(units, func(u models.OrgUnit) bool { return u.Level == models.LevelOutlet && !d.HasUnit[u.ID] })

	s.placeExamErrors(lang, &d, src)
	title := "trainerweb.new_exam"
	if d.Exam != nil {
		title = "trainerweb.edit_exam"
	}
	return s.render(c, status, "exam_form", title, d)
}

// placeExamErrors moves the refusals of d.Errors (by the service's field names) beside
// the form's fields: a blueprint rule's beside its row, a fixed item's with its line
// number, the rest above the form.
func (s *server) placeExamErrors(lang string, d *examFormData, src examSource) {
	byField := d.Errors
	d.Errors = map[string][]string{}
	for _, field := range slices.Sorted(maps.Keys(byField)) {
		msgs := byField[field]
		if m := blueprintFieldRE.FindStringSubmatch(field); m != nil {
			i, _ := strconv.Atoi(m[1])
			if i < len(src.rows) && src.rows[i] < len(d.In.Blueprint) {
				col := s.msgs.T(lang, "trainerweb.bp."+strings.TrimPrefix(field, m[0]), nil)
				r := &d.In.Blueprint[src.rows[i]]
				for _, msg := range msgs {
					r.Errors = append(r.Errors, s.msgs.T(lang, "trainerweb.field_message", map[string]any{"field": col, "message": msg}))
				}
				continue
			}
		}
		if m := fixedFieldRE.FindStringSubmatch(field); m != nil {
			i, _ := strconv.Atoi(m[1])
			if i < len(src.lines) {
				line := s.msgs.T(lang, "trainerweb.line", map[string]any{"n": src.lines[i]})
				for _, msg := range msgs {
					d.Errors["fixed"] = append(d.Errors["fixed"], s.msgs.T(lang, "trainerweb.field_message", map[string]any{"field": line, "message": msg}))
				}
				continue
			}
		}
		if slices.Contains(examFields, field) {
			d.Errors[field] = append(d.Errors[field], msgs...)
			continue
		}
		for _, msg := range msgs {
			d.General = append(d.General, s.msgs.T(lang, "trainerweb.field_message", map[string]any{"field": s.examFieldLabel(lang, field), "message": msg}))
		}
	}
}
