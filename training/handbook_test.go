package training_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/training"
)

func draft(number string) training.VersionInput {
	return training.VersionInput{Version: number, Title: "员工手册", Body: "# 员工手册\n\n一次性告知（R2.5）。"}
}

func TestDraftValidation(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		for _, c := range []struct {
			in          training.VersionInput
			field, code string
		}{
			{training.VersionInput{Title: "x", Body: "y"}, "version", "required"},
			{training.VersionInput{Version: "1", Title: "x", Body: "y"}, "version", "invalid_version"},
			{training.VersionInput{Version: "v1.0", Title: "x", Body: "y"}, "version", "invalid_version"},
			{training.VersionInput{Version: "1.0.0", Title: "x", Body: "y"}, "version", "invalid_version"},
			{training.VersionInput{Version: "01.0", Title: "x", Body: "y"}, "version", "invalid_version"},
			{training.VersionInput{Version: "0.9", Title: "x", Body: "y"}, "version", "invalid_version"},
			{training.VersionInput{Version: "1.0", Title: "  ", Body: "y"}, "title", "required"},
			{training.VersionInput{Version: "1.0", Title: strings.Repeat("手", 201), Body: "y"}, "title", "too_long"},
			{training.VersionInput{Version: "1.0", Title: "x"}, "body", "required"},
			{training.VersionInput{Version: "1.0", Title: "x", Body: strings.Repeat("册", 100_001)}, "body", "too_long"},
		} {
			_, err := f.svc.CreateDraft(f.ctx, actor, c.in)
			dbtest.RequireFieldError(t, err, c.field, c.code)
		}
		assert.Zero(t, f.count(&models.HandbookVersion{}))
		assert.Zero(t, f.count(&models.AuditEvent{}, "entity = ?", "handbook_version"))

		// A long body survives the round trip on both engines (MySQL TEXT would stop at 64 KB).
		long := strings.Repeat("首问负责，一次告知。", 9_000)
		d, err := f.svc.CreateDraft(f.ctx, actor, training.VersionInput{Version: "1.0", Title: "长手册", Body: long})
		require.NoError(t, err)
		got, err := models.GetHandbookVersion(f.ctx, db, d.ID)
		require.NoError(t, err)
		assert.Equal(t, long, got.Body)

		_, err = f.svc.CreateDraft(f.ctx, actor, draft("1.0"))
		dbtest.RequireConflict(t, err, "version", "duplicate")
	})
}

func TestVersioning(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		_, err := models.CurrentHandbook(f.ctx, db)
		require.ErrorIs(t, err, models.ErrNotFound, "nothing is current before a publish")

		d, err := f.svc.CreateDraft(f.ctx, actor, draft("1.0"))
		require.NoError(t, err)
		assert.Equal(t, models.HandbookDraft, d.Status)
		assert.Equal(t, 1, d.Major)
		assert.Equal(t, 0, d.Minor)
		assert.False(t, d.Current)

		// A draft changes freely, its number too.
		d, err = f.svc.UpdateDraft(f.ctx, actor, d.ID, training.VersionInput{Version: "1.1", Title: "员工手册（修订）", Body: "新正文"})
		require.NoError(t, err)
		assert.Equal(t, "1.1", d.Version)
		assert.Equal(t, 1, d.Minor)

		v1, err := f.svc.Publish(f.ctx, actor, d.ID)
		require.NoError(t, err)
		assert.Equal(t, models.HandbookPublished, v1.Status)
		assert.True(t, v1.Current)
		require.NotNil(t, v1.PublishedAt)

		// Publishing again is a retry: same version, no second audit event.
		audits := f.count(&models.AuditEvent{}, "entity = ? AND action = ?", "handbook_version", "publish")
		again, err := f.svc.Publish(f.ctx, actor, d.ID)
		require.NoError(t, err)
		assert.Equal(t, v1.ID, again.ID)
		assert.Equal(t, audits, f.count(&models.AuditEvent{}, "entity = ? AND action = ?", "handbook_version", "publish"))

		// Published versions are immutable.
		_, err = f.svc.UpdateDraft(f.ctx, actor, v1.ID, draft("1.2"))
		dbtest.RequireConflict(t, err, "id", "version_published")
		got, err := models.GetHandbookVersion(f.ctx, db, v1.ID)
		require.NoError(t, err)
		assert.Equal(t, "新正文", got.Body)

		// Numbers must increase: a draft at or below 1.1 is refused, on create and update.
		for _, n := range []string{"1.0", "1.1"} {
			_, err = f.svc.CreateDraft(f.ctx, actor, draft(n))
			dbtest.RequireFieldError(t, err, "version", "version_not_increasing")
		}
		d12, err := f.svc.CreateDraft(f.ctx, actor, draft("1.2"))
		require.NoError(t, err)
		_, err = f.svc.UpdateDraft(f.ctx, actor, d12.ID, draft("1.0"))
		dbtest.RequireFieldError(t, err, "version", "version_not_increasing")
		d13, err := f.svc.CreateDraft(f.ctx, actor, draft("1.10"))
		require.NoError(t, err)

		// 1.10 is above 1.2 (numbers, not strings); publishing it makes the 1.2 draft stale.
		v110, err := f.svc.Publish(f.ctx, actor, d13.ID)
		require.NoError(t, err)
		assert.True(t, v110.Current)
		_, err = f.svc.Publish(f.ctx, actor, d12.ID)
		dbtest.RequireConflict(t, err, "version", "version_not_increasing")
		got, err = models.GetHandbookVersion(f.ctx, db, d12.ID)
		require.NoError(t, err)
		assert.Equal(t, models.HandbookDraft, got.Status, "a refused publish changes nothing")

		// One current version, the last published.
		cur, err := models.CurrentHandbook(f.ctx, db)
		require.NoError(t, err)
		assert.Equal(t, v110.ID, cur.ID)
		assert.EqualValues(t, 1, f.count(&models.HandbookVersion{}, "current_key IS NOT NULL"))
		old, err := models.GetHandbookVersion(f.ctx, db, v1.ID)
		require.NoError(t, err)
		assert.False(t, old.Current)
		_, err = f.svc.Publish(f.ctx, actor, v1.ID)
		dbtest.RequireConflict(t, err, "id", "version_published")

		list, err := models.ListHandbookVersions(f.ctx, db, models.Page{})
		require.NoError(t, err)
		require.EqualValues(t, 3, list.Total)
		assert.Equal(t, []string{"1.10", "1.2", "1.1"}, []string{list.Items[0].Version, list.Items[1].Version, list.Items[2].Version})

		// Every write left one audit event: 3 creates, 1 update, 2 publishes.
		assert.EqualValues(t, 6, f.count(&models.AuditEvent{}, "entity = ?", "handbook_version"))
	})
}

// TestParallelPublishKeepsOneCurrent: drafts published at once never leave two
// current versions, and the one left current is the highest published.
func TestParallelPublishKeepsOneCurrent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		var ids []uint
		for _, n := range []string{"1.0", "1.1", "1.2", "1.3", "1.4", "1.5"} {
			d, err := f.svc.CreateDraft(f.ctx, actor, draft(n))
			require.NoError(t, err)
			ids = append(ids, d.ID)
		}
		var wg sync.WaitGroup
		for _, id := range ids {
			wg.Go(func() { _, _ = f.svc.Publish(f.ctx, actor, id) })
		}
		wg.Wait()
		assert.EqualValues(t, 1, f.count(&models.HandbookVersion{}, "current_key IS NOT NULL"))
		cur, err := models.CurrentHandbook(f.ctx, db)
		require.NoError(t, err)
		latest, err := models.LatestPublishedHandbook(db)
		require.NoError(t, err)
		assert.Equal(t, latest.ID, cur.ID, "the current version is the highest published")
		assert.Equal(t, f.count(&models.HandbookVersion{}, "status = ?", models.HandbookPublished),
			f.count(&models.AuditEvent{}, "entity = ? AND action = ?", "handbook_version", "publish"))
	})
}

func TestAcknowledgeIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.staff("A1", "360102-01", models.PositionWindow, models.StatusActive)
		v := f.publish("1.0")
		who := models.Actor{UserID: 0, Username: "employee", IP: "192.0.2.10", RequestID: "r"}

		a, created, err := f.svc.Acknowledge(f.ctx, who, f.id("A1"), training.AckInput{VersionID: v.ID}, "Mozilla/5.0 (Linux; Android 14)")
		require.NoError(t, err)
		assert.True(t, created)
		assert.Equal(t, v.ID, a.VersionID)
		assert.Equal(t, "192.0.2.10", a.IP)
		assert.Equal(t, "Mozilla/5.0 (Linux; Android 14)", a.UserAgent)
		assert.False(t, a.At.IsZero())

		b, created, err := f.svc.Acknowledge(f.ctx, who, f.id("A1"), training.AckInput{VersionID: v.ID}, "another agent")
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, a.ID, b.ID)
		assert.Equal(t, a.UserAgent, b.UserAgent, "the first acknowledgement stands")

		// Parallel retries: still one row and one audit event.
		var wg sync.WaitGroup
		for range 8 {
			wg.Go(func() {
				_, _, err := f.svc.Acknowledge(f.ctx, who, f.id("A1"), training.AckInput{VersionID: v.ID}, "retry")
				assert.NoError(t, err)
			})
		}
		wg.Wait()
		assert.EqualValues(t, 1, f.count(&models.Acknowledgement{}))
		assert.EqualValues(t, 1, f.count(&models.AuditEvent{}, "entity = ? AND action = ?", "acknowledgement", "acknowledge"))

		// A long user agent is cut, not refused.
		f.staff("A2", "360102-01", models.PositionWindow, models.StatusActive)
		c, _, err := f.svc.Acknowledge(f.ctx, who, f.id("A2"), training.AckInput{VersionID: v.ID}, strings.Repeat("浏", 300))
		require.NoError(t, err)
		assert.Equal(t, 255, len([]rune(c.UserAgent)))
	})
}

func TestAcknowledgeRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		f.staff("A1", "360102-01", models.PositionWindow, models.StatusActive)

		_, _, err := f.svc.Acknowledge(f.ctx, actor, f.id("A1"), training.AckInput{VersionID: 1}, "")
		dbtest.RequireFieldError(t, err, "version_id", "not_found")

		v1 := f.publish("1.0")
		_, _, err = f.svc.Acknowledge(f.ctx, actor, nil, training.AckInput{VersionID: v1.ID}, "")
		dbtest.RequireConflict(t, err, "user", "handbook_no_employee")
		_, _, err = f.svc.Acknowledge(f.ctx, actor, f.id("A1"), training.AckInput{}, "")
		dbtest.RequireFieldError(t, err, "version_id", "required")

		d, err := f.svc.CreateDraft(f.ctx, actor, draft("2.0"))
		require.NoError(t, err)
		_, _, err = f.svc.Acknowledge(f.ctx, actor, f.id("A1"), training.AckInput{VersionID: d.ID}, "")
		dbtest.RequireFieldError(t, err, "version_id", "not_found")

		// The employee read 1.0, then 2.0 was published: their click must not accept 2.0.
		_, err = f.svc.Publish(f.ctx, actor, d.ID)
		require.NoError(t, err)
		_, _, err = f.svc.Acknowledge(f.ctx, actor, f.id("A1"), training.AckInput{VersionID: v1.ID}, "")
		dbtest.RequireConflict(t, err, "version_id", "version_not_current")
		assert.Zero(t, f.count(&models.Acknowledgement{}))
	})
}

// TestMajorAndMinorVersions: a major version makes everyone pending again, a minor
// one does not; acknowledging any version of the current major covers it.
func TestMajorAndMinorVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		for _, job := range []string{"A", "B", "C"} {
			f.staff(job, "360102-01", models.PositionWindow, models.StatusActive)
		}
		pendingNow := func() []string {
			t.Helper()
			l, err := f.svc.ListPending(f.ctx, models.ScopeAll, training.CoverageFilter{}, models.Page{})
			require.NoError(t, err)
			var jobs []string
			for _, e := range l.Items {
				jobs = append(jobs, e.JobNumber)
			}
			return jobs
		}
		isPending := func(job string) bool {
			t.Helper()
			view, err := f.svc.Current(f.ctx, f.id(job))
			require.NoError(t, err)
			return view.Pending
		}

		v10 := f.publish("1.0")
		assert.Equal(t, []string{"A", "B", "C"}, pendingNow())
		f.ack("A", v10)
		assert.Equal(t, []string{"B", "C"}, pendingNow())
		assert.False(t, isPending("A"))

		// 1.1 is minor: acknowledging 1.0 still covers it; acknowledging 1.1 covers 1.x.
		v11 := f.publish("1.1")
		assert.Equal(t, []string{"B", "C"}, pendingNow())
		view, err := f.svc.Current(f.ctx, f.id("A"))
		require.NoError(t, err)
		assert.Equal(t, v11.ID, view.Version.ID)
		assert.False(t, view.Pending)
		assert.Nil(t, view.Acknowledgement, "A acknowledged 1.0, not this exact version")
		f.ack("B", v11)
		assert.Equal(t, []string{"C"}, pendingNow())

		// 2.0 is major: everyone is pending again.
		v20 := f.publish("2.0")
		assert.Equal(t, []string{"A", "B", "C"}, pendingNow())
		assert.True(t, isPending("A"))
		a := f.ack("C", v20)
		view, err = f.svc.Current(f.ctx, f.id("C"))
		require.NoError(t, err)
		assert.False(t, view.Pending)
		require.NotNil(t, view.Acknowledgement)
		assert.Equal(t, a.ID, view.Acknowledgement.ID)

		// 2.1 is minor again: C stays covered by 2.0; A and B still owe 2.x.
		f.publish("2.1")
		assert.Equal(t, []string{"A", "B"}, pendingNow())

		// A user without an employee sees the handbook and owes nothing.
		view, err = f.svc.Current(f.ctx, nil)
		require.NoError(t, err)
		assert.False(t, view.Pending)
		assert.Nil(t, view.Acknowledgement)
	})
}
