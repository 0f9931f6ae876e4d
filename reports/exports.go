package reports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm"

	"quality/models"
	"quality/storage"
)

// exportFolder is where the workbooks are kept in the product's file storage, beside
// the photos; a job's FileKey is the name inside it.
const exportFolder = "exports/"

var fileKey = regexp.MustCompile(`^[0-9a-f]{32}\.xlsx$`)

// newFileKey is a fresh random name for a workbook.
func newFileKey() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b) + ".xlsx", nil
}

// removeFile deletes the workbook of key; a missing one is no error.
func (e *Exporter) removeFile(ctx context.Context, key string) error {
	if !fileKey.MatchString(key) {
		return nil
	}
	return e.Files.Delete(ctx, exportFolder+key)
}

// Exporter runs the workbook as a job (issue 8 part 7): a request is a row, any
// instance claims and writes it with a lease it renews as rows are written, and a job
// whose worker was killed is claimed again once its lease has run out.
type Exporter struct {
	Ranking *Service
	// Files is the product's file storage; workbooks are written whole (streamed) before
	// any row names them.
	Files storage.Store
	// Lease is how long a claim holds without renewal.
	Lease time.Duration
	Log   *slog.Logger
	wg    sync.WaitGroup
}

// NewExporter is an exporter of svc's rankings keeping its workbooks in files.
func NewExporter(svc *Service, files storage.Store, log *slog.Logger) *Exporter {
	if log == nil {
		log = slog.Default()
	}
	return &Exporter{Ranking: svc, Files: files, Lease: time.Minute, Log: log}
}

// ExportInput asks for a workbook.
type ExportInput struct {
	Period string `json:"period"`
	Level  string `json:"level"`
}

// Errors of the job's file.
var (
	// ErrExportNotReady: the job has no file yet (or failed).
	ErrExportNotReady = &models.ConflictError{Field: "id", Code: "export_not_ready"}
	// ErrExportExpired: the file was removed after the retention setting.
	ErrExportExpired = errors.New("export expired")
)

// CheckRequest validates a period and a level as a body's fields, with the period
// required to have begun.
func (s *Service) CheckRequest(in ExportInput) (Period, error) {
	ve := &models.ValidationError{}
	p, err := ParsePeriod(in.Period)
	if err != nil {
		ve.Add("period", "invalid_period")
	} else if _, err := WindowAt(p, s.Now(), s.Loc); errors.Is(err, ErrNotStarted) {
		ve.Add("period", "period_not_started")
	}
	if CheckLevel(in.Level) != nil {
		ve.Add("level", "invalid_choice")
	}
	return p, ve.Err()
}

// Request records a job for actor with the scope its detail sheets are cut to (audited),
// or returns the actor's queued or running job of the same period and level. It does
// not start the work: call Start.
func (e *Exporter) Request(ctx context.Context, actor models.Actor, scope models.Scope, in ExportInput) (*models.RankingExport, error) {
	p, err := e.Ranking.CheckRequest(in)
	if err != nil {
		return nil, err
	}
	if j, err := models.ActiveRankingExport(ctx, e.Ranking.DB, actor.UserID, p.String(), in.Level); err == nil {
		return j, nil
	} else if !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	j := &models.RankingExport{Period: p.String(), Level: in.Level, Status: models.ExportQueued, FileName: FileName(p),
		RequestedBy: actor.UserID, ScopeAll: scope.All, ScopePaths: scope.Paths, CreatedAt: e.Ranking.Now().UTC()}
	if j.ScopePaths == nil {
		j.ScopePaths = models.JSONList[string]{}
	}
	err = e.Ranking.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.InsertRankingExport(tx, j); err != nil {
			return err
		}
		return models.Audit(tx, actor, "create", "ranking_export", j.ID, map[string]any{"period": j.Period, "level": j.Level})
	})
	return j, err
}

// Get is the actor's job id, or ErrNotFound.
func (e *Exporter) Get(ctx context.Context, userID, id uint) (*models.RankingExport, error) {
	return models.GetRankingExport(ctx, e.Ranking.DB, userID, id)
}

// Open is the file of the actor's done job id; the caller closes it.
func (e *Exporter) Open(ctx context.Context, userID, id uint) (*models.RankingExport, *storage.Object, error) {
	j, err := e.Get(ctx, userID, id)
	if err != nil {
		return nil, nil, err
	}
	switch j.Status {
	case models.ExportDone:
	case models.ExportExpired:
		return j, nil, ErrExportExpired
	default:
		return j, nil, ErrExportNotReady
	}
	if !fileKey.MatchString(j.FileKey) {
		return j, nil, ErrExportExpired
	}
	f, err := e.Files.Open(ctx, exportFolder+j.FileKey)
	if errors.Is(err, storage.ErrNotFound) {
		return j, nil, ErrExportExpired
	}
	return j, f, err
}

// Start works on job id in the background (if no other worker has it).
func (e *Exporter) Start(id uint) {
	e.wg.Add(1)
	go func() {
		defer e.wg.Done()
		if err := e.Run(context.Background(), id); err != nil {
			e.Log.Warn("ranking export failed", "id", id, "err", err)
		}
	}()
}

// Wait waits for the jobs started here.
func (e *Exporter) Wait() { e.wg.Wait() }

// errLostLease: another worker took the job over; this one stops quietly.
var errLostLease = errors.New("lost the lease of the export job")

// Run claims job id and writes its workbook; a job someone else holds is left alone.
func (e *Exporter) Run(ctx context.Context, id uint) error {
	now := e.Ranking.Now()
	j, ok, err := models.ClaimRankingExport(ctx, e.Ranking.DB, id, now, now.Add(e.Lease))
	if err != nil || !ok {
		return err
	}
	p, err := ParsePeriod(j.Period)
	if err != nil {
		return models.FailRankingExport(ctx, e.Ranking.DB, id, j.Attempts, err.Error(), e.Ranking.Now())
	}
	scope := models.Scope{All: j.ScopeAll, Paths: j.ScopePaths}
	by := ""
	if u, err := models.GetUser(ctx, e.Ranking.DB, models.ScopeAll, j.RequestedBy); err == nil {
		by = u.DisplayName
		if by == "" {
			by = u.Username
		}
	}
	// A lost lease cancels the writing at its next query.
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var rows int64
	var lost error
	progress := func(done, total int64) {
		if lost != nil {
			return
		}
		held, err := models.RenewRankingExport(ctx, e.Ranking.DB, id, j.Attempts, done, total, e.Ranking.Now().Add(e.Lease))
		if err == nil && !held {
			err = errLostLease
		}
		if err != nil {
			lost = err
			cancel()
		}
	}
	key, err := newFileKey()
	if err != nil {
		return err
	}
	size, err := storage.Write(ctx, e.Files, exportFolder+key, func(w io.Writer) error {
		stats, err := e.Ranking.WriteWorkbook(ctx, WorkbookRequest{Period: p, Level: j.Level, Scope: scope, By: by}, w, progress)
		rows = stats.Total
		if lost != nil {
			return lost
		}
		return err
	})
	if errors.Is(err, errLostLease) {
		return nil
	}
	if err != nil {
		_ = models.FailRankingExport(context.Background(), e.Ranking.DB, id, j.Attempts, err.Error(), e.Ranking.Now())
		return err
	}
	held, err := models.FinishRankingExport(ctx, e.Ranking.DB, id, j.Attempts, key, size, rows, e.Ranking.Now())
	if err != nil || !held {
		_ = e.removeFile(context.WithoutCancel(ctx), key)
	}
	return err
}

// Sweep claims and runs, one after the other, every job that is queued or whose worker
// died, and removes the files older than the retention setting (ExportKeepDays): those
// of done jobs, and any no job names (a worker killed between writing a file and
// recording it). Any instance may sweep at any time: each job is claimed by one, and a
// file removed twice is no error.
func (e *Exporter) Sweep(ctx context.Context) (ran, removed int, err error) {
	now := e.Ranking.Now()
	ids, err := models.ClaimableRankingExports(ctx, e.Ranking.DB, now, 20)
	if err != nil {
		return 0, 0, err
	}
	for _, id := range ids {
		if err := e.Run(ctx, id); err != nil {
			e.Log.Warn("ranking export failed", "id", id, "err", err)
		}
		ran++
	}
	set, err := e.Ranking.LoadSettings(ctx)
	if err != nil {
		return ran, 0, err
	}
	cutoff := now.AddDate(0, 0, -set.ExportKeepDays)
	stale, err := models.StaleRankingExports(ctx, e.Ranking.DB, cutoff, 100)
	if err != nil {
		return ran, 0, err
	}
	for _, j := range stale {
		if err := e.removeFile(ctx, j.FileKey); err != nil {
			return ran, removed, err
		}
		if err := models.ExpireRankingExport(ctx, e.Ranking.DB, j.ID); err != nil {
			return ran, removed, err
		}
		removed++
	}
	orphans, err := e.removeOrphans(ctx, cutoff)
	return ran, removed + orphans, err
}

// removeOrphans deletes the workbooks modified before cutoff that no job names.
func (e *Exporter) removeOrphans(ctx context.Context, cutoff time.Time) (int, error) {
	var old []string
	err := e.Files.List(ctx, exportFolder, func(f storage.Info) error {
		if name := strings.TrimPrefix(f.Key, exportFolder); fileKey.MatchString(name) && f.Modified.Before(cutoff) {
			old = append(old, name)
		}
		return nil
	})
	if err != nil {
		return 0, err
	}
	removed := 0
	for len(old) > 0 {
		batch := old[:min(len(old), 100)]
		old = old[len(batch):]
		named, err := models.NamedRankingExportFiles(ctx, e.Ranking.DB, batch)
		if err != nil {
			return removed, err
		}
		for _, key := range batch {
			if named[key] {
				continue
			}
			if err := e.removeFile(ctx, key); err != nil {
				return removed, err
			}
			e.Log.Info("orphan ranking workbook removed", "key", key)
			removed++
		}
	}
	return removed, nil
}
