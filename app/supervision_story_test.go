package app_test

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/accountability"
	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/patrols"
	"quality/rectifications"
)

// TestSupervisionStory is issue 4's "done when", in the order the README walks it: the
// office publishes a template and plans a patrol; the inspector completes the visit
// with a photo on a failed item; the rectification appears for the branch manager, who
// submits evidence; a different inspector verifies it; and an accountability case opened
// from the finding cannot be decided before the person's statement is recorded.
func TestSupervisionStory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		admin, inspector, inspector2, manager := e.login("admin"), e.login("inspector"), e.login("inspector2"), e.login("manager")
		outlet := e.unit("360102-01")
		today := time.Now().In(time.FixedZone("CST", 8*3600)).Format(time.DateOnly)

		// 1. The provincial office publishes a two-item checklist.
		res := admin.do(http.MethodPost, "/api/v1/checklist-templates", inspections.TemplateInput{
			Code: "STORY", Title: "营业厅公示专项检查",
			Sections: []inspections.SectionInput{{Title: "公示", Items: []inspections.ItemInput{
				{Key: "1", Text: "收费项目和标准公示", RuleRef: "R1.3", Response: models.ResponsePassFail, Weight: 2, Required: true, EvidenceOnFail: true},
				{Key: "2", Text: "不推诿，履行首问责任", RuleRef: "R2.1", Response: models.ResponsePassFail, Weight: 1, Required: true, Critical: true},
			}}},
		})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var tpl models.ChecklistTemplate
		res.JSON(t, &tpl)
		res = admin.do(http.MethodPost, fmt.Sprintf("/api/v1/checklist-templates/%d/publish", tpl.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)

		// 2. It plans the inspector's patrol of 东湖区 with one visit due today.
		var inspectorUser models.User
		require.NoError(t, db.Where("username = ?", "inspector").Take(&inspectorUser).Error)
		due, err := models.ParseDate(today)
		require.NoError(t, err)
		res = admin.do(http.MethodPost, "/api/v1/patrol-plans", patrols.PlanInput{
			Title: "东湖区营业厅巡查", InspectorID: inspectorUser.ID, OrgUnitID: e.unit("360102"), TemplateCode: "STORY",
			StartsOn: due, EndsOn: due, Stops: []patrols.StopInput{{OrgUnitID: outlet, DueOn: due}},
		})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var plan patrols.PlanView
		res.JSON(t, &plan)
		require.Len(t, plan.Stops, 1)
		stop := plan.Stops[0].ID

		// 3. The inspector visits: item 1 fails with a note and a photo, item 2 passes.
		start := inspections.StartInput{ClientID: "phone-7f3a-0001", TemplateID: tpl.ID, OrgUnitID: outlet, PatrolStopID: &stop}
		res = inspector.do(http.MethodPost, "/api/v1/inspections", start)
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var ins inspections.InspectionView
		res.JSON(t, &ins)
		res = inspector.do(http.MethodPost, "/api/v1/inspections", start) // the phone retries
		require.Equal(t, http.StatusOK, res.Code, "a retried start returns the same inspection: %s", res.Body)
		zero := 0
		res = inspector.do(http.MethodPut, fmt.Sprintf("/api/v1/inspections/%d/items/1", ins.ID),
			inspections.SaveItemInput{Outcome: models.OutcomeFail, Note: "收费标准未上墙", Rev: &zero})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = inspector.do(http.MethodPut, fmt.Sprintf("/api/v1/inspections/%d/items/1", ins.ID),
			inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: &zero})
		require.Equal(t, http.StatusConflict, res.Code, "an edit based on a stale revision: %s", res.Body)
		res = inspector.do(http.MethodPut, fmt.Sprintf("/api/v1/inspections/%d/items/2", ins.ID),
			inspections.SaveItemInput{Outcome: models.OutcomePass, Rev: &zero})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/inspections/%d/submit", ins.ID), inspections.SubmitInput{Confirmation: "督导员"})
		require.Equal(t, http.StatusUnprocessableEntity, res.Code, "a failed item without its photo: %s", res.Body)
		assert.Contains(t, res.Body, "items[1].photos")
		res = inspector.upload(fmt.Sprintf("/api/v1/inspections/%d/items/1/photos", ins.ID), "file", "wall.png", testPNG(t))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/inspections/%d/submit", ins.ID), inspections.SubmitInput{Confirmation: "督导员"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res.JSON(t, &ins)
		require.NotNil(t, ins.Score)
		assert.Equal(t, "33.33", ins.Score.String(), "1 of 3 weighted points")
		assert.Equal(t, models.ResultFail, ins.Result)
		require.Len(t, ins.Findings, 1)
		finding := ins.Findings[0]

		res = admin.do(http.MethodGet, fmt.Sprintf("/api/v1/patrol-plans/%d", plan.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res.JSON(t, &plan)
		assert.Equal(t, 1, plan.Coverage.Done, "the visit covered the planned stop")

		// 4. The rectification appears for the branch manager, due in 7 days.
		res = manager.do(http.MethodGet, "/api/v1/rectifications?status=open", nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var open models.List[rectifications.View]
		res.JSON(t, &open)
		require.Len(t, open.Items, 1)
		rect := open.Items[0]
		assert.Equal(t, finding.ID, rect.FindingID)
		assert.Equal(t, due.Time().AddDate(0, 0, 7), rect.DueOn.Time())

		// 5. The manager answers with a photo and a text.
		res = manager.upload(fmt.Sprintf("/api/v1/rectifications/%d/photos", rect.ID), "file", "fixed.png", testPNG(t))
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		res = manager.do(http.MethodPost, fmt.Sprintf("/api/v1/rectifications/%d/submit", rect.ID),
			rectifications.EvidenceInput{Revision: rect.Revision, Text: "已将收费标准公示上墙"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var moved rectifications.Detail
		res.JSON(t, &moved)
		assert.Equal(t, models.RectSubmitted, moved.Status)

		// 6. A different inspector, of the province, verifies it; the manager could not.
		res = manager.do(http.MethodPost, fmt.Sprintf("/api/v1/rectifications/%d/verify", rect.ID), rectifications.VerifyInput{Revision: moved.Revision})
		require.Equal(t, http.StatusForbidden, res.Code, res.Body)
		res = inspector2.do(http.MethodPost, fmt.Sprintf("/api/v1/rectifications/%d/verify", rect.ID),
			rectifications.VerifyInput{Revision: moved.Revision, Note: "复查已公示"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = manager.do(http.MethodGet, fmt.Sprintf("/api/v1/rectifications/%d", rect.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res.JSON(t, &moved)
		assert.Equal(t, models.RectVerified, moved.Status)
		var steps []string
		for _, ev := range moved.Timeline {
			steps = append(steps, ev.To)
		}
		assert.Equal(t, []string{models.RectOpen, models.RectSubmitted, models.RectVerified}, steps)

		// 7. A case from the finding: no decision before the statement (R6.8).
		res = inspector.do(http.MethodPost, "/api/v1/cases", accountability.OpenInput{
			Title: "收费标准未公示", OrgUnitID: outlet, Source: models.CaseFromFinding, FindingIDs: []uint{finding.ID},
			Summary: "督导检查发现收费标准未上墙（R1.3）", Grounds: []string{models.GroundServiceRules},
			EmployeeIDs: []uint{e.employee("360102-01001")},
		})
		require.Equal(t, http.StatusCreated, res.Code, res.Body)
		var c accountability.CaseView
		res.JSON(t, &c)
		res = manager.do(http.MethodGet, fmt.Sprintf("/api/v1/cases/%d", c.ID), nil)
		require.Equal(t, http.StatusOK, res.Code, "the branch manager sees the case: %s", res.Body)
		res.JSON(t, &c)
		require.Len(t, c.Persons, 1)
		assert.False(t, c.Persons[0].Decidable)
		person := c.Persons[0].ID
		decision := accountability.DecisionInput{Severity: models.SeverityMinor, Outcome: models.OutcomeWarning, Note: "情节轻微，给予警告"}
		before := e.auditCount()
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/persons/%d/decision", c.ID, person), decision)
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Contains(t, res.Body, "case_statement_pending")
		assert.Equal(t, before, e.auditCount(), "a refusal writes nothing")
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/persons/%d/statement", c.ID, person),
			accountability.StatementInput{Statement: "当天公示牌送修，未及时补挂。"})
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/persons/%d/decision", c.ID, person), decision)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		res = inspector.do(http.MethodPost, fmt.Sprintf("/api/v1/cases/%d/persons/%d/decision", c.ID, person), decision)
		require.Equal(t, http.StatusConflict, res.Code, "a decision never changes: %s", res.Body)

		// The finding the decision rests on cannot be deleted.
		res = admin.do(http.MethodDelete, fmt.Sprintf("/api/v1/findings/%d", finding.ID), nil)
		require.Equal(t, http.StatusConflict, res.Code, res.Body)
		assert.Contains(t, res.Body, "finding_in_case")
	})
}
