package app_test

import (
	"encoding/json"
	"html"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/models/dbtest"
)

// auditRowRE reads one row of the audit page: its action, kind and actor cell.
var auditRowRE = regexp.MustCompile(`(?s)<tr data-id="\d+">.*?<td class="actor">(.*?)</td>\s*<td class="action" data-action="([a-z_]+)">.*?<td class="entity" data-entity="([a-z_]+)">(.*?)</td>`)

// pageRow is a row of the audit page.
type pageRow struct{ actor, action, entity, entityCell string }

func auditPageRows(t *testing.T, body string) []pageRow {
	t.Helper()
	var out []pageRow
	for _, m := range auditRowRE.FindAllStringSubmatch(body, -1) {
		out = append(out, pageRow{html.UnescapeString(m[1]), m[2], m[3], html.UnescapeString(m[4])})
	}
	return out
}

// TestAuditPage: the audit log reads as a person would — actions and kinds in the page's
// language, a change as field: before → after, the actor by name with login, the
// request id — and each filter (user, kind, action, dates in Beijing time) narrows the
// rows; a bad date or an unknown user is refused beside its field.
func TestAuditPage(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		e.login(trainer) // a login event of the trainer
		id := fixtureUser(e, "audit-target", models.RoleManager, "360102")
		res := adm.do(patch, withID("/api/v1/users/:id", id), map[string]any{"display_name": "东湖新经理"})
		require.Equal(t, ok, res.Code, res.Body)

		// The change, in Chinese and in English.
		page := adm.do(get, "/audit?entity=user&action=update&entity_id="+idStr(id), nil)
		require.Equal(t, ok, page.Code, page.Body)
		rows := auditPageRows(t, page.Body)
		require.Len(t, rows, 1, page.Body)
		assert.Equal(t, "系统管理员 <small>(admin)</small>", rows[0].actor)
		assert.Equal(t, "用户 #"+idStr(id), rows[0].entityCell)
		assert.Contains(t, page.Body, `>修改</td>`)
		assert.Contains(t, page.Body, `<span class="field" data-field="display_name">显示名</span>：<span class="from">audit-target</span> → <span class="to">东湖新经理</span>`)
		var ev models.AuditEvent
		require.NoError(t, db.Where("entity = ? AND action = ? AND entity_id = ?", "user", "update", idStr(id)).Take(&ev).Error)
		require.NotEmpty(t, ev.RequestID)
		assert.Contains(t, page.Body, `<td class="request-id"><small>`+ev.RequestID+`</small></td>`)
		adm.cookies["lang"] = "en"
		page = adm.do(get, "/audit?entity=user&action=update&entity_id="+idStr(id), nil)
		assert.Contains(t, page.Body, `>Updated</td>`)
		assert.Contains(t, page.Body, `User #`+idStr(id))
		assert.Contains(t, page.Body, `<span class="field" data-field="display_name">Display name</span>: <span class="from">audit-target</span> → <span class="to">东湖新经理</span>`)
		delete(adm.cookies, "lang")

		// Each filter narrows the rows to what it names.
		for _, tc := range []struct {
			query string
			keep  func(pageRow) bool
		}{
			{"actor=trainer", func(r pageRow) bool { return strings.Contains(r.actor, "(trainer)") }},
			{"actor=system&entity=org_unit", func(r pageRow) bool { return r.actor == "system" && r.entity == "org_unit" }},
			{"entity=session", func(r pageRow) bool { return r.entity == "session" }},
			{"action=login", func(r pageRow) bool { return r.action == "login" }},
			{"actor=admin&action=update", func(r pageRow) bool { return strings.Contains(r.actor, "(admin)") && r.action == "update" }},
		} {
			page := adm.do(get, "/audit?"+tc.query, nil)
			require.Equal(t, ok, page.Code, "%s: %s", tc.query, page.Body)
			rows := auditPageRows(t, page.Body)
			assert.NotEmpty(t, rows, tc.query)
			for _, r := range rows {
				assert.True(t, tc.keep(r), "%s kept %+v", tc.query, r)
			}
		}
		all := len(auditPageRows(t, adm.do(get, "/audit", nil).Body))
		assert.Less(t, len(auditPageRows(t, adm.do(get, "/audit?actor=trainer", nil).Body)), all)

		// Dates are Beijing days: 23:30 on 1 March is the 1st, 00:30 the next night the 2nd,
		// though both are the 1st in UTC.
		late := models.NewAuditEvent(models.SystemActor, "publish", "exam", "boundary-late", nil)
		late.At = time.Date(2020, 3, 1, 15, 30, 0, 0, time.UTC)
		early := models.NewAuditEvent(models.SystemActor, "publish", "exam", "boundary-early", nil)
		early.At = time.Date(2020, 3, 1, 16, 30, 0, 0, time.UTC)
		require.NoError(t, models.AuditMany(db, []*models.AuditEvent{late, early}))
		ids := func(query string) []string {
			page := adm.do(get, "/audit?entity=exam&action=publish&"+query, nil)
			require.Equal(t, ok, page.Code, page.Body)
			var out []string
			for _, r := range auditPageRows(t, page.Body) {
				out = append(out, strings.TrimPrefix(r.entityCell, "考试 #"))
			}
			return out
		}
		assert.Equal(t, []string{"boundary-late"}, ids("from=2020-03-01&to=2020-03-01"))
		assert.Equal(t, []string{"boundary-early"}, ids("from=2020-03-02&to=2020-03-02"))
		assert.Equal(t, []string{"boundary-early", "boundary-late"}, ids("from=2020-02-28&to=2020-03-02"))
		assert.Empty(t, ids("to=2020-02-29"))

		// Refusals: beside the field, in the summary, with what was typed.
		page = adm.do(get, "/audit?from=2020-13-01&actor=nobody&entity=user", nil)
		assert.Equal(t, http.StatusBadRequest, page.Code)
		assert.Contains(t, page.Body, `href="#audit-from"`)
		assert.Contains(t, page.Body, `href="#audit-actor"`)
		assert.Contains(t, page.Body, `name="from" type="date" value="2020-13-01" aria-invalid="true">`)
		assert.Contains(t, page.Body, `<span class="error">日期格式不正确`)
		assert.Contains(t, page.Body, `value="nobody"`)
		assert.Contains(t, page.Body, `<option value="user" selected>`)
		page = adm.do(get, "/audit?from=2020-03-02&to=2020-03-01", nil)
		assert.Equal(t, http.StatusBadRequest, page.Code)
		assert.Contains(t, page.Body, "截止日期不能早于起始日期")
		assert.Equal(t, http.StatusBadRequest, adm.do(get, "/audit?entity=bogus", nil).Code)

		// The API: the same filters, the actor's name, field errors as a 400 problem.
		var list models.List[models.AuditEvent]
		res = adm.do(get, "/api/v1/audit-events?actor=trainer&per_page=200", nil)
		require.Equal(t, ok, res.Code, res.Body)
		res.JSON(t, &list)
		require.NotZero(t, list.Total)
		for _, ev := range list.Items {
			assert.Equal(t, "trainer", ev.ActorName)
			assert.Equal(t, "培训师（省公司）", ev.ActorDisplayName)
		}
		res = adm.do(get, "/api/v1/audit-events?entity=exam&from=2020-03-02T00:00:00%2B08:00&to=2020-03-03", nil)
		res.JSON(t, &list)
		require.Len(t, list.Items, 1, res.Body)
		assert.Equal(t, "boundary-early", list.Items[0].EntityID)
		for query, field := range map[string]string{"actor=nobody": "actor", "from=yesterday": "from", "from=2020-03-02&to=2020-03-01": "to"} {
			res := adm.do(get, "/api/v1/audit-events?"+query, nil)
			assert.Equal(t, http.StatusBadRequest, res.Code, query)
			var p struct{ Errors []struct{ Field string } }
			res.JSON(t, &p)
			require.Len(t, p.Errors, 1, res.Body)
			assert.Equal(t, field, p.Errors[0].Field, query)
		}
	})
}

// auditWriteRE finds the audit writes of the code: models.Audit(tx, actor, action,
// entity, …) and models.NewAuditEvent(actor, action, entity, …).
var auditWriteRE = regexp.MustCompile(`(?:models\.Audit\(\s*[\w.]+,|models\.NewAuditEvent\()\s*[\w.]+,\s*("?[\w.]+"?),\s*"(\w+)"`)

// TestAuditWritesAreListed: every action and kind of record the code writes to the
// audit log is in the lists the audit page offers, and each listed one has a label in
// both languages. Actions held in variables are named in viaVariables.
func TestAuditWritesAreListed(t *testing.T) {
	viaVariables := []string{"submit", "auto_submit", "verify", "reject", "waive", "import", "reset_password", "change_password"}
	actions, entities := map[string]bool{}, map[string]bool{}
	for _, a := range viaVariables {
		actions[a] = true
	}
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range auditWriteRE.FindAllStringSubmatch(string(b), -1) {
			if strings.HasPrefix(m[1], `"`) {
				actions[strings.Trim(m[1], `"`)] = true
			}
			entities[m[2]] = true
		}
		return nil
	})
	require.NoError(t, err)
	require.Greater(t, len(entities), 20, "the pattern finds the writes")
	for a := range actions {
		assert.Contains(t, models.AuditActions, a, "action %s is written but not listed", a)
	}
	for k := range entities {
		assert.Contains(t, models.AuditEntities, k, "kind %s is written but not listed", k)
	}
	for _, lang := range []string{"zh-CN", "en"} {
		b, err := os.ReadFile(filepath.Join("locales", lang+".admin.json"))
		require.NoError(t, err)
		var cat map[string]string
		require.NoError(t, json.Unmarshal(b, &cat))
		for _, a := range models.AuditActions {
			assert.NotEmpty(t, cat["audit.action."+a], "%s: no label for action %s", lang, a)
		}
		for _, k := range models.AuditEntities {
			assert.NotEmpty(t, cat["audit.entity."+k], "%s: no label for kind %s", lang, k)
		}
	}
	assert.False(t, slices.Contains(models.AuditActions, ""), "no empty action")
}

// TestAuditPageGrants: a user's grants read as role · unit in the audit log, not as the
// JSON they are stored as, before → after when they change.
func TestAuditPageGrants(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		id := fixtureUser(e, "grant-target", models.RoleManager, "360102")
		res := adm.do(patch, withID("/api/v1/users/:id", id), map[string]any{"grants": []map[string]any{
			{"role": models.RoleManager, "org_unit_id": e.unit("360102")}, {"role": models.RoleInspector, "org_unit_id": e.unit("3601")}}})
		require.Equal(t, ok, res.Code, res.Body)
		page := adm.do(get, "/audit?entity=user&action=update&entity_id="+idStr(id), nil)
		require.Equal(t, ok, page.Code, page.Body)
		assert.Contains(t, page.Body, `<span class="from">分公司经理 · 东湖区分公司</span> → <span class="to">分公司经理 · 东湖区分公司；督导员 · 南昌市分公司</span>`)
		assert.NotContains(t, page.Body, `org_unit_id`)
	})
}

// A status in a change reads as its record kind's pages show it, in the page's
// language, not as the code it is stored as.
func TestAuditPageStatuses(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		id := e.employee("360102001")
		res := adm.do(patch, withID("/api/v1/employees/:id", id), map[string]any{"status": models.StatusOnLeave})
		require.Equal(t, ok, res.Code, res.Body)

		page := adm.do(get, "/audit?entity=employee&action=update&entity_id="+idStr(id), nil)
		require.Equal(t, ok, page.Code, page.Body)
		assert.Contains(t, page.Body, `data-field="status">状态</span>：<span class="from">在岗</span> → <span class="to">休假</span>`)
		adm.cookies["lang"] = "en"
		page = adm.do(get, "/audit?entity=employee&action=update&entity_id="+idStr(id), nil)
		assert.Contains(t, page.Body, `<span class="from">Active</span> → <span class="to">On leave</span>`)
	})
}

// A unit in a change reads as its name, not as the id it is stored as.
func TestAuditPageUnits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		adm := e.login(admin)
		id := e.employee("360102001")
		res := adm.do(patch, withID("/api/v1/employees/:id", id), map[string]any{"org_unit_id": e.unit("360103")})
		require.Equal(t, ok, res.Code, res.Body)

		page := adm.do(get, "/audit?entity=employee&action=update&entity_id="+idStr(id), nil)
		require.Equal(t, ok, page.Code, page.Body)
		assert.Contains(t, page.Body, `data-field="org_unit_id">单位</span>：<span class="from">东湖区分公司</span> → <span class="to">西湖区分公司</span>`)
	})
}
