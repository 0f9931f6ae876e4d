package app_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
)

// TestCasePagesFromFinding walks a case on the pages (R6): the finding's "立案问责" link
// opens a form prefilled with it and listing the outlet's staff; a refused form keeps
// what was typed; a decision before the statement is refused with R6.8's message; the
// statement, then a penalty typed in yuan stored exactly in cents; one audit row per
// form, none on refusal.
func TestCasePagesFromFinding(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		f := e.freshFinding("360102-01")
		insp := e.login(inspector)
		res := insp.do(http.MethodGet, fmt.Sprintf("/inspections/%d", f.InspectionID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		link := fmt.Sprintf("/cases/new?finding_id=%d", f.ID)
		assert.Contains(t, res.Body, `href="`+link+`"`)
		// The employee (not a case role) gets no such link on any page.
		res = e.login(employee).do(http.MethodGet, link, nil)
		assert.Equal(t, http.StatusForbidden, res.Code)

		res = insp.do(http.MethodGet, link, nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		assert.Contains(t, res.Body, "检查发现："+f.Text)
		assert.Contains(t, res.Body, fmt.Sprintf(`name="finding_ids" value="%d"`, f.ID))
		assert.Contains(t, res.Body, fmt.Sprintf(`name="org_unit_id" value="%d"`, e.unit("360102-01")))
		person := e.employee("360102-01001")
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" >`, person))
		assert.NotContains(t, res.Body, e.units["360402-01"].Name)

		form := url.Values{"org_unit_id": {idStr(e.unit("360102-01"))}, "source": {"finding"}, "finding_ids": {idStr(f.ID)},
			"title": {"收费标准未公示"}, "summary": {"营业厅未张贴收费标准（R1.3）"}, "employee_ids": {idStr(person)}}
		mark := e.lastAuditID()
		res = insp.postPageForm(link, "/cases", form)
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "问责情形：必填")
		assert.Contains(t, res.Body, "营业厅未张贴收费标准（R1.3）", "what was typed stays")
		assert.Contains(t, res.Body, fmt.Sprintf(`<option value="%d" selected>`, person))
		assert.Zero(t, e.auditCountSince(mark))

		form["grounds"] = []string{models.GroundServiceRules, models.GroundDereliction}
		res = insp.postPageForm(link, "/cases", form)
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("open", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var c models.AccountabilityCase
		require.NoError(t, db.Where("title = ?", "收费标准未公示").Take(&c).Error)
		page := fmt.Sprintf("/cases/%d", c.ID)
		assert.Equal(t, page+"?done=open", res.Header.Get("Location"))
		assert.Equal(t, models.CaseFromFinding, c.Source)
		ids, err := models.CaseFindingIDs(context.Background(), db, c.ID)
		require.NoError(t, err)
		assert.Equal(t, []uint{f.ID}, ids)
		var p models.CasePerson
		require.NoError(t, db.Where("case_id = ?", c.ID).Take(&p).Error)

		res = insp.do(http.MethodGet, page+"?done=open", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "已立案")
		decide := fmt.Sprintf("%s/persons/%d/decision", page, p.ID)
		assert.Contains(t, res.Body, `action="`+decide+`"`)
		assert.Contains(t, res.Body, `action="`+page+`/close"`)

		// R6.8: no decision before the statement or the end of its window.
		mark = e.lastAuditID()
		res = insp.postPageForm(page, decide, url.Values{"severity": {"minor"}, "outcome": {"warning"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Contains(t, res.Body, "当事人：须先听取并记录当事人的陈述和申辩")
		assert.Contains(t, res.Body, fmt.Sprintf(`id="person-%d"`, p.ID))
		assert.Zero(t, e.auditCountSince(mark))

		res = insp.postPageForm(page, fmt.Sprintf("%s/persons/%d/statement", page, p.ID), url.Values{"statement": {"当天收费标准被客户撕下，正在重印。"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		mark = e.lastAuditID()

		// A penalty in yuan: a third decimal is refused with the field named; an outcome
		// R6.5 does not allow for the severity is refused; both keep what was typed.
		res = insp.postPageForm(page, decide, url.Values{"severity": {"very_serious"}, "outcome": {"penalty"}, "penalty_yuan": {"12.345"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "罚款金额：请填写以元为单位的金额")
		assert.Contains(t, res.Body, `value="12.345"`)
		res = insp.postPageForm(page, decide, url.Values{"severity": {"minor"}, "outcome": {"penalty"}, "penalty_yuan": {"200"},
			"mit": {"apologised"}, "mit_ev_apologised": {"客户已表示谅解"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "处理结果：处理结果与情节不相称")
		assert.Contains(t, res.Body, `value="客户已表示谅解"`)
		// A ticked factor without evidence is named by its factor.
		res = insp.postPageForm(page, decide, url.Values{"severity": {"serious"}, "outcome": {"no_awards"}, "agg": {"obstruction"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "从重情节「阻挠调查」证据：必填")
		// R6.5: leadership responsibility is refused for a minor severity; the box stays ticked.
		assert.Contains(t, res.Body, `name="leader_accountable" value="1" >`)
		res = insp.postPageForm(page, decide, url.Values{"severity": {"minor"}, "outcome": {"warning"}, "leader_accountable": {"1"}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "领导责任：情节轻微的不追究领导责任")
		assert.Contains(t, res.Body, `name="leader_accountable" value="1" checked>`)
		assert.Zero(t, e.auditCountSince(mark))

		res = insp.postPageForm(page, decide, url.Values{"severity": {"very_serious"}, "outcome": {"penalty"}, "penalty_yuan": {"1234.5"},
			"agg": {"obstruction"}, "agg_ev_obstruction": {"拒绝提供监控录像"}, "note": {"按制度处罚"}, "leader_accountable": {"1"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, fmt.Sprintf("%s?done=decision#person-%d", page, p.ID), res.Header.Get("Location"))
		assert.Equal(t, int64(1), e.auditOf("decide", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		require.NoError(t, db.Take(&p, p.ID).Error)
		assert.Equal(t, int64(123450), p.PenaltyCents)
		assert.Equal(t, models.OutcomePenalty, p.Outcome)
		assert.True(t, p.LeaderAccountable)
		require.Len(t, p.Aggravating, 1)
		assert.Equal(t, models.Factor{Code: models.AggObstruction, Evidence: "拒绝提供监控录像"}, p.Aggravating[0])

		res = insp.do(http.MethodGet, page+"?done=decision", nil)
		assert.Contains(t, res.Body, "处理决定已作出")
		assert.Contains(t, res.Body, "¥1234.50")
		assert.Contains(t, res.Body, "追究主要负责人领导责任")
		assert.Contains(t, res.Body, "已处理", "the only person is decided: the case is decided")
		assert.NotContains(t, res.Body, `action="`+decide+`"`)
		assert.NotContains(t, res.Body, `action="`+page+`/close"`)

		// Decided is final: another decision is refused.
		mark = e.lastAuditID()
		res = sendRow(insp, http.MethodPost, decide, formBody{"severity": {"minor"}, "outcome": {"warning"}})
		assert.Equal(t, http.StatusConflict, res.Code)
		assert.Zero(t, e.auditCountSince(mark))
	})
}

// TestCasePagesComplaintRepeatAndClose: a complaint case is opened for a unit chosen on
// the form; the repeat factor of R6.6 comes ticked when the person was decided on
// within the year; a case is closed with a reason, and not without one.
func TestCasePagesComplaintRepeatAndClose(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		ctx := context.Background()
		svc := accountability.NewService(e.db, policy.NewService(e.db), time.UTC)
		sys := accountability.Caller{Actor: models.SystemActor, Scope: models.ScopeAll}
		prior := e.freshCase("360102", "360102-01001", true)
		var pp models.CasePerson
		require.NoError(t, db.Where("case_id = ?", prior.ID).Take(&pp).Error)
		_, err := svc.Decide(ctx, sys, prior.ID, pp.ID, accountability.DecisionInput{Severity: "minor", Outcome: "warning"})
		require.NoError(t, err)

		mgr := e.login(manager)
		res := mgr.do(http.MethodGet, "/cases", nil)
		assert.Contains(t, res.Body, `href="/cases/new"`)
		res = mgr.do(http.MethodGet, "/cases/new", nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, "请先选择案件发生的单位")
		assert.NotContains(t, res.Body, `name="employee_ids"`)
		from := "/cases/new?unit_id=" + idStr(e.unit("360102"))
		res = mgr.do(http.MethodGet, from, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `name="complaint_ref"`)
		mark := e.lastAuditID()
		res = mgr.postPageForm(from, "/cases", url.Values{"org_unit_id": {idStr(e.unit("360102"))}, "source": {"complaint"},
			"complaint_ref": {"TS-2026-0042"}, "title": {"再次推诿客户"}, "summary": {"同一营业员再次被投诉"},
			"grounds": {models.GroundServiceRules}, "employee_ids": {idStr(e.employee("360102-01001"))}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		var c models.AccountabilityCase
		require.NoError(t, db.Where("complaint_ref = ?", "TS-2026-0042").Take(&c).Error)
		page := fmt.Sprintf("/cases/%d", c.ID)

		// R6.6: the earlier decided case makes the repeat factor ticked, its number the evidence.
		res = mgr.do(http.MethodGet, page, nil)
		require.Equal(t, http.StatusOK, res.Code)
		assert.Contains(t, res.Body, `name="agg" value="repeat_in_year" checked`)
		assert.Contains(t, res.Body, `name="agg_ev_repeat_in_year" maxlength="1000" value="`+prior.Number+`"`)
		assert.NotContains(t, res.Body, `name="agg" value="obstruction" checked`)

		mark = e.lastAuditID()
		res = mgr.postPageForm(page, page+"/close", url.Values{"reason": {""}})
		assert.Equal(t, http.StatusUnprocessableEntity, res.Code)
		assert.Contains(t, res.Body, "原因：必填")
		assert.Zero(t, e.auditCountSince(mark))
		res = mgr.postPageForm(page, page+"/close", url.Values{"reason": {"经调查投诉不属实"}})
		require.Equal(t, http.StatusSeeOther, res.Code, res.Body)
		assert.Equal(t, int64(1), e.auditOf("close", mark))
		assert.Equal(t, int64(1), e.auditCountSince(mark))
		res = mgr.do(http.MethodGet, page+"?done=close", nil)
		assert.Contains(t, res.Body, "经调查投诉不属实")
		assert.NotContains(t, res.Body, `name="statement"`)
		res = sendRow(mgr, http.MethodPost, page+"/close", formBody{"reason": {"再结一次"}})
		assert.Equal(t, http.StatusConflict, res.Code)
	})
}

// TestYuanOnPageIsExactCents: amounts typed in yuan become cents by their digits.
func TestYuanOnPageIsExactCents(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		insp := e.login(inspector)
		for yuan, cents := range map[string]int64{"0.1": 10, "0.29": 29, "1000000": 100000000, " 19.99 ": 1999} {
			c := e.freshCase("360102", "360102-01001", true)
			var p models.CasePerson
			require.NoError(t, db.Where("case_id = ?", c.ID).Take(&p).Error)
			res := sendRow(insp, http.MethodPost, fmt.Sprintf("/cases/%d/persons/%d/decision", c.ID, p.ID),
				formBody{"severity": {"very_serious"}, "outcome": {"penalty"}, "penalty_yuan": {yuan}})
			require.Equal(t, http.StatusSeeOther, res.Code, "%s: %s", yuan, res.Body)
			require.NoError(t, db.Take(&p, p.ID).Error)
			assert.Equal(t, cents, p.PenaltyCents, yuan)
		}
		for _, bad := range []string{"1e3", "-5", "1,000", "0.001", "１０"} {
			c := e.freshCase("360102", "360102-01001", true)
			var p models.CasePerson
			require.NoError(t, db.Where("case_id = ?", c.ID).Take(&p).Error)
			res := sendRow(insp, http.MethodPost, fmt.Sprintf("/cases/%d/persons/%d/decision", c.ID, p.ID),
				formBody{"severity": {"very_serious"}, "outcome": {"penalty"}, "penalty_yuan": {bad}})
			assert.Equal(t, http.StatusUnprocessableEntity, res.Code, bad)
		}
	})
}
