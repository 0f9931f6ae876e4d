package browser_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// An admin creates a login for an employee with a manager grant on 东湖区, the new
// manager signs in with it, the admin moves five points of ranking weight from 现场服务
// to 整改落实, and reads both changes in the audit log, in words.
func TestAdminInTheBrowser(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		s := newSite(t, db)
		admin := s.open(desktop)
		admin.login("admin")
		emp := employeeWithoutLogin(t, db, "360102-02")
		dongHu := unitID(t, db, "360102")

		// A refusal first: no password. What was typed stays.
		admin.visit("/users/new")
		admin.allow(422)
		admin.run(chromedp.SendKeys(chromedp.CSS(`#user-form input[name="job_number"]`), emp.JobNumber),
			chromedp.SendKeys(chromedp.CSS(`#user-form input[name="username"]`), "dh-manager2"),
			chromedp.SetValue(chromedp.CSS(`#user-form select[name="role"]`), models.RoleManager),
			chromedp.SetValue(chromedp.CSS(`#user-form select[name="org_unit_id"]`), fmt.Sprint(dongHu)),
			admin.press(`#user-form button[type="submit"]`),
			chromedp.WaitVisible(chromedp.CSS(`#error-summary`)))
		assert.Equal(t, "dh-manager2", get(admin, chromedp.Value(chromedp.CSS(`#user-form input[name="username"]`))), "the refusal keeps the username")
		assert.Equal(t, 1, admin.count(`#error-summary a[href="#password"]`), "the summary links the password field")
		assert.Equal(t, "error-summary", get(admin, chromedp.Evaluate[string](`document.activeElement.id`)), "the page opens at the summary")
		admin.run(chromedp.SendKeys(chromedp.CSS(`#user-form input[name="password"]`), "Dh-manager-2026"),
			admin.press(`#user-form button[type="submit"]`),
			chromedp.WaitNotPresent(chromedp.CSS(`#user-form`)))
		assert.Contains(t, admin.text("main"), "东湖区", "the user's page lists the grant")
		admin.noProblems("creating a user")

		mgr := s.open(phone)
		mgr.loginWith("dh-manager2", "Dh-manager-2026")
		assert.Contains(t, mgr.text("main"), "东湖区")
		mgr.noProblems("the new manager's first sign-in")

		// A setting: weights stay whole numbers summing to 100.
		admin.visit("/settings/ranking")
		admin.run(chromedp.SetValue(chromedp.CSS(`input[name="weights.site"]`), "25"),
			chromedp.SetValue(chromedp.CSS(`input[name="weights.rectification"]`), "20"),
			admin.press(`form[action="/settings/ranking"] button[type="submit"]`),
			chromedp.WaitVisible(chromedp.CSS(`main .ok`)))
		assert.Equal(t, "25", get(admin, chromedp.Value(chromedp.CSS(`input[name="weights.site"]`))))
		admin.noProblems("changing a setting")

		// Both in the audit log, as a person reads it.
		admin.visit("/audit")
		log := admin.text("table.audit tbody")
		assert.Contains(t, log, "dh-manager2")
		assert.Contains(t, log, "30 → 25", "the weight change reads before → after")
		assert.Contains(t, log, "15 → 20")
		admin.visit("/audit?entity=user")
		assert.Contains(t, admin.text("table.audit tbody"), "dh-manager2")
		assert.NotContains(t, admin.text("table.audit tbody"), "30 → 25", "the kind filter keeps only users")
		admin.shot("audit")
		admin.noProblems("the audit log")
	})
}

// employeeWithoutLogin is an active employee under the unit code prefix with no user.
func employeeWithoutLogin(t *testing.T, db *gorm.DB, prefix string) models.Employee {
	t.Helper()
	var emp models.Employee
	require.NoError(t, db.Where("status = ? AND job_number LIKE ?", models.StatusActive, prefix+"%").
		Where("NOT EXISTS (SELECT 1 FROM users u WHERE u.employee_id = employees.id)").
		Order("job_number").Take(&emp).Error)
	require.True(t, strings.HasPrefix(emp.JobNumber, prefix))
	return emp
}
