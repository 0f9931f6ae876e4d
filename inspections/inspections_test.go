package inspections_test

import (
	"context"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

// Issue 4 point 1: a published version never changes; editing it makes the next
// version; an old inspection keeps its snapshot and score whatever happens after.
func TestTemplateVersions(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()

		// Field-by-field validation, nothing written.
		before := f.audits()
		bad := testTemplate("T-BAD")
		bad.Sections[0].Items[1].RuleRef = "1.2"
		bad.Sections[0].Items[2].Key = "a1"
		bad.Sections[0].Items[2].PassScore = 9
		bad.Sections[0].Items[3].Weight = 101
		_, err := f.svc.CreateTemplate(ctx, f.admin, models.ScopeAll, bad)
		dbtest.RequireFieldError(t, err, "sections[0].items[1].rule_ref", "invalid_rule_ref")
		dbtest.RequireFieldError(t, err, "sections[0].items[2].key", "duplicate_in_template")
		dbtest.RequireFieldError(t, err, "sections[0].items[2].pass_score", "out_of_range")
		dbtest.RequireFieldError(t, err, "sections[0].items[3].weight", "out_of_range")
		// Templates are province-wide: a city's inspector does not write them.
		_, err = f.svc.CreateTemplate(ctx, f.insp, f.scope, testTemplate("T-CITY"))
		require.ErrorIs(t, err, models.ErrForbidden)
		require.Equal(t, before, f.audits(), "a refusal writes no audit row")

		// A draft: the pass mark defaults from the policy; it is edited in place.
		in := testTemplate("T-VER")
		d, err := f.svc.CreateTemplate(ctx, f.admin, models.ScopeAll, in)
		require.NoError(t, err)
		assert.Equal(t, policy.DefaultPolicy.PassMark, d.PassMark)
		assert.Equal(t, models.TemplateDraft, d.Status)
		in.Title = "测试检查表（改）"
		d2, created, err := f.svc.EditTemplate(ctx, f.admin, models.ScopeAll, d.ID, in)
		require.NoError(t, err)
		assert.False(t, created)
		assert.Equal(t, d.ID, d2.ID)
		_, err = f.svc.CreateTemplate(ctx, f.admin, models.ScopeAll, in)
		dbtest.RequireConflict(t, err, "code", "duplicate")

		n := f.audits()
		v1, err := f.svc.PublishTemplate(ctx, f.admin, models.ScopeAll, d.ID)
		require.NoError(t, err)
		require.Equal(t, models.TemplatePublished, v1.Status)
		require.Equal(t, n+1, f.audits())
		again, err := f.svc.PublishTemplate(ctx, f.admin, models.ScopeAll, d.ID)
		require.NoError(t, err, "publishing the published version again is a retry")
		require.Equal(t, v1.ID, again.ID)
		require.Equal(t, n+1, f.audits(), "a retried publish writes nothing")

		// An inspection with v1, submitted.
		f.tpl = v1
		ins := f.start()
		f.answer(ins.ID, "a1", models.OutcomePass, nil, "")
		f.answer(ins.ID, "a2", models.OutcomePass, nil, "")
		f.answer(ins.ID, "a3", models.OutcomePass, ptr(4), "")
		done, err := f.submit(ins.ID)
		require.NoError(t, err)

		// Editing the published version makes v2, a draft; v1 is untouched.
		in.Sections[0].Items[0].Text = "公示服务承诺（新）"
		in.Sections[0].Items[0].Weight = 9
		n = f.audits()
		v2, created, err := f.svc.EditTemplate(ctx, f.admin, models.ScopeAll, v1.ID, in)
		require.NoError(t, err)
		require.True(t, created)
		assert.Equal(t, 2, v2.Version)
		assert.Equal(t, models.TemplateDraft, v2.Status)
		assert.True(t, v2.CreatedAt.After(v1.CreatedAt), "the new version is made now, not when v1 was")
		assert.Equal(t, n+1, f.audits())
		_, _, err = f.svc.EditTemplate(ctx, f.admin, models.ScopeAll, v1.ID, in)
		dbtest.RequireConflict(t, err, "id", "template_draft_exists")
		stored, err := models.GetTemplate(ctx, db, v1.ID)
		require.NoError(t, err)
		assert.Equal(t, "公示服务承诺", stored.Sections[0].Items[0].Text, "a published version never changes")

		// Publishing v2 retires v1; retiring v2 leaves no published version.
		_, err = f.svc.PublishTemplate(ctx, f.admin, models.ScopeAll, v2.ID)
		require.NoError(t, err)
		stored, _ = models.GetTemplate(ctx, db, v1.ID)
		assert.Equal(t, models.TemplateRetired, stored.Status)
		_, err = f.svc.PublishTemplate(ctx, f.admin, models.ScopeAll, v1.ID)
		dbtest.RequireConflict(t, err, "id", "template_retired")
		_, err = f.svc.RetireTemplate(ctx, f.admin, models.ScopeAll, v2.ID)
		require.NoError(t, err)
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "after-retire", TemplateID: v1.ID, OrgUnitID: f.outlet.ID})
		dbtest.RequireFieldError(t, err, "template_id", "template_not_published")

		// The old inspection: same snapshot, same score.
		later, err := f.svc.View(ctx, f.scope, ins.ID)
		require.NoError(t, err)
		assert.Equal(t, done.Items, later.Items)
		assert.Equal(t, *done.Score, *later.Score)
		assert.Equal(t, "公示服务承诺", later.Items[0].Text)
		assert.Equal(t, 2, later.Items[0].Weight)
		assert.Equal(t, 1, later.TemplateVersion)

		// Readers who do not edit see published and retired versions, never drafts.
		list, err := f.svc.ListTemplates(ctx, false, models.TemplateFilter{Code: "T-VER"})
		require.NoError(t, err)
		assert.EqualValues(t, 2, list.Total)
		v3, _, err := f.svc.EditTemplate(ctx, f.admin, models.ScopeAll, v2.ID, in)
		require.NoError(t, err)
		_, err = f.svc.GetTemplate(ctx, false, v3.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
		_, err = f.svc.GetTemplate(ctx, true, v3.ID)
		require.NoError(t, err)
	})
}

// Issue 4 point 5: a client-generated id makes a retried create harmless, even when the
// retries arrive at once; the same id with another body is refused.
func TestStartIsIdempotent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		before := f.audits()
		in := inspections.StartInput{ClientID: "device-7f3a", TemplateID: f.tpl.ID, OrgUnitID: f.outlet.ID, Lat: ptr(28.7), Lng: ptr(115.9)}
		const n = 10
		ids := make([]uint, n)
		createdCount := 0
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, created, err := f.svc.Start(ctx, f.insp, f.scope, in)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				defer mu.Unlock()
				ids[i] = v.ID
				if created {
					createdCount++
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, 1, createdCount)
		for _, id := range ids {
			assert.Equal(t, ids[0], id)
		}
		var count int64
		require.NoError(t, db.Model(&models.Inspection{}).Where("client_id = ?", in.ClientID).Count(&count).Error)
		assert.EqualValues(t, 1, count)
		assert.Equal(t, before+1, f.audits(), "one create, one audit row")

		in.OrgUnitID = f.county.ID
		_, _, err := f.svc.Start(ctx, f.insp, f.scope, in)
		dbtest.RequireConflict(t, err, "client_id", "idempotency_mismatch")

		// The snapshot holds the template's items; GPS is kept with the distance.
		v, err := f.svc.View(ctx, f.scope, ids[0])
		require.NoError(t, err)
		require.Len(t, v.Items, 4)
		assert.Equal(t, "R2.4", v.Items[1].RuleRef)
		assert.True(t, v.Items[1].Critical)
		require.NotNil(t, v.DistanceM)

		// Refusals name their fields: another city's outlet, a county, far GPS flagged.
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "x1", TemplateID: f.tpl.ID, OrgUnitID: f.far.ID})
		dbtest.RequireFieldError(t, err, "org_unit_id", "not_found")
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "x2", TemplateID: f.tpl.ID, OrgUnitID: f.county.ID})
		dbtest.RequireFieldError(t, err, "org_unit_id", "not_outlet")
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{TemplateID: f.tpl.ID, OrgUnitID: f.outlet.ID})
		dbtest.RequireFieldError(t, err, "client_id", "required")
		near := f.start(func(in *inspections.StartInput) { in.Lat, in.Lng = f.outlet.Lat, f.outlet.Lng })
		assert.False(t, near.FarFromOutlet)
		assert.Equal(t, 0, *near.DistanceM)
		far := f.start(func(in *inspections.StartInput) { in.Lat, in.Lng = ptr(*f.outlet.Lat+0.01), f.outlet.Lng })
		assert.True(t, far.FarFromOutlet, "about 1.1 km away")
		assert.InDelta(t, 1112, *far.DistanceM, 5)
	})
}

// An answer based on a stale revision is refused, never a silent overwrite; answers
// are checked against the item's response type; a submitted inspection is read-only.
func TestSaveItem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.start()
		before := f.audits()
		it := f.answer(ins.ID, "a1", models.OutcomeFail, nil, "未公示")
		assert.Equal(t, 1, it.Rev)
		assert.Equal(t, 0, *it.Points)
		assert.Equal(t, before+1, f.audits())

		stale := 0
		_, err := f.svc.SaveItem(ctx, f.insp, f.scope, ins.ID, "a1", inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: &stale})
		require.ErrorIs(t, err, models.ErrStale)
		cur, _ := models.GetInspectionItem(ctx, db, ins.ID, "a1")
		assert.Equal(t, models.OutcomeFail, cur.Outcome, "the newer answer stays")

		one := 1
		for _, c := range []struct {
			key   string
			in    inspections.SaveItemInput
			field string
			code  string
		}{
			{"a3", inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: ptr(0)}, "points", "required"},
			{"a3", inspections.SaveItemInput{Outcome: models.OutcomePass, Points: ptr(6), Rev: ptr(0)}, "points", "out_of_range"},
			{"a1", inspections.SaveItemInput{Outcome: models.OutcomePass, Points: ptr(1), Rev: &one}, "points", "must_be_empty"},
			{"a1", inspections.SaveItemInput{Outcome: "maybe", Rev: &one}, "outcome", "invalid_choice"},
			{"a1", inspections.SaveItemInput{Outcome: models.OutcomePass}, "rev", "required"},
		} {
			_, err := f.svc.SaveItem(ctx, f.insp, f.scope, ins.ID, c.key, c.in)
			dbtest.RequireFieldError(t, err, c.field, c.code)
		}
		_, err = f.svc.SaveItem(ctx, f.insp, f.scope, ins.ID, "zz", inspections.SaveItemInput{Rev: ptr(0)})
		require.ErrorIs(t, err, models.ErrNotFound)
		assert.Equal(t, before+1, f.audits(), "refusals write no audit row")

		// Another inspector of the same city may read it but not answer it.
		other := models.Actor{UserID: f.insp.UserID + 1000, Username: "other"}
		_, err = f.svc.SaveItem(ctx, other, f.scope, ins.ID, "a1", inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: &one})
		require.ErrorIs(t, err, models.ErrForbidden)
		// Out of scope looks like nonexistent.
		_, err = f.svc.View(ctx, models.Scope{Paths: []string{"/1/999/"}}, ins.ID)
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

// SaveItems saves each answer on its own: a stale or invalid one is refused by its key
// while the others are saved and audited; a submitted inspection refuses the whole.
func TestSaveItems(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.start()
		f.answer(ins.ID, "a2", models.OutcomePass, nil, "")
		before := f.audits()
		refused, err := f.svc.SaveItems(ctx, f.insp, f.scope, ins.ID, []inspections.ItemAnswer{
			{Key: "a1", SaveItemInput: inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: ptr(0)}},
			{Key: "a2", SaveItemInput: inspections.SaveItemInput{Outcome: models.OutcomeFail, Rev: ptr(0)}},
			{Key: "a3", SaveItemInput: inspections.SaveItemInput{Outcome: models.OutcomePass, Points: ptr(9), Rev: ptr(0)}},
			{Key: "a4", SaveItemInput: inspections.SaveItemInput{Outcome: models.OutcomeNA, Rev: ptr(0)}},
		})
		require.NoError(t, err)
		require.Len(t, refused, 2)
		assert.ErrorIs(t, refused["a2"], models.ErrStale)
		dbtest.RequireFieldError(t, refused["a3"], "points", "out_of_range")
		assert.Equal(t, before+2, f.audits(), "one audit row per saved answer")
		for key, want := range map[string]string{"a1": models.OutcomePass, "a2": models.OutcomePass, "a3": "", "a4": models.OutcomeNA} {
			it, err := models.GetInspectionItem(ctx, db, ins.ID, key)
			require.NoError(t, err)
			assert.Equal(t, want, it.Outcome, key)
		}

		f.answer(ins.ID, "a3", models.OutcomePass, ptr(5), "")
		_, err = f.submit(ins.ID)
		require.NoError(t, err)
		_, err = f.svc.SaveItems(ctx, f.insp, f.scope, ins.ID, []inspections.ItemAnswer{{Key: "a4", SaveItemInput: inspections.SaveItemInput{Rev: ptr(1)}}})
		require.ErrorIs(t, err, models.ErrConflict)
	})
}

// Submit refuses while a required item is unanswered or a failed evidence item lacks a
// note or a photo; then it stores the exact score and makes one finding and one open
// rectification per failed item, due 3 days (critical) or 7 days after today in China.
// Twenty parallel submits have one effect.
func TestSubmit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.start()
		f.answer(ins.ID, "a1", models.OutcomePass, nil, "")
		f.answer(ins.ID, "a2", models.OutcomeFail, nil, "")

		before := f.audits()
		_, err := f.submit(ins.ID)
		dbtest.RequireFieldError(t, err, "items[a3].outcome", "unanswered")
		dbtest.RequireFieldError(t, err, "items[a2].note", "evidence_note_required")
		dbtest.RequireFieldError(t, err, "items[a2].photos", "evidence_photo_required")
		_, err = f.svc.Submit(ctx, f.insp, f.scope, ins.ID, inspections.SubmitInput{})
		dbtest.RequireFieldError(t, err, "confirmation", "required")
		require.Equal(t, before, f.audits())

		f.answer(ins.ID, "a3", models.OutcomePass, ptr(3), "") // below its pass score 4: a finding
		f.answer(ins.ID, "a2", models.OutcomeFail, nil, "员工称“不归我管”")
		_, err = f.submit(ins.ID)
		dbtest.RequireFieldError(t, err, "items[a2].photos", "evidence_photo_required")
		f.photo(ins.ID, "a2")

		before = f.audits()
		const n = 20
		results := make([]*inspections.InspectionView, n)
		var wg sync.WaitGroup
		for i := 0; i < n; i++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				v, err := f.submit(ins.ID)
				if assert.NoError(t, err) {
					results[i] = v
				}
			}()
		}
		wg.Wait()
		assert.Equal(t, before+1, f.audits(), "one submit, one audit row")
		var findings, rects int64
		require.NoError(t, db.Model(&models.Finding{}).Where("inspection_id = ?", ins.ID).Count(&findings).Error)
		require.NoError(t, db.Model(&models.Rectification{}).Count(&rects).Error)
		assert.EqualValues(t, 2, findings)
		assert.EqualValues(t, 2, rects)

		// Earned 2·1 + 1·0 + 1·3 = 5 of 2 + 1 + 5 = 8: 62.50 %, and a failed critical item.
		v, err := f.svc.View(ctx, f.scope, ins.ID)
		require.NoError(t, err)
		for _, r := range results {
			if r != nil {
				assert.Equal(t, v.SubmittedAt.Unix(), r.SubmittedAt.Unix())
			}
		}
		assert.Equal(t, models.InspectionSubmitted, v.Status)
		assert.Equal(t, 5, v.Earned)
		assert.Equal(t, 8, v.Possible)
		require.NotNil(t, v.Score)
		assert.Equal(t, "62.50", v.Score.String(), "stored exactly, read back equal")
		assert.Equal(t, models.ResultFail, v.Result)
		assert.True(t, v.CriticalFailed)
		assert.Equal(t, "张督导", v.Confirmation)
		var raw string
		require.NoError(t, db.Raw("SELECT CAST(score AS CHAR) FROM inspections WHERE id = ?", ins.ID).Scan(&raw).Error)
		assert.Contains(t, []string{"62.5", "62.50"}, raw)

		require.Len(t, v.Findings, 2)
		due := map[string]string{}
		for _, fd := range v.Findings {
			r, err := models.RectificationOf(ctx, db, fd.ID)
			require.NoError(t, err)
			assert.Equal(t, models.RectOpen, r.Status)
			assert.Equal(t, f.county.ID, r.AssigneeUnitID, "the outlet's county branch answers")
			assert.Equal(t, f.outlet.ID, r.OrgUnitID)
			due[fd.ItemKey] = r.DueOn.String()
			var events int64
			require.NoError(t, db.Model(&models.RectificationEvent{}).Where("rectification_id = ?", r.ID).Count(&events).Error)
			assert.EqualValues(t, 1, events)
		}
		// 17:30 UTC on 2 March is 3 March in China: +3 days critical, +7 otherwise.
		assert.Equal(t, map[string]string{"a2": "2026-03-06", "a3": "2026-03-10"}, due)
		assert.Equal(t, "R2.4", v.Findings[0].RuleRef)
		assert.True(t, v.Findings[0].Critical)

		// Read-only now.
		_, err = f.svc.SaveItem(ctx, f.insp, f.scope, ins.ID, "a1", inspections.SaveItemInput{Outcome: models.OutcomeFail, Rev: ptr(1)})
		dbtest.RequireConflict(t, err, "id", "inspection_submitted")
		_, err = f.svc.AddPhoto(ctx, f.insp, f.scope, ins.ID, "a1", nil, nil)
		dbtest.RequireConflict(t, err, "id", "inspection_submitted")
	})
}

// A follow-up inspection that finds the item fixed verifies the rectification; one that
// finds it failing again sends a submitted rectification back to open.
func TestFollowUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		first := f.failedInspection()
		finding := first.Findings[1] // a3, not critical
		require.Equal(t, "a3", finding.ItemKey)

		// The branch answers: submitted.
		r, err := models.RectificationOf(ctx, db, finding.ID)
		require.NoError(t, err)
		require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
			return f.svc.Rects.RecordEvidence(tx, r, "已整改", models.SystemActor, t0)
		}))

		// Failing again: back to open, with the reason naming the follow-up.
		again := f.start(func(in *inspections.StartInput) { in.FollowUpOf = &finding.ID })
		f.passAll(again.ID)
		f.answer(again.ID, "a3", models.OutcomePass, ptr(2), "")
		_, err = f.submit(again.ID)
		require.NoError(t, err)
		r, _ = models.RectificationOf(ctx, db, finding.ID)
		assert.Equal(t, models.RectOpen, r.Status)
		require.NotNil(t, r.FollowUpInspectionID)
		assert.Equal(t, again.ID, *r.FollowUpInspectionID)
		var last models.RectificationEvent
		require.NoError(t, db.Where("rectification_id = ?", r.ID).Order("id DESC").Take(&last).Error)
		assert.Contains(t, last.Reason, "仍不合格")

		// Passing: verified.
		fixed := f.start(func(in *inspections.StartInput) { in.FollowUpOf = &finding.ID })
		f.passAll(fixed.ID)
		_, err = f.submit(fixed.ID)
		require.NoError(t, err)
		r, _ = models.RectificationOf(ctx, db, finding.ID)
		assert.Equal(t, models.RectVerified, r.Status)
		assert.Equal(t, fixed.ID, *r.FollowUpInspectionID)
		require.NotNil(t, r.VerifiedBy)
		assert.Equal(t, f.insp.UserID, *r.VerifiedBy)

		// A follow-up of another outlet's finding is refused.
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "fu-x", TemplateID: f.tpl.ID,
			OrgUnitID: f.outletOther(), FollowUpOf: &finding.ID})
		dbtest.RequireFieldError(t, err, "follow_up_of", "follow_up_other_outlet")
	})
}

// Reopen needs a reason, is audited, removes the open findings so the resubmit makes
// them again; it is refused once a rectification moved or a case rests on a finding.
func TestReopen(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.failedInspection()
		_, err := f.svc.Reopen(ctx, f.insp, f.scope, models.Scope{}, ins.ID, inspections.ReasonInput{})
		dbtest.RequireFieldError(t, err, "reason", "required")
		other := models.Actor{UserID: f.insp.UserID + 1000, Username: "other"}
		_, err = f.svc.Reopen(ctx, other, f.scope, models.Scope{}, ins.ID, inspections.ReasonInput{Reason: "x"})
		require.ErrorIs(t, err, models.ErrForbidden)
		// An admin elsewhere (a unit that is not above the outlet) is not an admin here.
		elsewhere := models.Scope{Paths: []string{"/999999/"}}
		_, err = f.svc.Reopen(ctx, other, f.scope, elsewhere, ins.ID, inspections.ReasonInput{Reason: "x"})
		require.ErrorIs(t, err, models.ErrForbidden, "an admin grant elsewhere does not reopen another's inspection")

		before := f.audits()
		v, err := f.svc.Reopen(ctx, f.insp, f.scope, models.Scope{}, ins.ID, inspections.ReasonInput{Reason: "第 3 项误判"})
		require.NoError(t, err)
		assert.Equal(t, before+1, f.audits(), "reopen: one audit row")
		var ev models.AuditEvent
		require.NoError(t, db.Order("id DESC").Take(&ev).Error)
		assert.Equal(t, "reopen", ev.Action)
		assert.Contains(t, ev.Summary, "第 3 项误判")
		assert.Equal(t, models.InspectionDraft, v.Status)
		assert.Nil(t, v.Score)
		assert.Empty(t, v.Findings)
		assert.Equal(t, 1, v.ReopenCount)
		var rects int64
		require.NoError(t, db.Model(&models.Rectification{}).Count(&rects).Error)
		assert.EqualValues(t, 0, rects)

		// Corrected and resubmitted: only the critical item fails now.
		f.answer(ins.ID, "a3", models.OutcomePass, ptr(5), "")
		v, err = f.submit(ins.ID)
		require.NoError(t, err)
		require.Len(t, v.Findings, 1)

		// A case rests on the finding: no reopen, no delete; void still works.
		c := models.AccountabilityCase{Number: "WZ-1", Title: "推诿", OrgUnitID: f.outlet.ID, Source: models.CaseFromFinding,
			Status: models.CaseOpen, OpenedBy: f.insp.UserID, OpenedAt: t0, StatementDueOn: models.DateOf(t0)}
		require.NoError(t, db.Create(&c).Error)
		require.NoError(t, db.Create(&models.CaseFinding{CaseID: c.ID, FindingID: v.Findings[0].ID}).Error)
		before = f.audits()
		_, err = f.svc.Reopen(ctx, f.insp, f.scope, models.ScopeAll, ins.ID, inspections.ReasonInput{Reason: "再改"})
		dbtest.RequireConflict(t, err, "id", "finding_in_case")
		err = f.svc.DeleteFinding(ctx, f.scope, v.Findings[0].ID)
		dbtest.RequireConflict(t, err, "id", "finding_in_case")
		assert.Equal(t, before, f.audits())

		// A moved rectification refuses the reopen too.
		second := f.failedInspection()
		r, _ := models.RectificationOf(ctx, db, second.Findings[1].ID)
		require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
			return f.svc.Rects.RecordEvidence(tx, r, "", models.SystemActor, t0)
		}))
		_, err = f.svc.Reopen(ctx, f.insp, f.scope, models.Scope{}, second.ID, inspections.ReasonInput{Reason: "x"})
		dbtest.RequireConflict(t, err, "id", "rectification_moved")
	})
}

// Voiding a finding cancels its open rectification (audited once); deleting is always
// refused with the reason.
func TestVoidAndDeleteFinding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		ins := f.failedInspection()
		fd := ins.Findings[0]
		err := f.svc.DeleteFinding(ctx, f.scope, fd.ID)
		dbtest.RequireConflict(t, err, "id", "finding_delete_use_void")
		_, err = f.svc.VoidFinding(ctx, f.insp, f.scope, fd.ID, inspections.ReasonInput{})
		dbtest.RequireFieldError(t, err, "reason", "required")

		before := f.audits()
		v, err := f.svc.VoidFinding(ctx, f.insp, f.scope, fd.ID, inspections.ReasonInput{Reason: "检查员认错了人"})
		require.NoError(t, err)
		require.NotNil(t, v.VoidedAt)
		assert.Equal(t, before+1, f.audits())
		r, _ := models.RectificationOf(ctx, db, fd.ID)
		assert.Equal(t, models.RectCancelled, r.Status)
		_, err = f.svc.VoidFinding(ctx, f.insp, f.scope, fd.ID, inspections.ReasonInput{Reason: "again"})
		dbtest.RequireConflict(t, err, "id", "finding_voided")
		assert.Equal(t, before+1, f.audits())

		voided := true
		list, err := models.ListFindings(ctx, db, f.scope, models.FindingFilter{Voided: &voided})
		require.NoError(t, err)
		assert.EqualValues(t, 1, list.Total)
		list, err = models.ListFindings(ctx, db, models.Scope{Paths: []string{f.far.Path}}, models.FindingFilter{})
		require.NoError(t, err)
		assert.EqualValues(t, 0, list.Total, "another city sees none")
		_, err = f.svc.VoidFinding(ctx, f.insp, models.Scope{Paths: []string{f.far.Path}}, fd.ID, inspections.ReasonInput{Reason: "x"})
		require.ErrorIs(t, err, models.ErrNotFound)
	})
}

// failedInspection is a submitted inspection with two findings: a2 (critical, with
// note and photo) and a3 (score 3 of 5).
func (f *fx) failedInspection() *inspections.InspectionView {
	f.t.Helper()
	ins := f.start()
	f.answer(ins.ID, "a1", models.OutcomePass, nil, "")
	f.answer(ins.ID, "a2", models.OutcomeFail, nil, "推诿")
	f.photo(ins.ID, "a2")
	f.answer(ins.ID, "a3", models.OutcomePass, ptr(3), "")
	v, err := f.submit(ins.ID)
	require.NoError(f.t, err)
	require.Len(f.t, v.Findings, 2)
	return v
}

// passAll answers every required item as passed.
func (f *fx) passAll(id uint) {
	f.answer(id, "a1", models.OutcomePass, nil, "")
	f.answer(id, "a2", models.OutcomePass, nil, "")
	f.answer(id, "a3", models.OutcomePass, ptr(5), "")
}

// outletOther is another outlet of the inspector's city.
func (f *fx) outletOther() uint {
	u, err := models.GetOrgUnitByCode(context.Background(), f.db, models.ScopeAll, "360102-02")
	require.NoError(f.t, err)
	return u.ID
}

// An inspection for a patrol stop must be of the stop's outlet by the plan's inspector;
// its submit marks the stop done, a reopen undoes that until the resubmit.
func TestPatrolStop(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		f := newFx(t, db)
		ctx := context.Background()
		plan := models.PatrolPlan{Title: "三月巡查", InspectorID: f.insp.UserID, OrgUnitID: f.county.ID, TemplateCode: f.tpl.Code,
			StartsOn: models.DateOf(t0), EndsOn: models.DateOf(t0.AddDate(0, 1, 0))}
		require.NoError(t, db.Omit("Inspector", "OrgUnit").Create(&plan).Error)
		stop := models.PatrolStop{PlanID: plan.ID, OrgUnitID: f.outlet.ID, DueOn: models.DateOf(t0.AddDate(0, 0, 10))}
		require.NoError(t, db.Omit("Plan", "OrgUnit").Create(&stop).Error)

		_, _, err := f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "ps-1", TemplateID: f.tpl.ID,
			OrgUnitID: f.outletOther(), PatrolStopID: &stop.ID})
		dbtest.RequireFieldError(t, err, "patrol_stop_id", "patrol_stop_other_outlet")
		other := models.Actor{UserID: f.insp.UserID + 1000, Username: "other"}
		_, _, err = f.svc.Start(ctx, other, f.scope, inspections.StartInput{ClientID: "ps-2", TemplateID: f.tpl.ID,
			OrgUnitID: f.outlet.ID, PatrolStopID: &stop.ID})
		dbtest.RequireFieldError(t, err, "patrol_stop_id", "not_found")

		ins := f.start(func(in *inspections.StartInput) { in.PatrolStopID = &stop.ID })
		f.passAll(ins.ID)
		_, err = f.submit(ins.ID)
		require.NoError(t, err)
		var got models.PatrolStop
		require.NoError(t, db.Take(&got, stop.ID).Error)
		require.NotNil(t, got.InspectionID)
		assert.Equal(t, ins.ID, *got.InspectionID)
		_, _, err = f.svc.Start(ctx, f.insp, f.scope, inspections.StartInput{ClientID: "ps-3", TemplateID: f.tpl.ID,
			OrgUnitID: f.outlet.ID, PatrolStopID: &stop.ID})
		dbtest.RequireFieldError(t, err, "patrol_stop_id", "patrol_stop_done")

		_, err = f.svc.Reopen(ctx, f.insp, f.scope, models.Scope{}, ins.ID, inspections.ReasonInput{Reason: "补拍照片"})
		require.NoError(t, err)
		require.NoError(t, db.Take(&got, stop.ID).Error)
		assert.Nil(t, got.InspectionID, "a reopened inspection covers no stop")
		_, err = f.submit(ins.ID)
		require.NoError(t, err)
		require.NoError(t, db.Take(&got, stop.ID).Error)
		require.NotNil(t, got.InspectionID)
	})
}
