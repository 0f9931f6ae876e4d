package accounts_test

import (
	"context"
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accounts"
	"quality/models"
	"quality/seeds"
)

// password is the password of every fixture user.
const password = "correct-horse-42"

// actor is the admin making changes in these tests.
var actor = models.Actor{Username: "tester", IP: "10.0.0.1"}

// fixtureHash is password hashed once: argon2id costs ~50 ms, and fixture users need
// no fresh salt each.
var fixtureHash = sync.OnceValue(func() string {
	h, err := accounts.HashPassword(context.Background(), password)
	if err != nil {
		panic(err)
	}
	return h
})

// fakeClock is the Service clock under the test's control.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// fixture is a fresh database with the base org tree and a service on a fake clock.
type fixture struct {
	t     *testing.T
	ctx   context.Context
	db    *gorm.DB
	clock *fakeClock
	svc   *accounts.Service
	units map[string]models.OrgUnit
}

func newFixture(t *testing.T, db *gorm.DB, cfg accounts.Config) *fixture {
	t.Helper()
	ctx := context.Background()
	_, err := seeds.LoadBase(ctx, db)
	require.NoError(t, err)
	units, err := models.OrgUnitsByCode(ctx, db, models.ScopeAll)
	require.NoError(t, err)
	clock := &fakeClock{now: time.Date(2026, 11, 2, 8, 0, 0, 0, time.UTC)}
	svc := accounts.NewService(db, cfg)
	svc.Clock = clock.Now
	return &fixture{t: t, ctx: ctx, db: db, clock: clock, svc: svc, units: units}
}

// with returns the fixture bound to a subtest's t.
func (f *fixture) with(t *testing.T) *fixture {
	c := *f
	c.t = t
	return &c
}

func (f *fixture) unitID(code string) uint {
	u, ok := f.units[code]
	require.True(f.t, ok, "no unit %s", code)
	return u.ID
}

// scope is the scope of an admin holding the subtrees of the units with codes.
func (f *fixture) scope(codes ...string) models.Scope {
	var s models.Scope
	for _, c := range codes {
		s.Paths = append(s.Paths, f.units[c].Path)
	}
	return s
}

// grant is a role over the unit with code.
type grant struct{ role, code string }

// user stores a user with password and the given grants, without CreateUser's hashing.
func (f *fixture) user(username string, grants ...grant) *models.User {
	f.t.Helper()
	u := &models.User{Username: username, DisplayName: username, PasswordHash: fixtureHash(), PasswordChangedAt: time.Now().UTC()}
	require.NoError(f.t, f.db.Omit("Employee", "Grants").Create(u).Error)
	gs := make([]models.Grant, len(grants))
	for i, g := range grants {
		gs[i] = models.Grant{Role: g.role, OrgUnitID: f.unitID(g.code)}
	}
	require.NoError(f.t, models.ReplaceGrants(f.db, u.ID, gs))
	got, err := models.GetUser(f.ctx, f.db, models.ScopeAll, u.ID)
	require.NoError(f.t, err)
	return got
}

// employee stores an employee in the unit with code.
func (f *fixture) employee(job, code string) *models.Employee {
	f.t.Helper()
	e := &models.Employee{JobNumber: job, Name: "员工" + job, OrgUnitID: f.unitID(code), Position: models.PositionWindow,
		HireDate: models.Date{Year: 2020, Month: 1, Day: 2}, Status: models.StatusActive}
	require.NoError(f.t, f.db.Omit("OrgUnit").Create(e).Error)
	return e
}

// sessions counts the sessions of a user.
func (f *fixture) sessions(userID uint) int64 {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(&models.Session{}).Where("user_id = ?", userID).Count(&n).Error)
	return n
}

// auditMark is the id of the newest audit event.
func (f *fixture) auditMark() uint64 {
	f.t.Helper()
	var id uint64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Select("COALESCE(MAX(id), 0)").Scan(&id).Error)
	return id
}

// requireOneAudit checks that exactly one audit event was written since mark.
func (f *fixture) requireOneAudit(mark uint64, action, entity string, id uint) models.AuditEvent {
	f.t.Helper()
	var events []models.AuditEvent
	require.NoError(f.t, f.db.Where("id > ?", mark).Order("id").Find(&events).Error)
	require.Len(f.t, events, 1, "audit events since %d", mark)
	require.Equal(f.t, action, events[0].Action)
	require.Equal(f.t, entity, events[0].Entity)
	require.Equal(f.t, strconv.FormatUint(uint64(id), 10), events[0].EntityID)
	return events[0]
}

// requireNoAudit checks that nothing was audited since mark.
func (f *fixture) requireNoAudit(mark uint64) {
	f.t.Helper()
	var n int64
	require.NoError(f.t, f.db.Model(&models.AuditEvent{}).Where("id > ?", mark).Count(&n).Error)
	require.Zero(f.t, n, "a refused change leaves no audit event")
}

// requireThrottled checks that err is a *ThrottledError and returns its wait.
func requireThrottled(t *testing.T, err error) time.Duration {
	t.Helper()
	var te *accounts.ThrottledError
	require.True(t, errors.As(err, &te), "want a throttled error, got %v", err)
	require.Positive(t, te.RetryAfter)
	return te.RetryAfter
}
