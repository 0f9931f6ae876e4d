package app

import (
	"errors"
	"net/url"
	"regexp"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
	"quality/workbook"
)

// Rows of the trainers' lists; the pages page on beyond them.
const trainerPerPage = 50

// examManageNotices are the outcomes a redirect back to /exams/manage may announce.
var examManageNotices = []string{"publish", "created", "saved"}

// questionsPageData is the question bank page: one page of the latest versions, the
// filter, and the outcome of an import (a report, or the rows that refused it).
type questionsPageData struct {
	List       models.List[models.Question]
	Filter     models.QuestionFilter
	Kinds      []string
	Categories []string
	Page       int
	PrevURL    string
	NextURL    string
	Report     *workbook.Report
	Summary    string // the counts of an accepted import, in the page's language
	Rows       []importRow
	Error      string
}

// importRow is one reason an import was refused, ready for the page: the field named
// in the page's language.
type importRow struct {
	Row                   int
	Field, Value, Message string
}

func (s *server) questionsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.QuestionFilter{Q: q.str("q", 100), Kind: q.choice("kind", models.QuestionKinds),
		Category: q.choice("category", models.QuestionCategories), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	return s.renderQuestions(c, fiber.StatusOK, questionsPageData{Filter: f})
}

// renderQuestions lists the page of the bank d.Filter asks for and shows it with d.
func (s *server) renderQuestions(c *fiber.Ctx, status int, d questionsPageData) error {
	d.Filter.PerPage = trainerPerPage
	list, err := models.ListQuestions(c.UserContext(), s.db, d.Filter)
	if err != nil {
		return err
	}
	page := d.Filter.Page.Normalize()
	d.List, d.Kinds, d.Categories, d.Page = list, models.QuestionKinds, models.QuestionCategories, page.Page
	link := func(n int) string {
		v := url.Values{}
		for k, x := range map[string]string{"q": d.Filter.Q, "kind": d.Filter.Kind, "category": d.Filter.Category} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/questions?" + v.Encode()
	}
	if page.Page > 1 {
		d.PrevURL = link(page.Page - 1)
	}
	if int64(page.Page*page.PerPage) < list.Total {
		d.NextURL = link(page.Page + 1)
	}
	return s.render(c, status, "questions", "trainerweb.questions", d)
}

// importBankForm imports a question bank workbook through exams.ImportBank, as the API
// does, and shows the outcome on the bank page: the counts, or every refused row.
func (s *server) importBankForm(c *fiber.Ctx) error {
	lang := language(c)
	rep, err := s.importBankUpload(c, c.FormValue("dry_run") != "")
	var ie *workbook.ImportError
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ie):
		var p Problem
		s.importProblem(lang, &p, ie)
		rows := make([]importRow, len(p.Rows))
		for i, r := range p.Rows {
			rows[i] = importRow{Row: r.Row, Field: s.bankFieldLabel(lang, r.Field), Value: r.Value, Message: r.Message}
		}
		return s.renderQuestions(c, fiber.StatusUnprocessableEntity, questionsPageData{Report: ie.Report, Rows: rows})
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		f := ve.Fields[0]
		return s.renderQuestions(c, fiber.StatusUnprocessableEntity, questionsPageData{
			Error: s.fieldMessage(lang, s.bankFieldLabel(lang, f.Field), f.Code, f.Params)})
	case errors.Is(err, workbook.ErrBad):
		return s.renderQuestions(c, fiber.StatusUnprocessableEntity, questionsPageData{Error: s.msgs.T(lang, "field.invalid_workbook", nil)})
	case err != nil:
		return err
	}
	key := "trainerweb.import_ok"
	if rep.DryRun {
		key = "trainerweb.dry_run_ok"
	}
	return s.renderQuestions(c, fiber.StatusOK, questionsPageData{Report: rep, Summary: s.msgs.T(lang, key, map[string]any{
		"rows": rep.Rows, "created": rep.Created, "updated": rep.Updated, "unchanged": rep.Unchanged})})
}

// fieldMessage is "field: message" in lang, the message of code with params.
func (s *server) fieldMessage(lang, label, code string, params map[string]any) string {
	return s.msgs.T(lang, "trainerweb.field_message", map[string]any{"field": label, "message": s.msgs.T(lang, "field."+code, params)})
}

// importBankUpload opens the uploaded workbook (the API's size limit) and imports it.
func (s *server) importBankUpload(c *fiber.Ctx, dryRun bool) (*workbook.Report, error) {
	f, err := openUpload(c, "file", 10<<20)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return s.exams.ImportBank(c.UserContext(), actorOf(c), f, dryRun)
}

var (
	optionFieldRE    = regexp.MustCompile(`^options\[(\d+)\]$`)
	blueprintFieldRE = regexp.MustCompile(`^blueprint\[(\d+)\]\.`)
)

// bankFieldLabel names a column of the bank workbook (or a field of a question) in
// lang; options[i] is the option's letter column, and an unnamed field the whole sheet.
func (s *server) bankFieldLabel(lang, field string) string {
	if m := optionFieldRE.FindStringSubmatch(field); m != nil {
		if i, err := strconv.Atoi(m[1]); err == nil && i < 6 {
			return s.msgs.T(lang, "trainerweb.column.option", map[string]any{"letter": string(rune('A' + i))})
		}
	}
	if field == "" {
		field = "sheet"
	}
	key := "trainerweb.column." + field
	if l := s.msgs.T(lang, key, nil); l != key {
		return l
	}
	return field
}

// examRow is one exam of the management page with its attempt counts and, after a
// refused publish, the reasons.
type examRow struct {
	models.Exam
	Attempts       int64
	FirstSubmitted int64
	Analysable     bool
	Errors         []string
}

// examManageData is the exam management page.
type examManageData struct {
	Rows        []examRow
	Errors      []string // a refusal for an exam not on this page
	Total       int64
	Notice      string
	MinAnalysis int
	Page        int
	PrevURL     string
	NextURL     string
}

func (s *server) examManagePage(c *fiber.Ctx) error {
	q := newQuery(c)
	notice := q.choice("done", examManageNotices)
	p := q.page()
	if err := q.err(); err != nil {
		return err
	}
	return s.renderExamManage(c, fiber.StatusOK, p, notice, 0, nil)
}

// renderExamManage shows one page of the exams (drafts and published), as the API lists
// them to a trainer, with the refusal msgs next to the exam refused.
func (s *server) renderExamManage(c *fiber.Ctx, status int, p models.Page, notice string, refused uint, msgs []string) error {
	p.PerPage = trainerPerPage
	list, err := s.exams.ListVisible(c.UserContext(), currentUser(c), p)
	if err != nil {
		return err
	}
	ids := make([]uint, len(list.Items))
	for i, e := range list.Items {
		ids[i] = e.ID
	}
	counts, err := models.CountExamAttempts(c.UserContext(), s.db, ids)
	if err != nil {
		return err
	}
	d := examManageData{Total: list.Total, Notice: notice, MinAnalysis: exams.MinAnalysisAttempts, Rows: make([]examRow, len(list.Items)), Errors: msgs}
	for i, e := range list.Items {
		n := counts[e.ID]
		d.Rows[i] = examRow{Exam: e, Attempts: n.Attempts, FirstSubmitted: n.FirstSubmitted,
			Analysable: e.Status == models.ExamPublished && n.FirstSubmitted >= exams.MinAnalysisAttempts}
		if e.ID == refused {
			d.Rows[i].Errors, d.Errors = msgs, nil
		}
	}
	page := p.Normalize()
	d.Page = page.Page
	if page.Page > 1 {
		d.PrevURL = "/exams/manage?page=" + strconv.Itoa(page.Page-1)
	}
	if int64(page.Page*page.PerPage) < list.Total {
		d.NextURL = "/exams/manage?page=" + strconv.Itoa(page.Page+1)
	}
	return s.render(c, status, "exam_manage", "trainerweb.exams", d)
}

// publishExamForm publishes a draft through exams.PublishExam, as the API does, and goes
// back to the list; a refusal (a pool smaller than the blueprint asks, a fixed question
// gone) is shown next to the exam, field by field.
func (s *server) publishExamForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	_, err = s.exams.PublishExam(c.UserContext(), actorOf(c), id)
	var ve *models.ValidationError
	var ce *models.ConflictError
	lang := language(c)
	switch {
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		msgs := make([]string, len(ve.Fields))
		for i, f := range ve.Fields {
			msgs[i] = s.fieldMessage(lang, s.examFieldLabel(lang, f.Field), f.Code, f.Params)
		}
		return s.renderExamManage(c, fiber.StatusUnprocessableEntity, models.Page{}, "", id, msgs)
	case errors.As(err, &ce):
		msg := s.fieldMessage(lang, s.examFieldLabel(lang, ce.Field), ce.Code, nil)
		return s.renderExamManage(c, fiber.StatusConflict, models.Page{}, "", id, []string{msg})
	case err != nil:
		return err
	}
	return c.Redirect("/exams/manage?done=publish", fiber.StatusSeeOther)
}

// examFieldLabel names a field of an exam in lang: blueprint[i].count is rule i+1.
func (s *server) examFieldLabel(lang, field string) string {
	if m := blueprintFieldRE.FindStringSubmatch(field); m != nil {
		if i, err := strconv.Atoi(m[1]); err == nil {
			return s.msgs.T(lang, "trainerweb.field.blueprint", map[string]any{"n": i + 1})
		}
	}
	key := "trainerweb.field." + field
	if l := s.msgs.T(lang, key, nil); l != key {
		return l
	}
	return field
}
