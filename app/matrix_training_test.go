package app_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"

	"quality/models"
	"quality/seeds"
	"quality/training"
)

// handbookEditors write and publish the handbook.
var handbookEditors = []string{admin, trainer}

// trainingMatrixRows are the rows of the employee handbook: everyone signed in reads it
// and acknowledges it with their own employee (the admin has none); trainers and admins
// write and publish versions; staff see coverage and who is pending in their subtree
// only (the manager of 东湖区 asking for 濂溪区 gets 404).
func trainingMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/api/v1/handbook", prep: static("/api/v1/handbook"), want: signedIn(ok),
			check: func(t *testing.T, _ *env, as string, res response) {
				var v training.HandbookView
				res.JSON(t, &v)
				assert.True(t, v.Version.Current, "%s: not the current version", as)
				assert.NotEmpty(t, v.Version.Body)
			}},
		{method: post, route: "/api/v1/handbook/acknowledgements", name: "first", want: signedIn(created).but(conflict, admin),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/handbook/acknowledgements", map[string]any{"version_id": e.currentHandbook()}
			}},
		{method: post, route: "/api/v1/handbook/acknowledgements", name: "again: the first one stands", want: signedIn(ok).but(conflict, admin), noAudit: "a repeat: the first acknowledgement stands",
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/handbook/acknowledgements", map[string]any{"version_id": e.currentHandbook()}
			}},
		{method: post, route: "/api/v1/handbook/acknowledgements", name: "a version no longer current", want: signedIn(conflict),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/handbook/acknowledgements", map[string]any{"version_id": e.staleHandbook()}
			}},

		{method: get, route: "/api/v1/handbook/versions", prep: static("/api/v1/handbook/versions"), want: only(ok, handbookEditors...),
			check: func(t *testing.T, _ *env, _ string, res response) {
				var list models.List[models.HandbookVersion]
				res.JSON(t, &list)
				assert.NotZero(t, list.Total)
			}},
		{method: get, route: "/api/v1/handbook/versions/:id", want: only(ok, handbookEditors...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/handbook/versions/:id", e.handbookVersion(seeds.HandbookV1Version)), nil
			}},
		{method: post, route: "/api/v1/handbook/versions", want: only(created, handbookEditors...),
			prep: func(*env, string) (string, any) { return "/api/v1/handbook/versions", newHandbookDraftBody() }},
		{method: post, route: "/api/v1/handbook/versions", name: "invalid", want: only(invalid, handbookEditors...),
			prep: func(*env, string) (string, any) {
				return "/api/v1/handbook/versions", map[string]any{"version": "v2", "title": "", "body": "正文"}
			}},
		{method: put, route: "/api/v1/handbook/versions/:id", name: "draft", want: only(ok, handbookEditors...),
			prep: freshHandbookDraft("/api/v1/handbook/versions/:id", true)},
		{method: put, route: "/api/v1/handbook/versions/:id", name: "published", want: only(conflict, handbookEditors...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/handbook/versions/:id", e.handbookVersion(seeds.HandbookV1Version)), newHandbookDraftBody()
			}},
		{method: post, route: "/api/v1/handbook/versions/:id/publish", want: only(ok, handbookEditors...),
			prep: freshHandbookDraft("/api/v1/handbook/versions/:id/publish", false)},

		{method: get, route: "/api/v1/handbook/coverage", prep: static("/api/v1/handbook/coverage"), want: only(ok, staff...),
			check: func(t *testing.T, e *env, as string, res response) {
				codes := coverageCodes(t, res)
				require.NotEmpty(t, codes, "%s sees no unit", as)
				for _, c := range codes {
					assert.True(t, inScope(e, as, e.units[c].Path), "%s sees the coverage of %s", as, c)
				}
				assert.Contains(t, codes, "360102", "%s: no row for 东湖区", as)
			}},
		{method: get, route: "/api/v1/handbook/coverage", name: "own branch", want: only(ok, staff...),
			prep: unitURL("/api/v1/handbook/coverage?unit_id=:id", "360102"),
			check: func(t *testing.T, _ *env, as string, res response) {
				codes := coverageCodes(t, res)
				assert.Equal(t, "360102", codes[0], "%s: the branch comes first", as)
				for _, c := range codes {
					assert.True(t, strings.HasPrefix(c, "360102"), "%s: %s is not in 东湖区", as, c)
				}
			}},
		{method: get, route: "/api/v1/handbook/coverage", name: "another city's branch", want: only(ok, admin, trainer).but(notFound, inspector, manager),
			prep: unitURL("/api/v1/handbook/coverage?unit_id=:id", "360402")},
		{method: get, route: "/api/v1/handbook/pending", prep: static("/api/v1/handbook/pending?per_page=200"), want: only(ok, staff...),
			check: func(t *testing.T, e *env, as string, res response) {
				var list training.PendingList
				res.JSON(t, &list)
				assert.NotZero(t, list.Total, "%s sees no one pending", as)
				for _, emp := range list.Items {
					require.NotNil(t, emp.OrgUnit)
					assert.True(t, inScope(e, as, emp.OrgUnit.Path), "%s sees %s pending", as, emp.JobNumber)
				}
			}},
		{method: get, route: "/api/v1/handbook/pending", name: "another city's branch", want: only(ok, admin, trainer).but(notFound, inspector, manager),
			prep: unitURL("/api/v1/handbook/pending?unit_id=:id", "360402")},
		{method: get, route: "/api/v1/handbook/pending.xlsx", prep: static("/api/v1/handbook/pending.xlsx"), want: only(ok, staff...),
			check: func(t *testing.T, e *env, as string, res response) {
				f, err := excelize.OpenReader(strings.NewReader(res.Body))
				require.NoError(t, err)
				defer f.Close()
				rows, err := f.GetRows(training.PendingSheet)
				require.NoError(t, err)
				require.Greater(t, len(rows), 1, "%s: an empty list", as)
				for _, r := range rows[1:] {
					assert.True(t, inScope(e, as, e.units[r[2]].Path), "%s sees %s pending", as, r[0])
				}
			}},
		{method: get, route: "/api/v1/handbook/pending.xlsx", name: "another city's branch", want: only(ok, admin, trainer).but(notFound, inspector, manager),
			prep: unitURL("/api/v1/handbook/pending.xlsx?unit_id=:id", "360402")},
	}
}

// currentHandbook is the id of the current handbook version.
func (e *env) currentHandbook() uint {
	v, err := models.CurrentHandbook(context.Background(), e.db)
	require.NoError(e.t, err)
	return v.ID
}

// handbookVersion is the id of the version numbered number.
func (e *env) handbookVersion(number string) uint {
	var v models.HandbookVersion
	require.NoError(e.t, e.db.Where("version = ?", number).Take(&v).Error)
	return v.ID
}

// staleHandbook is the id of a published version that is no longer current: the seeded
// 1.0, after a minor version has been published over it when none has yet.
func (e *env) staleHandbook() uint {
	old := e.handbookVersion(seeds.HandbookV1Version)
	if e.currentHandbook() == old {
		e.publishHandbook()
	}
	return old
}

// publishHandbook publishes a new minor version (nobody becomes pending) and returns it.
func (e *env) publishHandbook() *models.HandbookVersion {
	ctx := context.Background()
	svc := training.NewService(e.db, shanghaiZone(e.t))
	d, err := svc.CreateDraft(ctx, models.SystemActor, newHandbookDraftBody())
	require.NoError(e.t, err)
	v, err := svc.Publish(ctx, models.SystemActor, d.ID)
	require.NoError(e.t, err)
	return v
}

// newHandbookDraftBody is a minor version numbered above every earlier one.
func newHandbookDraftBody() training.VersionInput {
	return training.VersionInput{Version: fmt.Sprintf("1.%d", uniq()), Title: "员工服务手册（修订）",
		Body: "# 员工服务手册\n\n材料不齐全时一次性告知需要补正的全部材料（R2.5）。"}
}

// freshHandbookDraft makes a new draft for this request alone and targets it, with a
// new body when withBody.
func freshHandbookDraft(route string, withBody bool) func(*env, string) (string, any) {
	return func(e *env, _ string) (string, any) {
		d, err := training.NewService(e.db, shanghaiZone(e.t)).CreateDraft(context.Background(), models.SystemActor, newHandbookDraftBody())
		require.NoError(e.t, err)
		var body any
		if withBody {
			body = newHandbookDraftBody()
		}
		return withID(route, d.ID), body
	}
}

// coverageCodes are the unit codes of a coverage response, in order.
func coverageCodes(t *testing.T, res response) []string {
	var c training.Coverage
	res.JSON(t, &c)
	codes := make([]string, len(c.Units))
	for i, u := range c.Units {
		codes[i] = u.Code
	}
	return codes
}
