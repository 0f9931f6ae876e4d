package inspections_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
	"quality/seeds"
	"quality/storage"
)

// t0 is the fake now: 17:30 UTC is already the next day in China, so due dates must
// count from 2026-03-03 (the local date), not from 2026-03-02.
var t0 = time.Date(2026, 3, 2, 17, 30, 0, 0, time.UTC)

// fx is a database with the base data, the demo users and a test template.
type fx struct {
	t      *testing.T
	db     *gorm.DB
	svc    *inspections.Service
	insp   models.Actor // the demo inspector (南昌市 3601)
	scope  models.Scope // the inspector's scope
	admin  models.Actor
	outlet models.OrgUnit // 东湖区八一大道营业厅 (360102-01)
	county models.OrgUnit // 东湖区 (360102)
	far    models.OrgUnit // 濂溪区's outlet in 九江 (out of the inspector's scope)
	tpl    *models.ChecklistTemplate
}

func newFx(t *testing.T, db *gorm.DB) *fx {
	t.Helper()
	ctx := context.Background()
	require.NoError(t, seeds.Run(ctx, db, seeds.BaseSteps(t0), nil))
	_, err := seeds.LoadDemoIn(ctx, db, "demo-pass-123", "360102")
	require.NoError(t, err)
	units, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	require.NoError(t, err)
	u, err := models.GetUserByUsername(ctx, db, "inspector")
	require.NoError(t, err)
	f := &fx{t: t, db: db, outlet: units["360102-01"], county: units["360102"], far: units["360402-01"],
		insp:  models.Actor{UserID: u.ID, Username: u.Username, RequestID: "test"},
		scope: models.Scope{Paths: []string{units["3601"].Path}}, admin: models.Actor{Username: "admin", RequestID: "test"}}
	files := storage.NewLocal(t.TempDir())
	pol := policy.NewService(db)
	f.svc = inspections.NewService(db, files, rectifications.New(db, files, pol, dbtest.Shanghai), pol, dbtest.Shanghai)
	f.svc.Now = func() time.Time { return t0 }
	f.tpl = f.publish(testTemplate("T-TEST"))
	return f
}

// testTemplate has a required pass/fail item (a1, weight 2), a critical one needing
// evidence (a2), a score item passing at 4 of 5 (a3) and an optional one (a4).
func testTemplate(code string) inspections.TemplateInput {
	return inspections.TemplateInput{Code: code, Title: "测试检查表", Sections: []inspections.SectionInput{{Title: "一、公示", Items: []inspections.ItemInput{
		{Key: "a1", Text: "公示服务承诺", RuleRef: "R1.1", Response: models.ResponsePassFail, Weight: 2, Required: true},
		{Key: "a2", Text: "无推诿", RuleRef: "R2.4", Response: models.ResponsePassFail, Weight: 1, Critical: true, EvidenceOnFail: true, Required: true},
		{Key: "a3", Text: "态度", RuleRef: "R9.1", Response: models.ResponseScore, MaxScore: 5, PassScore: 4, Weight: 1, Required: true},
		{Key: "a4", Text: "环境", Response: models.ResponsePassFail, Weight: 1, EvidenceOnFail: true},
	}}}}
}

func (f *fx) publish(in inspections.TemplateInput) *models.ChecklistTemplate {
	f.t.Helper()
	ctx := context.Background()
	t, err := f.svc.CreateTemplate(ctx, f.admin, models.ScopeAll, in)
	require.NoError(f.t, err)
	t, err = f.svc.PublishTemplate(ctx, f.admin, models.ScopeAll, t.ID)
	require.NoError(f.t, err)
	return t
}

var clientSeq atomic.Int64

// start starts an inspection of the outlet with the test template.
func (f *fx) start(mod ...func(*inspections.StartInput)) *inspections.InspectionView {
	f.t.Helper()
	in := inspections.StartInput{ClientID: fmt.Sprintf("c-%d", clientSeq.Add(1)), TemplateID: f.tpl.ID, OrgUnitID: f.outlet.ID}
	for _, m := range mod {
		m(&in)
	}
	v, created, err := f.svc.Start(context.Background(), f.insp, f.scope, in)
	require.NoError(f.t, err)
	require.True(f.t, created)
	return v
}

// answer saves one answer at the item's current revision.
func (f *fx) answer(id uint, key, outcome string, points *int, note string) *models.InspectionItem {
	f.t.Helper()
	it, err := models.GetInspectionItem(context.Background(), f.db, id, key)
	require.NoError(f.t, err)
	rev := it.Rev
	it, err = f.svc.SaveItem(context.Background(), f.insp, f.scope, id, key, inspections.SaveItemInput{Outcome: outcome, Points: points, Note: note, Rev: &rev})
	require.NoError(f.t, err)
	return it
}

func (f *fx) photo(id uint, key string) *models.Photo {
	f.t.Helper()
	p, err := f.svc.AddPhoto(context.Background(), f.insp, f.scope, id, key, bytes.NewReader(smallPNG(f.t)), nil)
	require.NoError(f.t, err)
	return p
}

func (f *fx) submit(id uint) (*inspections.InspectionView, error) {
	return f.svc.Submit(context.Background(), f.insp, f.scope, id, inspections.SubmitInput{Confirmation: "张督导"})
}

func (f *fx) audits() int64 {
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}

func ptr[T any](v T) *T { return &v }

func smallPNG(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	img.Set(1, 1, color.RGBA{10, 200, 10, 255})
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	return b.Bytes()
}
