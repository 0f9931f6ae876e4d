package app

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

// optionRows is how many option rows the question form shows (the bank workbook's A–F);
// a question with more options (the API allows eight) shows them all.
const optionRows = 6

// questionNotices are the outcomes a redirect back to a question's form may announce.
var questionNotices = []string{"created", "saved", "version", "archived"}

// questionFields are the fields the question form shows errors beside; a refusal of any
// other field is shown above the form.
var questionFields = []string{"code", "kind", "category", "difficulty", "stem", "options", "answer", "accepted", "explanation", "rule"}

// questionForm is the question form as typed, kept as text so a refusal shows it back.
type questionForm struct {
	Code, Kind, Category, Difficulty, Stem, Accepted, Explanation, Rule string
	Options                                                             []string
	Correct                                                             []bool
}

// optionRow is one option row of the form with its refusals.
type optionRow struct {
	Index   int
	Letter  string
	Text    string
	Correct bool
	Errors  []string
}

// questionFormData is the new- or edit-question page.
type questionFormData struct {
	Question   *models.Question // the version edited; nil on the new-question form
	In         questionForm
	Rows       []optionRow
	Kinds      []string
	Categories []string
	Errors     map[string][]string
	General    []string
	Notice     string
	Action     string
}

// readQuestionForm copies the question form out of Fiber's buffers.
func readQuestionForm(c *fiber.Ctx) questionForm {
	v := func(name string) string { return strings.Clone(c.FormValue(name)) }
	f := questionForm{Code: strings.TrimSpace(v("code")), Kind: v("kind"), Category: v("category"), Difficulty: v("difficulty"),
		Stem: v("stem"), Accepted: v("accepted"), Explanation: v("explanation"), Rule: v("rule")}
	rows := optionRows
	if n, err := strconv.Atoi(c.FormValue("option_rows")); err == nil && n > rows && n <= 8 {
		rows = n
	}
	f.Options, f.Correct = make([]string, rows), make([]bool, rows)
	for i := range rows {
		f.Options[i] = v("option" + strconv.Itoa(i))
	}
	for _, s := range formValues(c, "correct") {
		if i, err := strconv.Atoi(s); err == nil && i >= 0 && i < rows {
			f.Correct[i] = true
		}
	}
	return f
}

// questionFormOf is a stored version as the form shows it.
func questionFormOf(q *models.Question) questionForm {
	rows := max(optionRows, len(q.Options))
	f := questionForm{Code: q.Code, Kind: q.Kind, Category: q.Category, Difficulty: strconv.Itoa(q.Difficulty), Stem: q.Stem,
		Accepted: strings.Join(q.Accepted, "\n"), Explanation: q.Explanation, Rule: q.Rule,
		Options: make([]string, rows), Correct: make([]bool, rows)}
	copy(f.Options, q.Options)
	for _, a := range q.Answer {
		if a >= 0 && a < rows {
			f.Correct[a] = true
		}
	}
	return f
}

// input is what the services take. Rows after the last typed option are dropped; a
// blank row between typed ones is kept, so the service refuses it beside its row. The
// options of a true/false question are the service's: ticking row A or B is the key.
func (f questionForm) input() exams.QuestionInput {
	in := exams.QuestionInput{Code: f.Code, Kind: f.Kind, Category: f.Category, Stem: f.Stem, Explanation: f.Explanation, Rule: f.Rule,
		Options: []string{}, Accepted: strings.Split(f.Accepted, "\n")}
	// Not a number is 0, which the service refuses as out of range.
	in.Difficulty, _ = strconv.Atoi(strings.TrimSpace(f.Difficulty))
	last := -1
	for i, o := range f.Options {
		if strings.TrimSpace(o) != "" {
			last = i
		}
	}
	in.Options = append(in.Options, f.Options[:last+1]...)
	for i, ok := range f.Correct {
		if ok {
			in.Answer = append(in.Answer, i)
		}
	}
	return in
}

func (s *server) newQuestionPage(c *fiber.Ctx) error {
	f := questionForm{Kind: models.KindSingle, Category: models.QuestionCategories[0], Difficulty: "1",
		Options: make([]string, optionRows), Correct: make([]bool, optionRows)}
	return s.renderQuestionForm(c, fiber.StatusOK, questionFormData{In: f})
}

func (s *server) editQuestionPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	notice := q.choice("done", questionNotices)
	if err := q.err(); err != nil {
		return err
	}
	question, err := models.GetQuestion(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	return s.renderQuestionForm(c, fiber.StatusOK, questionFormData{Question: question, In: questionFormOf(question), Notice: notice})
}

// createQuestionForm creates a question through exams.CreateQuestion, as the API does.
func (s *server) createQuestionForm(c *fiber.Ctx) error {
	f := readQuestionForm(c)
	q, err := s.exams.CreateQuestion(c.UserContext(), actorOf(c), f.input())
	if status, byField, ok := s.refusalByField(c, err); ok {
		return s.renderQuestionForm(c, status, questionFormData{In: f, Errors: byField})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/questions/%d/edit?done=created", q.ID), fiber.StatusSeeOther)
}

// updateQuestionForm saves an edit through exams.UpdateQuestion; when an attempt has
// shown the version, the service makes a new one and the page says so.
func (s *server) updateQuestionForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	old, err := models.GetQuestion(c.UserContext(), s.db, id)
	if err != nil {
		return err
	}
	f := readQuestionForm(c)
	q, err := s.exams.UpdateQuestion(c.UserContext(), actorOf(c), id, f.input())
	if status, byField, ok := s.refusalByField(c, err); ok {
		f.Code = old.Code
		return s.renderQuestionForm(c, status, questionFormData{Question: old, In: f, Errors: byField})
	}
	if err != nil {
		return err
	}
	done := "saved"
	if q.ID != id {
		done = "version"
	}
	return c.Redirect(fmt.Sprintf("/questions/%d/edit?done=%s", q.ID, done), fiber.StatusSeeOther)
}

// archiveQuestionForm takes a question out of future papers through exams.ArchiveQuestion.
func (s *server) archiveQuestionForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	if err := s.exams.ArchiveQuestion(c.UserContext(), actorOf(c), id); err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/questions/%d/edit?done=archived", id), fiber.StatusSeeOther)
}

// renderQuestionForm shows the question form with d, its refusals beside their fields.
func (s *server) renderQuestionForm(c *fiber.Ctx, status int, d questionFormData) error {
	d.Kinds, d.Categories, d.Action = models.QuestionKinds, models.QuestionCategories, "/questions/new"
	if d.Question != nil {
		d.Action = fmt.Sprintf("/questions/%d/edit", d.Question.ID)
	}
	byField := d.Errors
	d.Errors = map[string][]string{}
	d.Rows = make([]optionRow, len(d.In.Options))
	for i := range d.Rows {
		d.Rows[i] = optionRow{Index: i, Letter: string(rune('A' + i)), Text: d.In.Options[i], Correct: d.In.Correct[i]}
	}
	lang := language(c)
	for field, msgs := range byField {
		switch m := optionFieldRE.FindStringSubmatch(field); {
		case m != nil:
			if i, err := strconv.Atoi(m[1]); err == nil && i < len(d.Rows) {
				d.Rows[i].Errors = append(d.Rows[i].Errors, msgs...)
			}
		case slices.Contains(questionFields, field):
			d.Errors[field] = msgs
		default:
			for _, msg := range msgs {
				d.General = append(d.General, s.msgs.T(lang, "trainerweb.field_message", map[string]any{"field": s.bankFieldLabel(lang, field), "message": msg}))
			}
		}
	}
	slices.Sort(d.General)
	title := "trainerweb.new_question"
	if d.Question != nil {
		title = "trainerweb.edit_question"
	}
	return s.render(c, status, "question_form", title, d)
}

// refusalByField turns a validation or conflict error of a service into its status and
// the messages of each field in the page's language; other errors are not refusals.
func (s *server) refusalByField(c *fiber.Ctx, err error) (int, map[string][]string, bool) {
	lang := language(c)
	out := map[string][]string{}
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		for _, f := range ve.Fields {
			out[f.Field] = append(out[f.Field], s.msgs.T(lang, "field."+f.Code, f.Params))
		}
		return fiber.StatusUnprocessableEntity, out, true
	case errors.As(err, &ce):
		out[ce.Field] = append(out[ce.Field], s.msgs.T(lang, "field."+ce.Code, nil))
		return fiber.StatusConflict, out, true
	}
	return 0, nil, false
}
