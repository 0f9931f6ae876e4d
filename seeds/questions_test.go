package seeds

import (
	"strings"
	"testing"
)

// validRules are the rule numbers of /work/shared/REQUIREMENTS.md (copied here: tests
// read nothing outside the module).
var validRules = splitRules(`
R1.1 R1.2 R1.3 R1.4 R1.5 R1.6
R2.1 R2.2 R2.4 R2.5 R2.6 R2.8 R2.9
R3.1 R3.2 R3.3 R3.4 R3.5
R4.1 R4.2 R4.3 R4.4 R4.5 R4.6
R5.1 R5.2 R5.3 R5.4
R6.1 R6.2 R6.4 R6.5 R6.6 R6.7 R6.8
R7.1 R7.2 R7.3
R8.1 R8.2 R8.3 R8.4
R9.1 R9.2 R9.3 R9.4 R9.5 R9.6 R9.7 R9.8
R10`)

// categoryRules says which rules each category covers (R8.1–R8.3, the training system,
// count as company basics: it is one of the nine service systems).
var categoryRules = map[string]map[string]bool{
	"basics": splitRules(`R1.1 R1.2 R1.3 R1.4 R1.5 R1.6 R3.1 R3.2 R3.3 R3.4 R3.5 R4.1 R4.2 R4.6
		R5.1 R5.2 R5.3 R5.4 R7.1 R7.2 R7.3 R8.1 R8.2 R8.3 R10`),
	"etiquette": splitRules(`R2.1 R2.2 R2.4 R2.5 R2.6 R2.8 R2.9 R9.1 R9.2 R9.5 R9.7`),
	"ethics":    splitRules(`R6.1 R6.2 R6.4 R6.5 R6.6 R6.7 R6.8 R9.8 R8.4`),
	"technical": splitRules(`R4.3 R4.4 R4.5 R9.3 R9.4 R9.5 R9.6`),
}

func splitRules(s string) map[string]bool {
	m := make(map[string]bool)
	for _, r := range strings.Fields(s) {
		m[r] = true
	}
	return m
}

func loadQuestions(t *testing.T) []QuestionSeed {
	t.Helper()
	qs, err := Questions()
	if err != nil {
		t.Fatalf("Questions: %v", err)
	}
	return qs
}

func TestQuestionsDistribution(t *testing.T) {
	qs := loadQuestions(t)
	if len(qs) < 96 {
		t.Errorf("got %d questions, want at least 96", len(qs))
	}
	byCat := make(map[string]int)
	byCatDiff := make(map[string]map[int]int)
	byKind := make(map[string]int)
	for _, q := range qs {
		byCat[q.Category]++
		if byCatDiff[q.Category] == nil {
			byCatDiff[q.Category] = make(map[int]int)
		}
		byCatDiff[q.Category][q.Difficulty]++
		byKind[q.Kind]++
	}
	for cat, want := range map[string]int{"basics": 30, "etiquette": 30, "ethics": 16, "technical": 10} {
		if byCat[cat] < want {
			t.Errorf("category %s: %d questions, want at least %d", cat, byCat[cat], want)
		}
	}
	for cat, want := range map[string]int{"basics": 5, "etiquette": 5, "ethics": 3, "technical": 1} {
		for d := 1; d <= 3; d++ {
			if byCatDiff[cat][d] < want {
				t.Errorf("category %s difficulty %d: %d questions, want at least %d", cat, d, byCatDiff[cat][d], want)
			}
		}
	}
	for kind, want := range map[string]int{"single": 45, "multiple": 15, "truefalse": 20, "fill": 8} {
		if byKind[kind] < want {
			t.Errorf("kind %s: %d questions, want at least %d", kind, byKind[kind], want)
		}
	}
	t.Logf("by category × difficulty: %v; by kind: %v", byCatDiff, byKind)
}

func TestQuestionsCiteKnownRules(t *testing.T) {
	for _, q := range loadQuestions(t) {
		if !validRules[q.Rule] {
			t.Errorf("question %s cites %s, which REQUIREMENTS.md does not number", q.Key, q.Rule)
			continue
		}
		if !categoryRules[q.Category][q.Rule] {
			t.Errorf("question %s: rule %s does not belong to category %s", q.Key, q.Rule, q.Category)
		}
	}
}

func TestQuestionsStemsAndKeysAreUnique(t *testing.T) {
	stems := make(map[string]string)
	for _, q := range loadQuestions(t) {
		stem := strings.TrimSpace(q.Stem)
		if other, dup := stems[stem]; dup {
			t.Errorf("questions %s and %s have the same stem %q", other, q.Key, stem)
		}
		stems[stem] = q.Key
	}
}

func TestQuestionsVaryCorrectPosition(t *testing.T) {
	pos := make(map[int]int)
	singles := 0
	tf := make(map[int]int)
	for _, q := range loadQuestions(t) {
		switch q.Kind {
		case seedKindSingle:
			pos[q.Answer[0]]++
			singles++
		case seedKindTrueFalse:
			tf[q.Answer[0]]++
		}
	}
	for i := 0; i < 4; i++ {
		if pos[i] < singles/8 || pos[i] > singles/2 {
			t.Errorf("single questions: %d of %d have the answer at option %d; vary the position", pos[i], singles, i)
		}
	}
	if tf[0] == 0 || tf[1] == 0 {
		t.Errorf("true/false answers are all one way: %d 正确, %d 错误", tf[0], tf[1])
	}
}

func TestValidateQuestionRejectsBadSeeds(t *testing.T) {
	good := func() QuestionSeed {
		return QuestionSeed{Key: "x1", Kind: "single", Category: "basics", Difficulty: 1,
			Stem: "一般故障应在多长时间内解决?", Options: []string{"12小时", "24小时", "48小时", "72小时"},
			Answer: []int{1}, Accepted: []string{}, Explanation: "一般故障24小时内解决。", Rule: "R4.1"}
	}
	if err := validateQuestions([]QuestionSeed{good()}); err != nil {
		t.Fatalf("good seed rejected: %v", err)
	}
	tests := []struct {
		name   string
		mutate func(q *QuestionSeed)
		want   string
	}{
		{"unknown kind", func(q *QuestionSeed) { q.Kind = "essay" }, "unknown kind"},
		{"unknown category", func(q *QuestionSeed) { q.Category = "sales" }, "unknown category"},
		{"difficulty 0", func(q *QuestionSeed) { q.Difficulty = 0 }, "difficulty"},
		{"difficulty 4", func(q *QuestionSeed) { q.Difficulty = 4 }, "difficulty"},
		{"empty stem", func(q *QuestionSeed) { q.Stem = "  " }, "empty stem"},
		{"bad rule", func(q *QuestionSeed) { q.Rule = "R4.1.2" }, "rule"},
		{"rule without R", func(q *QuestionSeed) { q.Rule = "4.1" }, "rule"},
		{"empty explanation", func(q *QuestionSeed) { q.Explanation = "" }, "explanation"},
		{"single three options", func(q *QuestionSeed) { q.Options = q.Options[:3] }, "options"},
		{"single two answers", func(q *QuestionSeed) { q.Answer = []int{1, 2} }, "answers"},
		{"single no answer", func(q *QuestionSeed) { q.Answer = nil }, "answers"},
		{"answer out of range", func(q *QuestionSeed) { q.Answer = []int{4} }, "out of range"},
		{"negative answer", func(q *QuestionSeed) { q.Answer = []int{-1} }, "out of range"},
		{"duplicate option", func(q *QuestionSeed) { q.Options[3] = q.Options[0] }, "repeats"},
		{"empty option", func(q *QuestionSeed) { q.Options[2] = "" }, "empty"},
		{"accepted on choice", func(q *QuestionSeed) { q.Accepted = []string{"24"} }, "accepted"},
		{"multiple one answer", func(q *QuestionSeed) { q.Kind = "multiple"; q.Answer = []int{1} }, "answers"},
		{"multiple all correct", func(q *QuestionSeed) { q.Kind = "multiple"; q.Answer = []int{0, 1, 2, 3} }, "answers"},
		{"multiple unsorted", func(q *QuestionSeed) { q.Kind = "multiple"; q.Answer = []int{2, 1} }, "sorted"},
		{"multiple duplicate answer", func(q *QuestionSeed) { q.Kind = "multiple"; q.Answer = []int{1, 1} }, "duplicates"},
		{"multiple six options", func(q *QuestionSeed) {
			q.Kind = "multiple"
			q.Options = append(q.Options, "96小时", "120小时")
			q.Answer = []int{0, 1}
		}, "options"},
		{"truefalse wrong options", func(q *QuestionSeed) {
			q.Kind = "truefalse"
			q.Options = []string{"对", "错"}
			q.Answer = []int{0}
		}, "truefalse"},
		{"truefalse two answers", func(q *QuestionSeed) {
			q.Kind = "truefalse"
			q.Options = []string{"正确", "错误"}
			q.Answer = []int{0, 1}
		}, "answers"},
		{"fill with options", func(q *QuestionSeed) {
			q.Kind = "fill"
			q.Stem = "一般故障应在____小时内解决。"
			q.Answer = nil
			q.Accepted = []string{"24"}
		}, "fill"},
		{"fill no accepted", func(q *QuestionSeed) {
			q.Kind = "fill"
			q.Stem = "一般故障应在____小时内解决。"
			q.Options, q.Answer, q.Accepted = nil, nil, nil
		}, "accepted"},
		{"fill too many accepted", func(q *QuestionSeed) {
			q.Kind = "fill"
			q.Stem = "一般故障应在____小时内解决。"
			q.Options, q.Answer, q.Accepted = nil, nil, []string{"24", "24小时", "二十四", "二十四小时"}
		}, "accepted"},
		{"fill no blank", func(q *QuestionSeed) {
			q.Kind = "fill"
			q.Options, q.Answer, q.Accepted = nil, nil, []string{"24"}
		}, "blank"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			q := good()
			tc.mutate(&q)
			err := validateQuestions([]QuestionSeed{q})
			if err == nil {
				t.Fatal("accepted a bad seed")
			}
			if !strings.Contains(err.Error(), "x1") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q should name the key x1 and mention %q", err, tc.want)
			}
		})
	}
}

func TestParseQuestionsRejectsBadFiles(t *testing.T) {
	const q = `{"key":"q1","kind":"truefalse","category":"ethics","difficulty":1,"stem":"问责制是内部监督制约制度。",` +
		`"options":["正确","错误"],"answer":[0],"accepted":[],"explanation":"见问责制第1条。","rule":"R6.1"}`
	if _, err := parseQuestions(strings.NewReader("[" + q + "]")); err != nil {
		t.Fatalf("good file rejected: %v", err)
	}
	tests := map[string]struct{ in, want string }{
		"duplicate key": {"[" + q + "," + q + "]", "duplicate key"},
		"unknown field": {`[{"key":"q1","answers":[0]}]`, "unknown field"},
		"empty array":   {"[]", "no questions"},
		"not json":      {"{", "questions.json"},
	}
	for name, tc := range tests {
		t.Run(name, func(t *testing.T) {
			_, err := parseQuestions(strings.NewReader(tc.in))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("got error %v, want one mentioning %q", err, tc.want)
			}
		})
	}
}
