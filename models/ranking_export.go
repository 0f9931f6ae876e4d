package models

import "time"

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
