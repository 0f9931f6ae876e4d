package app_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// The statement rule over HTTP (R6.8): refused (409, with a message in the caller's
// language) before the statement, allowed after it; decisions never change; every write
// leaves exactly one audit row and a refusal none.
func TestCaseOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		insp, mgr := e.login(inspector), e.login(manager) // a login is audited: both before counting

		bad := insp.do(http.MethodPost, "/api/v1/cases", map[string]any{"title": "", "org_unit_id": e.unit("360102"), "source": "finding",
			"summary": "x", "grounds": []string{"mood"}, "employee_ids": []uint{e.employee("360402-01001")}})
		require.Equal(t, http.StatusUnprocessableEntity, bad.Code, bad.Body)
		p := problemOf(t, bad)
		codes := map[string]string{}
		for _, f := range p.Errors {
			codes[f.Field] = f.Code
			assert.NotContains(t, f.Message, "field.", "%s has no message", f.Code)
		}
		assert.Equal(t, map[string]string{"title": "required", "finding_ids": "required", "grounds[0]": "invalid_choice", "employee_ids[0]": "not_found"}, codes)

		before := e.auditCount()
		res := insp.do(http.MethodPost, "/api/v1/cases", e.caseBody("360102", "360102-01001"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var c models.AccountabilityCase
		res.JSON(t, &c)
		assert.Equal(t, before+1, e.auditCount())

		var view struct {
			Persons []struct {
				ID          uint
				Decidable   bool
				BlockedCode string `json:"blocked_code"`
			}
		}
		res = insp.do(http.MethodGet, withID("/api/v1/cases/:id", c.ID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		res.JSON(t, &view)
		require.Len(t, view.Persons, 1)
		assert.Equal(t, "case_statement_pending", view.Persons[0].BlockedCode)
		person := fmt.Sprintf("/api/v1/cases/%d/persons/%d/", c.ID, view.Persons[0].ID)

		decision := map[string]any{"severity": "minor", "outcome": "warning", "note": "初次"}
		req := insp.do(http.MethodPost, person+"decision", decision)
		require.Equal(t, http.StatusConflict, req.Code, req.Body)
		p = problemOf(t, req)
		require.Len(t, p.Errors, 1)
		assert.Equal(t, "case_statement_pending", p.Errors[0].Code)
		assert.Contains(t, p.Errors[0].Message, "R6.8")
		assert.Equal(t, before+1, e.auditCount(), "a refused decision writes nothing")

		// The manager of 东湖区 is the superior (R6.4): they hear the statement.
		res = mgr.do(http.MethodPost, person+"statement", map[string]string{"statement": "当时系统故障，已向客户致歉。"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, before+2, e.auditCount())

		wrong := insp.do(http.MethodPost, person+"decision", map[string]any{"severity": "very_serious", "outcome": "penalty"})
		require.Equal(t, http.StatusUnprocessableEntity, wrong.Code)
		assert.Equal(t, "penalty_cents", problemOf(t, wrong).Errors[0].Field)

		res = insp.do(http.MethodPost, person+"decision", decision)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, before+3, e.auditCount())
		res = insp.do(http.MethodPost, person+"decision", map[string]any{"severity": "serious", "outcome": "no_awards"})
		require.Equal(t, http.StatusConflict, res.Code)
		assert.Equal(t, "case_person_decided", problemOf(t, res).Errors[0].Code)
		assert.Equal(t, before+3, e.auditCount())

		var stored models.CasePerson
		require.NoError(t, db.Take(&stored, view.Persons[0].ID).Error)
		assert.Equal(t, models.OutcomeWarning, stored.Outcome, "the first decision stands")

		res = insp.do(http.MethodGet, "/api/v1/cases?status=decided", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, c.Number)
		res = insp.do(http.MethodGet, "/api/v1/cases?status=nonsense", nil)
		assert.Equal(t, http.StatusBadRequest, res.Code)

		res = insp.do(http.MethodGet, "/api/v1/cases.xlsx?status=decided", nil)
		require.Equal(t, http.StatusOK, res.Code)
		x, err := excelize.OpenReader(strings.NewReader(res.Body))
		require.NoError(t, err)
		defer x.Close()
		rows, err := x.GetRows("问责案件")
		require.NoError(t, err)
		require.Len(t, rows, 2)
		assert.Equal(t, c.Number, rows[1][0])
	})
}

func TestInspectionSettingsOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm, mgr, insp := e.login(admin), e.login(manager), e.login(inspector)
		before := e.auditCount()
		res := adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]int{"repeat_window_days": 5, "pass_mark": 101})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code)
		p := problemOf(t, res)
		require.Len(t, p.Errors, 2)
		for _, f := range p.Errors {
			assert.Equal(t, "out_of_range", f.Code)
		}
		res = adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"bogus": 1})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Equal(t, before, e.auditCount())

		res = adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]int{"statement_working_days": 3})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, before+1, e.auditCount())
		res = mgr.do(http.MethodGet, "/api/v1/settings/inspections", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `"statement_working_days":3`)

		// The new window applies to cases opened afterwards.
		res = insp.do(http.MethodPost, "/api/v1/cases", e.caseBody("360102", "360102-01001"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var c models.AccountabilityCase
		res.JSON(t, &c)
		d := models.DateOf(c.OpenedAt.In(shanghaiZone(t)))
		for n := 0; n < 3; {
			d = models.DateOf(d.Time().AddDate(0, 0, 1))
			if wd := d.Time().Weekday(); wd != 0 && wd != 6 {
				n++
			}
		}
		assert.Equal(t, d, c.StatementDueOn)
	})
}

// Every field code of the cases and patrols areas has a message in both languages.
func TestCaseAndPatrolCodesHaveMessages(t *testing.T) {
	codes := []string{"case_too_many", "case_outside_unit", "case_own_case", "case_finding_voided", "case_not_open", "case_person_decided",
		"case_statement_recorded", "case_statement_pending", "case_outcome_not_allowed", "case_heard_at",
		"patrol_too_many", "patrol_not_outlet", "patrol_outside_unit", "patrol_not_inspector", "patrol_not_covered", "patrol_not_self",
		"patrol_outside_period", "patrol_template_unknown", "patrol_plan_ended", "patrol_stop_covered", "patrol_stop_passed",
		"patrol_due_in_past", "patrol_critical_days",
		// shared codes these areas use
		"required", "too_long", "invalid", "invalid_choice", "duplicate", "not_found", "must_be_empty", "out_of_range",
		"ends_before_start", "too_many_rows", "invalid_date"}
	for _, lang := range []string{"zh-CN", "en"} {
		files, err := filepath.Glob(filepath.Join("locales", lang+"*.json"))
		require.NoError(t, err)
		msgs := map[string]string{}
		for _, f := range files {
			b, err := os.ReadFile(f)
			require.NoError(t, err)
			part := map[string]string{}
			require.NoError(t, json.Unmarshal(b, &part), f)
			for k, v := range part {
				msgs[k] = v
			}
		}
		for _, c := range codes {
			assert.NotEmpty(t, msgs["field."+c], "%s: no message for field.%s", lang, c)
		}
	}
}

func shanghaiZone(t testing.TB) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	return loc
}
