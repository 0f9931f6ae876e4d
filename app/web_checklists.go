package app

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/models"
)

// checklistNotices are the outcomes a redirect back to a checklist may announce.
var checklistNotices = []string{"created", "saved", "new_version", "published", "retired"}

// checklistsPageData is the list of template versions the caller sees.
type checklistsPageData struct {
	List     models.List[models.ChecklistTemplate]
	Filter   models.TemplateFilter
	Statuses []string
	Editor   bool
	Page     int
	PrevURL  string
	NextURL  string
}

func (s *server) checklistsPage(c *fiber.Ctx) error {
	q := newQuery(c)
	f := models.TemplateFilter{Code: strings.ToUpper(q.str("code", 32)), Status: q.choice("status", templateStatuses), Page: q.page()}
	if err := q.err(); err != nil {
		return err
	}
	f.PerPage = supervisionPerPage
	editor := templateEditor(c)
	list, err := s.inspections.ListTemplates(c.UserContext(), editor, f)
	if err != nil {
		return err
	}
	d := checklistsPageData{List: list, Filter: f, Editor: editor, Statuses: templateStatuses}
	if !editor {
		d.Statuses = []string{models.TemplatePublished, models.TemplateRetired}
	}
	page := f.Page.Normalize()
	d.Page = page.Page
	link := func(n int) string {
		v := url.Values{}
		for k, x := range map[string]string{"code": f.Code, "status": f.Status} {
			if x != "" {
				v.Set(k, x)
			}
		}
		v.Set("page", strconv.Itoa(n))
		return "/checklists?" + v.Encode()
	}
	if page.Page > 1 {
		d.PrevURL = link(page.Page - 1)
	}
	if int64(page.Page*page.PerPage) < list.Total {
		d.NextURL = link(page.Page + 1)
	}
	return s.render(c, fiber.StatusOK, "checklists", "checklistweb.title", d)
}

// checklistPageData is one template version, read-only, with the versions of its code
// the caller sees and, for editors, what they may do with it.
type checklistPageData struct {
	T        *models.ChecklistTemplate
	Versions []models.ChecklistTemplate
	Editor   bool
	// Draft is the newer draft of the code, which an edit of a published or retired
	// version would be refused for (edit that draft instead).
	Draft  *models.ChecklistTemplate
	Next   int // the version an edit of a published or retired version makes
	Notice string
	Errors []string
}

func (s *server) checklistPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	q := newQuery(c)
	notice := q.choice("done", checklistNotices)
	if err := q.err(); err != nil {
		return err
	}
	return s.renderChecklist(c, fiber.StatusOK, id, notice, nil)
}

// renderChecklist shows version id as inspections.Service.GetTemplate gives it to the caller (a
// draft is not found for non-editors), with msgs, the refusal of a publish or retire.
func (s *server) renderChecklist(c *fiber.Ctx, status int, id uint, notice string, msgs []string) error {
	editor := templateEditor(c)
	t, err := s.inspections.GetTemplate(c.UserContext(), editor, id)
	if err != nil {
		return err
	}
	d := checklistPageData{T: t, Editor: editor, Errors: msgs}
	if notice != "" {
		d.Notice = s.msgs.T(language(c), "checklistweb.done."+notice, map[string]any{"version": t.Version})
	}
	if d.Versions, d.Draft, d.Next, err = s.checklistVersions(c, editor, t.Code); err != nil {
		return err
	}
	return s.render(c, status, "checklist", "checklistweb.version_title", d)
}

// checklistVersions lists the versions of code the caller sees, newest first, with the
// draft among them and the number the next version would get.
func (s *server) checklistVersions(c *fiber.Ctx, editor bool, code string) ([]models.ChecklistTemplate, *models.ChecklistTemplate, int, error) {
	list, err := s.inspections.ListTemplates(c.UserContext(), editor, models.TemplateFilter{Code: code, Page: models.Page{PerPage: models.MaxPerPage}})
	if err != nil {
		return nil, nil, 0, err
	}
	var draft *models.ChecklistTemplate
	next := 1
	for i, v := range list.Items {
		if v.Status == models.TemplateDraft && draft == nil {
			draft = &list.Items[i]
		}
		next = max(next, v.Version+1)
	}
	return list.Items, draft, next, nil
}

// publishChecklistForm publishes a draft through inspections.Service.PublishTemplate and goes
// back to it; a refusal (a retired version) is shown on the page.
func (s *server) publishChecklistForm(c *fiber.Ctx) error {
	return s.checklistStatusForm(c, "published", s.inspections.PublishTemplate)
}

// retireChecklistForm retires a published version through inspections.Service.RetireTemplate.
func (s *server) retireChecklistForm(c *fiber.Ctx) error {
	return s.checklistStatusForm(c, "retired", s.inspections.RetireTemplate)
}

// checklistStatusForm calls change (publish or retire) on version :id and goes back to
// its page announcing notice, or shows the service's refusal there.
func (s *server) checklistStatusForm(c *fiber.Ctx, notice string,
	change func(ctx context.Context, actor models.Actor, scope models.Scope, id uint) (*models.ChecklistTemplate, error)) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	_, err = change(c.UserContext(), actorOf(c), scopeOf(c), id)
	var ce *models.ConflictError
	if errors.As(err, &ce) {
		msg := s.msgs.T(language(c), "field."+ce.Code, nil)
		return s.renderChecklist(c, fiber.StatusConflict, id, "", []string{msg})
	}
	if err != nil {
		return err
	}
	return c.Redirect(fmt.Sprintf("/checklists/%d?done=%s", id, notice), fiber.StatusSeeOther)
}
