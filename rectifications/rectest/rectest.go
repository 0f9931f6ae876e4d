// Package rectest makes findings and their open rectifications directly in the
// database, standing in for an inspection's submit, for the tests of rectifications and
// of their routes.
package rectest

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/models"
	"quality/policy"
	"quality/rectifications"
)

// TemplateCode is the code of the fixture's checklist template.
const TemplateCode = "RECTEST"

// InspectorUsername is the fixture's inspector, who made the inspections (no grants).
const InspectorUsername = "rectest-inspector"

var seq atomic.Int64

// Options describe one finding and its rectification; zero fields take defaults.
type Options struct {
	Critical bool
	// DueOn defaults to seven days after At.
	DueOn models.Date
	// At is when the inspection found it; default now.
	At   time.Time
	Text string
}

// Open makes a submitted inspection of the outlet with one failed item, its finding, and
// the finding's rectification opened with rectifications.Service.Open, assigned to the
// outlet's county branch as the inspection submit does.
func Open(t testing.TB, db *gorm.DB, outletCode string, o Options) *models.Rectification {
	t.Helper()
	ctx := context.Background()
	outlet, err := models.GetOrgUnitByCode(ctx, db, models.ScopeAll, outletCode)
	require.NoError(t, err)
	branch, err := models.AncestorAt(ctx, db, outlet, models.LevelCounty)
	require.NoError(t, err)
	if o.At.IsZero() {
		o.At = time.Now().UTC()
	}
	o.At = o.At.UTC().Truncate(time.Second)
	if o.DueOn.IsZero() {
		o.DueOn = models.DateOf(o.At.AddDate(0, 0, 7))
	}
	if o.Text == "" {
		o.Text = "未公示服务监督电话"
	}
	tpl := template(t, db)
	inspector := inspectorID(t, db)
	n := seq.Add(1)
	var r *models.Rectification
	require.NoError(t, db.Transaction(func(tx *gorm.DB) error {
		ins := &models.Inspection{ClientID: fmt.Sprintf("rectest-%d-%d", time.Now().UnixNano(), n), InspectorID: inspector,
			TemplateID: tpl, OrgUnitID: outlet.ID, Status: models.InspectionSubmitted, StartedAt: o.At, SubmittedAt: &o.At,
			Result: models.ResultFail, CriticalFailed: o.Critical}
		if err := tx.Omit("Inspector", "Template", "OrgUnit").Create(ins).Error; err != nil {
			return err
		}
		zero := 0
		item := &models.InspectionItem{InspectionID: ins.ID, Key: "1.2", Position: 1, Section: "公示", Text: o.Text, RuleRef: "R1.2",
			Response: models.ResponsePassFail, MaxScore: 1, Weight: 1, Critical: o.Critical, Required: true,
			Outcome: models.OutcomeFail, Points: &zero, Rev: 1, AnsweredAt: &o.At}
		if err := tx.Create(item).Error; err != nil {
			return err
		}
		f := &models.Finding{InspectionID: ins.ID, InspectionItemID: item.ID, OrgUnitID: outlet.ID, ItemKey: item.Key,
			RuleRef: item.RuleRef, Text: o.Text, Critical: o.Critical, FoundAt: o.At}
		if err := tx.Omit("Inspection", "InspectionItem", "OrgUnit").Create(f).Error; err != nil {
			return err
		}
		r = &models.Rectification{FindingID: f.ID, OrgUnitID: outlet.ID, AssigneeUnitID: branch.ID, Critical: o.Critical,
			DueOn: o.DueOn, CreatedAt: o.At, UpdatedAt: o.At}
		return rectifications.New(db, nil, policy.NewService(db), time.UTC).Open(tx, r, models.SystemActor, o.At) // opening counts no days
	}))
	return r
}

// template returns the id of the fixture's published template, made on first use.
func template(t testing.TB, db *gorm.DB) uint {
	t.Helper()
	var tpl models.ChecklistTemplate
	err := db.Where("code = ?", TemplateCode).Take(&tpl).Error
	if err == nil {
		return tpl.ID
	}
	now := time.Now().UTC()
	tpl = models.ChecklistTemplate{Code: TemplateCode, Version: 1, Title: "整改测试检查表", Status: models.TemplatePublished, PassMark: 80,
		PublishedAt: &now, Sections: models.JSONList[models.ChecklistSection]{{Title: "公示", Items: []models.ChecklistItem{
			{Key: "1.2", Text: "公示服务热线和监督电话", RuleRef: "R1.2", Response: models.ResponsePassFail, MaxScore: 1, Weight: 1, Required: true}}}}}
	require.NoError(t, db.Create(&tpl).Error)
	return tpl.ID
}

// inspectorID returns the id of the fixture's inspector, made on first use.
func inspectorID(t testing.TB, db *gorm.DB) uint {
	t.Helper()
	var u models.User
	if err := db.Where("username = ?", InspectorUsername).Take(&u).Error; err == nil {
		return u.ID
	}
	u = models.User{Username: InspectorUsername, DisplayName: "整改测试稽核员", PasswordHash: "!"}
	require.NoError(t, db.Omit("Employee", "Grants").Create(&u).Error)
	return u.ID
}
