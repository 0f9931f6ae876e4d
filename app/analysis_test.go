package app_test

import (
	"bytes"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
	"gorm.io/gorm"

	"quality/exams"
	"quality/models"
	"quality/models/dbtest"
	"quality/seeds"
)

// Twelve frontline staff of 东湖区 sit the etiquette exam once; the trainer reads the
// item analysis as JSON and as a workbook.
func TestItemAnalysis(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, db *gorm.DB) {
		e := newEnv(t, db)
		var staff []models.Employee
		require.NoError(t, db.Where("position IN ? AND status = ? AND job_number LIKE ?",
			[]string{models.PositionWindow, models.PositionMarketing, models.PositionInstaller}, models.StatusActive, "360102%").
			Order("job_number").Limit(12).Find(&staff).Error)
		require.Len(t, staff, 12)
		examID := e.exam(seeds.EtiquetteExamTitle)
		e.sitExam(examID, staff)

		tr := e.login("trainer")
		res := tr.do(http.MethodGet, fmt.Sprintf("/api/v1/exams/%d/analysis", examID), nil)
		require.Equal(t, http.StatusOK, res.Code, res.Body)
		var a exams.Analysis
		res.JSON(t, &a)
		require.Equal(t, 12, a.Attempts)
		require.NotEmpty(t, a.Items)
		for _, it := range a.Items {
			require.GreaterOrEqual(t, it.Facility, 0.0)
			require.LessOrEqual(t, it.Facility, 100.0)
			require.NotEmpty(t, it.Code)
		}

		res = tr.do(http.MethodGet, fmt.Sprintf("/api/v1/exams/%d/analysis.xlsx", examID), nil)
		require.Equal(t, http.StatusOK, res.Code)
		f, err := excelize.OpenReader(bytes.NewReader([]byte(res.Body)))
		require.NoError(t, err)
		defer f.Close()
		rows, err := f.GetRows("试题分析")
		require.NoError(t, err)
		require.Equal(t, "编号", rows[0][0])
		require.Len(t, rows, len(a.Items)+3)
	})
}
