package rectifications_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
)

// The whole way of a rectification (issue 4.6): evidence with a photo from the branch's
// manager, a rejection with a reason, new evidence, verification by an independent
// inspector; each write one audit row and one timeline line.
func TestRectificationLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		mgr := f.user("mgr-360102", grant{models.RoleManager, "360102"})
		insp := f.user("insp-3601", grant{models.RoleInspector, "3601"})
		r := f.open("360102-01", models.Date{})
		assert.Equal(t, models.RectOpen, r.Status)
		assert.Equal(t, 1, r.Revision)
		assert.Equal(t, f.unit("360102").ID, r.AssigneeUnitID)

		audits := f.auditCount()
		p := f.photo(mgr, r.ID)
		assert.Equal(t, audits+1, f.auditCount(), "a photo upload is one audit row")
		assert.Equal(t, "image/png", p.MIME)
		assert.Equal(t, r.ID, *p.RectificationID)

		d, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: "  已张贴监督电话  "})
		require.NoError(t, err)
		assert.Equal(t, models.RectSubmitted, d.Status)
		assert.Equal(t, 2, d.Revision)
		assert.Equal(t, "已张贴监督电话", d.EvidenceText)
		assert.Equal(t, mgr.ID, *d.SubmittedBy)
		require.Len(t, d.Photos, 1)
		assert.Equal(t, audits+2, f.auditCount())

		d, err = f.svc.Reject(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 2, Reason: "照片看不清号码"})
		require.NoError(t, err)
		assert.Equal(t, models.RectOpen, d.Status)
		assert.Equal(t, 3, d.Revision)
		assert.Equal(t, audits+3, f.auditCount())

		f.photo(mgr, r.ID)
		_, err = f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 3, Text: "重新拍摄"})
		require.NoError(t, err)
		d, err = f.svc.Verify(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 4, Note: "复查合格"})
		require.NoError(t, err)
		assert.Equal(t, models.RectVerified, d.Status)
		assert.Equal(t, insp.ID, *d.VerifiedBy)
		assert.NotNil(t, d.VerifiedAt)
		assert.Equal(t, audits+6, f.auditCount(), "two photos and four transitions")

		// The timeline keeps every move with its text, oldest first.
		require.Len(t, d.Timeline, 5)
		want := [][3]string{{"", "open", ""}, {"open", "submitted", "已张贴监督电话"}, {"submitted", "open", "照片看不清号码"},
			{"open", "submitted", "重新拍摄"}, {"submitted", "verified", "复查合格"}}
		for i, w := range want {
			e := d.Timeline[i]
			assert.Equal(t, w, [3]string{e.From, e.To, e.Reason}, "timeline line %d", i)
		}
		assert.Equal(t, "insp-3601", d.Timeline[4].ActorName)
		require.Len(t, d.Photos, 2)
		require.NotNil(t, d.Finding)
		assert.Equal(t, "R1.2", d.Finding.RuleRef)
		assert.Equal(t, "360102-01", d.Outlet.Code)
		assert.Equal(t, "360102", d.Assignee.Code)

		// The audit rows say what moved.
		var last models.AuditEvent
		require.NoError(t, db.Order("id DESC").Take(&last).Error)
		assert.Equal(t, "verify", last.Action)
		assert.Equal(t, "rectification", last.Entity)
		assert.Equal(t, idText(r.ID), last.EntityID)
		assert.Equal(t, "req-rect", last.RequestID)
	})
}

// Every refusal leaves the rectification, its timeline and the audit log as they were.
func TestRectificationRefusals(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		mgr := f.user("mgr-360102", grant{models.RoleManager, "360102"})
		otherMgr := f.user("mgr-360402", grant{models.RoleManager, "360402"})
		insp := f.user("insp-3601", grant{models.RoleInspector, "3601"})
		countyInsp := f.user("insp-360102", grant{models.RoleInspector, "360102"})
		// An inspector of the city who also manages the branch is the assignee.
		both := f.user("insp-mgr", grant{models.RoleInspector, "3601"}, grant{models.RoleManager, "360102"})
		adm := f.user("adm", grant{models.RoleAdmin, "36"})

		open := f.open("360102-01", models.Date{})
		submitted := f.open("360102-02", models.Date{})
		f.photo(mgr, submitted.ID)
		_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), submitted.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
		require.NoError(t, err)
		bare := f.open("360102-01", models.Date{}) // open, no photo

		// Submitted by a manager who later became an inspector of the city (and gave up the
		// branch): still the submitter, so not the verifier.
		turncoat := f.user("turncoat", grant{models.RoleManager, "360102"}, grant{models.RoleInspector, "3601"})
		own := f.open("360102-02", models.Date{})
		f.photo(turncoat, own.ID)
		_, err = f.svc.Submit(f.ctx, as(turncoat, managerRoute...), own.ID, rectifications.EvidenceInput{Revision: 1, Text: "自己整改"})
		require.NoError(t, err)
		require.NoError(t, db.Where("user_id = ? AND role = ?", turncoat.ID, models.RoleManager).Delete(&models.Grant{}).Error)
		require.NoError(t, models.LoadGrants(f.ctx, db, turncoat))

		cases := []struct {
			name string
			r    *models.Rectification
			do   func(r *models.Rectification) error
			want func(t *testing.T, err error)
		}{
			{"verify an open one", open, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 1})
				return err
			}, conflict("status", "rect_not_submitted")},
			{"reject an open one", open, func(r *models.Rectification) error {
				_, err := f.svc.Reject(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 1, Reason: "不行"})
				return err
			}, conflict("status", "rect_not_submitted")},
			{"submit a submitted one", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 2, Text: "再交"})
				return err
			}, conflict("status", "rect_not_open")},
			{"waive a submitted one", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Waive(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 2, Reason: "网点已撤销"})
				return err
			}, conflict("status", "rect_not_open")},
			{"photo on a submitted one", submitted, func(r *models.Rectification) error {
				_, err := f.svc.AddPhoto(f.ctx, as(mgr, managerRoute...), r.ID, bytes.NewReader(pngBytes(t, 2, 2)))
				return err
			}, conflict("status", "rect_not_open")},
			{"stale revision", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 1})
				return err
			}, conflict("revision", "stale")},
			{"stale revision before the state", open, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 7})
				return err
			}, conflict("revision", "stale")},
			{"no revision", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.VerifyInput{})
				return err
			}, field("revision", "required")},
			{"verifier is the submitter", own, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(turncoat, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 2})
				return err
			}, isForbidden},
			{"the branch's manager cannot verify", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(both, verifierRoute...), r.ID, rectifications.VerifyInput{Revision: 2})
				return err
			}, isForbidden},
			{"the branch's manager cannot reject", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Reject(f.ctx, as(both, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 2, Reason: "x"})
				return err
			}, isForbidden},
			{"the branch's manager cannot waive", open, func(r *models.Rectification) error {
				_, err := f.svc.Waive(f.ctx, as(both, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 1, Reason: "x"})
				return err
			}, isForbidden},
			{"a county inspector cannot waive", open, func(r *models.Rectification) error {
				_, err := f.svc.Waive(f.ctx, as(countyInsp, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 1, Reason: "x"})
				return err
			}, isForbidden},
			{"evidence without a photo", bare, func(r *models.Rectification) error {
				_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
				return err
			}, field("photos", "rect_photo_required")},
			{"evidence without text", open, func(r *models.Rectification) error {
				_, err := f.svc.Submit(f.ctx, as(mgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: " "})
				return err
			}, field("text", "required")},
			{"rejection without a reason", submitted, func(r *models.Rectification) error {
				_, err := f.svc.Reject(f.ctx, as(insp, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 2})
				return err
			}, field("reason", "required")},
			{"an admin cannot submit evidence", open, func(r *models.Rectification) error {
				_, err := f.svc.Submit(f.ctx, as(adm, readRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: "代交"})
				return err
			}, isForbidden},
			{"another branch's manager: out of scope", open, func(r *models.Rectification) error {
				_, err := f.svc.Submit(f.ctx, as(otherMgr, managerRoute...), r.ID, rectifications.EvidenceInput{Revision: 1, Text: "x"})
				return err
			}, isNotFound},
			{"another branch's manager's photo: out of scope", open, func(r *models.Rectification) error {
				_, err := f.svc.AddPhoto(f.ctx, as(otherMgr, managerRoute...), r.ID, bytes.NewReader(pngBytes(t, 2, 2)))
				return err
			}, isNotFound},
			{"nonexistent", open, func(*models.Rectification) error {
				_, err := f.svc.Verify(f.ctx, as(adm, verifierRoute...), 999999, rectifications.VerifyInput{Revision: 1})
				return err
			}, isNotFound},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				before := f.reload(c.r)
				lines, audits := f.timelineLen(c.r.ID), f.auditCount()
				err := c.do(c.r)
				require.Error(t, err)
				c.want(t, err)
				after := f.reload(c.r)
				assert.Equal(t, before.Status, after.Status)
				assert.Equal(t, before.Revision, after.Revision)
				assert.Equal(t, lines, f.timelineLen(c.r.ID), "a refusal adds no timeline line")
				assert.Equal(t, audits, f.auditCount(), "a refusal writes no audit row")
			})
		}
	})
}

// Waivers: approved by an admin or a city inspector, with the reason and the approver.
func TestWaive(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		insp := f.user("insp-3601", grant{models.RoleInspector, "3601"})
		adm := f.user("adm", grant{models.RoleAdmin, "36"})
		for _, u := range []*models.User{insp, adm} {
			r := f.open("360102-01", models.Date{})
			audits := f.auditCount()
			d, err := f.svc.Waive(f.ctx, as(u, verifierRoute...), r.ID, rectifications.ReasonInput{Revision: 1, Reason: "网点已于上月撤销"})
			require.NoError(t, err, u.Username)
			assert.Equal(t, models.RectWaived, d.Status)
			assert.Equal(t, "网点已于上月撤销", d.WaiverReason)
			assert.Equal(t, u.ID, *d.WaivedBy)
			assert.Equal(t, audits+1, f.auditCount())
			last := d.Timeline[len(d.Timeline)-1]
			assert.Equal(t, [3]string{"open", "waived", "网点已于上月撤销"}, [3]string{last.From, last.To, last.Reason})
		}
	})
}

// Photos: the size limit is the policy's, kept in settings; the type is sniffed.
func TestEvidencePhotoLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		mgr := f.user("mgr-360102", grant{models.RoleManager, "360102"})
		r := f.open("360102-01", models.Date{})
		p := policy.DefaultPolicy
		p.PhotoMaxBytes = 100
		require.NoError(t, models.SaveSetting(db, policy.PolicyKey, p, 0, f.now))
		audits := f.auditCount()
		_, err := f.svc.AddPhoto(f.ctx, as(mgr, managerRoute...), r.ID, bytes.NewReader(pngBytes(t, 200, 200)))
		dbtest.RequireFieldError(t, err, "file", "too_large")
		_, err = f.svc.AddPhoto(f.ctx, as(mgr, managerRoute...), r.ID, bytes.NewReader([]byte("GIF89a not a photo")))
		dbtest.RequireFieldError(t, err, "file", "photo_type")
		assert.Equal(t, audits, f.auditCount())
		photos, err := models.RectificationPhotos(f.ctx, db, r.ID)
		require.NoError(t, err)
		assert.Empty(t, photos)
	})
}

// The timeline is append-only in the database itself.
func TestTimelineAppendOnly(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFixture(t, db)
		r := f.open("360102-01", models.Date{})
		assert.Error(t, db.Exec("UPDATE rectification_events SET reason = 'changed' WHERE rectification_id = ?", r.ID).Error)
		assert.Error(t, db.Exec("DELETE FROM rectification_events WHERE rectification_id = ?", r.ID).Error)
		tl, err := models.RectificationTimeline(f.ctx, db, r.ID)
		require.NoError(t, err)
		require.Len(t, tl, 1)
		assert.Equal(t, "", tl[0].Reason)
	})
}

func conflict(fieldName, code string) func(*testing.T, error) {
	return func(t *testing.T, err error) { dbtest.RequireConflict(t, err, fieldName, code) }
}

func field(name, code string) func(*testing.T, error) {
	return func(t *testing.T, err error) { dbtest.RequireFieldError(t, err, name, code) }
}

func isForbidden(t *testing.T, err error) {
	assert.True(t, errors.Is(err, models.ErrForbidden), "want forbidden, got %v", err)
}

func isNotFound(t *testing.T, err error) {
	assert.True(t, errors.Is(err, models.ErrNotFound), "want not found, got %v", err)
}
