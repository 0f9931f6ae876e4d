package exams

import (
	"testing"

	"github.com/stretchr/testify/require"
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
	items, alpha, common := Analyze(scores, map[uint]int{1: 4, 2: 2, 3: 4})
	require.Equal(t, 3, common)

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
	items, _, _ := Analyze(scores, nil)
	require.NotNil(t, items[1].Efficiency)
	require.InDelta(t, 100.0, *items[1].Efficiency, 0.01)
	require.Empty(t, items[1].Flags)
}
