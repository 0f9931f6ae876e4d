package reports_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gorm.io/gorm"

	"quality/inspections"
	"quality/models"
	"quality/models/dbtest"
	"quality/policy"
	"quality/rectifications"
	"quality/reports"
	"quality/seeds"
	"quality/storage"
)

// The same data always gives the same numbers: an inspection reopened and resubmitted
// with the same answers, and its template edited and retired since, leave the ranking
// as it was.
func TestRankingSurvivesReopenAndTemplateChanges(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		fx, err := seeds.LoadRankingFixture(ctx, db, nil)
		require.NoError(t, err)
		admin := models.Actor{Username: "admin", RequestID: "test"}
		in := inspections.TemplateInput{Code: "FX-REAL", Title: "真实检查表", Sections: []inspections.SectionInput{{Title: "一、公示", Items: []inspections.ItemInput{
			{Key: "a1", Text: "公示服务承诺", RuleRef: "R1.1", Response: models.ResponsePassFail, Weight: 2, Required: true},
			{Key: "a2", Text: "无推诿", RuleRef: "R2.4", Response: models.ResponsePassFail, Weight: 1, Critical: true, Required: true},
			{Key: "a3", Text: "态度", RuleRef: "R9.1", Response: models.ResponseScore, MaxScore: 5, PassScore: 4, Weight: 1, Required: true},
		}}}}
		files := storage.NewLocal(t.TempDir())
		pol := policy.NewService(db)
		svc := inspections.NewService(db, files, rectifications.New(db, files, pol, shanghai), pol, shanghai)
		clock := time.Date(2026, 9, 15, 2, 0, 0, 0, time.UTC)
		svc.Now = func() time.Time { return clock }
		tpl, err := svc.CreateTemplate(ctx, admin, models.ScopeAll, in)
		require.NoError(t, err)
		tpl, err = svc.PublishTemplate(ctx, admin, models.ScopeAll, tpl.ID)
		require.NoError(t, err)

		insp := models.Actor{UserID: fx.Inspector.ID, Username: fx.Inspector.Username, RequestID: "test"}
		outlet := fx.Units["990102-01"].ID
		v, _, err := svc.Start(ctx, insp, models.ScopeAll, inspections.StartInput{ClientID: "reopen-1", TemplateID: tpl.ID, OrgUnitID: outlet})
		require.NoError(t, err)
		answer := func() {
			three := 3
			for _, a := range []struct {
				key, outcome string
				points       *int
			}{{"a1", models.OutcomePass, nil}, {"a2", models.OutcomePass, nil}, {"a3", models.OutcomePass, &three}} {
				it, err := models.GetInspectionItem(ctx, db, v.ID, a.key)
				require.NoError(t, err)
				rev := it.Rev
				_, err = svc.SaveItem(ctx, insp, models.ScopeAll, v.ID, a.key, inspections.SaveItemInput{Outcome: a.outcome, Points: a.points, Rev: &rev})
				require.NoError(t, err, a.key)
			}
		}
		answer()
		_, err = svc.Submit(ctx, insp, models.ScopeAll, v.ID, inspections.SubmitInput{Confirmation: "督导员甲"})
		require.NoError(t, err)

		q3, _ := reports.ParsePeriod("2026-Q3")
		rank := reports.NewService(db, shanghai)
		rank.Now = func() time.Time { return seeds.RankingFixtureNow }
		snapshot := func() string {
			var out []byte
			for _, level := range []string{reports.LevelCounty, reports.LevelCity} {
				r, err := rank.Ranking(ctx, q3, level)
				require.NoError(t, err)
				b, err := json.Marshal(r)
				require.NoError(t, err)
				out = append(out, b...)
			}
			return string(out)
		}
		before := snapshot()
		require.True(t, strings.Contains(before, `"earned":293,"passed":0,"possible":408`), "甲二's new inspection (6 of 8) is counted: 287/400 + 6/8")

		// Reopened five days later and resubmitted with the same answers.
		clock = clock.AddDate(0, 0, 5)
		_, err = svc.Reopen(ctx, insp, models.ScopeAll, models.Scope{}, v.ID, inspections.ReasonInput{Reason: "补充备注"})
		require.NoError(t, err)
		answer()
		_, err = svc.Submit(ctx, insp, models.ScopeAll, v.ID, inspections.SubmitInput{Confirmation: "督导员甲"})
		require.NoError(t, err)
		require.Equal(t, before, snapshot(), "reopen and resubmit")

		// A new version of the template, then the old one retired.
		in.Title = "真实检查表（第二版）"
		in.Sections[0].Items[0].Weight = 5
		next, _, err := svc.EditTemplate(ctx, admin, models.ScopeAll, tpl.ID, in)
		require.NoError(t, err)
		_, err = svc.PublishTemplate(ctx, admin, models.ScopeAll, next.ID)
		require.NoError(t, err)
		_, err = svc.RetireTemplate(ctx, admin, models.ScopeAll, next.ID)
		require.NoError(t, err)
		require.Equal(t, before, snapshot(), "template edited and retired")
	})
}
