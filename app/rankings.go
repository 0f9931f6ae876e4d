package app

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/gofiber/fiber/v2"

	"quality/models"
	"quality/reports"
)

// rankingService is the ranking on the wall clock in the configured zone.
func (s *server) rankingService() *reports.Service { return s.rankings }

// period reads the period parameter (default: the last quarter over); malformed is a
// field error, and so is one that has not begun.
func (s *server) period(q *query) reports.Period {
	v := q.c.Query("period")
	if v == "" {
		return reports.LastQuarter(time.Now(), s.cfg.Location)
	}
	p, err := reports.ParsePeriod(v)
	if err != nil {
		q.bad("period", "invalid_period")
		return p
	}
	if _, err := reports.WindowAt(p, time.Now(), s.cfg.Location); errors.Is(err, reports.ErrNotStarted) {
		q.bad("period", "period_not_started")
	}
	return p
}

// rankingQuery reads period and level (default county).
func (s *server) rankingQuery(c *fiber.Ctx) (reports.Period, string, error) {
	q := newQuery(c)
	p := s.period(q)
	level := q.choice("level", []string{reports.LevelCity, reports.LevelCounty})
	if level == "" {
		level = reports.LevelCounty
	}
	return p, level, q.err()
}

func (s *server) getRanking(c *fiber.Ctx) error {
	p, level, err := s.rankingQuery(c)
	if err != nil {
		return err
	}
	r, err := s.rankingService().Ranking(c.UserContext(), p, level)
	if err != nil {
		return err
	}
	return c.JSON(r)
}

func (s *server) explainRanking(c *fiber.Ctx) error {
	ex, err := s.explanation(c)
	if err != nil {
		return err
	}
	return c.JSON(ex)
}

// explanation is the explanation the request asks for (:unit_id, ?period=) in the
// caller's scope, for the API and the page.
func (s *server) explanation(c *fiber.Ctx) (*reports.Explanation, error) {
	unit, err := pathUint(c, "unit_id")
	if err != nil {
		return nil, err
	}
	q := newQuery(c)
	p := s.period(q)
	if err := q.err(); err != nil {
		return nil, err
	}
	return s.rankingService().Explain(c.UserContext(), scopeOf(c), p, unit)
}

// attachment is a Content-Disposition naming a download in UTF-8 (RFC 6266, RFC 5987)
// with an ASCII fallback for old clients.
func attachment(ascii, name string) string {
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, url.PathEscape(name))
}

// rankingFileASCII is the ASCII name beside 服务水平排名_2026-Q3.xlsx.
func rankingFileASCII(period string) string { return "ranking_" + period + ".xlsx" }

func (s *server) downloadRanking(c *fiber.Ctx) error {
	p, level, err := s.rankingQuery(c)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if _, err := s.rankingService().WriteWorkbook(c.UserContext(), reports.WorkbookRequest{Period: p, Level: level, Scope: scopeOf(c),
		By: displayName(currentUser(c))}, &buf, nil); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mimeXLSX)
	c.Set(fiber.HeaderContentDisposition, attachment(rankingFileASCII(p.String()), reports.FileName(p)))
	return c.Send(buf.Bytes())
}

func displayName(u *models.User) string {
	if u == nil {
		return ""
	}
	if u.DisplayName != "" {
		return u.DisplayName
	}
	return u.Username
}

// exportView is a workbook job as the API shows it.
type exportView struct {
	ID         uint       `json:"id"`
	Period     string     `json:"period"`
	Level      string     `json:"level"`
	Status     string     `json:"status"`
	RowsDone   int64      `json:"rows_done"`
	RowsTotal  int64      `json:"rows_total"`
	Percent    int64      `json:"percent"`
	FileName   string     `json:"file_name"`
	FileSize   int64      `json:"file_size"`
	CreatedAt  time.Time  `json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
	// File is where to download it once done.
	File string `json:"file,omitempty"`
}

func viewOfExport(j *models.RankingExport) exportView {
	v := exportView{ID: j.ID, Period: j.Period, Level: j.Level, Status: j.Status, RowsDone: j.RowsDone, RowsTotal: j.RowsTotal,
		FileName: j.FileName, FileSize: j.FileSize, CreatedAt: j.CreatedAt, StartedAt: j.StartedAt, FinishedAt: j.FinishedAt}
	if j.RowsTotal > 0 {
		v.Percent = 100 * j.RowsDone / j.RowsTotal
	}
	if j.Status == models.ExportDone {
		v.Percent, v.File = 100, fmt.Sprintf("/api/v1/rankings/exports/%d/file", j.ID)
	}
	return v
}

// requestExport records a workbook job for the caller and starts it here.
func (s *server) requestExport(c *fiber.Ctx, in reports.ExportInput) (*models.RankingExport, error) {
	j, err := s.exports.Request(c.UserContext(), actorOf(c), scopeOf(c), in)
	if err != nil {
		return nil, err
	}
	if j.Status == models.ExportQueued {
		s.exports.Start(j.ID)
	}
	return j, nil
}

func (s *server) requestRankingExport(c *fiber.Ctx) error {
	var in reports.ExportInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	j, err := s.requestExport(c, in)
	if err != nil {
		return err
	}
	c.Location(fmt.Sprintf("/api/v1/rankings/exports/%d", j.ID))
	return c.Status(fiber.StatusAccepted).JSON(viewOfExport(j))
}

func (s *server) getRankingExport(c *fiber.Ctx) error {
	j, err := s.callerExport(c)
	if err != nil {
		return err
	}
	return c.JSON(viewOfExport(j))
}

// callerExport is the caller's own workbook job :id (another's is ErrNotFound), for the
// API and the progress page.
func (s *server) callerExport(c *fiber.Ctx) (*models.RankingExport, error) {
	id, err := pathID(c)
	if err != nil {
		return nil, err
	}
	return s.exports.Get(c.UserContext(), currentUser(c).ID, id)
}

var errExportGone = &statusError{fiber.StatusGone, "problem.export_expired"}

func (s *server) downloadRankingExport(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	j, f, err := s.exports.Open(c.UserContext(), currentUser(c).ID, id)
	if errors.Is(err, reports.ErrExportExpired) {
		return errExportGone
	}
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, mimeXLSX)
	c.Set(fiber.HeaderContentDisposition, attachment(rankingFileASCII(j.Period), j.FileName))
	return c.SendStream(f, int(f.Size)) // fasthttp closes f once sent
}

func (s *server) getRankingSettings(c *fiber.Ctx) error {
	set, err := s.rankings.LoadSettings(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(set)
}

func (s *server) putRankingSettings(c *fiber.Ctx) error {
	var in reports.SettingsInput
	if err := bindJSON(c, &in); err != nil {
		return err
	}
	set, err := s.rankings.UpdateSettings(c.UserContext(), actorOf(c), scopeOf(c), in, time.Now())
	if err != nil {
		return err
	}
	return c.JSON(set)
}
