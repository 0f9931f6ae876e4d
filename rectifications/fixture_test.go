package rectifications_test

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/png"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/models/dbtest"
	"quality/photos"
	"quality/policy"
	"quality/rectifications"
	"quality/rectifications/rectest"
	"quality/seeds"
	"quality/storage"
)

// fixture is a fresh database with the base org tree, a rectification service on a
// clock the test sets, and users made with the grants each case needs.
type fixture struct {
	t   *testing.T
	ctx context.Context
	db  *gorm.DB
	svc *rectifications.Service
	now time.Time
}

// day0 is the fixture clock's start: 2026-03-02 10:00 in Shanghai.
var day0 = time.Date(2026, 3, 2, 2, 0, 0, 0, time.UTC)

func newFixture(t *testing.T, db *gorm.DB) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	f := &fixture{t: t, ctx: ctx, db: db, now: day0}
	f.svc = &rectifications.Service{DB: db, Photos: photos.Store{Files: storage.NewLocal(t.TempDir())}, Policy: policy.NewService(db), Now: func() time.Time { return f.now }, Loc: dbtest.Shanghai}
	return f
}

// sweepAt sweeps as of now, on a service of its own (sweeps may run at once).
func (f *fixture) sweepAt(now time.Time) (rectifications.Swept, error) {
	svc := *f.svc
	svc.Now = func() time.Time { return now }
	return svc.Sweep(f.ctx)
}

func (f *fixture) unit(code string) *models.OrgUnit {
	f.t.Helper()
	u, err := models.GetOrgUnitByCode(f.ctx, f.db, models.ScopeAll, code)
	require.NoError(f.t, err, "unit %s", code)
	return u
}

// open makes a finding at the outlet with its rectification, found at the fixture's now
// and due on due (default: seven days later).
func (f *fixture) open(outlet string, due models.Date) *models.Rectification {
	f.t.Helper()
	return rectest.Open(f.t, f.db, outlet, rectest.Options{At: f.now, DueOn: due})
}

// grant is one role over the unit with a code.
type grant struct{ role, unit string }

// user makes a user holding grants, loaded as the session middleware loads it.
func (f *fixture) user(name string, grants ...grant) *models.User {
	f.t.Helper()
	u := &models.User{Username: name, DisplayName: name, PasswordHash: "!"}
	require.NoError(f.t, f.db.Omit("Employee", "Grants").Create(u).Error)
	for _, g := range grants {
		require.NoError(f.t, f.db.Omit("OrgUnit").Create(&models.Grant{UserID: u.ID, Role: g.role, OrgUnitID: f.unit(g.unit).ID}).Error)
	}
	require.NoError(f.t, models.LoadGrants(f.ctx, f.db, u))
	return u
}

// as is u calling a route that admits roles (its scope is those roles' subtrees).
func as(u *models.User, roles ...string) rectifications.Caller {
	return rectifications.Caller{Actor: models.Actor{UserID: u.ID, Username: u.Username, IP: "10.0.0.9", RequestID: "req-rect"},
		User: u, Scope: accounts.ScopeOf(u, roles...)}
}

// Route roles, as app/routes_rectifications.go admits them.
var (
	managerRoute  = []string{models.RoleManager}
	verifierRoute = []string{models.RoleAdmin, models.RoleInspector}
	readRoute     = []string{models.RoleAdmin, models.RoleInspector, models.RoleManager}
)

// reload reads r again from the database.
func (f *fixture) reload(r *models.Rectification) *models.Rectification {
	f.t.Helper()
	got, err := models.GetRectification(f.ctx, f.db, models.ScopeAll, r.ID)
	require.NoError(f.t, err)
	return got
}

func (f *fixture) auditCount() int64 {
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Count(&n).Error)
	return n
}

func (f *fixture) timelineLen(id uint) int {
	tl, err := models.RectificationTimeline(f.ctx, f.db, id)
	require.NoError(f.t, err)
	return len(tl)
}

// photo uploads one PNG as u (a manager of the branch).
func (f *fixture) photo(u *models.User, id uint) *models.Photo {
	f.t.Helper()
	p, err := f.svc.AddPhoto(f.ctx, as(u, managerRoute...), id, bytes.NewReader(pngBytes(f.t, 4, 3)))
	require.NoError(f.t, err)
	return p
}

// pngBytes is a small valid PNG.
func pngBytes(t testing.TB, w, h int) []byte {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	img.Set(1, 1, color.RGBA{200, 10, 10, 255})
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}

// date is a calendar day.
func date(y int, m time.Month, d int) models.Date { return models.Date{Year: y, Month: m, Day: d} }
