package models

import (
	"context"
	"errors"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// Ranking export statuses.
const (
	ExportQueued  = "queued"
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
	// ExportExpired: done, and its file removed after the retention the settings give.
	ExportExpired = "expired"
)

// RankingExport is one request for the ranking workbook, kept in the database so any
// instance can take it up: queued → running → done (or failed); a running job whose
// lease ran out (its server was killed) is claimed again. The file lives in the file
// storage under FileKey until it expires.
type RankingExport struct {
	ID     uint   `gorm:"primaryKey" json:"id"`
	Period string `gorm:"size:16;not null" json:"period"`
	Level  string `gorm:"size:16;not null" json:"level"`
	Status string `gorm:"size:16;not null;index:idx_ranking_export_status" json:"status"`
	// RowsDone of RowsTotal rows are written: the job's progress.
	RowsDone  int64 `gorm:"not null" json:"rows_done"`
	RowsTotal int64 `gorm:"not null" json:"rows_total"`
	// FileName is the name the download carries; FileKey where the storage keeps it.
	FileName string `gorm:"size:191;not null" json:"file_name"`
	FileKey  string `gorm:"size:191;not null" json:"-"`
	FileSize int64  `gorm:"not null" json:"file_size"`
	// Error is why a failed job failed, for the log reader (never shown raw).
	Error string `gorm:"size:1000;not null" json:"-"`
	// RequestedBy is the user whose job it is; the detail sheets are cut to the scope
	// they had when asking (ScopeAll, or ScopePaths).
	RequestedBy uint             `gorm:"not null;index:idx_ranking_export_user" json:"requested_by"`
	ScopeAll    bool             `gorm:"not null" json:"-"`
	ScopePaths  JSONList[string] `gorm:"not null" json:"-"`
	// LeaseUntil is when a running job's worker must have renewed its claim, or lose it.
	LeaseUntil *time.Time `gorm:"index:idx_ranking_export_status" json:"-"`
	Attempts   int        `gorm:"not null" json:"attempts"`
	CreatedAt  time.Time  `gorm:"not null;index:idx_ranking_export_created" json:"created_at"`
	StartedAt  *time.Time `json:"started_at"`
	FinishedAt *time.Time `json:"finished_at"`
}

// InsertRankingExport stores a new queued job.
func InsertRankingExport(tx *gorm.DB, j *RankingExport) error { return tx.Create(j).Error }

// GetRankingExport loads the job id of user, or ErrNotFound: nobody sees another's job.
func GetRankingExport(ctx context.Context, db *gorm.DB, userID, id uint) (*RankingExport, error) {
	var j RankingExport
	err := db.WithContext(ctx).Where("id = ? AND requested_by = ?", id, userID).Take(&j).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("ranking export %d: %w", id, ErrNotFound)
	}
	return &j, err
}

// ActiveRankingExport is the user's queued or running job of the same period and level,
// or ErrNotFound: asking twice does not make the work twice.
func ActiveRankingExport(ctx context.Context, db *gorm.DB, userID uint, period, level string) (*RankingExport, error) {
	var j RankingExport
	err := db.WithContext(ctx).Where("requested_by = ? AND period = ? AND level = ? AND status IN ?", userID, period, level,
		[]string{ExportQueued, ExportRunning}).Order("id DESC").Take(&j).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return nil, fmt.Errorf("active ranking export: %w", ErrNotFound)
	}
	return &j, err
}

// ClaimRankingExport takes job id for a worker until until: a queued job, or a running
// one whose lease ran out (its worker died). It returns the claim's attempt number, the
// fencing token of every later write, and false when another worker holds the job.
func ClaimRankingExport(ctx context.Context, db *gorm.DB, id uint, now, until time.Time) (*RankingExport, bool, error) {
	now, until = now.UTC(), until.UTC()
	var j RankingExport
	claimed := false
	err := db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		res := tx.Model(&RankingExport{}).
			Where("id = ? AND (status = ? OR (status = ? AND lease_until < ?))", id, ExportQueued, ExportRunning, now).
			Updates(map[string]any{"status": ExportRunning, "lease_until": until, "attempts": gorm.Expr("attempts + 1"),
				"started_at": gorm.Expr("COALESCE(started_at, ?)", now), "rows_done": 0})
		if res.Error != nil || res.RowsAffected == 0 {
			return res.Error
		}
		claimed = true
		return tx.Where("id = ?", id).Take(&j).Error
	})
	return &j, claimed, err
}

// RenewRankingExport records the progress of attempt and extends its lease; false when
// the attempt lost the job to another worker.
func RenewRankingExport(ctx context.Context, db *gorm.DB, id uint, attempt int, done, total int64, until time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&RankingExport{}).Where("id = ? AND attempts = ? AND status = ?", id, attempt, ExportRunning).
		Updates(map[string]any{"rows_done": done, "rows_total": total, "lease_until": until.UTC()})
	return res.RowsAffected > 0, res.Error
}

// FinishRankingExport marks attempt's job done with its stored file; false when the
// attempt lost the job.
func FinishRankingExport(ctx context.Context, db *gorm.DB, id uint, attempt int, key string, size, rows int64, now time.Time) (bool, error) {
	res := db.WithContext(ctx).Model(&RankingExport{}).Where("id = ? AND attempts = ? AND status = ?", id, attempt, ExportRunning).
		Updates(map[string]any{"status": ExportDone, "file_key": key, "file_size": size, "rows_done": rows, "rows_total": rows,
			"finished_at": now.UTC(), "lease_until": nil})
	return res.RowsAffected > 0, res.Error
}

// FailRankingExport marks attempt's job failed with why.
func FailRankingExport(ctx context.Context, db *gorm.DB, id uint, attempt int, why string, now time.Time) error {
	if len(why) > 1000 {
		why = why[:1000]
	}
	return db.WithContext(ctx).Model(&RankingExport{}).Where("id = ? AND attempts = ? AND status = ?", id, attempt, ExportRunning).
		Updates(map[string]any{"status": ExportFailed, "error": why, "finished_at": now.UTC(), "lease_until": nil}).Error
}

// ClaimableRankingExports lists, oldest first, the jobs a worker may claim at now.
func ClaimableRankingExports(ctx context.Context, db *gorm.DB, now time.Time, limit int) ([]uint, error) {
	var ids []uint
	err := db.WithContext(ctx).Model(&RankingExport{}).
		Where("status = ? OR (status = ? AND lease_until < ?)", ExportQueued, ExportRunning, now.UTC()).
		Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, err
}

// StaleRankingExports lists the done jobs finished before before, whose files are due
// for removal.
func StaleRankingExports(ctx context.Context, db *gorm.DB, before time.Time, limit int) ([]RankingExport, error) {
	var out []RankingExport
	err := db.WithContext(ctx).Where("status = ? AND finished_at < ?", ExportDone, before.UTC()).Order("id").Limit(limit).Find(&out).Error
	return out, err
}

// ExpireRankingExport marks a done job expired once its file is gone.
func ExpireRankingExport(ctx context.Context, db *gorm.DB, id uint) error {
	return db.WithContext(ctx).Model(&RankingExport{}).Where("id = ? AND status = ?", id, ExportDone).
		Updates(map[string]any{"status": ExportExpired, "file_key": ""}).Error
}

// NamedRankingExportFiles is the subset of keys some job names as its file.
func NamedRankingExportFiles(ctx context.Context, db *gorm.DB, keys []string) (map[string]bool, error) {
	named := map[string]bool{}
	if len(keys) == 0 {
		return named, nil
	}
	var found []string
	err := db.WithContext(ctx).Model(&RankingExport{}).Where("file_key IN ?", keys).Pluck("file_key", &found).Error
	for _, k := range found {
		named[k] = true
	}
	return named, err
}
