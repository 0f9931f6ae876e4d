package exams

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"quality/models"
	"quality/workbook"
)

// MinAnalysisAttempts is the fewest first attempts item analysis works on.
const MinAnalysisAttempts = 10

// FlagEfficiency is the discriminative efficiency below which a question is flagged.
const FlagEfficiency = 15.0

// The flags of a question (ItemStat.Flags).
const (
	FlagNegativeDiscrimination = "negative_discrimination"
	FlagLowEfficiency          = "low_efficiency"
)

// FlagWords are the flags in words, as the workbook writes them.
var FlagWords = map[string]string{
	FlagNegativeDiscrimination: "区分度为负：总分高的人反而更常答错，请检查答案和题干",
	FlagLowEfficiency:          "区分效率低于 15%：几乎分不出掌握与未掌握的人",
}

// Why Cronbach's α is missing (Analysis.AlphaNote).
const (
	AlphaNoCommonItems  = "no_common_items"  // the papers share no question
	AlphaOneCommonItem  = "one_common_item"  // the papers share one question; α needs two
	AlphaTooFewAttempts = "too_few_attempts" // fewer than two examinees
	AlphaNoVariance     = "no_variance"      // every total on the common questions is the same
)

// AlphaNoteWords are the reasons for a missing α in words, as the workbook writes them.
var AlphaNoteWords = map[string]string{
	AlphaNoCommonItems:  "无法计算：各份试卷没有共同的题目（试卷为随机抽题），α 系数只能在所有人都作答的题目上计算。",
	AlphaOneCommonItem:  "无法计算：各份试卷只有 1 道共同题目，α 系数至少需要 2 道。",
	AlphaTooFewAttempts: "无法计算：作答人数少于 2 人。",
	AlphaNoVariance:     "无法计算：所有人在共同题目上的总分相同。",
}

// ItemScore is one question of one first attempt: the fraction of its points earned
// (0 or 1 while grading is all-or-nothing) and the options chosen.
type ItemScore struct {
	Attempt  uint
	Question uint
	Score    float64
	Points   int
	Choices  []int
}

// ItemStat is the analysis of one question version.
type ItemStat struct {
	QuestionID uint   `json:"question_id"`
	Code       string `json:"code"`
	Version    int    `json:"version"`
	Stem       string `json:"stem"`
	Rule       string `json:"rule"`
	Attempts   int    `json:"attempts"`
	// Facility is the mean score in percent (how easy the question was).
	Facility float64 `json:"facility"`
	// Discrimination is the corrected point-biserial: the correlation of the question's
	// score with the rest of the paper, the question itself left out; nil when either
	// does not vary.
	Discrimination *float64 `json:"discrimination"`
	// Efficiency is the discrimination as a percentage of the most this question's
	// facility allows (discriminative efficiency); nil with Discrimination.
	Efficiency   *float64 `json:"efficiency"`
	OptionCounts []int    `json:"option_counts"`
	// Answer is the keyed options (indices into OptionCounts), to read the counts by.
	Answer []int    `json:"answer"`
	Flags  []string `json:"flags"`
}

// Analysis is the item analysis of an exam's first attempts.
type Analysis struct {
	ExamID   uint       `json:"exam_id"`
	Attempts int        `json:"attempts"`
	Items    []ItemStat `json:"items"`
	// Alpha is Cronbach's alpha over the questions every first attempt had (all of a
	// fixed paper); nil when fewer than two questions are common to all papers.
	Alpha       *float64 `json:"alpha"`
	CommonItems int      `json:"common_items"`
	// AlphaNote says why Alpha is nil (one of the Alpha… codes); "" when it is not.
	AlphaNote string `json:"alpha_note,omitempty"`
}

// Analyze computes the statistics from item scores; options[q] is the option count of
// question q (0 for fill-in). When alpha is nil, why says why.
func Analyze(scores []ItemScore, options map[uint]int) (items map[uint]*ItemStat, alpha *float64, common int, why string) {
	byAttempt := map[uint][]ItemScore{}
	byItem := map[uint][]ItemScore{}
	for _, s := range scores {
		byAttempt[s.Attempt] = append(byAttempt[s.Attempt], s)
		byItem[s.Question] = append(byItem[s.Question], s)
	}
	// Each attempt's earned and possible points, to leave one question out.
	earned, possible := map[uint]float64{}, map[uint]float64{}
	for a, ss := range byAttempt {
		for _, s := range ss {
			earned[a] += s.Score * float64(s.Points)
			possible[a] += float64(s.Points)
		}
	}
	items = map[uint]*ItemStat{}
	for q, ss := range byItem {
		st := &ItemStat{QuestionID: q, Attempts: len(ss), OptionCounts: make([]int, options[q]), Flags: []string{}}
		x := make([]float64, len(ss))
		rest := make([]float64, len(ss))
		for i, s := range ss {
			x[i] = s.Score
			if left := possible[s.Attempt] - float64(s.Points); left > 0 {
				rest[i] = (earned[s.Attempt] - s.Score*float64(s.Points)) / left
			}
			for _, c := range s.Choices {
				if c >= 0 && c < len(st.OptionCounts) {
					st.OptionCounts[c]++
				}
			}
		}
		st.Facility = round2(100 * mean(x))
		if r, ok := correlation(x, rest); ok {
			r = round2(r)
			st.Discrimination = &r
			if maxCov := maxCovariance(x, rest); maxCov > 0 {
				de := round2(100 * covariance(x, rest) / maxCov)
				st.Efficiency = &de
			}
		}
		if st.Discrimination != nil && *st.Discrimination < 0 {
			st.Flags = append(st.Flags, FlagNegativeDiscrimination)
		}
		if st.Efficiency != nil && *st.Efficiency < FlagEfficiency {
			st.Flags = append(st.Flags, FlagLowEfficiency)
		}
		items[q] = st
	}
	alpha, common, why = cronbach(byAttempt, len(byAttempt))
	return items, alpha, common, why
}

// cronbach computes alpha over the questions present in every attempt, or says why it
// cannot.
func cronbach(byAttempt map[uint][]ItemScore, n int) (*float64, int, string) {
	count := map[uint]int{}
	for _, ss := range byAttempt {
		for _, s := range ss {
			count[s.Question]++
		}
	}
	var commonIDs []uint
	for q, c := range count {
		if c == n {
			commonIDs = append(commonIDs, q)
		}
	}
	k := len(commonIDs)
	switch {
	case n < 2:
		return nil, k, AlphaTooFewAttempts
	case k == 0:
		return nil, k, AlphaNoCommonItems
	case k == 1:
		return nil, k, AlphaOneCommonItem
	}
	slices.Sort(commonIDs)
	itemVals := make(map[uint][]float64, k)
	totals := make([]float64, 0, n)
	for _, ss := range byAttempt {
		total := 0.0
		for _, s := range ss {
			if count[s.Question] == n {
				v := s.Score * float64(s.Points)
				itemVals[s.Question] = append(itemVals[s.Question], v)
				total += v
			}
		}
		totals = append(totals, total)
	}
	sumVar := 0.0
	for _, q := range commonIDs {
		sumVar += variance(itemVals[q])
	}
	tv := variance(totals)
	if tv == 0 {
		return nil, k, AlphaNoVariance
	}
	a := round2(float64(k) / float64(k-1) * (1 - sumVar/tv))
	return &a, k, ""
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

func covariance(a, b []float64) float64 {
	ma, mb := mean(a), mean(b)
	s := 0.0
	for i := range a {
		s += (a[i] - ma) * (b[i] - mb)
	}
	return s / float64(len(a))
}

func variance(v []float64) float64 { return covariance(v, v) }

func correlation(a, b []float64) (float64, bool) {
	va, vb := variance(a), variance(b)
	if va == 0 || vb == 0 {
		return 0, false
	}
	return covariance(a, b) / math.Sqrt(va*vb), true
}

// maxCovariance is the covariance when the two lists are paired in the same order:
// the most any pairing of these values can reach.
func maxCovariance(a, b []float64) float64 {
	sa, sb := slices.Clone(a), slices.Clone(b)
	sort.Float64s(sa)
	sort.Float64s(sb)
	return covariance(sa, sb)
}

func round2(f float64) float64 { return math.Round(f*100) / 100 }

// AnalyzeExam loads the exam's first submitted attempts and analyses them; fewer than
// MinAnalysisAttempts is a validation error.
func (s *Service) AnalyzeExam(ctx context.Context, examID uint) (*Analysis, error) {
	if _, err := models.GetExam(ctx, s.DB, examID); err != nil {
		return nil, err
	}
	rows, err := models.FirstAttemptItems(ctx, s.DB, examID)
	if err != nil {
		return nil, err
	}
	attempts := map[uint]bool{}
	scores := make([]ItemScore, len(rows))
	options := map[uint]int{}
	questions := map[uint]*models.Question{}
	for i, r := range rows {
		attempts[r.AttemptID] = true
		score := 0.0
		if r.Points > 0 && r.Earned > 0 {
			score = float64(r.Earned) / float64(r.Points)
		}
		scores[i] = ItemScore{Attempt: r.AttemptID, Question: r.QuestionID, Score: score, Points: r.Points, Choices: r.Choices}
		questions[r.QuestionID] = r.Question
		options[r.QuestionID] = len(r.Question.Options)
	}
	if len(attempts) < MinAnalysisAttempts {
		v := &models.ValidationError{}
		v.Add("exam", "too_few_attempts", "min", MinAnalysisAttempts, "got", len(attempts))
		return nil, v
	}
	items, alpha, common, why := Analyze(scores, options)
	out := &Analysis{ExamID: examID, Attempts: len(attempts), Alpha: alpha, CommonItems: common, AlphaNote: why, Items: make([]ItemStat, 0, len(items))}
	for id, st := range items {
		q := questions[id]
		st.Code, st.Version, st.Stem, st.Rule = q.Code, q.Version, q.Stem, q.Rule
		st.Answer = slices.Clone([]int(q.Answer))
		out.Items = append(out.Items, *st)
	}
	sort.Slice(out.Items, func(i, j int) bool {
		if out.Items[i].Code != out.Items[j].Code {
			return out.Items[i].Code < out.Items[j].Code
		}
		return out.Items[i].Version < out.Items[j].Version
	})
	return out, nil
}

// WriteAnalysis writes the analysis as a workbook, one row per question version.
func WriteAnalysis(a *Analysis, w io.Writer) error {
	cols := []workbook.Column{{Title: "编号"}, {Title: "版本", Kind: workbook.ID}, {Title: "题干", Width: 40}, {Title: "规则"},
		{Title: "作答人数", Kind: workbook.Int}, {Title: "难度系数（%）", Kind: workbook.Decimal}, {Title: "区分度", Kind: workbook.Decimal},
		{Title: "区分效率（%）", Kind: workbook.Decimal}, {Title: "各选项人数", Width: 24}, {Title: "标记", Width: 40}}
	return workbook.Stream(w, time.UTC, func(x *workbook.Writer) error {
		sh, err := x.NewSheet("试题分析", cols, workbook.SheetOptions{})
		if err != nil {
			return err
		}
		for _, it := range a.Items {
			counts := make([]string, len(it.OptionCounts))
			for j, c := range it.OptionCounts {
				counts[j] = fmt.Sprintf("%c:%d", 'A'+j, c)
			}
			flags := make([]string, len(it.Flags))
			for j, fl := range it.Flags {
				flags[j] = FlagWords[fl]
			}
			if err := sh.Add(it.Code, it.Version, it.Stem, it.Rule, it.Attempts, it.Facility, it.Discrimination, it.Efficiency,
				strings.Join(counts, " "), strings.Join(flags, "；")); err != nil {
				return err
			}
		}
		// A blank row, then the paper's figures under the first columns.
		if err := sh.Add(); err != nil {
			return err
		}
		var alpha any = a.Alpha
		if a.Alpha == nil {
			alpha = AlphaNoteWords[a.AlphaNote]
		}
		if err := sh.Add("首次作答人数", a.Attempts, "Cronbach α（共同题）", alpha, "共同题数", a.CommonItems); err != nil {
			return err
		}
		return sh.Close()
	})
}
