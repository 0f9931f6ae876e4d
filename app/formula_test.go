package app_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/storage"
)

// poisoned are the free-text columns users type into and the workbooks show; each is
// stored starting with "=1+", as a hostile or careless user would type it (the
// rectification timeline's reasons are append-only, so not rewritten here).
var poisoned = map[string][]string{
	"org_units":            {"name", "address"},
	"employees":            {"name"},
	"users":                {"display_name"},
	"accountability_cases": {"title", "summary", "complaint_ref"},
	"case_people":          {"statement", "decision_note"},
	"checklist_templates":  {"title", "description"},
	"courses":              {"title"},
	"course_sessions":      {"place"},
	"exams":                {"title"},
	"findings":             {"text", "note"},
	"inspection_items":     {"text", "note"},
	"questions":            {"stem", "explanation"},
	"patrol_plans":         {"title"},
	"rectifications":       {"evidence_text", "waiver_reason"},
	"handbook_versions":    {"title"},
	"certificates":         {"revoked_reason"},
}

// cellFormula is a formula in a worksheet's cell (<f>…</f> or <f t="shared" …/>), not
// a conditional format's <formula>.
var cellFormula = regexp.MustCompile(`<f[ >/]`)

// TestNoFormulaInAnyWorkbook fetches every .xlsx the route table serves (found in the
// OpenAPI document, so a new one is covered the day it is added) on the demo province
// after formula-looking text was stored in every free-text field, and finds no formula
// cell in any of them — while the text itself arrives, "=1+" and all, so the test
// would see a formula if an exporter wrote one.
func TestNoFormulaInAnyWorkbook(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the demo province")
	}
	ctx := context.Background()
	db := dbtest.SQLite(t)
	e := newEnv(t, db)
	now := time.Now().UTC()
	require.NoError(t, seeds.Run(ctx, db, seeds.DemoSteps(demoPassword, storage.NewLocal(t.TempDir()), now), nil))
	// Twelve first attempts at the etiquette exam, so its item analysis has data.
	examID := e.exam(seeds.EtiquetteExamTitle)
	var staff []models.Employee
	require.NoError(t, db.Where("position IN ? AND status = ? AND id NOT IN (SELECT employee_id FROM attempts WHERE exam_id = ?)",
		models.FrontlinePositions, models.StatusActive, examID).Order("job_number").Limit(12).Find(&staff).Error)
	require.Len(t, staff, 12)
	e.sitExam(examID, staff)
	for table, cols := range poisoned {
		for _, col := range cols {
			require.NoError(t, db.Exec(fmt.Sprintf("UPDATE %s SET %s = '=1+' || %s WHERE %s <> ''", table, col, col, col)).Error, "%s.%s", table, col)
		}
	}
	params := map[string]func() string{
		"/api/v1/exams/{id}/analysis.xlsx":   func() string { return fmt.Sprint(examID) },
		"/api/v1/rankings/exports/{id}/file": func() string { return fmt.Sprint(e.exportJob(seeds.AdminUsername, true)) },
	}
	queries := map[string]string{
		"/api/v1/rankings/export":        "period=" + now.In(shanghaiZone(t)).AddDate(0, -1, 0).Format("2006-01") + "&level=county",
		"/api/v1/patrol-coverage.xlsx":   "from=" + now.AddDate(0, -3, 0).Format("2006-01-02") + "&to=" + now.Format("2006-01-02"),
		"/api/v1/service-metrics/export": "from=" + now.AddDate(-1, 0, 0).Format("2006-01") + "&to=" + now.Format("2006-01"),
	}

	admin := e.login(seeds.AdminUsername)
	res := e.anon().do(http.MethodGet, "/api/v1/openapi.json", nil)
	require.Equal(t, http.StatusOK, res.Code)
	var doc struct {
		Paths map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]json.RawMessage
			}
		}
	}
	require.NoError(t, json.Unmarshal([]byte(res.Body), &doc))
	var paths []string
	for path, ops := range doc.Paths {
		if _, ok := ops["get"].Responses["200"].Content[xlsxMIME]; ok {
			paths = append(paths, path)
		}
	}
	slices.Sort(paths)
	require.GreaterOrEqual(t, len(paths), 10, "the route table's workbooks")
	for _, path := range paths {
		t.Run(strings.TrimPrefix(path, "/api/v1/"), func(t *testing.T) {
			target := path
			if strings.Contains(path, "{") {
				id, ok := params[path]
				require.True(t, ok, "no id to fetch %s with: add one to params", path)
				target = regexp.MustCompile(`\{[^}]+\}`).ReplaceAllString(path, id())
			}
			if q, ok := queries[path]; ok {
				target += "?" + q
			}
			res := admin.do(http.MethodGet, target, nil)
			require.Equal(t, http.StatusOK, res.Code, "%s: %.300s", target, res.Body)
			texts, formulas := sheetsOf(t, []byte(res.Body))
			require.Empty(t, formulas, "formula cells in %s", target)
			if !strings.Contains(path, "template") {
				require.Contains(t, texts, "=1+", "%s shows some of the poisoned text", target)
			}
		})
	}
}

const xlsxMIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// sheetsOf returns the text of a workbook's shared strings and sheets, and the sheets
// that hold a formula cell.
func sheetsOf(t *testing.T, raw []byte) (string, []string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(raw), int64(len(raw)))
	require.NoError(t, err, "not a workbook")
	var text strings.Builder
	var formulas []string
	for _, f := range zr.File {
		if !strings.HasPrefix(f.Name, "xl/worksheets/") && f.Name != "xl/sharedStrings.xml" {
			continue
		}
		rc, err := f.Open()
		require.NoError(t, err)
		b, err := io.ReadAll(rc)
		rc.Close()
		require.NoError(t, err)
		text.Write(b)
		if strings.HasPrefix(f.Name, "xl/worksheets/") && cellFormula.Match(b) {
			formulas = append(formulas, f.Name)
		}
	}
	return text.String(), formulas
}
