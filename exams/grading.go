// Package exams holds the question bank rules, drawing papers, the attempt lifecycle
// and grading (R8.2 onboarding exam, R8.3 etiquette certification). It imports models
// only; the rules that need no database are pure functions.
package exams

import (
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/width"

	"quality/models"
)

// Response is what an examinee answered: option indices (of the question's own
// options, not the shown order) or, for a fill-in question, text.
type Response struct {
	Choices []int  `json:"choices"`
	Text    string `json:"text"`
}

// Correct grades one response against a question version. Multiple choice is
// all-or-nothing; fill-in compares after trimming, folding case and full-width forms.
func Correct(q *models.Question, r Response) bool {
	switch q.Kind {
	case models.KindFill:
		got := normalizeText(r.Text)
		if got == "" {
			return false
		}
		for _, a := range q.Accepted {
			if normalizeText(a) == got {
				return true
			}
		}
		return false
	default:
		got := slices.Clone(r.Choices)
		slices.Sort(got)
		got = slices.Compact(got)
		want := slices.Clone([]int(q.Answer))
		slices.Sort(want)
		return len(got) > 0 && slices.Equal(got, want)
	}
}

// normalizeText folds what examinees type differently but mean the same: full-width
// digits and letters, case, and spaces.
func normalizeText(s string) string {
	s = width.Fold.String(s)
	s = strings.ToLower(s)
	return strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
}

// Passed reports whether points out of max reach passPercent, in exact integers.
func Passed(points, max, passPercent int) bool {
	return max > 0 && points*100 >= passPercent*max
}
