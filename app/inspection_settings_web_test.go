package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

// inspectionSettingsMatrixRows: the policy page for the staff (the form for the admin
// alone), its form only for the admin.
func inspectionSettingsMatrixRows() []matrixRow {
	return []matrixRow{
		{method: get, route: "/settings/inspections", want: only(ok, staff...).but(seeOther, anon), redirect: toLogin,
			prep: static("/settings/inspections"), check: pageShows(`action="/settings/inspections"`, admin)},
		{method: post, route: "/settings/inspections", want: only(seeOther, admin), redirect: redirectTo("/settings/inspections?done=saved"), noAudit: "the values it had: nothing changed",
			prep: func(*env, string) (string, any) {
				return "/settings/inspections", policyForm(policy.DefaultPolicy, nil)
			}},
	}
}

// policyForm is the inspection settings form filled with p, with change typed over.
func policyForm(p policy.Policy, change map[string]string) formBody {
	f := formBody{}
	for k, v := range map[string]int64{
		"rectify_days": int64(p.RectifyDays), "critical_rectify_days": int64(p.CriticalRectifyDays), "reminder_days": int64(p.ReminderDays),
		"province_after_days": int64(p.ProvinceAfterDays), "statement_working_days": int64(p.StatementWorkingDays),
		"repeat_window_days": int64(p.RepeatWindowDays), "far_from_outlet_meters": int64(p.FarFromOutletMeters),
		"photo_max_bytes": p.PhotoMaxBytes, "pass_mark": int64(p.PassMark),
	} {
		f[k] = []string{fmt.Sprint(v)}
	}
	f["holidays"], f["extra_workdays"] = []string{""}, []string{""}
	for k, v := range change {
		f[k] = []string{v}
	}
	return f
}

// TestInspectionSettingsPage: the admin changes the rectification deadline and the
// working-day calendar on the page (one audit row with before and after, the page shows
// what is stored); a bad number, a bad date and a day in both lists are refused beside
// their fields with what was typed kept, and nothing is saved.
func TestInspectionSettingsPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		form := func(change map[string]string) url.Values {
			return url.Values(policyForm(policy.DefaultPolicy, change))
		}

		mark := e.lastAuditID()
		res := adm.postPageForm("/settings/inspections", "/settings/inspections", form(map[string]string{
			"rectify_days": "10", "holidays": "2026-10-01\n2026-10-02, 2026-10-05", "extra_workdays": "2026-10-10"}))
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		p, err := policy.NewService(db).Load(context.Background())
		require.NoError(t, err)
		assert.Equal(t, 10, p.RectifyDays)
		assert.Equal(t, []models.Date{{Year: 2026, Month: 10, Day: 1}, {Year: 2026, Month: 10, Day: 2}, {Year: 2026, Month: 10, Day: 5}}, p.Holidays)
		page := adm.do(http.MethodGet, "/settings/inspections?done=saved", nil)
		assert.Contains(t, page.Body, "设置已保存")
		assert.Contains(t, page.Body, ">2026-10-01\n2026-10-02\n2026-10-05</textarea>")

		mark = e.lastAuditID()
		res = adm.postPageForm("/settings/inspections", "/settings/inspections", form(map[string]string{"rectify_days": "十"}))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, `<a href="#setting-rectify_days">整改期限（天）：应为整数</a>`)
		assert.Contains(t, res.Body, `name="rectify_days" value="十"`)
		res = adm.postPageForm("/settings/inspections", "/settings/inspections", form(map[string]string{"holidays": "2026-10-01\n2026-13-40"}))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "2026-13-40 不是有效日期")
		assert.Contains(t, res.Body, ">2026-10-01\n2026-13-40</textarea>", "what was typed is kept")
		res = adm.postPageForm("/settings/inspections", "/settings/inspections", form(map[string]string{"holidays": "2026-10-10", "extra_workdays": "2026-10-10"}))
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "2026-10-10 不能既是节假日又是调休上班日")
		assert.Zero(t, e.auditCountSince(mark), "a refusal saves nothing")

		// The manager reads the policy and has no form.
		page = e.login(manager).do(http.MethodGet, "/settings/inspections", nil)
		require.Equal(t, http.StatusOK, page.Code)
		assert.NotContains(t, page.Body, `action="/settings/inspections"`)
		assert.Contains(t, page.Body, `data-setting="rectify_days">10</td>`)
	})
}
