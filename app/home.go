package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/accountability"
	"quality/accounts"
	"quality/exams"
	"quality/models"
	"quality/rectifications"
	"quality/training"
)

// The home page is each user's to-do board: per role, a few counts, each linking to the
// page that lists the same records. A tile's scope is the scope of the route it links
// to (the roles that route allows), so its count is what the link lists; the counts come
// from the lists' own services with one row a page, so a view costs a bounded number of
// queries whatever the data.

// homeDays is how far ahead "due soon" looks and how far back "recent" looks.
const homeDays = 7

// homeTile is one count on the board (Value, when set, is shown instead of N). Note,
// when set, is shown under the label after its NoteKey (a due date, a version); Alert
// marks a count that is late.
type homeTile struct {
	ID      string
	Label   string
	N       int64
	Value   string
	NoteKey string
	Note    string
	Link    string
	Alert   bool
}

// homeSection is one role's tiles under its heading key.
type homeSection struct {
	Title string
	Tiles []homeTile
}

// homeBoard gathers the caller's sections in a fixed order: their own, then per role.
func (s *server) homeBoard(ctx context.Context, u *models.User) ([]homeSection, error) {
	var out []homeSection
	steps := []struct {
		title string
		on    bool
		fill  func(context.Context, *models.User) ([]homeTile, error)
	}{
		{"home.mine", u.EmployeeID != nil, s.myTiles},
		{"home.manager", accounts.HasRole(u, models.RoleManager), s.managerTiles},
		{"home.inspector", accounts.HasRole(u, models.RoleInspector), s.inspectorTiles},
		{"home.admin", accounts.HasRole(u, models.RoleAdmin), s.adminTiles},
		{"home.trainer", accounts.HasRole(u, models.RoleTrainer), s.trainerTiles},
	}
	for _, st := range steps {
		if !st.on {
			continue
		}
		tiles, err := st.fill(ctx, u)
		if err != nil {
			return nil, fmt.Errorf("home %s: %w", st.title, err)
		}
		out = append(out, homeSection{Title: st.title, Tiles: tiles})
	}
	return out, nil
}

// one asks a list for its total only.
var one = models.Page{PerPage: 1}

// rectTotal is the total of the /rectifications list with filter f, as the page lists it.
func (s *server) rectTotal(ctx context.Context, u *models.User, f rectifications.Filter) (int64, error) {
	f.Page = one
	list, err := s.rectService().List(ctx, accounts.ScopeOf(u, rectReaders...), f)
	return list.Total, err
}

// myTiles are the caller's own: the handbook, onboarding, open exams, certificates.
func (s *server) myTiles(ctx context.Context, u *models.User) ([]homeTile, error) {
	var out []homeTile
	hb, err := s.trainingService().Current(ctx, u.EmployeeID)
	switch {
	case errors.Is(err, models.ErrNotFound): // no handbook published yet
	case err != nil:
		return nil, err
	default:
		t := homeTile{ID: "handbook", Label: "home.handbook_pending", Link: "/handbook", NoteKey: "home.version", Note: hb.Version.Version, Alert: hb.Pending}
		if hb.Pending {
			t.N = 1
		}
		out = append(out, t)
	}
	cs := s.trainingService()
	p, err := cs.Progress(ctx, u.EmployeeID)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	if p != nil && p.Tracked && !p.Done {
		t := homeTile{ID: "onboarding", Label: "home.onboarding_left", Link: "/training", NoteKey: "home.due_on", Note: p.DueDate.String(), Alert: p.Overdue}
		for _, c := range p.Courses {
			if !c.Done {
				t.N++
			}
		}
		if p.Exam != nil && !p.Exam.Passed {
			t.N++
		}
		out = append(out, t)
	}
	n, err := s.openExamsFor(ctx, u, cs.Now())
	if err != nil {
		return nil, err
	}
	out = append(out, homeTile{ID: "exams", Label: "home.exams_open", N: n, Link: "/exams"})
	certs, err := s.exams.MyCertificates(ctx, u.EmployeeID, models.Page{PerPage: maxCertificateRows})
	if err != nil {
		return nil, err
	}
	t := homeTile{ID: "my_certs", Label: "home.my_certs_expiring", Link: "/certificates"}
	for _, c := range certs.Items {
		if c.Status == models.CertExpiring {
			t.N++
		}
	}
	t.Alert = t.N > 0
	return append(out, t), nil
}

// openExamsFor counts the exams of the /exams page the caller may take now and has not passed.
func (s *server) openExamsFor(ctx context.Context, u *models.User, now time.Time) (int64, error) {
	return s.exams.OpenNotPassed(ctx, u, now)
}

// managerTiles are the branch's: rectifications, cases, handbook, onboarding, certificates.
func (s *server) managerTiles(ctx context.Context, u *models.User) ([]homeTile, error) {
	open, err := s.rectTotal(ctx, u, rectifications.Filter{Status: models.RectOpen})
	if err != nil {
		return nil, err
	}
	overdue, err := s.rectTotal(ctx, u, rectifications.Filter{Overdue: true})
	if err != nil {
		return nil, err
	}
	awaiting, err := s.caseService().List(ctx, accounts.ScopeOf(u, caseRoles...), accountability.ListInput{AwaitingStatement: true, Page: one})
	if err != nil {
		return nil, err
	}
	out := []homeTile{
		{ID: "rect_open", Label: "home.rect_open", N: open, Link: "/rectifications?status=open"},
		{ID: "rect_overdue", Label: "home.rect_overdue", N: overdue, Link: "/rectifications?overdue=true", Alert: overdue > 0},
		{ID: "cases_statement", Label: "home.cases_statement", N: awaiting.Total, Link: "/cases?awaiting_statement=1"},
	}
	cov, err := s.homeCoverage(ctx, u)
	if err != nil {
		return nil, err
	}
	if cov != nil {
		out = append(out, homeTile{ID: "staff_handbook", Label: "home.staff_handbook", N: cov.Total.Pending, Link: "/handbook",
			NoteKey: "home.version", Note: cov.Version.Version})
	}
	late, err := s.trainingService().Overdue(ctx, accounts.ScopeOf(u, staffRoles...), training.OverdueFilter{}, one)
	if err != nil {
		return nil, err
	}
	out = append(out, homeTile{ID: "onboarding_overdue", Label: "home.onboarding_overdue", N: late.Total,
		Link: "/onboarding/overdue", Alert: late.Total > 0})
	certs, err := s.exams.ListCertificates(ctx, accounts.ScopeOf(u, expiringViewers...),
		exams.CertificateFilter{Status: models.CertExpiring, Page: one})
	if err != nil {
		return nil, err
	}
	return append(out, homeTile{ID: "certs_expiring", Label: "home.certs_expiring", N: certs.Total, Link: "/certificates"}), nil
}

// homeCoverage is the coverage the /handbook page shows the caller, or nil when
// no handbook is published.
func (s *server) homeCoverage(ctx context.Context, u *models.User) (*training.Coverage, error) {
	cov, err := s.trainingService().GetCoverage(ctx, accounts.ScopeOf(u, coverageViewers...), training.CoverageFilter{})
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil
	}
	return cov, err
}

// inspectorTiles are the caller's patrol stops, the drafts and the rectifications to verify.
func (s *server) inspectorTiles(ctx context.Context, u *models.User) ([]homeTile, error) {
	due, missed, err := s.myStops(ctx, u)
	if err != nil {
		return nil, err
	}
	drafts, err := models.ListInspections(ctx, s.db, accounts.ScopeOf(u, inspectionReaders...),
		models.InspectionFilter{Status: models.InspectionDraft, InspectorID: u.ID, Page: one})
	if err != nil {
		return nil, err
	}
	submitted, err := s.rectTotal(ctx, u, rectifications.Filter{Status: models.RectSubmitted})
	if err != nil {
		return nil, err
	}
	return []homeTile{
		{ID: "stops_due", Label: "home.stops_due", N: due, Link: "/patrols"},
		{ID: "stops_missed", Label: "home.stops_missed", N: missed, Link: "/patrols", Alert: missed > 0},
		{ID: "drafts", Label: "home.drafts", N: drafts.Total, Link: "/inspections?inspector=me&status=draft"},
		{ID: "rect_submitted", Label: "home.rect_submitted", N: submitted, Link: "/rectifications?status=submitted"},
	}, nil
}

// myStops counts the caller's own stops due within homeDays and missed (patrols.MyStops).
func (s *server) myStops(ctx context.Context, u *models.User) (due, missed int64, err error) {
	return s.patrolService().MyStops(ctx, accounts.ScopeOf(u, patrolReaders...), u.ID, homeDays)
}

// adminTiles are the subtree's overdue rectifications, the escalations of the last
// homeDays days at the level of the caller's own units and open cases.
func (s *server) adminTiles(ctx context.Context, u *models.User) ([]homeTile, error) {
	overdue, err := s.rectTotal(ctx, u, rectifications.Filter{Overdue: true})
	if err != nil {
		return nil, err
	}
	rs := s.rectService()
	level, err := s.adminEscalationLevel(ctx, u)
	if err != nil {
		return nil, err
	}
	today := rs.Today()
	ef := rectifications.EscalationFilter{Level: level, From: models.DateOf(today.Time().AddDate(0, 0, 1-homeDays)), Page: one}
	escalated, err := rs.ListEscalations(ctx, accounts.ScopeOf(u, rectReaders...), ef)
	if err != nil {
		return nil, err
	}
	cases, err := s.caseService().List(ctx, accounts.ScopeOf(u, caseRoles...), accountability.ListInput{Status: models.CaseOpen, Page: one})
	if err != nil {
		return nil, err
	}
	return []homeTile{
		{ID: "admin_rect_overdue", Label: "home.rect_overdue", N: overdue, Link: "/rectifications?overdue=true", Alert: overdue > 0},
		{ID: "escalations", Label: "home.escalations", N: escalated.Total, Link: string(listURL("/escalations", escalationQuery(ef), 0))},
		{ID: "cases_open", Label: "home.cases_open", N: cases.Total, Link: "/cases?status=open"},
	}, nil
}

// escalationLevels is the escalation level that tells a unit of each org level.
var escalationLevels = map[string]string{models.LevelProvince: models.EscalateProvince, models.LevelCity: models.EscalateCity}

// adminEscalationLevel is the level of the escalations that tell the caller's highest
// admin unit: province, city, or the reminders of a branch.
func (s *server) adminEscalationLevel(ctx context.Context, u *models.User) (string, error) {
	var ids []uint
	for _, g := range u.Grants {
		if g.Role == models.RoleAdmin {
			ids = append(ids, g.OrgUnitID)
		}
	}
	units, err := models.RectificationUnits(ctx, s.db, ids)
	if err != nil {
		return "", err
	}
	top := len(models.Levels)
	for _, unit := range units {
		if i := models.LevelIndex(unit.Level); i >= 0 && i < top {
			top = i
		}
	}
	if top < len(models.Levels) {
		if l, ok := escalationLevels[models.Levels[top]]; ok {
			return l, nil
		}
	}
	return models.EscalateReminder, nil
}

// trainerTiles are the draft exams and the handbook coverage of the caller's subtree.
func (s *server) trainerTiles(ctx context.Context, u *models.User) ([]homeTile, error) {
	drafts, err := models.CountExamsByStatus(ctx, s.db, models.ExamDraft)
	if err != nil {
		return nil, err
	}
	out := []homeTile{{ID: "exam_drafts", Label: "home.exam_drafts", N: drafts, Link: "/exams/manage"}}
	cov, err := s.homeCoverage(ctx, u)
	if err != nil {
		return nil, err
	}
	if cov != nil {
		out = append(out, homeTile{ID: "coverage", Label: "home.coverage", Value: fmt.Sprintf("%.1f%%", cov.Total.Percent),
			NoteKey: "home.version", Note: cov.Version.Version, Link: "/handbook"})
	}
	return out, nil
}

func (s *server) homePage(c *fiber.Ctx) error {
	u, err := s.userWithGrants(c)
	if err != nil {
		return err
	}
	sections, err := s.homeBoard(c.UserContext(), u)
	if err != nil {
		return err
	}
	dash, err := s.homeDashboard(c.UserContext(), u, language(c))
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "home", "ui.home", fiber.Map{"Sections": sections, "Dashboard": dash})
}
