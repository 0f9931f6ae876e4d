package exams_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
	"quality/workbook"
)

// The bank exported to Excel imports back unchanged; an edited row updates its question
// (as a new version once an attempt has used it); one bad row refuses the whole file.
func TestBankWorkbookRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		ctx := context.Background()
		svc := exams.NewService(db)
		n, err := seeds.LoadQuestionBank(ctx, db)
		require.NoError(t, err)

		var out bytes.Buffer
		require.NoError(t, svc.WriteBank(ctx, true, &out))
		rep, err := svc.ImportBank(ctx, models.SystemActor, bytes.NewReader(out.Bytes()), false)
		require.NoError(t, err)
		require.Equal(t, n, rep.Rows)
		require.Equal(t, n, rep.Unchanged, "an exported bank imports back unchanged")
		require.Zero(t, rep.Created+rep.Updated)

		// Edit q001's stem and add a new question; dry run first.
		f, err := excelize.OpenReader(bytes.NewReader(out.Bytes()))
		require.NoError(t, err)
		rows, err := f.GetRows(exams.BankSheet)
		require.NoError(t, err)
		var q001 int
		for i, r := range rows {
			if r[0] == "q001" {
				q001 = i + 1
			}
		}
		require.NotZero(t, q001)
		require.NoError(t, f.SetCellValue(exams.BankSheet, cell(5, q001), "修改后的题干：服务热线的响应时限是多少？"))
		last := len(rows) + 1
		require.NoError(t, f.SetSheetRow(exams.BankSheet, cell(1, last), &[]any{"", "判断", "服务礼仪", 1, "上门服务应当出示工作证。", "", "", "", "", "", "", "正确", "R9.7", "R9.7"}))
		var edited bytes.Buffer
		require.NoError(t, f.Write(&edited))
		f.Close()

		var before int64
		require.NoError(t, db.Model(&models.Question{}).Count(&before).Error)
		rep, err = svc.ImportBank(ctx, models.SystemActor, bytes.NewReader(edited.Bytes()), true)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Created)
		require.Equal(t, 1, rep.Updated)
		var after int64
		require.NoError(t, db.Model(&models.Question{}).Count(&after).Error)
		require.Equal(t, before, after, "a dry run writes nothing")

		rep, err = svc.ImportBank(ctx, models.SystemActor, bytes.NewReader(edited.Bytes()), false)
		require.NoError(t, err)
		require.Equal(t, 1, rep.Created)
		require.Equal(t, 1, rep.Updated)
		latest, err := models.CurrentQuestions(ctx, db, "q001")
		require.NoError(t, err)
		require.Len(t, latest, 1)
		require.Equal(t, "修改后的题干：服务热线的响应时限是多少？", latest[0].Stem)
		require.Equal(t, 1, latest[0].Version, "unused: edited in place")

		// One bad row among good ones: every problem reported, nothing written.
		bad := excelize.NewFile()
		require.NoError(t, bad.SetSheetName("Sheet1", exams.BankSheet))
		for i, r := range [][]any{
			{"编号", "题型*", "分类*", "难度*", "题干*", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案*", "解析", "规则"},
			{"", "单选", "服务礼仪", 1, "好的一题", "甲", "乙", "", "", "", "", "A", "", "R9.1"},
			{"", "单选", "服务礼仪", 5, "", "甲", "乙", "", "", "", "", "Z", "", "R9"},
			{"", "口试", "烹饪", 1, "坏的一题", "", "", "", "", "", "", "A", "", "第九条"},
		} {
			require.NoError(t, bad.SetSheetRow(exams.BankSheet, cell(1, i+1), &r))
		}
		var badBuf bytes.Buffer
		require.NoError(t, bad.Write(&badBuf))
		_, err = svc.ImportBank(ctx, models.SystemActor, bytes.NewReader(badBuf.Bytes()), false)
		var ie *workbook.ImportError
		require.ErrorAs(t, err, &ie)
		got := map[int][]string{}
		for _, e := range ie.Report.Errors {
			got[e.Row] = append(got[e.Row], e.Field)
		}
		require.NotContains(t, got, 2)
		require.Subset(t, got[3], []string{"difficulty", "stem", "answer"})
		require.Subset(t, got[4], []string{"kind", "category", "rule"})
		var final int64
		require.NoError(t, db.Model(&models.Question{}).Count(&final).Error)
		require.Equal(t, before+1, final, "the refused file wrote nothing")

		// Not a workbook at all.
		_, err = svc.ImportBank(ctx, models.SystemActor, bytes.NewReader([]byte("not a zip")), false)
		require.ErrorIs(t, err, workbook.ErrBad)
	})
}

func cell(col, row int) string {
	c, _ := excelize.CoordinatesToCellName(col, row)
	return c
}
