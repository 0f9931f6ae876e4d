package app

import (
	"errors"
	"slices"
	"strconv"

	"github.com/gofiber/fiber/v2"

	"quality/exams"
	"quality/models"
)

// examAnalysisData is the item analysis page of one exam: each question's row, α or the
// sentence saying why there is none, or why there is no analysis yet.
type examAnalysisData struct {
	Exam     *models.Exam
	Analysis *exams.Analysis
	Rows     []analysisRow
	// Alpha is α with two decimals, "" when AlphaNote (in words) says why there is none.
	Alpha, AlphaNote string
	// NotYet says why there is no analysis at all (too few first attempts).
	NotYet string
}

// analysisRow is one question version as the page shows it: numbers already written as
// the other pages write them, flags in words.
type analysisRow struct {
	exams.ItemStat
	FacilityText, DiscriminationText, EfficiencyText string
	Options                                          []optionCount
	FlagWords                                        []string
}

// optionCount is how many chose one option; Key marks a keyed option.
type optionCount struct {
	Letter string
	Count  int
	Key    bool
}

// examAnalysisPage shows exams.AnalyzeExam, the analysis of the API and the workbook;
// with too few first attempts it says so instead (the API's 422 reads as a sentence).
func (s *server) examAnalysisPage(c *fiber.Ctx) error {
	id, err := pathID(c)
	if err != nil {
		return err
	}
	ctx := c.UserContext()
	exam, err := models.GetExam(ctx, s.db, id)
	if err != nil {
		return err
	}
	lang := language(c)
	d := examAnalysisData{Exam: exam}
	a, err := s.exams.AnalyzeExam(ctx, id)
	var ve *models.ValidationError
	switch {
	case errors.As(err, &ve) && len(ve.Fields) == 1 && ve.Fields[0].Code == "too_few_attempts":
		d.NotYet = s.msgs.T(lang, "field.too_few_attempts", ve.Fields[0].Params)
		return s.render(c, fiber.StatusOK, "exam_analysis", "analysisweb.title", d)
	case err != nil:
		return err
	}
	d.Analysis = a
	if a.Alpha != nil {
		d.Alpha = twoDecimals(*a.Alpha)
	} else {
		d.AlphaNote = s.msgs.T(lang, "analysisweb.alpha_note."+a.AlphaNote, map[string]any{"n": a.Attempts})
	}
	d.Rows = make([]analysisRow, len(a.Items))
	for i, it := range a.Items {
		r := analysisRow{ItemStat: it, FacilityText: twoDecimals(it.Facility) + "%"}
		r.DiscriminationText = s.msgs.T(lang, "analysisweb.no_spread", nil)
		if it.Discrimination != nil {
			r.DiscriminationText = twoDecimals(*it.Discrimination)
		}
		if it.Efficiency != nil {
			r.EfficiencyText = twoDecimals(*it.Efficiency) + "%"
		}
		for j, n := range it.OptionCounts {
			r.Options = append(r.Options, optionCount{Letter: string(rune('A' + j)), Count: n, Key: slices.Contains(it.Answer, j)})
		}
		for _, f := range it.Flags {
			r.FlagWords = append(r.FlagWords, s.msgs.T(lang, "analysisweb.flag."+f, nil))
		}
		d.Rows[i] = r
	}
	return s.render(c, fiber.StatusOK, "exam_analysis", "analysisweb.title", d)
}

// twoDecimals writes a statistic with two decimals, as percentages are written
// elsewhere (models.Percent); never "-0.00".
func twoDecimals(f float64) string {
	s := strconv.FormatFloat(f, 'f', 2, 64)
	if s == "-0.00" {
		return "0.00"
	}
	return s
}
