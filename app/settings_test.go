package app_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// TestInspectionSettingsCalendarOverHTTP: public holidays and extra working days through
// GET/PUT /api/v1/settings/inspections, their refusals in both languages, one audit row
// per change, and the statement window of a case opened afterwards (R6.8).
func TestInspectionSettingsCalendarOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm, mgr, insp := e.login(admin), e.login(manager), e.login(inspector)
		res := mgr.do(http.MethodGet, "/api/v1/settings/inspections", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `"holidays":[]`)
		assert.Contains(t, res.Body, `"extra_workdays":[]`)

		before := e.auditCount()
		for _, lang := range []string{"zh-CN", "en"} {
			res = adm.doLang(http.MethodPut, "/api/v1/settings/inspections", map[string]any{
				"holidays": []string{"2026-10-01", "2026-13-01"}}, lang)
			require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
			assert.Equal(t, map[string]string{"holidays[1]": "invalid_date"}, fieldCodes(t, problemOf(t, res)))
			// More than 200 distinct dates is refused with the body, before the service
			// (repeats count once, so the dates must differ).
			many := make([]string, 201)
			for i := range many {
				many[i] = time.Date(2027, 1, 1+i, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
			}
			res = adm.doLang(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"extra_workdays": many}, lang)
			require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
			assert.Equal(t, map[string]string{"extra_workdays": "too_many_items"}, fieldCodes(t, problemOf(t, res)))
			res = adm.doLang(http.MethodPut, "/api/v1/settings/inspections", map[string]any{
				"holidays": []string{"2026-10-01", "2026-10-10"}, "extra_workdays": []string{"2026-10-10"}}, lang)
			require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
			assert.Equal(t, map[string]string{"holidays": "settings_date_in_both", "extra_workdays": "settings_date_in_both"}, fieldCodes(t, problemOf(t, res)))
		}
		res = adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"holidays": "2026-10-01"})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		res = mgr.do(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"holidays": []string{}})
		assert.Equal(t, http.StatusForbidden, res.Code)
		assert.Equal(t, before, e.auditCount(), "a refusal writes nothing")

		// Days off and a day worked just ahead, so the next case's window meets them.
		loc := shanghaiZone(t)
		today := models.DateOf(time.Now().In(loc))
		day := func(n int) models.Date { return models.DateOf(today.Time().AddDate(0, 0, n)) }
		// The next two weekdays are holidays, given twice and backwards; the next
		// Saturday is worked.
		var weekdays []models.Date
		extra := models.Date{}
		for n := 1; len(weekdays) < 2 || extra.IsZero(); n++ {
			switch wd := day(n).Time().Weekday(); {
			case wd == time.Saturday && extra.IsZero():
				extra = day(n)
			case wd != time.Saturday && wd != time.Sunday && len(weekdays) < 2:
				weekdays = append(weekdays, day(n))
			}
		}
		holidays := []models.Date{weekdays[1], weekdays[0], weekdays[1]}
		res = adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"holidays": holidays, "extra_workdays": []models.Date{extra}})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, before+1, e.auditCount(), "one audit row for the change")
		var p struct {
			H []models.Date `json:"holidays"`
			X []models.Date `json:"extra_workdays"`
		}
		res.JSON(t, &p)
		assert.Equal(t, weekdays, p.H, "sorted, without repeats")
		assert.Equal(t, []models.Date{extra}, p.X)
		res = mgr.do(http.MethodGet, "/api/v1/settings/inspections", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `"holidays":["`+weekdays[0].String()+`","`+weekdays[1].String()+`"]`)

		// Another field leaves the lists as they are; the same lists again write nothing.
		res = adm.do(http.MethodPut, "/api/v1/settings/inspections", map[string]any{"statement_working_days": 5, "holidays": weekdays})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, before+1, e.auditCount())
		res.JSON(t, &p)
		assert.Equal(t, []models.Date{extra}, p.X)

		res = insp.do(http.MethodPost, "/api/v1/cases", e.caseBody("360102", "360102-01001"))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var c models.AccountabilityCase
		res.JSON(t, &c)
		d := models.DateOf(c.OpenedAt.In(loc))
		for n := 0; n < 5; {
			d = models.DateOf(d.Time().AddDate(0, 0, 1))
			wd := d.Time().Weekday()
			if d == extra || wd != time.Saturday && wd != time.Sunday && !slices.Contains(p.H, d) {
				n++
			}
		}
		assert.Equal(t, d, c.StatementDueOn)
		plain := models.DateOf(c.OpenedAt.In(loc))
		for n := 0; n < 5; {
			plain = models.DateOf(plain.Time().AddDate(0, 0, 1))
			if wd := plain.Time().Weekday(); wd != time.Saturday && wd != time.Sunday {
				n++
			}
		}
		assert.NotEqual(t, plain, c.StatementDueOn, "the calendar moved the due date")
	})
}

// The codes of the settings have a message in both locale files.
func TestSettingsCodesHaveMessages(t *testing.T) {
	for _, lang := range []string{"zh-CN", "en"} {
		b, err := os.ReadFile(filepath.Join("locales", lang+".patrols.json"))
		require.NoError(t, err)
		msgs := map[string]string{}
		require.NoError(t, json.Unmarshal(b, &msgs))
		for _, c := range []string{"settings_too_many_dates", "settings_date_in_both"} {
			assert.NotEmpty(t, msgs["field."+c], "%s: no message for field.%s", lang, c)
		}
	}
}
