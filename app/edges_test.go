package app_test

import (
	"context"
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/app"
	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// TestEdgesTrailingJSON: SECURITY.md "Bodies are strict": a body is one JSON value, so
// anything but whitespace after it is a 400 problem on every route that reads one (all
// of them share bindJSON); whitespace after the value is accepted.
func TestEdgesTrailingJSON(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	emp, tr, insp := e.login(employee), e.login(trainer), e.login(inspector)
	sess := e.freshSession(true)
	cases := []struct {
		name   string
		as     *client
		method string
		url    string
		body   string
	}{
		{"a closing brace too many", emp, http.MethodPut, "/api/v1/attempts/1/answers/1", `{"seq":2}}`},
		{"a word after the object", insp, http.MethodPost, "/api/v1/cases", `{"title":"a"} x`},
		{"closing brackets", tr, http.MethodPost, "/api/v1/exams", `{"org_unit_ids":[1]}]]`},
		{"two objects", emp, http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess), `{"code":"000000"}{"code":"111111"}`},
		{"a second value after whitespace", tr, http.MethodPut, "/api/v1/onboarding/plan", "{\"due_days\":30}\n 1"},
		{"login, before any session", e.anon(), http.MethodPost, "/api/v1/auth/login", `{"username":"admin","password":"x"}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			res := tc.as.do(tc.method, tc.url, tc.body)
			require.Equal(t, http.StatusBadRequest, res.Code, res.Body)
			assert.Contains(t, res.Header.Get("Content-Type"), "application/problem+json")
			var p app.Problem
			res.JSON(t, &p)
			assert.Equal(t, http.StatusBadRequest, p.Status)
			assert.Equal(t, "请求体不是有效的 JSON", p.Title)
		})
	}

	// Whitespace after the value is not data: the body is read, the wrong code refused.
	res := emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", sess), "{\"code\":\"000000\"} \r\n\t")
	assert.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
}

// wantTooMany asserts res is the 422 refusing exactly one list, field, beyond max.
func wantTooMany(t *testing.T, res response, field string, max int) {
	t.Helper()
	require.Equal(t, http.StatusUnprocessableEntity, res.Code, clipBody(res.Body))
	var p app.Problem
	res.JSON(t, &p)
	require.Len(t, p.Errors, 1, res.Body)
	assert.Equal(t, field, p.Errors[0].Field)
	assert.Equal(t, "too_many_items", p.Errors[0].Code)
	assert.Contains(t, []string{"最多 " + idStr(uint(max)) + " 项", "at most " + idStr(uint(max)) + " items"}, p.Errors[0].Message)
}

func seqIDs(n int) []uint {
	ids := make([]uint, n)
	for i := range ids {
		ids[i] = uint(i + 1)
	}
	return ids
}

// TestEdgesListBounds: SECURITY.md "every array has a documented maximum (422 beyond
// it, checked before any query); repeated ids count once". The lists that reached the
// database unbounded: 32,766 finding ids (a 500 on SQLite, too many SQL variables),
// 400,000 repeated org unit ids on an exam (one lookup each), 32,766 course ids.
func TestEdgesListBounds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		insp, tr := e.login(inspector), e.login(trainer)

		t.Run("too many finding ids", func(t *testing.T) {
			body := e.caseBody("360102-01", "360102-01001")
			body.Source, body.FindingIDs = models.CaseFromFinding, seqIDs(32_766)
			wantTooMany(t, insp.do(http.MethodPost, "/api/v1/cases", body), "finding_ids", 100)
		})
		t.Run("too many employee ids, in English", func(t *testing.T) {
			body := e.caseBody("360102-01", "360102-01001")
			body.EmployeeIDs = seqIDs(51)
			insp.cookies["lang"] = "en"
			defer delete(insp.cookies, "lang")
			res := insp.do(http.MethodPost, "/api/v1/cases", body)
			wantTooMany(t, res, "employee_ids", 50)
			assert.Contains(t, res.Body, "at most 50 items")
		})
		t.Run("repeated finding and employee ids are one each", func(t *testing.T) {
			f := e.freshFinding("360102-01")
			emp := e.employee("360102-01001")
			body := e.caseBody("360102-01", "360102-01001")
			body.Source, body.ComplaintRef = models.CaseFromFinding, ""
			body.FindingIDs = []uint{f.ID, f.ID, f.ID}
			body.EmployeeIDs = []uint{emp, emp}
			body.Grounds = []string{models.GroundServiceRules, models.GroundServiceRules}
			res := insp.do(http.MethodPost, "/api/v1/cases", body)
			require.Equal(t, http.StatusCreated, res.Code, res.Body)
			var c models.AccountabilityCase
			res.JSON(t, &c)
			var findings, persons int64
			require.NoError(t, e.db.Model(&models.CaseFinding{}).Where("case_id = ?", c.ID).Count(&findings).Error)
			require.NoError(t, e.db.Model(&models.CasePerson{}).Where("case_id = ?", c.ID).Count(&persons).Error)
			assert.Equal(t, int64(1), findings)
			assert.Equal(t, int64(1), persons)
			assert.Equal(t, []string{models.GroundServiceRules}, []string(c.Grounds))
		})

		t.Run("400,000 repeated org unit ids are one", func(t *testing.T) {
			unit := e.unit("360102")
			body := newExamBody()
			ids := make([]uint, 400_000)
			for i := range ids {
				ids[i] = unit
			}
			body["org_unit_ids"] = ids
			res := tr.do(http.MethodPost, "/api/v1/exams", body)
			require.Equal(t, http.StatusCreated, res.Code, clipBody(res.Body))
			var x models.Exam
			res.JSON(t, &x)
			assert.Equal(t, []uint{unit}, []uint(x.OrgUnitIDs))
		})
		t.Run("too many org unit ids", func(t *testing.T) {
			body := newExamBody()
			body["org_unit_ids"] = seqIDs(1001)
			wantTooMany(t, tr.do(http.MethodPost, "/api/v1/exams", body), "org_unit_ids", 1000)
		})
		t.Run("too many course ids", func(t *testing.T) {
			wantTooMany(t, tr.do(http.MethodPut, "/api/v1/onboarding/plan", map[string]any{"course_ids": seqIDs(32_766)}), "course_ids", 50)
		})
		t.Run("a list inside a list is named by its path", func(t *testing.T) {
			body := templateBody("EDGE-1")
			body.Sections[0].Items = slices.Repeat(body.Sections[0].Items[:1], 301)
			wantTooMany(t, e.login("admin").do(http.MethodPost, "/api/v1/checklist-templates", body), "sections[0].items", 300)
		})
	})
}

// TestEdgesEveryListDocumented: every array of every request body in the OpenAPI
// document (so every []T a route decodes) states its maxItems, which is what
// models.CheckLists enforces; lists bounded by an allow-list are bounded by its length.
func TestEdgesEveryListDocumented(t *testing.T) {
	e := newEnv(t, dbtest.SQLite(t))
	res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Code)
	var doc struct {
		Paths      map[string]map[string]json.RawMessage
		Components struct{ Schemas map[string]map[string]any }
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))

	arrays := 0
	var walk func(where string, s map[string]any, seen map[string]bool)
	walk = func(where string, s map[string]any, seen map[string]bool) {
		if ref, ok := s["$ref"].(string); ok {
			name := strings.TrimPrefix(ref, "#/components/schemas/")
			if !seen[name] {
				seen[name] = true
				walk(where, doc.Components.Schemas[name], seen)
			}
			return
		}
		if s["type"] == "array" {
			arrays++
			max, ok := s["maxItems"].(float64)
			assert.True(t, ok && max >= 1, "%s has no maxItems", where)
			walk(where+"[]", s["items"].(map[string]any), seen)
		}
		if props, ok := s["properties"].(map[string]any); ok {
			for k, v := range props {
				walk(where+"."+k, v.(map[string]any), seen)
			}
		}
		if add, ok := s["additionalProperties"].(map[string]any); ok {
			walk(where+"{}", add, seen)
		}
	}
	for path, item := range doc.Paths {
		for method, raw := range item {
			var op struct {
				RequestBody struct {
					Content map[string]struct{ Schema map[string]any }
				}
			}
			if json.Unmarshal(raw, &op) != nil {
				continue
			}
			if c, ok := op.RequestBody.Content["application/json"]; ok {
				walk(strings.ToUpper(method)+" "+path, c.Schema, map[string]bool{})
			}
		}
	}
	assert.Greater(t, arrays, 20, "the walk found the request bodies' lists")

	bound := func(v any, field string) int {
		f, ok := reflect.TypeOf(v).FieldByName(field)
		require.True(t, ok, field)
		b, ok := models.ParseListBound(f.Tag)
		require.True(t, ok, field)
		return b.Max
	}
	assert.Equal(t, len(models.Positions), bound(exams.ExamInput{}, "Positions"))
	assert.Equal(t, len(models.Positions), bound(training.CourseInput{}, "Positions"))
	assert.Equal(t, len(models.Grounds), bound(accountability.OpenInput{}, "Grounds"))
	assert.Equal(t, len(accountability.AggravatingCodes), bound(accountability.DecisionInput{}, "Aggravating"))
	assert.Equal(t, len(accountability.MitigatingCodes), bound(accountability.DecisionInput{}, "Mitigating"))
}

// sessionIn makes a session of the etiquette course held at unitCode, its sign-in code
// matrixSignInCode open for ten minutes.
func (e *env) sessionIn(unitCode string) uint {
	e.t.Helper()
	ctx := context.Background()
	in := sessionBody(e)
	in.OrgUnitID, in.Place = e.unit(unitCode), "会议室"
	svc := training.NewService(e.db, shanghaiZone(e.t))
	svc.NewCode = func() (string, error) { return matrixSignInCode, nil }
	s, err := svc.CreateSession(ctx, models.SystemActor, models.ScopeAll, e.course(seeds.EtiquetteCourseTitle), in)
	require.NoError(e.t, err)
	_, err = svc.OpenSignIn(ctx, models.SystemActor, s.ID, training.CodeInput{})
	require.NoError(e.t, err)
	return s.ID
}

// TestEdgesSignInOutOfScope: SECURITY.md "Out of scope looks exactly like nonexistent":
// a session is for the staff of its unit's subtree, so the clerk of 东湖区 (360102-01)
// signing in to a session held in 九江's 濂溪区 (360402) gets the 404 of a session that
// does not exist, with the right code or a wrong one, and leaves no row: no guess
// counted, no attendance, no audit. The session is not offered on their training page.
func TestEdgesSignInOutOfScope(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		emp := e.login(employee)
		far := e.sessionIn("360402")
		problem := func(res response) app.Problem {
			t.Helper()
			var p app.Problem
			res.JSON(t, &p)
			p.Instance, p.RequestID = "", ""
			return p
		}
		missing := emp.do(http.MethodPost, "/api/v1/sessions/999999/sign-in", map[string]string{"code": matrixSignInCode})
		require.Equal(t, http.StatusNotFound, missing.Code, missing.Body)

		mark := e.lastAuditID()
		for _, code := range []string{matrixSignInCode, "000000"} {
			res := emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", far), map[string]string{"code": code})
			require.Equal(t, http.StatusNotFound, res.Code, "code %s: %s", code, res.Body)
			assert.Equal(t, problem(missing), problem(res))
		}
		form := sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {idStr(far)}, "code": {matrixSignInCode}})
		assert.Equal(t, http.StatusNotFound, form.Code)
		missingForm := sendRow(emp, http.MethodPost, "/training/sign-in", formBody{"session_id": {"999999"}, "code": {matrixSignInCode}})
		assert.Equal(t, missingForm.Code, form.Code)

		var guesses, attended int64
		require.NoError(t, e.db.Model(&models.SignInGuess{}).Where("session_id = ?", far).Count(&guesses).Error)
		require.NoError(t, e.db.Model(&models.Attendance{}).Where("session_id = ?", far).Count(&attended).Error)
		assert.Zero(t, guesses, "no guess row")
		assert.Zero(t, attended, "no attendance")
		assert.Zero(t, e.auditCountSince(mark), "no audit row")

		// The same clerk signs in to a session of their own branch (held at the county
		// branch above their outlet), which the page offers; the far one it does not.
		near := e.sessionIn("360102")
		page := emp.do(http.MethodGet, "/training", nil)
		require.Equal(t, http.StatusOK, page.Code)
		assert.Contains(t, page.Body, `<option value="`+idStr(near)+`">`)
		assert.NotContains(t, page.Body, `<option value="`+idStr(far)+`">`)
		res := emp.do(http.MethodPost, withID("/api/v1/sessions/:id/sign-in", near), map[string]string{"code": matrixSignInCode})
		assert.Equal(t, http.StatusCreated, res.Code, res.Body)
	})
}
