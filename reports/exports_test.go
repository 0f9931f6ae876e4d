package reports_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/reports"
	"quality/seeds"
	"quality/storage"
	"quality/storage/storagetest"
)

func TestExportJobs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		fx, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		now := seeds.RankingFixtureNow
		svc := reports.NewService(db, shanghai)
		svc.Now = func() time.Time { return now }
		dir := t.TempDir()
		e := reports.NewExporter(svc, storage.NewLocal(dir), nil)
		actor := models.Actor{UserID: fx.Inspector.ID, Username: fx.Inspector.Username, RequestID: "test"}

		_, err = e.Request(ctx, actor, models.ScopeAll, reports.ExportInput{Period: "2026-Q5", Level: "outlet"})
		dbtest.RequireFieldError(t, err, "period", "invalid_period")
		dbtest.RequireFieldError(t, err, "level", "invalid_choice")
		_, err = e.Request(ctx, actor, models.ScopeAll, reports.ExportInput{Period: "2027", Level: "city"})
		dbtest.RequireFieldError(t, err, "period", "period_not_started")

		j, err := e.Request(ctx, actor, models.ScopeAll, reports.ExportInput{Period: "2026-Q3", Level: "county"})
		require.NoError(t, err)
		assert.Equal(t, models.ExportQueued, j.Status)
		assert.Equal(t, "服务水平排名_2026-Q3.xlsx", j.FileName)
		again, err := e.Request(ctx, actor, models.ScopeAll, reports.ExportInput{Period: "2026-Q3", Level: "county"})
		require.NoError(t, err)
		assert.Equal(t, j.ID, again.ID, "asking again while it is queued gives the same job")
		var audits int64
		require.NoError(t, db.Model(&models.AuditEvent{}).Where("entity = ?", "ranking_export").Count(&audits).Error)
		assert.Equal(t, int64(1), audits)

		// A server claims it and is killed before it finishes: its lease runs out.
		_, ok, err := models.ClaimRankingExport(ctx, db, j.ID, now, now.Add(time.Minute))
		require.NoError(t, err)
		require.True(t, ok)
		_, _, err = e.Open(ctx, actor.UserID, j.ID)
		assert.ErrorIs(t, err, reports.ErrExportNotReady)
		ran, _, err := e.Sweep(ctx)
		require.NoError(t, err)
		assert.Zero(t, ran, "the lease still holds")

		now = now.Add(2 * time.Minute)
		ran, _, err = e.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, ran, "another instance takes it up")
		got, err := e.Get(ctx, actor.UserID, j.ID)
		require.NoError(t, err)
		assert.Equal(t, models.ExportDone, got.Status)
		assert.Equal(t, 2, got.Attempts)
		assert.Positive(t, got.RowsTotal)
		assert.Equal(t, got.RowsTotal, got.RowsDone)
		held, err := models.RenewRankingExport(ctx, db, j.ID, 1, 1, 1, now.Add(time.Minute))
		require.NoError(t, err)
		assert.False(t, held, "the killed worker's claim is fenced off")

		_, f, err := e.Open(ctx, actor.UserID, j.ID)
		require.NoError(t, err)
		x, err := excelize.OpenReader(f)
		require.NoError(t, err)
		assert.Contains(t, x.GetSheetList(), reports.SheetCounty)
		x.Close()
		f.Close()

		_, err = e.Get(ctx, actor.UserID+1, j.ID)
		assert.ErrorIs(t, err, models.ErrNotFound, "nobody sees another's job")

		// After the retention setting (7 days) the file goes.
		now = now.AddDate(0, 0, 8)
		_, removed, err := e.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, 1, removed)
		_, _, err = e.Open(ctx, actor.UserID, j.ID)
		assert.ErrorIs(t, err, reports.ErrExportExpired)
		files, _ := filepath.Glob(filepath.Join(dir, "exports", "*.xlsx"))
		assert.Empty(t, files)
		_, err = os.Stat(filepath.Join(dir, "exports"))
		require.NoError(t, err)
	})
}

// TestExportFilesOnEachStore runs a job into each backend of the file storage (a folder,
// an S3 bucket): the workbook is read back from the store, and after the retention
// setting (7 days) the sweep removes it and any workbook no job names (a worker killed
// between writing and recording), but nothing younger and nothing else.
func TestExportFilesOnEachStore(t *testing.T) {
	db := dbtest.SQLite(t)
	ctx := context.Background()
	fx, err := seeds.LoadRankingFixture(ctx, db, nil)
	require.NoError(t, err)
	storagetest.Each(t, func(t *testing.T, files storage.Store) {
		now := seeds.RankingFixtureNow
		svc := reports.NewService(db, shanghai)
		svc.Now = func() time.Time { return now }
		e := reports.NewExporter(svc, files, nil)
		actor := models.Actor{UserID: fx.Inspector.ID, Username: fx.Inspector.Username, RequestID: "test"}
		j, err := e.Request(ctx, actor, models.ScopeAll, reports.ExportInput{Period: "2026-Q3", Level: "city"})
		require.NoError(t, err)
		require.NoError(t, e.Run(ctx, j.ID))
		_, f, err := e.Open(ctx, actor.UserID, j.ID)
		require.NoError(t, err)
		assert.Positive(t, f.Size)
		x, err := excelize.OpenReader(f)
		require.NoError(t, err)
		assert.Contains(t, x.GetSheetList(), reports.SheetCity)
		x.Close()
		f.Close()

		orphan := "exports/0123456789abcdef0123456789abcdef.xlsx"
		require.NoError(t, files.Put(ctx, orphan, strings.NewReader("left by a killed worker"), -1))
		require.NoError(t, files.Put(ctx, "exports/README.txt", strings.NewReader("not a workbook"), -1))
		_, removed, err := e.Sweep(ctx)
		require.NoError(t, err)
		assert.Zero(t, removed, "nothing is older than 7 days yet")

		now = time.Now().AddDate(0, 0, 8)
		_, removed, err = e.Sweep(ctx)
		require.NoError(t, err)
		assert.Equal(t, 2, removed, "the job's workbook and the orphan")
		_, _, err = e.Open(ctx, actor.UserID, j.ID)
		assert.ErrorIs(t, err, reports.ErrExportExpired)
		var left []string
		require.NoError(t, files.List(ctx, "exports/", func(i storage.Info) error { left = append(left, i.Key); return nil }))
		assert.Equal(t, []string{"exports/README.txt"}, left)
	})
}
