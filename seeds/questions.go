package seeds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
)

//go:embed data/questions.json
var questionsJSON []byte

// QuestionSeed is one question of the embedded bank (R8.2, R8.3: onboarding and etiquette exams).
type QuestionSeed struct {
	Key         string   `json:"key"`
	Kind        string   `json:"kind"`
	Category    string   `json:"category"`
	Difficulty  int      `json:"difficulty"`
	Stem        string   `json:"stem"`
	Options     []string `json:"options"`
	Answer      []int    `json:"answer"`
	Accepted    []string `json:"accepted"`
	Explanation string   `json:"explanation"`
	Rule        string   `json:"rule"`
}

// Question kinds and categories of the seeded bank; they match models.QuestionKinds and
// models.QuestionCategories.
const (
	seedKindSingle    = "single"
	seedKindMultiple  = "multiple"
	seedKindTrueFalse = "truefalse"
	seedKindFill      = "fill"
)

var (
	seedCategories = []string{"basics", "etiquette", "ethics", "technical"}
	trueFalseOpts  = []string{"正确", "错误"}
	ruleRe         = regexp.MustCompile(`^R\d+(\.\d+)?$`)
)

// fillBlank marks the blank in the stem of a fill-in question.
const fillBlank = "____"

// Questions returns the embedded question bank, validated.
func Questions() ([]QuestionSeed, error) {
	return parseQuestions(bytes.NewReader(questionsJSON))
}

// parseQuestions decodes and validates a question bank in the questions.json format.
func parseQuestions(r io.Reader) ([]QuestionSeed, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var qs []QuestionSeed
	if err := dec.Decode(&qs); err != nil {
		return nil, fmt.Errorf("questions.json: %w", err)
	}
	if len(qs) == 0 {
		return nil, errors.New("questions.json: no questions")
	}
	if err := validateQuestions(qs); err != nil {
		return nil, fmt.Errorf("questions.json: %w", err)
	}
	return qs, nil
}

// validateQuestions checks every question and that keys are unique.
func validateQuestions(qs []QuestionSeed) error {
	seen := make(map[string]bool, len(qs))
	for i, q := range qs {
		if strings.TrimSpace(q.Key) == "" {
			return fmt.Errorf("question #%d: empty key", i+1)
		}
		if seen[q.Key] {
			return fmt.Errorf("question %s: duplicate key", q.Key)
		}
		seen[q.Key] = true
		if err := validateQuestion(q); err != nil {
			return fmt.Errorf("question %s: %w", q.Key, err)
		}
	}
	return nil
}

// validateQuestion checks one question on its own.
func validateQuestion(q QuestionSeed) error {
	if !slices.Contains(seedCategories, q.Category) {
		return fmt.Errorf("unknown category %q", q.Category)
	}
	if q.Difficulty < 1 || q.Difficulty > 3 {
		return fmt.Errorf("difficulty %d not in 1..3", q.Difficulty)
	}
	if strings.TrimSpace(q.Stem) == "" {
		return errors.New("empty stem")
	}
	if !ruleRe.MatchString(q.Rule) {
		return fmt.Errorf("rule %q is not like R4 or R4.1", q.Rule)
	}
	if strings.TrimSpace(q.Explanation) == "" {
		return errors.New("empty explanation")
	}
	switch q.Kind {
	case seedKindSingle:
		if len(q.Options) != 4 {
			return fmt.Errorf("single: %d options, want 4", len(q.Options))
		}
		if len(q.Answer) != 1 {
			return fmt.Errorf("single: %d answers, want exactly 1", len(q.Answer))
		}
	case seedKindMultiple:
		if len(q.Options) < 4 || len(q.Options) > 5 {
			return fmt.Errorf("multiple: %d options, want 4 or 5", len(q.Options))
		}
		if len(q.Answer) < 2 || len(q.Answer) > 4 || len(q.Answer) >= len(q.Options) {
			return fmt.Errorf("multiple: %d answers of %d options, want 2–4 and at least one wrong option", len(q.Answer), len(q.Options))
		}
	case seedKindTrueFalse:
		if !slices.Equal(q.Options, trueFalseOpts) {
			return fmt.Errorf("truefalse: options %q, want %q", q.Options, trueFalseOpts)
		}
		if len(q.Answer) != 1 {
			return fmt.Errorf("truefalse: %d answers, want exactly 1", len(q.Answer))
		}
	case seedKindFill:
		if len(q.Options) != 0 || len(q.Answer) != 0 {
			return errors.New("fill: options and answer must be empty")
		}
		if len(q.Accepted) < 1 || len(q.Accepted) > 3 {
			return fmt.Errorf("fill: %d accepted answers, want 1–3", len(q.Accepted))
		}
		for _, a := range q.Accepted {
			if strings.TrimSpace(a) == "" {
				return errors.New("fill: empty accepted answer")
			}
		}
		if !strings.Contains(q.Stem, fillBlank) {
			return fmt.Errorf("fill: stem has no blank %q", fillBlank)
		}
		return nil
	default:
		return fmt.Errorf("unknown kind %q", q.Kind)
	}
	// choice kinds
	if len(q.Accepted) != 0 {
		return fmt.Errorf("%s: accepted answers are only for fill questions", q.Kind)
	}
	for i, o := range q.Options {
		if strings.TrimSpace(o) == "" {
			return fmt.Errorf("option %d is empty", i)
		}
		if slices.Index(q.Options, o) != i {
			return fmt.Errorf("option %d %q repeats an earlier option", i, o)
		}
	}
	for i, a := range q.Answer {
		if a < 0 || a >= len(q.Options) {
			return fmt.Errorf("answer index %d out of range 0..%d", a, len(q.Options)-1)
		}
		if i > 0 && a <= q.Answer[i-1] {
			return fmt.Errorf("answer %v not sorted ascending without duplicates", q.Answer)
		}
	}
	return nil
}
