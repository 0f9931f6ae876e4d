package app_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"quality/models"
)

var (
	// inspectionWriters start, fill, submit and reopen inspections; inspectionReaders
	// also read them (the manager of 东湖区 sees 东湖区's).
	inspectionWriters = []string{admin, inspector}
	inspectionReaders = []string{admin, inspector, manager}
)

// outOfScope is the outlet of another city (濂溪区, 九江): only the admin reaches it.
const outOfScope = "360402-01"

// checklistMatrixRows are the rows of checklist templates, inspections, photos and
// findings. Templates are written by province-wide editors only (the city inspector
// gets 403); records of 九江 are 404 to the inspector of 南昌 and the manager of 东湖区.
func checklistMatrixRows() []matrixRow {
	fresh := func(route string, make func(e *env, as string) uint, body func(as string) any) func(*env, string) (string, any) {
		return func(e *env, as string) (string, any) {
			var b any
			if body != nil {
				b = body(as)
			}
			return withID(route, make(e, as)), b
		}
	}
	item := func(route, key string) string { return strings.Replace(route, ":key", key, 1) }
	return []matrixRow{
		// Templates.
		{method: get, route: "/api/v1/checklist-templates", prep: static("/api/v1/checklist-templates?status=published"), want: only(ok, staff...),
			check: func(t *testing.T, _ *env, as string, res response) {
				var list models.List[models.ChecklistTemplate]
				res.JSON(t, &list)
				assert.GreaterOrEqual(t, list.Total, int64(3), "%s sees the seeded checklists", as)
			}},
		{method: get, route: "/api/v1/checklist-templates/:id", name: "published", want: only(ok, staff...),
			prep: func(e *env, _ string) (string, any) {
				return withID("/api/v1/checklist-templates/:id", e.matrixTemplate().ID), nil
			}},
		{method: get, route: "/api/v1/checklist-templates/:id", name: "a draft: editors only", want: only(notFound, staff...).but(ok, admin),
			prep: fresh("/api/v1/checklist-templates/:id", func(e *env, _ string) uint { return e.freshDraftTemplate(false).ID }, nil)},
		{method: post, route: "/api/v1/checklist-templates", want: only(created, admin),
			prep: func(*env, string) (string, any) {
				return "/api/v1/checklist-templates", templateBody(fmt.Sprintf("MXN%d", uniq()))
			}},
		{method: put, route: "/api/v1/checklist-templates/:id", name: "a draft", want: only(ok, admin),
			prep: fresh("/api/v1/checklist-templates/:id", func(e *env, _ string) uint { return e.freshDraftTemplate(false).ID },
				func(string) any { return templateBody("") })},
		{method: put, route: "/api/v1/checklist-templates/:id", name: "published: the next version", want: only(created, admin),
			prep: fresh("/api/v1/checklist-templates/:id", func(e *env, _ string) uint { return e.freshDraftTemplate(true).ID },
				func(string) any { return templateBody("") })},
		{method: post, route: "/api/v1/checklist-templates/:id/publish", want: only(ok, admin),
			prep: fresh("/api/v1/checklist-templates/:id/publish", func(e *env, _ string) uint { return e.freshDraftTemplate(false).ID }, nil)},
		{method: post, route: "/api/v1/checklist-templates/:id/retire", want: only(ok, admin),
			prep: fresh("/api/v1/checklist-templates/:id/retire", func(e *env, _ string) uint { return e.freshDraftTemplate(true).ID }, nil)},

		// Inspections: lists are cut to the scope.
		{method: get, route: "/api/v1/inspections", want: only(ok, inspectionReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.freshInspection("inspector", "360102-01", submittedInspection, false)
				e.freshInspection(admin, outOfScope, submittedInspection, false)
				return "/api/v1/inspections?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[models.Inspection]
				res.JSON(t, &list)
				require.NotEmpty(t, list.Items, "%s sees no inspection", as)
				for _, ins := range list.Items {
					u := unitByID(e, ins.OrgUnitID)
					assert.True(t, inScope(e, as, u.Path), "%s sees an inspection of %s", as, u.Code)
				}
			}},
		{method: get, route: "/api/v1/inspections", name: "inspector=me: the caller's own", want: only(ok, inspectionReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.freshInspection("inspector", "360102-01", draftInspection, false)
				e.freshInspection(admin, "360102-01", draftInspection, false)
				return "/api/v1/inspections?inspector=me&status=draft&per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[models.Inspection]
				res.JSON(t, &list)
				me := e.actor(as).UserID
				if as != manager {
					require.NotEmpty(t, list.Items, "%s sees no own draft", as)
				}
				for _, ins := range list.Items {
					assert.Equal(t, me, ins.InspectorID, "%s sees another's inspection", as)
					assert.Equal(t, models.InspectionDraft, ins.Status)
				}
			}},
		{method: get, route: "/api/v1/inspections", name: "inspector=bogus", want: only(http.StatusBadRequest, inspectionReaders...),
			prep: static("/api/v1/inspections?inspector=42")},
		{method: get, route: "/api/v1/inspections.xlsx", prep: static("/api/v1/inspections.xlsx?status=submitted"), want: only(ok, inspectionReaders...)},
		{method: get, route: "/api/v1/inspections.xlsx", name: "inspector=me", prep: static("/api/v1/inspections.xlsx?inspector=me"), want: only(ok, inspectionReaders...)},
		{method: post, route: "/api/v1/inspections", name: "an outlet of 东湖区", want: only(created, inspectionWriters...),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/inspections", map[string]any{"client_id": fmt.Sprintf("m-%d", uniq()), "template_id": e.matrixTemplate().ID, "org_unit_id": e.unit("360102-01")}
			}},
		{method: post, route: "/api/v1/inspections", name: "an outlet of 九江", want: only(created, inspectionWriters...).but(invalid, inspector),
			prep: func(e *env, _ string) (string, any) {
				return "/api/v1/inspections", map[string]any{"client_id": fmt.Sprintf("m-%d", uniq()), "template_id": e.matrixTemplate().ID, "org_unit_id": e.unit(outOfScope)}
			}},
		{method: get, route: "/api/v1/inspections/:id", name: "东湖区", want: only(ok, inspectionReaders...),
			prep: fresh("/api/v1/inspections/:id", func(e *env, _ string) uint {
				return e.freshInspection("inspector", "360102-01", submittedInspection, true).ID
			}, nil)},
		{method: get, route: "/api/v1/inspections/:id", name: "九江", want: only(notFound, inspectionReaders...).but(ok, admin),
			prep: fresh("/api/v1/inspections/:id", func(e *env, _ string) uint {
				return e.freshInspection(admin, outOfScope, draftInspection, false).ID
			}, nil)},
		{method: put, route: "/api/v1/inspections/:id/items/:key", name: "own", want: only(ok, inspectionWriters...),
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID
				return item(withID("/api/v1/inspections/:id/items/:key", id), "m1"), map[string]any{"outcome": "pass", "rev": 0}
			}},
		{method: put, route: "/api/v1/inspections/:id/items/:key", name: "九江", want: only(notFound, inspectionWriters...).but(ok, admin),
			prep: func(e *env, _ string) (string, any) {
				id := e.freshInspection(admin, outOfScope, draftInspection, false).ID
				return item(withID("/api/v1/inspections/:id/items/:key", id), "m1"), map[string]any{"outcome": "pass", "rev": 0}
			}},
		{method: post, route: "/api/v1/inspections/:id/items/:key/photos", name: "own", want: only(created, inspectionWriters...),
			prep: func(e *env, as string) (string, any) {
				id := e.freshInspection(ownerFor(as), "360102-01", draftInspection, false).ID
				return item(withID("/api/v1/inspections/:id/items/:key/photos", id), "m1"), uploadBody{field: "file", name: "现场.png", content: testPNG(e.t)}
			}},
		{method: post, route: "/api/v1/inspections/:id/items/:key/photos", name: "九江", want: only(notFound, inspectionWriters...).but(created, admin),
			prep: func(e *env, _ string) (string, any) {
				id := e.freshInspection(admin, outOfScope, draftInspection, false).ID
				return item(withID("/api/v1/inspections/:id/items/:key/photos", id), "m1"), uploadBody{field: "file", name: "现场.png", content: testPNG(e.t)}
			}},
		{method: post, route: "/api/v1/inspections/:id/submit", name: "own", want: only(ok, inspectionWriters...),
			prep: fresh("/api/v1/inspections/:id/submit", func(e *env, as string) uint {
				return e.freshInspection(ownerFor(as), "360102-01", answeredInspection, true).ID
			}, func(as string) any { return map[string]string{"confirmation": as} })},
		{method: post, route: "/api/v1/inspections/:id/submit", name: "九江", want: only(notFound, inspectionWriters...).but(ok, admin),
			prep: fresh("/api/v1/inspections/:id/submit", func(e *env, _ string) uint {
				return e.freshInspection(admin, outOfScope, answeredInspection, false).ID
			}, func(as string) any { return map[string]string{"confirmation": as} })},
		// The admin reopens anyone's inspection; an inspector their own.
		{method: post, route: "/api/v1/inspections/:id/reopen", name: "the inspector's", want: only(ok, inspectionWriters...),
			prep: fresh("/api/v1/inspections/:id/reopen", func(e *env, _ string) uint {
				return e.freshInspection("inspector", "360102-01", submittedInspection, true).ID
			}, func(string) any { return map[string]string{"reason": "答错了一项"} })},
		{method: post, route: "/api/v1/inspections/:id/reopen", name: "九江", want: only(notFound, inspectionWriters...).but(ok, admin),
			prep: fresh("/api/v1/inspections/:id/reopen", func(e *env, _ string) uint {
				return e.freshInspection(admin, outOfScope, submittedInspection, true).ID
			}, func(string) any { return map[string]string{"reason": "答错了一项"} })},
		{method: get, route: "/api/v1/photos/:id", name: "东湖区", want: only(ok, inspectionReaders...),
			prep: fresh("/api/v1/photos/:id", func(e *env, _ string) uint { return e.freshPhoto("360102-01").ID }, nil),
			check: func(t *testing.T, _ *env, _ string, res response) {
				assert.Equal(t, "image/png", res.Header.Get("Content-Type"))
				assert.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
			}},
		{method: get, route: "/api/v1/photos/:id", name: "九江", want: only(notFound, inspectionReaders...).but(ok, admin),
			prep: fresh("/api/v1/photos/:id", func(e *env, _ string) uint { return e.freshPhoto(outOfScope).ID }, nil)},

		// Findings.
		{method: get, route: "/api/v1/findings", want: only(ok, inspectionReaders...),
			prep: func(e *env, _ string) (string, any) {
				e.freshFinding("360102-01")
				e.freshFinding(outOfScope)
				return "/api/v1/findings?per_page=200", nil
			},
			check: func(t *testing.T, e *env, as string, res response) {
				var list models.List[models.Finding]
				res.JSON(t, &list)
				require.NotEmpty(t, list.Items, "%s sees no finding", as)
				for _, f := range list.Items {
					u := unitByID(e, f.OrgUnitID)
					assert.True(t, inScope(e, as, u.Path), "%s sees a finding of %s", as, u.Code)
				}
			}},
		{method: get, route: "/api/v1/findings.xlsx", prep: static("/api/v1/findings.xlsx?voided=false"), want: only(ok, inspectionReaders...)},
		{method: get, route: "/api/v1/findings/:id", name: "东湖区", want: only(ok, inspectionReaders...),
			prep: fresh("/api/v1/findings/:id", func(e *env, _ string) uint { return e.freshFinding("360102-01").ID }, nil)},
		{method: get, route: "/api/v1/findings/:id", name: "九江", want: only(notFound, inspectionReaders...).but(ok, admin),
			prep: fresh("/api/v1/findings/:id", func(e *env, _ string) uint { return e.freshFinding(outOfScope).ID }, nil)},
		{method: post, route: "/api/v1/findings/:id/void", name: "东湖区", want: only(ok, inspectionWriters...),
			prep: fresh("/api/v1/findings/:id/void", func(e *env, _ string) uint { return e.freshFinding("360102-01").ID },
				func(string) any { return map[string]string{"reason": "认错了人"} })},
		{method: post, route: "/api/v1/findings/:id/void", name: "九江", want: only(notFound, inspectionWriters...).but(ok, admin),
			prep: fresh("/api/v1/findings/:id/void", func(e *env, _ string) uint { return e.freshFinding(outOfScope).ID },
				func(string) any { return map[string]string{"reason": "认错了人"} })},
		// Never deleted (void instead): 409 for those who may write, 404 out of scope.
		{method: del, route: "/api/v1/findings/:id", name: "东湖区", want: only(conflict, inspectionWriters...),
			prep: fresh("/api/v1/findings/:id", func(e *env, _ string) uint { return e.freshFinding("360102-01").ID }, nil)},
		{method: del, route: "/api/v1/findings/:id", name: "九江", want: only(notFound, inspectionWriters...).but(conflict, admin),
			prep: fresh("/api/v1/findings/:id", func(e *env, _ string) uint { return e.freshFinding(outOfScope).ID }, nil)},
	}
}

// unitByID is the fixture unit with id.
func unitByID(e *env, id uint) models.OrgUnit {
	for _, u := range e.units {
		if u.ID == id {
			return u
		}
	}
	e.t.Fatalf("no unit %d", id)
	return models.OrgUnit{}
}

var _ = http.MethodGet
