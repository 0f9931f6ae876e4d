package app

import (
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"quality/accounts"
	"quality/exams"
	"quality/models"
	"quality/training"
)

// Who sees more than their own records on the training pages, and of which scope.
var (
	// coverageViewers see the handbook coverage of their subtree.
	coverageViewers = []string{models.RoleAdmin, models.RoleTrainer, models.RoleManager}
	// expiringViewers see who in their subtree must re-certify soon.
	expiringViewers = []string{models.RoleAdmin, models.RoleManager}
)

// trainingNotices are the outcomes a redirect back to /training may announce.
var trainingNotices = []string{"sign_in", "complete"}

// handbookPageData is the handbook page: the current version (nil: none published),
// its text in blocks, and for coverage viewers the coverage rows of one level.
type handbookPageData struct {
	View     *training.HandbookView
	Blocks   []mdBlock
	Coverage *training.Coverage
	Units    []training.UnitCoverage
	Level    string
	Levels   []string
	Error    string
}

func (s *server) handbookPage(c *fiber.Ctx) error {
	q := newQuery(c)
	level := q.choice("level", models.Levels)
	if err := q.err(); err != nil {
		return err
	}
	return s.renderHandbook(c, fiber.StatusOK, level, "")
}

// renderHandbook shows the handbook page with status and an optional error message.
func (s *server) renderHandbook(c *fiber.Ctx, status int, level, msg string) error {
	u := currentUser(c)
	d := handbookPageData{Levels: models.Levels, Error: msg}
	v, err := s.trainingService().Current(c.UserContext(), u.EmployeeID)
	switch {
	case errors.Is(err, models.ErrNotFound):
	case err != nil:
		return err
	default:
		d.View, d.Blocks = v, markdownBlocks(v.Version.Body)
	}
	if d.View != nil && accounts.HasRole(u, coverageViewers...) {
		cov, err := s.trainingService().GetCoverage(c.UserContext(), accounts.ScopeOf(u, coverageViewers...), training.CoverageFilter{})
		if err != nil {
			return err
		}
		d.Coverage = cov
		d.Level, d.Units = coverageRows(cov.Units, level)
	}
	return s.render(c, status, "handbook", "trainingweb.handbook", d)
}

// coverageRows are the unit rows of level; with none chosen, the level below the
// caller's top unit, so a province-wide trainer sees cities and a manager outlets.
func coverageRows(units []training.UnitCoverage, level string) (string, []training.UnitCoverage) {
	if level == "" && len(units) > 0 {
		top := len(models.Levels)
		for _, u := range units {
			top = min(top, slices.Index(models.Levels, u.Level))
		}
		level = models.Levels[min(top+1, len(models.Levels)-1)]
		if !slices.ContainsFunc(units, func(u training.UnitCoverage) bool { return u.Level == level }) {
			level = models.Levels[top]
		}
	}
	var out []training.UnitCoverage
	for _, u := range units {
		if u.Level == level {
			out = append(out, u)
		}
	}
	return level, out
}

func (s *server) acknowledgeForm(c *fiber.Ctx) error {
	id, err := formID(c, "version_id")
	if err != nil {
		return err
	}
	agent := string(c.Request().Header.UserAgent()) // copied: Fiber reuses the buffer
	_, _, err = s.trainingService().Acknowledge(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, training.AckInput{VersionID: id}, agent)
	if status, msg, ok := s.refusal(c, err); ok {
		return s.renderHandbook(c, status, "", msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/handbook", fiber.StatusSeeOther)
}

// refusal turns a validation or conflict error into the status and the message a form
// shows above itself; other errors are not refusals.
func (s *server) refusal(c *fiber.Ctx, err error) (int, string, bool) {
	var ve *models.ValidationError
	var ce *models.ConflictError
	switch {
	case errors.As(err, &ve) && len(ve.Fields) > 0:
		f := ve.Fields[0]
		return fiber.StatusUnprocessableEntity, s.msgs.T(language(c), "field."+f.Code, f.Params), true
	case errors.As(err, &ce):
		return fiber.StatusConflict, s.msgs.T(language(c), "field."+ce.Code, nil), true
	}
	return 0, "", false
}

// formID reads a positive id from form field name: anything else is a 422 on it.
func formID(c *fiber.Ctx, name string) (uint, error) {
	v := strings.TrimSpace(c.FormValue(name))
	if v == "" {
		return 0, &models.ValidationError{Fields: []models.FieldError{{Field: name, Code: "required"}}}
	}
	n, err := strconv.ParseUint(v, 10, 32)
	if err != nil || n == 0 {
		return 0, &models.ValidationError{Fields: []models.FieldError{{Field: name, Code: "invalid"}}}
	}
	return uint(n), nil
}

func (s *server) trainingPage(c *fiber.Ctx) error {
	msg, err := s.doneNotice(c, trainingNotices, "trainingweb.done_")
	if err != nil {
		return err
	}
	return s.renderTraining(c, fiber.StatusOK, msg, "")
}

// renderTraining shows the training page with status, a notice and an error message.
func (s *server) renderTraining(c *fiber.Ctx, status int, notice, msg string) error {
	ov, err := s.trainingService().Overview(c.UserContext(), currentUser(c).EmployeeID)
	if err != nil {
		return err
	}
	return s.render(c, status, "training", "trainingweb.training", fiber.Map{"Overview": ov, "Notice": notice, "Error": msg})
}

func (s *server) signInForm(c *fiber.Ctx) error {
	id, err := formID(c, "session_id")
	if err == nil {
		in := training.SignInInput{Code: strings.Clone(c.FormValue("code"))}
		_, _, err = s.trainingService().SignIn(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id, in)
	}
	if status, msg, ok := s.refusal(c, err); ok {
		return s.renderTraining(c, status, "", msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/training?done=sign_in", fiber.StatusSeeOther)
}

func (s *server) completeCourseForm(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	_, _, err = s.trainingService().CompleteOnline(c.UserContext(), actorOf(c), currentUser(c).EmployeeID, id)
	if status, msg, ok := s.refusal(c, err); ok {
		return s.renderTraining(c, status, "", msg)
	}
	if err != nil {
		return err
	}
	return c.Redirect("/training?done=complete", fiber.StatusSeeOther)
}

// maxCertificateRows bounds each list of the certificates page.
const maxCertificateRows = 200

// certificatePrintPage is one of the caller's certificates as a printable A4 page: the
// number, holder, unit, dates, status, verification code, and the public verify URL as
// text and as a QR code drawn by the server.
func (s *server) certificatePrintPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	v, err := s.exams.MyCertificate(c.UserContext(), currentUser(c).EmployeeID, id)
	if err != nil {
		return err
	}
	verify := c.BaseURL() + "/verify?code=" + url.QueryEscape(v.Code)
	qr, err := qrSVG(verify)
	if err != nil {
		return err
	}
	return s.render(c, fiber.StatusOK, "certificate_print", "trainingweb.certificate_title",
		fiber.Map{"Cert": v, "VerifyURL": verify, "QR": qr})
}

func (s *server) certificatesPage(c *fiber.Ctx) error {
	u := currentUser(c)
	mine, err := s.exams.MyCertificates(c.UserContext(), u.EmployeeID, models.Page{PerPage: maxCertificateRows})
	if err != nil {
		return err
	}
	data := fiber.Map{"Mine": mine}
	if accounts.HasRole(u, expiringViewers...) {
		expiring, err := s.exams.ListCertificates(c.UserContext(), accounts.ScopeOf(u, expiringViewers...),
			exams.CertificateFilter{Status: models.CertExpiring, Page: models.Page{PerPage: maxCertificateRows}})
		if err != nil {
			return err
		}
		data["Expiring"] = expiring
	}
	return s.render(c, fiber.StatusOK, "certificates", "trainingweb.certificates", data)
}

// verifyPage is the public check of a certificate: the form, and with ?code= the same
// masked answer as the API; an unknown code is a 404 page that says so.
func (s *server) verifyPage(c *fiber.Ctx) error {
	q := newQuery(c)
	code := strings.TrimSpace(q.str("code", 64))
	if err := q.err(); err != nil {
		return err
	}
	data := fiber.Map{"Code": code}
	if code == "" {
		return s.render(c, fiber.StatusOK, "verify", "trainingweb.verify", data)
	}
	check, err := s.exams.VerifyCertificate(c.UserContext(), code)
	if errors.Is(err, models.ErrNotFound) {
		data["Error"] = s.msgs.T(language(c), "trainingweb.verify_unknown", nil)
		return s.render(c, fiber.StatusNotFound, "verify", "trainingweb.verify", data)
	}
	if err != nil {
		return err
	}
	data["Check"] = check
	return s.render(c, fiber.StatusOK, "verify", "trainingweb.verify", data)
}
