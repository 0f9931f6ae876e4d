package seeds_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/photos"
	"quality/seeds"
	"quality/storage"
)

// The demo supervision data (issue 4, point 10) gives every list something real: scores
// that differ, critical failures, rectifications in every state with timelines that end
// in their state, patrol visits done, missed and to come, and cases at every stage of
// R6.8 — and every stored score is what the scoring rule gives for the stored answers.
func TestLoadDemoSupervision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		now := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
		require.NoError(t, seeds.Run(ctx, db, seeds.BaseSteps(now), nil))
		_, err := seeds.LoadDemoIn(ctx, db, "demo-pass-1", "3601", "3604")
		require.NoError(t, err)
		files := storage.NewLocal(t.TempDir())
		// The two cities' county branches: every inspection is rescored below, row by
		// row, and the province's year made this the slowest test of seeds.
		n, err := seeds.LoadDemoSupervision(ctx, db, files, now, "3601", "3604")
		require.NoError(t, err)
		require.Greater(t, n, 20, "inspections")

		var ins []models.Inspection
		require.NoError(t, db.Find(&ins).Error)
		results := map[string]int{}
		critical := 0
		for _, in := range ins {
			results[in.Result]++
			if in.CriticalFailed {
				critical++
			}
			assert.Equal(t, models.InspectionSubmitted, in.Status)
			assert.False(t, in.SubmittedAt.After(now), "inspection %d in the future", in.ID)
			var items []models.InspectionItem
			require.NoError(t, db.Where("inspection_id = ?", in.ID).Order("position").Find(&items).Error)
			var tpl models.ChecklistTemplate
			require.NoError(t, db.Take(&tpl, in.TemplateID).Error)
			s := inspections.Score(items, tpl.PassMark)
			assert.Equal(t, s.Result, in.Result, "inspection %d", in.ID)
			assert.Equal(t, s.Earned, in.Earned)
			assert.Equal(t, s.Possible, in.Possible)
			if assert.NotNil(t, in.Score) && s.Score != nil {
				assert.Equal(t, *s.Score, *in.Score, "inspection %d: the stored score is the rule's", in.ID)
			}
			var findings int64
			require.NoError(t, db.Model(&models.Finding{}).Where("inspection_id = ?", in.ID).Count(&findings).Error)
			assert.EqualValues(t, len(s.Failed), findings, "one finding per failed item")
		}
		assert.Positive(t, results[models.ResultPass], "some inspections pass")
		assert.Positive(t, results[models.ResultFail], "some fail")
		assert.Positive(t, critical, "some fail a critical item")

		var rects []models.Rectification
		require.NoError(t, db.Find(&rects).Error)
		states := map[string]int{}
		overdue := 0
		today := models.DateOf(now.In(time.FixedZone("CST", 8*3600)))
		for _, r := range rects {
			states[r.Status]++
			if r.Status == models.RectOpen && r.DueOn.Time().Before(today.Time()) {
				overdue++
			}
			var last models.RectificationEvent
			require.NoError(t, db.Where("rectification_id = ?", r.ID).Order("id DESC").Take(&last).Error)
			assert.Equal(t, r.Status, last.To, "rectification %d: the timeline ends in its state", r.ID)
			if r.Status == models.RectSubmitted || r.Status == models.RectVerified {
				var photos int64
				require.NoError(t, db.Model(&models.Photo{}).Where("rectification_id = ?", r.ID).Count(&photos).Error)
				assert.Positive(t, photos, "rectification %d: evidence has a photo", r.ID)
			}
		}
		for _, s := range []string{models.RectOpen, models.RectSubmitted, models.RectVerified, models.RectWaived} {
			assert.Positive(t, states[s], "rectifications %s", s)
		}
		assert.Positive(t, overdue, "some are overdue")

		var stops []models.PatrolStop
		require.NoError(t, db.Find(&stops).Error)
		done, missed, pending := 0, 0, 0
		for _, s := range stops {
			switch {
			case s.InspectionID != nil:
				done++
			case s.DueOn.Time().Before(today.Time()):
				missed++
			default:
				pending++
			}
		}
		assert.Positive(t, done, "patrol visits done")
		assert.Positive(t, missed, "patrol visits missed")
		assert.Positive(t, pending, "patrol visits to come")

		var persons []models.CasePerson
		require.NoError(t, db.Find(&persons).Error)
		decided, heard, silent := 0, 0, 0
		for _, p := range persons {
			switch {
			case p.DecidedAt != nil:
				decided++
				assert.NotNil(t, p.StatementAt, "R6.8: no decision without the statement")
			case p.StatementAt != nil:
				heard++
			default:
				silent++
			}
		}
		assert.GreaterOrEqual(t, decided, 2, "decided cases")
		assert.Positive(t, heard, "a statement waiting for the decision")
		assert.Positive(t, silent, "cases waiting for a statement")

		// The photos are in the store, and a second load adds nothing.
		var photo models.Photo
		require.NoError(t, db.Take(&photo).Error)
		f, err := photos.Store{Files: files}.Open(ctx, photo.SHA256)
		require.NoError(t, err)
		f.Close()
		n, err = seeds.LoadDemoSupervision(ctx, db, files, now)
		require.NoError(t, err)
		assert.Zero(t, n)
	})
}
