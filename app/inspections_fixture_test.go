package app_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"quality/inspections"
	"quality/models"
	"quality/policy"
	"quality/rectifications"
	"quality/seeds"
	"quality/storage"
)

// Photos of every app test go to a temporary folder, never into the source tree (the
// default QUALITY_DATA_DIR is ./data, relative to the package under test).
func init() {
	if os.Getenv("QUALITY_DATA_DIR") == "" {
		dir, err := os.MkdirTemp("", "quality-app-test-")
		if err != nil {
			panic(err)
		}
		os.Setenv("QUALITY_DATA_DIR", dir)
	}
}

// matrixTemplateCode is a small published checklist the inspection rows use: m1
// (required) and m2 (optional), both pass/fail.
const matrixTemplateCode = "MATRIX"

// inspectionService is the service the app uses, on the test's database and folder.
func (e *env) inspectionService() *inspections.Service {
	files := storage.NewLocal(os.Getenv("QUALITY_DATA_DIR"))
	pol := policy.NewService(e.db)
	return inspections.NewService(e.db, files, rectifications.New(e.db, files, pol, shanghaiZone(e.t)), pol, shanghaiZone(e.t))
}

// actor is the audit actor of the fixture user username.
func (e *env) actor(username string) models.Actor {
	e.t.Helper()
	u, err := models.GetUserByUsername(context.Background(), e.db, username)
	require.NoError(e.t, err)
	return models.Actor{UserID: u.ID, Username: u.Username, RequestID: "fixture"}
}

// templates keeps checklist templates on the test's database, as the app's inspection
// service does; templates need only its database, the policy (the pass mark) and the
// clock.
func (e *env) templates() *inspections.Service {
	return &inspections.Service{DB: e.db, Policy: policy.NewService(e.db), Now: time.Now}
}

// matrixTemplate returns the published MATRIX checklist, made on first use.
func (e *env) matrixTemplate() *models.ChecklistTemplate {
	e.t.Helper()
	ctx := context.Background()
	list, err := models.ListTemplates(ctx, e.db, models.TemplateFilter{Code: matrixTemplateCode, Status: models.TemplatePublished})
	require.NoError(e.t, err)
	if len(list.Items) > 0 {
		return &list.Items[0]
	}
	t, err := e.templates().CreateTemplate(ctx, models.SystemActor, models.ScopeAll, inspections.TemplateInput{Code: matrixTemplateCode,
		Title: "矩阵检查表", Sections: []inspections.SectionInput{{Title: "一", Items: []inspections.ItemInput{
			{Key: "m1", Text: "公示服务承诺", RuleRef: "R1.1", Response: models.ResponsePassFail, Weight: 1, Required: true},
			{Key: "m2", Text: "厅堂整洁", Response: models.ResponsePassFail, Weight: 1},
		}}}})
	require.NoError(e.t, err)
	t, err = e.templates().PublishTemplate(ctx, models.SystemActor, models.ScopeAll, t.ID)
	require.NoError(e.t, err)
	return t
}

// freshDraftTemplate is a new draft checklist (published when publish is set).
func (e *env) freshDraftTemplate(publish bool) *models.ChecklistTemplate {
	e.t.Helper()
	ctx := context.Background()
	t, err := e.templates().CreateTemplate(ctx, models.SystemActor, models.ScopeAll, templateBody(fmt.Sprintf("MXD%d", uniq())))
	require.NoError(e.t, err)
	if publish {
		t, err = e.templates().PublishTemplate(ctx, models.SystemActor, models.ScopeAll, t.ID)
		require.NoError(e.t, err)
	}
	return t
}

// templateBody is a valid checklist with code.
func templateBody(code string) inspections.TemplateInput {
	return inspections.TemplateInput{Code: code, Title: "临时检查表", Sections: []inspections.SectionInput{{Title: "一、公示", Items: []inspections.ItemInput{
		{Key: "1.1", Text: "公示服务承诺", RuleRef: "R1.1", Response: models.ResponsePassFail, Weight: 5, Required: true, EvidenceOnFail: true},
		{Key: "1.2", Text: "服务态度", RuleRef: "R9.1", Response: models.ResponseScore, MaxScore: 5, PassScore: 4, Weight: 2, Required: true},
	}}}}
}

// inspectionState is how far a fixture inspection goes.
type inspectionState int

const (
	draftInspection    inspectionState = iota // started, nothing answered
	answeredInspection                        // m1 answered (failed when failing), ready to submit
	submittedInspection
)

// freshInspection makes an inspection of the outlet unitCode by the fixture user owner
// with the MATRIX checklist; failing answers m1 fail, which makes a finding at submit.
func (e *env) freshInspection(owner, unitCode string, state inspectionState, failing bool) *inspections.InspectionView {
	e.t.Helper()
	ctx := context.Background()
	svc, who := e.inspectionService(), e.actor(owner)
	v, _, err := svc.Start(ctx, who, models.ScopeAll, inspections.StartInput{ClientID: fmt.Sprintf("fixture-%d", uniq()),
		TemplateID: e.matrixTemplate().ID, OrgUnitID: e.unit(unitCode)})
	require.NoError(e.t, err)
	if state == draftInspection {
		return v
	}
	outcome := models.OutcomePass
	if failing {
		outcome = models.OutcomeFail
	}
	_, err = svc.SaveItem(ctx, who, models.ScopeAll, v.ID, "m1", inspections.SaveItemInput{Outcome: outcome, Note: "=HYPERLINK(\"x\")", Rev: new(int)})
	require.NoError(e.t, err)
	if state == answeredInspection {
		return v
	}
	v, err = svc.Submit(ctx, who, models.ScopeAll, v.ID, inspections.SubmitInput{Confirmation: who.Username})
	require.NoError(e.t, err)
	return v
}

// freshFinding is the finding of a new failed inspection of unitCode.
func (e *env) freshFinding(unitCode string) models.Finding {
	e.t.Helper()
	v := e.freshInspection(inspectorOf(unitCode), unitCode, submittedInspection, true)
	require.Len(e.t, v.Findings, 1)
	return v.Findings[0]
}

// inspectorOf is who inspects unitCode in the fixtures: the demo inspector in 南昌, the
// admin elsewhere.
func inspectorOf(unitCode string) string {
	if len(unitCode) >= 4 && unitCode[:4] == "3601" {
		return "inspector"
	}
	return seeds.AdminUsername
}

// freshPhoto is a photo of item m1 of a new draft inspection of unitCode.
func (e *env) freshPhoto(unitCode string) *models.Photo {
	e.t.Helper()
	owner := inspectorOf(unitCode)
	v := e.freshInspection(owner, unitCode, draftInspection, false)
	p, err := e.inspectionService().AddPhoto(context.Background(), e.actor(owner), models.ScopeAll, v.ID, "m1", bytes.NewReader(testPNG(e.t)), nil)
	require.NoError(e.t, err)
	return p
}

// ownerFor is who owns the inspection a write row targets for caller as: their own
// when they may write inspections, else the demo inspector's (which they cannot touch).
func ownerFor(as string) string {
	if as == admin {
		return seeds.AdminUsername
	}
	return "inspector"
}

// testPNG is a small valid PNG.
func testPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 4, 3))
	img.Set(2, 1, color.RGBA{200, 30, 30, 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}
