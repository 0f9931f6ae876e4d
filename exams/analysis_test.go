package exams

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// Ten examinees, three questions on one fixed paper. Question 1 separates strong from
// weak; question 2 everyone gets right (no variance: no discrimination); question 3 is
// got right by the weak and wrong by the strong (negative discrimination: flagged).
func TestAnalyzeKnownValues(t *testing.T) {
	//            q1 q2 q3
	table := [][3]float64{
		{1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 0}, {1, 1, 1},
		{0, 1, 1}, {0, 1, 1}, {0, 1, 1}, {0, 1, 0}, {0, 1, 1},
	}
	var scores []ItemScore
	for a, row := range table {
		for q, s := range row {
			scores = append(scores, ItemScore{Attempt: uint(a + 1), Question: uint(q + 1), Score: s, Points: 5, Choices: []int{int(s)}})
		}
	}
	items, alpha, common, why := Analyze(scores, map[uint]int{1: 4, 2: 2, 3: 4})
	require.Equal(t, 3, common)
	require.Empty(t, why)

	q1, q2, q3 := items[1], items[2], items[3]
	require.Equal(t, 50.0, q1.Facility)
	require.Equal(t, 100.0, q2.Facility)
	require.Equal(t, 50.0, q3.Facility)

	require.NotNil(t, q1.Discrimination)
	require.Nil(t, q2.Discrimination, "a question everyone got right cannot discriminate")
	require.NotNil(t, q3.Discrimination)
	require.Less(t, *q3.Discrimination, 0.0)
	require.Contains(t, q3.Flags, "negative_discrimination")
	require.Equal(t, []int{5, 5, 0, 0}, q1.OptionCounts, "option 0 chosen by the five who scored 0, option 1 by the five who scored 1")

	// By hand: q1 scores x = 1,1,1,1,1,0,0,0,0,0 and the rest of the paper (q2, q3 as
	// a fraction) .5,.5,.5,.5,1,1,1,1,.5,1: cov = −.075, sd(x) = .5, sd(rest) = .25,
	// so r = −0.6 (q1 and q3 pull apart).
	require.InDelta(t, -0.6, *q1.Discrimination, 0.001)
	// Cronbach's alpha: item variances 6.25, 0, 6.25 (in points) and the variance 5 of
	// the totals 10,10,10,10,15,10,10,10,5,10 → α = 3/2 × (1 − 12.5/5) = −2.25.
	require.NotNil(t, alpha)
	require.InDelta(t, -2.25, *alpha, 0.01)
}

func TestAnalyzeEfficiency(t *testing.T) {
	// A perfectly discriminating question: right exactly for those with the best rest.
	var scores []ItemScore
	for a := 1; a <= 10; a++ {
		right := 0.0
		if a > 5 {
			right = 1
		}
		scores = append(scores, ItemScore{Attempt: uint(a), Question: 1, Score: right, Points: 1})
		for q := 2; q <= 4; q++ {
			s := 0.0
			if a > 5 || (a+q)%3 == 0 {
				s = 1
			}
			if a <= 5 {
				s = 0
			}
			scores = append(scores, ItemScore{Attempt: uint(a), Question: uint(q), Score: s, Points: 1})
		}
	}
	items, _, _, _ := Analyze(scores, nil)
	require.NotNil(t, items[1].Efficiency)
	require.InDelta(t, 100.0, *items[1].Efficiency, 0.01)
	require.Empty(t, items[1].Flags)
}

// TestAlphaNote: α is missing, and says why, when the papers share no question, share
// one, or every total on the common questions is the same; every reason and flag has
// its words for the workbook.
func TestAlphaNote(t *testing.T) {
	// paper builds ten attempts; questions(a) are the questions attempt a had and
	// score(a, q) what it earned.
	paper := func(questions func(a int) []int, score func(a, q int) float64) []ItemScore {
		var out []ItemScore
		for a := 1; a <= 10; a++ {
			for _, q := range questions(a) {
				out = append(out, ItemScore{Attempt: uint(a), Question: uint(q), Score: score(a, q), Points: 2})
			}
		}
		return out
	}
	varied := func(a, q int) float64 { return float64((a + q) % 2) }
	cases := []struct {
		name      string
		questions func(a int) []int
		score     func(a, q int) float64
		common    int
		why       string
	}{
		{"drawn papers share nothing", func(a int) []int { return []int{a, a + 100} }, varied, 0, AlphaNoCommonItems},
		{"one question in common", func(a int) []int { return []int{1, a + 100} }, varied, 1, AlphaOneCommonItem},
		{"everyone the same total", func(int) []int { return []int{1, 2, 3} }, func(int, int) float64 { return 1 }, 3, AlphaNoVariance},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, alpha, common, why := Analyze(paper(tc.questions, tc.score), nil)
			require.Nil(t, alpha)
			require.Equal(t, tc.common, common)
			require.Equal(t, tc.why, why)
		})
	}
	_, alpha, _, why := Analyze([]ItemScore{{Attempt: 1, Question: 1, Score: 1, Points: 1}, {Attempt: 1, Question: 2, Points: 1}}, nil)
	require.Nil(t, alpha)
	require.Equal(t, AlphaTooFewAttempts, why)

	for _, code := range []string{AlphaNoCommonItems, AlphaOneCommonItem, AlphaTooFewAttempts, AlphaNoVariance} {
		require.NotEmpty(t, AlphaNoteWords[code], code)
	}
	for _, flag := range []string{FlagNegativeDiscrimination, FlagLowEfficiency} {
		require.NotEmpty(t, FlagWords[flag], flag)
	}
}

// TestWriteAnalysisInWords: the workbook writes each flag in words, and the reason in
// place of a missing α.
func TestWriteAnalysisInWords(t *testing.T) {
	d := -0.3
	a := &Analysis{Attempts: 12, CommonItems: 0, AlphaNote: AlphaNoCommonItems, Items: []ItemStat{
		{Code: "Q1", Version: 1, Stem: "题干", Attempts: 12, Facility: 50, Discrimination: &d, OptionCounts: []int{6, 6},
			Flags: []string{FlagNegativeDiscrimination, FlagLowEfficiency}},
	}}
	var buf bytes.Buffer
	require.NoError(t, WriteAnalysis(a, &buf))
	f, err := excelize.OpenReader(&buf)
	require.NoError(t, err)
	defer f.Close()
	rows, err := f.GetRows("试题分析")
	require.NoError(t, err)
	require.Equal(t, "标记", rows[0][9])
	require.Equal(t, FlagWords[FlagNegativeDiscrimination]+"；"+FlagWords[FlagLowEfficiency], rows[1][9])
	require.Equal(t, AlphaNoteWords[AlphaNoCommonItems], rows[3][3], "a sentence, not a blank α")
}
