package app_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
	"quality/rectifications/rectest"
	"quality/reports"
	"quality/storage"
	"quality/storage/storagetest"
)

// instance is one server of several behind a load balancer: its own connection pool
// to the shared database, its own empty data folder and its own client of the shared
// bucket, all from the same settings. Each migrates at start as serve does (the
// second finds nothing to do); fill loads data before the app starts.
func instance(t *testing.T, dsn, files string, fill func(db *gorm.DB)) *env {
	t.Helper()
	ctx := context.Background()
	db, err := models.Open(ctx, dsn, models.OpenOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { models.Close(db) })
	_, err = models.Migrate(ctx, db)
	require.NoError(t, err)
	if fill != nil {
		fill(db)
	}
	cfg, err := app.ConfigFromEnv()
	require.NoError(t, err)
	// Both instances behind one public address, as behind a load balancer.
	cfg.DataDir, cfg.Storage, cfg.PublicURL = t.TempDir(), files, siteOrigin
	store, err := storage.Open(ctx, cfg.Storage, cfg.DataDir)
	require.NoError(t, err)
	log := slog.New(slog.DiscardHandler)
	exports := reports.NewExporter(reports.NewService(db, cfg.Location), store, log)
	t.Cleanup(exports.Wait)
	a, err := app.New(cfg, app.Deps{DB: db, Log: log, Files: store, Exports: exports})
	require.NoError(t, err)
	units, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	require.NoError(t, err)
	return &env{t: t, db: db, app: a, units: units, exports: exports}
}

// on is the same browser (the same cookies) talking to another instance.
func (c *client) on(e *env) *client { return &client{e: e, cookies: c.cookies} }

// TestTwoInstances runs two instances on one MySQL database with files in an S3 bucket
// (issue 10 §4): what one instance was given, the other serves — the session and its
// CSRF token, an inspection photo, a ranking workbook — a logout on one ends the
// session on both, and however many instances sweep at once each rectification
// reaches each escalation level once.
func TestTwoInstances(t *testing.T) {
	files := storagetest.S3Setting(t)
	dsn, _ := dbtest.MySQLDatabase(t)
	first := instance(t, dsn, files, func(db *gorm.DB) { envData.CopyInto(t, db) })
	second := instance(t, dsn, files, nil)

	// Log in on the first; the session and its CSRF token work on the second.
	insp := first.login(inspector)
	elsewhere := insp.on(second)
	res := elsewhere.do(http.MethodGet, "/api/v1/me", nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	assert.Contains(t, res.Body, `"username":"inspector"`)
	draft := first.freshInspection(inspector, "360102-01", draftInspection, false)
	itemURL := fmt.Sprintf("/api/v1/inspections/%d/items/m1", draft.ID)
	res = elsewhere.do(http.MethodPut, itemURL, map[string]any{"outcome": "pass", "rev": 0})
	require.Equal(t, http.StatusOK, res.Code, "a write with the first instance's token: %s", res.Body)

	// A photo uploaded to the first is served by the second, from the bucket.
	png := testPNG(t)
	res = insp.upload(itemURL+"/photos", "file", "现场.png", png)
	require.Equal(t, http.StatusCreated, res.Code, res.Body)
	var photo models.Photo
	res.JSON(t, &photo)
	res = elsewhere.do(http.MethodGet, fmt.Sprintf("/api/v1/photos/%d", photo.ID), nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	assert.Equal(t, string(png), res.Body)
	assert.Equal(t, "image/png", res.Header.Get("Content-Type"))

	// A workbook written by the instance that took the request downloads from the other.
	adm := second.login(admin)
	res = adm.do(http.MethodPost, "/api/v1/rankings/exports", map[string]string{"period": "2026-Q3", "level": "county"})
	require.Equal(t, http.StatusAccepted, res.Code, res.Body)
	var job struct{ ID uint }
	res.JSON(t, &job)
	second.exports.Wait()
	res = adm.on(first).do(http.MethodGet, fmt.Sprintf("/api/v1/rankings/exports/%d/file", job.ID), nil)
	require.Equal(t, http.StatusOK, res.Code, res.Body)
	x, err := excelize.OpenReader(strings.NewReader(res.Body))
	require.NoError(t, err)
	assert.Contains(t, x.GetSheetList(), reports.SheetCounty)
	x.Close()

	// A logout on the second ends the session on the first, even for a client that
	// kept the cookie.
	kept := first.anon()
	for k, v := range insp.cookies {
		kept.cookies[k] = v
	}
	res = elsewhere.do(http.MethodPost, "/api/v1/auth/logout", nil)
	require.Equal(t, http.StatusNoContent, res.Code, res.Body)
	res = kept.do(http.MethodGet, "/api/v1/me", nil)
	require.Equal(t, http.StatusUnauthorized, res.Code, res.Body)

	// Escalations: one long overdue (the city and the province levels), one due today
	// (the reminder); four sweeps on each instance at once, twice over.
	overdue := rectest.Open(t, first.db, "360102-01", rectest.Options{DueOn: models.Date{Year: 2025, Month: 1, Day: 1}})
	dueToday := rectest.Open(t, first.db, "360102-02", rectest.Options{DueOn: rectifications.New(first.db, nil, policy.NewService(first.db), shanghaiZone(t)).Today()})
	for round := range 2 {
		var wg sync.WaitGroup
		errs := make(chan error, 8)
		for i := range 8 {
			db := []*gorm.DB{first.db, second.db}[i%2]
			wg.Go(func() {
				_, err := rectifications.New(db, nil, policy.NewService(db), shanghaiZone(t)).Sweep(context.Background())
				errs <- err
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			require.NoError(t, err, "round %d", round)
		}
	}
	var got []models.Escalation
	require.NoError(t, first.db.Order("rectification_id, level").Find(&got).Error)
	levels := map[uint][]string{}
	for _, es := range got {
		levels[es.RectificationID] = append(levels[es.RectificationID], es.Level)
	}
	assert.ElementsMatch(t, []string{models.EscalateCity, models.EscalateProvince}, levels[overdue.ID])
	assert.Equal(t, []string{models.EscalateReminder}, levels[dueToday.ID])
	assert.Len(t, got, 3, "one escalation per level, however many sweeps")
}
