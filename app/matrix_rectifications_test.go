package app_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/app"
	"quality/models"
	"quality/policy"
	"quality/rectifications"
	"quality/rectifications/rectest"
	"quality/storage"
)

// Photos uploaded by the app's tests go to a temporary data folder, never into the
// source tree (QUALITY_DATA_DIR defaults to ./data, which is app/data under go test).
func init() {
	if os.Getenv("QUALITY_DATA_DIR") == "" {
		dir, err := os.MkdirTemp("", "quality-app-test-")
		if err != nil {
			panic(err)
		}
		os.Setenv("QUALITY_DATA_DIR", dir)
	}
}

// Who may do what with rectifications (routes_rectifications.go).
var (
	rectReaders = []string{admin, inspector, manager}
	rectJudges  = []string{admin, inspector}
)

// rectSubmitter is the fixture manager of 东湖区 who submits the evidence the judges
// verify; the demo inspector and the admin are independent of it.
const rectSubmitter = "rect-mgr-360102"

// rectificationMatrixRows are the rows of rectifications and escalations: admins,
// inspectors and managers read those whose outlet is in their subtree (the inspector of
// 南昌 and the manager of 东湖区 never see 濂溪区's: 404); only a manager of the branch
// gives evidence; admins and inspectors judge it; trainers and employees are refused.
func rectificationMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/rectifications", name: "cut to the scope", want: only(ok, rectReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{})
				e.openRect("360402-01", models.Date{})
				return "/api/v1/rectifications?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[rectifications.View]
				res.JSON(t, &list)
				seen := map[string]bool{}
				for _, r := range list.Items {
					assert.True(t, inScope(e, as, e.units[r.Outlet.Code].Path), "%s sees the rectification of %s", as, r.Outlet.Code)
					seen[r.Outlet.Code] = true
				}
				assert.True(t, seen["360102-01"], "%s sees no rectification of 东湖区", as)
				assert.Equal(t, as == admin, seen["360402-01"], "%s and 濂溪区", as)
			}},
		{method: get, route: "/api/v1/rectifications", name: "status=bogus", want: only(http400, rectReaders...),
			prep: static("/api/v1/rectifications?status=bogus")},
		{method: get, route: "/api/v1/rectifications", name: "sql in a filter", want: only(http400, rectReaders...),
			prep: static("/api/v1/rectifications?unit_id=1%20OR%201=1&from=2026-01-01'--")},
		{method: get, route: "/api/v1/rectifications", name: "unit_id=360402", want: only(ok, rectReaders...).but(notFound, inspector, manager),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/rectifications?unit_id=" + idStr(e.unit("360402")), nil
			}},
		{method: get, route: "/api/v1/rectifications.xlsx", name: "overdue", want: only(ok, rectReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{Year: 2025, Month: 1, Day: 1})
				e.openRect("360402-01", models.Date{Year: 2025, Month: 1, Day: 1})
				return "/api/v1/rectifications.xlsx?overdue=1", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				x, err := excelize.OpenReader(strings.NewReader(res.Body))
				require.NoError(t, err)
				defer x.Close()
				rows, err := x.GetRows(rectifications.Sheet)
				require.NoError(t, err)
				require.Greater(t, len(rows), 1, "%s: an empty overdue list", as)
				for _, r := range rows[1:] {
					assert.True(t, inScope(e, as, e.units[r[1]].Path), "%s exports the rectification of %s", as, r[1])
					assert.Equal(t, "待整改", r[7])
				}
			}},
		{method: get, route: "/api/v1/rectifications/:id", name: "in 360102-01", want: only(ok, rectReaders...),
			prep: rectURL("/api/v1/rectifications/:id", "360102-01", nil),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var d rectifications.Detail
				res.JSON(t, &d)
				assert.Equal(t, models.RectOpen, d.Status)
				require.NotNil(t, d.Finding)
				require.Len(t, d.Timeline, 1)
			}},
		{method: get, route: "/api/v1/rectifications/:id", name: "in 360402-01", want: only(ok, rectReaders...).but(notFound, inspector, manager),
			prep: rectURL("/api/v1/rectifications/:id", "360402-01", nil)},
		{method: get, route: "/api/v1/rectifications/:id", name: "nonexistent", want: only(notFound, rectReaders...),
			prep: static("/api/v1/rectifications/999999")},

		{method: post, route: "/api/v1/rectifications/:id/photos", name: "in 360102-01", want: only(created, manager),
			prep: func(e *env, as string) (string, any) {
				target, _ := rectURL("/api/v1/rectifications/:id/photos", "360102-01", nil)(e, as)
				return target, uploadBody{"file", "evidence.png", pngPhoto(e.t)}
			}},
		{method: post, route: "/api/v1/rectifications/:id/photos", name: "in 360402-01", want: only(notFound, manager),
			prep: func(e *env, as string) (string, any) {
				target, _ := rectURL("/api/v1/rectifications/:id/photos", "360402-01", nil)(e, as)
				return target, uploadBody{"file", "evidence.png", pngPhoto(e.t)}
			}},
		{method: post, route: "/api/v1/rectifications/:id/photos", name: "not a photo", want: only(invalid, manager),
			prep: func(e *env, as string) (string, any) {
				target, _ := rectURL("/api/v1/rectifications/:id/photos", "360102-01", nil)(e, as)
				return target, uploadBody{"file", "evidence.png", []byte("<html>not a photo</html>")}
			}},
		{method: get, route: "/api/v1/rectifications/:id/photos/:photo", name: "in 360102-01", want: only(ok, rectReaders...),
			prep: rectPhotoURL("360102-01"),
			check: func(t *testing.T, _ *env, _ string, res response) {
				assert.Equal(t, "image/png", res.Header.Get("Content-Type"))
				assert.True(t, strings.HasPrefix(res.Header.Get("Content-Disposition"), "attachment;"), res.Header.Get("Content-Disposition"))
				assert.Equal(t, "nosniff", res.Header.Get("X-Content-Type-Options"))
				assert.Equal(t, string(pngPhoto(t)), res.Body)
			}},
		{method: get, route: "/api/v1/rectifications/:id/photos/:photo", name: "in 360402-01", want: only(ok, rectReaders...).but(notFound, inspector, manager),
			prep: rectPhotoURL("360402-01")},

		{method: post, route: "/api/v1/rectifications/:id/submit", name: "in 360102-01 with a photo", want: only(ok, manager),
			prep: func(e *env, as string) (string, any) {
				r := e.openRect("360102-01", models.Date{})
				e.rectPhoto(r.ID)
				return withID("/api/v1/rectifications/:id/submit", r.ID), map[string]any{"revision": 1, "text": "已补贴监督电话"}
			},
			check: func(t *testing.T, _ *env, _ string, res response) {
				var d rectifications.Detail
				res.JSON(t, &d)
				assert.Equal(t, models.RectSubmitted, d.Status)
				assert.Equal(t, 2, d.Revision)
			}},
		{method: post, route: "/api/v1/rectifications/:id/submit", name: "without a photo", want: only(invalid, manager),
			prep: rectURL("/api/v1/rectifications/:id/submit", "360102-01", map[string]any{"revision": 1, "text": "已整改"})},
		{method: post, route: "/api/v1/rectifications/:id/submit", name: "in 360402-01", want: only(notFound, manager),
			prep: rectURL("/api/v1/rectifications/:id/submit", "360402-01", map[string]any{"revision": 1, "text": "已整改"})},

		{method: post, route: "/api/v1/rectifications/:id/verify", name: "submitted in 360102-01", want: only(ok, rectJudges...),
			prep: submittedRectURL("/api/v1/rectifications/:id/verify", "360102-01", map[string]any{"revision": 2, "note": "复查合格"}),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var d rectifications.Detail
				res.JSON(t, &d)
				assert.Equal(t, models.RectVerified, d.Status)
			}},
		{method: post, route: "/api/v1/rectifications/:id/verify", name: "submitted in 360402-01", want: only(ok, rectJudges...).but(notFound, inspector),
			prep: submittedRectURL("/api/v1/rectifications/:id/verify", "360402-01", map[string]any{"revision": 2})},
		{method: post, route: "/api/v1/rectifications/:id/verify", name: "still open", want: only(conflict, rectJudges...),
			prep: rectURL("/api/v1/rectifications/:id/verify", "360102-01", map[string]any{"revision": 1})},
		{method: post, route: "/api/v1/rectifications/:id/verify", name: "stale revision", want: only(conflict, rectJudges...),
			prep: submittedRectURL("/api/v1/rectifications/:id/verify", "360102-01", map[string]any{"revision": 1})},
		{method: post, route: "/api/v1/rectifications/:id/reject", name: "submitted in 360102-01", want: only(ok, rectJudges...),
			prep: submittedRectURL("/api/v1/rectifications/:id/reject", "360102-01", map[string]any{"revision": 2, "reason": "照片看不清"})},
		{method: post, route: "/api/v1/rectifications/:id/reject", name: "no reason", want: only(invalid, rectJudges...),
			prep: submittedRectURL("/api/v1/rectifications/:id/reject", "360102-01", map[string]any{"revision": 2})},
		{method: post, route: "/api/v1/rectifications/:id/waive", name: "open in 360102-01", want: only(ok, rectJudges...),
			prep: rectURL("/api/v1/rectifications/:id/waive", "360102-01", map[string]any{"revision": 1, "reason": "网点已撤销"})},
		{method: post, route: "/api/v1/rectifications/:id/waive", name: "open in 360402-01", want: only(ok, rectJudges...).but(notFound, inspector),
			prep: rectURL("/api/v1/rectifications/:id/waive", "360402-01", map[string]any{"revision": 1, "reason": "网点已撤销"})},

		{method: get, route: "/api/v1/escalations", name: "cut to the notified unit", want: only(ok, rectReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{Year: 2025, Month: 1, Day: 1})
				e.openRect("360402-01", models.Date{Year: 2025, Month: 1, Day: 1})
				today := e.rectSvc().Today()
				e.openRect("360102-02", today) // due today: the reminder
				_, err := e.rectSvc().Sweep(context.Background())
				require.NoError(e.t, err)
				return "/api/v1/escalations?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[rectifications.EscalationView]
				res.JSON(t, &list)
				levels := map[string]bool{}
				for _, es := range list.Items {
					assert.True(t, inScope(e, as, e.units[es.NotifiedUnit.Code].Path), "%s sees an escalation to %s", as, es.NotifiedUnit.Code)
					levels[es.Level] = true
				}
				assert.True(t, levels[models.EscalateReminder], "%s sees no reminder", as)
				assert.Equal(t, as != manager, levels[models.EscalateCity], "%s and the city level", as)
				assert.Equal(t, as == admin, levels[models.EscalateProvince], "%s and the province level", as)
			}},
		{method: get, route: "/api/v1/escalations", name: "level=bogus", want: only(http400, rectReaders...),
			prep: static("/api/v1/escalations?level=bogus")},
		{method: get, route: "/api/v1/escalations", name: "from tomorrow: none", want: only(ok, rectReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.openRect("360102-01", models.Date{Year: 2025, Month: 1, Day: 1})
				_, err := e.rectSvc().Sweep(context.Background())
				require.NoError(e.t, err)
				tomorrow := models.DateOf(e.rectSvc().Today().Time().AddDate(0, 0, 1))
				return "/api/v1/escalations?from=" + tomorrow.String(), nil
			},
			check: func(t *testing.T, _ *env, as string, res response) {
				var list models.List[rectifications.EscalationView]
				res.JSON(t, &list)
				assert.Zero(t, list.Total, "%s sees an escalation sent tomorrow", as)
			}},
		{method: get, route: "/api/v1/escalations", name: "to=bogus", want: only(http400, rectReaders...),
			prep: static("/api/v1/escalations?to=2026-13-01")},
	}
}

const http400 = 400

// openRect makes a finding at the outlet with its open rectification (due on due, or
// in a week).
func (e *env) openRect(outlet string, due models.Date) *models.Rectification {
	e.t.Helper()
	return rectest.Open(e.t, e.db, outlet, rectest.Options{DueOn: due})
}

// rectCaller is a user acting through the service, as a route admitting roles would.
func (e *env) rectCaller(username string, roles ...string) rectifications.Caller {
	e.t.Helper()
	u, err := models.GetUserByUsername(context.Background(), e.db, username)
	require.NoError(e.t, err)
	var s models.Scope
	for _, g := range u.Grants {
		s.Paths = append(s.Paths, g.UnitPath)
	}
	return rectifications.Caller{Actor: models.Actor{UserID: u.ID, Username: u.Username}, User: u, Scope: s}
}

// rectSvc is the service on the test app's database and photo folder.
func (e *env) rectSvc() *rectifications.Service {
	e.t.Helper()
	cfg, err := app.ConfigFromEnv()
	require.NoError(e.t, err)
	return rectifications.New(e.db, storage.NewLocal(cfg.DataDir), policy.NewService(e.db), cfg.Location)
}

// rectPhoto uploads an evidence photo to rectification id as the fixture manager.
func (e *env) rectPhoto(id uint) *models.Photo {
	e.t.Helper()
	fixtureUser(e, rectSubmitter, models.RoleManager, "360102")
	p, err := e.rectSvc().AddPhoto(context.Background(), e.rectCaller(rectSubmitter), id, bytes.NewReader(pngPhoto(e.t)))
	require.NoError(e.t, err)
	return p
}

// submittedRect is a rectification at outlet with a photo and evidence submitted by a
// manager of its branch (revision 2).
func (e *env) submittedRect(outlet string) *models.Rectification {
	e.t.Helper()
	r := e.openRect(outlet, models.Date{})
	branch := outlet[:6]
	name := "rect-mgr-" + branch
	fixtureUser(e, name, models.RoleManager, branch)
	svc, who := e.rectSvc(), e.rectCaller(name)
	_, err := svc.AddPhoto(context.Background(), who, r.ID, bytes.NewReader(pngPhoto(e.t)))
	require.NoError(e.t, err)
	_, err = svc.Submit(context.Background(), who, r.ID, rectifications.EvidenceInput{Revision: 1, Text: "已整改"})
	require.NoError(e.t, err)
	return r
}

// rectURL targets route at a new open rectification at outlet.
func rectURL(route, outlet string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) { return withID(route, e.openRect(outlet, models.Date{}).ID), body }
}

// submittedRectURL targets route at a new submitted rectification at outlet.
func submittedRectURL(route, outlet string, body any) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) { return withID(route, e.submittedRect(outlet).ID), body }
}

// rectPhotoURL targets the photo download at a new rectification at outlet with a photo.
func rectPhotoURL(outlet string) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		r := e.openRect(outlet, models.Date{})
		name := "rect-mgr-" + outlet[:6]
		fixtureUser(e, name, models.RoleManager, outlet[:6])
		p, err := e.rectSvc().AddPhoto(context.Background(), e.rectCaller(name), r.ID, bytes.NewReader(pngPhoto(e.t)))
		require.NoError(e.t, err)
		return strings.Replace(withID("/api/v1/rectifications/:id/photos/:photo", r.ID), ":photo", idStr(p.ID), 1), nil
	}
}

// pngPhoto is a small valid PNG, the same bytes every time.
func pngPhoto(t testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 3, 2))
	var buf bytes.Buffer
	require.NoError(t, png.Encode(&buf, img))
	return buf.Bytes()
}
