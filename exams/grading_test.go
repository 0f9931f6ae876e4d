package exams_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"quality/exams"
	"quality/models"
)

func TestCorrect(t *testing.T) {
	t.Parallel()
	single := &models.Question{Kind: models.KindSingle, Options: []string{"a", "b", "c", "d"}, Answer: []int{2}}
	multi := &models.Question{Kind: models.KindMultiple, Options: []string{"a", "b", "c", "d"}, Answer: []int{0, 2, 3}}
	tf := &models.Question{Kind: models.KindTrueFalse, Options: []string{"正确", "错误"}, Answer: []int{1}}
	fill := &models.Question{Kind: models.KindFill, Accepted: []string{"24", "二十四", "Service Hotline"}}
	cases := []struct {
		name string
		q    *models.Question
		r    exams.Response
		want bool
	}{
		{"single right", single, exams.Response{Choices: []int{2}}, true},
		{"single wrong", single, exams.Response{Choices: []int{1}}, false},
		{"single two choices incl. the right one", single, exams.Response{Choices: []int{1, 2}}, false},
		{"single empty", single, exams.Response{}, false},
		{"single empty slice", single, exams.Response{Choices: []int{}}, false},
		{"multiple exact", multi, exams.Response{Choices: []int{0, 2, 3}}, true},
		{"multiple exact in another order", multi, exams.Response{Choices: []int{3, 0, 2}}, true},
		{"multiple exact with a repeated choice", multi, exams.Response{Choices: []int{3, 0, 2, 2}}, true},
		{"multiple partial gets nothing", multi, exams.Response{Choices: []int{0, 2}}, false},
		{"multiple superset gets nothing", multi, exams.Response{Choices: []int{0, 1, 2, 3}}, false},
		{"multiple disjoint", multi, exams.Response{Choices: []int{1}}, false},
		{"multiple empty", multi, exams.Response{}, false},
		{"truefalse right", tf, exams.Response{Choices: []int{1}}, true},
		{"truefalse wrong", tf, exams.Response{Choices: []int{0}}, false},
		{"truefalse empty", tf, exams.Response{}, false},
		{"fill exact", fill, exams.Response{Text: "24"}, true},
		{"fill full-width digits", fill, exams.Response{Text: "２４"}, true},
		{"fill surrounding spaces and ideographic space", fill, exams.Response{Text: " \u3000２４ \t"}, true},
		{"fill second accepted answer", fill, exams.Response{Text: "二十四"}, true},
		{"fill case folded", fill, exams.Response{Text: "service hotline"}, true},
		{"fill full-width letters and inner spaces", fill, exams.Response{Text: "ＳＥＲＶＩＣＥ　ＨＯＴＬＩＮＥ"}, true},
		{"fill inner spaces dropped", fill, exams.Response{Text: "Service   Hot line"}, true},
		{"fill wrong", fill, exams.Response{Text: "25"}, false},
		{"fill prefix is not enough", fill, exams.Response{Text: "2"}, false},
		{"fill empty", fill, exams.Response{Text: ""}, false},
		{"fill only spaces", fill, exams.Response{Text: " \u3000 "}, false},
		{"fill ignores choices", fill, exams.Response{Choices: []int{0}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, exams.Correct(c.q, c.r))
		})
	}
}

func TestCorrectDoesNotReorderTheCallersSlices(t *testing.T) {
	t.Parallel()
	q := &models.Question{Kind: models.KindMultiple, Options: []string{"a", "b", "c"}, Answer: []int{2, 0}}
	r := exams.Response{Choices: []int{2, 0}}
	require.True(t, exams.Correct(q, r))
	require.Equal(t, []int{2, 0}, r.Choices)
	require.Equal(t, models.JSONList[int]{2, 0}, q.Answer)
}

func TestFillWithNoAcceptedAnswerIsNeverCorrect(t *testing.T) {
	t.Parallel()
	q := &models.Question{Kind: models.KindFill}
	require.False(t, exams.Correct(q, exams.Response{Text: "anything"}))
}

func TestPassed(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name              string
		points, max, pass int
		want              bool
	}{
		{"exact pass mark", 60, 100, 60, true},
		{"one point short", 59, 100, 60, false},
		{"full marks at 100 percent", 40, 40, 100, true},
		{"one short of 100 percent", 39, 40, 100, false},
		{"exact with an uneven max (18/30 = 60%)", 18, 30, 60, true},
		{"just under with an uneven max (17/30 = 56.7%)", 17, 30, 60, false},
		{"rounding never helps (2/3 = 66.67% < 67%)", 2, 3, 67, false},
		{"2/3 reaches 66%", 2, 3, 66, true},
		{"zero points", 0, 10, 1, false},
		{"zero max never passes", 0, 0, 60, false},
		{"zero max never passes even at a zero mark", 0, 0, 0, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, exams.Passed(c.points, c.max, c.pass))
		})
	}
}
