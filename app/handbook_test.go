package app_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/app"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/training"
)

// problemOf decodes a problem+json response.
func problemOf(t *testing.T, res response) app.Problem {
	t.Helper()
	assert.Equal(t, "application/problem+json; charset=utf-8", res.Header.Get("Content-Type"))
	var p app.Problem
	res.JSON(t, &p)
	return p
}

// fieldCodes maps each field of a problem to its code, and checks every field has a message.
func fieldCodes(t *testing.T, p app.Problem) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, f := range p.Errors {
		out[f.Field] = f.Code
		assert.NotEmpty(t, f.Message)
		assert.NotEqual(t, "field."+f.Code, f.Message, "no message for %s", f.Code)
	}
	return out
}

// The handbook over HTTP (issue 3, "done when": publish a handbook and see who has not
// acknowledged it): a trainer writes and publishes a major version, the employee finds
// it pending and acknowledges it once, the manager of 东湖区 sees the figures, the list
// and the workbook of their branch only.
func TestHandbookOverHTTP(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		tr := e.login(trainer)

		// The seeded 1.0 is current.
		res := tr.do(http.MethodGet, "/api/v1/handbook", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var view training.HandbookView
		res.JSON(t, &view)
		assert.Equal(t, seeds.HandbookV1Version, view.Version.Version)
		assert.Equal(t, models.HandbookPublished, view.Version.Status)
		v10 := view.Version.ID

		// Bad drafts: every field named, in Chinese by default.
		res = tr.do(http.MethodPost, "/api/v1/handbook/versions", map[string]any{"version": "2", "title": " ", "body": ""})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Equal(t, map[string]string{"version": "invalid_version", "title": "required", "body": "required"}, fieldCodes(t, problemOf(t, res)))
		assert.Contains(t, res.Body, "版本号应为")
		res = tr.do(http.MethodPost, "/api/v1/handbook/versions", map[string]any{"version": "2.0", "title": "x", "body": "y", "status": "published"})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Equal(t, map[string]string{"status": "unknown_field"}, fieldCodes(t, problemOf(t, res)), "nobody publishes by setting a field")
		res = tr.do(http.MethodPost, "/api/v1/handbook/versions", map[string]any{"version": "1.0", "title": "x", "body": "y"})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)
		assert.Equal(t, map[string]string{"version": "version_not_increasing"}, fieldCodes(t, problemOf(t, res)))

		// Draft 2.0, edited, then published.
		before := e.auditCount()
		res = tr.do(http.MethodPost, "/api/v1/handbook/versions", map[string]any{"version": "2.0", "title": "员工服务手册", "body": "# 第二版\n\n首问负责（R2.1）。"})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var d models.HandbookVersion
		res.JSON(t, &d)
		assert.Equal(t, models.HandbookDraft, d.Status)
		assert.Equal(t, 2, d.Major)
		draftURL := "/api/v1/handbook/versions/" + idStr(d.ID)
		res = tr.do(http.MethodPut, draftURL, map[string]any{"version": "2.0", "title": "员工服务手册（第二版）", "body": "# 第二版\n\n一次性告知（R2.5）。"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = tr.do(http.MethodPost, draftURL+"/publish", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var v20 models.HandbookVersion
		res.JSON(t, &v20)
		assert.True(t, v20.Current)
		assert.NotNil(t, v20.PublishedAt)
		assert.Equal(t, "员工服务手册（第二版）", v20.Title)
		assert.EqualValues(t, 3, e.auditCount()-before, "create, update, publish: one audit event each")

		// A published version is immutable: 409, and nothing changes.
		res = tr.do(http.MethodPut, draftURL, map[string]any{"version": "2.0", "title": "偷改", "body": "偷改"})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Equal(t, map[string]string{"id": "version_published"}, fieldCodes(t, problemOf(t, res)))
		res = tr.do(http.MethodPut, "/api/v1/handbook/versions/"+idStr(v10), map[string]any{"version": "1.0", "title": "偷改", "body": "偷改"})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		got, err := models.GetHandbookVersion(t.Context(), db, d.ID)
		require.NoError(t, err)
		assert.Equal(t, "员工服务手册（第二版）", got.Title)
		res = tr.do(http.MethodPut, "/api/v1/handbook/versions/999999", map[string]any{"version": "3.0", "title": "x", "body": "y"})
		require.Equal(t, http.StatusNotFound, res.Code, res.Body)

		// 2.0 is a major version: the employee is pending.
		emp := e.login(employee)
		res = emp.do(http.MethodGet, "/api/v1/handbook", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		view = training.HandbookView{}
		res.JSON(t, &view)
		assert.Equal(t, v20.ID, view.Version.ID)
		assert.True(t, view.Pending)
		assert.Nil(t, view.Acknowledgement)

		// The text they read is no longer current: their click must not accept 2.0.
		res = emp.do(http.MethodPost, "/api/v1/handbook/acknowledgements", map[string]any{"version_id": v10})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Equal(t, map[string]string{"version_id": "version_not_current"}, fieldCodes(t, problemOf(t, res)))
		res = emp.do(http.MethodPost, "/api/v1/handbook/acknowledgements", map[string]any{})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, res.Body)

		// Acknowledged once, with address and browser; a retry returns the same record.
		ack := func() response {
			req := httptest.NewRequest(http.MethodPost, "/api/v1/handbook/acknowledgements", strings.NewReader(`{"version_id":`+idStr(v20.ID)+`}`))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("User-Agent", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)")
			return emp.send(req)
		}
		before = e.auditCount()
		res = ack()
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var a models.Acknowledgement
		res.JSON(t, &a)
		assert.Equal(t, v20.ID, a.VersionID)
		assert.Equal(t, e.employee("360102-01001"), a.EmployeeID)
		assert.Equal(t, "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X)", a.UserAgent)
		assert.NotEmpty(t, a.IP)
		require.NotNil(t, a.UserID)
		res = ack()
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var again models.Acknowledgement
		res.JSON(t, &again)
		assert.Equal(t, a.ID, again.ID)
		assert.EqualValues(t, 1, e.auditCount()-before, "one acknowledgement, one audit event")

		res = emp.do(http.MethodGet, "/api/v1/handbook", nil)
		view = training.HandbookView{}
		res.JSON(t, &view)
		assert.False(t, view.Pending)
		require.NotNil(t, view.Acknowledgement)
		assert.Equal(t, a.ID, view.Acknowledgement.ID)

		// The admin has no employee: nothing to acknowledge.
		res = e.login(admin).do(http.MethodPost, "/api/v1/handbook/acknowledgements", map[string]any{"version_id": v20.ID})
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Equal(t, map[string]string{"user": "handbook_no_employee"}, fieldCodes(t, problemOf(t, res)))

		// The manager of 东湖区: exact figures for the branch, where only the employee
		// has acknowledged 2.0.
		var activeInBranch int64
		require.NoError(t, db.Model(&models.Employee{}).Where("status = ? AND org_unit_id IN (SELECT id FROM org_units WHERE path LIKE ?)",
			models.StatusActive, e.units["360102"].Path+"%").Count(&activeInBranch).Error)
		mgr := e.login(manager)
		res = mgr.do(http.MethodGet, "/api/v1/handbook/coverage", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var cov training.Coverage
		res.JSON(t, &cov)
		assert.Equal(t, "2.0", cov.Version.Version)
		assert.Equal(t, activeInBranch, cov.Total.Targeted)
		assert.EqualValues(t, 1, cov.Total.Acknowledged)
		assert.Equal(t, activeInBranch-1, cov.Total.Pending)
		require.NotEmpty(t, cov.Units)
		assert.Equal(t, "360102", cov.Units[0].Code)
		assert.Equal(t, cov.Total, cov.Units[0].Figures, "the branch row is the manager's total")
		for _, u := range cov.Units {
			assert.True(t, strings.HasPrefix(u.Code, "360102"), "the manager sees %s", u.Code)
		}
		var sum int64
		for _, p := range cov.Positions {
			sum += p.Targeted
		}
		assert.Equal(t, activeInBranch, sum, "positions add up to the total")

		res = mgr.do(http.MethodGet, "/api/v1/handbook/pending?per_page=200", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var pending training.PendingList
		res.JSON(t, &pending)
		assert.Equal(t, activeInBranch-1, pending.Total)
		var jobs []string
		for _, p := range pending.Items {
			jobs = append(jobs, p.JobNumber)
			assert.Equal(t, models.StatusActive, p.Status)
		}
		assert.NotContains(t, jobs, "360102-01001", "the employee has acknowledged")
		assert.IsIncreasing(t, jobs)

		// The workbook holds the same list.
		res = mgr.do(http.MethodGet, "/api/v1/handbook/pending.xlsx", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Equal(t, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", res.Header.Get("Content-Type"))
		assert.Contains(t, res.Header.Get("Content-Disposition"), "attachment")
		x, err := excelize.OpenReader(strings.NewReader(res.Body))
		require.NoError(t, err)
		defer x.Close()
		assert.Equal(t, []string{training.PendingSheet}, x.GetSheetList())
		rows, err := x.GetRows(training.PendingSheet)
		require.NoError(t, err)
		require.Len(t, rows, len(jobs)+1)
		assert.Equal(t, []string{"工号", "姓名", "单位编码", "单位", "岗位", "入职日期", "电话"}, rows[0])
		for i, r := range rows[1:] {
			assert.Equal(t, jobs[i], r[0])
			assert.Equal(t, pending.Items[i].Name, r[1])
			assert.Equal(t, pending.Items[i].OrgUnit.Code, r[2])
			assert.Equal(t, pending.Items[i].OrgUnit.Name, r[3])
		}

		// Filters: a position, out of scope, malformed.
		res = mgr.do(http.MethodGet, "/api/v1/handbook/pending?position=installer", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		pending = training.PendingList{}
		res.JSON(t, &pending)
		for _, p := range pending.Items {
			assert.Equal(t, models.PositionInstaller, p.Position)
		}
		for _, url := range []string{"/api/v1/handbook/coverage?unit_id=", "/api/v1/handbook/pending?unit_id=", "/api/v1/handbook/pending.xlsx?unit_id="} {
			res = mgr.do(http.MethodGet, url+idStr(e.unit("360402")), nil)
			require.Equal(t, http.StatusNotFound, res.Code, "%s: %s", url, res.Body)
		}
		res = mgr.do(http.MethodGet, "/api/v1/handbook/coverage?position=boss&unit_id=1%20OR%201=1&level=x", nil)
		require.Equal(t, http.StatusBadRequest, res.Code, res.Body)
		assert.Equal(t, map[string]string{"position": "invalid_choice", "unit_id": "invalid", "level": "invalid_choice"}, fieldCodes(t, problemOf(t, res)))
	})
}
