package reports

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"time"

	"gorm.io/gorm"

	"quality/models"
)

// FileStore keeps generated workbooks as files under Dir, the product's file storage
// beside the photos (QUALITY_DATA_DIR); a file is written whole, synced and renamed
// into place before any row names it.
type FileStore struct {
	Dir string
}

var fileKey = regexp.MustCompile(`^[0-9a-f]{32}\.xlsx$`)

// Put writes a new file through write and returns its key and size.
func (s FileStore) Put(write func(io.Writer) error) (string, int64, error) {
	if err := os.MkdirAll(s.Dir, 0o750); err != nil {
		return "", 0, fmt.Errorf("export folder: %w", err)
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", 0, err
	}
	key := hex.EncodeToString(b) + ".xlsx"
	tmp, err := os.CreateTemp(s.Dir, ".export-*")
	if err != nil {
		return "", 0, err
	}
	defer os.Remove(tmp.Name()) // a no-op once renamed
	if err := write(tmp); err != nil {
		tmp.Close()
		return "", 0, err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return "", 0, err
	}
	st, err := tmp.Stat()
	if err != nil {
		tmp.Close()
		return "", 0, err
	}
	if err := tmp.Close(); err != nil {
		return "", 0, err
	}
	if err := os.Rename(tmp.Name(), filepath.Join(s.Dir, key)); err != nil {
		return "", 0, err
	}
	if d, err := os.Open(s.Dir); err == nil {
		defer d.Close()
		_ = d.Sync()
	}
	return key, st.Size(), nil
}

// Open opens the file with key; a malformed key is not found.
func (s FileStore) Open(key string) (*os.File, error) {
	if !fileKey.MatchString(key) {
		return nil, models.ErrNotFound
	}
	f, err := os.Open(filepath.Join(s.Dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("export file: %w", models.ErrNotFound)
	}
	return f, err
}

// Remove deletes the file with key; a missing one is no error.
func (s FileStore) Remove(key string) error {
	if !fileKey.MatchString(key) {
		return nil
	}
	err := os.Remove(filepath.Join(s.Dir, key))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// Exporter runs the workbook as a job (issue 8 part 7): a request is a row, any
// instance claims and writes it with a lease it renews as rows are written, and a job
// whose worker was killed is claimed again once its lease has run out.
type Exporter struct {
	Ranking *Service
	Files   FileStore
	// Lease is how long a claim holds without renewal.
	Lease time.Duration
	Log   *slog.Logger
	wg    sync.WaitGroup
}

// NewExporter is an exporter of svc's rankings storing files under dir.
func NewExporter(svc *Service, dir string, log *slog.Logger) *Exporter {
	if log == nil {
		log = slog.Default()
	}
	return &Exporter{Ranking: svc, Files: FileStore{Dir: dir}, Lease: time.Minute, Log: log}
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

// Open is the file of the actor's done job id.
func (e *Exporter) Open(ctx context.Context, userID, id uint) (*models.RankingExport, *os.File, error) {
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
	f, err := e.Files.Open(j.FileKey)
	if errors.Is(err, models.ErrNotFound) {
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
	key, size, err := e.Files.Put(func(w io.Writer) error {
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
		_ = e.Files.Remove(key)
	}
	return err
}

// Sweep claims and runs, one after the other, every job that is queued or whose worker
// died, and removes the files older than the retention setting (ExportKeepDays). Any
// instance may sweep at any time: each job is claimed by one.
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
	set, err := LoadSettings(ctx, e.Ranking.DB)
	if err != nil {
		return ran, 0, err
	}
	stale, err := models.StaleRankingExports(ctx, e.Ranking.DB, now.AddDate(0, 0, -set.ExportKeepDays), 100)
	if err != nil {
		return ran, 0, err
	}
	for _, j := range stale {
		if err := e.Files.Remove(j.FileKey); err != nil {
			return ran, removed, err
		}
		if err := models.ExpireRankingExport(ctx, e.Ranking.DB, j.ID); err != nil {
			return ran, removed, err
		}
		removed++
	}
	return ran, removed, nil
}
